"""The Dask engine: the per-page pipeline runs on the workers of a Dask
cluster, either a LocalCluster started here (`--workers N`) or an existing
one (`--scheduler tcp://HOST:PORT`). Needs the `dask` extra.

What runs where:
* workers read the input files themselves (`read`, one task per file: the
  client sends paths or fsspec URLs, never file contents) and run the
  pipeline (`process_chunk`: clean, language, entities, events);
* the client keeps the ordered, incremental part: skipping known pages,
  story assignment, event merging and writes, one transaction a batch.

Each worker loads the models once, when it joins (the `Warmup` plugin),
and keeps them in its process-wide caches for every later task.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import dask
from distributed import Client, Future, KilledWorker, LocalCluster, WorkerPlugin

from newsgraph.engines.base import Engine, ordered, read_path, warm
from newsgraph.model import ErrorRecord, Page


class Warmup(WorkerPlugin):
    """Loads the pipeline's models on every worker, including workers that
    join or are restarted later."""

    name = "newsgraph-warmup"

    async def setup(self, worker: Any) -> None:
        # Off the worker's event loop, so that it keeps answering heartbeats.
        await asyncio.to_thread(warm)


class DaskEngine(Engine):
    name = "dask"
    # The scheduler reruns the tasks of a worker that died elsewhere; after
    # `distributed.scheduler.allowed-failures` deaths it gives up with this.
    worker_lost = (KilledWorker,)

    def __init__(self, workers: int | None = None, scheduler: str | None = None):
        super().__init__()
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            # No statistical profiler in the workers: sampling the deep stacks of a
            # pure-Python task every 10 ms cost a third more CPU per page here.
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None)
            self.client = Client(self.cluster)
        self.client.register_plugin(Warmup())

    @property
    def workers(self) -> int:
        # Threads across the cluster as it is now: workers may join or leave.
        return max(1, sum(self.client.nthreads().values()))

    def submit(self, fn: Callable, *args: Any) -> Future:
        # pure=False: every task is new work; no hashing of the pages to make a key.
        return self.client.submit(fn, *args, pure=False)

    def read(self, paths: Iterable[str], input_format: str = "auto") -> Iterator[Page | ErrorRecord]:
        """Pages of every file, in the order a local read gives, read on the
        workers: the client only lists the files."""
        from newsgraph.readers import FORMATS, iter_files

        if input_format not in FORMATS:
            raise ValueError(f"unknown input format {input_format!r}; expected one of {', '.join(FORMATS)}")
        start = lambda path: self.submit(read_path, path, input_format)  # noqa: E731
        for path, future in ordered(start, iter_files(paths), self.window):
            try:
                yield from future.result()
            except self.worker_lost as exc:  # the other files go on
                yield ErrorRecord(path, f"worker failed reading this file: {type(exc).__name__}: {exc}")

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
