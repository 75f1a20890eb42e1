"""Topics matched on lemmas against the taxonomy (newsgraph.events.topics)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from newsgraph.events import analyse_article
from newsgraph.events.topics import label, taxonomy, text_topics
from newsgraph.model import Article, Entity, Mention


@pytest.mark.parametrize(
    "text,lang,topic",
    [
        ("Партнери передадуть нові засоби ППО.", "uk", "air_defence"),
        ("Партнеры передадут новые системы ПВО.", "ru", "air_defence"),
        ("Partners will send more air defence systems.", "en", "air_defence"),
        ("Україна отримає більше безпілотників і БпЛА.", "uk", "drones"),
        ("Стороны обсудили средства РЭБ.", "ru", "electronic_warfare"),
        ("Йдеться про постачання 155-мм снарядів.", "uk", "ammunition"),
        ("Данія фінансує виробництво за датською моделлю.", "uk", "financing"),
        ("Країни запровадять новий пакет санкцій.", "uk", "sanctions"),
        ("Партнери обговорили підготовку пілотів F-16.", "uk", "combat_aviation"),
        ("Тема засідання у форматі Рамштайн - допомога Україні.", "uk", "international_coordination"),
        ("Они договорились о совместном производстве.", "ru", "joint_production"),
        ("The sides discussed joint production of shells.", "en", "joint_production"),
        ("Приділили увагу обслуговуванню САУ.", "uk", "maintenance"),
        ("Пріоритет - проєкти у сфері досліджень і розробок (R&D).", "uk", "research_development"),
    ],
)
def test_terms_match_inflected_forms(text, lang, topic):
    assert topic in text_topics(text, lang)


def test_abbreviations_match_only_in_capitals():
    # "про" (about) is not ПРО (missile defence).
    assert "air_defence" not in text_topics("Міністр розповів про зустріч.", "uk")
    assert "air_defence" in text_topics("Обговорили системи ПРО.", "uk")


def test_weak_terms_need_company():
    assert "financing" not in text_topics("Завод отримав кошти.", "uk")
    assert "financing" in text_topics("Партнери виділили кошти і гроші.", "uk")


def test_taxonomy_has_labels_in_three_languages():
    index = taxonomy()
    required = {
        "air_defence", "ammunition", "artillery", "armoured_vehicles", "combat_aviation", "drones",
        "electronic_warfare", "long_range_strike", "naval", "financing", "joint_production",
        "research_development", "maintenance", "training", "digital_transformation", "sanctions",
        "energy", "humanitarian", "international_coordination", "defence_budgets", "european_security",
    }
    assert required <= set(index.topics)
    for topic in index.topics.values():
        assert {"en", "uk", "ru"} <= set(topic.label), topic.id
    assert label("drones", "uk") == "дрони"


def test_user_taxonomy_extends_the_builtin_one(tmp_path, monkeypatch):
    extra = tmp_path / "my_topics.yaml"
    extra.write_text(
        yaml.safe_dump(
            {"topics": [
                {"id": "space", "label": {"en": "space", "uk": "космос", "ru": "космос"}, "terms": {"uk": ["супутник"], "en": ["satellite"]}},
                {"id": "drones", "terms": {"uk": ["мавік"]}},
            ]},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWSGRAPH_TOPICS", str(extra))
    assert "space" in text_topics("Україна запустила супутник.", "uk")
    assert "drones" in text_topics("Бійці отримали мавіки.", "uk")
    assert "drones" in text_topics("Бійці отримали дрони.", "uk")  # the built-in terms stay


# Our topic ids for the topic names the sample pages' expected.json uses.
SEED_TOPIC_NAMES = {
    "air and missile defence": "air_defence",
    "ammunition": "ammunition",
    "aviation weapons": "combat_aviation",
    "combat aircraft": "combat_aviation",
    "financing": "financing",
    "maintenance of delivered weapons": "maintenance",
    "long-range weapons": "long_range_strike",
    "long-range strike": "long_range_strike",
    "electronic warfare": "electronic_warfare",
    "drones": "drones",
    "artillery": "artillery",
    "joint production": "joint_production",
    "defence budgets": "defence_budgets",
    "European security": "european_security",
    "digital transformation": "digital_transformation",
    "international coordination (Ramstein, coalition of the willing)": "international_coordination",
    "research and development": "research_development",
}
PAGES = Path(__file__).resolve().parents[1] / "examples" / "pages"


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.txt")))
def test_seed_topics(name, seed_expected):
    """Topics do not depend on entities: the article's topics must include
    every expected one (extra topics are allowed, but not many)."""
    expected = seed_expected["pages"][name]
    raw = (PAGES / name).read_text(encoding="utf-8")
    start = raw.index(expected["body_starts_with"])
    end = raw.rindex(expected["body_ends_with"]) + len(expected["body_ends_with"])
    article = Article(id=name, origin=name, body=raw[start:end], language=expected["language"], title=expected["title"], published=expected["published"])
    ours = set(analyse_article(article).topics)
    wanted = {SEED_TOPIC_NAMES[t] for t in expected["topics"]}
    assert wanted <= ours, wanted - ours
    assert len(ours - wanted) <= 5, ours - wanted


def test_meeting_topics_come_from_the_paragraphs_that_describe_it():
    body = (
        "Сибіга зустрівся з Рубіо у Вашингтоні.\n"
        "Сторони обговорили санкції проти Росії.\n"
        "Окремо Сибіга провів зустріч з Лемі.\n"
        "Вони говорили про енергетичну безпеку."
    )
    people = {"sybiha": ["Сибіга"], "rubio": ["Рубіо"], "lammy": ["Лемі"]}
    entities = [
        Entity(pid, "PER", forms[0], forms[0], None, [Mention(m.group(), m.start(), m.end(), forms[0], "PER") for f in forms for m in re.finditer(f, body)])
        for pid, forms in people.items()
    ]
    article = analyse_article(Article(id="m", origin="m", body=body, language="uk", entities=entities))
    by_people = {frozenset(p.id for p in m.participants): m.topics for m in article.meetings}
    assert "sanctions" in by_people[frozenset({"sybiha", "rubio"})]
    assert "energy" not in by_people[frozenset({"sybiha", "rubio"})]
    assert "energy" in by_people[frozenset({"sybiha", "lammy"})]
    assert set(article.topics) >= {"sanctions", "energy"}
