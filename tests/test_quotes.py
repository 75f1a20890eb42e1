"""Quotes and their speakers (newsgraph.events.quotes), and role facts
(newsgraph.events.roles). Entities are made by hand in our own sentences."""

from __future__ import annotations

import re

from newsgraph.events import analyse_article
from newsgraph.events.roles import roles
from newsgraph.model import Article, Entity, Mention


def make_article(body, people=(), places=(), orgs=(), lang="uk", published=None) -> Article:
    entities = []
    for kind, specs in (("PER", people), ("LOC", places), ("ORG", orgs)):
        for entity_id, name, forms in specs:
            mentions = [
                Mention(m.group(), m.start(), m.end(), name, kind)
                for form in forms
                for m in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", body)
            ]
            entities.append(Entity(entity_id, kind, name, name, None, sorted(mentions, key=lambda x: x.start)))
    return Article(id="q", origin="q", body=body, language=lang, published=published, entities=entities)


def speakers(article: Article) -> list:
    return [(q.text.split()[0], q.speaker["id"] if q.speaker else None) for q in article.quotes]


SHMYHAL = ("shmyhal", "Денис Шмигаль", ["Денис Шмигаль", "Шмигаль", "Шмигаля"])
SVYRYDENKO = ("svyrydenko", "Юлія Свириденко", ["Юлія Свириденко", "Свириденко"])


def test_named_speaker_after_and_before_the_quote():
    body = (
        'Прем\'єр-міністр Денис Шмигаль провів нараду з енергетиками.\n'
        '"Ми маємо пройти зиму без відключень світла", - написав Шмигаль у Telegram.\n'
        'Як повідомила Свириденко: «Уряд виділив кошти на ремонт підстанцій».'
    )
    art = analyse_article(make_article(body, people=[SHMYHAL, SVYRYDENKO]))
    assert speakers(art) == [("Ми", "shmyhal"), ("Уряд", "svyrydenko")]
    first = art.quotes[0]
    # The quote text excludes the marks and matches the body at its offsets.
    assert first.text == "Ми маємо пройти зиму без відключень світла"
    assert art.body[first.start : first.end] == first.text


def test_according_to_and_partial_quote():
    body = (
        "За словами Шмигаля, «уряд готує нові рішення щодо енергетики».\n"
        "Свириденко зазначила, що держава продовжить програму \"Зимова підтримка для громад\"."
    )
    art = analyse_article(make_article(body, people=[SHMYHAL, SVYRYDENKO]))
    assert speakers(art) == [("уряд", "shmyhal"), ("Зимова", "svyrydenko")]


def test_role_reference_resolves_to_the_person_with_that_role():
    body = (
        "Міністр оборони України Рустем Умєров зустрівся з міністром оборони Литви Довіле Шакалене.\n"
        '"Литва продовжить підтримувати наших захисників", — зазначив глава Міноборони.\n'
        '"Ми збільшимо виробництво боєприпасів разом", — підкреслив міністр.'
    )
    art = analyse_article(
        make_article(
            body,
            people=[("umerov", "Рустем Умєров", ["Рустем Умєров"]), ("sakaliene", "Довіле Шакалене", ["Довіле Шакалене"])],
            places=[("ua", "Україна", ["України"]), ("lt", "Литва", ["Литви"])],
        )
    )
    assert speakers(art) == [("Литва", "umerov"), ("Ми", "umerov")]


def test_statement_of_the_cited_organisation():
    body = (
        "Про це повідомляється в Телеграм-каналі Міністерства енергетики України.\n"
        '"Енергетики відновили живлення для 120 тисяч споживачів", йдеться в повідомленні.'
    )
    art = analyse_article(make_article(body, orgs=[("minenergy", "Міністерство енергетики України", ["Міністерства енергетики України"])]))
    assert speakers(art) == [("Енергетики", "minenergy")]


def test_pronoun_speaker_is_the_previous_one():
    body = (
        '"Росія готує новий наступ", - заявив Шмигаль.\n'
        '"Ми маємо бути готові до цього сценарію", - додав він.'
    )
    art = analyse_article(make_article(body, people=[SHMYHAL]))
    assert speakers(art) == [("Росія", "shmyhal"), ("Ми", "shmyhal")]


def test_quoted_names_and_titles_are_not_quotes():
    body = 'Компанія «Нафтогаз» і "Укренерго" обговорили формат "Рамштайн" та резолюцію "Шлях до миру".'
    art = analyse_article(make_article(body))
    assert art.quotes == []


def test_russian_and_english_attributions():
    ru = analyse_article(
        make_article(
            '"Мы продолжим переговоры с партнерами", - сообщил Шмыгаль журналистам.',
            people=[("shmyhal", "Денис Шмыгаль", ["Шмыгаль"])],
            lang="ru",
        )
    )
    assert speakers(ru) == [("Мы", "shmyhal")]
    en = analyse_article(
        make_article(
            '"We will keep supporting Ukraine for as long as it takes," Starmer said on Monday.',
            people=[("starmer", "Keir Starmer", ["Starmer"])],
            lang="en",
        )
    )
    assert speakers(en) == [("We", "starmer")]


def test_unattributed_long_quote_has_no_speaker():
    body = 'На плакатах було написано: "Ми не віддамо жодного метра нашої землі ворогу".'
    art = analyse_article(make_article(body))
    assert len(art.quotes) == 1 and art.quotes[0].speaker is None


def test_role_facts_for_the_store():
    body = "Глава МЗС Литви Кястутіс Будріс прибув до Києва. Його зустрів Андрій Сибіга, міністр закордонних справ України."
    art = make_article(
        body,
        people=[("budrys", "Кястутіс Будріс", ["Кястутіс Будріс"]), ("sybiha", "Андрій Сибіга", ["Андрій Сибіга"])],
        places=[("lt", "Литва", ["Литви"]), ("ua", "Україна", ["України"]), ("kyiv", "Київ", ["Києва"])],
        published="2025-07-01T10:00:00+03:00",
    )
    facts = {f["person"]["id"]: f for f in roles(art)}
    assert facts["budrys"]["role"] == "глава МЗС Литви"
    assert facts["budrys"]["canonical"] == "foreign_minister"
    assert facts["budrys"]["org"] == {"id": "lt", "name": "Литва"}
    assert facts["budrys"]["country"] == "LT"
    assert facts["budrys"]["date"] == "2025-07-01"
    assert facts["sybiha"]["role"] == "міністр закордонних справ України"
    assert facts["sybiha"]["canonical"] == "foreign_minister"
