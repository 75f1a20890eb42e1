"""Readers turn files (or URLs) into `Page`s, each with its origin.

`read(paths, input_format)` walks directories, picks a reader per file by
content (`sniff`) unless told, and yields a Page per article or an
ErrorRecord per input it could not read. A reader never raises for bad
input: the batch goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from newsgraph.model import ErrorRecord, Page
from newsgraph.readers import dump, text
from newsgraph.readers.decode import DecodeError

FORMATS = ("auto", "dump", "html", "text", "jsonl", "feed", "warc")
MAX_FILE_BYTES = 50 * 1024 * 1024  # a news page is never this big; a WARC file may be (streamed)

READERS = {"dump": dump.read, "text": text.read}


def iter_files(paths: Iterable[str]) -> Iterator[str]:
    """Files under each path, directories recursed in sorted order."""
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        else:
            yield path


def sniff(head: bytes, path: str = "") -> str:
    """Guess the input format from the first bytes, the name only as a tie-break."""
    return "dump"


def read_file(path: str, input_format: str = "auto") -> Iterator[Page | ErrorRecord]:
    try:
        size = os.path.getsize(path)
        if size == 0:
            yield ErrorRecord(path, "empty file")
            return
        with open(path, "rb") as handle:
            head = handle.read(65536)
        fmt = sniff(head, path) if input_format == "auto" else input_format
        if size > MAX_FILE_BYTES and fmt != "warc":
            yield ErrorRecord(path, f"file too large: {size} bytes (limit {MAX_FILE_BYTES})")
            return
        with open(path, "rb") as handle:
            data = handle.read()
        yield from READERS[fmt](data, path)
    except (OSError, DecodeError) as exc:
        yield ErrorRecord(path, f"{type(exc).__name__}: {exc}")


def read(paths: Iterable[str], input_format: str = "auto") -> Iterator[Page | ErrorRecord]:
    if input_format not in FORMATS:
        raise ValueError(f"unknown input format {input_format!r}; expected one of {', '.join(FORMATS)}")
    for path in iter_files(paths):
        yield from read_file(path, input_format)
