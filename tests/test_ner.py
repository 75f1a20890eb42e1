import os
from pathlib import Path

import pytest

from newsgraph.entities.ner import MODELS, recognize, spans_from_labels
from newsgraph.tokenize import tokenize

DATA = Path(os.environ.get("NEWSGRAPH_DATA") or Path(__file__).resolve().parents[1].parent / "shared" / "data")

needs_model = pytest.mark.skipif(not (MODELS / "ner.json").exists(), reason="NER model not trained (python -m newsgraph.train.ner)")


def found(text: str, language: str) -> set[tuple[str, str]]:
    return {(text[s:e], kind) for s, e, kind in recognize(text, language)}


@needs_model
def test_ukrainian_sentence():
    text = "Міністр закордонних справ Польщі Радослав Сікорський прибув до Києва."
    spans = found(text, "uk")
    assert ("Радослав Сікорський", "PER") in spans
    assert ("Польщі", "LOC") in spans
    assert ("Києва", "LOC") in spans


@needs_model
def test_ukrainian_organisations():
    text = "Голова правління НАК «Нафтогаз України» Олексій Чернишов провів переговори з представниками Єврокомісії у Брюсселі."
    spans = found(text, "uk")
    assert ("Олексій Чернишов", "PER") in spans
    assert ("Брюсселі", "LOC") in spans
    assert any(kind == "ORG" and "Нафтогаз" in name for name, kind in spans)


@needs_model
def test_russian_sentence():
    text = "Канцлер Германии Олаф Шольц встретился в Париже с президентом Франции Эммануэлем Макроном."
    spans = found(text, "ru")
    assert ("Олаф Шольц", "PER") in spans
    assert ("Эммануэлем Макроном", "PER") in spans
    assert ("Германии", "LOC") in spans
    assert ("Париже", "LOC") in spans


@needs_model
def test_russian_organisation():
    text = "Представители ООН и МАГАТЭ посетили Запорожскую АЭС, сообщил генеральный директор Рафаэль Гросси."
    spans = found(text, "ru")
    assert ("ООН", "ORG") in spans
    assert ("Рафаэль Гросси", "PER") in spans


@needs_model
def test_english_finds_capitalised_names():
    text = "On Monday, President Joe Biden met Prime Minister Keir Starmer in Washington."
    spans = found(text, "en")
    names = {name for name, _ in spans}
    assert "Joe Biden" in names
    assert "Keir Starmer" in names
    assert "Washington" in names
    assert "Monday" not in names


@needs_model
def test_offsets_point_into_the_text():
    text = "У п'ятницю «Укрзалізниця» та Мінінфраструктури підписали угоду, повідомив Олександр Кубраков."
    for start, end, kind in recognize(text, "uk"):
        assert 0 <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        assert kind in {"PER", "LOC", "ORG", "EVT", "PRO"}


@needs_model
def test_empty_text():
    assert recognize("", "uk") == []
    assert recognize("   \n", "ru") == []


