"""Summaries of the raw runs and the Markdown of bench/RESULTS.md."""

from __future__ import annotations

import statistics

STAGES = ("read", "clean", "language", "entities", "events")
TARGETS = {
    "pages_2_workers": 50.0,  # pages/s, the full pipeline with both cores
    "rss_mib": 1024.0,
    "natasha_ratio": 1.0,  # newsgraph full pipeline / natasha NER alone, on the same Russian pages
    "clustering_growth": 1.5,  # cost per article at 100k over that at 1k
    "search_p95_ms": 100.0,
}


def pipeline_run(run: dict, ru_prefixes: tuple[str, ...]) -> dict:
    """One newsgraph run: throughput overall, per stage and on the Russian pages."""
    pages = run["pages"]
    ru = [p["seconds"] for p in run["per_page"] if p["origin"].startswith(ru_prefixes)]
    ru_cpu = [p["cpu"] for p in run["per_page"] if p["origin"].startswith(ru_prefixes)]
    return {
        "pages": pages,
        "errors": run["errors"],
        "load_seconds": run["load_seconds"],
        "pages_per_second": round(pages / run["seconds"], 2),
        "pages_per_cpu_second": round(pages / run["cpu_seconds"], 2),
        "stage_ms_per_page": {s: round(1000 * run["stage_seconds"][s] / pages, 2) for s in STAGES},
        "stage_cpu_ms_per_page": {s: round(1000 * run["stage_cpu_seconds"][s] / pages, 2) for s in STAGES},
        "ru_pages": len(ru),
        "ru_pages_per_second": round(len(ru) / sum(ru), 2) if ru else None,
        "ru_pages_per_cpu_second": round(len(ru) / sum(ru_cpu), 2) if ru else None,
        "peak_rss_mib": run["peak_rss_mib"],
    }


def natasha_run(run: dict) -> dict:
    pages = run["pages"]
    return {
        "pages": pages,
        "spans": run["spans"],
        "load_seconds": run["load_seconds"],
        # the NER alone, reading excluded, as for newsgraph's Russian pages
        "pages_per_second": round(pages / sum(p["seconds"] for p in run["per_page"]), 2),
        "pages_per_cpu_second": round(pages / run["stage_cpu_seconds"]["ner"], 2),
        "peak_rss_mib": run["peak_rss_mib"],
    }


