from newsgraph.entities import repeated_surnames


def test_surname_found_in_full_name_is_tagged_elsewhere():
    body = "Міністр Себастьєн Лекорню прибув. Лекорню зазначив, що Лекорнюк — інша людина."
    spans = [(8, 25, "PER")]
    added = repeated_surnames(body, spans)
    assert [body[s:e] for s, e, _ in added] == ["Лекорню"]


def test_inflected_surname_and_no_overreach():
    body = "Посол Девід Росс виступив. Росса вислухали в Россіяні. Мешканці Россії."
    spans = [(6, 16, "PER")]
    found = [body[s:e] for s, e, _ in repeated_surnames(body, spans)]
    assert found == ["Росса"]


def test_nothing_without_full_names():
    assert repeated_surnames("Умєров сказав. Умєров пішов.", [(0, 6, "PER")]) == []
