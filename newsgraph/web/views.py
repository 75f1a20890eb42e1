"""What each page shows, as plain JSON-able dicts: the JSON API returns
them as they are and the HTML templates render the same dicts, so a page
and its JSON twin never disagree."""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations
from typing import Any

from newsgraph.model import meeting_status
from newsgraph.store.base import Store
from newsgraph.web import queries as q
from newsgraph.web.markup import entity_type

MAX_GRAPH_NODES = 50  # the busiest participants: more do not fit a readable network on one screen


def topic_label(topic_id: str, lang: str) -> str:
    from newsgraph.events.topics import label

    try:
        return label(topic_id, lang)
    except Exception:  # noqa: BLE001 - a broken user taxonomy must not break a page
        return topic_id


def topics(ids: list[str], lang: str) -> list[dict[str, str]]:
    return [{"id": t, "label": topic_label(t, lang)} for t in ids]


def resolve_entity_ids(store: Store, text: str) -> list[str]:
    """Entity ids for an id, a name or any inflected form (store aliases),
    plus knowledge-base matches."""
    from newsgraph.search import resolve_entities

    text = text.strip()
    found = list(resolve_entities(store, text))
    for entry in q.kb().lookup(text):
        if entry.id not in found:
            found.append(entry.id)
    if q.kb().get(text) is not None and text not in found:
        found.append(text)
    return found


def facets(store: Store, lang: str) -> dict[str, Any]:
    conn = store.db
    return {
        "languages": [{"id": code, "n": n} for code, n in q.language_counts(conn)],
        "topics": [{"id": t, "label": topic_label(t, lang), "n": n} for t, n in q.topic_counts(conn)],
    }


# -- stories -----------------------------------------------------------------


def _story_summary(story: dict[str, Any], names: dict[str, dict], story_topics: list[str], lang: str) -> dict[str, Any]:
    return {
        **{k: story[k] for k in ("id", "title", "title_article_id", "first_seen", "last_seen", "dated",
                                 "n_articles", "languages", "outlets")},
        "n_outlets": len(story["outlets"]),
        "n_languages": len(story["languages"]),
        "entities": [names[e] for e in story["entities"] if e in names],
        "topics": topics(story_topics, lang),
    }


def stories(store: Store, lang: str, *, language: str | None, topic: str | None, entity: str | None,
            limit: int, offset: int) -> dict[str, Any]:
    conn = store.db
    entity_ids = resolve_entity_ids(store, entity) if entity else None
    rows, total = q.list_stories(conn, language=language, topic=topic, entity_ids=entity_ids, limit=limit,
                                 offset=offset)
    names = q.entity_names(conn, (e for s in rows for e in s["entities"]), lang)
    story_topics = q.story_topics(conn, [s["id"] for s in rows])
    return {
        "stories": [_story_summary(s, names, story_topics.get(s["id"], []), lang) for s in rows],
        "total": total, "limit": limit, "offset": offset,
        "filters": {"language": language, "topic": topic, "entity": entity},
        "entity_ids": entity_ids,
    }


def story(store: Store, story_id: str, lang: str) -> dict[str, Any] | None:
    conn = store.db
    found = q.get_story(conn, story_id)
    if found is None:
        return None
    names = q.entity_names(conn, found["entities"], lang)
    members = q.story_articles(conn, story_id)
    titles = {a["id"]: a for a in members}
    missing = {a["duplicate_of"] for a in members if a["duplicate_of"] and a["duplicate_of"] not in titles}
    titles.update(q.article_titles(conn, missing))
    articles = []
    for a in members:
        original = titles.get(a["duplicate_of"]) if a["duplicate_of"] else None
        articles.append({**a, "duplicate_title": original["title"] if original else None})
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for a in articles:
        groups.setdefault((a["language"] or "", a["outlet"] or ""), []).append(a)
    events = event_views(store, q.events_by_ids(conn, q.story_event_ids(conn, story_id)), lang)
    return {
        "story": _story_summary(found, names, q.story_topics(conn, [story_id]).get(story_id, []), lang),
        "articles": articles,
        "groups": [{"language": lang_ or None, "outlet": outlet or None, "articles": members}
                   for (lang_, outlet), members in sorted(groups.items())],
        "events": events,
    }


