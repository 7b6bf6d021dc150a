"""Kazakh language rules (the state language; it stands first wherever both languages do)."""
from __future__ import annotations

from datetime import date

from ..model import ResolutionId
from .common import dash_line, date_pattern, listing, number as _number, short_date

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


# ----- official documents (resolution, consolidated Regulation, results) --------------------------------------

_FRONT_VOWELS = set("әеіөүэи")
_BACK_VOWELS = set("аоұыуяё")
_VOICELESS = set("кқпстфхцчшщ")
_INDICATOR_UNITS = {"count": "бірлік", "persons": "адам", "percent": "%", "thousand_tenge": "мың теңге", "yes_no": "иә/жоқ"}
APPENDIX_COLUMNS = {"number": "№", "indicator": "Көрсеткіштің атауы", "unit": "Өлшем бірлігі",
                    "rule": "Ұпай беру тәртібі", "max_points": "Ең жоғары ұпай саны"}
MAIN_BLOCK = "(негізгі блок)"
PARALLEL_HEADER = "Қазақ тілінде"


def _front(word: str) -> bool:
    """Return whether the last vowel of `word` is a front vowel (Kazakh vowel harmony)."""
    for ch in reversed(word.lower()):
        if ch in _FRONT_VOWELS:
            return True
        if ch in _BACK_VOWELS:
            return False
    return False


def _suffix(word: str, back_voiced: str, front_voiced: str, back_voiceless: str, front_voiceless: str) -> str:
    last = word[-1].lower()
    if last in _VOICELESS:
        return word + (front_voiceless if _front(word) else back_voiceless)
    return word + (front_voiced if _front(word) else back_voiced)


def dative(word: str) -> str:
    """Return the dative of a word or phrase: «ереже» -> «ережеге», «қаулы» -> «қаулыға»."""
    if word[-1].lower() in _FRONT_VOWELS | _BACK_VOWELS:
        return word + ("ге" if _front(word) else "ға")
    return _suffix(word, "ға", "ге", "қа", "ке")


def attributive_date(when: date) -> str:
    """Return «2026 жылғы 20 ақпандағы» (the date standing before what happened on it)."""
    return _suffix(long_date(when), "дағы", "дегі", "тағы", "тегі")


def resolution_date(rid: ResolutionId) -> str:
    """Return «20.02.2026 ж.» (the left part of a resolution's date and number line)."""
    return f"{short_date(rid.date)} ж."


def resolution_meeting_item(rid: ResolutionId) -> str:
    """Return «№ 9, 7-т.» (the right part of a resolution's date and number line)."""
    return f"№ {rid.meeting}, {rid.item}-т."


def place_line(n: int, organisation_text: str, total, last: bool) -> str:
    """Return «І орын – «...» ҚБ (жалпы ұпай саны – 100 201);», with «.» for the last place."""
    return f"{place(n)} – {organisation_text} (жалпы ұпай саны – {number(total)}){'.' if last else ';'}"


def reward_line(organisation_text: str, last: bool) -> str:
    """Return «- «...» ҚБ;», with «.» for the last organisation."""
    return dash_line(organisation_text, last)


def amended_by(rids: list[ResolutionId], body: str) -> str:
    """Return the line under the approval line naming the resolutions that amended the Regulation;
    `body` is the adopting body in the genitive («Атқару комитетінің»)."""
    acts = ", ".join(f"{attributive_date(r.date)} № {r.meeting}" for r in rids)
    noun = "қаулысымен" if len(rids) == 1 else "қаулыларымен"
    return f"({body} {acts} {noun} енгізілген өзгерістермен)"


def appendix_ref(regulation_title: str) -> str:
    """Return «... туралы ережеге 1-қосымша» (the heading over Appendix 1)."""
    return f"{dative(regulation_title[:1].upper() + regulation_title[1:])} 1-қосымша"


def indicator_unit(unit: str) -> str:
    """Return the unit of an indicator as written in the table of Appendix 1."""
    return _INDICATOR_UNITS[unit]


def main_block(title: str) -> str:
    """Return a block title marked as a main block (clause 5.2)."""
    return f"{title} {MAIN_BLOCK}"


def results_annex(rid: ResolutionId, body: str) -> str:
    """Return «Атқару комитетінің 2026 жылғы 20 ақпандағы № 9 қаулысына қосымша» (`body` in the genitive)."""
    return f"{body} {attributive_date(rid.date)} № {rid.meeting} қаулысына қосымша"


def ranks_title() -> str:
    """Return the title of the table of places by indicator."""
    return "Көрсеткіштер бойынша мүшелік ұйымдардың орындары"
