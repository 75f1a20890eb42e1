import pytest

from newsgraph.language import detect


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Уряд ухвалив рішення про підтримку енергетичних компаній взимку.", "uk"),
        ("Правительство приняло решение о поддержке энергетических компаний зимой.", "ru"),
        ("The government decided to support energy companies in winter.", "en"),
        ("Rząd podjął decyzję o wsparciu firm energetycznych zimą.", "other"),
        ("Урад прыняў рашэнне аб падтрымцы энергетычных кампаній зімой.", "other"),
        ("12:30", "und"),
        ("", "und"),
    ],
)
def test_detect(text, expected):
    assert detect(text) == expected


def test_accuracy_on_slavicner_raw(shared_data):
    from newsgraph.evaluate.language import evaluate

    result = evaluate(shared_data)
    assert result["documents"] == 1203
    assert result["accuracy"] >= 0.995, result["errors"]
