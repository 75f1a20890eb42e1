"""Concurrency: readers (the HTTP API on a real uvicorn server, search,
export) run while an ingest writes to the same SQLite store (WAL), and see
no errors and consistent snapshots; a second ingest into a store that is
being written is refused with a clear message, and a killed ingest never
leaves the store locked.

The writer is a real `ingest` in another process, with a stand-in for the
NLP pipeline that reads JSON article descriptions (no models: seconds) and
commits one page per batch, so that readers see the store between many commits.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from conftest_web import free_port, sample_articles
from newsgraph.export import export
from newsgraph.ingest import ingest, ingest_articles
from newsgraph.model import ErrorRecord, Page
from newsgraph.search import search
from newsgraph.store.base import StoreBusy
from newsgraph.stories.samples import sample_processor

ROOT = Path(__file__).resolve().parents[1]
TERM = "Vilnius"
N_PAGES = 20

# Writes N pages about one meeting series into a folder, then ingests them
# one page per batch; prints a line after each commit. While the gate file
# exists, it holds after its first commit.
WRITER = """
import json, os, sys, time
from pathlib import Path
from newsgraph.ingest import ingest
from newsgraph.stories.samples import sample_processor

db, folder, n, delay = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
for i in range(n):
    guest = [f"guest-{i}", f"Guest Minister {i}"]
    spec = {"title": f"Umerov meets Guest Minister {i} in {sys.argv[5]}", "language": "en",
            "published": f"2025-07-{1 + i % 5:02d}T10:00:00+00:00", "outlet": f"Wire {i % 3}",
            "body": f"Rustem Umerov met Guest Minister {i} in {sys.argv[5]} to discuss air defence, report {i}.",
            "entities": [["umerov-rustem", "Rustem Umerov", ["Rustem Umerov"], "PER"],
                         [guest[0], guest[1], [guest[1]], "PER"], ["city-vilnius", "Vilnius", ["Vilnius"], "LOC"]],
            "meetings": [{"participants": [["umerov-rustem", "Rustem Umerov"], guest],
                          "date": f"2025-07-{1 + i % 5:02d}", "basis": "explicit"}],
            "topics": ["air_defence"]}
    (folder / f"page-{i:03d}.txt").write_text(json.dumps(spec), encoding="utf-8")
print("ready", flush=True)

def process(pages):
    while process.done and os.path.exists(sys.argv[6]):
        time.sleep(0.02)
    process.done += 1
    return sample_processor(pages, delay=delay)

process.done = 0
report = ingest([str(folder)], db, input_format="text", batch_size=1, processor=process,
                on_batch=lambda r: print("batch", r.batches, flush=True))
