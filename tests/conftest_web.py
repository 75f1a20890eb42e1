"""Stores for the web tests (imported by test_api.py and test_web_browser.py;
not a pytest conftest).

`build_store` ingests the bundled example pages through the real pipeline
and adds a few hand-made articles with the entities, meetings and quotes the
later stages produce (made-up reports about people in the knowledge base),
so every page has something to show whatever stage has landed. `build_xss_store`
holds articles whose title, body, entity names, places, quotes and URL carry
script-injection payloads.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from newsgraph.ingest import ingest, ingest_articles
from newsgraph.model import Entity, Meeting, Mention, Participant, Quote
from newsgraph.stories.samples import article

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "examples" / "pages"

XSS = (
    "<img src=x onerror=window.__xss=1>",
    "<script>window.__xss=1</script>",
    '"><svg onload=window.__xss=1>',
)


def _entity(eid: str, name: str, kind: str, body: str, forms: list[str], lemma: str | None = None,
            wikidata: str | None = None) -> Entity:
    mentions: list[Mention] = []
    for form in sorted(forms, key=len, reverse=True):  # "Rustem Umerov" before "Umerov"
        start = body.find(form)
        while start >= 0:
            end = start + len(form)
            if not any(m.start < end and start < m.end for m in mentions):
                mentions.append(Mention(text=form, start=start, end=end, lemma=lemma or form, type=kind))
            start = body.find(form, end)
    mentions.sort(key=lambda m: m.start)
    return Entity(id=eid, type=kind, lemma=lemma or forms[0], name=name, wikidata=wikidata, mentions=mentions)


def _span(body: str, text: str) -> tuple[int, int]:
    start = body.index(text)
    return start, start + len(text)


def _quote(body: str, text: str, speaker: tuple[str, str] | None) -> Quote:
    start, end = _span(body, text)
    return Quote(text=text, start=start, end=end, speaker={"id": speaker[0], "name": speaker[1]} if speaker else None)


def _meeting(body: str, sentence: str, people: list[tuple[str, str, str | None]], date: str,
             place: dict | None, topics: list[str]) -> Meeting:
    return Meeting(
        participants=[Participant(id=pid, name=name, role=role) for pid, name, role in people],
        kind="meeting", cameo="040", evidence=[_span(body, sentence)], place=place, date=date,
        date_basis="explicit", topics=topics,
    )


UMEROV = ("umerov-rustem", "Rustem Umerov")
LECORNU = ("lecornu-sebastien", "Sébastien Lecornu")
KALLAS = ("kallas-kaja", "Kaja Kallas")
BACKES = ("backes-yuriko", "Yuriko Backes")
BRUSSELS = {"id": "city-brussels", "name": "Brussels"}
KYIV = {"id": "city-kyiv", "name": "Kyiv"}
PARIS = {"id": "city-paris", "name": "Paris"}


def sample_articles() -> list:
    """Five hand-made reports: four meetings (one reported in English and
    Ukrainian, plus a reprint), with quotes and entities of every type."""
    made = []

    s1 = "Ukraine's defence minister Rustem Umerov met French armed forces minister Sébastien Lecornu in Brussels on 14 February."
    body = (
        f"{s1}\n\n"
        "The ministers discussed joint production of ammunition and air defence systems for Ukraine, "
        "including the maintenance of Caesar howitzers already at the front.\n\n"
        "\"We agreed on the next steps of our joint defence projects,\" Umerov said after the talks at NATO headquarters."
    )
    people = [(*UMEROV, "minister of defence"), (*LECORNU, "minister of the armed forces")]
    made.append(article(
        "Umerov and Lecornu discuss joint arms production in Brussels", body, "en", "2025-02-14T18:00:00+01:00",
        "sample/en-umerov-lecornu.txt", outlet="Example Wire", url="https://example.org/en/umerov-lecornu",
        entities=[
            _entity(*UMEROV, "PER", body, ["Rustem Umerov", "Umerov"], "Rustem Umerov"),
            _entity(*LECORNU, "PER", body, ["Sébastien Lecornu"]),
            _entity("city-brussels", "Brussels", "LOC", body, ["Brussels"], wikidata="Q239"),
            _entity("country-ua", "Ukraine", "LOC", body, ["Ukraine's", "Ukraine"], "Ukraine", wikidata="Q212"),
            _entity("org-nato", "NATO", "ORG", body, ["NATO"], wikidata="Q7184"),
            _entity("pro-caesar", "Caesar", "PRO", body, ["Caesar"]),
        ],
        meetings=[_meeting(body, s1, people, "2025-02-14", BRUSSELS, ["ammunition", "air_defence"])],
        quotes=[_quote(body, "We agreed on the next steps of our joint defence projects", UMEROV)],
        topics=["ammunition", "air_defence", "joint_production"],
    ))

    s2 = "Міністр оборони України Рустем Умєров зустрівся у Брюсселі з міністром збройних сил Франції Себастьяном Лекорню."
    body = (
        f"{s2}\n\n"
        "Сторони обговорили спільне виробництво боєприпасів і систем протиповітряної оборони, "
        "а також обслуговування САУ Caesar, які вже працюють на фронті.\n\n"
        "«Ми домовилися про наступні кроки наших спільних оборонних проєктів», — сказав Умєров після переговорів."
    )
    uk_entities = [
        _entity(*UMEROV, "PER", body, ["Рустем Умєров", "Умєров"], "Рустем Умєров"),
        _entity(*LECORNU, "PER", body, ["Себастьяном Лекорню"], "Себастьян Лекорню"),
        _entity("city-brussels", "Brussels", "LOC", body, ["Брюсселі"], "Брюссель", wikidata="Q239"),
        _entity("country-ua", "Ukraine", "LOC", body, ["України"], "Україна", wikidata="Q212"),
        _entity("country-fr", "France", "LOC", body, ["Франції"], "Франція", wikidata="Q142"),
        _entity("pro-caesar", "Caesar", "PRO", body, ["Caesar"]),
    ]
    uk_meeting = _meeting(body, s2, people, "2025-02-14", BRUSSELS, ["ammunition", "air_defence"])
    uk_quote = _quote(body, "Ми домовилися про наступні кроки наших спільних оборонних проєктів", UMEROV)
    made.append(article(
        "Умєров і Лекорню у Брюсселі обговорили спільне виробництво зброї", body, "uk", "2025-02-14T19:30:00+02:00",
        "sample/uk-umerov-lecornu.txt", outlet="Приклад-Інформ", url="https://example.org/uk/umerov-lecornu",
        entities=uk_entities, meetings=[uk_meeting], quotes=[uk_quote], topics=["ammunition", "air_defence"],
    ))
    # A reprint of the Ukrainian report by another outlet: a near-duplicate.
    made.append(article(
        "Умєров і Лекорню у Брюсселі обговорили спільне виробництво зброї", body, "uk", "2025-02-14T21:05:00+02:00",
        "sample/uk-reprint.txt", outlet="Передрук-Новини", url="https://example.org/reprint/umerov-lecornu",
        entities=uk_entities, meetings=[uk_meeting], quotes=[uk_quote], topics=["ammunition", "air_defence"],
    ))

    s4 = "Rustem Umerov and Kaja Kallas met in Brussels on 11 April to coordinate international military aid."
    body = (
        f"{s4}\n\n"
        "Kallas, the EU's foreign policy chief, said the European Union would speed up deliveries of air defence.\n\n"
        "\"Europe will keep supporting Ukraine for as long as it takes,\" Kallas told reporters."
    )
    made.append(article(
        "Umerov and Kallas coordinate military aid in Brussels", body, "en", "2025-04-11T21:32:00+03:00",
        "sample/en-umerov-kallas.txt", outlet="Example Wire", url="https://example.org/en/umerov-kallas",
        entities=[
            _entity(*UMEROV, "PER", body, ["Rustem Umerov"]),
            _entity(*KALLAS, "PER", body, ["Kaja Kallas", "Kallas"], "Kaja Kallas"),
            _entity("city-brussels", "Brussels", "LOC", body, ["Brussels"], wikidata="Q239"),
            _entity("org-eu", "European Union", "ORG", body, ["European Union", "EU's"], "European Union"),
        ],
        meetings=[_meeting(body, s4, [(*UMEROV, None), (*KALLAS, "high representative")], "2025-04-11", BRUSSELS,
                           ["international_coordination"])],
        quotes=[_quote(body, "Europe will keep supporting Ukraine for as long as it takes", KALLAS)],
        topics=["international_coordination", "financing"],
    ))

    s5 = "Умеров встретился в Киеве с министром обороны Люксембурга Юрико Бакес."
    body = f"{s5}\n\nСтороны обсудили поддержку украинской оборонной промышленности по датской модели."
    made.append(article(
        "Умеров и Бакес обсудили поддержку оборонной промышленности", body, "ru", "2025-03-20T11:31:00+02:00",
        "sample/ru-umerov-backes.txt", outlet="Пример-Ньюс",
        entities=[
            _entity(*UMEROV, "PER", body, ["Умеров"], "Рустем Умеров"),
            _entity(*BACKES, "PER", body, ["Юрико Бакес"], "Юрико Бакес"),
            _entity("city-kyiv", "Kyiv", "LOC", body, ["Киеве"], "Киев", wikidata="Q1899"),
        ],
        meetings=[_meeting(body, s5, [(*UMEROV, "министр обороны"), (*BACKES, "министр обороны")], "2025-03-20",
                           KYIV, ["joint_production"])],
        topics=["joint_production", "financing"],
    ))

    s6 = "Kaja Kallas met Sébastien Lecornu in Paris on 5 May."
    body = f"{s6}\n\nThey discussed European air defence and long-range strike capabilities."
    made.append(article(
        "Kallas and Lecornu meet in Paris", body, "en", "2025-05-05T12:00:00+02:00", "sample/en-kallas-lecornu.txt",
        outlet="Example Wire",
        entities=[
            _entity(*KALLAS, "PER", body, ["Kaja Kallas"]),
            _entity(*LECORNU, "PER", body, ["Sébastien Lecornu"]),
            _entity("city-paris", "Paris", "LOC", body, ["Paris"], wikidata="Q90"),
        ],
        meetings=[_meeting(body, s6, [(*KALLAS, None), (*LECORNU, None)], "2025-05-05", PARIS, ["air_defence"])],
        topics=["air_defence", "long_range_strike"],
    ))
    return made


def build_store(path: Path) -> Path:
    """The example pages (real pipeline) plus the hand-made reports."""
    ingest([str(PAGES)], path)
    ingest_articles(sample_articles(), path)
    return path


def xss_articles() -> list:
    img, script, svg = XSS
    name = f"Evil{img}"
    title = f"Breaking {img} news {svg}"
    body = (
        f"Minister {name} met {script} officials in {svg}.\n\n"
        f"\"Quote {img} here,\" said {name}.\n\n"
        f"Plain text with {script} and & ampersands < > \" '."
    )
    sentence = body.split("\n")[0]
    evil = Entity(id=f"per:{svg}", type="PER", lemma=name, name=name, mentions=[])
    for form in (name,):
        start = body.find(form)
        while start >= 0:
            evil.mentions.append(Mention(text=form, start=start, end=start + len(form), lemma=name, type="PER"))
            start = body.find(form, start + len(form))
    place = Entity(id="loc:evil", type="LOC", lemma=svg, name=svg,
                   mentions=[Mention(text=svg, start=body.index(svg), end=body.index(svg) + len(svg), lemma=svg, type="LOC")])
    meeting = Meeting(
        participants=[Participant(id=evil.id, name=name, role=script), Participant(id="", name=f"Nameless {img}")],
        kind=f"meeting{img}", cameo="040", evidence=[_span(body, sentence)], place={"id": None, "name": svg},
        date="2025-06-01", date_basis="explicit", topics=[f"topic{script}"],
    )
    quote = _quote(body, f"Quote {img} here", (evil.id, name))
    return [
        article(title, body, "en", "2025-06-01T10:00:00+00:00", "sample/xss.txt", outlet=f"Outlet {script}",
                url="javascript:window.__xss=1", entities=[evil, place], meetings=[meeting], quotes=[quote],
                topics=[f"topic{script}"]),
    ]


def build_xss_store(path: Path) -> Path:
    ingest_articles(xss_articles(), path)
    return path


_BUILT: dict[tuple[str, str], Path] = {}


def shared_store(tmp_path_factory, kind: str = "main") -> Path:
    """One store per test session and kind, however many modules ask
    (building the main one runs the NLP pipeline)."""
    key = (str(tmp_path_factory.getbasetemp()), kind)
    if key not in _BUILT:
        folder = tmp_path_factory.mktemp(f"web-{kind}")
        builder = build_store if kind == "main" else build_xss_store
        _BUILT[key] = builder(folder / "news.db")
        # A pristine copy for tests that write.
        shutil.copy(_BUILT[key], folder / "pristine.db")
    return _BUILT[key]


def writable_copy(tmp_path_factory, kind: str = "main") -> Path:
    source = shared_store(tmp_path_factory, kind).parent / "pristine.db"
    target = tmp_path_factory.mktemp(f"web-{kind}-copy") / "news.db"
    shutil.copy(source, target)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(app):
    """A real uvicorn server for `app` on a free loopback port, in a thread."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
