"""Story clustering, near-duplicates and event merging, on hand-made articles
(entities and meetings filled in as the entity and event stages would)."""

from __future__ import annotations

import pytest

from newsgraph.ingest import ingest_articles, recluster
from newsgraph.store import open_store
from newsgraph.stories.clustering import Params, Vector
from newsgraph.stories.merge import date_rank, merge_meetings, place_rank
from newsgraph.stories.metrics import adjusted_rand, bcubed, pairwise
from newsgraph.stories.samples import article, entity, meeting

UMEROV = ("umerov-rustem", "Rustem Umerov")
LECORNU = ("lecornu-sebastien", "Sébastien Lecornu")
KALLAS = ("kallas-kaja", "Kaja Kallas")
FRANCE = ("FR", "France")

UK_BODY = (
    "Міністр оборони України Рустем Умєров провів зустріч із міністром збройних сил Франції Себастьяном Лекорню. "
    "Сторони обговорили спільне виробництво боєприпасів, посилення протиповітряної оборони та ремонт гаубиць CAESAR. "
    "Умєров подякував Франції за підтримку і зазначив, що спільні проєкти оборонної промисловості мають рухатися швидше."
)
RU_BODY = (
    "Министр обороны Украины Рустем Умеров встретился с министром вооруженных сил Франции Себастьеном Лекорню. "
    "Стороны обсудили совместное производство боеприпасов, усиление противовоздушной обороны и ремонт гаубиц CAESAR. "
    "Умеров поблагодарил Францию за поддержку и отметил, что совместные проекты оборонной промышленности должны ускориться."
)
OTHER_BODY = (
    "Лоукостер Ryanair скасував близько шестисот рейсів через страйк пілотів у Ірландії, Бельгії та Швеції. "
    "Пасажирам пропонують компенсацію або перенесення подорожі, а профспілки вимагають нових колективних договорів. "
    "Авіакомпанія заявила, що переговори з пілотами тривають, але нових дат страйків поки не оголошено."
)


def _uk(published: str, origin: str = "uk/1.txt", body: str = UK_BODY, **kw):
    return article(
        "Умєров і Лекорню обговорили спільні оборонні проєкти", body, "uk", published, origin,
        entities=[
            entity(UMEROV[0], UMEROV[1], ["Рустем Умєров", "Умєров"], body=body),
            entity(LECORNU[0], LECORNU[1], ["Себастьяном Лекорню"], lemma="Себастьян Лекорню", body=body),
            entity(FRANCE[0], FRANCE[1], ["Франції"], "LOC", lemma="Франція", body=body),
        ],
        **kw,
    )


def _ru(published: str, origin: str = "ru/1.txt", **kw):
    return article(
        "Умеров и Лекорню обсудили совместные оборонные проекты", RU_BODY, "ru", published, origin,
        entities=[
            entity(UMEROV[0], UMEROV[1], ["Рустем Умеров", "Умеров"], body=RU_BODY),
            entity(LECORNU[0], LECORNU[1], ["Себастьеном Лекорню"], lemma="Себастьен Лекорню", body=RU_BODY),
            entity(FRANCE[0], FRANCE[1], ["Франции"], "LOC", lemma="Франция", body=RU_BODY),
        ],
        **kw,
    )


def _other(published: str, origin: str = "uk/other.txt"):
    return article(
        "Ryanair скасував сотні рейсів через страйк", OTHER_BODY, "uk", published, origin,
        entities=[entity("ryanair", "Ryanair", ["Ryanair"], "ORG", body=OTHER_BODY)],
    )


@pytest.fixture
def store(store_url):
    with open_store(store_url) as s:
        yield s


def stories_of(store) -> dict[str, str]:
    return store.story_assignment()


def test_uk_and_ru_reports_of_one_event_a_day_apart_make_one_story(store):
    uk, ru = _uk("2025-02-14T11:58:00+02:00"), _ru("2025-02-15T09:00:00+02:00")
    ingest_articles([uk, ru], store)
    assignment = stories_of(store)
    assert assignment[uk.id] == assignment[ru.id]
    (story,) = list(store.iter_rows("stories"))
    assert story["languages"] == ["ru", "uk"]
    assert story["n_articles"] == 2
    assert story["title"] == uk.title  # the earliest article titles the story
    assert set(story["entities"]) >= {UMEROV[0], LECORNU[0]}
    assert story["first_seen"].startswith("2025-02-14") and story["last_seen"].startswith("2025-02-15")


