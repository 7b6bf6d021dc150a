"""The amending text generated from an amendment's operations; golden: item 4 of resolution No 9 item 7."""
from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest

from regdoc.data import model as m
from regdoc.errors import RegdocError
from regdoc.tree.load import load_tree
from regdoc.versioning.amend import edition_at
from regdoc.versioning.amending import Line, amending_lines, amending_text

ISSUED = Path(__file__).parent / "data" / "issued" / "resolution-2026-02-20-no9-item7.kk.txt"


def words(text: str) -> list[str]:
    """Return the word sequence of a text, punctuation kept, line breaks ignored; a hyphen at a line end inside
    a compound («әлеуметтік-/экономикалық») joins the two halves without a space."""
    text = re.sub(r"(\w-)[ \t]*\n\s*(?=\w)", r"\1", text)
    return text.split()


def issued_item_4() -> list[str]:
    text = ISSUED.read_text(encoding="utf-8")
    start = text.index("4. Қазақстандық")
    end = text.index("5. Салтанатты")
    return words(text[start:end])


@pytest.fixture(scope="module")
def data() -> m.DataTree:
    return load_tree(Path(__file__).resolve().parents[1])


@pytest.fixture(scope="module")
def amendment(data):
    return data.amendment("2026-02-20")


def test_words_join_hyphenated_line_ends():
    assert words("әлеуметтік-\nэкономикалық және\n  еңбек") == ["әлеуметтік-экономикалық", "және", "еңбек"]


def test_kazakh_item_4_reads_exactly_as_issued(data, amendment):
    lines = amending_lines(amendment, 4, "kk", data.regulation)
    assert words(amending_text(lines)) == issued_item_4()


def test_kazakh_item_4_structure(data, amendment):
    lines = amending_lines(amendment, 4, "kk", data.regulation)
    assert [line.kind for line in lines] == ["item", "subitem", "quote", "quote", "quote", "quote", "quote",
                                             "subitem"]
    assert lines[0].text.startswith("4. Қазақстандық") and lines[0].text.endswith(
        "Ережесіне өзгерістер мен толықтырулар енгізілсін.")
    assert lines[1] == Line("subitem", "4.1. Төмендегі тармақтар келесі редакцияда мазмұндалсын:")
    assert lines[2] == Line("quote", "- «3.2. Кәсіподақтың мүшелік ұйымдары қызметін бағалауды анықтау "
                                     "критерийлері:»;")
    # 4.3 has two paragraphs; as issued its closing quote has no «;» (the as_issued patch)
    assert lines[4].text.startswith("- «4.3. ") and lines[4].text.endswith("жеке есептеледі.")
    assert lines[5].text.endswith("сомасының өсу ретімен реттеледі.»")
    assert lines[6].text.endswith("марапатталады.».")
    assert lines[7].text.startswith("4.2. Қазақстандық") and lines[7].text.endswith(
        "ережеге №1 қосымша жаңа редакцияда бекітілсін.")


def test_without_the_patch_the_rule_closes_every_quote_but_the_last_with_a_semicolon(data, amendment):
    plain = dataclasses.replace(amendment, as_issued=())
    lines = amending_lines(plain, 4, "kk", data.regulation)
    assert lines[5].text.endswith("реттеледі.»;")
    assert words(amending_text(lines)) != issued_item_4()


def test_russian_item_4_complete(data, amendment):
    lines = amending_lines(amendment, 4, "ru", data.regulation)
    assert [(line.kind, line.text) for line in lines] == [
        ("item", "4. Внести в Положение о системе ежегодной оценки деятельности членских организаций "
                 "Казахстанского отраслевого профсоюза работников просвещения, науки и высшего образования "
                 "изменения и дополнения."),
        ("subitem", "4.1. Пункты 3.2, 4.2, 4.3 и 5.2 изложить в следующей редакции:"),
        ("quote", "- «3.2. Критерии оценки деятельности членских организаций Профсоюза:»;"),
        ("quote", "- «4.2. При подведении итогов показатели по всем направлениям деятельности переводятся в баллы, "
                  "по результатам которых все членские организации Профсоюза ранжируются по каждому показателю "
                  "критериев оценки (таблицы). Расчет производится по таблице, устанавливающей объекты и критерии "
                  "оценки (приложение 1 к настоящему Положению).»;"),
        ("quote", "- «4.3. Баллы членских организаций Профсоюза в итоговой оценочной таблице рассчитываются "
                  "отдельно по критериям, указанным в приложении 1."),
        ("quote", "Деятельность членских организаций оценивается отдельно по каждому критерию, и организации "
                  "ранжируются в порядке возрастания суммы баллов.»;"),
        ("quote", "- «5.2. По итогам оценки устанавливаются 3 призовых места с выплатой денежной премии. Членские "
                  "организации, не вошедшие в число призеров по результатам оценки, но набравшие высокие баллы по "
                  "основным блокам, награждаются денежной премией по решению Исполнительного комитета "
                  "Профсоюза.»."),
        ("subitem", "4.2. Утвердить приложение 1 к Положению о системе ежегодной оценки деятельности членских "
                    "организаций Казахстанского отраслевого профессионального союза работников просвещения, науки "
                    "и высшего образования в новой редакции."),
    ]


