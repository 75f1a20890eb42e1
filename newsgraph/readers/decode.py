"""Bytes to text.

The order matters: a byte-order mark settles it; binary data is refused;
UTF-16 without a BOM is recognised by its zero bytes; strict UTF-8 almost
never succeeds on anything but UTF-8; a declared charset (HTML meta, HTTP
header) is believed unless the text clearly says otherwise; what is left is
a single-byte encoding, chosen by how plausible each decoding reads.

Why not charset-normalizer alone: on short Ukrainian/Russian texts it
confuses cp1251 with koi8-r/koi8-u (a three-word koi8 text is misread about
two times in three). These encodings map the same bytes to different
Cyrillic letters, so the right decoding is the one whose words look like
Ukrainian or Russian: common letter bigrams (a table learnt from news text,
newsgraph/data/readers/cyrillic_bigrams.json), no case flips inside words,
no box-drawing or control characters. charset-normalizer remains the
fallback for texts in none of these encodings.
"""

from __future__ import annotations

import codecs
import functools
from collections import Counter
import json
import re
import unicodedata
from pathlib import Path

BIGRAMS_PATH = Path(__file__).resolve().parents[1] / "data" / "readers" / "cyrillic_bigrams.json"
CYRILLIC_ALPHABET = "абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя"

# Candidates for bytes that are not UTF-8, in order of preference on a tie
# (koi8-u before koi8-r: they agree on Russian, koi8-u also has і, ї, є, ґ).
SINGLE_BYTE = ("cp1251", "koi8_u", "koi8_r", "cp866", "iso8859_5", "cp1252")

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Leading bytes of the binary formats most likely to be dropped into a folder of pages.
MAGIC = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
)
RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}

# Control bytes that do occur in text: tab, newlines, form feed, DOS end-of-file, ESC.
TEXT_CONTROLS = b"\t\n\r\x0b\x0c\x1a\x1b"
NOT_CONTROL = bytes(byte for byte in range(256) if byte >= 0x20 or byte in TEXT_CONTROLS)
# (?<!…): a token starts where its run of letters does. Without it findall
# rescanned a long ASCII run from each of its letters (quadratic: 20 kB took 16 s).
HIGH_WORD = re.compile(rb"(?<![A-Za-z\x80-\xff])[A-Za-z\x80-\xff]*[\x80-\xff][A-Za-z\x80-\xff]*")
LETTERS = re.compile(r"[^\W\d_]+")
NON_ASCII = re.compile(r"[^\x00-\x7f]")

# Scoring the first tokens holding non-ASCII bytes is enough when one
# decoding leads clearly; else up to SAMPLE_TOKENS are scored (on 30 words
# of news the right decoding always won in our tests).
FIRST_LOOK = 50
SAMPLE_TOKENS = 400
CLEAR_LEAD = 25.0  # about four words' worth

# How common each encoding is in news pages: a bonus worth one token's
# score, deciding only where the text is too short to tell (a word or two).
PRIOR = {"cp1251": 1.0, "koi8_u": 0.5, "koi8_r": 0.5, "cp1252": 0.5, "cp866": -2.0, "iso8859_5": -2.0}