def test_quotes_are_balanced_in_spans():
    text = "пише «Центр моніторингу» і ТОВ «Укрпласт» сьогодні"
    labels = ["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "B-ORG", "I-ORG", "I-ORG", "O", "O"]
    spans = spans_from_labels(tokenize(text), labels)
    assert [text[s:e] for s, e, _ in spans] == ["Центр моніторингу", "ТОВ «Укрпласт»"]


def test_a_place_in_the_genitive_joins_the_organisation_before_it():
    from newsgraph.entities.ner import org_of_place

    text = "МЗС Британії і рішення уряду України та посол у Києві"
    tokens = tokenize(text)
    labels = ["B-ORG", "B-LOC", "O", "O", "O", "B-LOC", "O", "O", "O", "B-LOC"]
    spans = spans_from_labels(tokens, org_of_place(tokens, labels, "uk"))
    assert [(text[s:e], kind) for s, e, kind in spans] == [
        ("МЗС Британії", "ORG"),
        ("уряду України", "ORG"),  # "уряд" is an organisation word
        ("Києві", "LOC"),  # not genitive, and "у" is no organisation word
    ]


def test_an_organisation_with_an_administrative_unit_is_its_branch():
    from newsgraph.entities.ner import branch_of_org

    def branch(text: str, labels: list[str], language: str) -> list[tuple[str, str]]:
        tokens = tokenize(text)
        assert len(tokens) == len(labels)
        return [(text[s:e], kind) for s, e, kind in spans_from_labels(tokens, branch_of_org(tokens, labels, language))]

    assert branch("ДСНС України в Івано-Франківській області", ["B-ORG", "I-ORG", "O", "B-LOC", "I-LOC"], "uk") == [
        ("ДСНС України в Івано-Франківській області", "ORG")]
    assert branch("поліції в місті Києві", ["B-ORG", "O", "O", "B-LOC"], "uk") == [("поліції в місті Києві", "ORG")]
    assert branch("ГУ МВД по Свердловской области", ["B-ORG", "I-ORG", "O", "B-LOC", "I-LOC"], "ru") == [
        ("ГУ МВД по Свердловской области", "ORG")]
    # a place that is no administrative unit is where something happened
    assert branch("Міноборони в Києві", ["B-ORG", "O", "B-LOC"], "uk") == [("Міноборони", "ORG"), ("Києві", "LOC")]
    assert branch("Умєров в Київській області", ["B-PER", "O", "B-LOC", "I-LOC"], "uk") == [
        ("Умєров", "PER"), ("Київській області", "LOC")]


@needs_model
def test_a_lone_plain_quote_at_a_span_end_is_cut_or_paired():
    text = 'газ "Північний потік-2" і газета "Економічна правда" пише'
    tokens = tokenize(text)
    words = [t[0] for t in tokens]
    labels = ["O"] * len(tokens)
    org = words.index("Північний")
    labels[org : org + 3] = ["B-ORG", "I-ORG", "I-ORG"]  # the closing '"' tagged, not the opening one
    pro = words.index("Економічна")
    labels[pro : pro + 3] = ["B-PRO", "I-PRO", "I-PRO"]
    spans = spans_from_labels(tokens, labels)
    assert [(text[s:e], kind) for s, e, kind in spans] == [("Північний потік-2", "ORG"), ('"Економічна правда"', "PRO")]


def test_two_organisations_joined_by_a_conjunction_are_split():
    from newsgraph.entities.ner import split_coordinated

    text = "Nord Stream AG і Nord Stream 2 AG та Коммунистическая партия Чехии и Моравии"
    tokens = tokenize(text)
    words = [t[0] for t in tokens]
    second = words.index("та")
    labels = ["B-ORG"] + ["I-ORG"] * (second - 1) + ["O", "B-ORG"] + ["I-ORG"] * (len(words) - second - 2)
    spans = spans_from_labels(tokens, split_coordinated(tokens, labels))
    assert [text[s:e] for s, e, _ in spans] == [
        "Nord Stream AG",
        "Nord Stream 2 AG",
        "Коммунистическая партия Чехии и Моравии",  # one side is a single word: one name
    ]


def test_a_place_adjective_before_an_organisation_word_is_an_organisation():
    from newsgraph.entities.ner import org_of_adjective

    text = "рішення Стокгольмського суду і Київського метро"
    tokens = tokenize(text)
    labels = ["O", "B-LOC", "O", "O", "B-LOC", "O"]
    spans = spans_from_labels(tokens, org_of_adjective(tokens, labels, "uk"))
    assert [(text[s:e], kind) for s, e, kind in spans] == [("Стокгольмського суду", "ORG"), ("Київського", "LOC")]


@needs_model
def test_regression_floor_on_ner_uk_test():
    root = DATA / "ner-uk" / "v2.0" / "data"
    if not root.is_dir():
        pytest.skip("../shared/data/ner-uk is absent")
    from newsgraph.corpora import ner_uk
    from newsgraph.evaluate.ner import score

    docs = ner_uk.load_split(root, "TEST")[:20]
    result = score(docs, recognize, ("PER", "LOC", "ORG"))
    assert result["all"]["f1"] > 0.75, result
