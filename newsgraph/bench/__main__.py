"""`python -m newsgraph.bench` (or `make bench`): run the benchmark suite
and write bench/RESULTS.md. See newsgraph/bench/__init__.py."""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import time
from pathlib import Path

from newsgraph.bench import report
from newsgraph.bench.machine import describe, git_commit

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ("pipeline", "store", "engines", "cold")


def run_json(module: str, *args: str) -> dict:
    """Run `python -m module args` in a fresh process; its last stdout line is JSON."""
    done = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args[:2])} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def slavicner_paths(data: Path, quick: bool) -> tuple[list[str], list[str]]:
    """(every raw folder, the Russian ones) of SlavicNER; one topic when quick."""
    raw = data / "slavicner" / "raw"
    topics = sorted(p for p in raw.iterdir() if p.is_dir())
    if quick:
        topics = topics[:1]
    folders = sorted(str(lang) for topic in topics for lang in topic.iterdir() if lang.is_dir())
    return folders, [f for f in folders if Path(f).name == "ru"]


def bench_pipeline(paths: list[str], ru_paths: list[str], runs: int, natasha: bool) -> dict:
    """Newsgraph and natasha runs interleaved, so that load on the machine
    falls on both alike."""
    newsgraph_runs, natasha_runs = [], []
    for i in range(runs):
        print(f"pipeline run {i + 1}/{runs}", file=sys.stderr, flush=True)
        newsgraph_runs.append(run_json("newsgraph.bench.pipeline", "newsgraph", *paths))
        if natasha:
            natasha_runs.append(run_json("newsgraph.bench.pipeline", "natasha", *ru_paths))
    ru_prefixes = tuple(p.rstrip("/") + "/" for p in ru_paths)
    result = {"runs": [report.pipeline_run(r, ru_prefixes) for r in newsgraph_runs]}
    if natasha:
        result["natasha_runs"] = [report.natasha_run(r) for r in natasha_runs]
    return result


def corpus_articles(data: Path, quick: bool, cache: Path | None) -> tuple[list, str]:
    """The BSNLP raw corpus through the pipeline (the local engine, all
    cores), cached per commit."""
    from newsgraph.bench.ingest import process_corpus

    raw = data / "bsnlp-raw"
    topics = sorted(p for p in raw.iterdir() if (p / "raw").is_dir())
    if quick:
        topics = [t for t in topics if t.name in ("ec", "trump")] or topics[:2]
    paths = [str(t / "raw") for t in topics]
    cached = cache / f"bsnlp-articles{'-quick' if quick else ''}.pickle" if cache else None
    if cached and cached.exists():
        with cached.open("rb") as handle:
            return pickle.load(handle), "processed by an earlier run at this commit, reused"
    started = time.perf_counter()
    try:
        from newsgraph.engines import make_processor

        processor, close = make_processor("local", None)
    except ImportError:
        processor, close = None, lambda: None
    try:
        articles, errors = process_corpus(paths, processor)
    finally:
        close()
    note = f"processed in this run in {time.perf_counter() - started:.0f} s, {len(errors)} pages failed"
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with cached.open("wb") as handle:
            pickle.dump(articles, handle)
    return articles, note


