"""Bytes to text: BOMs first, then strict UTF-8, then charset-normalizer
limited to the Cyrillic and Latin encodings news pages actually use."""

from __future__ import annotations


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept."""


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1251", "koi8_u", "koi8_r", "cp1252", "utf_16"]).best()
    if best is None:
        raise DecodeError("cannot detect a text encoding")
    return str(best)
