"""Kazakh language rules (the state language; it stands first wherever both languages do)."""
from __future__ import annotations

from datetime import date

from regdoc.data.model import ResolutionId
from regdoc.phrasing.common import dash_line, date_pattern, listing, quote_lines, short_date
from regdoc.phrasing.common import bound_words as _bound_words
from regdoc.phrasing.common import column_numbers as _column_numbers
from regdoc.phrasing.common import number as _number
from regdoc.phrasing.common import typeset as _typeset

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


def _listing(items: list[str]) -> str:
    return listing(list(items), "және")


# ----- structural units and their case forms ---------------------------------------------------------------
# The nouns are a closed set, so their case forms are listed rather than built from suffix rules.

_NOUN = {"section": "бөлім", "clause": "тармақ", "subclause": "тармақша", "appendix": "қосымша"}
_FORMS = {
    "бөлім": {"pl": "бөлімдер", "dat": "бөлімге", "instr": "бөліммен", "loc": "бөлімде", "abl": "бөлімнен"},
    "тармақ": {"pl": "тармақтар", "dat": "тармаққа", "instr": "тармақпен", "loc": "тармақта", "abl": "тармақтан"},
    "тармақша": {"pl": "тармақшалар", "dat": "тармақшаға", "instr": "тармақшамен", "loc": "тармақшада",
                 "abl": "тармақшадан"},
    "қосымша": {"pl": "қосымшалар", "dat": "қосымшаға", "instr": "қосымшамен", "loc": "қосымшада",
                "abl": "қосымшадан"},
}
_KIND_ORDER = ("section", "clause", "subclause")
_ORDINALS = ("бірінші", "екінші", "үшінші", "төртінші", "бесінші", "алтыншы", "жетінші", "сегізінші",
             "тоғызыншы", "оныншы")


def _form(kind: str, case: str) -> str:
    noun = _NOUN[kind]
    return noun if case == "nom" else _FORMS[noun][case]


def _and(first: str, second: str) -> str:
    """Return «first мен/бен/пен second»: the conjunction follows the last sound of the first word."""
    last = first[-1].lower()
    conj = "бен" if last in "зж" else "пен" if last in "пфкқтсшщхһцчбвгғд" else "мен"
    return f"{first} {conj} {second}"


def unit_name(kind: str, number: str) -> str:
    """Return a unit's name as a heading or a list names it: «4.2-тармақ», «1-қосымша»."""
    return f"{number}-{_NOUN[kind]}"


def _amendments(changes: int, supplements: int, plural: bool = False) -> str:
    """Return «өзгеріс», «өзгерістер мен толықтырулар» ... for the given counts."""
    words = []
    if changes:
        words.append("өзгерістер" if plural or changes > 1 else "өзгеріс")
    if supplements:
        words.append("толықтырулар" if plural or supplements > 1 else "толықтыру")
    return _and(*words) if len(words) == 2 else words[0]


def _by(rid: ResolutionId, body: str) -> str:
    return f"{body} {short_date(rid.date)} № {rid.meeting} қаулысымен"


# ----- amendment notes in a consolidated text (the pattern of Kazakhstan's official legal database) ---------

def note(action: str, kind: str, number: str, rid: ResolutionId, body: str, short_title: str,
         changes: int = 1, supplements: int = 0) -> str:
    """Return the note of one amendment of a unit or of Appendix 1.

    action: replaced | inserted | deleted | amended (words replaced, criteria changed: `changes` changes and
    `supplements` supplements); kind: section | clause | subclause | appendix; body: the adopting body in the
    genitive («Атқару комитетінің»); short_title: «Ереже».
    «Ескерту. 4.2-тармақ жаңа редакцияда - Атқару комитетінің 20.02.2026 № 9 қаулысымен.»
    """
    if action == "replaced":
        core = (f"{number}-бөлімнің тақырыбы" if kind == "section" else unit_name(kind, number)) + " жаңа редакцияда"
    elif action == "inserted":
        if kind == "subclause":
            core = f"{number.rsplit('.', 1)[0]}-тармақ {number}-{_form(kind, 'instr')} толықтырылды"
        else:
            core = f"{short_title} {number}-{_form(kind, 'instr')} толықтырылды"
    elif action == "deleted":
        core = f"{unit_name(kind, number)} алып тасталды"
    elif action == "amended":
        where = f"{number}-бөлімнің тақырыбына" if kind == "section" else f"{number}-{_form(kind, 'dat')}"
        core = f"{where} {_amendments(changes, supplements)} енгізілді"
    else:
        raise ValueError(f"unknown note action '{action}'")
    return f"Ескерту. {core} - {_by(rid, body)}."


