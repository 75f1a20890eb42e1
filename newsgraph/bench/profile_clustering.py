"""Profile story clustering at a store size: grow a fresh store with the
replicated BSNLP corpus (as the store benchmark does) to SIZE - 1,000
articles, then profile writing the last 1,000 with pyinstrument.

    python -m newsgraph.bench.profile_clustering --size 10000 --db /tmp/p.db

Summarised in bench/profile-clustering.md."""

from __future__ import annotations

import argparse
import tempfile
from datetime import UTC, datetime
from pathlib import Path

WINDOW = 1000


def main(argv: list[str] | None = None) -> None:
    from pyinstrument import Profiler

    from newsgraph.bench.__main__ import corpus_articles
    from newsgraph.bench.ingest import replicate
    from newsgraph.ingest import ingest_articles

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--db", default=None, help="a new SQLite file (default: a temporary one)")
    parser.add_argument("--data", default="../shared/data")
    args = parser.parse_args(argv)
    articles, _ = corpus_articles(Path(args.data), quick=False, cache=None)
    items = [article for _, article in replicate(articles, args.size)]
    now = datetime(2030, 1, 1, tzinfo=UTC)  # one ingest time: runs are comparable
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db or str(Path(scratch) / "profile.db")
        ingest_articles(items[:-WINDOW], db, ingested_at=now)
        profiler = Profiler(interval=0.001)
        with profiler:
            ingest_articles(items[-WINDOW:], db, ingested_at=now)
    print(profiler.output_text(unicode=False, color=False))


if __name__ == "__main__":
    main()