# -- events ------------------------------------------------------------------


def _value(field: Any) -> Any:
    return field.get("value") if isinstance(field, dict) else field


def _place(value: Any) -> dict[str, Any] | None:
    if isinstance(value, dict):
        name = value.get("name") or value.get("id")
        return {"id": value.get("id"), "name": str(name) if name else None}
    return {"id": None, "name": str(value)} if value else None


def _people(people: Any, names: dict[str, dict]) -> list[dict[str, Any]]:
    result = []
    for person in people or []:
        if not isinstance(person, dict):
            continue
        pid = person.get("id") or None
        known = names.get(pid) if pid else None
        role = person.get("role")
        result.append({
            "key": person.get("key") or pid or f"name:{person.get('name') or ''}",
            "id": pid, "name": (known or {}).get("name") or person.get("name") or pid or "?",
            "type": (known or {}).get("type") or "PER",
            "role": role if isinstance(role, str) else None,
        })
    return result


def event_countries(data: dict[str, Any]) -> list[str]:
    """ISO codes of the place's country and the participants' countries (KB)."""
    codes = []
    place = _value(data.get("place"))
    if isinstance(place, dict):
        codes.append(q.entity_country(place.get("id")) or place.get("country"))
    for person in data.get("participants") or []:
        if isinstance(person, dict):
            codes.append(q.entity_country(person.get("id")))
    return sorted({c for c in codes if isinstance(c, str) and c})