def deleted_wording(rid: ResolutionId, body: str) -> str:
    """Return what stands in place of a deleted unit: «Алып тасталды - Атқару комитетінің 20.02.2026 № 9 қаулысымен.»"""
    return f"Алып тасталды - {_by(rid, body)}."


# ----- drafts: an amendment whose resolution does not exist yet ------------------------------------------

DRAFT = "жоба"


def draft_note(note: str) -> str:
    """Return a note (or a deleted unit's wording) made by an amendment whose resolution does not exist yet,
    marked: «Ескерту. 4.2-тармақ жаңа редакцияда - Атқару комитетінің 12.02.2027 № 3 қаулысымен (жоба).»"""
    return f"{note[:-1]} ({DRAFT})." if note.endswith(".") else f"{note} ({DRAFT})"


def drafts_line(names: list[str]) -> str:
    """Return the line over a view that shows draft amendments: «ЖОБА: 2027-02-12 өзгерістерін қабылдайтын қаулы
    әлі жоқ»."""
    return f"ЖОБА: {', '.join(names)} өзгерістерін қабылдайтын қаулы әлі жоқ"


# ----- the amending text of a resolution --------------------------------------------------------------------

def amend_item(ref: str, changes: bool, supplements: bool) -> str:
    """Return the item that introduces the sub-items: «<Ережесіне> өзгерістер мен толықтырулар енгізілсін.»

    `ref` names the Regulation in the dative, as issued. The kinds are named in the plural, as the issued item does.
    """
    return f"{ref} {_amendments(int(changes), int(supplements), plural=True)} енгізілсін."


def _kinds_phrase(kinds: list[str]) -> str:
    words = []
    for kind in _KIND_ORDER:
        count = kinds.count(kind)
        if count:
            words.append(_form(kind, "pl") if count > 1 else _NOUN[kind])
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-2])}, {_and(words[-2], words[-1])}" if len(words) > 2 else _and(*words)


def replace_heading(kinds: list[str], numbers: list[str] = ()) -> str:
    """Return «Төмендегі тармақтар келесі редакцияда мазмұндалсын:» for units of the given kinds (the issued form;
    the quotes that follow name the numbers)."""
    return f"Төмендегі {_kinds_phrase(list(kinds))} келесі редакцияда мазмұндалсын:"


def insert_heading(kind: str, number: str, after_kind: str, after: str) -> str:
    """Return «4.6-тармақтан кейін мынадай мазмұндағы 4.7-тармақпен толықтырылсын:»; a number with an insertion
    suffix says its place itself: «Мынадай мазмұндағы 4.3-1-тармақпен толықтырылсын:», and a sub-clause names its
    clause: «3.2-тармақ мынадай мазмұндағы 3.2.1-1-тармақшамен толықтырылсын:»."""
    new = f"{number}-{_form(kind, 'instr')}"
    if "-" in number.rsplit(".", 1)[-1]:
        if kind == "subclause":
            return f"{unit_name('clause', number.rsplit('.', 1)[0])} мынадай мазмұндағы {new} толықтырылсын:"
        return f"Мынадай мазмұндағы {new} толықтырылсын:"
    if number.rsplit(".", 1)[0] == after and "." in number:
        return f"{unit_name(after_kind, after)} мынадай мазмұндағы {new} толықтырылсын:"
    return f"{after}-{_form(after_kind, 'abl')} кейін мынадай мазмұндағы {new} толықтырылсын:"


def delete_heading(kind: str, numbers: list[str]) -> str:
    """Return «4.6-тармақ алып тасталсын.» or «4.6 және 5.4-тармақтар алып тасталсын.»."""
    if len(numbers) == 1:
        return f"{unit_name(kind, numbers[0])} алып тасталсын."
    return f"{_listing(list(numbers))}-{_form(kind, 'pl')} алып тасталсын."


def _occurrence(occurrence) -> str:
    if occurrence is None:
        return ""
    if occurrence == "all":
        return " (барлық жағдайда)"
    word = _ORDINALS[occurrence - 1] if occurrence <= len(_ORDINALS) else f"{occurrence}-"
    return f" ({word} жағдайда)"


