"""Phrasing of the official documents, in Kazakh and Russian: the forms the issued resolution and the glossary use."""
from __future__ import annotations

from datetime import date

import pytest

from regdoc.data.model import ResolutionId
from regdoc.phrasing import common, kk, ru

RID = ResolutionId.parse("2026-02-20/9/7")
ORG_KK = kk.organisation("Жамбыл облысы оқу-ағарту, ғылым және жоғары білім қызметкерлерінің жергілікті кәсіптік "
                         "одағы", "public_association")


def test_date_and_number_line():
    assert (kk.resolution_date(RID), kk.resolution_meeting_item(RID)) == ("20.02.2026 ж.", "№ 9, 7-т.")
    assert (ru.resolution_date(RID), ru.resolution_meeting_item(RID)) == ("20.02.2026 г.", "№ 9, п. 7")
    for ph in (kk, ru):  # the two halves make the glossary's line
        assert f"{ph.resolution_date(RID)} {ph.resolution_meeting_item(RID)}" == ph.resolution_number(RID)


def test_place_lines_as_issued():
    assert kk.place_line(3, ORG_KK, 29986, last=True) == (
        "ІІІ орын – «Жамбыл облысы оқу-ағарту, ғылым және жоғары білім қызметкерлерінің жергілікті кәсіптік одағы» "
        "ҚБ (жалпы ұпай саны – 29\u00a0986).")
    assert kk.place_line(1, "«X» ҚБ", 100201, last=False) == "І орын – «X» ҚБ (жалпы ұпай саны – 100\u00a0201);"
    assert "\u0406" in kk.place_line(1, "«X» ҚБ", 1, last=True)  # Cyrillic І, as issued
    assert ru.place_line(2, "ОО «X»", 39440, last=False) == "II место – ОО «X» (общее количество баллов – 39\u00a0440);"


def test_reward_dash_lines():
    assert kk.reward_line("«X» ҚБ", last=False) == "- «X» ҚБ;"
    assert ru.reward_line("ОО «X»", last=True) == "- ОО «X»."
    assert common.numbered("4.2", "Мәтін") == "4.2. Мәтін"


@pytest.mark.parametrize("month, expected", [
    (1, "қаңтардағы"), (2, "ақпандағы"), (3, "наурыздағы"), (4, "сәуірдегі"), (5, "мамырдағы"), (6, "маусымдағы"),
    (7, "шілдедегі"), (8, "тамыздағы"), (9, "қыркүйектегі"), (10, "қазандағы"), (11, "қарашадағы"),
    (12, "желтоқсандағы")])
def test_kazakh_attributive_dates_follow_vowel_harmony(month, expected):
    assert kk.attributive_date(date(2026, month, 5)) == f"2026 жылғы 5 {expected}"


def test_russian_attributive_date():
    assert ru.attributive_date(date(2026, 2, 20)) == "от 20 февраля 2026 года"


def test_approval_line_of_the_amendments():
    later = ResolutionId.parse("2027-03-01/2/4")
    assert kk.amended_by([RID], "Атқару комитетінің") == (
        "(Атқару комитетінің 2026 жылғы 20 ақпандағы № 9 қаулысымен енгізілген өзгерістермен)")
    assert kk.amended_by([RID, later], "Атқару комитетінің") == (
        "(Атқару комитетінің 2026 жылғы 20 ақпандағы № 9, 2027 жылғы 1 наурыздағы № 2 қаулыларымен енгізілген "
        "өзгерістермен)")
    assert ru.amended_by([RID], "Исполнительного комитета") == (
        "(с изменениями, внесенными постановлением Исполнительного комитета от 20 февраля 2026 года № 9)")
    assert ru.amended_by([RID, later], "Исполнительного комитета").startswith(
        "(с изменениями, внесенными постановлениями Исполнительного комитета от 20 февраля 2026 года № 9, от 1 марта")


