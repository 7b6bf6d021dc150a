"""Formatting shared by both languages, through Babel (see ../shared/pitfalls.md item 6 on its separators)."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Optional

NBSP = "\u00a0"
NBHYPHEN = "\u2011"  # the no-break hyphen: «1‑қосымша» never breaks after «1-»
MINUS = "\u2212"  # the minus sign of a printed negative number (a hyphen is not a minus)

# The whole tokens of a text, as the word diff and whole-word replacement see them: a number with its decimal
# comma and thousands spaces («1 000», «0,25»), a unit number with its suffix («4.3-1», «4.3-1-тармақ»), a word
# with its suffixes and hyphenated parts («Ақпараттық-түсіндіру»), a run of spaces, one punctuation mark.
TOKEN = re.compile(r"""
      \d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?!\d)    # 1 000, 1 000 000,50: thousands spaces
    | \d+(?:[.,]\d+)*(?:[-\u2011]\d+)*(?:[-\u2011][^\W\d_]\w*)?  # 0,25 6.4 20.02.2026 4.3-1 4.3-1-тармақ
    | \w+(?:[-\u2011]\w+)*                               # a word with its suffixes, a hyphenated word
    | \s+
    | .
""", re.VERBOSE | re.DOTALL)


def tokens(text: str) -> list[str]:
    """Return the whole tokens of `text` (joined they give `text` back)."""
    return TOKEN.findall(text)


def token_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the whole tokens of `text`."""
    return [match.span() for match in TOKEN.finditer(text)]


def number(value: float | int | Decimal, locale: str) -> str:
    """Return a number with every decimal it has (no rounding), grouped the locale's way with a no-break space:
    100201 -> '100\u00a0201', 1200.25 -> '1\u00a0200,25' (Kazakh and Russian use a decimal comma).

    The locale's symbols and grouping come from Babel once (`_plain_format`); each call then only groups digits,
    which gives what Babel's format_decimal gives (a property test compares them) without its per-call cost."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else value.normalize()
    plain = _plain_format(locale)
    if plain is None:
        return _babel_number(value, locale)
    decimal_symbol, group_symbol, minus, primary, secondary = plain
    digits = str(abs(value)) if isinstance(value, int) else format(abs(value), "f")
    whole, _, fraction = digits.partition(".")
    groups = []
    if len(whole) > primary:
        groups.append(whole[-primary:])
        whole = whole[:-primary]
        while len(whole) > secondary:
            groups.append(whole[-secondary:])
            whole = whole[:-secondary]
    groups.append(whole)
    text = group_symbol.join(reversed(groups))
    if fraction:
        text += decimal_symbol + fraction
    return minus + text if value < 0 else text


def _babel_number(value: int | Decimal, locale: str) -> str:
    from babel.numbers import format_decimal

    text = format_decimal(value, locale=locale, group_separator=True, decimal_quantization=False)
    return text.replace("\u202f", NBSP)


# What `_babel_plain_format` finds for the locales regdoc writes in (Babel's CLDR data), so that a command that
# formats a number need not import Babel and load its locale data (about 30 ms): tests/test_phrasing_render.py
# checks that these are still what Babel gives, and compares `number` with Babel's format_decimal.
_PLAIN_FORMATS = {
    "kk_KZ": (",", NBSP, "-", 3, 3),
    "ru_KZ": (",", NBSP, "-", 3, 3),
}


@lru_cache(maxsize=None)
def _plain_format(locale: str) -> Optional[tuple[str, str, str, int, int]]:
    """Return the decimal symbol, group symbol, minus sign and grouping (primary, secondary) of the locale's
    decimal pattern when it is a plain one (like #,##0.###: no prefix or suffix but the minus, no scale or
    exponent); None otherwise (then Babel formats each number)."""
    known = _PLAIN_FORMATS.get(locale)
    return known if known is not None else _babel_plain_format(locale)


def _babel_plain_format(locale: str) -> Optional[tuple[str, str, str, int, int]]:
    """Return `_plain_format(locale)` as Babel's locale data give it."""
    from babel import Locale
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol, parse_pattern

    pattern = parse_pattern(Locale.parse(locale).decimal_formats[None])
    if pattern.prefix != ("", "-") or pattern.suffix != ("", "") or pattern.scale != 0 \
            or pattern.exp_prec is not None or pattern.int_prec[0] != 1 or min(pattern.grouping) < 1:
        return None
    return (get_decimal_symbol(locale), get_group_symbol(locale).replace("\u202f", NBSP),
            get_minus_sign_symbol(locale), *pattern.grouping)


