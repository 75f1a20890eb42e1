"""Hand-made articles for tests and benchmarks of the store, clustering and
search, with entities, meetings and quotes filled in as the later pipeline
stages would.

`sample_processor` stands in for the NLP pipeline: it reads pages whose
text is a JSON description of an article (see `article_from_spec`), so
ingest can be exercised end to end without the models.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from typing import Any

from newsgraph.model import Article, Entity, ErrorRecord, Meeting, Mention, Page, Participant, Quote, content_id


def entity(eid: str, name: str, forms: Iterable[str], kind: str = "PER", lemma: str | None = None,
           body: str = "") -> Entity:
    """An entity with one mention per surface form (offsets found in `body` when present)."""
    forms = list(forms)
    mentions = []
    for form in forms:
        start = body.find(form) if body else -1
        start = max(start, 0)
        mentions.append(Mention(text=form, start=start, end=start + len(form), lemma=lemma or forms[0], type=kind))
    return Entity(id=eid, type=kind, lemma=lemma or forms[0], name=name, mentions=mentions)


def meeting(participants: Iterable[tuple[str, str]], date: str | None = None, basis: str | None = None,
            place: dict[str, Any] | None = None, cameo: str = "040", kind: str = "meeting",
            topics: Iterable[str] = (), status: str = "happened") -> Meeting:
    return Meeting(
        participants=[Participant(id=pid, name=name) for pid, name in participants],
        kind=kind, cameo=cameo, evidence=[(0, 10)], place=place, date=date, date_basis=basis, topics=list(topics),
        planned=status != "happened", status=status,
    )


def article(title: str, body: str, language: str = "uk", published: str | None = None, origin: str | None = None,
            entities: Iterable[Entity] = (), meetings: Iterable[Meeting] = (), quotes: Iterable[Quote] = (),
            topics: Iterable[str] = (), outlet: str | None = None, url: str | None = None) -> Article:
    origin = origin or f"sample/{content_id(title, body)}.txt"
    return Article(
        id=content_id(origin.rsplit("/", 1)[-1], title, body), origin=origin, body=body, url=url, outlet=outlet,
        language=language, title=title, published=published, entities=list(entities), meetings=list(meetings),
        quotes=list(quotes), topics=list(topics),
    )


def article_from_spec(spec: dict[str, Any], origin: str) -> Article:
    """An article from a JSON-able spec: title, body, language, published,
    outlet, topics, entities [[id, name, [forms], type]], meetings
    [{"participants": [[id, name]], "date", "basis", "place"}]."""
    body = spec["body"]
    return article(
        spec.get("title", ""), body, spec.get("language", "uk"), spec.get("published"), origin,
        entities=[entity(e[0], e[1], e[2], e[3] if len(e) > 3 else "PER", body=body) for e in spec.get("entities", [])],
        meetings=[
            meeting([tuple(p) for p in m["participants"]], m.get("date"), m.get("basis"), m.get("place"))
            for m in spec.get("meetings", [])
        ],
        quotes=[Quote(text=q, start=0, end=len(q)) for q in spec.get("quotes", [])],
        topics=spec.get("topics", []), outlet=spec.get("outlet"), url=spec.get("url"),
    )


def sample_processor(pages: list[Page], delay: float = 0.0) -> Iterator[Article | ErrorRecord]:
    """The pipeline's contract (one record per page, in order) for JSON spec pages."""
    for page in pages:
        if delay:
            time.sleep(delay)
        try:
            yield article_from_spec(json.loads(page.text), page.origin)
        except (ValueError, KeyError, TypeError) as exc:
            yield ErrorRecord(origin=page.origin, error=f"{type(exc).__name__}: {exc}")


def slow_processor(pages: list[Page]) -> Iterator[Article | ErrorRecord]:
    return sample_processor(pages, delay=0.1)
