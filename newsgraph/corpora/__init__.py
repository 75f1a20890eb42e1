"""Readers for the gold-labelled corpora in ../shared/data, used by training
and evaluation only (never at run time)."""

from __future__ import annotations

import os
from pathlib import Path


class DataMissing(FileNotFoundError):
    """The corpus folder is absent (e.g. on a user's machine)."""


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The shared data folder: an explicit path, $NEWSGRAPH_DATA, or ../shared/data beside the repo."""
    candidates = [explicit, os.environ.get("NEWSGRAPH_DATA"), Path(__file__).resolve().parents[2].parent / "shared" / "data"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    raise DataMissing("../shared/data not found; set NEWSGRAPH_DATA or pass --data")
