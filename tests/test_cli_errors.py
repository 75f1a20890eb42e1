"""`newsgraph process` on a mix of good and bad files: good articles are
written, every bad file becomes a JSON error record on stdout and a readable
line on stderr, never a traceback; the exit status is non-zero only when
nothing could be processed."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = sorted((ROOT / "examples" / "pages").glob("*.txt"))[0]

ARTICLE = """<!DOCTYPE html><html lang="uk"><head><meta charset="utf-8"><title>Зустріч міністрів</title>
<meta property="article:published_time" content="2025-02-14T11:58:00+02:00"></head><body>
<nav><a href="/">Головна</a> <a href="/news">Новини</a></nav><article><h1>Зустріч міністрів</h1>
<p>Міністр оборони України Рустем Умєров провів у Брюсселі зустріч із міністром збройних сил Франції
Себастьяном Лекорню. Сторони обговорили розвиток спільних проєктів в оборонній промисловості.</p>
<p>За словами Умєрова, серед ключових напрямів співпраці протиповітряна оборона, виробництво
боєприпасів та авіаційне озброєння. Також міністри обговорили фінансування цих проєктів.</p>
</article><footer>© 2025</footer></body></html>"""


def bad_files(folder: Path, huge: bool = False) -> dict[str, str]:
    """Write one file of every kind of bad input; name -> words its error must
    contain. `huge` adds a file the test has made too large by lowering the limit."""
    data = gzip.compress(ARTICLE.encode("utf-8"))
    files = {
        "empty.txt": (b"", "empty"),
        "logo.png": (b"\x89PNG\r\n\x1a\n" + bytes(300), "binary"),
        "cut.html.gz": (data[: len(data) // 2], "truncated"),
        "nothing.html": (b"<!doctype html><html><body><nav>menu</nav><footer>(c) 2025</footer></body></html>", "no article text"),
        "broken.rss": (b"<?xml version='1.0'?><rss><channel><title>x", "feed"),
    }
    if huge:
        files["huge.txt"] = (("Київ. " * 4000).encode("utf-8"), "too large")
    for name, (content, _) in files.items():
        (folder / name).write_bytes(content)
    return {name: reason for name, (_, reason) in files.items()}


def good_files(folder: Path) -> list[str]:
    (folder / "article.html").write_text(ARTICLE, encoding="utf-8")
    shutil.copy(SEED, folder / "dump.txt")
    return ["article.html", "dump.txt"]


def records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_bad_files_become_error_records_and_good_ones_articles(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSGRAPH_MAX_PAGE_BYTES", "20000")  # only huge.txt is over it
    bad = bad_files(tmp_path, huge=True)
    good = good_files(tmp_path)
    jsonl = tmp_path / "batch.jsonl"
    jsonl.write_text('{"url": "https://example.com/x", "text": "Умєров зустрівся з Лекорню у Брюсселі."}\n{broken\n', encoding="utf-8")

    result = CliRunner().invoke(main, ["process", "--no-progress", str(tmp_path)])

    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    out = records(result.stdout)
    errors = {Path(r["origin"].split("#")[0]).name: r for r in out if set(r) == {"origin", "error"}}
    articles = [r for r in out if "body" in r]
    for name, reason in bad.items():
        assert name in errors, f"no error record for {name}"
        assert reason in errors[name]["error"], errors[name]
        assert f"newsgraph: {errors[name]['origin']}: " in result.stderr
    assert errors["batch.jsonl"]["origin"] == f"{jsonl}#2"
    origins = {Path(a["origin"]).name for a in articles}
    assert set(good) <= origins and "https://example.com/x" in {a["origin"] for a in articles}
    html_article = next(a for a in articles if a["origin"].endswith("article.html"))
    assert html_article["title"] == "Зустріч міністрів"
    assert html_article["published"] == "2025-02-14T11:58:00+02:00"
    assert html_article["body"].startswith("Міністр оборони України Рустем Умєров")
    assert "Traceback" not in result.stderr


def test_nothing_processed_exits_non_zero(tmp_path):
    bad_files(tmp_path)
    result = CliRunner().invoke(main, ["process", "--no-progress", str(tmp_path)])
    assert result.exit_code == 1
    assert all(set(r) == {"origin", "error"} for r in records(result.stdout))
    assert len(records(result.stdout)) == len(list(tmp_path.iterdir()))
    assert "Traceback" not in result.stderr


def test_real_process_has_no_traceback(tmp_path):
    """The installed command as a user runs it: a separate process, real streams."""
    bad_files(tmp_path)
    good_files(tmp_path)
    missing = tmp_path / "missing.html"
    run = subprocess.run(
        [sys.executable, "-m", "newsgraph.cli", "process", str(tmp_path), str(missing)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    out = records(run.stdout)
    assert sum("body" in r for r in out) == 2
    error_origins = [r["origin"] for r in out if "error" in r]
    assert str(missing) in error_origins
    stderr_lines = [line for line in run.stderr.splitlines() if line.startswith("newsgraph: ")]
    assert len(stderr_lines) == len(error_origins)


@pytest.mark.parametrize("fmt", ["html", "feed", "warc", "jsonl", "text", "dump"])
def test_forced_format_on_the_wrong_file_is_an_error_not_a_crash(tmp_path, fmt):
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    (tmp_path / "words.txt").write_text("Не JSON і не HTML.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["process", "--no-progress", "--input-format", fmt, str(tmp_path)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    assert any(set(r) == {"origin", "error"} for r in records(result.stdout))
