"""Amendment notes: golden forms of the glossary, every kind of change, several notes newest first."""
from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from regdoc.data import model as m
from regdoc.errors import RegdocError
from regdoc.tree.load import load_tree
from regdoc.versioning.amend import edition_at, editions
from regdoc.versioning.notes import deleted_text, notes


@pytest.fixture(scope="module")
def data() -> m.DataTree:
    return load_tree(Path(__file__).resolve().parents[1])


def test_golden_notes_of_the_amendment_of_20_02_2026(data):
    edition = edition_at(data.initial, data.amendments, date(2026, 2, 20))
    assert notes(edition, "4.2", "kk", data.regulation) == [
        "Ескерту. 4.2-тармақ жаңа редакцияда - Атқару комитетінің 20.02.2026 № 9 қаулысымен."]
    assert notes(edition, "4.2", "ru", data.regulation) == [
        "Сноска. Пункт 4.2 - в редакции постановления Исполнительного комитета от 20.02.2026 № 9."]
    assert notes(edition, "appendix-1", "kk", data.regulation) == [
        "Ескерту. 1-қосымша жаңа редакцияда - Атқару комитетінің 20.02.2026 № 9 қаулысымен."]
    assert notes(edition, "appendix-1", "ru", data.regulation) == [
        "Сноска. Приложение 1 - в редакции постановления Исполнительного комитета от 20.02.2026 № 9."]
    for unit in ("3.2", "4.3", "5.2"):
        assert len(notes(edition, unit, "kk", data.regulation)) == 1
    assert notes(edition, "1.1", "kk", data.regulation) == []
    assert notes(edition, "3.2.1", "ru", data.regulation) == []


def test_no_notes_before_the_amendment(data):
    edition = edition_at(data.initial, data.amendments, date(2026, 2, 19))
    assert notes(edition, "4.2", "kk", data.regulation) == []
    assert notes(edition, "appendix-1", "ru", data.regulation) == []


# ----- every kind of note, on amendments made for the test ---------------------------------------------------

def t(kk: str, ru: str | None = None) -> m.Text:
    return m.Text(kk, ru or kk)


def amendment(name: str, meeting: int, *ops: m.Op) -> m.Amendment:
    when = date.fromisoformat(name)
    return m.Amendment(name, m.ResolutionId(when, meeting, 1), when, "sample", ops)


@pytest.fixture(scope="module")
def later(data) -> list[m.Amendment]:
    ind = m.Indicator("legal.mediations", t("Медиациялар", "Медиации"), "count", m.Rule("per_unit", 5))
    return list(data.amendments) + [
        amendment("2027-03-01", 12,
                  m.Op("replace_words", "4.2", old=t("кесте", "таблице"), new=t("кестесі", "таблицей"),
                       occurrence=1),
                  m.Op("insert", "4.7", text=t("Жаңа.", "Новый."), after="4.6", kind="clause"),
                  m.Op("insert", "3.2.7", text=t("жаңа;", "новое;"), after="3.2.6", kind="subclause"),
                  m.Op("delete", "5.4"),
                  m.Op("delete", "2"),
                  m.Op("replace", "6", text=t("Қорытынды ережелер мен өтпелі ережелер", "Заключительные и "
                                                                                         "переходные положения")),
                  m.Op("add_indicator", "legal.mediations", block="legal", indicator=ind)),
        amendment("2028-01-15", 3,
                  m.Op("replace_words", "4.2", old=t("кестесі", "таблицей"), new=t("кесте", "таблице")),
                  m.Op("replace_words", "4.2", old=t("Есептеу", "Расчет"), new=t("Ұпай есептеу", "Подсчет")),
                  m.Op("replace_words", "6", old=t("өтпелі", "переходные"), new=t("басқа", "иные")),
                  m.Op("change_indicator", "legal.inspections", rule=m.Rule("per_unit", 20)),
                  m.Op("remove_indicator", "youth.council")),
    ]


@pytest.fixture(scope="module")
def last(data, later):
    return editions(data.initial, later)[-1]