# Scores are mean log-frequencies of letter bigrams (about -6 for real
# words, -15.75 for unseen ones); the constants below are on that scale.
PLAUSIBLE = -9.5  # a mean token score below this: no candidate reads as text
MIXED_SCRIPT = -12.0  # a word mixing Latin and Cyrillic letters: mojibake
RARE_LETTER = -15.0  # Cyrillic letters of neither Ukrainian nor Russian (Ђ, Ѕ, Ў)
CASE_FLIP = 2.0  # "пРИВІТ": lower case followed by upper case inside a word
STRANGE_CHAR = 3.0  # box drawing, C1 controls, ³ inside text
LATIN_PLAIN = -5.5  # a Latin word with a few accented letters ("café", "è")
LATIN_ODD = -10.0  # a "Latin" word of mostly accented letters ("Ïðèâ³ò")
PUNCTUATION = -6.5  # a token whose high bytes are punctuation (“ ” — «)
CYRILLIC_SET = frozenset(CYRILLIC_ALPHABET)
NORMAL_SYMBOLS = frozenset("№°©®™•·½¼¾")


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept."""


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode `data`; `declared` is a charset the container claims (HTML meta
    tag, HTTP Content-Type), believed unless the bytes clearly disagree.
    Raises DecodeError for binary data or bytes in no known encoding."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    kind = binary_kind(data)
    if kind:
        raise DecodeError(f"binary file ({kind})")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    text = _utf8(data)
    if text is not None:
        return text
    return _single_byte(data, _codec_name(declared))


# Characters no store keeps: NUL (PostgreSQL refuses it in text) and lone
# surrogates (no UTF-8 for them; a JSON "\ud800" escape decodes to one).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str | None) -> str | None:
    """`text` with each unstorable character replaced by U+FFFD: one
    character for one, so that offsets into the text still hold."""
    return UNSTORABLE.sub("\ufffd", text) if text else text


def binary_kind(data: bytes) -> str | None:
    """What binary data this is ("PNG image", …), or None for text."""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"RIFF") and data[8:12] in RIFF_KINDS:
        return RIFF_KINDS[data[8:12]]
    if data[4:8] == b"ftyp":
        return "MP4/QuickTime media"
    head = data[:65536]
    if _utf16_without_bom(head[: len(head) & ~1]) is not None:
        return None
    controls = len(head.translate(None, NOT_CONTROL))
    if head and controls / len(head) > 0.01:
        return f"{controls} control bytes in the first {len(head)}"
    return None


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A file cut in the middle of its last character is still UTF-8.
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return data[: exc.start].decode("utf-8", errors="replace")
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: one byte of each pair is nearly always 0x00
    (Latin) or 0x04 (Cyrillic)."""
    if len(data) < 4 or len(data) % 2 or (b"\x00" not in data[:4096] and b"\x04" not in data[:4096]):
        return None
    sample = data[:8192]
    for encoding, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        common = sum(high.count(value) for value in (0x00, 0x04, 0x20))
        if common / len(high) > 0.9 and high.count(0) < len(high):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _mostly_text(text[:4096]):
                return text
    return None


def _mostly_text(text: str) -> bool:
    printable = sum(1 for char in text if char.isprintable() or char in "\t\n\r")
    return printable / max(1, len(text)) > 0.95


