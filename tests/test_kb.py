"""The knowledge base: bundled data integrity, lookup behaviour, user files."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest

from newsgraph.kb import (
    KB_DIR,
    KBError,
    KBRole,
    bundled_paths,
    load_kb,
    normalize_key,
    read_kb_file,
)

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en", "uk", "ru")


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def _iso(date: str) -> dt.date:
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return dt.date(*parts[:3])


# -- the bundled data ---------------------------------------------------------


def test_bundled_files_load_and_are_all_used(kb):
    names = {p.name for p in bundled_paths()}
    assert {"countries.yaml", "cities.yaml", "organisations.yaml", "people.yaml", "events.yaml"} <= names
    for path in bundled_paths():
        assert read_kb_file(path), f"{path.name} is empty"
    assert len(kb) > 700


def test_ids_are_unique_across_files():
    seen: dict[str, str] = {}
    for path in bundled_paths():
        for entity in read_kb_file(path):
            assert entity.id not in seen, f"{entity.id} in {path.name} and {seen.get(entity.id)}"
            seen[entity.id] = path.name


def test_every_entity_has_canonical_names_in_three_languages(kb):
    for entity in kb.entities.values():
        for lang in LANGS:
            assert entity.names.get(lang) and entity.names[lang][0].strip(), f"{entity.id}: no {lang} name"


def test_wikidata_ids_are_well_formed_and_unique(kb):
    owners: dict[str, str] = {}
    for entity in kb.entities.values():
        if entity.wikidata:
            assert re.fullmatch(r"Q\d+", entity.wikidata), entity.id
            assert entity.wikidata not in owners, f"{entity.wikidata}: {entity.id} and {owners[entity.wikidata]}"
            owners[entity.wikidata] = entity.id
    assert kb.by_wikidata("Q212").id == "country-ua"
    assert kb.by_wikidata("Q7184").id == "org-nato"
    assert kb.by_wikidata("Q1") is None


def _resolves(kb, ref: str) -> bool:
    return ref in kb or (len(ref) == 2 and kb.country(ref) is not None)


def test_references_resolve(kb):
    for entity in kb.entities.values():
        if entity.country:
            assert kb.country(entity.country), f"{entity.id}: country {entity.country} has no entity"
        if entity.part_of:
            assert _resolves(kb, entity.part_of), f"{entity.id}: part_of {entity.part_of}"
        for role in entity.roles:
            assert role.of is None or _resolves(kb, role.of), f"{entity.id}: role of {role.of}"


def test_role_dates_parse_and_are_ordered(kb):
    for entity in kb.entities.values():
        assert not entity.roles or entity.type == "PER", entity.id
        for role in entity.roles:
            for date in (role.from_, role.to):
                if date:
                    _iso(date)  # raises on a bad date
            if role.from_ and role.to:
                assert _iso(role.from_) <= _iso(role.to), f"{entity.id}: {role}"


def test_people_have_gender_and_types_are_known(kb):
    for entity in kb.entities.values():
        assert entity.type in {"PER", "LOC", "ORG", "EVT", "PRO"}
        if entity.type == "PER":
            assert entity.gender in ("m", "f"), entity.id
        if entity.media:
            assert entity.type == "PRO", entity.id


def test_every_iso_country_is_present(kb):
    pycountry = pytest.importorskip("pycountry")
    for country in pycountry.countries:
        entity = kb.country(country.alpha_2)
        assert entity is not None and entity.id == f"country-{country.alpha_2.lower()}"


def test_countries_yaml_matches_its_generator():
    pycountry = pytest.importorskip("pycountry")
    text = (KB_DIR / "countries.yaml").read_text(encoding="utf-8")
    if f"pycountry {getattr(pycountry, '__version__', '?')}." not in text:
        pytest.skip("countries.yaml was built with another pycountry version")
    spec = importlib.util.spec_from_file_location("build_kb_countries", ROOT / "tools" / "build_kb_countries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render_countries() == text, "rerun tools/build_kb_countries.py"


# -- lookup ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "entity_id"),
    [
        (["Рустем Умєров", "Рустем Умеров", "Rustem Umerov"], "umerov-rustem"),
        (["Себастьян Лекорню", "Себастьєн Лекорню", "Себастьен Лекорню", "Sébastien Lecornu", "Sebastien Lecornu"], "lecornu-sebastien"),
        (["Кая Каллас", "Kaja Kallas"], "kallas-kaja"),
        (["Юріко Бакес", "Юрико Бакес", "Yuriko Backes"], "backes-yuriko"),
        (["Володимир Зеленський", "Владимир Зеленский", "Volodymyr Zelensky", "Volodymyr Zelenskyy"], "zelensky-volodymyr"),
        (["Київ", "Киев", "Kyiv", "Kiev"], "city-kyiv"),
        (["Брюссель", "Brussels"], "city-brussels"),
        (["ЄС", "Євросоюз", "ЕС", "Евросоюз", "EU", "Європейський Союз"], "org-eu"),
        (["США", "Сполучені Штати", "Штати", "Соединённые Штаты", "U.S.", "USA"], "country-us"),
        (["Велика Британія", "Великобританія", "Британія", "Великобритания", "UK", "Britain"], "country-gb"),
        (["Міністерство оборони України", "Міноборони", "МОУ", "Министерство обороны Украины"], "org-ua-ministry-of-defence"),
        (["Радбез ООН", "СБ ООН", "UN Security Council"], "org-un-security-council"),
        (["Сумська область", "Сумская область", "Сумщина", "Sumy Oblast"], "region-sumy-oblast"),
        (["Інтерфакс-Україна", "Интерфакс-Украина", "Interfax-Ukraine"], "media-interfax-ukraine"),
    ],
)
def test_names_in_three_languages_reach_the_same_entity(kb, names, entity_id):
    for name in names:
        assert [e.id for e in kb.lookup(name)] == [entity_id], name


def test_lookup_tolerates_typography(kb):
    for variant in ("Слов'янськ", "Слов’янськ", "Словʼянськ", "слов`янськ", " СЛОВ'ЯНСЬК "):
        assert [e.id for e in kb.lookup(variant)] == ["city-sloviansk"], variant
    assert kb.lookup("Рада Україна – НАТО")[0].id == "org-nato-ukraine-council"
    assert kb.lookup("«Укроборонпром»")[0].id == "org-ukroboronprom"
    assert kb.lookup("Пётр Порошенко")[0].id == kb.lookup("Петр Порошенко")[0].id
    assert kb.lookup("J. D. Vance")[0].id == "vance-jd"
    assert kb.lookup("Rzeszow")[0].id == "city-rzeszow"
    assert kb.lookup("no such entity at all") == []


def test_ambiguous_names_return_every_candidate(kb):
    luxembourg = kb.lookup("Люксембург")
    assert {e.id for e in luxembourg} == {"country-lu", "city-luxembourg"}
    assert luxembourg[0].id == "country-lu"  # the likelier reading first
    ramstein = kb.lookup("Рамштайн")
    assert {(e.id, e.type) for e in ramstein} == {
        ("loc-ramstein-air-base", "LOC"),
        ("evt-ukraine-defense-contact-group", "EVT"),
    }
    assert {e.id for e in kb.lookup("Минобороны", "ru")} == {"org-ua-ministry-of-defence", "org-ru-ministry-of-defence"}


def test_language_hint_orders_but_never_filters(kb):
    # A Latin name in a Ukrainian text still resolves.
    assert kb.lookup("Reuters", "uk")[0].id == "media-reuters"
    assert kb.lookup("Brussels", "ru")[0].id == "city-brussels"


def test_canonical_names(kb):
    umerov = kb.get("umerov-rustem")
    assert (umerov.name("uk"), umerov.name("ru"), umerov.name("en")) == ("Рустем Умєров", "Рустем Умеров", "Rustem Umerov")
    assert umerov.name("de") == "Rustem Umerov"  # falls back to English


def test_roles_by_date(kb):
    umerov = kb.get("umerov-rustem")
    assert [r.role for r in umerov.roles_on("2025-02-14")] == ["minister of defence"]
    assert "minister of defence" not in [r.role for r in umerov.roles_on("2025-09-01")]
    assert "minister of defence" in [r.role for r in kb.get("shmyhal-denys").roles_on("2025-09-01")]
    assert "secretary general" in [r.role for r in kb.get("rutte-mark").roles_on("2025-04-11")]
    role = KBRole(role="x", from_="2023-09", to="2025-07")
    assert role.active_on("2025-07-20") and role.active_on("2023-09-01") and role.active_on("2024")
    assert not role.active_on("2023-08-31") and not role.active_on("2025-08")


def test_normalize_key():
    assert normalize_key("Слов’янськ") == normalize_key("Слов'янськ")
    assert normalize_key("Пётр") == normalize_key("Петр")
    assert normalize_key("Ґренландія") == normalize_key("Гренландія")
    assert normalize_key("Косіняк-Камиш") == normalize_key("Косіняк – Камиш") == "косіняк камиш"
    assert normalize_key("U.S.A.") == "usa"
    assert normalize_key("Nausėda Błaszczak Erdoğan") == "nauseda blaszczak erdogan"
    # Cyrillic letters with diacritics are letters of their own and stay.
    assert normalize_key("Київ Йорданія") == "київ йорданія"
    # A Latin look-alike inside a Cyrillic word is folded; Latin words stay.
    assert normalize_key("Джoнсон EC") == "джонсон ec"


# -- user files -------------------------------------------------------------------

USER_ENTRY = """\
- id: smith-john-test
  type: PER
  gender: m
  country: GB
  names:
    en: [John Smithfield]
    uk: [Джон Смітфілд]
  roles:
    - {role: minister of defence, of: GB, from: 2030-01}
