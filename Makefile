# credwatch: every target sets up what it needs, so a fresh clone needs nothing but python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
DB ?= output/work.db

.PHONY: demo test lint eval bench browser redis clean help

help:  ## list targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

browser:  ## install Debian's chromium for the browser tests (needs root; skipped where absent)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not installed and not root: browser tests will be skipped"; fi; }

redis:  ## install Debian's redis-server for the shared-queue crawl test (needs root; skipped where absent)
	@command -v redis-server >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	  else echo "redis-server not installed and not root: the shared-queue test will be skipped"; fi; }

demo: $(STAMP)  ## offline demo: serve fixture provider sites, crawl, load registers, score, publish, serve Datasette
	$(BIN)/credwatch demo --shared $(SHARED)

test: $(STAMP) browser redis  ## run the whole test suite
	$(BIN)/pytest -q

lint: $(STAMP)  ## ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

eval: $(STAMP)  ## precision/recall: dev sets in ../shared/eval (in sample, 5-fold) and the held-out sets in benchmarks/data
	$(BIN)/python -m scoring.evaluation.matching --shared $(SHARED)
	$(BIN)/python -m scoring.evaluation.flags --shared $(SHARED)

bench: $(STAMP)  ## speed benchmarks (never part of the test suite)
	$(BIN)/python -m benchmarks --shared $(SHARED)

clean:  ## remove generated files (keeps .venv)
	find output -mindepth 1 ! -name README.md -delete