def replace_words_heading(kind: str, number: str, old: str, new: str, occurrence=None) -> str:
    """Return «4.2-тармақта «...» сөздері «...» сөздерімен ауыстырылсын.» (a single word: сөзі ... сөзімен)."""
    where = f"{number}-бөлімнің тақырыбында" if kind == "section" else f"{number}-{_form(kind, 'loc')}"
    old_word = "сөзі" if " " not in old.strip() else "сөздері"
    new_word = "сөзімен" if " " not in new.strip() else "сөздерімен"
    return f"{where} «{old}» {old_word}{_occurrence(occurrence)} «{new}» {new_word} ауыстырылсын."


def approve_appendix_heading(ref: str) -> str:
    """Return «<...ережеге №1 қосымша> жаңа редакцияда бекітілсін.»; `ref` names the appendix as issued."""
    return f"{ref} жаңа редакцияда бекітілсін."


def add_indicator_heading(block_title: str) -> str:
    """Return the sub-item adding an indicator to a block of Appendix 1."""
    return f"1-қосымшаның «{block_title}» блогы мынадай мазмұндағы көрсеткішпен толықтырылсын:"


def remove_indicator_heading(block_title: str, indicator_title: str) -> str:
    """Return the sub-item removing an indicator from Appendix 1."""
    return f"1-қосымшаның «{block_title}» блогындағы «{indicator_title}» көрсеткіші алып тасталсын."


def change_rule_heading(indicator_title: str) -> str:
    """Return the sub-item stating an indicator's rule of points in new wording."""
    return f"1-қосымшадағы «{indicator_title}» көрсеткіші бойынша ұпай беру тәртібі келесі редакцияда мазмұндалсын:"


# ----- criteria in words --------------------------------------------------------------------------------------

_EACH = {"count": "әр бірлік үшін", "persons": "әр адам үшін", "percent": "әр пайыз үшін",
         "thousand_tenge": "әр мың теңге үшін", "yes_no": "әр бірлік үшін"}
_SYMBOL = {"count": "", "persons": " адам", "percent": " %", "thousand_tenge": " мың теңге", "yes_no": ""}


def points(value) -> str:
    """Return «500 ұпай» (Kazakh nouns do not change after a numeral)."""
    return f"{number(value)} ұпай"


def rule_text(rule, unit: str) -> str:
    """Return how a rule turns a value into points, in words: «әр адам үшін 0,5 ұпай, ең көбі 500 ұпай»."""
    if rule.kind == "per_unit":
        text = f"{_EACH[unit]} {points(rule.points)}"
        return text + (f", ең көбі {points(rule.cap)}" if rule.cap is not None else "")
    if rule.kind == "penalty":
        text = f"{_EACH[unit]} {points(abs(rule.points))} шегеріледі"
        return text + (f", ең көбі {points(rule.cap)}" if rule.cap is not None else "")
    if rule.kind == "fixed":
        return f"бар болса – {points(rule.points)}"
    if rule.kind == "bands":
        sym = _SYMBOL[unit]
        parts = []
        for band in rule.bands:
            span = (f"{number(band.start)}{sym} және одан жоғары" if band.end is None  # [from, to): the end is said
                    else f"{number(band.start)}–{number(band.end)}{sym} ({number(band.end)}{sym} кірмейді)")
            parts.append(f"{span}: {points(band.points)}")
        return "; ".join(parts)
    if rule.kind == "rank":
        start = "ең жоғары мәннен" if rule.order == "highest_first" else "ең төменгі мәннен"
        places = ", ".join(f"{i}-орын – {points(p)}" for i, p in enumerate(rule.points, 1))
        return f"мүшелік ұйымдар арасындағы орны ({start} бастап): {places}"
    raise ValueError(f"unknown rule kind '{rule.kind}'")


def indicator_text(title: str, rule, unit: str) -> str:
    """Return an indicator with its rule: «<title> – <rule in words>»."""
    return f"{title} – {rule_text(rule, unit)}"


def max_points_text(value) -> str:
    """Return the maximum points of an indicator or block; None means not bounded."""
    return "шектелмеген" if value is None else points(value)


def as_of(when: date) -> str:
    """Return «20.02.2026 жағдай бойынша»."""
    return f"{short_date(when)} жағдай бойынша"


