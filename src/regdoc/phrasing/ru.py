"""Russian language rules."""
from __future__ import annotations

from datetime import date

from ..model import ResolutionId
from .common import date_pattern, number as _number, short_date

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
