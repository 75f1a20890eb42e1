"""Exports of the store for other tools.

    export(db, what, fmt, out)

* what = articles | entities | meetings | events | quotes | stories, as
  jsonl (one object per line), csv (nested values as JSON text) or parquet
  (pyarrow, the optional extra newsgraph[parquet]; nested values as JSON
  text, lists of strings as lists);
* what = graph, format graphml: the who-met-whom network (an undirected
  edge between every two participants of an event, weighted by the number
  of events), for Gephi or networkx;
* what = events, format gdelt: tab-separated CAMEO-coded event rows with a
  header, one per pair of participants, in the GDELT 2.0 event columns.
"""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import combinations
from typing import IO, Any

from newsgraph.model import CALLED_OFF, meeting_status
from newsgraph.store import open_store
from newsgraph.store.base import TABLES, Store

FORMATS = ("jsonl", "csv", "parquet", "graphml", "gdelt")
WHAT = (*TABLES, "graph")

# Column -> kind, per table: "str", "int", "bool", "list" (of strings) or "json".
COLUMNS: dict[str, dict[str, str]] = {
    "articles": {
        "id": "str", "origin": "str", "url": "str", "outlet": "str", "aggregator": "str", "language": "str",
        "title": "str", "published": "str", "day": "str", "date_basis": "str", "version": "int",
        "is_latest": "bool", "previous_id": "str", "story_id": "str", "duplicate_of": "str", "ingested_at": "str",
        "topics": "list", "entities": "list", "warnings": "list", "body": "str",
    },
    "entities": {
        "id": "str", "type": "str", "name": "str", "wikidata": "str", "lemmas": "json", "aliases": "list",
        "n_articles": "int",
    },
    "meetings": {
        "id": "str", "article_id": "str", "idx": "int", "kind": "str", "cameo": "str", "date": "str",
        "date_basis": "str", "place": "json", "planned": "bool", "status": "str", "event_id": "str", "is_latest": "bool",
        "participants": "json", "delegation": "json", "topics": "list", "evidence": "json",
        "data": "json",  # the whole record, with any fields the events stage adds
    },
    "events": {
        "id": "str", "date": "str", "date_basis": "str", "kind": "str", "cameo": "str", "place": "json",
        "planned": "bool", "status": "str", "n_sources": "int", "participants": "json", "delegation": "json", "topics": "list",
        "languages": "list", "story_ids": "list", "sources": "json", "provenance": "json",
    },
    "quotes": {
        "id": "str", "article_id": "str", "idx": "int", "text": "str", "start": "int", "end": "int",
        "speaker_id": "str", "speaker": "json", "is_latest": "bool",
    },
    "stories": {
        "id": "str", "title": "str", "title_article_id": "str", "first_seen": "str", "last_seen": "str",
        "n_articles": "int", "languages": "list", "outlets": "list", "entities": "list", "article_ids": "list",
    },
}

GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor2Code", "Actor2Name", "Actor2CountryCode",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat", "ActionGeo_Long",
    "DATEADDED", "SOURCEURL",
)
# Goldstein scale of the CAMEO codes meetings are coded with (CAMEO 1.1b3).
GOLDSTEIN = {
    "03": 4.0, "030": 4.0, "036": 4.0, "04": 1.0, "040": 1.0, "041": 1.0, "042": 1.9, "043": 2.8,
    "044": 2.5, "045": 5.0, "046": 7.0, "05": 3.5, "050": 3.5, "051": 3.4, "057": 8.0,
}


class MissingDependency(RuntimeError):
    pass


# -- rows ------------------------------------------------------------------
def _meeting_row(row: dict[str, Any]) -> dict[str, Any]:
    data = row["data"] or {}
    row["participants"] = data.get("participants") or []
    row["delegation"] = data.get("delegation") or []
    row["topics"] = data.get("topics") or []
    row["evidence"] = data.get("evidence") or []
    row["status"] = meeting_status(data)
    return row


