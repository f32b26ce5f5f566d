"""Helpers the tests share: plain modules, so no test module imports another or conftest.

`tests/` is on `sys.path` (pytest's rootdir-relative import), so tests write
`from helpers.crawl import run_crawl_cli`; the crawl subprocesses get `tests/` on
PYTHONPATH too, which lets `-s SPIDER_MODULES=helpers.crawl` load the probe spiders.
"""
