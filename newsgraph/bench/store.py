"""Benchmark of the store: per-article ingest cost as the store grows, and
search latency.

    python -m newsgraph.bench.store --articles 100000 --db /tmp/bench.db

Generates N synthetic Ukrainian-like articles (a Zipf vocabulary, stories of
a few days each with their own words and entities, about `--per-day`
articles a day) and stores them with `ingest_articles`, the same path as
`newsgraph ingest` minus the NLP pipeline. Prints, for each slice of
`--every` articles, the mean cost per article of the whole write and of
its clustering part (indexing, candidate search, story bookkeeping), then
search latency percentiles over `--queries` queries. The text analysis
(lemmatisation) does not depend on the store's size; clustering and search
should not either.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from newsgraph.model import Article

SYLLABLES = ("ко", "ра", "ні", "ва", "ли", "то", "ма", "ре", "ди", "пе", "се", "ну", "ка", "бо", "ві", "ло", "жи", "хо")
ENDINGS = ("", "а", "и", "ом", "ів", "ою", "ий", "ого", "ість", "ння")


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        words.add(stem + rng.choice(ENDINGS))
    return sorted(words)


def zipf_weights(n: int) -> list[float]:
    return [1.0 / (rank + 1) for rank in range(n)]


def synthetic_articles(n: int, seed: int = 7, per_day: int = 300, words: int = 120) -> Iterator[Article]:
    """N articles in time order; each belongs to a story of ~10 articles over a few days."""
    from newsgraph.stories.samples import article, entity

    rng = random.Random(seed)
    vocab = vocabulary(rng, 20_000)
    weights = zipf_weights(len(vocab))
    people = [f"{rng.choice(vocab).capitalize()} {rng.choice(vocab).capitalize()}" for _ in range(3000)]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    stories: list[tuple[list[str], list[int]]] = []
    for i in range(n):
        if not stories or rng.random() < 0.1:
            stories.append((rng.sample(vocab[2000:], 25), rng.sample(range(len(people)), 3)))
            stories = stories[-60:]  # only recent stories get new articles
        topic_words, cast = rng.choice(stories)
        background = rng.choices(vocab, weights, k=int(words * 0.6))
        body_words = background + rng.choices(topic_words, k=words - len(background))
        rng.shuffle(body_words)
        names = [people[p] for p in cast]
        body = " ".join(body_words[:40]) + ". " + ", ".join(names) + ". " + " ".join(body_words[40:]) + "."
        published = start + timedelta(seconds=i * 86400 / per_day + rng.randint(0, 3600))
        yield article(
            " ".join(rng.sample(topic_words, 6)).capitalize(), body, "uk", published.isoformat(), f"bench/{i}.txt",
            entities=[entity(f"person-{p}", people[p], [people[p]], body=body) for p in cast],
            outlet=f"outlet-{rng.randint(1, 40)}",
        )


class Timers:
    """Accumulates time spent in the clustering methods of a Writer, and
    the postings read (a count that, unlike time, is free of noise)."""

    def __init__(self, writer) -> None:
        self.clustering = 0.0
        self.postings = 0
        for name in ("index", "assign"):
            method = getattr(writer.clusterer, name)
            setattr(writer.clusterer, name, self._timed(method))
        find = writer.store.find_postings

        def counted(*args, **kwargs):
            found = find(*args, **kwargs)
            self.postings += len(found)
            return found

        writer.store.find_postings = counted

    def _timed(self, method):
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.clustering += time.perf_counter() - started

        return run


def bench_ingest(store, n: int, every: int, batch: int, per_day: int) -> list[dict]:
    from newsgraph.ingest import IngestReport, Writer

    writer = Writer(store, IngestReport())
    timers = Timers(writer)
    now = datetime.now(UTC)
    slices, pending = [], []
    slice_start, clustering_start, postings_start = time.perf_counter(), 0.0, 0
    for i, art in enumerate(synthetic_articles(n, per_day=per_day), 1):
        pending.append(art)
        if len(pending) == batch or i == n:
            with store.transaction():
                for item in pending:
                    writer.write(item, now)
            pending = []
        if i % every == 0 or i == n:
            elapsed = time.perf_counter() - slice_start
            size = i - (slices[-1]["articles"] if slices else 0)
            slices.append({
                "articles": i,
                "ms_per_article": round(1000 * elapsed / size, 3),
                "clustering_ms_per_article": round(1000 * (timers.clustering - clustering_start) / size, 3),
                "postings_read_per_article": round((timers.postings - postings_start) / size, 1),
            })
            print(json.dumps(slices[-1]), flush=True)
            slice_start, clustering_start, postings_start = time.perf_counter(), timers.clustering, timers.postings
    return slices


def bench_search(store, queries: int, seed: int = 11) -> dict:
    from newsgraph.search import search

    rng = random.Random(seed)
    vocab = vocabulary(random.Random(7), 20_000)
    people = [row["name"] for row in store.iter_rows("entities")]
    latencies = []
    for q in range(queries):
        kind = q % 4
        if kind == 0:
            query, kwargs = rng.choice(vocab[:200]), {}  # a very common word
        elif kind == 1:
            query, kwargs = rng.choice(vocab[2000:]), {}  # a story word
        elif kind == 2:
            query, kwargs = rng.choice(people).split()[-1], {}  # an entity's surname
        else:
            query, kwargs = rng.choice(vocab[2000:]), {"outlet": f"outlet-{rng.randint(1, 40)}", "language": "uk"}
        started = time.perf_counter()
        search(store, query, limit=20, **kwargs)
        latencies.append(1000 * (time.perf_counter() - started))
    latencies.sort()
    return {
        "queries": queries,
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
        "max_ms": round(latencies[-1], 2),
    }


def main(argv: list[str] | None = None) -> None:
    from newsgraph.store import open_store

    parser = argparse.ArgumentParser(description="Benchmark store ingest cost and search latency.")
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--db", default=":memory:", help="store path (default: in memory)")
    parser.add_argument("--every", type=int, default=1000, help="report cost per slice of this many articles")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--per-day", type=int, default=300)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--search-only", action="store_true", help="only time search on an existing --db")
    args = parser.parse_args(argv)
    with open_store(args.db) as store:
        if not args.search_only:
            slices = bench_ingest(store, args.articles, args.every, args.batch, args.per_day)
            # The first slice starts from an empty store, whose time window is
            # still filling up: compare the second slice with the last.
            first, last = slices[min(1, len(slices) - 1)], slices[-1]
            print(json.dumps({
                "compared": [first["articles"], last["articles"]],
                "clustering_growth": round(last["clustering_ms_per_article"] / first["clustering_ms_per_article"], 2),
                "write_growth": round(last["ms_per_article"] / first["ms_per_article"], 2),
                "postings_growth": round(last["postings_read_per_article"] / first["postings_read_per_article"], 2),
            }))
        print(json.dumps({"search": bench_search(store, args.queries), "stats": store.stats()}))


if __name__ == "__main__":
    main()
