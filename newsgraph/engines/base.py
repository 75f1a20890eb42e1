"""What every engine shares: the work a worker does (process a chunk of
pages, read one file), the warm-up that loads the models once per worker,
and an ordered map that keeps a bounded number of tasks in flight.

An engine is a processor for `newsgraph.ingest.ingest`: called with a list
of pages, it returns one Article or ErrorRecord per page, in input order.
Only `submit` differs between engines; the rest lives here.
"""

from __future__ import annotations

import json
import math
import os
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.model import Article, ErrorRecord, Page

WARMUP = Path(__file__).resolve().parents[1] / "data" / "engines" / "warmup.json"
# Pages per task: enough to make the cost of sending a task small next to
# the pipeline's (about 0.1 s a page), few enough that a batch of 200 pages
# spreads over many workers and one slow page holds back little.
CHUNK_PAGES = 8
# Tasks in flight per worker: one running, one queued, so a worker never
# waits for the client, and memory holds at most two chunks per worker.
TASKS_PER_WORKER = 2

Result = Article | ErrorRecord


def warm() -> None:
    """Load every model of the pipeline in this process, by processing a
    few tiny pages (uk, ru, en), so that the first real page pays no load."""
    from newsgraph.pipeline import process_pages

    pages = [Page(**fields) for fields in json.loads(WARMUP.read_text(encoding="utf-8"))]
    for _ in process_pages(pages):
        pass


def model_loads() -> dict[str, int]:
    """How many times this process has loaded each model: the misses of the
    pipeline's load-once caches. Constant after `warm` if nothing reloads."""
    from newsgraph import language, pipeline
    from newsgraph.entities import link, ner

    return {
        "stages": pipeline._load_components.cache_info().misses,
        "language": language._detector.cache_info().misses,
        "ner": ner._model.cache_info().misses,
        "kb": link._default_kb.cache_info().misses,
    }


@dataclass
class ChunkResult:
    pid: int  # the worker process that did the chunk
    loads: dict[str, int]  # its model_loads() after the chunk
    results: list[Result]


def process_chunk(pages: list[Page]) -> ChunkResult:
    """The task a worker runs: the pipeline over a few pages."""
    from newsgraph.pipeline import process_pages

    results = list(process_pages(pages))
    return ChunkResult(os.getpid(), model_loads(), results)


def read_path(path: str, input_format: str) -> list[Page | ErrorRecord]:
    """The task a worker runs to read one file (a path or fsspec URL)."""
    from newsgraph.readers import read_file

    return list(read_file(path, input_format))


def ordered(start: Callable[[Any], Any], items: Iterable, window: int) -> Iterator[tuple[Any, Any]]:
    """(item, future) in input order, with at most `window` futures started
    and not yet handed out: the next item is started only when the caller
    takes one, so a huge input never floods the workers or memory."""
    pending: deque = deque()
    for item in items:
        pending.append((item, start(item)))
        if len(pending) >= window:
            yield pending.popleft()
    while pending:
        yield pending.popleft()


def chunks(pages: list[Page], workers: int) -> list[list[Page]]:
    """Split a batch so that every worker gets at least two chunks."""
    size = max(1, min(CHUNK_PAGES, math.ceil(len(pages) / (2 * workers))))
    return [pages[i:i + size] for i in range(0, len(pages), size)]


class Engine:
    """A processor backed by some pool of workers; subclasses give `submit`."""

    name = "engine"
    workers = 1
    # The exceptions that mean a worker process died under a task (a crash,
    # the out-of-memory killer). Any other exception from a task is a bug
    # in newsgraph, not bad input, and stops the run.
    worker_lost: tuple[type[BaseException], ...] = ()

    def __init__(self) -> None:
        # pid -> model_loads() reported with each chunk that worker did:
        # the evidence that models load once per worker, not once per page.
        self.loads: dict[int, list[dict[str, int]]] = defaultdict(list)
        self.completed = 0  # chunks done

    def submit(self, fn: Callable, *args: Any) -> Future:
        raise NotImplementedError

    def close(self) -> None:
        """Stop the workers (idempotent)."""

    @property
    def window(self) -> int:
        return TASKS_PER_WORKER * max(1, self.workers)

    def __call__(self, pages: list[Page]) -> list[Result]:
        out: list[Result] = []
        for chunk, future in ordered(lambda c: self.submit(process_chunk, c), chunks(pages, self.workers), self.window):
            out.extend(self._collect(chunk, future))
        return out

    def _collect(self, chunk: list[Page], future: Future) -> list[Result]:
        try:
            done: ChunkResult = future.result()
        except self.worker_lost as exc:
            if len(chunk) > 1:  # again page by page, so that only the page that kills a worker is lost
                return [r for page in chunk for r in self._collect([page], self.submit(process_chunk, [page]))]
            return [ErrorRecord(chunk[0].origin, f"worker failed on this page: {type(exc).__name__}: {exc}")]
        self.loads[done.pid].append(done.loads)
        self.completed += 1
        return done.results


class InProcess(Engine):
    """No pool: the pipeline runs in this process (`--workers 1`)."""

    name = "in-process"

    def submit(self, fn: Callable, *args: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except Exception as exc:  # noqa: BLE001 - handed to the caller through the future, as a pool would
            future.set_exception(exc)
        return future
