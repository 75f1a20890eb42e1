"""Dates resolved against the publication date (newsgraph.events.dates)."""

from __future__ import annotations

import pytest

from newsgraph.events.dates import find_dates, publication_date

FRIDAY = "2025-04-11T21:32:00+03:00"  # a Friday
WEDNESDAY = "2025-03-12T09:00:00+02:00"


def first(text: str, lang: str = "uk", published=FRIDAY, future: bool = False):
    found = find_dates(text, lang, published, future=future)
    return (found[0].date, found[0].basis) if found else None


def test_publication_date_is_the_local_date_written():
    assert publication_date("2025-02-14T23:58:00+02:00").isoformat() == "2025-02-14"
    assert publication_date(None) is None
    assert publication_date("not a date") is None


@pytest.mark.parametrize(
    "text,lang,expected",
    [
        ("Зустріч відбулася у п'ятницю.", "uk", "2025-04-11"),  # the publication day is a Friday
        ("Зустріч відбулася у п’ятницю.", "uk", "2025-04-11"),  # typographic apostrophe
        ("Зустріч відбулася в понеділок.", "uk", "2025-04-07"),
        ("Встреча прошла в четверг.", "ru", "2025-04-10"),
        ("The talks took place on Saturday.", "en", "2025-04-05"),
        ("Минулої п'ятниці вони говорили телефоном.", "uk", "2025-04-04"),
    ],
)
def test_weekdays_are_the_most_recent_such_day(text, lang, expected):
    assert first(text, lang) == (expected, "relative")


def test_weekday_of_a_planned_event_looks_forward():
    assert first("Вони зустрінуться у понеділок.", published=FRIDAY, future=True) == ("2025-04-14", "relative")


@pytest.mark.parametrize(
    "text,lang,offset_date",
    [
        ("Вчора міністри провели переговори.", "uk", "2025-04-10"),
        ("Вчера министры провели переговоры.", "ru", "2025-04-10"),
        ("Yesterday the ministers met.", "en", "2025-04-10"),
        ("Сьогодні прем'єр зустрівся з послом.", "uk", "2025-04-11"),
        ("Сегодня премьер встретился с послом.", "ru", "2025-04-11"),
        ("Позавчора вони розмовляли.", "uk", "2025-04-09"),
    ],
)
def test_days_relative_to_publication(text, lang, offset_date):
    assert first(text, lang) == (offset_date, "relative")


@pytest.mark.parametrize("text,lang", [("Минулого тижня вони зустрілися.", "uk"), ("На прошлой неделе они встретились.", "ru"), ("They met last week.", "en")])
def test_week_expressions_keep_the_date_unknown(text, lang):
    assert first(text, lang) == (None, "relative")


def test_day_and_month_take_the_nearest_year_before_publication():
    assert first("12 березня сторони підписали угоду.", published=WEDNESDAY) == ("2025-03-12", "explicit")
    assert first("28 грудня сторони підписали угоду.", published=WEDNESDAY) == ("2024-12-28", "explicit")
    assert first("12 марта стороны подписали соглашение.", "ru", WEDNESDAY) == ("2025-03-12", "explicit")
    assert first("On March 20 they met.", "en", WEDNESDAY) == ("2024-03-20", "explicit")


def test_explicit_dates():
    assert first("Угоду підписали 3 травня 2024 року.") == ("2024-05-03", "explicit")
    assert first("Соглашение подписано 03.05.2024.", "ru") == ("2024-05-03", "explicit")
    assert first("The deal was signed on 2024-05-03.", "en") == ("2024-05-03", "explicit")


def test_without_publication_date_relative_dates_are_unknown():
    assert first("Вчора вони зустрілися.", published=None) == (None, "relative")
    assert first("12 березня вони зустрілися.", published=None) == (None, "explicit")
    assert first("Угоду підписали 3 травня 2024 року.", published=None) == ("2024-05-03", "explicit")


def test_not_dates():
    assert find_dates("13 громад залишились без світла, 1 хв читати", "uk", FRIDAY) == []
    assert find_dates("Окружающая среда страдает от войны.", "ru", FRIDAY) == []


def test_offsets_point_into_the_text():
    text = "Про це стало відомо у п'ятницю."
    found = find_dates(text, "uk", FRIDAY, offset=100)
    assert [(d.start - 100, d.end - 100) for d in found] == [(text.index("п'ятницю"), len(text) - 1)]