def edition_as_of(when: date) -> str:
    """Return «20.02.2026 жағдай бойынша редакция» (the heading of the Regulation as in force on a date)."""
    return f"{as_of(when)} редакция"


# Words of the versioning commands' tables and headings.
TERMS = {
    "edition": "редакция",
    "unit": "Құрылымдық элемент",
    "status": "Күйі",
    "old": "Бұрынғы редакция",
    "new": "Жаңа редакция",
    "added": "қосылды",
    "deleted": "алып тасталды",
    "changed": "өзгертілді",
    "unchanged": "өзгеріссіз",
    "removed": "алып тасталды",
    "renamed": "атауы өзгертілді",
    "reweighted": "ұпай беру тәртібі өзгертілді",
    "renumbered": "жол нөмірі өзгерді",
    "row": "Жол",
    "date": "Күні",
    "resolution": "Қаулы",
    "action": "Өзгеріс",
    "wording": "Мәтіні",
    "initial": "бастапқы редакция",
    "replaced": "жаңа редакцияда",
    "inserted": "толықтырылды",
    "words_replaced": "сөздер ауыстырылды",
    "block": "Блок",
    "indicator": "Көрсеткіш",
    "main_block": "негізгі блок",
    "max_points": "Ең көп ұпай",
    "rule": "Ұпай беру тәртібі",
    "settings": "Орындар мен көтермелеу",
    "appendix": "1-қосымша",
    "appendix_changed": "1-қосымша өзгертілді",
    "appendix_unchanged": "1-қосымша өзгеріссіз",
    "no_changes": "өзгерістер жоқ",
    "aspect_unit": "өлшем бірлігі",
    "aspect_ratio": "есептеу тәсілі",
    "aspect_missing": "мәлімет болмағанда",
    "prize_places": "жүлделі орындар саны",
    "rewards.basis": "көтермелеу негізі",
    "rewards.count": "көтермеленетін ұйымдар саны",
    "rewards.min_points": "көтермелеу үшін ең аз ұпай",
    "tie_break": "ұпайлар тең болғанда",
    "share_equal_places": "тең орындарды бөлу",
    "became_main": "негізгі блок болды",
    "no_longer_main": "негізгі блок емес",
    "total": "Барлығы",
}


# Words of the comparison documents: the HTML report of a comparison, the redline and the comparison table.
COMPARISON = {
    "language": "Қазақ тілінде",
    "inserted_text": "қосылған мәтін",
    "deleted_text": "алып тасталған мәтін",
    "redline": "түзету режиміндегі өзгерістер",
    "number": "№",
    "unit": "Құрылымдық элемент",
    "current": "Қолданыстағы редакция",
    "proposed": "Ұсынылып отырған редакция",
    "justification": "Негіздеме",
    "absent": "жоқ",
    "no_justification": "Негіздеме берілмеген",
    "delete": "алып тасталсын",
    "sample_mark": "*",
    "sample_note": "* Үлгі деректер: мәтіннің бұл бөлігі нақты құжаттан алынбаған.",
}


def revision_author(rid: ResolutionId, body: str) -> str:
    """Return the author of a tracked change made by a resolution: «Атқару комитетінің 20.02.2026 № 9 қаулысы»
    (`body`: the adopting body in the genitive)."""
    return f"{body} {short_date(rid.date)} № {rid.meeting} қаулысы"

def comparison_title(rid: ResolutionId, body: str) -> str:
    """Return the heading of a comparison table, a complete phrase: «Атқару комитетінің 2026 жылғы 20 ақпандағы
    № 9 қаулысының жобасына салыстырмалы кесте» (glossary below)."""
    return f"{body} {attributive_date(rid.date)} № {rid.meeting} {COMPARISON_HEADING}"


def comparison_subject(regulation_title: str, changes: bool, supplements: bool) -> str:
    """Return what a comparison table compares, under its heading: «(... туралы ережеге енгізілетін өзгерістер
    мен толықтырулар)»."""
    what = {(True, True): "өзгерістер мен толықтырулар", (True, False): "өзгерістер",
            (False, True): "толықтырулар"}[(changes, supplements) if changes or supplements else (True, False)]
    return f"({_dative(regulation_title)} енгізілетін {what})"