def event_views(store: Store, events: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Merged events ready to show: names in `lang`, sources with titles."""
    conn = store.db
    ids, article_ids = set(), set()
    for event in events:
        data = event["data"]
        for person in [*(data.get("participants") or []), *(data.get("delegation") or [])]:
            if isinstance(person, dict) and person.get("id"):
                ids.add(person["id"])
        place = _value(data.get("place"))
        if isinstance(place, dict) and place.get("id"):
            ids.add(place["id"])
        article_ids.update(s.get("article_id") for s in data.get("sources") or [] if isinstance(s, dict))
    names = q.entity_names(conn, ids, lang)
    titles = q.article_titles(conn, article_ids)
    result = []
    for event in events:
        data = event["data"]
        place = _place(_value(data.get("place")))
        if place and place["id"] in names:
            place["name"] = names[place["id"]]["name"]
        sources = []
        for s in data.get("sources") or []:
            if not isinstance(s, dict):
                continue
            meta = titles.get(s.get("article_id")) or {}
            dated = meta.get("date_basis", "published") == "published"  # else the day is the ingest day
            sources.append({
                "article_id": s.get("article_id"), "title": meta.get("title"), "outlet": s.get("outlet"),
                "language": s.get("language"), "day": (s.get("published_day") or meta.get("day")) if dated else None,
                "url": s.get("url"),
            })
        date = data.get("date") if isinstance(data.get("date"), dict) else {}
        result.append({
            "id": event["id"],
            "date": _value(data.get("date")) or event["date"],
            "date_basis": date.get("basis"),
            "kind": _value(data.get("kind")),
            "cameo": _value(data.get("cameo")),
            "place": place,
            "planned": event["planned"],
            "status": meeting_status(data),
            "participants": _people(data.get("participants"), names),
            "delegation": _people(data.get("delegation"), names),
            "topics": topics([_value(t) for t in data.get("topics") or [] if _value(t)], lang),
            "countries": event_countries(data),
            "languages": data.get("languages") or [],
            "n_sources": event["n_sources"],
            "sources": sources,
        })
    return result


def graph(events: list[dict[str, Any]], focus: str | None = None) -> dict[str, Any]:
    """Who met whom in these events: a node per participant, an edge per
    pair that met, weighted by how many times."""
    seen: Counter = Counter()
    people: dict[str, dict[str, Any]] = {}
    pairs: Counter = Counter()
    for event in events:
        if event["status"] != "happened":  # planned or called off: they have not met
            continue
        keys = []
        for person in event["participants"]:
            if person["key"] not in keys:
                keys.append(person["key"])
                people.setdefault(person["key"], person)
                seen[person["key"]] += 1
        pairs.update(tuple(sorted(p)) for p in combinations(keys, 2))
    kept = {k for k, _ in seen.most_common(MAX_GRAPH_NODES)}
    if focus and focus in seen:
        kept.add(focus)
    nodes = [
        {"id": key, "label": people[key]["name"], "entity_id": people[key]["id"],
         "type": entity_type(people[key]["type"]), "events": seen[key], "focus": key == focus}
        for key in sorted(kept)
    ]
    edges = [{"source": a, "target": b, "weight": n} for (a, b), n in sorted(pairs.items()) if a in kept and b in kept]
    return {"nodes": nodes, "edges": edges, "people": len(seen)}


def timeline(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One point per dated event, oldest first. An event whose only date
    is the day its undated article was ingested has no known date: left out."""
    points = []
    for event in events:
        day = str(event["date"] or "")[:10]
        if len(day) >= 7 and event.get("date_basis") != "ingested":
            label = " – ".join(p["name"] for p in event["participants"][:4])
            points.append({"id": event["id"], "date": day, "label": label,
                           "place": (event["place"] or {}).get("name"), "n_sources": event["n_sources"]})
    return sorted(points, key=lambda p: (p["date"], p["id"]))


def _country_code(text: str) -> str | None:
    text = text.strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    for entry in q.kb().lookup(text):
        if entry.type == "LOC" and entry.kind == "country" and entry.country:
            return entry.country
    return None


def meetings(store: Store, lang: str, *, participant: str | None, country: str | None, topic: str | None,
             place: str | None, date_from: str | None, date_to: str | None, limit: int, offset: int) -> dict[str, Any]:
    """Merged meetings matching the filters, newest first, with their
    network and timeline. Participant and dates are filtered in SQL; place,
    country and topic on the decoded records (bounded scan)."""
    from newsgraph.stories.terms import normalise

    conn = store.db
    keys = None
    if participant:
        keys = resolve_entity_ids(store, participant) + [f"name:{normalise(participant)}"]
    code = _country_code(country) if country else None
    place_ids = set(resolve_entity_ids(store, place)) if place else set()
    place_norm = normalise(place) if place else None

    def wanted(event: dict[str, Any]) -> bool:
        data = event["data"]
        if topic and topic not in {_value(t) for t in data.get("topics") or []}:
            return False
        if country and code not in event_countries(data):
            return False
        if place:
            where = _value(data.get("place"))
            where_id = where.get("id") if isinstance(where, dict) else None
            where_name = where.get("name") if isinstance(where, dict) else where
            if where_id not in place_ids and normalise(str(where_name or "")) != place_norm:
                return False
        return True

    sql_only = not (topic or country or place)
    if sql_only:  # the page straight from SQL, counted there
        matched = list(q.scan_events(conn, participant_keys=keys, date_from=date_from, date_to=date_to,
                                     limit=limit, offset=offset))
        total = q.count_events(conn, participant_keys=keys, date_from=date_from, date_to=date_to)
    else:  # filtered on the decoded records: a bounded scan, newest first
        matched, total = [], 0
        for event in q.scan_events(conn, participant_keys=keys, date_from=date_from, date_to=date_to):
            if wanted(event):
                if offset <= total < offset + limit:
                    matched.append(event)
                total += 1
    shown = event_views(store, matched, lang)
    return {
        "meetings": shown, "total": total, "limit": limit, "offset": offset,
        "filters": {"participant": participant, "country": country, "topic": topic, "place": place,
                    "date_from": date_from, "date_to": date_to},
        "graph": graph(shown),
        "timeline": timeline(shown),
    }


# -- articles ----------------------------------------------------------------


def _display(names: dict[str, dict], entity_id: str | None, fallback: str) -> str:
    return (names.get(entity_id) or {}).get("name") or fallback


def _quote(quote: Any) -> dict[str, Any]:
    speaker = quote.speaker if isinstance(quote.speaker, dict) else None
    return {"text": quote.text, "start": quote.start, "end": quote.end,
            "speaker": {"id": speaker.get("id"), "name": speaker.get("name")} if speaker else None}


def _meeting(meeting: Any, names: dict[str, dict], lang: str) -> dict[str, Any]:
    people = [{"id": p.id or None, "name": _display(names, p.id, p.name), "role": p.role} for p in meeting.participants]
    return {"participants": people, "kind": meeting.kind, "cameo": meeting.cameo, "date": meeting.date,
            "date_basis": meeting.date_basis, "place": _place(meeting.place), "planned": meeting.planned,
            "status": meeting.status,
            "topics": topics(meeting.topics, lang), "evidence": [list(e) for e in meeting.evidence]}


ARTICLE_FIELDS = ("id", "url", "outlet", "language", "title", "published", "day", "date_basis", "version",
                  "story_id", "duplicate_of")


def article(store: Store, article_id: str, lang: str) -> dict[str, Any] | None:
    conn = store.db
    meta = q.article_meta(conn, article_id)
    found = store.get_article(article_id) if meta else None
    if found is None:
        return None
    names = q.entity_names(conn, [e.id for e in found.entities], lang)
    entities = sorted(
        ({"id": e.id, "name": _display(names, e.id, e.name), "type": entity_type(e.type), "mentions": len(e.mentions)}
         for e in found.entities),
        key=lambda e: (-e["mentions"], e["name"]),
    )
    story = q.get_story(conn, meta["story_id"]) if meta["story_id"] else None
    reprinted = meta["duplicate_of"]
    original = q.article_titles(conn, [reprinted]).get(reprinted) if reprinted else None
    rid = store.article_row(article_id=article_id).rid
    event_ids = [row.event_id for row in store.meeting_rows(rid=rid) if row.event_id]
    return {
        "article": {**{k: meta[k] for k in ARTICLE_FIELDS}, "is_latest": bool(meta["is_latest"]), "body": found.body,
                    "topics": topics(found.topics, lang)},
        "story": {"id": story["id"], "title": story["title"]} if story else None,
        "duplicate_of": original,
        "entities": entities,
        "mentions": [{"entity_id": e.id, "start": m.start, "end": m.end, "text": m.text, "type": entity_type(e.type)}
                     for e in found.entities for m in e.mentions],
        "quotes": [_quote(x) for x in found.quotes],
        "meetings": [_meeting(m, names, lang) for m in found.meetings],
        "events": event_views(store, q.events_by_ids(conn, event_ids), lang),
        "_article": found,  # for the HTML page's highlighting; not part of the JSON
    }


# -- entities ----------------------------------------------------------------


QID = re.compile(r"^Q[1-9]\d*$")
MAX_ENTITY_EVENTS = 200


def _names(conn, entity_id: str, entry: Any, stored_name: str | None) -> dict[str, list[str]]:
    """language -> names: the knowledge base's first, then the lemmas seen in articles."""
    names: dict[str, list[str]] = {code: list(entry.names.get(code, ())) for code in ("uk", "ru", "en")} if entry else {}
    for code, lemma in q.entity_lemmas(conn, entity_id).items():
        if lemma not in names.setdefault(code, []):
            names[code].append(lemma)
    if stored_name and stored_name.isascii() and stored_name not in names.setdefault("en", []):
        names["en"].append(stored_name)
    return {code: values for code, values in names.items() if values}


def _entity_events(store: Store, entity_id: str, kind: str, lang: str) -> list[dict[str, Any]]:
    """The meetings an entity took part in and, for a place, the meetings
    held there (a union or a country can be both); newest first, undated
    ones (whose day is an ingest day) last."""
    conn = store.db
    events = event_views(store, q.events_by_ids(conn, q.entity_event_ids(conn, entity_id, MAX_ENTITY_EVENTS)), lang)
    if kind == "LOC":
        held = meetings(store, lang, participant=None, country=None, topic=None, place=entity_id, date_from=None,
                        date_to=None, limit=MAX_ENTITY_EVENTS, offset=0)["meetings"]
        events = list({e["id"]: e for e in [*events, *held]}.values())
    events.sort(key=lambda e: (str(e["date"] or ""), e["id"]), reverse=True)
    return sorted(events, key=lambda e: e["date_basis"] == "ingested")


def entity(store: Store, entity_id: str, lang: str, *, limit: int = 50, offset: int = 0) -> dict[str, Any] | None:
    conn = store.db
    row = q.entity_row(conn, entity_id)
    entry = q.kb().get(entity_id)
    if row is None and entry is None:
        return None
    row = row or {"id": entity_id, "type": entry.type, "name": entry.name("en"), "wikidata": entry.wikidata}
    kind = entity_type(row["type"])
    wikidata = row.get("wikidata") or (entry.wikidata if entry else None)
    wikidata = wikidata if wikidata and QID.match(wikidata) else None
    names = _names(conn, entity_id, entry, row["name"])
    known = {n for values in names.values() for n in values}
    country = entry.country if entry else None
    events = _entity_events(store, entity_id, kind, lang)
    return {
        "entity": {"id": entity_id, "type": kind, "stored_name": row["name"], "country": country,
                   "name": _display(q.entity_names(conn, [entity_id], lang), entity_id, row["name"]),
                   "wikidata": wikidata,
                   # the id comes from page processing: link only a real Q-id
                   "wikidata_url": f"https://www.wikidata.org/wiki/{wikidata}"
                   if wikidata and re.fullmatch(r"Q[1-9]\d*", wikidata) else None,
                   "country_name": q.country_name(country, lang) if country else None},
        "names": names,
        "forms": [f for f in q.entity_forms(conn, entity_id) if f not in known],
        "roles": {
            "kb": [{"role": r.role, "of": r.of, "of_name": q.country_name(r.of, lang), "from": r.from_, "to": r.to}
                   for r in (entry.roles if entry else ())],
            "reported": q.reported_roles(conn, entity_id),
        },
        "meetings": events,
        "graph": graph(events, focus=entity_id),
        "timeline": timeline(events),
        "quotes": q.entity_quotes(conn, entity_id),
        "articles": q.entity_articles(conn, entity_id, limit, offset),
        "n_articles": q.entity_article_count(conn, entity_id),
        "limit": limit, "offset": offset,
    }


# -- search ------------------------------------------------------------------


def search(store: Store, lang: str, *, query: str, entity: str | None, language: str | None, outlet: str | None,
           topic: str | None, date_from: str | None, date_to: str | None, limit: int) -> dict[str, Any]:
    from newsgraph.search import search as run

    hits = []
    if query.strip() or entity or topic or language or outlet or date_from or date_to:
        hits = [h.to_dict() for h in run(store, query, entity=entity, language=language, outlet=outlet, topic=topic,
                                         date_from=date_from, date_to=date_to, limit=limit)]
    for hit in hits:
        hit["highlights"] = [list(h) for h in hit["highlights"]]
    return {
        "query": query,
        "filters": {"entity": entity, "language": language, "outlet": outlet, "topic": topic,
                    "date_from": date_from, "date_to": date_to},
        "limit": limit,
        "hits": hits,
    }