def column_numbers(values, locale: str) -> list[str]:
    """Return the numbers of one table column, each with as many decimals as the most precise of them (one number
    of decimals per column: '6\u00a0843,00' beside '15\u00a0641,25') and a negative one with the minus sign
    U+2212 ('\u22125').

    What Babel's format_decimal gives with the pattern #,##0.00 (a property test compares them), without its
    per-call cost (parsing the locale and the pattern for every number: 47 us a number, 3 s for the 64 000 numbers
    of 2 000 organisations' results); a number Babel would treat specially (not finite, or more digits than
    decimal's precision keeps) is formatted by Babel."""
    # each distinct number made exact and formatted once (a results column repeats its points): two numbers of
    # one type that are equal (1.0 and 1.0, Decimal('1.10') and Decimal('1.1')) have the same normalized form and
    # sign, so the same places and text
    keys: Any = [(type(v), v) for v in values]
    distinct: dict[object, Decimal] = {}
    try:
        for key, v in zip(keys, values):
            if key not in distinct:
                distinct[key] = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    except TypeError:  # a number without a hash (a signalling NaN): each one on its own
        keys = range(len(values))
        distinct = {i: Decimal(repr(v)) if isinstance(v, float) else Decimal(v) for i, v in enumerate(values)}
    places = max((max(0, -v.normalize().as_tuple().exponent) for v in distinct.values() if v.is_finite()),
                 default=0)
    decimal_symbol, group_symbol = _column_symbols(locale)
    quantum = Decimal(1).scaleb(-places)
    texts: dict[object, str] = {}
    for key, value in distinct.items():
        magnitude = abs(value)
        if not magnitude.is_finite() or magnitude.adjusted() + places >= 24:
            text = _babel_column_number(magnitude, places, locale)
        else:
            whole, _, fraction = format(magnitude.quantize(quantum), "f").partition(".")
            groups = []
            while len(whole) > 3:
                groups.append(whole[-3:])
                whole = whole[:-3]
            groups.append(whole)
            text = group_symbol.join(reversed(groups))
            if places:
                text += decimal_symbol + fraction
        texts[key] = f"{MINUS}{text}" if value < 0 else text
    return [texts[v] for v in keys]


@lru_cache(maxsize=None)
def _column_symbols(locale: str) -> tuple[str, str]:
    """Return the decimal and the group symbol of `locale` (Babel's, the group's U+202F as U+00A0; those of
    regdoc's own locales from _PLAIN_FORMATS, which are Babel's, without importing Babel)."""
    known = _PLAIN_FORMATS.get(locale)
    if known is not None:
        return known[0], known[1]
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(locale), get_group_symbol(locale).replace("\u202f", NBSP)


