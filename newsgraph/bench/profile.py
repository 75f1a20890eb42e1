"""Where the pipeline's time goes: `python -m newsgraph.bench.profile`
profiles the per-page pipeline (pyinstrument, from the `bench` extra) over
the SlavicNER raw documents in one process, models loaded first, and writes
bench/profile.md: time per stage, the functions with the most time of their
own, and the call tree down to the heavy calls."""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from newsgraph.bench.machine import describe

ROOT = Path(__file__).resolve().parents[2]
# The function each stage runs (newsgraph.pipeline's components) -> the stage.
STAGE_FUNCTIONS = {"clean_page": "clean", "tag_language": "language", "find_entities": "entities", "events": "events"}


def _self_times(frame, totals: dict, stage: str | None = None) -> None:
    """Self time per (function, file:line), and per stage, walking the tree."""
    if frame.is_synthetic:  # pyinstrument's "[self]" entries, counted by total_self_time
        return
    name = frame.function
    if name in STAGE_FUNCTIONS and stage is None:
        stage = STAGE_FUNCTIONS[name]
    key = f"{name} ({Path(frame.file_path or '?').name}:{frame.line_no})"
    totals["functions"][key] += frame.total_self_time
    if stage:
        totals["stages"][stage] += frame.total_self_time
    for child in frame.children:
        _self_times(child, totals, stage)


def profile(paths: list[str], limit: int | None) -> tuple[object, int, float]:
    from pyinstrument import Profiler

    from newsgraph.bench.pipeline import _warm_up
    from newsgraph.model import Page
    from newsgraph.pipeline import process_page
    from newsgraph.readers import read

    pages = [p for p in read(paths, "text") if isinstance(p, Page)][:limit]
    _warm_up()
    profiler = Profiler(interval=0.001)
    started = time.perf_counter()
    profiler.start()
    for page in pages:
        process_page(page)
    profiler.stop()
    return profiler, len(pages), time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    from newsgraph.corpora import data_dir

    parser = argparse.ArgumentParser(description="Profile the per-page pipeline; write bench/profile.md.")
    parser.add_argument("--data", default=None)
    parser.add_argument("--limit", type=int, default=None, help="profile only the first N pages")
    parser.add_argument("--out", default=str(ROOT / "bench" / "profile.md"))
    args = parser.parse_args(argv)
    raw = data_dir(args.data) / "slavicner" / "raw"
    profiler, pages, seconds = profile([str(raw)], args.limit)
    session = profiler.last_session
    totals: dict = {"functions": defaultdict(float), "stages": defaultdict(float)}
    _self_times(session.root_frame(), totals)
    total = session.duration
    machine = describe(ROOT)
    lines = [
        "# Profile of the per-page pipeline", "",
        f"`python -m newsgraph.bench.profile`: pyinstrument (1 ms sampling) over the {pages} SlavicNER raw pages "
        f"in one process, models loaded before, word caches cold at the start, as in `newsgraph process`. "
        f"{pages / seconds:.1f} pages/s under the profiler ({seconds:.1f} s); commit {machine['commit']}, "
        f"{machine['cpu']}, load average at start {machine['load_average_at_start']}.", "",
        "## Time per stage", "", "| stage | seconds | share |", "|---|---|---|",
    ]
    for stage, spent in sorted(totals["stages"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {stage} | {spent:.2f} | {100 * spent / total:.0f}% |")
    lines += ["", "## Functions with the most time of their own", "", "| function | seconds | share |", "|---|---|---|"]
    for key, spent in sorted(totals["functions"].items(), key=lambda kv: -kv[1])[:25]:
        lines.append(f"| `{key}` | {spent:.2f} | {100 * spent / total:.1f}% |")
    tree = profiler.output_text(unicode=True, color=False, show_all=False)
    lines += ["", "## Call tree (pyinstrument, calls under 1% hidden)", "", "```",
              *[line for line in tree.splitlines() if line.strip()][:120], "```", ""]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