print(json.dumps({"articles": report.articles, "errors": len(report.errors)}), flush=True)
"""


@pytest.fixture
def store(store_url) -> str:
    """A small store with stories, meetings and quotes (hand-made articles,
    no models), on SQLite and, when NEWSGRAPH_TEST_PG names a server, PostgreSQL."""
    ingest_articles(sample_articles(), store_url)
    return store_url


def start_writer(db: str, folder: Path, n: int = N_PAGES, delay: float = 0.05, gate: Path | None = None
                 ) -> subprocess.Popen:
    folder.mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), str(folder), str(n), str(delay), TERM, str(gate or "")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_for_commit(writer: subprocess.Popen) -> None:
    """Block until the writer has committed its first batch (so it holds the lock)."""
    for line in writer.stdout:
        if line.startswith("batch"):
            return
    raise AssertionError(f"the writer ended before committing: {writer.stderr.read()}")


def finish_writer(writer: subprocess.Popen) -> dict:
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def cli() -> list[str]:
    script = Path(sys.executable).parent / "newsgraph"
    return [str(script)] if script.exists() else [sys.executable, "-m", "newsgraph.cli"]


@contextmanager
def serving(db: str, token: str | None = None) -> Iterator[str]:
    """`newsgraph serve` in its own process on a free loopback port."""
    port = free_port()
    env = {**os.environ, **({"NEWSGRAPH_WRITE_TOKEN": token} if token else {})}
    server = subprocess.Popen([*cli(), "serve", "--db", str(db), "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read()
            try:
                httpx.get(f"{base}/api/facets", timeout=5).raise_for_status()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- readers during an ingest --------------------------------------------------


class Reader(threading.Thread):
    """Calls `check` over and over until told to stop; keeps what failed."""

    def __init__(self, check: Callable[[], None]):
        super().__init__(daemon=True)
        self.check, self.stop, self.calls, self.failures = check, threading.Event(), 0, []

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.check()
            except Exception as exc:  # noqa: BLE001 - collected and reported by the test
                self.failures.append(f"{type(exc).__name__}: {exc}")
            self.calls += 1
            time.sleep(0.01)  # let the other readers in


class Monotone:
    """Asserts that a count seen by one reader never goes down."""

    def __init__(self):
        self.seen: list[int] = []

    def __call__(self, value: int) -> None:
        assert not self.seen or value >= self.seen[-1], f"went down: {self.seen[-1]} -> {value}"
        self.seen.append(value)


def test_readers_see_consistent_snapshots_while_ingest_writes(store, tmp_path):
    with httpx.Client(timeout=30) as probe, serving(store) as base:
        before = len(probe.get(f"{base}/api/search", params={"q": TERM, "limit": 200}).json()["hits"])
    hits_seen, export_seen, search_seen, stories_seen = Monotone(), Monotone(), Monotone(), Monotone()
    articles_checked: set[str] = set()

    def api_checks(client: httpx.Client, base: str) -> Callable[[], None]:
        def check() -> None:
            hits = client.get(f"{base}/api/search", params={"q": TERM, "limit": 200}).raise_for_status().json()["hits"]
            hits_seen(len(hits))
            # every article a query returns is there whole, with its entities
            for hit in hits:
                if hit["id"] not in articles_checked:
                    found = client.get(f"{base}/api/article/{hit['id']}").raise_for_status().json()
                    assert {"umerov-rustem", "city-vilnius"} <= {e["id"] for e in found["entities"]}, hit["id"]
                    assert found["meetings"], hit["id"]
                    articles_checked.add(hit["id"])
            # one request, one snapshot: a list and its count, a story and its members agree
            feed = client.get(f"{base}/api/stories", params={"limit": 200}).raise_for_status().json()
            assert len(feed["stories"]) == feed["total"]
            stories_seen(sum(s["n_articles"] for s in feed["stories"]))
            for story_id in {h["story_id"] for h in hits if h["story_id"]}:
                detail = client.get(f"{base}/api/story/{story_id}").raise_for_status().json()
                assert detail["story"]["n_articles"] == len(detail["articles"]), story_id
            meetings = client.get(f"{base}/api/meetings", params={"limit": 200}).raise_for_status().json()
            assert len(meetings["meetings"]) == meetings["total"]
            for path in ("/", "/meetings", f"/search?q={TERM}"):
                client.get(f"{base}{path}").raise_for_status()
        return check

    def export_check() -> None:
        out = io.StringIO()
        n = export(store, "articles", "jsonl", out)
        rows = [json.loads(line) for line in out.getvalue().splitlines()]
        assert len(rows) == n
        export_seen(n)

    def search_check() -> None:
        search_seen(len(search(store, TERM, limit=200)))

    with httpx.Client(timeout=30) as client, serving(store) as base:
        readers = [Reader(api_checks(client, base)), Reader(export_check), Reader(search_check)]
        for reader in readers:
            reader.start()
        while not all(r.calls for r in readers):  # each has seen the store before the ingest
            time.sleep(0.01)
        writer = start_writer(store, tmp_path / "pages", delay=0.25)
        try:
            report = finish_writer(writer)
        finally:
            for reader in readers:
                reader.stop.set()
                reader.join(timeout=60)
        api_checks(client, base)()  # once more over the whole store
        after = len(client.get(f"{base}/api/search", params={"q": TERM, "limit": 200}).json()["hits"])

    assert report == {"articles": N_PAGES, "errors": 0}
    assert [r.failures for r in readers] == [[], [], []]
    assert after == before + N_PAGES
    assert len(articles_checked) == after
    # the readers saw the store part-way through, not only before and after
    assert any(before < n < after for n in hits_seen.seen), hits_seen.seen
    for seen in (export_seen.seen, search_seen.seen):
        assert any(seen[0] < n < seen[-1] for n in seen), seen


# -- two writers ---------------------------------------------------------------


def test_a_second_ingest_is_refused_while_one_writes(store, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "page.txt").write_text("Rustem Umerov met Kaja Kallas in Brussels on Friday.", encoding="utf-8")
    gate = tmp_path / "hold"
    gate.touch()
    writer = start_writer(store, tmp_path / "pages", gate=gate)
    try:
        wait_for_commit(writer)  # and then it holds, the lock taken, until the gate goes
        refused = subprocess.run([*cli(), "ingest", str(other), "--db", str(store), "--workers", "1"],
                                 cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert refused.returncode == 1
        assert " is being written by " in refused.stderr
        assert f"ingest (pid {writer.pid}); wait for it to finish" in refused.stderr
        assert "Traceback" not in refused.stderr
        with pytest.raises(StoreBusy, match=f"pid {writer.pid}"):
            ingest([str(other)], store)
        with httpx.Client(timeout=30) as client, serving(store, token="t0ken") as base:
            response = client.post(f"{base}/api/ingest", headers={"Authorization": "Bearer t0ken"},
                                   json={"records": [{"url": "https://example.org/x", "text": "Umerov met Kallas."}]})
        assert response.status_code == 409 and f"ingest (pid {writer.pid})" in response.json()["detail"]
        assert writer.poll() is None  # the first ingest was never disturbed
    finally:
        gate.unlink()
        report = finish_writer(writer)
    assert report == {"articles": N_PAGES, "errors": 0}
    # Once the first has finished, the same command goes through.
    done = ingest([str(other)], store, processor=not_processed)
    assert done.pages == 1 and done.errors


def not_processed(pages: list[Page]) -> list[ErrorRecord]:
    return [ErrorRecord(origin=page.origin, error="not processed in this test") for page in pages]


def test_a_killed_ingest_leaves_the_store_unlocked(store, tmp_path):
    gate = tmp_path / "hold"
    gate.touch()
    writer = start_writer(store, tmp_path / "pages", gate=gate)
    wait_for_commit(writer)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    # The rerun takes the lock at once and completes the store.
    report = ingest([str(tmp_path / "pages")], store, input_format="text", processor=sample_processor)
    assert report.skipped >= 1 and report.skipped + report.articles == N_PAGES and not report.errors
    assert len(search(store, TERM, limit=200)) == N_PAGES