def appendix_row(number: str, new_number: str | None = None) -> str:
    """Return «1-қосымшаның 1.5-жолы»: a row of the table of Appendix 1; a row renumbered «1-қосымшаның 6.4 → 6.3-жолы»."""
    if new_number is not None and new_number != number:
        return f"1-қосымшаның {number} → {new_number}-жолы"
    return f"1-қосымшаның {number}-жолы"


def appendix_block(number: str) -> str:
    """Return «1-қосымшаның 2-блогы»: a block of Appendix 1."""
    return f"1-қосымшаның {number}-блогы"


# ----- the register of resolutions and drafts ---------------------------------------------------------------

REGISTER_SHEET = "Қаулылар тізілімі"
REGISTER_HEADINGS = {"date": "Күні", "number": "Нөмірі", "title": "Атауы", "amendments": "Ережеге өзгерістер",
                     "evaluation": "Бағалау"}
DRAFT = "жоба"
# the .docx register: a resolution whose data are a sample is marked, and the note under the table says why
REGISTER_SAMPLE_MARK = COMPARISON["sample_mark"]
REGISTER_SAMPLE_NOTE = COMPARISON["sample_note"]
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

# ----- scoring: labels, units, rules and their working (same names in ru.py) --------------------------------

from regdoc.phrasing.common import rounded_number as _rounded

SCORE_LABELS = {
    "organisation_id": "Ұйымның коды",
    "organisation": "Мүшелік ұйым",
    "place": "Орын",
    "total": "Жалпы ұпай саны",
    "main_blocks": "Негізгі блоктар",
    "main_sum": "Негізгі блоктардың ұпайы",
    "blocks_legend": "Блоктар",
    "indicators_legend": "Көрсеткіштердің нөмірлері",
    "block": "Блок",
    "main_block": "негізгі блок",
    "indicator": "Көрсеткіш",
    "value": "Мәні",
    "rule": "Есептеу тәртібі",
    "working": "Есептеу",
    "points": "Ұпай",
    "rank": "Көрсеткіш бойынша орны",
    "prize": "Жүлделі орын",
    "reward": "Көтермелеуге ұсынылады",
    "prize_places": "Жүлделі орындар",
    "rewards": "Негізгі блоктар бойынша жоғары ұпай жинаған, көтермелеуге ұсынылатын мүшелік ұйымдар (5.2-тармақ)",
    "results_sheet": "Қорытынды",
    "indicators_sheet": "Көрсеткіштер",
    "template_sheet": "Көрсеткіштер",
    "criteria": "Бағалау критерийлері",
    "sum": "Барлығы",
    "yes": "иә",
    "no": "жоқ",
    "sample": "ҮЛГІ ДЕРЕКТЕР: нақты көрсеткіштер жарияланбайды",
    "scored_file": "Бағаланған деректер файлы",
    "sample_criteria": "ҮЛГІ ДЕРЕКТЕР: нақты бағалау критерийлері жарияланбаған",
    "not_reported": "ұсынылмаған, нөл деп есептелді",
    "none": "жоқ",
}
UNITS = {"count": "саны", "persons": "адам", "percent": "%", "thousand_tenge": "мың теңге", "yes_no": "иә = 1, жоқ = 0"}
TIE_BREAKS = {"total": "жалпы ұпай бойынша",
              "main_blocks": "негізгі блоктардың ұпайы бойынша", "organisation": "ұйым коды бойынша",
              "shared": "орынды бөліседі"}


UNIT_HINTS = {"count": "0 немесе одан көп бүтін сан", "persons": "0 немесе одан көп бүтін сан",
              "percent": "0-ден 100-ге дейінгі сан", "thousand_tenge": "0 немесе одан көп сан (мың теңге)",
              "yes_no": "1 (иә) немесе 0 (жоқ)"}


def unit_hint(unit_id: str) -> str:
    """Return what a column of this unit takes, for the template's entry check."""
    return UNIT_HINTS[unit_id]


def label(key: str) -> str:
    """Return a heading or word of the score tables («Жалпы ұпай саны»)."""
    return SCORE_LABELS[key]


def unit(unit_id: str) -> str:
    """Return the unit as the template's unit row shows it («адам», «мың теңге»)."""
    return UNITS[unit_id]




def approx(value, places: int = 2) -> str:
    """Return a computed share to `places` decimals, with «≈» when it was rounded: «≈ 66,67»."""
    text, rounded = _rounded(value, places, LOCALE)
    return f"≈ {text}" if rounded else text


