"""Evaluation of the event layer.

    newsgraph eval events --data ../shared/data [--split dev] [--entities gold|pipeline]
    python -m newsgraph.evaluate.events --data ../shared/data [--split dev] [--only factrueval|nerel|speed] [--show]

`--split dev` scores the dev splits (FactRuEval devset, NEREL dev): tune
there; the default test splits are for reporting only.

* FactRuEval-2016 Meeting facts: our meetings' participant sets against the
  gold ones, per document, matched one-to-one (greedy, best overlap first).
  With gold entities a participant is the gold coreference object (the
  entity ids are the `objN` ids the facts name, so two people sharing a
  surname stay two and organisations count as they are annotated); with
  pipeline entities it is the normalised surname (an organisation's first
  word on the gold side). Reported two ways: `exact` counts a match only
  when the two sets are equal; `partial` gives each matched pair the credit
  |ours ∩ gold| / |ours ∪ gold| (as the official 2016 scorer did). Every
  gold Meeting counts (the corpus marks future and possible ones with a
  modality); our planned meetings count as well, our negated and cancelled
  ones (status "negated"/"cancelled") do not: the devset leaves such a
  meeting unannotated ("мы не имели возможности поговорить с Виктором",
  book_448) and its modalities are only future, possible and past. The
  best 2016 system reached F1 0.24.
* NEREL v1.1: meeting-like EVENT mentions (the event's words hold a meeting
  trigger of triggers.yaml) and their participants (AGENT/PARTICIPANT_IN
  from a person or an organisation). Recall: such gold events with two or
  more participants whose trigger lies in the evidence of one of our
  meetings sharing two of them. Precision: our meetings that share two
  participants with a meeting-like gold event of the document, or one
  participant with such an event whose trigger lies in their evidence (the
  corpus often leaves one side unannotated). With pipeline entities, each of
  ours stands for the gold entity most of its mentions overlap. Negated and
  cancelled meetings are left out here too.
* Speed: CPU milliseconds per article of the event stage alone, on the
  SlavicNER documents (gold entities), best of three rounds.

`--entities gold` feeds the gold spans to the event stage (an oracle for the
entity stage); `--entities pipeline` runs the `entities` pipeline component
first, as the product does.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from newsgraph.corpora import data_dir
from newsgraph.events import analyse_article
from newsgraph.events.lexicon import triggers
from newsgraph.model import CALLED_OFF, Article, Entity
from newsgraph.morph import WORD, lemma


def _entity_stage():
    from newsgraph.pipeline import COMPONENTS, _load_components

    if "entities" not in COMPONENTS:
        _load_components()
    stage = COMPONENTS.get("entities")
    if stage is None:
        raise SystemExit("the `entities` pipeline component is not available yet; use --entities gold")
    return stage


def run_events(doc_id: str, text: str, entities: list[Entity], source: str, language: str = "ru") -> Article:
    article = Article(id=doc_id, origin=doc_id, body=text, language=language)
    if source == "pipeline":
        article = _entity_stage()(article)
    else:
        article.entities = entities
    return analyse_article(article)


def surname(entity_name: str) -> str:
    words = WORD.findall(entity_name)
    return words[-1].lower().replace("ё", "е") if words else entity_name.lower()


def scored(article: Article) -> list:
    """The meetings the figures count: two or more sides, not negated or cancelled."""
    return [m for m in article.meetings if len(m.participants) >= 2 and m.status not in CALLED_OFF]


def match_sets(ours: list[frozenset], gold: list[frozenset]) -> tuple[int, float, list[tuple[int, int]]]:
    """Greedy one-to-one matching by overlap: (exact matches, soft credit, pairs)."""
    candidates = []
    for i, o in enumerate(ours):
        for j, g in enumerate(gold):
            overlap = len(o & g)
            if overlap:
                candidates.append((overlap / len(o | g), i, j))
    candidates.sort(reverse=True)
    used_o, used_g = set(), set()
    exact, soft, pairs = 0, 0.0, []
    for score, i, j in candidates:
        if i in used_o or j in used_g:
            continue
        used_o.add(i)
        used_g.add(j)
        pairs.append((i, j))
        soft += score
        exact += ours[i] == gold[j]
    return exact, soft, pairs


def _prf(tp: float, predicted: int, gold: int) -> dict:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def evaluate_factrueval(data: str | Path | None = None, split: str = "testset", source: str = "gold", show: bool = False) -> dict:
    from newsgraph.corpora.factrueval_facts import corpus_root, load_split

    docs = load_split(corpus_root(data_dir(data)), split)
    predicted = gold_total = exact = 0
    soft = 0.0
    for doc in docs:
        article = run_events(doc.doc_id, doc.text, doc.entities, source)
        found = scored(article)
        if source == "gold":
            ours = [frozenset(p.id for p in m.participants) for m in found]
            gold = [frozenset(m.participants) for m in doc.meetings]
        else:
            # The article's own (Russian, nominative) form of each name: a KB
            # entity's display name may be English.
            lemmas = {e.id: e.lemma or e.name for e in article.entities}
            ours = [frozenset(surname(lemmas.get(p.id) or p.name) for p in m.participants) for m in found]
            gold = [frozenset(m.surnames) for m in doc.meetings]
        e, s, pairs = match_sets(ours, gold)
        predicted += len(ours)
        gold_total += len(gold)
        exact += e
        soft += s
        if show and (ours or gold):
            names = {e.id: surname(e.name) for e in doc.entities}
            print(f"{doc.doc_id}: ours {[sorted(names.get(x, x) for x in o) for o in ours]} gold {[sorted(names.get(x, x) for x in g) for g in gold]}")
    return {
        "split": split,
        "documents": len(docs),
        "gold": gold_total,
        "predicted": predicted,
        "exact": _prf(exact, predicted, gold_total),
        "partial": _prf(soft, predicted, gold_total),
    }


def meeting_like(text: str) -> bool:
    table = triggers("ru")
    return any(table.get(lemma(w, "ru")) is not None and table[lemma(w, "ru")].cls not in ("discuss", "host") for w in WORD.findall(text))


def gold_ids(ours: list[Entity], gold: list[Entity]) -> dict[str, str]:
    """Our entity id -> the gold entity most of its mentions overlap (so that
    pipeline entities can be compared with gold event participants)."""
    spans = sorted((m.start, m.end, g.id) for g in gold for m in g.mentions)
    result = {}
    for entity in ours:
        votes: dict[str, int] = {}
        for m in entity.mentions:
            for start, end, gid in spans:
                if start < m.end and m.start < end:
                    votes[gid] = votes.get(gid, 0) + 1
        if votes:
            result[entity.id] = max(votes, key=votes.get)
    return result


def evaluate_nerel(data: str | Path | None = None, split: str = "test", source: str = "gold", show: bool = False) -> dict:
    from newsgraph.corpora.nerel_events import corpus_root, load_split

    docs = load_split(corpus_root(data_dir(data)), split)
    gold_total = found = predicted = correct = 0
    for doc in docs:
        article = run_events(doc.doc_id, doc.text, doc.entities, source)
        meetings = scored(article)
        events = [e for e in doc.events if meeting_like(e.trigger.text)]
        full = [e for e in events if len(set(e.people)) >= 2]
        to_gold = gold_ids(article.entities, doc.entities) if source == "pipeline" else {}
        ours = [frozenset(to_gold.get(p.id, p.id) for p in m.participants) for m in meetings]

        def inside(event, meeting) -> bool:
            return any(s <= event.trigger.start and event.trigger.end <= e for s, e in meeting.evidence)

        for event in full:
            people = set(event.people)
            hit = any(inside(event, m) and len(people & o) >= 2 for m, o in zip(meetings, ours))
            found += hit
            if show and not hit:
                print(f"{doc.doc_id}: missed {event.trigger.text!r} {sorted(people)}")
        for meeting, o in zip(meetings, ours):
            ok = any(len(set(e.people) & o) >= 2 or (inside(e, meeting) and set(e.people) & o) for e in events)
            correct += ok
            if show and not ok:
                a, b = meeting.evidence[0]
                print(f"{doc.doc_id}: extra {sorted(o)} in {doc.text[a:b][:150]!r}")
        gold_total += len(full)
        predicted += len(meetings)
    p = correct / predicted if predicted else 0.0
    r = found / gold_total if gold_total else 0.0
    return {"split": split, "documents": len(docs), "gold": gold_total, "predicted": predicted, "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def measure_speed(data: str | Path | None = None, limit: int = 400) -> dict:
    """Milliseconds per article for the event stage alone (SlavicNER texts
    with their gold mentions as entities)."""
    from newsgraph.corpora.slavicner import load_split
    from newsgraph.model import Mention

    root = data_dir(data) / "slavicner"
    docs = load_split(root, "single_out_topic_train")[:limit]
    articles = []
    for doc in docs:
        entities: dict[str, Entity] = {}
        for m in doc.mentions:
            kind = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "EVT": "EVT", "PRO": "PRO"}.get(m.type, m.type)
            entity = entities.setdefault(m.id, Entity(m.id, kind, m.lemma, m.lemma))
            if 0 <= m.start < m.end <= len(doc.text):
                entity.mentions.append(Mention(m.text, m.start, m.end, m.lemma, kind))
        lines = doc.text.split("\n", 1)
        articles.append(Article(id=doc.doc_id, origin=doc.doc_id, body=doc.text, language=doc.language, title=lines[0], published="2020-11-05T10:00:00+02:00", entities=list(entities.values())))
    for article in articles:  # warm the caches, as a long batch would
        analyse_article(article)
    # CPU time of this process, best of three rounds: other processes on a
    # shared machine do not count.
    rounds = []
    for _ in range(3):
        start = time.process_time()
        for article in articles:
            analyse_article(article)
        rounds.append(time.process_time() - start)
    elapsed = min(rounds)
    chars = sum(len(a.body) for a in articles)
    return {"articles": len(articles), "ms_per_article": 1000 * elapsed / len(articles), "mean_chars": chars / len(articles)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=None)
    parser.add_argument("--split", choices=("test", "dev"), default="test", help="dev for tuning; test (the default) only to report")
    parser.add_argument("--dev", action="store_true", help="the same as --split dev")
    parser.add_argument("--entities", choices=("gold", "pipeline"), default="gold")
    parser.add_argument("--only", choices=("factrueval", "nerel", "speed"), default=None)
    parser.add_argument("--show", action="store_true", help="print per-document matches and misses")
    args = parser.parse_args()
    dev = args.dev or args.split == "dev"
    if args.only in (None, "factrueval"):
        r = evaluate_factrueval(args.data, "devset" if dev else "testset", args.entities, args.show)
        print(
            f"FactRuEval {r['split']} Meeting facts ({r['documents']} docs, {r['gold']} gold, {r['predicted']} ours, entities: {args.entities}):"
            f" exact P {r['exact']['precision']:.3f} R {r['exact']['recall']:.3f} F1 {r['exact']['f1']:.3f};"
            f" partial P {r['partial']['precision']:.3f} R {r['partial']['recall']:.3f} F1 {r['partial']['f1']:.3f}"
        )
    if args.only in (None, "nerel"):
        r = evaluate_nerel(args.data, "dev" if dev else "test", args.entities, args.show)
        print(
            f"NEREL {r['split']} meeting-like events ({r['documents']} docs, {r['gold']} gold with >=2 participants, {r['predicted']} ours, entities: {args.entities}):"
            f" P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}"
        )
    if args.only in (None, "speed"):
        r = measure_speed(args.data)
        print(f"event stage speed: {r['ms_per_article']:.2f} ms/article over {r['articles']} SlavicNER articles (mean {r['mean_chars']:.0f} chars)")


if __name__ == "__main__":
    main()
