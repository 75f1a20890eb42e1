"""The store on both backends (SQLite, and PostgreSQL when NEWSGRAPH_TEST_PG is
set): schema and migrations, round trips, versions, safety."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsgraph.ingest import ingest_articles
from newsgraph.model import Entity, Meeting, Mention, Quote
from newsgraph.store import open_store
from newsgraph.store import postgres, sqlite
from newsgraph.store.sqlite import fts_query
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


def test_migrations_are_numbered_and_applied_once(store_url, backend):
    folder = {"sqlite": sqlite.MIGRATIONS, "postgresql": postgres.MIGRATIONS}[backend]
    files = sorted(folder.glob("*.sql"))
    assert files and [int(f.name.split("_")[0]) for f in files] == list(range(1, len(files) + 1))
    with open_store(store_url) as store:
        assert store.schema_version() == len(files)
    with open_store(store_url) as store:  # reopening applies nothing again
        assert store.schema_version() == len(files)
        assert store.db.execute("SELECT COUNT(*) AS n FROM schema_version").fetchone()["n"] == len(files)


def test_both_dialects_have_the_same_migrations():
    assert [f.name for f in sorted(sqlite.MIGRATIONS.glob("*.sql"))] == [f.name for f in sorted(postgres.MIGRATIONS.glob("*.sql"))]


def test_sqlite_store_uses_wal(tmp_path: Path):
    open_store(tmp_path / "news.db").close()
    raw = sqlite3.connect(tmp_path / "news.db")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def integrity_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg
    except ImportError:
        return (sqlite3.IntegrityError,)
    return (sqlite3.IntegrityError, psycopg.errors.IntegrityError)


def test_foreign_keys_are_enforced(store_url):
    with open_store(store_url) as store:
        with pytest.raises(integrity_errors()):
            store.db.execute("INSERT INTO article_topics (rid, topic) VALUES (999, 'x')")


def test_open_store_urls(tmp_path: Path):
    with open_store(f"sqlite:///{tmp_path}/a.db") as store:
        assert Path(store.path) == tmp_path / "a.db"
    with open_store("sqlite://") as store:
        assert store.path == ":memory:"


def test_a_postgresql_url_opens_the_server_store(pg_url):
    with open_store(pg_url) as store:
        assert isinstance(store, postgres.PostgresStore) and store.stats()["articles"] == 0


def test_an_unreachable_server_is_a_clear_error_without_the_password():
    pytest.importorskip("psycopg")
    with pytest.raises(RuntimeError, match="cannot connect") as failure:
        open_store("postgresql://newsgraph:s3cret@127.0.0.1:1/news?connect_timeout=2")
    assert "s3cret" not in str(failure.value)


def test_article_round_trip(store_url):
    art = sample()
    with open_store(store_url) as store:
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


def test_entities_keep_a_lemma_per_language_and_every_alias(store_url):
    uk = sample()
    ru = article(
        "Умеров и Лекорню", "Рустем Умеров встретился с Себастьеном Лекорню в Брюсселе.", "ru",
        "2025-02-14T12:00:00+02:00", "pages/ru.txt",
        entities=[entity("umerov", "Rustem Umerov", ["Рустем Умеров"]),
                  entity("lecornu", "Sébastien Lecornu", ["Себастьеном Лекорню"], lemma="Себастьен Лекорню")],
    )
    with open_store(store_url) as store:
        ingest_articles([uk, ru], store)
        rows = {e["id"]: e for e in store.iter_rows("entities")}
        assert rows["lecornu"]["lemmas"] == {"uk": "Себастьян Лекорню", "ru": "Себастьен Лекорню"}
        assert {"Себастьяном Лекорню", "Себастьеном Лекорню", "Sébastien Lecornu"} <= set(rows["lecornu"]["aliases"])
        assert rows["umerov"]["n_articles"] == 2
        found = store.match_aliases(["умеров", "umerov", "рустем умєров"])
        assert found == {"умеров": {"umerov"}, "umerov": {"umerov"}, "рустем умєров": {"umerov"}}


def test_page_text_is_stored_verbatim_never_run_as_sql(store_url):
    nasty = "Robert'); DROP TABLE articles; -- \" OR 1=1 NEAR(x y) * ^ : {lemmas}"
    art = sample(body=BODY + " " + nasty)
    art.title = nasty
    with open_store(store_url) as store:
        ingest_articles([art], store)
        assert store.get_article(art.id).title == nasty
        assert store.stats()["articles"] == 1


def test_fts_query_quotes_every_phrase():
    assert fts_query([["a\"b", "c d"], ["e"]]) == '("a""b" OR "c d") AND ("e")'


def test_a_changed_page_becomes_a_new_version_and_the_old_one_is_kept(store_url):
    first = sample()
    second = sample(body=BODY + " Оновлено: додано подробиці.")
    with open_store(store_url) as store:
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


def test_the_same_article_twice_is_stored_once(store_url):
    with open_store(store_url) as store:
        report = ingest_articles([sample(), sample()], store)
        assert report.articles == 1 and report.known == 1
        assert store.stats()["articles"] == 1


def test_a_second_writer_is_refused_until_the_first_is_done(store_url):
    from newsgraph.store.base import StoreBusy

    with open_store(store_url) as first, open_store(store_url) as second:
        with first.writer_lock("ingest"):
            with pytest.raises(StoreBusy, match="ingest"):
                with second.writer_lock("ingest"):
                    pass
        with second.writer_lock("recluster"):
            assert second.stats()["articles"] == 0


def test_a_gigantic_index_text_is_stored_and_searchable(store_url):
    # 1.2 MB of distinct words: past PostgreSQL's 1 MB limit on a tsvector's
    # lexemes, which that store avoids by indexing the beginning only.
    import itertools

    from newsgraph.store.base import Filters

    letters = "абвгдежзиклмнопрстуфхцчшщьюяєіїґ"
    words = ("".join(p) for p in itertools.product(letters, repeat=5))
    text = "початок " + " ".join(itertools.islice(words, 120_000))
    assert len(text.encode()) > 1_200_000
    with open_store(store_url) as store:
        ingest_articles([sample()], store)
        rid = store.article_row(article_id=sample().id).rid
        with store.transaction():
            store.index_text(rid, text)
        (hit,) = store.search_articles([["початок"], ["ааааб"]], Filters(), 5)
        assert hit["id"] == sample().id


def test_a_failed_transaction_leaves_nothing(store_url):
    with open_store(store_url) as store:
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.add_error("x", "boom", "2025-01-01")
                raise RuntimeError("interrupted")
        assert store.stats()["errors"] == 0


@dataclass
class RicherMeeting(Meeting):
    """The events stage may add fields; the store keeps them and reads back defensively."""

    confidence: float = 0.9


def test_stage_records_are_read_defensively(store_url):
    art = sample()
    art.meetings = [RicherMeeting(participants=art.meetings[0].participants, kind="meeting", cameo="040",
                                  evidence=[(0, 5)], confidence=0.7)]
    art.entities.append(Entity(id="x", type=None, lemma=None, name=None,
                               mentions=[Mention(text="X", start=None, end=None, lemma=None)]))
    with open_store(store_url) as store:
        ingest_articles([art], store)
        (row,) = list(store.iter_rows("meetings"))
        assert row["data"]["confidence"] == 0.7
        back = store.get_article(art.id)
        assert back.meetings[0].cameo == "040" and not hasattr(back.meetings[0], "confidence")
        assert "x" in {e.id for e in back.entities}


def _df(store, key: str) -> int:
    return store.term_ids([key])[key][1]


def test_term_counts_survive_rollbacks_and_other_writers(store_url):
    """The vocabulary is cached in memory (SQLite): a rolled-back count is
    forgotten, and a count another connection committed is seen."""
    with open_store(store_url) as store:
        with store.transaction():
            first = store.term_ids(["l:зустріч", "e:umerov"], bump=True)
        assert {k: df for k, (_, df) in first.items()} == {"l:зустріч": 1, "e:umerov": 1}
        with pytest.raises(RuntimeError), store.transaction():
            assert store.term_ids(["l:зустріч", "l:new"], bump=True)["l:зустріч"][1] == 2
            raise RuntimeError("batch failed")
        with store.transaction():
            assert _df(store, "l:зустріч") == 1
            assert "l:new" not in store.term_ids(["l:new"])
        with open_store(store_url) as other, other.transaction():
            other.term_ids(["l:зустріч"], bump=True)
        with store.transaction():
            again = store.term_ids(["l:зустріч", "e:umerov"], bump=True)
        assert again["l:зустріч"] == (first["l:зустріч"][0], 3)
        assert again["e:umerov"] == (first["e:umerov"][0], 2)
    with open_store(store_url) as fresh:  # what was written, not what was cached
        assert _df(fresh, "l:зустріч") == 3 and _df(fresh, "e:umerov") == 2


def test_near_duplicate_candidates_share_the_most_buckets(store_url):
    with open_store(store_url) as store, store.transaction():
        rows = {1: [10, 11], 2: [11], 3: [12], 4: [10, 12], 5: [13], 6: [11, 12]}
        for rid, buckets in rows.items():
            store.add_buckets(rid, buckets)
        assert store.find_buckets([11, 12], 3) == [6, 1, 2]
        assert store.find_buckets([12, 13], 2) == [3, 4]
        assert store.find_buckets([12, 12, 99], 10) == [3, 4, 6]
        assert store.find_buckets([], 5) == []