def evaluation_title(year: int) -> str:
    """Return «Мүшелік ұйымдардың 2025 жылғы көрсеткіштері»."""
    return f"Мүшелік ұйымдардың {year} жылғы көрсеткіштері"


def results_title(year: int) -> str:
    """Return the heading of the results: «Мүшелік ұйымдардың қызметін жыл сайынғы бағалаудың 2025 жылғы қорытындысы»."""
    return f"Мүшелік ұйымдардың қызметін жыл сайынғы бағалаудың {year} жылғы қорытындысы"


def criteria_basis(in_force: date) -> str:
    """Return which Appendix 1 the evaluation used: «Ережеге 1-қосымша, 20.02.2026 ж. бастап қолданылатын редакциясы»."""
    return f"Ережеге 1-қосымша, {short_date(in_force)} ж. бастап қолданылатын редакциясы"


def yes_no(value: bool) -> str:
    return SCORE_LABELS["yes"] if value else SCORE_LABELS["no"]


def rank_of(rank: int, count: int) -> str:
    """Return «3 / 20» (rank among count organisations)."""
    return f"{rank} / {count}"


def tie_break(key: str, indicator_title: str | None = None) -> str:
    """Return how an equal total was decided: «негізгі блоктардың ұпайы бойынша»."""
    if key in TIE_BREAKS:
        return TIE_BREAKS[key]
    return f"«{indicator_title or key}» көрсеткішінің ұпайы бойынша"


def cutoff_tie(kind: str, names: list[str], points, decided_by: str, indicator_title: str | None = None) -> str:
    """Return the note of a tie at the last prize place (kind 'prize') or the last reward place ('reward'):
    who has equal points, and who decides it (the tie-break of the criteria, a shared place, or the Committee)."""
    where = "Жүлделі орындардың шегінде" if kind == "prize" else "Көтермелеуге ұсынылатындардың соңғы орнында"
    what = "жалпы ұпай тең" if kind == "prize" else "негізгі блоктардың ұпайы тең"
    text = f"{where} {what} ({number(points)} ұпай): {', '.join(names)}."
    if decided_by == "organisation":
        return text + " Бағалау критерийлері бұл теңдікті шешпейді: шешімді Атқару комитеті қабылдайды."
    if decided_by == "shared":
        return text + " Олар орынды бөліседі."
    return text + f" Теңдік бағалау критерийлеріне сәйкес {tie_break(decided_by, indicator_title)} шешілді."


TEMPLATE_INSTRUCTIONS_TITLE = "Нұсқаулық"


def template_instructions(year: int, name: str, document_name: str) -> list[str]:
    """Return the lines of the instructions sheet of an organisation's reporting workbook."""
    return [f"{year} жылғы көрсеткіштер: {name}",
            f"Құжаттарда: {document_name}",
            "1. Бірінші парақта ұйымыңыздың жолын ғана толтырыңыз: әр бағанға бір мән.",
            "2. Тақырыптар, кодтар мен атау өзгертілмейді (парақ қорғалған).",
            "3. Сандарды бос орынмен топтаңыз (1 200), бөлшекті үтірмен жазыңыз (12,5); «80,161» сияқты екі мәнді "
            "жазуды қолданбаңыз.",
            "4. Иә/жоқ бағандарына 1 (иә) немесе 0 (жоқ) жазыңыз; пайыздарды 0-ден 100-ге дейін жазыңыз.",
            "5. Формула қолдансаңыз, файлды Excel-де немесе LibreOffice-те сақтаңыз.",
            "6. Файлды .xlsx күйінде, атын өзгертпей жіберіңіз."]


def points_word(value) -> str:
    """Return «ұпай» (Kazakh does not inflect the noun after a number)."""
    return "ұпай"


def _interval(start, end) -> str:
    return f"[{number(start)}; {number(end)})" if end is not None else f"[{number(start)}; ∞)"


def ratio_text(numerator, denominator, value, percent: bool, on_zero: bool) -> str:
    """Return how a ratio's value was computed: «8 345 / 10 000 × 100 = 83,45»."""
    times = " × 100" if percent else ""
    if on_zero:
        return f"{number(numerator)} / 0: бөлгіш нөлге тең, мәні {number(value)} деп алынды"
    return f"{number(numerator)} / {number(denominator)}{times} = {approx(value)}"


