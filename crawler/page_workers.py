"""Read pages in worker processes while the engine goes on downloading.

Scrapy runs every callback on the reactor's one thread, so a crawl that parses what it
downloads is bound by one core: lxml's parse, the schema.org reading, the visible text and
the claims scan (`crawler.parsers.page.read_page`) take about as much CPU as the engine's
own work for the page. With `CREDWATCH_PAGE_WORKERS = N` (N >= 1, `crawl --page-workers`),
the generic spider's page callback (`parse_read_ahead`) awaits the page's reading from one
of N worker processes (`python -m crawler.page_workers`) and then does only what needs the
spider's state (links seen, listed courses, the items); the engine downloads meanwhile.

The workers talk over their stdin/stdout pipes through the event loop: a length-prefixed
pickle each way, written and read without blocking. Measured against it
(benchmarks/bench_crawl.py, 2,000 pages, in-process 216 pages/s): `concurrent.futures`'
ProcessPoolExecutor made the crawl slower, 185 pages/s (its feeder and manager threads
contend with the reactor for the GIL on every page), and reading in a downloader
middleware, 160 pages/s (a response waiting there holds its download slot). Off (0) by
default: a polite crawl waits on delays, not on a core. The workers are one set per
process, shared by the providers' crawlers and stopped when the last of them closes. A
page a worker fails on is read by the spider itself, after a warning.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import struct
import sys
import traceback
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import TextResponse

from crawler.parsers.page import PageReading, read_page_body

logger = logging.getLogger(__name__)

WORKERS_SETTING = "CREDWATCH_PAGE_WORKERS"
READ_AHEAD_STAT = "credwatch/page_workers/read"
FAILED_STAT = "credwatch/page_workers/failed"
_HEADER = struct.Struct("!Q")  # the length of the pickle that follows
WORKER_COMMAND = (sys.executable, "-m", "crawler.page_workers")
_PROJECT = Path(__file__).resolve().parent.parent


class PageWorkerError(Exception):
    """A worker could not read a page (its traceback is the message), or it died."""


class _Worker:
    """One worker process; it answers in the order it was asked."""

    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process
        self.waiting: deque[asyncio.Future[PageReading]] = deque()
        self.alive = True
        self.reader = asyncio.ensure_future(self._read_answers())

    @classmethod
    async def start(cls, command: Sequence[str] = WORKER_COMMAND) -> _Worker:
        # The worker imports `crawler` from where this process did, whatever its cwd.
        path = os.pathsep.join(filter(None, (str(_PROJECT), os.environ.get("PYTHONPATH"))))
        process = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
        )
        return cls(process)

    def read(self, body: bytes, url: str, encoding: str) -> asyncio.Future[PageReading]:
        answer: asyncio.Future[PageReading] = asyncio.get_running_loop().create_future()
        if not self.alive:
            answer.set_exception(PageWorkerError(f"page worker {self.process.pid} has exited"))
            return answer
        assert self.process.stdin is not None
        message = pickle.dumps((body, url, encoding), protocol=pickle.HIGHEST_PROTOCOL)
        self.process.stdin.write(_HEADER.pack(len(message)) + message)
        self.waiting.append(answer)
        return answer

    async def _read_answers(self) -> None:
        assert self.process.stdout is not None
        try:
            while True:
                (size,) = _HEADER.unpack(await self.process.stdout.readexactly(_HEADER.size))
                ok, value = pickle.loads(await self.process.stdout.readexactly(size))
                answer = self.waiting.popleft()
                if ok:
                    answer.set_result(value)
                else:
                    answer.set_exception(PageWorkerError(value))
        except asyncio.IncompleteReadError:  # it exited: what it was asked goes unanswered
            self.alive = False
            while self.waiting:
                self.waiting.popleft().set_exception(
                    PageWorkerError(f"page worker {self.process.pid} exited")
                )

    async def stop(self) -> None:
        """Close its input: it finishes what it was asked and exits."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        await self.process.wait()
        await self.reader


class _SharedWorkers:
    """The worker processes of this process, for every crawler; stopped with the last one."""

    starting: asyncio.Future[list[_Worker]] | None = None
    users = 0

    @classmethod
    async def acquire(cls, count: int) -> list[_Worker]:
        cls.users += 1
        if cls.starting is None:  # crawlers open concurrently: the first one starts them
            cls.starting = asyncio.gather(*(_Worker.start() for _ in range(count)))
        return list(await cls.starting)

    @classmethod
    async def release(cls) -> None:
        cls.users -= 1
        if cls.users == 0 and cls.starting is not None:
            starting, cls.starting = cls.starting, None
            for worker in await starting:
                await worker.stop()


class PageWorkers:
    """A crawler's handle on the shared workers: `read` a page, `close` when done."""

    def __init__(self, crawler: Crawler, workers: list[_Worker]):
        self.crawler = crawler
        self.workers = workers

    @classmethod
    async def open(cls, crawler: Crawler) -> PageWorkers | None:
        """The workers when the crawl's settings ask for them, else None."""
        count = crawler.settings.getint(WORKERS_SETTING)
        if count < 1:
            return None
        workers = cls(crawler, await _SharedWorkers.acquire(count))
        crawler.signals.connect(workers.close, signal=signals.spider_closed)
        return workers

    async def close(self) -> None:
        if self.workers:
            self.workers = []
            await _SharedWorkers.release()

    async def read(self, response: TextResponse) -> PageReading | None:
        """The page's reading, or None (a warning) when a worker failed on it."""
        assert self.crawler.stats is not None
        alive = [worker for worker in self.workers if worker.alive] or self.workers
        worker = min(alive, key=lambda worker: len(worker.waiting))
        try:
            reading = await worker.read(response.body, response.url, response.encoding)
        except PageWorkerError as error:
            self.crawler.stats.inc_value(FAILED_STAT)
            logger.warning(
                "%s: a page worker failed on it, read in the crawl: %s", response.url, error
            )
            return None
        self.crawler.stats.inc_value(READ_AHEAD_STAT)
        return reading


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """The worker's loop: read a page, answer its reading (or the error), until EOF."""
    while header := requests.read(_HEADER.size):
        body, url, encoding = pickle.loads(requests.read(_HEADER.unpack(header)[0]))
        answer: tuple[bool, Any]
        try:
            answer = (True, read_page_body(body, url, encoding))
        except Exception:
            answer = (False, f"{url}: {traceback.format_exc()}")
        message = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        answers.write(_HEADER.pack(len(message)) + message)
        answers.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
