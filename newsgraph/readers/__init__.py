"""Readers turn files into `Page`s, each with its origin (the file path, or
the URL of a record read from a web archive, feed or JSON Lines file).

`read(paths, input_format)` walks directories, picks a reader per file by
its content (`sniff`) unless told, and yields a Page per article or an
ErrorRecord per input it could not read. A reader never raises for bad
input: the batch goes on.

Each reader is a module with `read(data: bytes, origin: str)`; those whose
files hold many pages (warc, jsonl) also have `read_stream(stream, origin)`
and are streamed, so that a multi-gigabyte archive never sits in memory.
Gzip-compressed files (page.html.gz, feed.xml.gz, dump.jsonl.gz) are
decompressed first, whatever their format.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator

from newsgraph.limits import DEFAULTS, current
from newsgraph.model import ErrorRecord, Page
from newsgraph.readers import dump, feed, html, jsonl, text, warc
from newsgraph.readers.decode import DecodeError, binary_kind, storable

FORMATS = ("auto", "dump", "html", "text", "jsonl", "feed", "warc")
# A file of one page (or one feed) over newsgraph.limits' max_page_bytes is
# refused: no news page is this big. WARC and JSON Lines files are streamed;
# the limit holds for each of their records. The default, for callers:
MAX_FILE_BYTES = DEFAULTS.max_page_bytes
HEAD_BYTES = 65536
GZIP_MAGIC = b"\x1f\x8b"

READERS = {
    "dump": dump.read,
    "text": text.read,
    "html": html.read,
    "jsonl": jsonl.read,
    "feed": feed.read,
    "warc": warc.read,
}

PROLOGUE = re.compile(r"^(?:\s|<\?.*?\?>|<!--.*?-->|<!doctype(?!\s+html)[^>]*>)*", re.S | re.I)
FEED_START = re.compile(r"<(?:rss|(?:\w+:)?feed|rdf:RDF)\b", re.I)
HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I)
HTML_TAG = re.compile(r"</?(?:p|div|span|a|br|script|style|meta|link|title|h[1-6]|ul|ol|li|table|tr|td|img|section|article|header|footer|nav)\b[^<>]*>", re.I)  # [^<>]: linear on "<a <a …"
JSONL_KEY = re.compile(r'"(?:url|html|text)"\s*:')


def iter_files(paths: Iterable[str]) -> Iterator[str]:
    """Files under each path, directories recursed in sorted order."""
    for path in paths:
        if is_url(path):
            yield from _url_files(path)
        elif os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        else:
            yield path


def is_url(path: str) -> bool:
    """An fsspec URL (s3://, gs://, file://, memory://, ...) rather than a local path."""
    return "://" in path


def _filesystem(url: str):
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise OSError(f"reading URLs needs fsspec: pip install 'newsgraph[dask]' ({url})") from None
    return url_to_fs(url)


def _url_files(url: str) -> Iterator[str]:
    """The files under an fsspec URL, as URLs; an unreadable one is yielded
    as it is, for read_file to report."""
    try:
        fs, root = _filesystem(url)
        if not fs.isdir(root):
            yield url
            return
        names = sorted(fs.find(root))
    except Exception:  # noqa: BLE001 - reported by read_file as an error record
        yield url
        return
    for name in names:
        if not name.rsplit("/", 1)[-1].startswith("."):
            yield fs.unstrip_protocol(name)


def _size(path: str) -> int:
    if is_url(path):
        fs, inner = _filesystem(path)
        return fs.size(inner)
    return os.path.getsize(path)


def _open(path: str):
    if is_url(path):
        fs, inner = _filesystem(path)
        return fs.open(inner, "rb")
    return open(path, "rb")


def sniff(head: bytes, path: str = "") -> str:
    """The input format of a file from its first bytes: content decides, the
    name only breaks a tie. Gzip data is looked at decompressed."""
    if head.startswith(GZIP_MAGIC):
        head = _gunzip_head(head)
    if head.lstrip()[:7] in (b"WARC/1.", b"WARC/0."):
        return "warc"
    start = PROLOGUE.sub("", _head_text(head), count=1)
    first_line = start.split("\n", 1)[0].strip()
    if first_line.startswith("{") and _is_jsonl_line(first_line, path):
        return "jsonl"
    if FEED_START.match(start):
        return "feed"
    if HTML_START.match(start) or len(HTML_TAG.findall(start[:20000])) >= 10:
        return "html"
    return "dump"


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, HEAD_BYTES)
    except zlib.error:
        return b""


