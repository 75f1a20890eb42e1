"""Search across inflections, scripts and entity aliases, with filters, on
both store backends (FTS5 on SQLite, tsvector on PostgreSQL)."""

from __future__ import annotations

import pytest

from newsgraph.ingest import ingest_articles
from newsgraph.search import search
from newsgraph.store import open_store
from newsgraph.stories.samples import article, entity

UK = (
    "Міністр оборони України Рустем Умєров провів зустріч із французьким колегою Себастьяном Лекорню. "
    "Сторони обговорили виробництво боєприпасів. Умєрова підтримали партнери."
)
RU = (
    "Министр обороны Украины Рустем Умеров провел встречу с французским коллегой Себастьеном Лекорню. "
    "Стороны обсудили производство боеприпасов."
)
OTHER = "Лоукостер Ryanair скасував сотні рейсів через страйк пілотів у кількох країнах Європи."
LATIN = "Ukraine's defence minister Rustem Umerov met his French counterpart in Brussels."


def umerov(body: str, forms: list[str]):
    return entity("umerov-rustem", "Rustem Umerov", forms, body=body)


@pytest.fixture(scope="module")
def db(module_store_url):
    path = module_store_url
    articles = [
        article("Умєров і Лекорню обговорили оборону", UK, "uk", "2025-02-14T11:58:00+02:00", "uk.txt",
                entities=[umerov(UK, ["Рустем Умєров", "Умєрова"])], topics=["defence"], outlet="Укрінформ"),
        article("Умеров и Лекорню обсудили оборону", RU, "ru", "2025-02-15T10:00:00+02:00", "ru.txt",
                entities=[umerov(RU, ["Рустем Умеров"])], topics=["defence"], outlet="Интерфакс"),
        article("Ryanair скасував рейси", OTHER, "uk", "2025-03-01T09:00:00+02:00", "other.txt",
                entities=[entity("ryanair", "Ryanair", ["Ryanair"], "ORG", body=OTHER)], topics=["aviation"]),
        article("Umerov in Brussels", LATIN, "en", "2025-02-20T09:00:00+01:00", "en.txt",
                entities=[umerov(LATIN, ["Rustem Umerov"])]),
    ]
    ingest_articles(articles, path)
    return path


def ids(hits) -> set[str]:
    return {h.title for h in hits}


UMEROV_TITLES = {"Умєров і Лекорню обговорили оборону", "Умеров и Лекорню обсудили оборону", "Umerov in Brussels"}


@pytest.mark.parametrize("query", ["Умєровим", "Умєров", "Умеров", "Умерова", "Umerov", "umerov", "Рустема Умєрова"])
def test_any_inflection_or_script_finds_the_umerov_articles(db, query):
    assert ids(search(db, query)) == UMEROV_TITLES


def test_inflected_common_words_match_their_lemma(db):
    assert ids(search(db, "боєприпаси")) == {"Умєров і Лекорню обговорили оборону"}
    assert ids(search(db, "зустрічі")) == {"Умєров і Лекорню обговорили оборону"}
    assert ids(search(db, "рейсами")) == {"Ryanair скасував рейси"}


def test_every_word_must_match(db):
    assert ids(search(db, "Умєров боєприпаси")) == {"Умєров і Лекорню обговорили оборону"}
    assert search(db, "Умєров Ryanair") == []


def test_filters(db):
    assert ids(search(db, "Umerov", language="ru")) == {"Умеров и Лекорню обсудили оборону"}
    assert ids(search(db, "Umerov", outlet="Укрінформ")) == {"Умєров і Лекорню обговорили оборону"}
    assert ids(search(db, "", topic="aviation")) == {"Ryanair скасував рейси"}
    assert ids(search(db, "Umerov", date_from="2025-02-15", date_to="2025-02-19")) == {"Умеров и Лекорню обсудили оборону"}
    assert ids(search(db, "", entity="Умєрова")) == UMEROV_TITLES
    assert ids(search(db, "", entity="ryanair")) == {"Ryanair скасував рейси"}
    assert search(db, "", entity="nobody-at-all") == []


def test_hits_carry_a_snippet_with_highlights(db):
    (hit,) = search(db, "боєприпасів")
    assert "[боєприпасів]" in hit.snippet
    body = UK
    assert all(body[s:e].lower().startswith("боєприпас") for s, e in hit.highlights)
    assert hit.language == "uk" and hit.day == "2025-02-14" and hit.story_id


def test_ranking_puts_the_better_match_first(db):
    hits = search(db, "Умєров")
    assert hits[0].score >= hits[-1].score
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize("query", ['"', "a OR b", "NEAR(x y)", "*", "^умєров", "lemmas:умєров", "'); DROP TABLE articles; --", "()"])
def test_user_syntax_is_never_passed_to_fts(db, query):
    search(db, query)  # no error
    with open_store(db) as store:
        assert store.stats()["articles"] == 4


def test_the_article_naming_the_word_more_often_ranks_first(store_url):
    texts = {  # "thrice" is stored first: on a tie it would come last
        "thrice": "Лекорню прибув. Лекорню виступив. Лекорню поїхав далі на переговори про оборону.",
        "once": "Уряд обговорив бюджет. Лекорню прибув до Києва на переговори про оборону.",
        "none": OTHER,
    }
    ingest_articles([article(title, body, "uk", f"2025-01-0{i + 1}", f"{title}.txt")
                     for i, (title, body) in enumerate(texts.items())], store_url)
    hits = search(store_url, "Лекорню")
    assert [h.title for h in hits] == ["thrice", "once"] and hits[0].score >= hits[1].score


def test_a_query_word_the_index_cannot_hold_matches_nothing(db):
    # "_" is a word to the query parser but no term to either full-text
    # index: the query must not quietly drop it and match on the rest.
    assert ids(search(db, "Умєров")) == UMEROV_TITLES
    assert search(db, "Умєров _") == []


def test_only_the_latest_version_is_found(store_url):
    old = article("Стара версія", "Перша версія тексту про гаубиці CAESAR.", "uk", "2025-01-01", "page.txt")
    new = article("Нова версія", "Друга версія тексту про дрони.", "uk", "2025-01-01", "page.txt")
    ingest_articles([old], store_url)
    ingest_articles([new], store_url)
    assert search(store_url, "гаубиці") == []
    assert ids(search(store_url, "дронами")) == {"Нова версія"}


def test_limit(db):
    assert len(search(db, "", limit=2)) == 2
