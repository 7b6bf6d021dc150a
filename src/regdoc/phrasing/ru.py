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


# ----- scoring: labels, units, rules and their working (same names in kk.py) --------------------------------

from .common import exact_number as _exact, rounded_number as _rounded  # noqa: E402

SCORE_LABELS = {
    "organisation_id": "Код организации",
    "organisation": "Членская организация",
    "place": "Место",
    "total": "Общее количество баллов",
    "main_blocks": "Основные блоки",
    "block": "Блок",
    "main_block": "основной блок",
    "indicator": "Показатель",
    "value": "Значение",
    "rule": "Порядок начисления",
    "working": "Расчет",
    "points": "Баллы",
    "rank": "Место по показателю",
    "prize": "Призовое место",
    "reward": "Предлагается к поощрению",
    "prize_places": "Призовые места",
    "rewards": "Членские организации, набравшие высокие баллы по основным блокам, предлагаемые к поощрению (пункт 5.2)",
    "results_sheet": "Итоги",
    "indicators_sheet": "Показатели",
    "template_sheet": "Показатели",
    "criteria": "Критерии оценки",
    "sum": "Итого",
    "yes": "да",
    "no": "нет",
    "sample": "ОБРАЗЕЦ ДАННЫХ: реальные показатели не публикуются",
    "not_reported": "не представлено, считается нулем",
    "none": "нет",
}
UNITS = {"count": "кол-во", "persons": "чел.", "percent": "%", "thousand_tenge": "тыс. тенге", "yes_no": "да = 1, нет = 0"}
TIE_BREAKS = {"main_blocks": "по баллам основных блоков", "organisation": "по коду организации",
              "shared": "место делится"}


UNIT_HINTS = {"count": "целое число не меньше 0", "persons": "целое число не меньше 0",
              "percent": "число от 0 до 100", "thousand_tenge": "число не меньше 0 (тыс. тенге)",
              "yes_no": "1 (да) или 0 (нет)"}


def unit_hint(unit_id: str) -> str:
    """Return what a column of this unit takes, for the template's entry check."""
    return UNIT_HINTS[unit_id]


def label(key: str) -> str:
    """Return a heading or word of the score tables («Общее количество баллов»)."""
    return SCORE_LABELS[key]


def unit(unit_id: str) -> str:
    """Return the unit as the template's unit row shows it («чел.», «тыс. тенге»)."""
    return UNITS[unit_id]


def exact(value) -> str:
    """Return a number with all its decimals: 100 201, 1 234,5 (no-break space)."""
    return _exact(value, LOCALE)


def approx(value, places: int = 2) -> str:
    """Return a computed share to `places` decimals, with «≈» when it was rounded: «≈ 66,67»."""
    text, rounded = _rounded(value, places, LOCALE)
    return f"≈ {text}" if rounded else text


def evaluation_title(year: int) -> str:
    """Return «Показатели членских организаций за 2025 год»."""
    return f"Показатели членских организаций за {year} год"


def results_title(year: int) -> str:
    """Return «Итоги ежегодной оценки деятельности членских организаций за 2025 год»."""
    return f"Итоги ежегодной оценки деятельности членских организаций за {year} год"


def criteria_basis(in_force: date) -> str:
    """Return which Appendix 1 the evaluation used: «приложение 1 к Положению в редакции, действующей с 20.02.2026 г.»."""
    return f"приложение 1 к Положению в редакции, действующей с {short_date(in_force)} г."


def yes_no(value: bool) -> str:
    return SCORE_LABELS["yes"] if value else SCORE_LABELS["no"]


def rank_of(rank: int, count: int) -> str:
    """Return «3 / 20» (rank among count organisations)."""
    return f"{rank} / {count}"


def tie_break(key: str, indicator_title: str | None = None) -> str:
    """Return how an equal total was decided: «по баллам основных блоков»."""
    if key in TIE_BREAKS:
        return TIE_BREAKS[key]
    return f"по баллам показателя «{indicator_title or key}»"


def points_word(value) -> str:
    """Return балл / балла / баллов as a number before it requires."""
    from decimal import Decimal

    value = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if value != value.to_integral_value():
        return "балла"
    n = abs(int(value))
    if n % 10 == 1 and n % 100 != 11:
        return "балл"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "балла"
    return "баллов"


def _interval(start, end) -> str:
    return f"[{exact(start)}; {exact(end)})" if end is not None else f"[{exact(start)}; ∞)"


def rule_text(rule) -> str:
    """Return a rule of Appendix 1 in words: «0,5 балла за единицу, не более 500 баллов»."""
    kind = rule.kind
    if kind == "per_unit":
        text = f"{exact(rule.points)} {points_word(rule.points)} за единицу"
        return text + (f", не более {exact(rule.cap)} {points_word(rule.cap)}" if rule.cap is not None else "")
    if kind == "penalty":
        text = f"{exact(rule.points)} штрафных {points_word(rule.points)} за единицу"
        return text + (f", вычитается не более {exact(rule.cap)} {points_word(rule.cap)}"
                       if rule.cap is not None else "")
    if kind == "fixed":
        return f"{exact(rule.points)} {points_word(rule.points)} при ответе «да», 0 при ответе «нет»"
    if kind == "bands":
        return "интервалы: " + "; ".join(f"{_interval(b.start, b.end)} – {exact(b.points)}" for b in rule.bands)
    if kind == "rank":
        order = "наибольшее значение" if rule.order != "lowest_first" else "наименьшее значение"
        ranks = ", ".join(f"{i}-е место – {exact(p)}" for i, p in enumerate(rule.points, 1))
        return f"по месту среди организаций по значению (первое место – {order}): {ranks}, остальным 0"
    raise ValueError(kind)


def ratio_text(numerator, denominator, value, percent: bool, on_zero: bool) -> str:
    """Return how a ratio's value was computed: «8 345 / 10 000 × 100 = 83,45»."""
    times = " × 100" if percent else ""
    if on_zero:
        return f"{exact(numerator)} / 0: знаменатель равен нулю, значение принято равным {exact(value)}"
    return f"{exact(numerator)} / {exact(denominator)}{times} = {approx(value)}"


def working(w) -> str:
    """Return the computation a rule made (a score.Working): «1 200 × 0,5 = 600 → 500 (не более)»."""
    if w.kind in ("per_unit", "penalty"):
        per = exact(w.per_unit) if w.per_unit >= 0 else f"({exact(w.per_unit)})"
        text = f"{exact(w.value)} × {per} = {exact(w.raw)}"
        if w.capped:
            text += f" → {exact(w.points)} ({'не более' if w.kind == 'per_unit' else 'предел вычета'})"
        return text
    if w.kind == "fixed":
        return f"{yes_no(w.yes)} → {exact(w.points)}"
    if w.kind == "bands":
        if w.below_bands:
            return f"{approx(w.value)} ниже первого интервала → 0"
        start, end, points = w.band
        return f"{approx(w.value)} ∈ {_interval(start, end)} → {exact(points)}"
    if w.kind == "rank":
        return f"{w.rank}-е место по значению → {exact(w.points)}"
    raise ValueError(w.kind)
