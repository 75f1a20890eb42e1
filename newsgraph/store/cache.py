"""The clustering vocabulary (term key -> id, document frequency) kept in
memory by the SQLite store.

Looking every key of every article up in the `terms` table was the part of
story clustering whose cost grew with the store. The vocabulary only grows
and is written by one writer at a time, so a cache stays right as long as
it is dropped when a transaction rolls back or another connection has
committed (SQLite's `PRAGMA data_version` tells)."""

from __future__ import annotations

from collections.abc import Iterable

# About 100 bytes per entry: a store with a bigger vocabulary starts the
# cache afresh instead of holding all of it.
MAX_TERMS = 2_000_000


class TermCache:
    def __init__(self, max_terms: int = MAX_TERMS):
        self.max_terms = max_terms
        self._terms: dict[str, tuple[int, int]] = {}
        self._pending: dict[int, int] = {}  # df increments not yet written, by tid
        self._version: int | None = None

    def check(self, version: int) -> None:
        """At the start of a transaction (nothing pending): drop everything if
        the store changed under us since the last check, or if the cache is full."""
        if version != self._version or len(self._terms) > self.max_terms:
            self.clear()
            self._version = version

    def clear(self) -> None:
        self._terms.clear()
        self._pending.clear()

    def get(self, keys: list[str]) -> dict[str, tuple[int, int]]:
        terms = self._terms
        return {key: terms[key] for key in keys if key in terms}

    def put(self, found: dict[str, tuple[int, int]]) -> None:
        self._terms.update(found)

    def bump(self, tids: Iterable[int]) -> None:
        """Count one more document for each term; written by take_pending."""
        pending = self._pending
        for tid in tids:
            pending[tid] = pending.get(tid, 0) + 1

    def take_pending(self) -> list[tuple[int, int]]:
        """(tid, increment) pairs to write, and forget them."""
        pending, self._pending = self._pending, {}
        return list(pending.items())
