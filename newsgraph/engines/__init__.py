"""Engines run the per-page pipeline for `newsgraph.ingest.ingest` on many
cores or machines; the ordered writes stay with the caller. See
docs/engines.md.

    from newsgraph.engines import open_engine
    with open_engine("dask", workers=2) as processor:
        ingest(paths, "news.db", processor=processor)

or, where a context manager does not fit (benchmarks):

    processor, close = make_processor("local", workers=2)
    ...
    close()

A processor maps a list of pages to one Article or ErrorRecord each, in
order. An engine that reads files on its workers also has
`read(paths, input_format)`, which `ingest` uses instead of reading here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from newsgraph.engines.base import Engine

ENGINES = ("local", "dask")


def make_engine(engine: str = "local", workers: int | None = None, scheduler: str | None = None) -> Engine:
    """An engine, ready to be called with pages. `workers`: processes (local)
    or LocalCluster workers (dask), default the number of CPUs; local with 1
    worker runs in this process, with no pool. `scheduler`: the address of a
    running Dask scheduler (dask only; `workers` is then ignored)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    if scheduler and engine != "dask":
        raise ValueError("--scheduler needs --engine dask")
    if engine == "dask":
        try:
            from newsgraph.engines.dask import DaskEngine
        except ImportError as exc:
            raise ImportError("the dask engine needs the dask extra: pip install 'newsgraph[dask]'") from exc
        return DaskEngine(workers, scheduler)
    if workers == 1:
        from newsgraph.engines.base import InProcess

        return InProcess()
    from newsgraph.engines.local import LocalEngine

    return LocalEngine(workers)


def make_processor(engine: str = "local", workers: int | None = None,
                   scheduler: str | None = None) -> tuple[Engine, Callable[[], None]]:
    """(processor, close): the engine and the function that stops its workers."""
    built = make_engine(engine, workers, scheduler)
    return built, built.close


@contextmanager
def open_engine(engine: str = "local", workers: int | None = None, scheduler: str | None = None) -> Iterator[Engine]:
    """An engine for the length of a `with` block."""
    built = make_engine(engine, workers, scheduler)
    try:
        yield built
    finally:
        built.close()
