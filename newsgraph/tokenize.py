"""A regex tokenizer for uk/ru/en news text, with character offsets.

Every later stage (NER, events, quotes) works on these tokens, so they must
line up with what annotators call a word:

* punctuation glued to words is split off ("Укрпласт»," -> Укрпласт » ,);
* apostrophes (' ’ ʼ) inside Ukrainian words and hyphens inside compounds
  stay in the word ("п'ятницю", "Інтерфакс-Україна", "COVID-19");
* initials and known abbreviations keep their dot ("В.", "вул.", "т.д.");
* numbers keep their separators ("7,08", "1.5"), URLs and e-mails stay whole.

`sentences` splits on sentence-final punctuation and blank lines using the
same tokens, so that a dot that belongs to an abbreviation ends no sentence.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

Token = tuple[str, int, int]

APOSTROPHES = "'’ʼ`"
HYPHENS = "-‐‑"
# An apostrophe or hyphen joins two word parts only when letters/digits are on
# both sides; a leading or trailing one is punctuation (a quote, a dash).
_WORD = rf"\w+(?:[{re.escape(APOSTROPHES + HYPHENS)}]\w+)*"

_URL_TAIL = r"""[^\s<>"«»]*[^\s<>"«».,;:!?)\]}'’]"""
_PATTERN = re.compile(
    r"""
    (?P<url>(?:https?://|www\.)"""
    + _URL_TAIL
    + r""")
    | (?P<number>\d+(?:[.,:]\d+)+(?:[-‐‑]\w+)?)
    | (?P<dotted>(?:[^\W\d_]{1,3}\.){2,})          # т.д. U.S. В.І.
    | (?P<word>"""
    + _WORD
    + r""")
    | (?P<dots>\.{2,}|…)
    | (?P<dash>-{2,})
    | (?P<punct>[^\w\s])
    """,
    re.VERBOSE,
)
# Tried only where a word is followed by "." or "@", which keeps the common
# case (a plain word) to one regex step.
# Both are bounded (an email's local part is at most 64 characters, a host
# name has few labels): unbounded, each word of "abcd.abcd.abcd…" rescanned
# the rest of the run, quadratic in its length (20k characters took 9 s).
_DOMAIN = re.compile(
    r"\w[\w-]*(?:\.[\w-]+){0,8}\.(?:com|net|org|ua|ru|info|gov|eu|io|news|tv|uk|by|kz|pl|de)\b(?:/" + _URL_TAIL + ")?"
)
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+")


@cache
def _abbreviation_sections() -> dict[str, frozenset[str]]:
    text = (Path(__file__).parent / "data" / "ner" / "abbreviations.txt").read_text(encoding="utf-8")
    sections: dict[str, set[str]] = {}
    current = "other"
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            continue
        sections.setdefault(current, set()).add(line)
    return {name: frozenset(words) for name, words in sections.items()}


def abbreviations() -> frozenset[str]:
    sections = _abbreviation_sections()
    return sections.get("before", frozenset()) | sections.get("other", frozenset())


def _ends_sentence_maybe(tok: str) -> bool:
    """An abbreviation token like "грн." or "т.д." may also end a sentence;
    initials and title abbreviations ("В.", "м.", "Mr.") never do."""
    if not tok.endswith(".") or len(tok) < 3 or tok.replace(".", "").isupper():
        return False
    return tok[:-1].lower() not in _abbreviation_sections().get("before", frozenset())


def _takes_dot(word: str) -> bool:
    # A single capital letter before a dot is an initial ("В. Зеленський").
    if len(word) == 1 and word.isupper():
        return True
    return word.lower() in abbreviations()


def tokenize(text: str) -> list[Token]:
    """(token, start, end) for every token of `text`; text[start:end] == token."""
    tokens: list[Token] = []
    for match in _PATTERN.finditer(text):
        start, end = match.span()
        if tokens and start < tokens[-1][2]:
            continue  # inside a token that was extended past this match
        if match.lastgroup == "word" and end < len(text) and text[end] in ".@":
            longer = _EMAIL.match(text, start) or _DOMAIN.match(text, start)
            if longer:
                end = longer.end()
            elif text[end] == "." and _takes_dot(match.group()):
                end += 1
        tokens.append((text[start:end], start, end))
    return tokens


_FINAL = {".", "!", "?", "…", "..."}
_CLOSERS = {"»", '"', "”", "’", ")", "]", "“"}
_OPENERS = {"«", '"', "„", "“", "-", "—", "–", "("}


def _initial_dot(tokens: list[Token], i: int) -> bool:
    """A lone dot after an initial or a title abbreviation, as in tokenised
    text ("О . М . Бутлеров", "ім . Т . Шевченка"): no sentence end."""
    if tokens[i][0] != "." or i == 0:
        return False
    prev = tokens[i - 1][0]
    return (len(prev) == 1 and prev.isupper()) or prev.lower() in _abbreviation_sections().get("before", frozenset())


def _binds_forward(tok: str) -> bool:
    """An initial or a title abbreviation ("В.", "вул.") belongs with the
    next word even across a line break (some sources break lines after
    every dot)."""
    if not tok.endswith(".") or len(tok) < 2:
        return False
    stem = tok[:-1]
    return (len(stem) == 1 and stem.isupper()) or stem.lower() in _abbreviation_sections().get("before", frozenset())


def _starts_sentence(tok: str) -> bool:
    return tok[:1].isupper() or tok[:1].isdigit() or tok in _OPENERS


def sentence_token_spans(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Sentences as (first token index, last token index + 1): they end at a
    line break, or at final punctuation (plus closing quotes) followed by a
    capitalised word. Abbreviation dots are inside their tokens, so "В."
    and "вул." end nothing."""
    spans: list[tuple[int, int]] = []
    start, i, n = 0, 0, len(tokens)
    while i < n:
        end = None
        if (tokens[i][0] in _FINAL and not _initial_dot(tokens, i)) or (
            _ends_sentence_maybe(tokens[i][0]) and i + 1 < n and tokens[i + 1][0][:1].isupper()
        ):
            j = i + 1
            while j < n and tokens[j][0] in _CLOSERS and tokens[j][1] == tokens[j - 1][2]:
                j += 1
            if j >= n or _starts_sentence(tokens[j][0]):
                end = j
        if end is None and i + 1 < n and "\n" in text[tokens[i][2] : tokens[i + 1][1]] and not _binds_forward(tokens[i][0]):
            end = i + 1  # a line break ends a sentence (titles, paragraphs)
        if end is None:
            i += 1
            continue
        spans.append((start, end))
        start = i = end
    if start < n:
        spans.append((start, n))
    return spans


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the sentences of `text`."""
    tokens = tokenize(text)
    return [(tokens[a][1], tokens[b - 1][2]) for a, b in sentence_token_spans(text, tokens)]
