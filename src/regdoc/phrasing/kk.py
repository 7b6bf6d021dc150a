"""Kazakh language rules (the state language; it stands first wherever both languages do)."""
from __future__ import annotations

from datetime import date

from ..model import ResolutionId
from .common import date_pattern, number as _number, short_date

LANG = "kk"
LOCALE = "kk_KZ"
PLACE_ORDINALS = {1: "І", 2: "ІІ", 3: "ІІІ", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}
LEGAL_FORMS = {"public_association": "ҚБ"}
RESOLVES = "ҚАУЛЫ ЕТЕДІ:"
RESOLUTION = "Қаулы"


def number(value) -> str:
    """Return 100 201 with a no-break space."""
    return _number(value, LOCALE)


def long_date(when: date) -> str:
    """Return «2026 жылғы 20 ақпан»."""
    return date_pattern(when, "y 'жылғы' d MMMM", LOCALE)


def resolution_number(rid: ResolutionId) -> str:
    """Return «20.02.2026 ж. № 9, 7-т.»."""
    return f"{short_date(rid.date)} ж. № {rid.meeting}, {rid.item}-т."


def place(n: int) -> str:
    """Return the place as the issued text writes it: «І орын» (Cyrillic І)."""
    return f"{PLACE_ORDINALS.get(n, str(n))} орын"


def organisation(name: str, legal_form: str) -> str:
    """Return «name» ҚБ."""
    return f"«{name}» {LEGAL_FORMS[legal_form]}"
