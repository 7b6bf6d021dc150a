"""Russian language rules."""
from __future__ import annotations

from datetime import date

from ..model import ResolutionId
from .common import dash_line, date_pattern, listing, number as _number, short_date

LANG = "ru"
LOCALE = "ru_KZ"
PLACE_ORDINALS = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}
LEGAL_FORMS = {"public_association": "ОО"}
RESOLVES = "ПОСТАНОВЛЯЕТ:"
RESOLUTION = "Постановление"


def number(value) -> str:
    """Return 100 201 with a no-break space."""
    return _number(value, LOCALE)


def long_date(when: date) -> str:
    """Return «20 февраля 2026 года»."""
    return date_pattern(when, "d MMMM y 'года'", LOCALE)


def resolution_number(rid: ResolutionId) -> str:
    """Return «20.02.2026 г. № 9, п. 7»."""
    return f"{short_date(rid.date)} г. № {rid.meeting}, п. {rid.item}"


def place(n: int) -> str:
    """Return «I место»."""
    return f"{PLACE_ORDINALS.get(n, str(n))} место"


def organisation(name: str, legal_form: str) -> str:
    """Return ОО «name»."""
    return f"{LEGAL_FORMS[legal_form]} «{name}»"


# ----- the register of resolutions and drafts ---------------------------------------------------------------

REGISTER_SHEET = "Реестр постановлений"
REGISTER_HEADINGS = {"date": "Дата", "number": "Номер", "title": "Наименование",
                     "amendments": "Изменения в Положение", "evaluation": "Оценка"}
DRAFT = "проект"
_DRAFT_PLACEHOLDERS = {"title": "наименование постановления", "preamble": "преамбула (текст до «ПОСТАНОВЛЯЕТ:»)",
                       "position": "должность подписывающего", "name": "инициалы и фамилия подписывающего"}


def register_title(year: int | None = None) -> str:
    """Return «Реестр постановлений Исполнительного комитета за 2026 год» (without a year: of all years)."""
    if year is None:
        return "Реестр постановлений Исполнительного комитета"
    return f"Реестр постановлений Исполнительного комитета за {year} год"


def amended_parts(sections: list[str], clauses: list[str], subclauses: list[str], appendix: bool) -> str:
    """Return the parts of the Regulation an amendment changes: «пункты 3.2, 4.2 и 5.2; приложение 1»."""
    parts = []
    for numbers, one, many in ((sections, "раздел", "разделы"), (clauses, "пункт", "пункты"),
                               (subclauses, "подпункт", "подпункты")):
        if numbers:
            parts.append(f"{one if len(numbers) == 1 else many} {listing(numbers, 'и')}")
    if appendix:
        parts.append("приложение 1")
    return "; ".join(parts)


def evaluation_results(year: int) -> str:
    """Return «итоги оценки за 2025 год»."""
    return f"итоги оценки за {year} год"


def draft_placeholder(part: str, number: int | None = None) -> str:
    """Return what a placeholder of a new resolution stands for: title, preamble, item (with its number),
    position or name of the signatory."""
    if part == "item":
        return f"текст пункта {number}"
    return _DRAFT_PLACEHOLDERS[part]


# ----- official documents (resolution, consolidated Regulation, results) --------------------------------------

_INDICATOR_UNITS = {"count": "ед.", "persons": "чел.", "percent": "%", "thousand_tenge": "тыс. тенге", "yes_no": "да/нет"}
APPENDIX_COLUMNS = {"number": "№ п/п", "indicator": "Наименование показателя", "unit": "Единица измерения",
                    "rule": "Порядок начисления баллов", "max_points": "Максимальное количество баллов"}
MAIN_BLOCK = "(основной блок)"
PARALLEL_HEADER = "На русском языке"
_REGULATION = "Положение"


def attributive_date(when: date) -> str:
    """Return «от 20 февраля 2026 года»."""
    return f"от {long_date(when)}"


def resolution_date(rid: ResolutionId) -> str:
    """Return «20.02.2026 г.» (the left part of a resolution's date and number line)."""
    return f"{short_date(rid.date)} г."


def resolution_meeting_item(rid: ResolutionId) -> str:
    """Return «№ 9, п. 7» (the right part of a resolution's date and number line)."""
    return f"№ {rid.meeting}, п. {rid.item}"


def place_line(n: int, organisation_text: str, total, last: bool) -> str:
    """Return «I место – ОО «...» (общее количество баллов – 100 201);», with «.» for the last place."""
    return f"{place(n)} – {organisation_text} (общее количество баллов – {number(total)}){'.' if last else ';'}"


def reward_line(organisation_text: str, last: bool) -> str:
    """Return «- ОО «...»;», with «.» for the last organisation."""
    return dash_line(organisation_text, last)


def amended_by(rids: list[ResolutionId], body: str) -> str:
    """Return the line under the approval line naming the resolutions that amended the Regulation;
    `body` is the adopting body in the genitive («Исполнительного комитета»)."""
    acts = ", ".join(f"{attributive_date(r.date)} № {r.meeting}" for r in rids)
    noun = "постановлением" if len(rids) == 1 else "постановлениями"
    return f"(с изменениями, внесенными {noun} {body} {acts})"


def appendix_ref(regulation_title: str) -> str:
    """Return «Приложение 1 к Положению о ...» (the heading over Appendix 1)."""
    if regulation_title.startswith(_REGULATION):
        return f"Приложение 1 к Положению{regulation_title[len(_REGULATION):]}"
    return f"Приложение 1 к документу «{regulation_title}»"


def indicator_unit(unit: str) -> str:
    """Return the unit of an indicator as written in the table of Appendix 1."""
    return _INDICATOR_UNITS[unit]


def main_block(title: str) -> str:
    """Return a block title marked as a main block (clause 5.2)."""
    return f"{title} {MAIN_BLOCK}"


def results_annex(rid: ResolutionId, body: str) -> str:
    """Return «Приложение к постановлению Исполнительного комитета от 20 февраля 2026 года № 9» (`body` in the
    genitive)."""
    return f"Приложение к постановлению {body} {attributive_date(rid.date)} № {rid.meeting}"


def ranks_title() -> str:
    """Return the title of the table of places by indicator."""
    return "Места членских организаций по показателям"
