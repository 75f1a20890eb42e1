"""The text-dump cleaner on hostile text: it always returns an Article
whose body is made of the page's own lines, never raises."""

from __future__ import annotations

from fuzz_inputs import FUZZ, mixed_encodings, mutated, tried
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.clean import clean_page
from newsgraph.clean.features import normalise
from newsgraph.clean.lines import keep_mask
from newsgraph.model import Article, Page
from newsgraph.readers.decode import DecodeError, decode, storable

# Lines of words, digits, dates, URLs, markers and odd characters: what dumps are made of.
PIECES = st.sampled_from(
    [
        "Фото: AFP", "14 лютого 2025, 11:58", "12:30", "https://e.com/a?b=1", "www.", "Укрінформ", "•", "»",
        "Читайте також:", "© 2025", "Київ •", "Ctrl+Enter", "2025-02-14T11:58:00+02:00", "р.", "т.д.", "\t",
        "Міністр оборони України провів зустріч.", "Министр обороны встретился с коллегой.", "The minister met.",
        "\u200b", "\ufeff", "\ufffd", "\x0c", "\u2028", "\x00", "\ud800", "...", "—", "«", "'", "-", "1", "a",
    ]
)
LINE = st.one_of(st.lists(PIECES, max_size=12).map(" ".join), st.text(max_size=200))
DUMP = st.lists(LINE, max_size=40).map("\n".join)


def clean(text: str, kind: str = "dump") -> Article:
    tried()
    article = clean_page(Page(origin="fuzz.txt", text=text, kind=kind))
    assert isinstance(article, Article) and isinstance(article.body, str)
    assert article.id
    for value in filter(None, (article.body, article.title)):
        value.encode("utf-8")  # storable in every store: valid UTF-8, no NUL
        assert "\x00" not in value
    return article


@FUZZ
@given(DUMP)
def test_cleaner_on_generated_dumps(text):
    article = clean(text)
    lines = [storable(normalise(line)) for line in text.splitlines()]
    # The body adds no text: every paragraph comes from a line of the page (maybe cut).
    for paragraph in filter(None, article.body.split("\n\n")):
        assert any(paragraph[-20:] in line for line in lines)


@FUZZ
@given(st.one_of(mutated(), mixed_encodings()))
def test_cleaner_on_mutated_real_pages(data):
    try:
        text = decode(data)
    except DecodeError:
        return
    clean(text)


@FUZZ
@given(st.text(max_size=3000), st.sampled_from(("dump", "text", "html", "feed")))
def test_cleaner_on_random_text(text, kind):
    clean(text, kind)


@FUZZ
@given(st.lists(LINE, max_size=30))
def test_line_classifier_one_decision_per_line(lines):
    tried()
    assert len(keep_mask(lines)) == len(lines)


def test_cleaner_on_a_huge_line():
    # One line the size of a whole page: a dump that lost its newlines.
    article = clean("Київ. " + "Міністр оборони провів зустріч у Брюсселі. " * 20000)
    assert article.body
