"""Shared fixtures: paths to the bundled sample pages and the shared corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# store_url / module_store_url / pg_url: store tests on SQLite and PostgreSQL.
pytest_plugins = ["store_backends"]

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "examples" / "pages"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    from newsgraph.corpora import DataMissing, data_dir

    try:
        return data_dir()
    except DataMissing:
        pytest.skip("../shared/data is absent: corpus tests need the shared corpora beside the repository")


@pytest.fixture(scope="session")
def seed_expected() -> dict:
    return json.loads((ROOT / "tests" / "seeds_expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_pages() -> list[Path]:
    return sorted(PAGES.glob("*.txt"))
