"""The SQLite store: schema and migrations, round trips, versions, safety."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsgraph.ingest import ingest_articles
from newsgraph.model import Entity, Meeting, Mention, Quote
from newsgraph.store import open_store
from newsgraph.store.sqlite import MIGRATIONS, fts_query
from newsgraph.stories.samples import article, entity, meeting

BODY = (
    "Міністр оборони України Рустем Умєров зустрівся з міністром оборони Франції Себастьяном Лекорню. "
    "Сторони обговорили виробництво боєприпасів та протиповітряну оборону."
)


def sample(body: str = BODY, origin: str = "pages/1.txt", published: str | None = "2025-02-14T11:58:00+02:00"):
    art = article(
        "Умєров і Лекорню обговорили оборону", body, "uk", published, origin,
        entities=[
            entity("umerov", "Rustem Umerov", ["Рустем Умєров"], body=body),
            entity("lecornu", "Sébastien Lecornu", ["Себастьяном Лекорню"], lemma="Себастьян Лекорню", body=body),
        ],
        meetings=[meeting([("umerov", "Умєров"), ("lecornu", "Лекорню")], "2025-02-14", "published")],
        quotes=[Quote(text="Провів продуктивну зустріч", start=0, end=26, speaker={"id": "umerov", "name": "Умєров"})],
        topics=["defence industry"],
        outlet="Example",
    )
    return art


def test_migrations_are_numbered_and_applied_once(tmp_path: Path):
    files = sorted(MIGRATIONS.glob("*.sql"))
    assert files and [int(f.name.split("_")[0]) for f in files] == list(range(1, len(files) + 1))
    db = tmp_path / "news.db"
    with open_store(db) as store:
        assert store.schema_version() == len(files)
    with open_store(db) as store:  # reopening applies nothing again
        assert store.schema_version() == len(files)
    raw = sqlite3.connect(db)
    assert raw.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == len(files)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_foreign_keys_are_enforced(tmp_path: Path):
    with open_store(tmp_path / "news.db") as store:
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            store.db.execute("INSERT INTO article_topics (rid, topic) VALUES (999, 'x')")


def test_open_store_urls(tmp_path: Path):
    with open_store(f"sqlite:///{tmp_path}/a.db") as store:
        assert Path(store.path) == tmp_path / "a.db"
    with open_store("sqlite://") as store:
        assert store.path == ":memory:"
    with pytest.raises(NotImplementedError):
        open_store("postgresql://localhost/news")


def test_article_round_trip():
    art = sample()
    with open_store(":memory:") as store:
        ingest_articles([art], store)
        back = store.get_article(art.id)
        assert back.body == art.body and back.title == art.title and back.outlet == "Example"
        assert back.published == art.published and back.topics == ["defence industry"]
        assert {e.id for e in back.entities} == {"umerov", "lecornu"}
        lecornu = next(e for e in back.entities if e.id == "lecornu")
        assert lecornu.lemma == "Себастьян Лекорню" and lecornu.mentions[0].text == "Себастьяном Лекорню"
        assert back.meetings[0].participants[0].id == "umerov" and back.meetings[0].date == "2025-02-14"
        assert back.quotes[0].speaker == {"id": "umerov", "name": "Умєров"}
        counts = store.stats()
        assert counts["articles"] == counts["stories"] == counts["events"] == 1
        assert counts["entities"] == 2 and counts["quotes"] == 1 and counts["meetings"] == 1


def test_entities_keep_a_lemma_per_language_and_every_alias():
    uk = sample()
    ru = article(
        "Умеров и Лекорню", "Рустем Умеров встретился с Себастьеном Лекорню в Брюсселе.", "ru",
        "2025-02-14T12:00:00+02:00", "pages/ru.txt",
        entities=[entity("umerov", "Rustem Umerov", ["Рустем Умеров"]),
                  entity("lecornu", "Sébastien Lecornu", ["Себастьеном Лекорню"], lemma="Себастьен Лекорню")],
    )
    with open_store(":memory:") as store:
        ingest_articles([uk, ru], store)
        rows = {e["id"]: e for e in store.iter_rows("entities")}
        assert rows["lecornu"]["lemmas"] == {"uk": "Себастьян Лекорню", "ru": "Себастьен Лекорню"}
        assert {"Себастьяном Лекорню", "Себастьеном Лекорню", "Sébastien Lecornu"} <= set(rows["lecornu"]["aliases"])
        assert rows["umerov"]["n_articles"] == 2
        found = store.match_aliases(["умеров", "umerov", "рустем умєров"])
        assert found == {"умеров": {"umerov"}, "umerov": {"umerov"}, "рустем умєров": {"umerov"}}


def test_page_text_is_stored_verbatim_never_run_as_sql():
    nasty = "Robert'); DROP TABLE articles; -- \" OR 1=1 NEAR(x y) * ^ : {lemmas}"
    art = sample(body=BODY + " " + nasty)
    art.title = nasty
    with open_store(":memory:") as store:
        ingest_articles([art], store)
        assert store.get_article(art.id).title == nasty
        assert store.stats()["articles"] == 1


def test_fts_query_quotes_every_phrase():
    assert fts_query([["a\"b", "c d"], ["e"]]) == '("a""b" OR "c d") AND ("e")'


def test_a_changed_page_becomes_a_new_version_and_the_old_one_is_kept():
    first = sample()
    second = sample(body=BODY + " Оновлено: додано подробиці.")
    with open_store(":memory:") as store:
        ingest_articles([first], store)
        ingest_articles([second], store)
        rows = {r["id"]: r for r in store.iter_rows("articles")}
        assert rows[first.id]["version"] == 1 and not rows[first.id]["is_latest"]
        assert rows[second.id]["version"] == 2 and rows[second.id]["is_latest"]
        assert rows[second.id]["previous_id"] == first.id
        assert rows[first.id]["story_id"] is None  # stories show the latest version only
        (story,) = list(store.iter_rows("stories"))
        assert story["article_ids"] == [second.id]
        # and back again: the first version is the latest once more
        ingest_articles([sample()], store)
        rows = {r["id"]: r for r in store.iter_rows("articles")}
        assert rows[first.id]["is_latest"] and not rows[second.id]["is_latest"]
        assert store.stats()["articles"] == 2 and store.stats()["stories"] == 1


def test_the_same_article_twice_is_stored_once():
    with open_store(":memory:") as store:
        report = ingest_articles([sample(), sample()], store)
        assert report.articles == 1 and report.known == 1
        assert store.stats()["articles"] == 1


def test_a_failed_transaction_leaves_nothing(tmp_path: Path):
    with open_store(tmp_path / "n.db") as store:
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.add_error("x", "boom", "2025-01-01")
                raise RuntimeError("interrupted")
        assert store.stats()["errors"] == 0


@dataclass
class RicherMeeting(Meeting):
    """The events stage may add fields; the store keeps them and reads back defensively."""

    confidence: float = 0.9


def test_stage_records_are_read_defensively():
    art = sample()
    art.meetings = [RicherMeeting(participants=art.meetings[0].participants, kind="meeting", cameo="040",
                                  evidence=[(0, 5)], confidence=0.7)]
    art.entities.append(Entity(id="x", type=None, lemma=None, name=None,
                               mentions=[Mention(text="X", start=None, end=None, lemma=None)]))
    with open_store(":memory:") as store:
        ingest_articles([art], store)
        (row,) = list(store.iter_rows("meetings"))
        assert row["data"]["confidence"] == 0.7
        back = store.get_article(art.id)
        assert back.meetings[0].cameo == "040" and not hasattr(back.meetings[0], "confidence")
        assert "x" in {e.id for e in back.entities}
