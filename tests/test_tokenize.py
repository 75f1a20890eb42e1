from newsgraph.tokenize import sentences, tokenize


def words(text: str) -> list[str]:
    return [token for token, _, _ in tokenize(text)]


def test_offsets_round_trip():
    text = "ПАТ «Укрпласт», за даними «Інтерфакс-Україна», у п'ятницю (12.03) отримав 7,08 млн грн."
    for token, start, end in tokenize(text):
        assert text[start:end] == token


def test_glued_punctuation_is_split():
    assert words("ТОВ «Укрпласт»,") == ["ТОВ", "«", "Укрпласт", "»", ","]
    assert words("(Київ)") == ["(", "Київ", ")"]
    assert words('сказав:"Так!"') == ["сказав", ":", '"', "Так", "!", '"']


def test_apostrophes_stay_inside_ukrainian_words():
    for form in ("п'ятницю", "п’ятницю", "пʼятницю", "м'ясо"):
        assert words(f"У {form} вранці") == ["У", form, "вранці"]


def test_quote_apostrophes_are_punctuation():
    assert words("'Слово'") == ["'", "Слово", "'"]


def test_hyphenated_words_stay_whole():
    assert words("Інтерфакс-Україна") == ["Інтерфакс-Україна"]
    assert words("Нью-Йорк і Ростов-на-Дону") == ["Нью-Йорк", "і", "Ростов-на-Дону"]
    assert words("COVID-19 та Су-27") == ["COVID-19", "та", "Су-27"]


def test_dash_between_words_is_a_token():
    assert words("Київ - столиця") == ["Київ", "-", "столиця"]
    assert words("Київ — столиця") == ["Київ", "—", "столиця"]


def test_initials_and_abbreviations_keep_their_dot():
    assert words("В.І. Вернадський") == ["В.І.", "Вернадський"]
    assert words("В. Зеленський у м. Київ, вул. Хрещатик") == ["В.", "Зеленський", "у", "м.", "Київ", ",", "вул.", "Хрещатик"]
    assert words("та ін. т.д.") == ["та", "ін.", "т.д."]
    assert words("Mr. Smith") == ["Mr.", "Smith"]


def test_sentence_final_dot_is_split():
    assert words("прибув до Києва.") == ["прибув", "до", "Києва", "."]


def test_numbers_keep_separators():
    assert words("7,08 млн, 1.5 та 2020-го") == ["7,08", "млн", ",", "1.5", "та", "2020-го"]


def test_urls_and_emails_are_one_token():
    text = "Див. https://www.pravda.com.ua/news/2020/1/. Пишіть на info@ukr.net або Censor.net"
    tokens = words(text)
    assert "https://www.pravda.com.ua/news/2020/1/" in tokens
    assert "info@ukr.net" in tokens
    assert "Censor.net" in tokens
    assert tokens[tokens.index("https://www.pravda.com.ua/news/2020/1/") + 1] == "."


def test_sentences():
    text = "Зеленський прибув до м. Варшава. Там його зустрів В. Туск!\nНовий абзац «Так». Кінець"
    found = [text[a:b] for a, b in sentences(text)]
    assert found == ["Зеленський прибув до м. Варшава.", "Там його зустрів В. Туск!", "Новий абзац «Так».", "Кінець"]


def test_sentence_may_end_with_an_abbreviation():
    text = "Сума склала 5 млн грн. Далі буде."
    assert [text[a:b] for a, b in sentences(text)] == ["Сума склала 5 млн грн.", "Далі буде."]


def test_empty_text():
    assert tokenize("") == []
    assert sentences("   ") == []


def test_spaced_initials_do_not_end_a_sentence():
    text = "Це довів О . М . Бутлеров у м . Казань ."
    assert [text[a:b] for a, b in sentences(text)] == [text]


def test_line_break_after_a_title_abbreviation_does_not_end_a_sentence():
    text = "Офіс на пров.\\nМузейний, 12. Далі"
    assert [text[a:b] for a, b in sentences(text)] == ["Офіс на пров.\\nМузейний, 12.", "Далі"]
