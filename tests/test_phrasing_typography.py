"""Typography of the documents (phrasing kk.typeset, ru.typeset, common.typeset): no-break spaces and hyphens
where a line may not break, each rule one character for another, so a typeset text keeps its length."""
from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from regdoc.phrasing import kk, ru, typeset
from regdoc.phrasing.common import NBHYPHEN, NBSP, tokens, typeset_pieces

S, H = NBSP, NBHYPHEN


def test_kazakh_rules():
    assert kk.typeset("Атқару комитеті ҚАУЛЫ ЕТЕДІ:") == f"Атқару комитеті ҚАУЛЫ{S}ЕТЕДІ:"
    assert kk.typeset("20.02.2026 ж. № 9, 7-т.") == f"20.02.2026{S}ж. №{S}9, 7{H}т."
    assert kk.typeset("осы Ережеге 1-қосымша, 4.3-1-тармақ") == f"осы Ережеге 1{H}қосымша, 4.3{H}1{H}тармақ"
    assert kk.typeset("95 % және 50 ұпай, 1 000 мың теңге") == f"95{S}% және 50{S}ұпай, 1 000{S}мың теңге"
    assert kk.typeset("2026 жылғы 20 ақпандағы") == f"2026{S}жылғы 20{S}ақпандағы"
    assert kk.typeset("І орын – «X» ҚБ") == f"І орын{S}– «X» ҚБ"
    assert kk.typeset("төрағасының орынбасары В. Ф. Беженаровқа") == f"төрағасының орынбасары В.{S}Ф.{S}Беженаровқа"


def test_russian_rules():
    assert ru.typeset("от 0 до 50 % (не включая 50 %): 0 баллов") == \
        f"от 0 до 50{S}% (не включая 50{S}%): 0{S}баллов"
    assert ru.typeset("от 20 февраля 2026 года № 9, п. 7") == f"от 20{S}февраля 2026{S}года №{S}9, п. 7"
    assert ru.typeset("1-е место, пункт 4.3-1") == f"1{H}е место, пункт 4.3{H}1"
    assert ru.typeset("ПОСТАНОВЛЯЕТ:") == "ПОСТАНОВЛЯЕТ:"
    # a number and a word it does not count stay breakable: «пунктом 4.4 Положения», «3 призовых места»
    assert ru.typeset("пунктом 4.4 Положения") == "пунктом 4.4 Положения"
    assert ru.typeset("5 максимум") == "5 максимум"  # «ма[яй]» is the month only


def test_issued_text_is_never_changed_but_for_spaces_and_hyphens():
    assert kk.typeset("ережеге №1 қосымша") == "ережеге №1 қосымша"  # as issued: no space is added
    assert kk.typeset("Ақпараттық-түсіндіру жұмысы") == "Ақпараттық-түсіндіру жұмысы"  # a word's own hyphen breaks


@given(st.text(alphabet=st.sampled_from(list("0123456789 -.,%№ҚАУЛЫЕТДІ баллұпайфевралякосымша–"))))
def test_typesetting_keeps_the_length_and_the_words(text):
    for lang in ("kk", "ru"):
        out = typeset(text, lang)
        assert len(out) == len(text)
        assert out.replace(S, " ").replace(H, "-") == text.replace(S, " ").replace(H, "-")


@given(st.text(alphabet=st.sampled_from(list("0123456789 -.,%№ҚАУЛЫЕТДІ баллұпайфевралякосымша–—\u00a0\u2011\u2212"))))
@example("1-қосымша")
@example("№ 9")
@example("5 балл")
@example("І орын – бірінші")
@example("ІІ орын — екінші")
@example("А. Қали")
@example("ҚАУЛЫ ЕТЕДІ")
def test_a_text_is_typeset_as_every_rule_would_typeset_it(text):
    # typeset returns a text without a space or a hyphen (a table's number) as it is, without trying the rules;
    # _typeset tries a rule only where its sign is in the text: the text every rule tried in turn gives
    from regdoc.phrasing import common

    def every_rule(text: str, bound, phrases) -> str:
        text = common._NUMBER_HYPHEN.sub(H, text)
        text = common._AFTER_NUMERO.sub(S, text)
        text = bound.sub(S, text)
        text = common._BEFORE_DASH.sub(S, text)
        text = common._INITIALS.sub(lambda match: match.group("initial") + S, text)
        for phrase in phrases:
            text = text.replace(phrase, phrase.replace(" ", S))
        return text

    for module in (kk, ru):
        expected = every_rule(text, module._BOUND, module.UNBROKEN_PHRASES)
        assert module.typeset(text) == common._typeset(text, module._BOUND, module.UNBROKEN_PHRASES) == expected


def test_pieces_are_typeset_as_one_text():
    assert typeset_pieces(["жалпы 100", " ұпай"], kk.typeset) == ["жалпы 100", f"{S}ұпай"]


def test_context_is_typeset_but_its_ids():
    context = {"id": "4.3-1", "kind": "clause", "paragraphs": ["4.3-1. 50 ұпай"], "rows": ({"block_id": "a-1"},)}
    assert typeset(context, "kk") == {"id": "4.3-1", "kind": "clause", "paragraphs": [f"4.3{H}1. 50{S}ұпай"],
                                      "rows": ({"block_id": "a-1"},)}


def test_the_word_diff_reads_typeset_numbers_whole():
    assert tokens(f"4.3{H}1{H}тармақ 1{H}қосымша") == [f"4.3{H}1{H}тармақ", " ", f"1{H}қосымша"]
    assert tokens(f"100{S}201{S}ұпай") == [f"100{S}201", S, "ұпай"]


def test_bands_say_their_bounds():
    from regdoc.data import model as m

    rule = m.Rule("bands", bands=(m.Band(0, 50, 0), m.Band(50, None, 100)))
    assert kk.rule_text(rule, "percent") == "0–50 % (50 % кірмейді): 0 ұпай; 50 % және одан жоғары: 100 ұпай"
    assert ru.rule_text(rule, "percent") == ("от 0 до 50 % (не включая 50 %): 0 баллов; 50 % и выше: 100 баллов")
