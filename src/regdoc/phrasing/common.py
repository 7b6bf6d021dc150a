"""Formatting shared by both languages, through Babel (see ../shared/pitfalls.md item 6 on its separators)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

NBSP = "\u00a0"


def number(value: float | int | Decimal, locale: str) -> str:
    """Return a number grouped the locale's way, with a no-break space: 100 201 -> '100\u00a0201'."""
    from babel.numbers import format_decimal

    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return format_decimal(value, locale=locale, group_separator=True).replace("\u202f", NBSP)


def date_pattern(when: date, pattern: str, locale: str) -> str:
    """Return `when` formatted with an explicit Babel pattern (never Babel's kk 'long', which is not official)."""
    from babel.dates import format_date

    return format_date(when, pattern, locale=locale).replace("\u202f", " ")


def short_date(when: date) -> str:
    """Return 20.02.2026 (the same in both languages)."""
    return when.strftime("%d.%m.%Y")


def exact_number(value: float | int | Decimal, locale: str) -> str:
    """Return a number with every decimal it has (no rounding), grouped the locale's way: 1200.25 -> '1\u00a0200,25'."""
    from babel.numbers import format_decimal

    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else value.normalize()
    text = format_decimal(value, locale=locale, group_separator=True, decimal_quantization=False)
    return text.replace("\u202f", NBSP)


def rounded_number(value: Decimal, places: int, locale: str) -> tuple[str, bool]:
    """Return the number rounded to `places` decimals, and whether rounding changed it (to show «≈»)."""
    from decimal import ROUND_HALF_UP

    value = Decimal(value)
    shown = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return exact_number(shown, locale), shown != value