def _event_row(row: dict[str, Any]) -> dict[str, Any]:
    data = row.pop("data") or {}
    row["date_basis"] = (data.get("date") or {}).get("basis")
    row["status"] = meeting_status(data)
    row["participants"] = data.get("participants") or []
    row["delegation"] = data.get("delegation") or []
    row["topics"] = [t["value"] for t in data.get("topics") or []]
    row["languages"] = data.get("languages") or []
    row["sources"] = data.get("sources") or []
    row["provenance"] = {k: (data.get(k) or {}).get("source") for k in ("date", "place", "kind", "cameo")}
    row["provenance"]["topics"] = {t["value"]: t["sources"] for t in data.get("topics") or []}
    return row


def rows(store: Store, what: str) -> Iterator[dict[str, Any]]:
    shape = {"meetings": _meeting_row, "events": _event_row}.get(what, lambda r: r)
    columns = COLUMNS[what]
    for row in store.iter_rows(what):
        row = shape(row)
        yield {name: row.get(name) for name in columns}


def _flat(value: Any, kind: str) -> Any:
    """A value for a flat format (csv, parquet)."""
    if value is None:
        return None
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if kind == "list":
        return [str(v) for v in value]
    return value


# -- writers -----------------------------------------------------------------
def write_jsonl(records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(records: Iterator[dict[str, Any]], columns: dict[str, str], out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(columns))
    n = 0
    for record in records:
        row = []
        for name, kind in columns.items():
            value = _flat(record.get(name), kind)
            if kind == "list" and value is not None:
                value = json.dumps(value, ensure_ascii=False)
            row.append("" if value is None else value)
        writer.writerow(row)
        n += 1
    return n


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependency(
            "parquet export needs pyarrow: pip install 'newsgraph[parquet]' (or pip install pyarrow)"
        ) from exc
    return pyarrow, pyarrow.parquet


def write_parquet(records: Iterator[dict[str, Any]], columns: dict[str, str], out: IO[bytes], batch: int = 10_000) -> int:
    pa, pq = _pyarrow()
    types = {"str": pa.string(), "int": pa.int64(), "bool": pa.bool_(), "list": pa.list_(pa.string()), "json": pa.string()}
    schema = pa.schema([(name, types[kind]) for name, kind in columns.items()])
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        chunk: list[dict[str, Any]] = []
        for record in records:
            chunk.append({name: _flat(record.get(name), kind) for name, kind in columns.items()})
            if len(chunk) >= batch:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                n += len(chunk)
                chunk = []
        if chunk or n == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            n += len(chunk)
    return n


def who_met_whom(store: Store) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], dict[str, Any]]]:
    """Nodes (participants) and weighted edges (events they took part in together)."""
    entities = {e["id"]: e for e in store.iter_rows("entities")}
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for event in rows(store, "events"):
        if event["status"] != "happened":  # planned or called-off meetings are not "met"
            continue
        keys = []
        for person in event["participants"]:
            key = person.get("key") or person.get("id")
            if not key:
                continue
            known = entities.get(person.get("id") or "")
            node = nodes.setdefault(key, {
                "label": (known or {}).get("name") or person.get("name") or key,
                "type": (known or {}).get("type") or "", "wikidata": (known or {}).get("wikidata") or "",
                "events": 0,
            })
            node["events"] += 1
            keys.append(key)
        for a, b in combinations(sorted(set(keys)), 2):
            edge = edges.setdefault((a, b), {"weight": 0, "events": [], "first_date": None, "last_date": None})
            edge["weight"] += 1
            edge["events"].append(event["id"])
            day = event["date"] or ""
            edge["first_date"] = min(filter(None, [edge["first_date"], day]), default=None)
            edge["last_date"] = max(filter(None, [edge["last_date"], day]), default=None)
    return nodes, edges


