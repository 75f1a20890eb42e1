"""Story clustering on the bsnlp-raw corpus, against its topic folders as
coarse story labels (no story should mix topics).

    python -m newsgraph.stories.evaluate [--entities] [--undated] [--threshold 0.3]
    python -m newsgraph.stories.evaluate --db bsnlp.db   # a real `newsgraph ingest` of bsnlp-raw/*/raw

Articles are built straight from the corpus files (header: id, language,
date, URL, then title and text) so that clustering is measured apart from
the cleaning stage. --entities adds the corpus's gold cross-lingual entity
ids (annotated/ folders; covid-19 and us_election_2020 have none) as a
stand-in for the entity stage; --undated drops the dates, as if every
article had only its ingest time. Reports B-cubed precision/recall against
the topics, the stories holding both uk and ru articles, and the agreement
between the online run (corpus order) and a recluster ((published, id)
order).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlparse

from newsgraph.model import Article, Entity, Mention, content_id

CORPUS = "bsnlp-raw"


def _annotations(path: Path) -> list[Entity]:
    """Gold mentions of one document, grouped by cross-lingual id."""
    entities: dict[str, Entity] = {}
    if not path.exists():
        return []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 4 or not parts[3].strip():
            continue
        form, lemma, kind, eid = (p.strip() for p in parts[:4])
        entity = entities.setdefault(eid, Entity(id=eid, type=kind, lemma=lemma, name=eid))
        entity.mentions.append(Mention(text=form, start=0, end=0, lemma=lemma, type=kind))
    return list(entities.values())


def load(data_dir: Path, with_entities: bool = False, dated: bool = True) -> list[tuple[Article, str]]:
    """(article, topic) for every raw document, in path order."""
    root = data_dir / CORPUS
    found = []
    for raw in sorted(root.glob("*/raw/*/*.txt")):
        topic, language = raw.parts[-4], raw.parts[-2]
        lines = raw.read_text(encoding="utf-8", errors="replace").replace("\r", "").split("\n")
        published, url = lines[2].strip() or None, lines[3].strip() or None
        title = lines[4].strip() if len(lines) > 4 else ""
        body = "\n".join(lines[5:]).strip()
        article = Article(
            id=content_id(raw.name, title, body), origin=str(raw.relative_to(root)), body=body, url=url,
            outlet=urlparse(url).netloc.removeprefix("www.") if url else None, language=language, title=title,
            published=published if dated else None,
        )
        if with_entities:
            annotated = raw.parents[2] / "annotated" / language / (raw.stem + ".out")
            article.entities = _annotations(annotated)
        found.append((article, topic))
    return found


def evaluate(data_dir: Path, with_entities: bool, dated: bool, params) -> dict:
    from newsgraph.ingest import IngestReport, Writer, recluster
    from newsgraph.store import open_store
    from newsgraph.stories.metrics import bcubed

    items = load(data_dir, with_entities, dated)
    topics = {a.id: t for a, t in items}
    store = open_store(":memory:")
    started = time.perf_counter()
    report = IngestReport()
    writer = Writer(store, report, params)
    with store.transaction():
        for article, _ in items:
            writer.write(article, _fixed_now())
    seconds = time.perf_counter() - started
    online = store.story_assignment()
    result = _scores(store, online, topics, bcubed)
    result.update(articles=len(items), ingest_seconds=round(seconds, 2), duplicates=report.duplicates)
    again = recluster(store, params)
    reclustered = _scores(store, store.story_assignment(), topics, bcubed)
    result["recluster"] = {"pairwise_f1": again.pairwise_f1, "adjusted_rand": again.adjusted_rand,
                           **{k: reclustered[k] for k in ("bcubed_precision", "bcubed_recall", "stories")}}
    store.close()
    return result


def evaluate_store(db: str) -> dict:
    """Score the stories of a store made by `newsgraph ingest .../bsnlp-raw/*/raw`
    (the real pipeline), each article labelled by the topic folder of its
    origin; then recluster a copy and compare."""
    import shutil
    import tempfile

    from newsgraph.ingest import recluster
    from newsgraph.store import open_store
    from newsgraph.stories.metrics import bcubed

    with tempfile.TemporaryDirectory() as scratch:
        copy = str(Path(scratch) / "copy.db")
        shutil.copy(db, copy)
        with open_store(copy) as store:
            topics = {}
            for row in store.iter_rows("articles"):
                parts = Path(row["origin"]).parts
                if CORPUS in parts and row.get("is_latest", True):
                    topics[row["id"]] = parts[parts.index(CORPUS) + 1]
            online = {a: s for a, s in store.story_assignment().items() if a in topics}
            result = _scores(store, online, topics, bcubed)
            again = recluster(store)
            reclustered = {a: s for a, s in store.story_assignment().items() if a in topics}
            result["articles"] = len(topics)
            result["recluster"] = {"adjusted_rand": again.adjusted_rand,
                                   **{k: v for k, v in _scores(store, reclustered, topics, bcubed).items()
                                      if k in ("bcubed_precision", "bcubed_recall", "stories")}}
    return result


def _fixed_now():
    """One ingest time for every article, so that runs are reproducible."""
    from datetime import UTC, datetime

    return datetime(2024, 1, 1, tzinfo=UTC)


def _scores(store, assignment: dict, topics: dict, bcubed) -> dict:
    precision, recall, f1 = bcubed(assignment, topics)
    languages: dict[str, set] = defaultdict(set)
    rows = {r["id"]: r for r in store.iter_rows("articles")}
    members: dict[str, list[str]] = defaultdict(list)
    for article_id, story in assignment.items():
        languages[story].add(rows[article_id]["language"])
        members[story].append(article_id)
    sizes = Counter(len(m) for m in members.values())
    mixed = [s for s, m in members.items() if len({topics[a] for a in m}) > 1]
    return {
        "bcubed_precision": round(precision, 4), "bcubed_recall": round(recall, 4), "bcubed_f1": round(f1, 4),
        "stories": len(members), "singletons": sizes.get(1, 0),
        "largest": max(len(m) for m in members.values()),
        "uk_ru_stories": sum(1 for s in languages.values() if {"uk", "ru"} <= s),
        "mixed_topic_stories": len(mixed),
    }


def main(argv: list[str] | None = None) -> None:
    from newsgraph.corpora import data_dir
    from newsgraph.stories.clustering import Params

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=None)
    parser.add_argument("--entities", action="store_true")
    parser.add_argument("--undated", action="store_true")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--undated-threshold", type=float, default=None)
    parser.add_argument("--entity-support", type=int, default=None)
    parser.add_argument("--db", default=None, help="score this SQLite store (a real ingest of bsnlp-raw) instead")
    args = parser.parse_args(argv)
    if args.db:
        print(json.dumps(evaluate_store(args.db), indent=2))
        return
    params = Params()
    if args.threshold is not None:
        params = replace(params, threshold=args.threshold)
    if args.undated_threshold is not None:
        params = replace(params, undated_threshold=args.undated_threshold)
    if args.entity_support is not None:
        params = replace(params, entity_support=args.entity_support)
    result = evaluate(data_dir(args.data), args.entities, not args.undated, params)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