"""


def test_user_file_from_env_var_adds_an_entity(tmp_path, monkeypatch):
    path = tmp_path / "mine.yaml"
    path.write_text(USER_ENTRY, encoding="utf-8")
    monkeypatch.setenv("NEWSGRAPH_KB", str(path))
    kb = load_kb()
    assert [e.id for e in kb.lookup("Джон Смітфілд")] == ["smith-john-test"]
    assert kb.get("smith-john-test").source == str(path.resolve())
    assert "umerov-rustem" in kb  # the bundled data is still there
    monkeypatch.delenv("NEWSGRAPH_KB")
    assert "smith-john-test" not in load_kb()


def test_user_file_from_extra_paths(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(USER_ENTRY, encoding="utf-8")
    assert load_kb(extra_paths=[path]).lookup("John Smithfield")[0].id == "smith-john-test"
    assert load_kb(extra_paths=[path]) is load_kb(extra_paths=[str(path)])  # cached


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- id: a\n  type: PER\n  names: [oops\n", r"not valid YAML"),
        ("id: a\n", r"must be a YAML list"),
        (USER_ENTRY + "- id: second-entry\n  names:\n    en: [X]\n", r"entry 2 \(id 'second-entry'\): type"),
        ("- id: b\n  type: ORG\n  wikidata: 212\n  names:\n    en: [B]\n", r"entry 1 \(id 'b'\): wikidata"),
        ("- id: c\n  type: ORG\n  alias:\n    en: [C]\n  names:\n    en: [C]\n", r"unknown field\(s\) \['alias'\]"),
        ("- id: Bad Id\n  type: ORG\n  names:\n    en: [D]\n", r"ascii lower-case slug"),
        ("- id: e\n  type: PER\n  names:\n    en: [E]\n  roles:\n    - {role: x, from: 2025-07, to: 2024-01}\n", r"after"),
        ("- id: f\n  type: PER\n  names:\n    en: [F]\n  roles:\n    - {role: x, from: last year}\n", r"YYYY"),
        ("- id: umerov-rustem\n  type: PER\n  names:\n    en: [Again]\n", r"already defined in .*people\.yaml"),
        ("- id: g\n  type: LOC\n  country: NO\n  names:\n    en: [G]\n", r"country must be a string, got False: quote it"),
    ],
)
def test_malformed_user_file_gives_a_clear_error(tmp_path, text, expected):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KBError, match=expected) as error:
        load_kb(extra_paths=[path])
    assert str(path.resolve()) in str(error.value) or str(path) in str(error.value)


def test_missing_user_file_is_an_error(tmp_path):
    with pytest.raises(KBError, match="cannot read"):
        load_kb(extra_paths=[tmp_path / "absent.yaml"])


def test_entities_pickle_and_hash_by_id(kb):
    import pickle

    umerov = kb.get("umerov-rustem")
    copy = pickle.loads(pickle.dumps(umerov))
    assert copy == umerov and hash(copy) == hash(umerov) and copy.names == umerov.names
    assert len({umerov, copy, kb.get("kallas-kaja")}) == 2


# -- coverage for real news -------------------------------------------------------


def test_us_states_are_regions_of_the_us_and_not_confused_with_namesakes(kb):
    states = [e for e in kb.entities.values() if e.id.startswith("us-")]
    assert len(states) == 51  # 50 states and DC
    assert all(e.type == "LOC" and e.kind == "region" and e.country == "US" for e in states)
    for name in ("Техас", "Texas"):
        assert [e.id for e in kb.lookup(name)] == ["us-texas"], name
    assert [e.id for e in kb.lookup("Пенсільванія")] == ["us-pennsylvania"]
    assert [e.id for e in kb.lookup("Пенсильвания")] == ["us-pennsylvania"]
    # "Джорджія" is the state, "Грузія" the country.
    assert [e.id for e in kb.lookup("Джорджія")] == ["us-georgia"]
    assert [e.id for e in kb.lookup("Джорджия")] == ["us-georgia"]
    assert [e.id for e in kb.lookup("Грузія")] == ["country-ge"]
    # The bare city names stay with the cities.
    assert [e.id for e in kb.lookup("Нью-Йорк")] == ["city-new-york"]
    assert [e.id for e in kb.lookup("Вашингтон")] == ["city-washington"]
    assert [e.id for e in kb.lookup("штат Нью-Йорк")] == ["us-new-york"]


@pytest.mark.parametrize(
    ("names", "entity_id"),
    [
        (["Демократична партія", "Демократическая партия", "Democratic Party"], "party-us-democratic"),
        (["Республіканська партія", "Республиканская партия", "GOP"], "party-us-republican"),
        (["Лейбористська партія", "Лейбористская партия", "лейбористы"], "party-gb-labour"),
        (["ХДС", "CDU", "Христианско-демократический союз"], "party-de-cdu"),
        (["Альтернатива для Німеччини", "АдГ", "AfD"], "party-de-afd"),
        (["Слуга народу", "Слуга народа", "Servant of the People"], "party-ua-servant-of-the-people"),
        (["Єдина Росія", "Единая Россия"], "party-ru-united-russia"),
        (["Брексит", "Брекзит", "Brexit"], "evt-brexit"),
        (["коронавірус", "коронавирус", "COVID-19", "SARS-CoV-2"], "evt-covid-19-pandemic"),
        (["Друга світова війна", "Вторая мировая война", "World War II"], "evt-world-war-ii"),
        (["Євромайдан", "Евромайдан"], "evt-euromaidan"),
        (["Палата громад", "Палата общин", "House of Commons"], "org-uk-house-of-commons"),
        (["ФБР", "FBI"], "org-fbi"),
        (["Кнесет", "Кнессет", "Knesset"], "org-knesset"),
        (["Ryanair", "Райанэйр"], "org-ryanair"),
        (["HIMARS", "Хаймарс"], "pro-himars"),
        (["Іскандер", "Искандер", "Iskander"], "pro-iskander"),
        (["Спутник V", "Sputnik V"], "pro-sputnik-v"),
        (["Даунінг-стріт", "Даунинг-стрит", "Downing Street"], "loc-downing-street"),
        (["Близький Схід", "Ближний Восток", "Middle East"], "region-middle-east"),
        (["Девід Девіс", "Дэвид Дэвис", "David Davis"], "davis-david"),
        (["Хайко Маас", "Гайко Маас", "Heiko Maas"], "maas-heiko"),
    ],
)
def test_added_entities_are_reached_in_three_languages(kb, names, entity_id):
    for name in names:
        assert [e.id for e in kb.lookup(name)] == [entity_id], name


def test_a_pipeline_and_its_company_share_a_name_and_differ_in_type(kb):
    # "Північний потік-2" names the pipeline (PRO) and its operator (ORG): the
    # mention's type decides, so both must be returned, one of each type.
    for name in ("Північний потік-2", "Северный поток-2", "Nord Stream 2"):
        found = {(e.id, e.type) for e in kb.lookup(name)}
        assert found == {("pro-nord-stream-2", "PRO"), ("org-nord-stream-2-ag", "ORG")}, name
    assert {e.id for e in kb.lookup("Nord Stream 2 AG")} == {"org-nord-stream-2-ag"}


# Keys that name two entities of one type: the linker can only take the first,
# so each such clash must be a deliberate, known one.
KNOWN_SAME_TYPE_CLASHES = {"luxembourg", "люксембург", "генштаб", "минобороны"}


def test_no_new_name_clashes_within_a_type(kb):
    clashes = set()
    for key, ids in kb.keys().items():
        types = [kb.get(i).type for i in ids]
        if len(set(types)) < len(types):
            clashes.add(key)
    assert clashes <= KNOWN_SAME_TYPE_CLASHES, sorted(clashes - KNOWN_SAME_TYPE_CLASHES)


def test_roles_of_added_people(kb):
    assert [r.role for r in kb.get("raab-dominic").roles_on("2020-05")] == ["minister of foreign affairs"]
    assert kb.get("raab-dominic").roles_on("2024-01") == []
    assert "prime minister" in [r.role for r in kb.get("khan-imran").roles_on("2020-01")]
    assert "speaker of the house of representatives" in [r.role for r in kb.get("johnson-mike").roles_on("2025-03")]
    corbyn = kb.get("corbyn-jeremy").roles_on("2018")
    assert [(r.role, r.of) for r in corbyn] == [("party leader", "party-gb-labour")]