def write_graphml(store: Store, out: IO[bytes]) -> int:
    nodes, edges = who_met_whom(store)
    ns = "http://graphml.graphdrawing.org/xmlns"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}graphml")
    keys = [
        ("label", "node", "string"), ("type", "node", "string"), ("wikidata", "node", "string"),
        ("events", "node", "int"), ("weight", "edge", "double"), ("event_ids", "edge", "string"),
        ("first_date", "edge", "string"), ("last_date", "edge", "string"),
    ]
    for name, domain, kind in keys:
        ET.SubElement(root, f"{{{ns}}}key", {"id": name, "for": domain, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, f"{{{ns}}}graph", {"id": "who-met-whom", "edgedefault": "undirected"})

    def data(parent: ET.Element, key: str, value: Any) -> None:
        ET.SubElement(parent, f"{{{ns}}}data", {"key": key}).text = str(value)

    for node_id, attrs in sorted(nodes.items()):
        node = ET.SubElement(graph, f"{{{ns}}}node", {"id": node_id})
        for key in ("label", "type", "wikidata", "events"):
            data(node, key, attrs[key])
    for n, ((a, b), attrs) in enumerate(sorted(edges.items())):
        edge = ET.SubElement(graph, f"{{{ns}}}edge", {"id": f"e{n}", "source": a, "target": b})
        data(edge, "weight", attrs["weight"])
        data(edge, "event_ids", ";".join(attrs["events"]))
        data(edge, "first_date", attrs["first_date"] or "")
        data(edge, "last_date", attrs["last_date"] or "")
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)
    return len(edges)


def _country3(code: str | None) -> str:
    """ISO alpha-2 -> the alpha-3 codes GDELT's actor country fields use."""
    if not code:
        return ""
    if len(code) == 3:
        return code.upper()
    try:
        import pycountry

        found = pycountry.countries.get(alpha_2=code.upper())
        return found.alpha_3 if found else ""
    except ImportError:  # pragma: no cover
        return ""


def _kb_countries() -> dict[str, str]:
    """Entity id -> ISO country, from the knowledge base where there is one."""
    try:
        from newsgraph.kb import load_kb
    except ImportError:
        return {}
    try:
        kb = load_kb()
    except Exception:  # noqa: BLE001 - a broken KB must not break an export
        return {}
    return {eid: getattr(e, "country", None) or "" for eid, e in getattr(kb, "entities", {}).items()}


def _actor(person: dict[str, Any] | None, entities: dict[str, dict], countries: dict[str, str]) -> tuple[str, str]:
    if not person:
        return "", ""
    known = entities.get(person.get("id") or "") or {}
    name = known.get("name") or person.get("name") or ""
    country = person.get("country") or countries.get(person.get("id") or "") or ""
    return name.upper(), _country3(country)


