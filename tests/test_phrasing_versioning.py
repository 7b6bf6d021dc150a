"""The phrasing of amendments, notes and criteria: the same functions in both languages, and their forms."""
from __future__ import annotations

import inspect

import pytest

from regdoc.data.model import Band, ResolutionId, Rule
from regdoc.phrasing import kk, ru

RID = ResolutionId.parse("2026-02-20/9/7")


def public(module) -> dict:
    return {name: inspect.signature(obj) for name, obj in vars(module).items()
            if inspect.isfunction(obj) and not name.startswith("_") and obj.__module__ == module.__name__}


def test_both_languages_have_the_same_functions_and_terms():
    assert public(kk) == public(ru)
    assert kk.TERMS.keys() == ru.TERMS.keys()


@pytest.mark.parametrize("value, expected", [(1, "1 балл"), (2, "2 балла"), (5, "5 баллов"), (21, "21 балл"),
                                             (0.5, "0,5 балла"), (1000, "1\u00a0000 баллов"), (11, "11 баллов")])
def test_russian_points_agree_with_the_numeral(value, expected):
    assert ru.points(value) == expected


def test_kazakh_points_do_not_change():
    assert [kk.points(v) for v in (1, 2, 5, 0.5)] == ["1 ұпай", "2 ұпай", "5 ұпай", "0,5 ұпай"]


@pytest.mark.parametrize("rule, unit, in_kk, in_ru", [
    (Rule("per_unit", 0.5, 500), "persons", "әр адам үшін 0,5 ұпай, ең көбі 500 ұпай",
     "0,5 балла за каждого человека, не более 500 баллов"),
    (Rule("per_unit", 1), "thousand_tenge", "әр мың теңге үшін 1 ұпай", "1 балл за каждую тысячу тенге"),
    (Rule("penalty", -50, 500), "count", "әр бірлік үшін 50 ұпай шегеріледі, ең көбі 500 ұпай",
     "минус 50 баллов за каждую единицу, не более 500 баллов"),
    (Rule("per_unit", 1, 1), "percent", "әр пайыз үшін 1 ұпай, ең көбі 1 ұпай",
     "1 балл за каждый процент, не более 1 балла"),
    (Rule("fixed", 100), "yes_no", "бар болса – 100 ұпай", "при наличии – 100 баллов"),
    (Rule("bands", bands=(Band(0, 50, 0), Band(50, None, 200))), "percent",
     # issue 15: a band says that its end is not in it
     "0–50 % (50 % кірмейді): 0 ұпай; 50 % және одан жоғары: 200 ұпай",
     "от 0 до 50 % (не включая 50 %): 0 баллов; 50 % и выше: 200 баллов"),
    (Rule("rank", (500, 300), order="lowest_first"), "persons",
     "мүшелік ұйымдар арасындағы орны (ең төменгі мәннен бастап): 1-орын – 500 ұпай, 2-орын – 300 ұпай",
     "место среди членских организаций (начиная с наименьшего значения): 1-е место – 500 баллов, 2-е место – 300 баллов"),
])
def test_rules_in_words(rule, unit, in_kk, in_ru):
    assert kk.rule_text(rule, unit) == in_kk and ru.rule_text(rule, unit) == in_ru


def test_replace_headings_name_the_kinds():
    assert kk.replace_heading(["clause"]) == "Төмендегі тармақ келесі редакцияда мазмұндалсын:"
    assert kk.replace_heading(["clause", "subclause", "subclause"]) == \
        "Төмендегі тармақ пен тармақшалар келесі редакцияда мазмұндалсын:"
    assert kk.replace_heading(["section", "clause", "clause", "subclause"]) == \
        "Төмендегі бөлім, тармақтар мен тармақша келесі редакцияда мазмұндалсын:"
    # issue 15: Russian names the units («Нижеследующие пункты» was a calque of the Kazakh)
    assert ru.replace_heading(["clause"], ["3.2"]) == "Пункт 3.2 изложить в следующей редакции:"
    assert ru.replace_heading(["clause", "clause", "subclause"], ["3.2", "4.2", "3.2.1"]) == \
        "Пункты 3.2 и 4.2, подпункт 3.2.1 изложить в следующей редакции:"
    assert ru.replace_heading(["clause"] * 4, ["3.2", "4.2", "4.3", "5.2"]) == \
        "Пункты 3.2, 4.2, 4.3 и 5.2 изложить в следующей редакции:"


def test_notes_with_several_changes_and_supplements():
    assert kk.note("amended", "appendix", "1", RID, "Атқару комитетінің", "Ереже", changes=2, supplements=3) == \
        "Ескерту. 1-қосымшаға өзгерістер мен толықтырулар енгізілді - Атқару комитетінің 20.02.2026 № 9 қаулысымен."
    assert kk.note("amended", "appendix", "1", RID, "Атқару комитетінің", "Ереже", changes=1, supplements=1) == \
        "Ескерту. 1-қосымшаға өзгеріс пен толықтыру енгізілді - Атқару комитетінің 20.02.2026 № 9 қаулысымен."
    assert ru.note("amended", "appendix", "1", RID, "Исполнительного комитета", "Положение", changes=2,
                   supplements=1) == ("Сноска. В приложение 1 внесены изменения и дополнение постановлением "
                                      "Исполнительного комитета от 20.02.2026 № 9.")
    assert ru.note("inserted", "clause", "4.7", RID, "Исполнительного комитета", "Правила") == \
        "Сноска. Правила дополнены пунктом 4.7 в соответствии с постановлением Исполнительного комитета от 20.02.2026 № 9."
    with pytest.raises(ValueError):
        kk.note("moved", "clause", "4.7", RID, "x", "y")


def test_words_replaced_at_an_occurrence():
    assert kk.replace_words_heading("clause", "4.2", "ұпай", "балл", "all") == \
        "4.2-тармақта «ұпай» сөзі (барлық жағдайда) «балл» сөзімен ауыстырылсын."
    assert ru.replace_words_heading("section", "3", "оценки", "оценивания", 12) == \
        "В заголовке раздела 3 слово «оценки» (в 12-м случае) заменить словом «оценивания»."


def test_quote_lines():
    assert kk.quote_lines("4.3", "бірінші.\nекінші.", last=False) == ["- «4.3. бірінші.", "екінші.»;"]
    assert ru.quote_lines(None, "текст", last=True) == ["- «текст»."]
