"""Readers: every format from fixtures the tests write themselves, bad input
of every kind, and format sniffing by content."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

import newsgraph.readers as readers
from newsgraph.model import ErrorRecord, Page
from newsgraph.readers import read, read_file, sniff
from newsgraph.readers.dates import iso_date
from newsgraph.readers.decode import DecodeError, decode

UK = (
    "Міністр оборони України Рустем Умєров провів зустріч із міністром збройних сил Франції. "
    "Сторони обговорили розвиток спільних проєктів у сфері оборонно-промислового комплексу, "
    "виробництво боєприпасів та посилення протиповітряної оборони."
)
RU = (
    "Министр обороны Украины Рустем Умеров провёл встречу с министром вооружённых сил Франции. "
    "Стороны обсудили развитие совместных проектов в сфере оборонно-промышленного комплекса, "
    "производство боеприпасов и усиление противовоздушной обороны."
)
PARAGRAPHS = [
    "Міністр оборони України Рустем Умєров провів у Брюсселі зустріч із міністром збройних сил Франції "
    "Себастьяном Лекорню. Сторони обговорили розвиток спільних проєктів в оборонній промисловості.",
    "За словами Умєрова, серед ключових напрямів співпраці — протиповітряна оборона, виробництво "
    "боєприпасів та авіаційне озброєння. Також міністри обговорили фінансування цих проєктів.",
    "Окремо сторони домовилися про обслуговування самохідних гаубиць CAESAR, які Франція передала "
    "Україні, та про навчання українських військових на французьких полігонах.",
]
BOILERPLATE = "Підписуйтесь на наш Telegram-канал"


def article_html(charset: str = "utf-8", paragraphs: list[str] = PARAGRAPHS) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="uk"><head><meta charset="{charset}">
<title>Умєров і Лекорню обговорили спільні проєкти | Новини Тест</title>
<meta property="og:title" content="Умєров і Лекорню обговорили спільні проєкти">
<meta property="og:site_name" content="Новини Тест">
<meta property="article:published_time" content="2025-02-14T11:58:00+02:00">
<link rel="canonical" href="https://news.example.com/2025/02/14/umerov-lecornu">
</head><body>
<nav><ul><li><a href="/">Головна</a></li><li><a href="/politics">Політика</a></li>
<li><a href="/economy">Економіка</a></li><li><a href="/sport">Спорт</a></li></ul></nav>
<main><article><h1>Умєров і Лекорню обговорили спільні проєкти</h1>
<time datetime="2025-02-14T11:58:00+02:00">14 лютого 2025, 11:58</time>
{body}</article>
<aside><p>{BOILERPLATE}</p></aside></main>
<footer><p>© 2025 Новини Тест. Усі права захищено.</p></footer>
</body></html>"""


def pages_of(items) -> list[Page]:
    return [item for item in items if isinstance(item, Page)]


def errors_of(items) -> list[ErrorRecord]:
    return [item for item in items if isinstance(item, ErrorRecord)]


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


# ---------------------------------------------------------------- html


def test_html_page_gives_body_and_metadata(tmp_path):
    items = list(read_file(write(tmp_path, "page.html", article_html())))
    assert len(items) == 1 and isinstance(items[0], Page)
    page = items[0]
    assert page.kind == "html"
    assert page.origin.endswith("page.html")
    assert page.text.startswith("Міністр оборони України Рустем Умєров провів у Брюсселі")
    assert "самохідних гаубиць CAESAR" in page.text
    assert page.text.count("\n\n") >= 2  # paragraphs kept apart
    assert "Головна" not in page.text and "Усі права захищено" not in page.text
    assert page.title == "Умєров і Лекорню обговорили спільні проєкти"
    assert page.published == "2025-02-14T11:58:00+02:00"
    assert page.outlet == "Новини Тест"
    assert page.url == "https://news.example.com/2025/02/14/umerov-lecornu"


def test_html_in_cp1251_is_decoded_by_its_meta_charset(tmp_path):
    path = write(tmp_path, "page.html", article_html("windows-1251").encode("cp1251"))
    (page,) = pages_of(read_file(path))
    assert "Себастьяном Лекорню" in page.text