def gdelt_rows(store: Store) -> Iterator[dict[str, Any]]:
    entities = {e["id"]: e for e in store.iter_rows("entities")}
    countries = _kb_countries()
    articles = {a["id"]: a for a in store.iter_rows("articles") if a["is_latest"]}
    added = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    for event in rows(store, "events"):
        if event["status"] in CALLED_OFF:
            continue
        day = date.fromisoformat(event["date"][:10]) if event["date"] else None
        # CAMEO 036 "express intent to meet or negotiate" for a meeting still to come
        code = "036" if event["status"] == "planned" else (event["cameo"] or "040")
        people = event["participants"] or []
        pairs = list(combinations(people, 2)) or [(people[0] if people else None, None)]
        sources = event["sources"] or []
        outlets = {s.get("outlet") or s.get("url") or s.get("article_id") for s in sources}
        url = next((s.get("url") for s in sources if s.get("url")), None) or next(
            (articles.get(s["article_id"], {}).get("origin") for s in sources if s.get("article_id") in articles), ""
        )
        place = event["place"] if isinstance(event["place"], dict) else {}
        for n, (first, second) in enumerate(pairs):
            name1, country1 = _actor(first, entities, countries)
            name2, country2 = _actor(second, entities, countries)
            yield {
                "GLOBALEVENTID": int(event["id"][:13], 16) * 100 + n if _is_hex(event["id"]) else n,
                "SQLDATE": day.strftime("%Y%m%d") if day else "",
                "MonthYear": day.strftime("%Y%m") if day else "",
                "Year": day.year if day else "",
                "FractionDate": f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}" if day else "",
                "Actor1Code": country1, "Actor1Name": name1, "Actor1CountryCode": country1,
                "Actor2Code": country2, "Actor2Name": name2, "Actor2CountryCode": country2,
                "IsRootEvent": 1,
                "EventCode": code, "EventBaseCode": code[:3], "EventRootCode": code[:2],
                "QuadClass": _quad_class(code),
                "GoldsteinScale": GOLDSTEIN.get(code, GOLDSTEIN.get(code[:3], GOLDSTEIN.get(code[:2], ""))),
                "NumMentions": len(sources), "NumSources": len(outlets), "NumArticles": len(sources),
                "AvgTone": "",
                "ActionGeo_Type": 1 if place.get("type") == "country" else (4 if place else 0),
                "ActionGeo_FullName": place.get("name") or place.get("label") or "",
                "ActionGeo_CountryCode": place.get("country") or "",
                "ActionGeo_Lat": place.get("lat") or "",
                "ActionGeo_Long": place.get("lon") or place.get("lng") or "",
                "DATEADDED": added,
                "SOURCEURL": url or "",
            }


def _is_hex(text: str) -> bool:
    try:
        int(text, 16)
        return True
    except ValueError:
        return False


def _quad_class(code: str) -> int:
    root = int(code[:2]) if code[:2].isdigit() else 4
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def write_gdelt(store: Store, out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=GDELT_COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in gdelt_rows(store):
        writer.writerow({k: ("" if v is None else str(v).replace("\t", " ").replace("\n", " ")) for k, v in row.items()})
        n += 1
    return n


# -- entry point --------------------------------------------------------------
def check(what: str, fmt: str) -> None:
    if what == "graph" and fmt != "graphml":
        raise ValueError("the graph exports as --format graphml")
    if fmt == "graphml" and what != "graph":
        raise ValueError("graphml is for --what graph")
    if fmt == "gdelt" and what != "events":
        raise ValueError("gdelt is for --what events")
    if what not in WHAT or fmt not in FORMATS:
        raise ValueError(f"unknown export {what!r} as {fmt!r}")


def export(db: str | os.PathLike | Store, what: str, fmt: str, out: IO | str | os.PathLike) -> int:
    """Write one export to a path or an open file (binary for parquet and
    graphml, text otherwise); return the number of records (graph: edges)."""
    check(what, fmt)
    if fmt == "parquet":
        _pyarrow()  # fail before creating any file
    binary = fmt in ("parquet", "graphml")
    store = open_store(db)
    handle = None
    try:
        if isinstance(out, (str, os.PathLike)):
            handle = open(out, "wb") if binary else open(out, "w", encoding="utf-8", newline="")
            target = handle
        else:
            target = out
        if fmt == "graphml":
            return write_graphml(store, target)
        if fmt == "gdelt":
            return write_gdelt(store, target)
        records = rows(store, what)
        if fmt == "jsonl":
            return write_jsonl(records, target)
        if fmt == "csv":
            return write_csv(records, COLUMNS[what], target)
        return write_parquet(records, COLUMNS[what], target)
    finally:
        if handle is not None:
            handle.close()
        if store is not db:
            store.close()


def export_bytes(db: str | os.PathLike | Store, what: str, fmt: str) -> bytes:
    """An export in memory (for the HTTP API and tests)."""
    if fmt in ("parquet", "graphml"):
        buffer = io.BytesIO()
        export(db, what, fmt, buffer)
        return buffer.getvalue()
    text = io.StringIO()
    export(db, what, fmt, text)
    return text.getvalue().encode("utf-8")