def test_appendix_heading_names_the_regulation_in_the_dative():
    assert kk.appendix_ref("Мүшелік ұйымдардың қызметін жыл сайынғы бағалау жүйесі туралы ереже") == (
        "Мүшелік ұйымдардың қызметін жыл сайынғы бағалау жүйесі туралы ережеге 1-қосымша")
    assert ru.appendix_ref("Положение о системе ежегодной оценки деятельности членских организаций") == (
        "Приложение 1 к Положению о системе ежегодной оценки деятельности членских организаций")
    assert ru.appendix_ref("Правила оценки") == "Приложение 1 к документу «Правила оценки»"


def test_annex_stamp():
    assert kk.annex_stamp(RID, "Атқару комитетінің") == (
        "Атқару комитетінің 2026 жылғы 20 ақпандағы № 9 қаулысына қосымша")
    assert ru.annex_stamp(RID, "Исполнительного комитета") == (
        "Приложение к постановлению Исполнительного комитета от 20 февраля 2026 года № 9")
    assert kk.annex_stamp(RID, "Атқару комитетінің", 2) == (
        "Атқару комитетінің 2026 жылғы 20 ақпандағы № 9 қаулысына 2-қосымша")
    assert ru.annex_stamp(RID, "Исполнительного комитета", 2) == (
        "Приложение 2 к постановлению Исполнительного комитета от 20 февраля 2026 года № 9")


@pytest.mark.parametrize("unit", ["count", "persons", "percent", "thousand_tenge", "yes_no"])
def test_every_unit_has_a_name_in_both_languages(unit):
    assert kk.indicator_unit(unit) and ru.indicator_unit(unit)


def test_document_words_in_both_languages():
    for ph in (kk, ru):
        assert set(ph.APPENDIX_COLUMNS) == {"number", "indicator", "unit", "rule", "max_points"}
        assert ph.main_block("X").startswith("X (")
        assert ph.PARALLEL_HEADER and ph.ranks_title()
    assert kk.main_block("Құқықтық қорғау") == "Құқықтық қорғау (негізгі блок)"
    assert ru.main_block("Правовая защита") == "Правовая защита (основной блок)"


def test_a_column_of_numbers_has_one_number_of_decimals_and_a_minus_sign():
    from decimal import Decimal

    assert kk.column([Decimal("15641.25"), 6843, Decimal("-36.4")]) == ["15\u00a0641,25", "6\u00a0843,00", "\u221236,40"]
    assert ru.column([1, 2, -5]) == ["1", "2", "\u22125"]
    assert ru.column([]) == []


# ----- number formatting without Babel's per-call cost, against Babel ------------------------------------------

from decimal import Decimal as _D  # noqa: E402
from decimal import InvalidOperation  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from regdoc.phrasing import common as _common  # noqa: E402

_NUMBERS = st.one_of(
    st.integers(min_value=-10 ** 24, max_value=10 ** 24),  # Babel itself fails beyond (28 digits of precision)
    st.decimals(allow_nan=False, allow_infinity=False, places=8, min_value=_D("-1e18"), max_value=_D("1e18")),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10 ** 9, max_value=10 ** 9),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
)


@settings(max_examples=400, deadline=None)
@given(value=_NUMBERS, locale=st.sampled_from(["kk_KZ", "ru_KZ", "kk", "ru"]))
def test_number_is_what_babel_gives(value, locale):
    expected = value
    if isinstance(expected, float):
        expected = _D(repr(expected))
    if isinstance(expected, _D):
        expected = int(expected) if expected == expected.to_integral_value() else expected.normalize()
    assert _common.number(value, locale) == _common._babel_number(expected, locale)


@pytest.mark.parametrize("locale", sorted(_common._PLAIN_FORMATS))
def test_the_known_number_formats_are_what_babel_gives(locale):
    # number() takes the symbols of regdoc's own locales from a table (no Babel import); it must stay Babel's
    assert _common._PLAIN_FORMATS[locale] == _common._babel_plain_format(locale)


def test_a_locale_whose_pattern_is_not_plain_is_formatted_by_babel():
    assert _common._plain_format("kk_KZ") is not None
    assert _common.number(_D("-1234567.125"), "kk_KZ") == "-1\u00a0234\u00a0567,125"
    assert _common._plain_format("ar_EG") is None or _common.number(1234, "ar_EG") == _common._babel_number(1234, "ar_EG")