def test_html_date_without_time_stays_a_date(tmp_path):
    html = article_html().replace(
        '<meta property="article:published_time" content="2025-02-14T11:58:00+02:00">',
        '<meta property="article:published_time" content="2025-02-14">',
    ).replace('<time datetime="2025-02-14T11:58:00+02:00">', "<time>")
    (page,) = pages_of(read_file(write(tmp_path, "page.html", html)))
    assert page.published == "2025-02-14"


def test_html_without_article_text_is_an_error(tmp_path):
    items = list(read_file(write(tmp_path, "empty.html", "<!doctype html><html><head><title>x</title></head><body></body></html>")))
    assert [type(item) for item in items] == [ErrorRecord]
    assert "no article text" in items[0].error


def test_gzipped_html_is_read(tmp_path):
    path = write(tmp_path, "page.html.gz", gzip.compress(article_html().encode("utf-8")))
    (page,) = pages_of(read_file(path))
    assert page.kind == "html" and "Себастьяном Лекорню" in page.text


def test_truncated_gzip_is_an_error(tmp_path):
    data = gzip.compress(article_html().encode("utf-8"))
    items = list(read_file(write(tmp_path, "page.html.gz", data[: len(data) // 2])))
    assert [type(item) for item in items] == [ErrorRecord]
    assert "truncated" in items[0].error


# ---------------------------------------------------------------- feeds

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Новини Тест</title><link>https://news.example.com/</link>
<item><title>Умєров зустрівся з Лекорню</title><link>https://news.example.com/a/1</link>
<pubDate>Fri, 14 Feb 2025 11:58:00 +0200</pubDate>
<description><![CDATA[<p>Міністр оборони України Рустем Умєров провів зустріч із міністром збройних сил Франції.</p>
<p>Сторони обговорили спільні проєкти.</p>]]></description></item>
<item><title>Друга новина</title><link>https://news.example.com/a/2</link>
<pubDate>Sat, 15 Feb 2025 08:00:00 GMT</pubDate>
<description>Просто текст без розмітки про другу подію.</description></item>
</channel></rss>"""

ATOM = """\ufeff<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Test</title>
<entry><title>Встреча министров</title><link href="https://atom.example.com/e/1"/>
<id>urn:1</id><published>2025-02-14T09:58:00Z</published><updated>2025-02-14T10:00:00Z</updated>
<content type="html">&lt;p&gt;{body}&lt;/p&gt;</content></entry>
</feed>""".format(body=RU)


def test_rss_items_become_pages(tmp_path):
    items = list(read_file(write(tmp_path, "feed.rss", RSS)))
    first, second = pages_of(items)
    assert first.origin == first.url == "https://news.example.com/a/1"
    assert first.title == "Умєров зустрівся з Лекорню"
    assert first.published == "2025-02-14T11:58:00+02:00"
    assert first.kind == "html"
    assert first.text.startswith("Міністр оборони України Рустем Умєров")
    assert "Сторони обговорили спільні проєкти." in first.text and "<p>" not in first.text
    assert first.outlet == "Новини Тест"
    assert second.kind == "text" and second.text == "Просто текст без розмітки про другу подію."
    assert second.published == "2025-02-15T08:00:00+00:00"


def test_atom_entry_becomes_a_page(tmp_path):
    (page,) = pages_of(read_file(write(tmp_path, "atom.xml", ATOM)))
    assert page.origin == "https://atom.example.com/e/1"
    assert page.title == "Встреча министров"
    assert page.published == "2025-02-14T09:58:00+00:00"
    assert page.text == RU
    assert page.outlet == "Atom Test"


def test_atom_entry_without_published_uses_updated_and_says_so(tmp_path):
    (page,) = pages_of(read_file(write(tmp_path, "atom.xml", ATOM.replace("<published>2025-02-14T09:58:00Z</published>", ""))))
    assert page.published == "2025-02-14T10:00:00+00:00"
    assert any("update time" in warning for warning in page.warnings)


def test_broken_feed_yields_what_it_can_with_a_warning(tmp_path):
    broken = RSS.replace("</channel></rss>", "<item><title>Обрізано & зламано</title>")
    items = list(read_file(write(tmp_path, "broken.xml", broken)))
    pages = pages_of(items)
    assert [page.title for page in pages] == ["Умєров зустрівся з Лекорню", "Друга новина"]
    assert all(any("malformed feed" in warning for warning in page.warnings) for page in pages)
    # the cut-off third item has a title but no text
    assert [error.error for error in errors_of(items)] == ["feed entry has no text"]


def test_feed_with_nothing_readable_is_an_error(tmp_path):
    items = list(read_file(write(tmp_path, "bad.xml", "<?xml version='1.0'?><rss><channel><title>x</title>"), "feed"))
    assert [type(item) for item in items] == [ErrorRecord]
    assert "feed" in items[0].error


# ---------------------------------------------------------------- warc


def make_warc(gzipped: bool = True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)

    def response(uri: str, body: bytes, content_type: str, status: str = "200 OK") -> None:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))

    writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "newsgraph tests"}))
    response("https://news.example.com/1", article_html().encode("utf-8"), "text/html; charset=utf-8")
    response("https://news.example.com/missing", b"<html>not found</html>", "text/html", "404 Not Found")
    response("https://news.example.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
    # cp1251 page that says so only in its HTTP header
    response("https://news.example.com/2", article_html("").encode("cp1251"), "text/html; charset=windows-1251")
    response("https://news.example.com/3", article_html().encode("utf-8"), "text/html")
    # CC-NEWS keeps the server's compression: the payload is gzip with Content-Encoding
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")], protocol="HTTP/1.1"
    )
    payload = io.BytesIO(gzip.compress(article_html().encode("utf-8")))
    writer.write_record(writer.create_warc_record("https://news.example.com/4", "response", payload=payload, http_headers=headers))
    # a page archived without its HTTP exchange
    resource = io.BytesIO(article_html().encode("utf-8"))
    writer.write_record(
        writer.create_warc_record("https://news.example.com/5", "resource", payload=resource, warc_content_type="text/html")
    )
    return buffer.getvalue()


def test_warc_response_records_become_pages(tmp_path):
    items = list(read_file(write(tmp_path, "crawl.warc.gz", make_warc())))
    assert not errors_of(items)
    pages = pages_of(items)
    assert [page.origin for page in pages] == [
        "https://news.example.com/1",
        "https://news.example.com/2",
        "https://news.example.com/3",
        "https://news.example.com/4",
        "https://news.example.com/5",
    ]
    assert all("Себастьяном Лекорню" in page.text for page in pages)
    assert pages[0].published == "2025-02-14T11:58:00+02:00"


@pytest.mark.parametrize("gzipped", [True, False])
def test_truncated_warc_gives_records_before_the_damage_and_one_error(tmp_path, gzipped):
    data = make_warc(gzipped)
    cut = data[: int(len(data) * 0.75)]
    items = list(read_file(write(tmp_path, "cut.warc.gz" if gzipped else "cut.warc", cut)))
    errors = errors_of(items)
    assert len(errors) == 1 and errors[0] is items[-1]
    assert "truncated" in errors[0].error or "damaged" in errors[0].error
    assert [page.origin for page in pages_of(items)][:1] == ["https://news.example.com/1"]


# ---------------------------------------------------------------- jsonl


def test_jsonl_records_and_a_bad_line(tmp_path):
    lines = [
        json.dumps({"url": "https://j.example.com/1", "html": article_html(), "title": "Заголовок із запису"}),
        "{not json",
        json.dumps({"text": UK, "published": "2025-02-14T11:58:00+02:00", "title": "Текст"}, ensure_ascii=False),
        json.dumps({"url": "https://j.example.com/3"}),
        "",
        json.dumps({"url": "https://j.example.com/4", "text": RU, "published": "вчора"}),
    ]
    path = write(tmp_path, "batch.jsonl", "\n".join(lines) + "\n")
    items = list(read_file(path))
    assert [type(item).__name__ for item in items] == ["Page", "ErrorRecord", "Page", "ErrorRecord", "Page"]
    html_page, bad, text_page, empty, dated = items
    assert html_page.origin == "https://j.example.com/1" and html_page.kind == "html"
    assert html_page.title == "Заголовок із запису"  # the record's own title wins
    assert html_page.published == "2025-02-14T11:58:00+02:00"
    assert bad.origin == f"{path}#2" and "invalid JSON" in bad.error
    assert text_page.origin == f"{path}#3" and text_page.kind == "text" and text_page.text == UK
    assert text_page.published == "2025-02-14T11:58:00+02:00"
    assert empty.origin == "https://j.example.com/3"
    assert dated.published is None and dated.warnings


def test_a_file_that_is_no_jsonl_stops_after_a_few_errors(tmp_path, monkeypatch):
    monkeypatch.setattr(readers.jsonl, "MAX_LEADING_ERRORS", 3)
    items = list(read_file(write(tmp_path, "page.html", "<p>line</p>\n" * 50), "jsonl"))
    assert len(items) == 4 and all(isinstance(item, ErrorRecord) for item in items)
    assert "not JSON Lines" in items[-1].error


def test_gzipped_jsonl_is_streamed(tmp_path):
    data = gzip.compress((json.dumps({"url": "https://j.example.com/1", "text": UK}) + "\n").encode("utf-8"))
    (page,) = pages_of(read_file(write(tmp_path, "batch.jsonl.gz", data)))
    assert page.text == UK


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_u", "utf-8-sig", "utf-16", "utf-16-be-bom"])
def test_ukrainian_text_in_every_encoding(tmp_path, encoding):
    data = b"\xfe\xff" + UK.encode("utf-16-be") if encoding == "utf-16-be-bom" else UK.encode(encoding)
    (page,) = pages_of(read_file(write(tmp_path, "page.txt", data), "text"))
    assert page.text == UK


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "koi8_u", "utf-8-sig", "utf-16"])
def test_russian_text_in_every_encoding(tmp_path, encoding):
    (page,) = pages_of(read_file(write(tmp_path, "page.txt", RU.encode(encoding)), "dump"))
    assert page.text == RU


SHORT_UK = ["Зеленський зустрівся з Макроном", "Привіт, світе!", "ЗЕЛЕНСЬКИЙ У БРЮССЕЛІ", "Київ"]
SHORT_RU = ["Путин провёл встречу", "Встреча в Москве", "МИД РОССИИ", "Москва"]
SHORT_CASES = [(text, enc) for text in SHORT_UK for enc in ("cp1251", "koi8_u")] + [
    (text, enc) for text in SHORT_RU for enc in ("cp1251", "koi8_r", "koi8_u")
]


@pytest.mark.parametrize("text, encoding", SHORT_CASES)
def test_short_cyrillic_texts_decode_right(text, encoding):
    assert decode(text.encode(encoding)) == text


def test_western_text_stays_western():
    text = "Café owners in Zürich and Málaga said the façade will reopen — “soon”."
    assert decode(text.encode("cp1252")) == text


def test_declared_charset_is_believed_and_checked():
    assert decode(UK.encode("koi8_u"), declared="koi8-u") == UK
    # a server's default iso-8859-1 on a cp1251 page is overruled by the text itself
    assert decode(UK.encode("cp1251"), declared="iso-8859-1") == UK


def test_utf8_cut_in_the_middle_of_a_character():
    assert decode(UK.encode("utf-8")[:-1]) == UK[:-1]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
        (b"PK\x03\x04" + bytes(200), "ZIP"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(100), "PDF"),
        (bytes(range(32)) * 20, "control bytes"),
    ],
)
def test_binary_files_are_errors(tmp_path, data, reason):
    items = list(read_file(write(tmp_path, "page.txt", data)))
    assert [type(item) for item in items] == [ErrorRecord]
    assert "binary file" in items[0].error and reason in items[0].error


def test_decode_refuses_binary():
    with pytest.raises(DecodeError, match="binary file"):
        decode(b"\x00\x01\x02\x03" * 100)


def test_empty_file_is_an_error(tmp_path):
    assert list(read_file(write(tmp_path, "empty.txt", b""))) == [ErrorRecord(str(tmp_path / "empty.txt"), "empty file")]


def test_whitespace_only_file_is_an_error(tmp_path):
    (item,) = read_file(write(tmp_path, "blank.txt", " \n\t\n"))
    assert isinstance(item, ErrorRecord) and "whitespace" in item.error


def test_file_over_the_size_limit_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSGRAPH_MAX_PAGE_BYTES", "100")
    items = list(read_file(write(tmp_path, "big.txt", UK * 3)))
    assert [type(item) for item in items] == [ErrorRecord]
    assert "too large" in items[0].error


def test_gzip_bomb_over_the_size_limit_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSGRAPH_MAX_PAGE_BYTES", "1000")
    items = list(read_file(write(tmp_path, "big.html.gz", gzip.compress(b"<p>a</p>" * 10000))))
    assert len(items) == 1 and "too large" in items[0].error


def test_missing_file_is_an_error(tmp_path):
    (item,) = read_file(str(tmp_path / "nope.html"))
    assert isinstance(item, ErrorRecord) and "No such file" in item.error


def test_a_folder_of_good_and_bad_files_never_raises(tmp_path):
    write(tmp_path, "a.html", article_html())
    write(tmp_path, "b.png", b"\x89PNG\r\n\x1a\n" + bytes(50))
    write(tmp_path, "c.txt", b"")
    write(tmp_path, "d.txt", UK.encode("cp1251"))
    items = list(read([str(tmp_path)]))
    assert [type(item).__name__ for item in items] == ["Page", "ErrorRecord", "ErrorRecord", "Page"]


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown input format"):
        list(read(["x"], "pdf"))


# ---------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("crawl.txt", lambda: make_warc(False), "warc"),
        ("crawl.html", lambda: make_warc(True), "warc"),
        ("records.txt", lambda: json.dumps({"url": "u", "html": "<p>x</p>"}).encode() + b"\n", "jsonl"),
        ("long.json", lambda: b'{"url": "u", "html": "' + b"x" * 70000 + b'"}\n', "jsonl"),
        ("feed.html", lambda: RSS.encode(), "feed"),
        ("atom.txt", lambda: ATOM.encode("utf-8"), "feed"),
        ("rdf.txt", lambda: b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="x"><channel/></rdf:RDF>', "feed"),
        ("page.json", lambda: article_html().encode(), "html"),
        ("page.txt", lambda: gzip.compress(article_html().encode()), "html"),
        ("fragment.txt", lambda: ("<div><p>a</p><p>b</p>" * 5 + "</div>").encode(), "html"),
        ("dump.html", lambda: UK.encode(), "dump"),
        ("dump.jsonl", lambda: "Київ, 14 лютого. {Не JSON}".encode(), "dump"),
        ("utf16.txt", lambda: ("\ufeff" + article_html()).encode("utf-16-le"), "html"),
    ],
)
def test_sniff_decides_by_content(tmp_path, name, data, expected):
    assert sniff(data()[:65536], name) == expected


def test_auto_reads_a_misnamed_feed_as_a_feed(tmp_path):
    pages = pages_of(read_file(write(tmp_path, "news.html", RSS)))
    assert [page.origin for page in pages] == ["https://news.example.com/a/1", "https://news.example.com/a/2"]


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Fri, 14 Feb 2025 11:58:00 +0200", "2025-02-14T11:58:00+02:00"),
        ("Fri, 14 Feb 2025 11:58:00 GMT", "2025-02-14T11:58:00+00:00"),
        ("2025-02-14T09:58:00Z", "2025-02-14T09:58:00+00:00"),
        ("2025-02-14T11:58:00.123+0200", "2025-02-14T11:58:00+02:00"),
        ("2025-02-14 11:58", "2025-02-14T11:58:00"),
        ("2025-02-14", "2025-02-14"),
        ("вчора", None),
        ("", None),
    ],
)
def test_iso_date(value, expected):
    assert iso_date(value) == expected


# ---------------------------------------------------------------- Zyte benchmark


def test_extraction_f1_on_zyte_pages(shared_data):
    from newsgraph.evaluate.extraction import evaluate

    root = shared_data / "article-extraction-benchmark"
    if not (root / "ground-truth.json").is_file():
        pytest.skip("article-extraction-benchmark is absent from ../shared/data")
    result = evaluate(root, limit=15)
    assert result["pages"] == 15
    assert result["f1"] > 0.9