def test_the_resolution_links_the_amendment_instead_of_typing_it(data):
    resolution = data.resolution(m.ResolutionId.parse("2026-02-20/9/7"))
    item = next(i for i in resolution.items if i.number == 4)
    assert item.amendment == "2026-02-20" and item.text is None


# ----- other operations, on a small amendment -----------------------------------------------------------------

RID = m.ResolutionId(date(2027, 3, 1), 12, 3)
REF = m.Text("Ережеге", "Положение")


def t(kk: str, ru: str | None = None) -> m.Text:
    return m.Text(kk, ru or kk)


def amendment_of(*ops: m.Op, as_issued=()) -> m.Amendment:
    return m.Amendment("2027-03-01", RID, date(2027, 3, 1), "sample", ops, REF, as_issued=as_issued)


def test_each_kind_of_operation_has_its_sub_item(data):
    a = amendment_of(
        m.Op("insert", "4.7", text=t("Жаңа тармақ.", "Новый пункт."), after="4.6", kind="clause"),
        m.Op("delete", "4.5"),
        m.Op("replace_words", "4.2", old=t("ұпайлар (балдар)", "баллы"), new=t("ұпайлар", "баллы (очки)")),
        m.Op("delete", "5.4"),
        m.Op("insert", "3.3.1", text=t("бірінші;\nекінші.", "первый;\nвторой."), after="3.3", kind="subclause"),
        m.Op("replace_words", "1.1", old=t("Ереже"), new=t("Ереже мен"), occurrence=2),
    )
    kk = [(line.kind, line.text) for line in amending_lines(a, 2, "kk", data.regulation)]
    assert kk == [
        ("item", "2. Ережеге өзгерістер мен толықтырулар енгізілсін."),
        ("subitem", "2.1. 4.6-тармақтан кейін мынадай мазмұндағы 4.7-тармақпен толықтырылсын:"),
        ("quote", "- «4.7. Жаңа тармақ.»."),
        ("subitem", "2.2. 4.5 және 5.4-тармақтар алып тасталсын."),
        ("subitem", "2.3. 4.2-тармақта «ұпайлар (балдар)» сөздері «ұпайлар» сөзімен ауыстырылсын."),
        ("subitem", "2.4. 3.3-тармақ мынадай мазмұндағы 3.3.1-тармақшамен толықтырылсын:"),
        ("quote", "- «3.3.1. бірінші;"),
        ("quote", "екінші.»."),
        ("subitem", "2.5. 1.1-тармақта «Ереже» сөзі (екінші жағдайда) «Ереже мен» сөздерімен ауыстырылсын."),
    ]
    ru = [line.text for line in amending_lines(a, 2, "ru", data.regulation)]
    assert ru == [
        "2. Внести в Положение изменения и дополнения.",
        "2.1. После пункта 4.6 дополнить пунктом 4.7 следующего содержания:",
        "- «4.7. Новый пункт.».",
        "2.2. Пункты 4.5 и 5.4 исключить.",
        "2.3. В пункте 4.2 слово «баллы» заменить словами «баллы (очки)».",
        "2.4. Пункт 3.3 дополнить подпунктом 3.3.1 следующего содержания:",
        "- «3.3.1. первый;",
        "второй.».",
        "2.5. В пункте 1.1 слово «Ереже» (во втором случае) заменить словами «Ереже мен».",
    ]


def test_changes_only_and_supplements_only(data):
    changes = amending_lines(amendment_of(m.Op("delete", "4.5")), 1, "kk", data.regulation)
    assert changes[0].text == "1. Ережеге өзгерістер енгізілсін."
    supplements = amending_lines(amendment_of(m.Op("insert", "4.7", text=t("x"), after="4.6", kind="clause")),
                                 1, "ru", data.regulation)
    assert supplements[0].text == "1. Внести в Положение дополнения."


def test_criterion_operations_name_blocks_and_indicators_by_title(data):
    before = edition_at(data.initial, data.amendments, date(2026, 3, 1))
    indicator = m.Indicator("legal.mediations", t("Медиациялар саны", "Количество медиаций"), "count",
                            m.Rule("per_unit", 5, 100))
    a = amendment_of(
        m.Op("add_indicator", "legal.mediations", block="legal", indicator=indicator),
        m.Op("remove_indicator", "youth.council"),
        m.Op("change_indicator", "legal.inspections", rule=m.Rule("per_unit", 20, 2000)),
    )
    ru = [line.text for line in amending_lines(a, 5, "ru", data.regulation, before=before)]
    assert ru == [
        "5. Внести в Положение изменения и дополнения.",
        "5.1. Блок «Правовая защита» приложения 1 дополнить показателем следующего содержания:",
        "- «Количество медиаций – 5 баллов за каждую единицу, не более 100 баллов».",
        "5.2. В блоке «Работа с молодежью» приложения 1 показатель «Создание и работа молодежного совета» "
        "исключить.",
        "5.3. В приложении 1 порядок начисления баллов по показателю «Количество проведенных проверок соблюдения "
        "трудового законодательства» изложить в следующей редакции:",
        "- «20 баллов за каждую единицу, не более 2\u00a0000 баллов».",
    ]
    kk = [line.text for line in amending_lines(a, 5, "kk", data.regulation, before=before)]
    assert kk[1] == "5.1. 1-қосымшаның «Құқықтық қорғау» блогы мынадай мазмұндағы көрсеткішпен толықтырылсын:"
    with pytest.raises(RegdocError, match="needs the edition it applies to"):
        amending_lines(a, 5, "kk", data.regulation)