@settings(max_examples=300, deadline=None)
@given(values=st.lists(_NUMBERS, max_size=6), locale=st.sampled_from(["kk_KZ", "ru_KZ", "kk", "ru"]))
def test_column_numbers_are_what_babel_gives(values, locale):
    exact = [_D(repr(v)) if isinstance(v, float) else _D(v) for v in values]
    places = max((max(0, -v.normalize().as_tuple().exponent) for v in exact), default=0)
    try:
        expected = [("\u2212" if v < 0 else "") + _common._babel_column_number(abs(v), places, locale)
                    for v in exact]
    except InvalidOperation:  # more digits than decimal's precision: Babel fails, and so does the column
        with pytest.raises(InvalidOperation):
            _common.column_numbers(values, locale)
        return
    assert _common.column_numbers(values, locale) == expected


_REPEATED = st.sampled_from([1, 1.0, _D("1.00"), _D("1.1"), _D("1.10"), 0.5, _D("0.5"), -0.0, 0.0, _D("-0.0"), 2.25,
                              -3, 1234567.5, _D("0.1"), 0.1, _D("-3.000")])


@settings(max_examples=200, deadline=None)
@given(values=st.lists(_REPEATED, max_size=12), locale=st.sampled_from(["kk", "ru"]))
def test_a_column_of_repeated_and_equal_numbers_is_what_babel_gives(values, locale):
    # each distinct number is formatted once (by type and value): numbers met again, and equal numbers of
    # other types or exponents, give what each gives alone
    exact = [_D(repr(v)) if isinstance(v, float) else _D(v) for v in values]
    places = max((max(0, -v.normalize().as_tuple().exponent) for v in exact), default=0)
    expected = [("\u2212" if v < 0 else "") + _common._babel_column_number(abs(v), places, locale) for v in exact]
    assert _common.column_numbers(values, locale) == expected


def test_a_number_without_a_hash_is_refused_as_before():
    with pytest.raises(InvalidOperation):
        _common.column_numbers([_D("sNaN"), 1], "kk")


def test_column_numbers_beyond_the_fast_path_are_babels():
    assert _common.column_numbers([_D("1e23"), _D("-0.5")], "ru") == [
        _common._babel_column_number(_D("1e23"), 1, "ru"), "\u2212" + _common._babel_column_number(_D("0.5"), 1, "ru")]
    assert _common.column_numbers([_D("1e23"), _D("-0.5")], "ru")[0] == "100\u00a0000\u00a0000\u00a0000\u00a0000" \
        "\u00a0000\u00a0000\u00a0000,0"


# ----- issue 17: dates in words without Babel's per-call cost, as Babel gives them --------------------------------

@pytest.mark.parametrize("locale", sorted(_common._MONTHS))
def test_the_known_month_names_are_what_babel_gives(locale):
    from babel import Locale

    months = Locale.parse(locale).months["format"]["wide"]
    assert _common._MONTHS[locale] == tuple(months[k] for k in range(1, 13))


@settings(max_examples=300, deadline=None)
@given(when=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
       locale=st.sampled_from(["kk_KZ", "ru_KZ", "kk", "en"]),
       pattern=st.sampled_from(["y 'жылғы' d MMMM", "d MMMM y 'года'", "dd MMMM y", "d.MM.y", "'«'d'»' MMMM y 'ж.'",
                                "EEEE, d MMMM y", "MMMM y", "d MMM y", "y-'w'", "d '' MMMM"]))
def test_a_date_in_words_is_what_babel_gives(when, locale, pattern):
    assert _common.date_pattern(when, pattern, locale) == _common._babel_date(when, pattern, locale)


def test_only_simple_patterns_of_known_locales_are_formatted_without_babel():
    assert _common._date_fields("y 'жылғы' d MMMM") == ("\0y", " ", "жылғы", " ", "\0d", " ", "\0MMMM")
    assert _common._date_fields("d MMM y") is None and _common._date_fields("d '' MMMM") is None
    assert _common.date_pattern(date(2026, 2, 20), "y 'жылғы' d MMMM", "kk_KZ") == "2026 жылғы 20 ақпан"
    assert _common.date_pattern(date(2026, 2, 20), "d MMMM y 'года'", "ru_KZ") == "20 февраля 2026 года"