def med(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


def _runs(values) -> str:
    return ", ".join(f"{v:g}" for v in values)


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**missed**")


def markdown(results: dict) -> str:
    lines = _machine(results)
    if "pipeline" in results:
        lines += _pipeline(results)
    if "engines" in results:
        lines += _engines(results["engines"])
    if "cold_start" in results:
        cold = results["cold_start"]
        lines += ["## Cold start", "",
                  f"`newsgraph process --input-format text {cold['page']}` from a new process (wall time, "
                  "interpreter start, imports and model loading included): "
                  f"**{med(cold['seconds'])} s** median (runs: {_runs(cold['seconds'])}).", ""]
    if "store" in results:
        lines += _store(results["store"])
    lines += _targets(results)
    return "\n".join(lines) + "\n"


def _machine(results: dict) -> list[str]:
    m = results["machine"]
    libs = ", ".join(f"{k} {v}" for k, v in m["libraries"].items())
    return [
        "# Benchmark results", "",
        "Written by `make bench` (`python -m newsgraph.bench"
        + (" --quick" if results["quick"] else "") + "`); do not edit by hand. "
        f"Every figure is the median of {results['runs']} run(s) unless it says otherwise"
        + (" — **a quick smoke run: one topic, small stores, not the benchmark figures**" if results["quick"] else "")
        + f". The whole run took {results['total_seconds']:.0f} s.", "",
        "## Machine", "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; memory {m['memory_gib']} GiB; {m['os']}",
        f"- Python {m['python']}; commit {m['commit']}",
        f"- load average when the run started: {m['load_average_at_start']} (a shared machine makes wall-clock figures noisy; CPU-time figures are steadier)",
        f"- libraries: {libs}", "",
    ]


def _pipeline(results: dict) -> list[str]:
    runs = results["pipeline"]["runs"]
    first = runs[0]
    lines = [
        "## Pipeline, one process", "",
        f"The SlavicNER raw documents ({first['pages']} pages, plain text) through reading, cleaning, language, "
        "entities and events, as `newsgraph process --input-format text` runs them, in one process from cold "
        "word caches. Model loading is timed apart.", "",
        "| figure | median | runs |", "|---|---|---|",
    ]
    for key, label in (("pages_per_second", "pages/s (wall)"), ("pages_per_cpu_second", "pages per CPU-second"),
                       ("peak_rss_mib", "peak RSS, MiB"), ("load_seconds", "model loading, s")):
        values = [r[key] for r in runs]
        lines.append(f"| {label} | {med(values)} | {_runs(values)} |")
    lines += ["", "Per stage, milliseconds per page (median of runs):", "", "| stage | wall ms/page | CPU ms/page |", "|---|---|---|"]
    for stage in STAGES:
        lines.append(f"| {stage} | {med(r['stage_ms_per_page'][stage] for r in runs)} | {med(r['stage_cpu_ms_per_page'][stage] for r in runs)} |")
    lines.append("")
    lines += ["## newsgraph vs natasha's NER, Russian pages", ""]
    if not results.get("natasha_installed"):
        return lines + ["natasha is not installed (`pip install -e '.[bench]'`): this comparison was skipped.", ""]
    nat = results["pipeline"]["natasha_runs"]
    ng_ru = [r["ru_pages_per_second"] for r in runs]
    na = [r["pages_per_second"] for r in nat]
    ratios = [round(a / b, 2) for a, b in zip(ng_ru, na)]
    ng_cpu = [r["ru_pages_per_cpu_second"] for r in runs]
    na_cpu = [r["pages_per_cpu_second"] for r in nat]
    cpu_ratios = [round(a / b, 2) for a, b in zip(ng_cpu, na_cpu)]
    lines += [
        f"The {first['ru_pages']} Russian pages of the same set, in the same run: newsgraph's whole pipeline "
        "(cleaning, language, entities, events; reading excluded) against natasha's NER alone (Segmenter + "
        "NewsEmbedding + NewsNERTagger, reading excluded), each in a fresh process, runs interleaved. "
        "newsgraph runs on one thread; natasha's numpy may use more than one core, so its wall-clock pages/s "
        "can exceed its pages per CPU-second: the CPU ratio compares the work, the wall ratio the waiting.", "",
        "| figure | median | runs |", "|---|---|---|",
        f"| newsgraph full pipeline, pages/s | {med(ng_ru)} | {_runs(ng_ru)} |",
        f"| natasha NER alone, pages/s | {med(na)} | {_runs(na)} |",
        f"| ratio newsgraph / natasha | **{med(ratios)}** | {_runs(ratios)} |",
        f"| newsgraph pages per CPU-second | {med(ng_cpu)} | {_runs(ng_cpu)} |",
        f"| natasha pages per CPU-second | {med(na_cpu)} | {_runs(na_cpu)} |",
        f"| ratio per CPU-second | **{med(cpu_ratios)}** | {_runs(cpu_ratios)} |",
        f"| natasha peak RSS, MiB | {med(r['peak_rss_mib'] for r in nat)} | |",
        f"| natasha model loading, s | {med(r['load_seconds'] for r in nat)} | |", "",
    ]
    return lines


def _engines(engines: dict) -> list[str]:
    lines = ["## Engines: local process pool and Dask", ""]
    if "missing" in engines:
        return lines + [engines["missing"], ""]
    lines += [
        "The same pages through `make_processor(ENGINE, N)` in batches of 200, each configuration in a fresh "
        "process. Start-up (workers started, models loaded) is apart; efficiency = pages/s with N workers / "
        "(N x pages/s with 1 worker of the same engine). Memory: peak summed RSS of the process tree.", "",
        "| engine | workers | pages/s (median) | runs | efficiency | start-up, s | peak tree RSS, MiB |",
        "|---|---|---|---|---|---|---|",
    ]
    for engine, runs in engines.items():
        if runs and "missing" in runs[0]:
            lines.append(f"| {engine} | – | {runs[0]['missing']} | | | | |")
            continue
        one = med(r["pages_per_second"] for r in runs if r["workers"] == 1)
        for workers in sorted({r["workers"] for r in runs}):
            mine = [r for r in runs if r["workers"] == workers]
            pps = med(r["pages_per_second"] for r in mine)
            eff = round(pps / (workers * one), 2) if one else None
            lines.append(f"| {engine} | {workers} | {pps} | {_runs([r['pages_per_second'] for r in mine])} | {eff} | "
                         f"{med(r['startup_seconds'] for r in mine)} | {med(r['peak_tree_rss_mib'] for r in mine)} |")
    return lines + [""]


def _store(store: dict) -> list[str]:
    sizes = store["sizes"]
    marginal, whole = _by_window(sizes)
    small, big = marginal[0]["window"], whole[0]["window"]
    lines = [
        "## Store: ingest with clustering, and search", "",
        "**This measures storing and clustering, not the pipeline.** The BSNLP raw corpus "
        f"({store['corpus_articles']} articles; {store['corpus_note']}) is replicated with shifted dates and "
        "fresh ids (its undated articles in the first copy only: copies of them would be identical texts with no "
        "time to set them apart) and written with `ingest_articles` into one fresh SQLite store, grown to each size in turn "
        f"(one pass, {store['ingest_seconds']:.0f} s in all). Cost per article over the last articles before each "
        "size (window), all of the write: article, entities, aliases, full-text index, clustering, events. Each size "
        f"ends {big:,} articles into a copy of the corpus where the corpus is big enough (`aligned_sizes`), so a "
        "window holds the same articles at every size and only the size of the store differs. The cost at a size is "
        f"that of its last {small:,} articles (the articles added just before that size); the last {big:,} are shown "
        "too (at the first size they start from an empty store).", "",
        "| store size | window | ms/article | of which clustering | clustering, CPU ms | median batch ms/article |",
        "|---|---|---|---|---|---|",
    ]
    for s in sizes:
        lines.append(f"| {s['articles']:,} | {s['window']} | {s['ms_per_article']} | {s['clustering_ms_per_article']} | "
                     f"{s['clustering_cpu_ms_per_article']} | {s['median_batch_ms_per_article']} |")
    if sizes[-1]["articles"] < 100_000:
        lines += ["", f"**Stopped at {sizes[-1]['articles']:,} articles** (`--max-articles` or `--quick`): "
                  "the 100k figures are not in this run."]
    runs = store["search_runs"]
    lines += [
        "", f"Clustering cost (CPU time) at {marginal[-1]['articles']:,} / at {marginal[0]['articles']:,}: "
        f"**{_growth(marginal, 'clustering_cpu_ms_per_article')}x** over the last {marginal[0]['window']} articles "
        f"(wall time: {_growth(marginal, 'clustering_ms_per_article')}x; whole write, wall: "
        f"{_growth(marginal, 'ms_per_article')}x); over the last {whole[0]['window']}: "
        f"{_growth(whole, 'clustering_cpu_ms_per_article')}x (wall {_growth(whole, 'clustering_ms_per_article')}x). "
        "The ingest is one pass: these figures are from a single run.", "",
        f"Search at {sizes[-1]['articles']:,} articles: {runs[0]['queries']} queries, entity names as the articles "
        "write them (inflected forms, surnames, Latin-script names of Cyrillic-text entities), e.g. "
        + ", ".join(f"`{q}`" for q in store["search_examples"]) + f"; {runs[0]['with_hits']} of them find articles.", "",
        "| figure | median | runs |", "|---|---|---|",
        f"| p50, ms | {med(r['p50_ms'] for r in runs)} | {_runs([r['p50_ms'] for r in runs])} |",
        f"| p95, ms | **{med(r['p95_ms'] for r in runs)}** | {_runs([r['p95_ms'] for r in runs])} |",
        f"| max, ms | {med(r['max_ms'] for r in runs)} | {_runs([r['max_ms'] for r in runs])} |", "",
    ]
    return lines


def _by_window(sizes: list[dict]) -> tuple[list[dict], list[dict]]:
    """The store figures of the smallest window (the cost at each size) and of the largest."""
    windows = sorted({s["window"] for s in sizes})
    return [s for s in sizes if s["window"] == windows[0]], [s for s in sizes if s["window"] == windows[-1]]


def _growth(sizes: list[dict], key: str) -> float:
    """Cost per article at the largest store size over that at the smallest."""
    return round(sizes[-1][key] / sizes[0][key], 2)


def _targets(results: dict) -> list[str]:
    rows = []
    local = [r for r in results.get("engines", {}).get("local", []) if r.get("workers") == 2]
    if local:
        value = med(r["pages_per_second"] for r in local)
        rows.append(("full pipeline, local engine, 2 workers", f">= {TARGETS['pages_2_workers']:g} pages/s", f"{value} pages/s", value >= TARGETS["pages_2_workers"]))
    if "pipeline" in results:
        rss = med(r["peak_rss_mib"] for r in results["pipeline"]["runs"])
        rows.append(("peak RSS, one process", "< 1 GiB", f"{rss} MiB", rss < TARGETS["rss_mib"]))
        nat = results["pipeline"].get("natasha_runs")
        if nat:
            pairs = list(zip(results["pipeline"]["runs"], nat))
            ratio = med(a["ru_pages_per_second"] / b["pages_per_second"] for a, b in pairs)
            cpu = med(a["ru_pages_per_cpu_second"] / b["pages_per_cpu_second"] for a, b in pairs)
            rows.append(("newsgraph full pipeline / natasha NER alone (wall; per CPU-second)", ">= 1",
                         f"{ratio}; {cpu}", ratio >= TARGETS["natasha_ratio"]))
    if "store" in results:
        sizes, whole = _by_window(results["store"]["sizes"])
        growth = _growth(sizes, "clustering_cpu_ms_per_article")
        rows.append((f"clustering cost (CPU) at {sizes[-1]['articles']:,} / {sizes[0]['articles']:,}", "<= 1.5",
                     f"{growth} (wall {_growth(sizes, 'clustering_ms_per_article')}; over the whole first "
                     f"{whole[0]['window']}: {_growth(whole, 'clustering_cpu_ms_per_article')})",
                     growth <= TARGETS["clustering_growth"]))
        p95 = med(r["p95_ms"] for r in results["store"]["search_runs"])
        rows.append((f"search p95 at {sizes[-1]['articles']:,}", "< 100 ms", f"{p95} ms", p95 < TARGETS["search_p95_ms"]))
    lines = ["## Targets", "", "| target | wanted | measured | |", "|---|---|---|---|"]
    lines += [f"| {name} | {want} | {got} | {_verdict(ok)} |" for name, want, got, ok in rows]
    return lines + [""]
