"""A bounded load test of the web UI and JSON API on loopback (`make load`).

    python tools/load.py --db big.db [--requests 1500] [--concurrency 8] [--max-seconds 60]

Starts `newsgraph serve` on the store on a free loopback port, builds a
fixed, seeded list of requests over a mix of pages and their JSON twins
(story feed with and without filters, story, article, entity, search,
meetings), sends them from an asyncio httpx client with a fixed number of
connections, and reports requests/s, latency percentiles (overall and per
kind) and errors. It stops sending after --max-seconds. The exit status is
1 when any request failed (not 200, or no answer) or the deadline cut the
run short. The client shares the machine with the server: the figures are
a floor for the server alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]

# kind -> weight in the mix
MIX = {
    "feed": 3, "feed_api": 3, "feed_filtered": 2, "story": 2, "story_api": 2, "article": 3, "article_api": 3,
    "entity": 2, "entity_api": 2, "search": 3, "search_api": 3, "meetings": 1, "meetings_api": 2,
}


def sample_ids(db: str, rng: random.Random, n: int = 200) -> dict[str, list[str]]:
    """Ids and words the requests draw from, read from the store."""
    conn = sqlite3.connect(f"file:{Path(db).resolve()}?mode=ro", uri=True)
    try:
        def column(sql: str) -> list[str]:
            return [row[0] for row in conn.execute(sql) if row[0]]

        found = {
            "stories": column("SELECT id FROM stories ORDER BY last_ts DESC LIMIT 2000"),
            "articles": column("SELECT id FROM articles WHERE is_latest = 1"),
            "entities": column("SELECT entity_id FROM article_entities GROUP BY entity_id ORDER BY COUNT(*) DESC LIMIT 300"),
            "languages": column("SELECT DISTINCT language FROM articles WHERE language IS NOT NULL"),
            "topics": column("SELECT DISTINCT topic FROM article_topics"),
            "names": column("SELECT e.name FROM entities e JOIN article_entities a ON a.entity_id = e.id"
                            " GROUP BY e.id ORDER BY COUNT(*) DESC LIMIT 300"),
        }
    finally:
        conn.close()
    words = [w for name in found["names"] for w in name.split() if len(w) > 3]
    found["terms"] = words or ["news"]
    return {k: rng.sample(v, min(n, len(v))) if v else [] for k, v in found.items()}


def build_requests(ids: dict[str, list[str]], n: int, rng: random.Random) -> list[tuple[str, str]]:
    """n (kind, path) pairs in a seeded order."""
    def pick(key: str, default: str = "") -> str:
        return rng.choice(ids[key]) if ids[key] else default

    makers = {
        "feed": lambda: "/",
        "feed_api": lambda: f"/api/stories?offset={rng.choice([0, 30, 60])}",
        "feed_filtered": lambda: rng.choice([f"/stories?language={pick('languages', 'uk')}",
                                             f"/api/stories?topic={quote(pick('topics', 'x'))}",
                                             f"/api/stories?entity={quote(pick('entities', 'x'), safe='')}"]),
        "story": lambda: f"/story/{pick('stories', 'none')}",
        "story_api": lambda: f"/api/story/{pick('stories', 'none')}",
        "article": lambda: f"/article/{pick('articles', 'none')}",
        "article_api": lambda: f"/api/article/{pick('articles', 'none')}",
        "entity": lambda: f"/entity/{quote(pick('entities', 'none'), safe='')}",
        "entity_api": lambda: f"/api/entity/{quote(pick('entities', 'none'), safe='')}",
        "search": lambda: f"/search?q={quote(pick('terms'))}",
        "search_api": lambda: f"/api/search?q={quote(pick('terms'))}&limit=20",
        "meetings": lambda: "/meetings",
        "meetings_api": lambda: rng.choice(["/api/meetings", f"/api/meetings?participant={quote(pick('names', 'x'))}"]),
    }
    kinds = rng.choices(list(MIX), weights=list(MIX.values()), k=n)
    return [(kind, makers[kind]()) for kind in kinds]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int) -> subprocess.Popen:
    script = Path(sys.executable).parent / "newsgraph"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "newsgraph.cli"]
    server = subprocess.Popen([*command, "serve", "--db", db, "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while True:
        if server.poll() is not None:
            raise SystemExit(f"newsgraph serve exited: {server.stderr.read()}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/facets", timeout=10).raise_for_status()
            return server
        except httpx.TransportError:
            if time.monotonic() > deadline:
                server.terminate()
                raise SystemExit("newsgraph serve did not start within 120 s") from None
            time.sleep(0.2)


async def run_load(base: str, requests: list[tuple[str, str]], concurrency: int, max_seconds: float) -> dict:
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)
    results: list[tuple[str, float, int | str]] = []  # (kind, seconds, status or error)
    started = time.perf_counter()
    deadline = started + max_seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        async def worker() -> None:
            while not queue.empty() and time.perf_counter() < deadline:
                kind, path = queue.get_nowait()
                sent = time.perf_counter()
                try:
                    response = await client.get(path)
                    await response.aread()
                    outcome: int | str = response.status_code
                except httpx.HTTPError as exc:
                    outcome = type(exc).__name__
                results.append((kind, time.perf_counter() - sent, outcome))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return {"results": results, "seconds": time.perf_counter() - started}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summarise(results: list[tuple[str, float, int | str]], seconds: float, planned: int) -> dict:
    latencies = [r[1] * 1000 for r in results]
    errors = [r for r in results if r[2] != 200]
    kinds = {}
    for kind in MIX:
        mine = [r[1] * 1000 for r in results if r[0] == kind]
        if mine:
            kinds[kind] = {"n": len(mine), "p50_ms": round(percentile(mine, 50), 1),
                           "p99_ms": round(percentile(mine, 99), 1)}
    return {
        "planned": planned, "completed": len(results), "errors": len(errors),
        "error_examples": [f"{kind}: {outcome}" for kind, _, outcome in errors[:10]],
        "seconds": round(seconds, 2), "requests_per_s": round(len(results) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(latencies, 50), 1), "p90_ms": round(percentile(latencies, 90), 1),
        "p99_ms": round(percentile(latencies, 99), 1), "max_ms": round(max(latencies, default=0.0), 1),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0, "by_kind": kinds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="big.db", help="the store to serve (default: big.db, see make demo-big)")
    parser.add_argument("--requests", type=int, default=1500, help="requests to send (default 1500)")
    parser.add_argument("--concurrency", type=int, default=8, help="connections at once (default 8)")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="stop sending after this long (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the request mix (default 1)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args()
    if not Path(args.db).exists():
        raise SystemExit(f"no store at {args.db}: build it with `make demo-big` or `newsgraph ingest ... --db {args.db}`")

    rng = random.Random(args.seed)
    requests = build_requests(sample_ids(args.db, rng), args.requests, rng)
    port = free_port()
    server = start_server(args.db, port)
    try:
        base = f"http://127.0.0.1:{port}"
        asyncio.run(run_load(base, requests[: min(50, len(requests))], 4, 30))  # warm caches and the KB
        outcome = asyncio.run(run_load(base, requests, args.concurrency, args.max_seconds))
    finally:
        server.terminate()
        server.wait(timeout=30)
    summary = summarise(outcome["results"], outcome["seconds"], len(requests))
    summary.update({"concurrency": args.concurrency, "seed": args.seed, "db": args.db, "cpus": os.cpu_count()})
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"{summary['completed']}/{summary['planned']} requests in {summary['seconds']} s "
              f"({summary['concurrency']} connections): {summary['requests_per_s']} requests/s, "
              f"p50 {summary['p50_ms']} ms, p90 {summary['p90_ms']} ms, p99 {summary['p99_ms']} ms, "
              f"max {summary['max_ms']} ms, {summary['errors']} errors")
        for kind, figures in summary["by_kind"].items():
            print(f"  {kind:14} {figures['n']:5}  p50 {figures['p50_ms']:8} ms  p99 {figures['p99_ms']:8} ms")
        for example in summary["error_examples"]:
            print(f"  error: {example}")
    if summary["errors"] or summary["completed"] < summary["planned"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
