"""Pipeline throughput, stage by stage, and natasha's Russian NER on the
same pages. Each run is a fresh process (`python -m newsgraph.bench.pipeline
KIND PATH...`), so that its peak memory is its own and its caches start cold,
as in `newsgraph process`; it prints one JSON object.

Each stage is timed in wall-clock seconds and in CPU seconds of the
process: on a shared machine the CPU figure is the steadier one.

Model loading is timed apart: a few words in each analysed language go
through the pipeline before the clock starts, which loads every model but
warms the word caches with next to nothing. Throughput is pages over the
seconds spent reading and processing them.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Iterator

STAGES = ("read", "clean", "language", "entities", "events")
# Loads the models of every stage; the words are generic, not from any corpus.
WARM_UP = {
    "uk": "Президент України провів зустріч з міністром у Києві в понеділок.",
    "ru": "Президент России провел встречу с министром в Москве в понедельник.",
    "en": "The president met the minister in London on Monday.",
}


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Clock:
    """Wall and CPU seconds added up per stage."""

    def __init__(self, stages) -> None:
        self.wall = dict.fromkeys(stages, 0.0)
        self.cpu = dict.fromkeys(stages, 0.0)

    def time(self, stage: str, fn, *args):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn(*args)
        self.wall[stage] += time.perf_counter() - wall
        self.cpu[stage] += time.process_time() - cpu
        return result

    def summary(self) -> dict:
        return {
            "stage_seconds": {k: round(v, 3) for k, v in self.wall.items()},
            "stage_cpu_seconds": {k: round(v, 3) for k, v in self.cpu.items()},
            "cpu_seconds": round(sum(self.cpu.values()), 3),
        }


def _timed_pages(paths: list[str], input_format: str, clock: Clock) -> Iterator:
    """The reader's pages, the time spent reading them counted as "read"."""
    from newsgraph.readers import read

    items = iter(read(paths, input_format))
    while (item := clock.time("read", next, items, None)) is not None:
        yield item


def _warm_up() -> float:
    from newsgraph.model import Page
    from newsgraph.pipeline import process_page

    started = time.perf_counter()
    for language, text in WARM_UP.items():
        process_page(Page(origin=f"warm-up-{language}", text=text, kind="text"))
    return time.perf_counter() - started


def run_newsgraph(paths: list[str], input_format: str = "text") -> dict:
    """Every page through cleaning and each stage, as `process_page` runs
    them, each stage timed on its own."""
    from newsgraph.clean import clean_page
    from newsgraph.model import Page
    from newsgraph.pipeline import COMPONENTS, DEFAULT_PIPELINE

    load = _warm_up()
    clock = Clock(STAGES)
    per_page: list[dict] = []
    errors = 0
    started = time.perf_counter()
    for item in _timed_pages(paths, input_format, clock):
        if not isinstance(item, Page):
            errors += 1
            continue
        before, before_cpu = time.perf_counter(), time.process_time()
        try:
            article = clock.time("clean", clean_page, item)
            for name in DEFAULT_PIPELINE:
                article = clock.time(name, COMPONENTS[name], article)
        except Exception:  # noqa: BLE001 - counted, as process_pages would
            errors += 1
            continue
        per_page.append({"origin": item.origin, "seconds": time.perf_counter() - before, "cpu": time.process_time() - before_cpu})
    return _report(per_page, load, started, clock, errors=errors)


def _report(per_page: list[dict], load: float, started: float, clock: Clock, **counts: int) -> dict:
    """What a run of either system returns: pages, its own counts, times, memory."""
    return {
        "pages": len(per_page),
        **counts,
        "load_seconds": round(load, 3),
        "seconds": round(time.perf_counter() - started, 3),
        **clock.summary(),
        "peak_rss_mib": peak_rss_mib(),
        "per_page": per_page,
    }


def natasha_available() -> bool:
    try:
        import natasha  # noqa: F401
    except ImportError:
        return False
    return True


def run_natasha(paths: list[str]) -> dict:
    """natasha's NER alone (Segmenter, NewsEmbedding, NewsNERTagger) over
    the pages; the models ship inside its wheel."""
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    from newsgraph.model import Page

    started = time.perf_counter()
    segmenter = Segmenter()
    tagger = NewsNERTagger(NewsEmbedding())
    warm = Doc(WARM_UP["ru"])
    warm.segment(segmenter)
    warm.tag_ner(tagger)
    load = time.perf_counter() - started

    def tag(text: str) -> int:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        return len(doc.spans)

    clock = Clock(("read", "ner"))
    per_page, spans = [], 0
    started = time.perf_counter()
    for item in _timed_pages(paths, "text", clock):
        if not isinstance(item, Page):
            continue
        before, before_cpu = time.perf_counter(), time.process_time()
        spans += clock.time("ner", tag, item.text)
        per_page.append({"origin": item.origin, "seconds": time.perf_counter() - before, "cpu": time.process_time() - before_cpu})
    return _report(per_page, load, started, clock, spans=spans)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    kind, paths = argv[0], argv[1:]
    result = run_natasha(paths) if kind == "natasha" else run_newsgraph(paths)
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