def test_same_entities_two_months_apart_make_two_stories(store):
    first, later = _uk("2025-02-14T11:58:00+02:00"), _ru("2025-04-14T11:00:00+03:00")
    ingest_articles([first, later], store)
    assignment = stories_of(store)
    assert assignment[first.id] != assignment[later.id]


def test_unrelated_articles_on_one_day_stay_apart(store):
    uk, other = _uk("2025-02-14T11:58:00+02:00"), _other("2025-02-14T12:30:00+02:00")
    ingest_articles([uk, other], store)
    assignment = stories_of(store)
    assert assignment[uk.id] != assignment[other.id]


def test_same_language_without_entities_meets_by_lemmas(store):
    # The entity stage may be absent: lemma overlap still joins two inflected reports.
    one = article("Умєров зустрівся з Лекорню", UK_BODY, "uk", "2025-02-14T10:00:00+02:00", "a.txt")
    two_body = UK_BODY.replace("провів зустріч із міністром", "зустрівся з міністром").replace("Умєров подякував", "Міністр подякував")
    two = article("Міністри оборони обговорили боєприпаси", two_body, "uk", "2025-02-14T15:00:00+02:00", "b.txt")
    ingest_articles([one, two], store)
    assignment = stories_of(store)
    assert assignment[one.id] == assignment[two.id]


def test_reprint_is_flagged_as_a_duplicate_of_the_original(store):
    original = _uk("2025-02-14T11:58:00+02:00", origin="site-a/1.txt", outlet="A")
    reprint = _uk("2025-02-14T13:00:00+02:00", origin="site-b/9.txt", outlet="B",
                  body=UK_BODY + " Читайте також інші новини.")
    ingest_articles([original, reprint], store)
    rows = {r["id"]: r for r in store.iter_rows("articles")}
    assert rows[reprint.id]["duplicate_of"] == original.id
    assert rows[original.id]["duplicate_of"] is None
    assert rows[reprint.id]["story_id"] == rows[original.id]["story_id"]
    (story,) = list(store.iter_rows("stories"))
    assert story["outlets"] == ["A", "B"]


def test_an_article_linking_two_stories_merges_them(store):
    # A (uk, one entity) and B (ru) share no lemmas and too little entity
    # evidence; a uk report with B's entities is close to both and joins them.
    a = _uk("2025-02-14T10:00:00+02:00")
    a.entities = a.entities[:1]
    b = _ru("2025-02-14T11:00:00+02:00")
    bridge = _uk("2025-02-14T12:00:00+02:00", origin="uk/2.txt",
                 body=UK_BODY.replace("Умєров подякував", "Міністр подякував") + " Подробиці згодом.")
    ingest_articles([a, b], store)
    before = stories_of(store)
    assert before[a.id] != before[b.id]
    ingest_articles([bridge], store)
    after = stories_of(store)
    assert after[a.id] == after[b.id] == after[bridge.id]
    (story,) = list(store.iter_rows("stories"))
    assert story["n_articles"] == 3 and story["title"] == a.title
    assert story["languages"] == ["ru", "uk"]


def test_recluster_reproduces_the_online_clustering(store):
    articles = [
        _ru("2025-02-15T09:00:00+02:00"), _other("2025-02-14T12:30:00+02:00"), _uk("2025-02-14T11:58:00+02:00"),
        _uk("2025-04-20T11:58:00+03:00", origin="uk/late.txt"), _other("2025-04-20T12:00:00+03:00", origin="o2.txt"),
    ]
    ingest_articles(articles, store)
    online = stories_of(store)
    report = recluster(store)
    again = stories_of(store)
    assert report.adjusted_rand == 1.0 and adjusted_rand(online, again) == 1.0
    assert report.stories_before == report.stories_after == 4
    # the late copies are flagged as reprints but, two months on, start stories of their own
    rows = {r["id"]: r for r in store.iter_rows("articles")}
    assert rows[articles[3].id]["duplicate_of"] == articles[2].id
    assert rows[articles[3].id]["story_id"] != rows[articles[2].id]["story_id"]