@pytest.mark.parametrize("unit, lang, expected", [
    ("4.2", "kk", ["Ескерту. 4.2-тармаққа өзгерістер енгізілді - Атқару комитетінің 15.01.2028 № 3 қаулысымен.",
                   "Ескерту. 4.2-тармаққа өзгеріс енгізілді - Атқару комитетінің 01.03.2027 № 12 қаулысымен.",
                   "Ескерту. 4.2-тармақ жаңа редакцияда - Атқару комитетінің 20.02.2026 № 9 қаулысымен."]),
    ("4.2", "ru", ["Сноска. В пункт 4.2 внесены изменения постановлением Исполнительного комитета от 15.01.2028 "
                   "№ 3.",
                   "Сноска. В пункт 4.2 внесено изменение постановлением Исполнительного комитета от 01.03.2027 № 12.",
                   "Сноска. Пункт 4.2 - в редакции постановления Исполнительного комитета от 20.02.2026 № 9."]),
    ("4.7", "kk", ["Ескерту. Ереже 4.7-тармақпен толықтырылды - Атқару комитетінің 01.03.2027 № 12 қаулысымен."]),
    ("4.7", "ru", ["Сноска. Положение дополнено пунктом 4.7 в соответствии с постановлением Исполнительного "
                   "комитета от 01.03.2027 № 12."]),
    ("3.2.7", "kk", ["Ескерту. 3.2-тармақ 3.2.7-тармақшамен толықтырылды - Атқару комитетінің 01.03.2027 № 12 "
                     "қаулысымен."]),
    ("3.2.7", "ru", ["Сноска. Пункт 3.2 дополнен подпунктом 3.2.7 в соответствии с постановлением Исполнительного "
                     "комитета от 01.03.2027 № 12."]),
    ("5.4", "kk", ["Ескерту. 5.4-тармақ алып тасталды - Атқару комитетінің 01.03.2027 № 12 қаулысымен."]),
    ("5.4", "ru", ["Сноска. Пункт 5.4 исключен постановлением Исполнительного комитета от 01.03.2027 № 12."]),
    # section 2 was deleted with its clauses: the clauses carry no deletion note of their own
    ("2", "kk", ["Ескерту. 2-бөлім алып тасталды - Атқару комитетінің 01.03.2027 № 12 қаулысымен."]),
    ("2", "ru", ["Сноска. Раздел 2 исключен постановлением Исполнительного комитета от 01.03.2027 № 12."]),
    ("2.1", "kk", []),
    ("6", "kk", ["Ескерту. 6-бөлімнің тақырыбына өзгеріс енгізілді - Атқару комитетінің 15.01.2028 № 3 қаулысымен.",
                 "Ескерту. 6-бөлімнің тақырыбы жаңа редакцияда - Атқару комитетінің 01.03.2027 № 12 қаулысымен."]),
    ("6", "ru", ["Сноска. В заголовок раздела 6 внесено изменение постановлением Исполнительного комитета от "
                 "15.01.2028 № 3.",
                 "Сноска. Заголовок раздела 6 - в редакции постановления Исполнительного комитета от 01.03.2027 № 12."]),
    ("appendix-1", "kk", [
        "Ескерту. 1-қосымшаға өзгерістер енгізілді - Атқару комитетінің 15.01.2028 № 3 қаулысымен.",
        "Ескерту. 1-қосымшаға толықтыру енгізілді - Атқару комитетінің 01.03.2027 № 12 қаулысымен.",
        "Ескерту. 1-қосымша жаңа редакцияда - Атқару комитетінің 20.02.2026 № 9 қаулысымен."]),
    ("appendix-1", "ru", [
        "Сноска. В приложение 1 внесены изменения постановлением Исполнительного комитета от 15.01.2028 № 3.",
        "Сноска. В приложение 1 внесено дополнение постановлением Исполнительного комитета от 01.03.2027 № 12.",
        "Сноска. Приложение 1 - в редакции постановления Исполнительного комитета от 20.02.2026 № 9."]),
])
def test_notes_newest_first(data, last, unit, lang, expected):
    assert notes(last, unit, lang, data.regulation) == expected


def test_a_deleted_unit_shows_as_deleted(data, last):
    assert deleted_text(last, "5.4", "kk", data.regulation) == \
        "Алып тасталды - Атқару комитетінің 01.03.2027 № 12 қаулысымен."
    assert deleted_text(last, "2.1", "ru", data.regulation) == \
        "Исключен постановлением Исполнительного комитета от 01.03.2027 № 12."
    assert deleted_text(last, "4.2", "ru", data.regulation) is None


def test_an_unknown_target_suggests_the_nearest(data, last):
    with pytest.raises(RegdocError, match="did you mean 'appendix-1'"):
        notes(last, "appendix1", "kk", data.regulation)
    with pytest.raises(RegdocError, match="'9.9' is neither a unit"):
        notes(last, "9.9", "kk", data.regulation)


def test_notes_need_the_adopting_body_in_the_genitive(data, last):
    regulation = dataclasses.replace(data.regulation, adopting_body_genitive=None)
    with pytest.raises(RegdocError) as info:
        notes(last, "4.2", "kk", regulation)
    assert info.value.node == "adopting_body_genitive" and info.value.file == "regulation/regulation.yaml"


def test_golden_notes_of_an_insertion_numbered_4_3_1(data):
    inserted = amendment("2027-03-01", 12,
                         m.Op("insert", "4.3-1", text=t("Жаңа тармақ.", "Новый пункт."), after="4.3", kind="clause"),
                         m.Op("insert", "3.2.1-1", text=t("жаңа;", "новый;"), after="3.2.1", kind="subclause"))
    edition = edition_at(data.initial, list(data.amendments) + [inserted], date(2027, 3, 1))
    ids = [u.id for u in edition.units]
    assert ids[ids.index("4.3"):ids.index("4.4") + 1] == ["4.3", "4.3-1", "4.4"]
    assert ids[ids.index("3.2.1"):ids.index("3.2.2") + 1] == ["3.2.1", "3.2.1-1", "3.2.2"]
    assert notes(edition, "4.3-1", "kk", data.regulation) == [
        "Ескерту. Ереже 4.3-1-тармақпен толықтырылды - Атқару комитетінің 01.03.2027 № 12 қаулысымен."]
    assert notes(edition, "4.3-1", "ru", data.regulation) == [
        "Сноска. Положение дополнено пунктом 4.3-1 в соответствии с постановлением Исполнительного комитета от "
        "01.03.2027 № 12."]
    assert notes(edition, "3.2.1-1", "kk", data.regulation) == [
        "Ескерту. 3.2-тармақ 3.2.1-1-тармақшамен толықтырылды - Атқару комитетінің 01.03.2027 № 12 қаулысымен."]
    assert notes(edition, "3.2.1-1", "ru", data.regulation) == [
        "Сноска. Пункт 3.2 дополнен подпунктом 3.2.1-1 в соответствии с постановлением Исполнительного комитета "
        "от 01.03.2027 № 12."]