def _head_text(head: bytes) -> str:
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(encoding, errors="replace")
    return head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")


def _is_jsonl_line(line: str, path: str) -> bool:
    try:
        record = json.loads(line)
    except ValueError:
        # A long record is cut off by the head; a name ending in .jsonl breaks the tie.
        return bool(JSONL_KEY.search(line[:4096])) or path.endswith((".jsonl", ".ndjson", ".jsonl.gz"))
    return isinstance(record, dict) and bool({"url", "html", "text"} & record.keys())


def read_file(path: str, input_format: str = "auto") -> Iterator[Page | ErrorRecord]:
    """Pages of one file; every problem becomes an ErrorRecord, never an exception."""
    try:
        size = _size(path)
        if size == 0:
            yield ErrorRecord(path, "empty file")
            return
        with _open(path) as handle:
            head = handle.read(HEAD_BYTES)
            fmt = sniff(head, path) if input_format == "auto" else input_format
            compressed = head.startswith(GZIP_MAGIC)
            kind = binary_kind(_gunzip_head(head) if compressed else head)
            if kind and fmt != "warc":
                yield ErrorRecord(path, f"binary file ({kind})")
                return
            handle.seek(0)
            for item in _read_open(handle, path, fmt, size, compressed):
                yield _storable(item)
    except (OSError, DecodeError, EOFError, zlib.error) as exc:
        yield ErrorRecord(path, _describe(exc))
    except Exception as exc:  # noqa: BLE001 - a bug on one odd file must not stop the batch
        yield ErrorRecord(path, f"unexpected {type(exc).__name__} while reading: {exc}")


def _read_open(handle, path: str, fmt: str, size: int, compressed: bool) -> Iterator[Page | ErrorRecord]:
    if fmt == "warc":  # warcio decompresses gzipped WARC itself, record by record
        yield from warc.read_stream(handle, path, size=size)
        return
    limit = current().max_page_bytes
    if compressed:
        stream = gzip.GzipFile(fileobj=handle)
        if fmt == "jsonl":
            yield from jsonl.read_stream(stream, path)
            return
        data = stream.read(limit + 1)
        if len(data) > limit:
            yield ErrorRecord(path, f"file too large: over {limit} bytes once decompressed (NEWSGRAPH_MAX_PAGE_BYTES)")
            return
        if not data:
            yield ErrorRecord(path, "empty file once decompressed")
            return
    elif fmt == "jsonl":
        yield from jsonl.read_stream(handle, path)
        return
    else:
        if size > limit:
            yield ErrorRecord(path, f"file too large: {size} bytes (limit {limit}, NEWSGRAPH_MAX_PAGE_BYTES)")
            return
        data = handle.read()
    yield from READERS[fmt](data, path)


def _storable(item: Page | ErrorRecord) -> Page | ErrorRecord:
    """A page whose text every store can keep: fuzzing found NUL bytes and
    JSON surrogate escapes in pages that crashed ingest (hashing, SQL)."""
    names = ("text", "title", "url", "outlet", "published", "language", "origin")
    for name in names if isinstance(item, Page) else ("origin", "error"):
        setattr(item, name, storable(getattr(item, name)))
    return item


def _describe(exc: Exception) -> str:
    if isinstance(exc, DecodeError):
        return str(exc)
    if isinstance(exc, EOFError):
        return f"truncated gzip data: {exc}"
    if isinstance(exc, (zlib.error, gzip.BadGzipFile)):
        return f"damaged gzip data: {exc}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read file: {exc.strerror}"
    return f"{type(exc).__name__}: {exc}"


def read(paths: Iterable[str], input_format: str = "auto") -> Iterator[Page | ErrorRecord]:
    if input_format not in FORMATS:
        raise ValueError(f"unknown input format {input_format!r}; expected one of {', '.join(FORMATS)}")
    for path in iter_files(paths):
        yield from read_file(path, input_format)