def _codec_name(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        name = codecs.lookup(charset.strip().strip("\"'")).name
    except LookupError:
        return None
    # Browsers read iso-8859-1 and ascii declarations as windows-1252; so do we.
    return {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}.get(name, name).replace("-", "_")


def _single_byte(data: bytes, declared: str | None) -> str:
    """Bytes that are not UTF-8: the declared charset when it reads well, else
    the most plausible single-byte Cyrillic or Western decoding."""
    tokens = HIGH_WORD.findall(data[:262144])[:SAMPLE_TOKENS]
    scores = _scores(tokens[:FIRST_LOOK])
    if len(tokens) > FIRST_LOOK and not _clear_lead(tokens[:FIRST_LOOK], scores):
        scores = _scores(tokens)
    best = max(SINGLE_BYTE, key=lambda encoding: scores[encoding])
    if declared and declared not in {"utf_8", "utf_16", "utf_32"}:
        try:
            text = data.decode(declared)
            declared_score = scores.get(declared)
            if declared_score is None:
                declared_score = plausibility(tokens, declared)
        except (UnicodeDecodeError, LookupError):
            text = None
        # Believe the declaration unless another decoding reads far better:
        # servers often send a default iso-8859-1 for cp1251 pages.
        if text is not None and declared_score >= scores[best] - 2.0:
            return text
    if scores[best] < PLAUSIBLE and len(tokens) >= 20:
        return _charset_normalizer(data)
    return data.decode(best, errors="replace")


def _scores(tokens: list[bytes]) -> dict[str, float]:
    # The prior weighs as much as one token: it decides short texts only.
    return {encoding: plausibility(tokens, encoding) + PRIOR[encoding] / max(1, len(tokens)) for encoding in SINGLE_BYTE}


def _clear_lead(tokens: list[bytes], scores: dict[str, float]) -> bool:
    """Whether the best decoding of these tokens beats every decoding that
    reads them differently (koi8-r and koi8-u agree on Russian) by far: by
    CLEAR_LEAD in total, however few tokens the two read differently."""
    best = max(SINGLE_BYTE, key=lambda encoding: scores[encoding])
    sample = b" ".join(tokens)
    text = sample.decode(best, errors="replace")
    rivals = [scores[enc] for enc in SINGLE_BYTE if sample.decode(enc, errors="replace") != text]
    return not rivals or (scores[best] - max(rivals)) * len(tokens) >= CLEAR_LEAD


def _charset_normalizer(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("cannot detect a text encoding")
    return str(best)


def plausibility(tokens: list[bytes], encoding: str) -> float:
    """How much the byte tokens holding non-ASCII bytes read like real
    Ukrainian, Russian or Western text when decoded with `encoding`: a mean
    score per token (the tokens are the same for every encoding, so the
    means compare), higher is better."""
    if not tokens:
        return PLAUSIBLE - 1.0
    counts = Counter(tokens)  # news repeats its words: score each once
    return sum(n * _token_score(token.decode(encoding, errors="replace")) for token, n in counts.items()) / len(tokens)


def _token_score(token: str) -> float:
    strange = sum(1 for char in NON_ASCII.findall(token) if _strange(char))
    words = LETTERS.findall(token)
    flips = sum(1 for word in words for a, b in zip(word, word[1:]) if a.islower() and b.isupper())
    penalty = STRANGE_CHAR * strange + CASE_FLIP * flips
    if all(word.isascii() for word in words):
        return PUNCTUATION - penalty  # the non-ASCII bytes are punctuation: “ ” — «
    if any("\u0400" <= char <= "\u04ff" for char in token):
        scores = [_cyrillic_score(word.lower()) for word in words if not word.isascii()]
        return sum(scores) / len(scores) - penalty
    # Latin: a few accented letters ("café", "è") are Western text; mostly
    # accented ones ("Ïðèâ³ò") are Cyrillic bytes read as cp1252.
    letters = "".join(words)
    accented = sum(1 for char in letters if not char.isascii())
    return (LATIN_PLAIN if accented * 3 <= len(letters) or len(letters) <= 2 else LATIN_ODD) - penalty


def _cyrillic_score(word: str) -> float:
    cyrillic = sum(1 for char in word if char in CYRILLIC_SET)
    if cyrillic == len(word):
        return _bigram_score(word)
    if any("\u0400" <= char <= "\u04ff" and char not in CYRILLIC_SET for char in word):
        return RARE_LETTER
    return MIXED_SCRIPT


def _bigram_score(word: str) -> float:
    logp, floor = _bigrams()
    padded = f"_{word}_"
    return sum(logp.get(padded[i : i + 2], floor) for i in range(len(padded) - 1)) / (len(padded) - 1)


@functools.cache
def _bigrams() -> tuple[dict[str, float], float]:
    table = json.loads(BIGRAMS_PATH.read_text(encoding="utf-8"))
    return table["logp"], table["floor"]


def _strange(char: str) -> bool:
    if char.isascii() or char.isalpha() or char.isspace() or char in NORMAL_SYMBOLS:
        return False
    category = unicodedata.category(char)
    # Punctuation (« » „ “ — …) and currency are normal; other symbols,
    # numbers like ³ and controls are what wrong decodings produce.
    return not (category.startswith("P") or category in ("Sc", "Zs"))