def test_a_missing_name_as_issued_is_an_error(data):
    a = dataclasses.replace(amendment_of(m.Op("delete", "4.5")), regulation_ref=None)
    with pytest.raises(RegdocError, match="regulation_ref"):
        amending_lines(a, 1, "kk", data.regulation)


def test_a_patch_that_does_not_apply_is_an_error(data):
    where = m.Where("regulation/versions/2027-03-01.yaml", 7, "as_issued[0]", (("generated", 8),))
    patch = m.AsIssued("kk", "жоқ мәтін", "x", "test", where)
    a = amendment_of(m.Op("delete", "4.5"), as_issued=(patch,))
    with pytest.raises(RegdocError) as info:
        amending_lines(a, 1, "kk", data.regulation)
    assert str(info.value).startswith("regulation/versions/2027-03-01.yaml:8: as_issued[0].generated: ")
    assert "no longer applies" in str(info.value)
    # a patch of the other language does not touch this one
    assert amending_lines(a, 1, "ru", data.regulation)[0].text == "1. Внести в Положение изменения."


def test_an_ambiguous_patch_is_an_error(data):
    patch = m.AsIssued("kk", "алып тасталсын", "x", "test")
    a = amendment_of(m.Op("delete", "4.5"), m.Op("delete", "3.2.1"), as_issued=(patch,))
    with pytest.raises(RegdocError, match="occurs 2 times"):
        amending_lines(a, 1, "kk", data.regulation)


def test_check_reports_a_patch_that_no_longer_applies(tree: Path):
    from regdoc.tree.check import check_tree

    path = tree / "regulation" / "versions" / "2026-02-20.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('generated: "сомасының өсу ретімен реттеледі.»;"',
                                 'generated: "сомасының кему ретімен реттеледі.»;"'), encoding="utf-8")
    errors = [p for p in check_tree(tree) if p.severity == "error"]
    assert len(errors) == 1
    line = text.splitlines().index('    generated: "сомасының өсу ретімен реттеледі.»;"') + 1
    assert (errors[0].file, errors[0].line, errors[0].node) == ("regulation/versions/2026-02-20.yaml", line,
                                                                 "as_issued[0].generated")
    assert "no longer applies" in errors[0].message


def test_check_requires_the_patch_fields(tree: Path):
    from regdoc.tree.check import check_tree

    path = tree / "regulation" / "versions" / "2026-02-20.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    why: \"As issued", "    because: \"As issued"), encoding="utf-8")
    messages = [str(p) for p in check_tree(tree) if p.severity == "error"]
    assert any("unknown key 'because'" in msg for msg in messages)
    assert any("missing key 'why'" in msg for msg in messages)


def test_golden_amending_text_of_an_insertion_numbered_4_3_1(data):
    """Kazakhstan's acts number an insertion after 4.3 «4.3-1»: the number says the place (glossary)."""
    a = amendment_of(
        m.Op("insert", "4.3-1", text=t("Жаңа тармақ.", "Новый пункт."), after="4.3", kind="clause"),
        m.Op("insert", "3.2.1-1", text=t("жаңа тармақша;", "новый подпункт;"), after="3.2.1", kind="subclause"),
        m.Op("insert", "4-1", text=t("Жаңа бөлім", "Новый раздел"), after="4", kind="section"))
    assert amending_text(amending_lines(a, 3, "kk", data.regulation)).splitlines() == [
        "3. Ережеге толықтырулар енгізілсін.",
        "3.1. Мынадай мазмұндағы 4.3-1-тармақпен толықтырылсын:",
        "- «4.3-1. Жаңа тармақ.».",
        "3.2. 3.2-тармақ мынадай мазмұндағы 3.2.1-1-тармақшамен толықтырылсын:",
        "- «3.2.1-1. жаңа тармақша;».",
        "3.3. Мынадай мазмұндағы 4-1-бөліммен толықтырылсын:",
        "- «4-1. Жаңа бөлім».",
    ]
    assert amending_text(amending_lines(a, 3, "ru", data.regulation)).splitlines() == [
        "3. Внести в Положение дополнения.",
        "3.1. Дополнить пунктом 4.3-1 следующего содержания:",
        "- «4.3-1. Новый пункт.».",
        "3.2. Пункт 3.2 дополнить подпунктом 3.2.1-1 следующего содержания:",
        "- «3.2.1-1. новый подпункт;».",
        "3.3. Дополнить разделом 4-1 следующего содержания:",
        "- «4-1. Новый раздел».",
    ]
