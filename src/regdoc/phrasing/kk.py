"""Kazakh language rules (the state language; it stands first wherever both languages do)."""
from __future__ import annotations

from datetime import date

from ..model import ResolutionId
from .common import date_pattern, listing, number as _number, short_date

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


# ----- the register of resolutions and drafts ---------------------------------------------------------------

REGISTER_SHEET = "Қаулылар тізілімі"
REGISTER_HEADINGS = {"date": "Күні", "number": "Нөмірі", "title": "Атауы", "amendments": "Ережеге өзгерістер",
                     "evaluation": "Бағалау"}
DRAFT = "жоба"
_DRAFT_PLACEHOLDERS = {"title": "қаулының атауы", "preamble": "кіріспе бөлігі («ҚАУЛЫ ЕТЕДІ:» алдындағы мәтін)",
                       "position": "қол қоюшының лауазымы", "name": "қол қоюшының аты-жөні"}


def register_title(year: int | None = None) -> str:
    """Return «Атқару комитетінің 2026 жылғы қаулыларының тізілімі» (without a year: of all years)."""
    if year is None:
        return "Атқару комитеті қаулыларының тізілімі"
    return f"Атқару комитетінің {year} жылғы қаулыларының тізілімі"


def amended_parts(sections: list[str], clauses: list[str], subclauses: list[str], appendix: bool) -> str:
    """Return the parts of the Regulation an amendment changes: «3.2, 4.2 және 5.2-тармақтар; 1-қосымша»."""
    parts = []
    for numbers, one, many in ((sections, "бөлім", "бөлімдер"), (clauses, "тармақ", "тармақтар"),
                               (subclauses, "тармақша", "тармақшалар")):
        if numbers:
            parts.append(f"{listing(numbers, 'және')}-{one if len(numbers) == 1 else many}")
    if appendix:
        parts.append("1-қосымша")
    return "; ".join(parts)


def evaluation_results(year: int) -> str:
    """Return «2025 жылғы бағалау қорытындылары»."""
    return f"{year} жылғы бағалау қорытындылары"


def draft_placeholder(part: str, number: int | None = None) -> str:
    """Return what a placeholder of a new resolution stands for: title, preamble, item (with its number),
    position or name of the signatory."""
    if part == "item":
        return f"{number}-тармақтың мәтіні"
    return _DRAFT_PLACEHOLDERS[part]