def bench_store(data: Path, runs: int, quick: bool, cache: Path | None, work: Path, largest: int | None) -> dict:
    from newsgraph.bench.ingest import aligned_sizes, ingest_sizes, search_latency, search_queries
    from newsgraph.store import open_store

    articles, corpus_note = corpus_articles(data, quick, cache)
    sizes, window, queries = ([300, 1000, 3000], 300, 30) if quick else ([1000, 10_000, 100_000], 1000, 200)
    sizes = [size for size in sizes if size <= (largest or sizes[-1])] or sizes[:1]
    sizes = aligned_sizes(articles, sizes, window)
    # The cost at a size is that of the articles added just before it (the
    # second half of the window); the whole window is shown as well.
    windows = (window // 2, window)
    db = work / f"store-{sizes[-1]}.db"
    _remove_store(db)
    print(f"ingest up to {sizes[-1]} articles into {db}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    with open_store(db) as store:
        growth = ingest_sizes(articles, store, sizes, windows)
        ingest_seconds = time.perf_counter() - started
        chosen = search_queries(articles, queries)
        search_runs = [search_latency(store, chosen) for _ in range(runs)]
        stats = store.stats()
    _remove_store(db)
    return {
        "corpus_articles": len(articles),
        "corpus_note": corpus_note,
        "sizes": growth,
        "ingest_seconds": round(ingest_seconds, 1),
        "search_runs": search_runs,
        "search_examples": chosen[:9],
        "store_stats": stats,
    }


def _remove_store(db: Path) -> None:
    """The scratch store: at 100k articles it takes gigabytes."""
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def bench_engines(paths: list[str], runs: int) -> dict:
    try:
        import newsgraph.engines  # noqa: F401
    except ImportError:
        return {"missing": "newsgraph.engines is not in this build"}
    results: dict[str, list] = {}
    for engine in ("local", "dask"):
        if engine == "dask" and not _importable("distributed"):
            results[engine] = [{"missing": "dask/distributed not installed (pip install 'newsgraph[dask]')"}]
            continue
        for workers in (1, 2):
            for i in range(runs):
                print(f"engine {engine} x{workers} run {i + 1}/{runs}", file=sys.stderr, flush=True)
                results.setdefault(engine, []).append(run_json("newsgraph.bench.engines", engine, str(workers), *paths))
    return results


def _importable(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def bench_cold(page: str, runs: int) -> list[float]:
    """Wall seconds of `newsgraph process` on one page, from a new process."""
    script = Path(sys.executable).with_name("newsgraph")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from newsgraph.cli import main; main()"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([*command, "process", "--input-format", "text", "--no-progress", page],
                       check=True, capture_output=True, cwd=ROOT)
        times.append(round(time.perf_counter() - started, 3))
    return times


def main(argv: list[str] | None = None) -> None:
    from newsgraph.bench.pipeline import natasha_available
    from newsgraph.corpora import data_dir

    parser = argparse.ArgumentParser(prog="python -m newsgraph.bench", description="Benchmark newsgraph; write bench/RESULTS.md.")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported (default 3)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: one topic, small stores, one run")
    parser.add_argument("--data", default=None, help="the shared corpora (default: ../shared/data)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated, of {', '.join(SECTIONS)}")
    parser.add_argument("--max-articles", type=int, default=None,
                        help="stop the store benchmark at this size (the report says so); default 100,000")
    parser.add_argument("--no-cache", action="store_true", help="process the BSNLP corpus again even when cached for this commit")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else max(1, args.runs)
    sections = [s for s in args.sections.split(",") if s]
    data = data_dir(args.data)
    work = ROOT / "bench" / ".work"
    work.mkdir(parents=True, exist_ok=True)
    commit = git_commit(ROOT)
    # Processed articles are reused only for the same commit, with no local changes.
    cache = None if args.no_cache or "+" in commit or commit == "unknown" else work / commit
    started = time.perf_counter()
    results: dict = {"machine": describe(ROOT), "runs": runs, "quick": args.quick, "sections": sections}
    paths, ru_paths = slavicner_paths(data, args.quick)
    if "pipeline" in sections:
        results["natasha_installed"] = natasha_available()
        results["pipeline"] = bench_pipeline(paths, ru_paths, runs, results["natasha_installed"])
    if "engines" in sections:
        results["engines"] = bench_engines(paths, runs)
    if "cold" in sections:
        first = next(p for p in sorted(Path(paths[0]).iterdir()) if p.is_file())
        results["cold_start"] = {"page": str(first.relative_to(data)), "seconds": bench_cold(str(first), max(runs, 3))}
    if "store" in sections:
        results["store"] = bench_store(data, runs, args.quick, cache, work, args.max_articles)
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    (work / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report.markdown(results), encoding="utf-8")
    print(f"wrote {out} ({results['total_seconds']} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
