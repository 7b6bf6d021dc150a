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


# ----- scoring: labels, units, rules and their working (same names in ru.py) --------------------------------

from .common import exact_number as _exact, rounded_number as _rounded  # noqa: E402

SCORE_LABELS = {
    "organisation_id": "Ұйымның коды",
    "organisation": "Мүшелік ұйым",
    "place": "Орын",
    "total": "Жалпы ұпай саны",
    "main_blocks": "Негізгі блоктар",
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
    "not_reported": "ұсынылмаған, нөл деп есептелді",
    "none": "жоқ",
}
UNITS = {"count": "саны", "persons": "адам", "percent": "%", "thousand_tenge": "мың теңге", "yes_no": "иә = 1, жоқ = 0"}
TIE_BREAKS = {"main_blocks": "негізгі блоктардың ұпайы бойынша", "organisation": "ұйым коды бойынша",
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


def exact(value) -> str:
    """Return a number with all its decimals: 100 201, 1 234,5 (no-break space)."""
    return _exact(value, LOCALE)


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


def points_word(value) -> str:
    """Return «ұпай» (Kazakh does not inflect the noun after a number)."""
    return "ұпай"


def _interval(start, end) -> str:
    return f"[{exact(start)}; {exact(end)})" if end is not None else f"[{exact(start)}; ∞)"


def rule_text(rule) -> str:
    """Return a rule of Appendix 1 in words: «әр бірлікке 0,5 ұпай, ең көбі 500 ұпай»."""
    kind = rule.kind
    if kind == "per_unit":
        text = f"әр бірлікке {exact(rule.points)} ұпай"
        return text + (f", ең көбі {exact(rule.cap)} ұпай" if rule.cap is not None else "")
    if kind == "penalty":
        text = f"әр бірлікке {exact(rule.points)} айып ұпайы"
        return text + (f", ең көбі {exact(rule.cap)} ұпай шегеріледі" if rule.cap is not None else "")
    if kind == "fixed":
        return f"«иә» болса {exact(rule.points)} ұпай, «жоқ» болса 0"
    if kind == "bands":
        return "аралықтар: " + "; ".join(f"{_interval(b.start, b.end)} – {exact(b.points)}" for b in rule.bands)
    if kind == "rank":
        order = "ең жоғары мән" if rule.order != "lowest_first" else "ең төмен мән"
        ranks = ", ".join(f"{i}-орын – {exact(p)}" for i, p in enumerate(rule.points, 1))
        return f"мән бойынша орнына қарай ({order} бірінші): {ranks} ұпай, қалғандарына 0"
    raise ValueError(kind)


def ratio_text(numerator, denominator, value, percent: bool, on_zero: bool) -> str:
    """Return how a ratio's value was computed: «8 345 / 10 000 × 100 = 83,45»."""
    times = " × 100" if percent else ""
    if on_zero:
        return f"{exact(numerator)} / 0: бөлгіш нөлге тең, мәні {exact(value)} деп алынды"
    return f"{exact(numerator)} / {exact(denominator)}{times} = {approx(value)}"


def working(w) -> str:
    """Return the computation a rule made (a score.Working): «1 200 × 0,5 = 600 → 500 (ең көбі)»."""
    if w.kind in ("per_unit", "penalty"):
        per = exact(w.per_unit) if w.per_unit >= 0 else f"({exact(w.per_unit)})"
        text = f"{exact(w.value)} × {per} = {exact(w.raw)}"
        if w.capped:
            text += f" → {exact(w.points)} ({'ең көбі' if w.kind == 'per_unit' else 'шегеру шегі'})"
        return text
    if w.kind == "fixed":
        return f"{yes_no(w.yes)} → {exact(w.points)}"
    if w.kind == "bands":
        if w.below_bands:
            return f"{approx(w.value)} бірінші аралықтан төмен → 0"
        start, end, points = w.band
        return f"{approx(w.value)} ∈ {_interval(start, end)} → {exact(points)}"
    if w.kind == "rank":
        return f"мәні бойынша {w.rank}-орын → {exact(w.points)}"
    raise ValueError(w.kind)