def test_vector_bytes_round_trip():
    vector = Vector("uk", {3: 0.5, 1: 0.25}, {7: 1.0}, ["defence"])
    back = Vector.from_bytes(vector.to_bytes())
    assert back.language == "uk" and back.topics == ["defence"]
    assert list(back.entities) == [3, 1] and back.lemmas == {7: 1.0}


def test_candidates_come_from_the_time_window_only(store):
    # An article is never scored against articles outside +-window_days.
    early = _uk("2025-01-01T10:00:00+02:00", origin="x/1.txt")
    late = _uk("2025-01-20T10:00:00+02:00", origin="x/2.txt", body=UK_BODY + " Оновлено.")
    ingest_articles([early], store)
    ingest_articles([late], store)
    assert stories_of(store)[early.id] != stories_of(store)[late.id]
    assert Params().window_days < 19


# -- events --------------------------------------------------------------------
def _with_meeting(art, **kw):
    art.meetings = [meeting([UMEROV, LECORNU], **kw)]
    return art


def test_one_meeting_in_two_languages_is_one_event_with_merged_values(store):
    uk = _with_meeting(_uk("2025-02-14T11:58:00+02:00"), date="2025-02-14", basis="published")
    ru = _with_meeting(_ru("2025-02-15T09:00:00+02:00"), date="2025-02-13", basis="explicit",
                       place={"id": "brussels", "name": "Брюссель", "type": "city"})
    ingest_articles([uk, ru], store)
    (event,) = list(store.iter_rows("events"))
    data = event["data"]
    assert event["n_sources"] == 2 and data["languages"] == ["ru", "uk"]
    # the explicit date beats the publication-based one; a place beats none; both keep their source
    assert data["date"] == {"value": "2025-02-13", "basis": "explicit", "source": ru.id}
    assert data["place"]["value"]["id"] == "brussels" and data["place"]["source"] == ru.id
    assert {p["id"] for p in data["participants"]} == {UMEROV[0], LECORNU[0]}
    assert all(set(p["sources"]) == {uk.id, ru.id} for p in data["participants"])
    assert {s["article_id"] for s in data["sources"]} == {uk.id, ru.id}
    assert all(s["evidence"] for s in data["sources"])


def test_same_participants_two_months_apart_are_two_events(store):
    # Even in one story: the participants match, the dates do not.
    one = _with_meeting(_uk("2025-02-14T11:58:00+02:00"), date="2025-02-14", basis="explicit")
    two = _uk("2025-02-14T16:00:00+02:00", origin="uk/2.txt", body=UK_BODY + " Нагадаємо про попередню зустріч.")
    two.meetings = [meeting([UMEROV, LECORNU], date="2024-12-10", basis="explicit")]
    ingest_articles([one, two], store)
    assert len(list(store.iter_rows("events"))) == 2


def test_different_known_places_are_different_events(store):
    one = _with_meeting(_uk("2025-02-14T11:58:00+02:00"), date="2025-02-14", basis="explicit",
                        place={"id": "paris", "name": "Париж", "type": "city"})
    two = _with_meeting(_ru("2025-02-14T12:00:00+02:00"), date="2025-02-14", basis="explicit",
                        place={"id": "brussels", "name": "Брюссель", "type": "city"})
    ingest_articles([one, two], store)
    assert len(list(store.iter_rows("events"))) == 2


def test_a_different_pair_the_same_day_is_another_event(store):
    one = _with_meeting(_uk("2025-02-14T11:58:00+02:00"), date="2025-02-14", basis="explicit")
    two = _uk("2025-02-14T12:00:00+02:00", origin="uk/k.txt", body=UK_BODY + " Також відбулася розмова з Каллас.")
    two.meetings = [meeting([UMEROV, KALLAS], date="2025-02-14", basis="explicit")]
    ingest_articles([one, two], store)
    events = list(store.iter_rows("events"))
    assert len(events) == 2


