"""The local engine: a pool of worker processes on this machine (the default
of `newsgraph ingest`).

Workers are started with "spawn" (a fresh interpreter, no state copied from
the parent, safe with threads) and each loads the models once, in the
pool's initializer. A worker that dies (a crash, the out-of-memory killer)
breaks a concurrent.futures pool: the next task starts a new pool and the
pages of the lost chunks are tried again one by one.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from newsgraph.engines.base import Engine, warm


class LocalEngine(Engine):
    name = "local"
    worker_lost = (BrokenProcessPool,)

    def __init__(self, workers: int | None = None):
        super().__init__()
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None  # started on first use: all pages may be unchanged

    def _new_pool(self) -> ProcessPoolExecutor:
        self._completed_at_start = self.completed
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=warm)

    def submit(self, fn: Callable, *args: Any) -> Future:
        if self._pool is None:
            self._pool = self._new_pool()
        try:
            return self._pool.submit(fn, *args)
        except BrokenProcessPool as exc:
            self._pool.shutdown(wait=False, cancel_futures=True)
            if self.completed == self._completed_at_start:  # not one page: the workers cannot start at all
                raise RuntimeError("the worker processes died before finishing any task (see above)") from exc
            self._pool = self._new_pool()
            return self._pool.submit(fn, *args)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