def _babel_column_number(magnitude: Decimal, places: int, locale: str) -> str:
    """Return the non-negative `magnitude` with `places` decimals as Babel's format_decimal gives it."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(magnitude, format=pattern, locale=locale, group_separator=True,
                          decimal_quantization=True).replace("\u202f", NBSP)


# The names of the months as a date pattern's MMMM gives them (CLDR's format, wide) for the locales regdoc writes
# in, so that a date in words needs no Babel import and locale data: tests/test_phrasing_render.py checks that they
# are still Babel's, and compares `date_pattern` with Babel's format_date.
_MONTHS = {
    "kk_KZ": ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
              "қараша", "желтоқсан"),
    "ru_KZ": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
              "ноября", "декабря"),
}
_DATE_FIELD = re.compile(r"'[^']*'|([a-zA-Z])\1*|[^'a-zA-Z]+")


@lru_cache(maxsize=None)
def _date_fields(pattern: str) -> Optional[tuple[str, ...]]:
    """Return the fields of a date pattern made only of y, d, dd, MMMM and literal text (quoted or not), literal
    text as itself and a field as its letters; None for any other pattern (Babel formats it)."""
    fields = []
    at = 0
    for match in _DATE_FIELD.finditer(pattern):
        if match.start() != at:
            return None
        at = match.end()
        text = match.group(0)
        if text.startswith("'"):
            if text == "''":
                return None  # a quote itself
            fields.append(text[1:-1])
        elif match.group(1):
            if text not in ("y", "d", "dd", "MMMM"):
                return None
            fields.append("\0" + text)
        else:
            fields.append(text)
    return tuple(fields) if at == len(pattern) else None


def date_pattern(when: date, pattern: str, locale: str) -> str:
    """Return `when` formatted with an explicit Babel pattern (never Babel's kk 'long', which is not official).

    Patterns of y, d, dd, MMMM and literal text in regdoc's own locales are formatted here, as Babel formats them
    (a property test compares them); any other goes to Babel's format_date."""
    fields = _date_fields(pattern)
    months = _MONTHS.get(locale)
    if fields is None or months is None:
        return _babel_date(when, pattern, locale)
    values = {"\0y": str(when.year), "\0d": str(when.day), "\0dd": f"{when.day:02d}",
              "\0MMMM": months[when.month - 1]}
    return "".join(values.get(f, f) for f in fields).replace("\u202f", " ")


def _babel_date(when: date, pattern: str, locale: str) -> str:
    """Return `date_pattern` as Babel's format_date gives it."""
    from babel.dates import format_date

    return format_date(when, pattern, locale=locale).replace("\u202f", " ")


def short_date(when: date) -> str:
    """Return 20.02.2026 (the same in both languages)."""
    return when.strftime("%d.%m.%Y")


def quote_lines(number: str | None, text: str, last: bool) -> list[str]:
    """Return the dash-list lines quoting a unit's wording in an amending text, one per paragraph.

    `- «4.2. First paragraph` ... `Last paragraph»;` — the closing mark is «»;» inside a list and «».» at its end
    (the same in Kazakh and Russian). `number` is None for a quote that is not a numbered unit.
    """
    paragraphs = text.split("\n")
    head = f"{number}. " if number else ""
    lines = [f"- «{head}{paragraphs[0]}"] + paragraphs[1:]
    lines[-1] += "»." if last else "»;"
    return lines


def listing(items: list[str], conjunction: str) -> str:
    """Return 'a, b and c' with the language's word for 'and': listing(['3.2', '4.2', '5.2'], 'және')."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"

def rounded_number(value: Decimal, places: int, locale: str) -> tuple[str, bool]:
    """Return the number rounded to `places` decimals, and whether rounding changed it (to show «≈»)."""
    from decimal import ROUND_HALF_UP

    value = Decimal(value)
    shown = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number(shown, locale), shown != value


def numbered(number: object, text: str) -> str:
    """Return «4.2. text»: a unit or item number as the issued documents write it (the same in both languages)."""
    return f"{number}. {text}"


def dash_line(text: str, last: bool) -> str:
    """Return «- text;» for a dash list line, «- text.» for the last one (as the issued resolution writes them)."""
    return f"- {text}{'.' if last else ';'}"


# ----- typography: where a line may not break ------------------------------------------------------------------
# Every rule swaps one character for another (a space for U+00A0, a hyphen for U+2011), so a typeset text has the
# length of the text it came from: a text cut into pieces (the marked words of a comparison table) is typeset
# whole and cut again at the same offsets (`typeset_pieces`).

_NUMBER_HYPHEN = re.compile(r"(?<=\d)-(?=\w)")  # 1-қосымша, 4.3-1-тармақ, 7-т., 1-е место, 2-блок
_AFTER_NUMERO = re.compile(r"(?<=№) (?=\S)")  # № 9
_BEFORE_DASH = re.compile(r"(?<=\S) (?=[–—](?: |$))")  # «І орын – ...»: a line never starts with the dash
_DIGIT_SPACE = re.compile(r"\d ")
_INITIALS = re.compile(r"(?<![\w.])(?P<initial>[^\W\d_]\.) (?=[^\W\d_])")  # А. Мұқашева, В. Ф. Беженаров


def typeset(text: str, bound_words: "re.Pattern[str]", phrases: tuple[str, ...] = ()) -> str:
    """Return `text` with no-break spaces and hyphens where a line may not break (the same length as `text`):

    - between a number and the word or sign it counts or dates, as `bound_words` (the language's units, points,
      months, years; the percent sign) matches the word after the space: «95 %», «50 баллов», «20 ақпан»;
    - after «№»: «№ 9»;
    - at the hyphen after a number: «1‑қосымша», «4.3‑1‑тармақ» (U+2011);
    - before a dash that follows a word: «І орын – ...»;
    - between an initial and the next initial or the surname: «А. Мұқашева»;
    - inside each of `phrases` («ҚАУЛЫ ЕТЕДІ»), which stand on one line.

    Every rule binds at a space or a hyphen (`bound_words` as bound_words makes it): a text with neither, such as
    a number of a results table («2\u00a0033,0», «4728»), is returned as it is without trying them.
    """
    if " " not in text and "-" not in text:
        return text
    return _typeset(text, bound_words, phrases)


def _typeset(text: str, bound_words: "re.Pattern[str]", phrases: tuple[str, ...] = ()) -> str:
    """Return `text` typeset by every rule of typeset (a rule whose sign is not in the text is not tried: most
    texts have no hyphen, «№», dash or initial)."""
    if "-" in text:
        text = _NUMBER_HYPHEN.sub(NBHYPHEN, text)
    if "№" in text:
        text = _AFTER_NUMERO.sub(NBSP, text)
    if _DIGIT_SPACE.search(text):  # (bound_words binds only a space after a digit: a scan for one is quicker)
        text = bound_words.sub(NBSP, text)
    if "–" in text or "—" in text:
        text = _BEFORE_DASH.sub(NBSP, text)
    if ". " in text:
        text = _INITIALS.sub(lambda match: match.group("initial") + NBSP, text)
    for phrase in phrases:
        if phrase in text:
            text = text.replace(phrase, phrase.replace(" ", NBSP))
    return text


def bound_words(words: tuple[str, ...]) -> "re.Pattern[str]":
    """Return the pattern of the space between a number and a following word that begins with one of `words`
    (regular expressions: word beginnings, «балл» for балл, балла, баллов) or a percent sign."""
    alternatives = "|".join(words)
    return re.compile(rf"(?<=\d) (?=%|(?:{alternatives}))")


def typeset_pieces(pieces: list[str], typeset_text) -> list[str]:
    """Return `pieces` typeset as one text by `typeset_text` and cut again where they were cut."""
    whole = typeset_text("".join(pieces))
    out, start = [], 0
    for piece in pieces:
        out.append(whole[start:start + len(piece)])
        start += len(piece)
    return out