def test_specificity_ranks():
    assert date_rank("2025-02-13", "explicit") > date_rank("2025-02-14", "published") > date_rank(None, None)
    assert date_rank("2025-02-13", "relative") > date_rank("2025-02-13", "publication")
    assert date_rank("2025-02-13", None) > date_rank("2025-02", None)
    assert place_rank({"name": "Брюссель", "type": "city"}) > place_rank({"name": "Бельгія", "type": "country"})
    assert place_rank({"name": "Бельгія", "type": "country"}) > place_rank(None)


def test_merge_keeps_the_earliest_report_on_ties(store):
    uk = _with_meeting(_uk("2025-02-14T11:58:00+02:00"), date="2025-02-14", basis="explicit")
    ru = _with_meeting(_ru("2025-02-14T13:00:00+02:00"), date="2025-02-15", basis="explicit")
    ingest_articles([ru, uk], store)  # ingest order does not matter: reports are ordered by time
    rows = store.meeting_rows(event_id=next(store.iter_rows("events"))["id"])
    merged = merge_meetings(rows)
    assert merged["date"]["value"] == "2025-02-14" and merged["date"]["source"] == uk.id


def test_replacing_a_version_takes_its_meetings_out_of_events(store):
    uk = _with_meeting(_uk("2025-02-14T11:58:00+02:00"), date="2025-02-14", basis="explicit")
    ingest_articles([uk], store)
    changed = _uk("2025-02-14T11:58:00+02:00", body=UK_BODY + " Оновлено: зустріч перенесено.")
    ingest_articles([changed], store)
    assert store.stats()["events"] == 0
    assert store.stats()["meetings"] == 1  # the old version's meeting is kept with it


# -- metrics -------------------------------------------------------------------
def test_metrics():
    gold = {1: "a", 2: "a", 3: "b", 4: "b"}
    assert bcubed(gold, gold) == (1.0, 1.0, 1.0)
    p, r, _ = bcubed({1: 0, 2: 0, 3: 0, 4: 0}, gold)
    assert r == 1.0 and p == 0.5
    assert pairwise({1: 0, 2: 0, 3: 1, 4: 2}, gold)[0] == 1.0
    assert adjusted_rand({1: "x", 2: "x", 3: "y", 4: "y"}, gold) == 1.0


# -- the realistic corpus --------------------------------------------------------
def test_bsnlp_stories_never_mix_topics(shared_data):
    """covid-19 and us_election_2020 share their dates (2021-01-28..02-01) and
    vocabulary: the hardest pair of topics in bsnlp-raw to keep apart."""
    from newsgraph.stories.evaluate import load

    items = [(a, t) for a, t in load(shared_data) if t in ("covid-19", "us_election_2020")]
    if not items:
        pytest.skip("bsnlp-raw not found in the shared data")
    topics = {a.id: t for a, t in items}
    with open_store(":memory:") as store:
        ingest_articles([a for a, _ in items], store, batch_size=1000)
        precision, recall, _ = bcubed(store.story_assignment(), topics)
    assert precision >= 0.97
    assert recall > 0.02  # stories are far finer than topics; some do form


# -- undated articles -------------------------------------------------------------
def test_an_undated_report_joins_its_story_and_takes_its_time(store):
    dated = _uk("2025-02-14T11:58:00+02:00")
    undated = _ru(None, origin="ru/undated.txt")
    ingest_articles([dated, undated], store)
    assignment = stories_of(store)
    assert assignment[dated.id] == assignment[undated.id]
    row = store.article_row(article_id=undated.id)
    assert row.date_basis == "ingested" and row.cluster_ts == store.article_row(article_id=dated.id).cluster_ts
    (story,) = list(store.iter_rows("stories"))
    assert story["first_seen"].startswith("2025-02-14") and story["last_seen"].startswith("2025-02-14")


def test_an_undated_report_never_bridges_stories_months_apart(store):
    february = _uk("2025-02-14T11:58:00+02:00", origin="uk/feb.txt")
    april = _uk("2025-04-14T11:58:00+03:00", origin="uk/apr.txt", body=UK_BODY + " Квітень.")
    undated = _ru(None, origin="ru/undated.txt")
    ingest_articles([february, april, undated], store)
    assignment = stories_of(store)
    assert assignment[february.id] != assignment[april.id]
    assert assignment[undated.id] in (assignment[february.id], assignment[april.id])