def working(w) -> str:
    """Return the computation a rule made (a score.Working): «1 200 × 0,5 = 600 → 500 (ең көбі)»."""
    if w.kind in ("per_unit", "penalty"):
        per = number(w.per_unit) if w.per_unit >= 0 else f"({number(w.per_unit)})"
        text = f"{number(w.value)} × {per} = {number(w.raw)}"
        if w.capped:
            text += f" → {number(w.points)} ({'ең көбі' if w.kind == 'per_unit' else 'шегеру шегі'})"
        return text
    if w.kind == "fixed":
        return f"{yes_no(w.yes)} → {number(w.points)}"
    if w.kind == "bands":
        if w.below_bands:
            return f"{approx(w.value)} бірінші аралықтан төмен → 0"
        start, end, points = w.band
        return f"{approx(w.value)} ∈ {_interval(start, end)} → {number(points)}"
    if w.kind == "rank":
        return f"мәні бойынша {w.rank}-орын → {number(w.points)}"
    raise ValueError(w.kind)


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


def _dative(word: str) -> str:
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
    return f"{_dative(regulation_title[:1].upper() + regulation_title[1:])} 1-қосымша"


def indicator_unit(unit: str) -> str:
    """Return the unit of an indicator as written in the table of Appendix 1."""
    return _INDICATOR_UNITS[unit]


def main_block(title: str) -> str:
    """Return a block title marked as a main block (clause 5.2)."""
    return f"{title} {MAIN_BLOCK}"


def annex_stamp(rid: ResolutionId, body: str, number: int | None = None) -> str:
    """Return the annex stamp (top right of an annex): «Атқару комитетінің 2026 жылғы 20 ақпандағы № 9 қаулысына
    2-қосымша»; `number` None: the resolution's only annex, «... қаулысына қосымша» (`body` in the genitive)."""
    which = "қосымша" if number is None else f"{number}-қосымша"
    return f"{body} {attributive_date(rid.date)} № {rid.meeting} қаулысына {which}"


def block_short(number: int) -> str:
    """Return a block as a narrow column heading names it: «1-блок» (the legend gives its title)."""
    return f"{number}-блок"


def column(values) -> list[str]:
    """Return the numbers of one table column with one number of decimals, negatives with the minus sign."""
    return _column_numbers(values, LOCALE)


def ranks_title() -> str:
    """Return the title of the table of places by indicator."""
    return "Көрсеткіштер бойынша мүшелік ұйымдардың орындары"


def not_for_signature() -> str:
    """Return the mark of a document built from data with errors (`regdoc build --force`)."""
    return "ҚОЛ ҚОЮҒА ЖАТПАЙДЫ: құжат қателері бар деректерден жасалды"


# ----- glossary: forms checked against Kazakhstan's documentation practice ------------------------------------
# A comparison table is headed as the Government's and ministries' tables to draft acts are («Қазақстан
# Республикасы Үкіметінің «...» қаулысының жобасына салыстырмалы кесте»): the act in the genitive, «жобасына»
# (to the draft: the table is made for the meeting that adopts the act), then «салыстырмалы кесте» in the
# nominative; never the unfinished «(... қаулысына)».
COMPARISON_HEADING = "қаулысының жобасына салыстырмалы кесте"

# ----- typography ------------------------------------------------------------------------------------------------
# The words a number binds to with a no-break space (word beginnings: «ұпай» for ұпай, ұпайдан ...): units,
# points, money, people, age, years and months; and the phrases that stand on one line.
BOUND_WORDS = ("ұпай", "балл", "балд", "мың", "млн", "теңге", "адам", "пайыз", "жас", "жыл", r"ж\.",
               "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
               "қараша", "желтоқсан")
UNBROKEN_PHRASES = ("ҚАУЛЫ ЕТЕДІ",)
_BOUND = _bound_words(BOUND_WORDS)


def typeset(text: str) -> str:
    """Return `text` with no-break spaces and hyphens where a Kazakh line may not break (common.typeset):
    «95\u00a0%», «100\u00a0201\u00a0ұпай», «20\u00a0ақпан», «№\u00a09», «1\u2011қосымша», «ҚАУЛЫ\u00a0ЕТЕДІ»."""
    return _typeset(text, _BOUND, UNBROKEN_PHRASES)
