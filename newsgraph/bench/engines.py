"""Engine throughput: the pipeline over the same pages through the local
process pool or a Dask LocalCluster with N workers. Each measurement is a
fresh process (`python -m newsgraph.bench.engines ENGINE WORKERS PATH...`)
printing one JSON object, so that no run starts with another's warm caches.

Start-up (starting the workers and loading their models) is timed apart;
throughput is pages over the seconds the engine took on them, in batches of
200 as `newsgraph ingest` sends them. Memory is the peak of the summed
resident memory of this process and all its children, sampled.
"""

from __future__ import annotations

import json
import sys
import threading
import time

BATCH = 200


class TreeMemory:
    """Peak resident memory of this process plus its descendants (psutil), sampled."""

    def __init__(self, every: float = 0.1) -> None:
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        import psutil

        me = psutil.Process()
        total = 0
        for process in [me, *me.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.Error:  # a process that ended between listing and reading
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.every)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._sample())

    @property
    def peak_mib(self) -> float:
        return round(self.peak / 1024**2, 1)


def warm_pages(count: int) -> list:
    from newsgraph.engines.base import WARMUP
    from newsgraph.model import Page

    pages = [Page(**fields) for fields in json.loads(WARMUP.read_text(encoding="utf-8"))]
    return [pages[i % len(pages)] for i in range(count)]


def run_engine(engine: str, workers: int, paths: list[str]) -> dict:
    from newsgraph.engines import make_processor
    from newsgraph.ingest import _batches
    from newsgraph.model import Page
    from newsgraph.readers import read

    pages = [item for item in read(paths, "text") if isinstance(item, Page)]
    with TreeMemory() as memory:
        started = time.perf_counter()
        processor, close = make_processor(engine, workers)
        try:
            # Starts every worker and loads its models: two small pages per worker.
            processor(warm_pages(2 * workers))
            startup = time.perf_counter() - started
            started = time.perf_counter()
            done = errors = 0
            for batch in _batches(pages, BATCH):
                for result in processor(batch):
                    done += 1
                    errors += not hasattr(result, "body")
            seconds = time.perf_counter() - started
        finally:
            close()
    return {
        "engine": engine,
        "workers": workers,
        "pages": done,
        "errors": errors,
        "startup_seconds": round(startup, 3),
        "seconds": round(seconds, 3),
        "pages_per_second": round(done / seconds, 2),
        "peak_tree_rss_mib": memory.peak_mib,
    }


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    engine, workers, paths = argv[0], int(argv[1]), argv[2:]
    sys.stdout.write(json.dumps(run_engine(engine, workers, paths)) + "\n")


if __name__ == "__main__":
    main()
