"""Russian language rules."""
from __future__ import annotations

from datetime import date

from ..model import ResolutionId
from .common import date_pattern, listing, number as _number, short_date

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
