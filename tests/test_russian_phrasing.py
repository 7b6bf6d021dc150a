"""The Russian documents read as a native editor writes: none of the phrasings that issue 15's reading rejected
(regdoc.phrasing.ru.REJECTED_PHRASES) appears in any Russian document regdoc makes, nor in the Russian column of
the parallel documents."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from datatree import REPO
from docx import Document
from render_helpers import body_text

from regdoc.cli import main
from regdoc.phrasing import ru


@pytest.fixture(scope="module")
def russian_texts(tmp_path_factory, shipped_build: Path) -> dict[str, str]:
    """The texts of the Russian documents of `regdoc build` (the test process's build of the shipped tree, which
    the tests only read) and of the parallel resolution with its annexes."""
    out = tmp_path_factory.mktemp("ru")
    assert main(["render", "resolution", "2026-02-20/9/7", "--lang", "both", "--parallel", "--root", str(REPO),
                 "--out", str(out)]) == 0
    texts = {p.name: body_text(p) for folder in (shipped_build, out) for p in folder.rglob("*.ru.docx")}
    for p in out.rglob("*.kk-ru.docx"):
        table = Document(str(p)).tables[0]
        texts[p.name] = "\n".join(row.cells[1].text for row in table.rows)
    return texts


def test_every_russian_document_is_checked(russian_texts):
    assert {"resolution-2026-02-20-9-7.ru.docx", "regulation-2026-02-20.ru.docx", "results-2025.ru.docx",
            "resolution-2026-02-20-9-7.kk-ru.docx"} <= set(russian_texts)


@pytest.mark.parametrize("pattern", sorted(ru.REJECTED_PHRASES))
def test_no_rejected_phrasing(pattern, russian_texts):
    found = {name: m.group(0) for name, text in russian_texts.items()
             if (m := re.search(pattern, text.replace("\u00a0", " ")))}
    assert found == {}, f"write «{ru.REJECTED_PHRASES[pattern]}» instead"


def test_the_fixed_phrasings_read_as_intended(russian_texts):
    resolution = russian_texts["resolution-2026-02-20-9-7.ru.docx"]
    assert "Об итогах ежегодной оценки деятельности членских организаций" in resolution
    assert "Пункты 3.2, 4.2, 4.3 и 5.2 изложить в следующей редакции:" in resolution
    assert "«3.2. Критерии оценки деятельности членских организаций Профсоюза:»" in resolution
    assert "по каждому критерию, и организации ранжируются" in resolution
    assert "При равенстве сумм баллов" in russian_texts["regulation-2026-02-20.ru.docx"]


def test_the_rejected_phrasings_would_be_found():
    old = ("Об итогах системы ежегодной оценки; Нижеследующие пункты изложить; Критерии определения оценки; "
           "оценивается отдельно по критериям, и они ранжируются; При равенстве суммы баллов; 1 место – 500 баллов")
    assert all(re.search(p, old) for p in ru.REJECTED_PHRASES)
    assert not re.search(r"(?<![\w-])\d+ место", "1-е место, I место, 3 призовых места")


# ----- issue 17: the plural rules without Babel's locale data ---------------------------------------------------

def test_the_plural_rules_are_babels():
    from babel import Locale

    assert Locale.parse(ru.LOCALE).plural_form.rules == ru.PLURAL_RULES


@pytest.mark.parametrize("value", [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112, 1000, 1001, 0.5, 1.5, 2.0,
                                   21.0, 2.25, -1, -3, -0.5])
def test_the_plural_form_is_babels(value):
    from babel import Locale

    expected = Locale.parse(ru.LOCALE).plural_form(abs(int(value) if float(value).is_integer() else value))
    assert ru._plural(value) == expected


@lru_cache(maxsize=None)
def _babel_rule():
    """Babel's PluralRule of the Russian rules, made once (a PluralRule parses its rules when made and compiles
    them to a Python function at its first call: made per value, that was most of the property test's time)."""
    from babel.plural import PluralRule

    return PluralRule(ru.PLURAL_RULES)


def _babel_plural(value) -> str:
    return _babel_rule()(value)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.integers(min_value=0, max_value=10 ** 12),
                 st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
                 st.decimals(min_value=0, max_value=10 ** 9, allow_nan=False, allow_infinity=False, places=None)))
def test_the_plural_form_is_what_babels_plural_rule_gives(value):
    assert ru._plural_form(value) == _babel_plural(value)


@pytest.mark.parametrize("value", [Decimal("1.0"), Decimal("0.50"), Decimal("1E+1"), Decimal("21"), Decimal("11"),
                                   Decimal("2.000"), Decimal("0"), 0.1, 1e16, 12, 111, 1_000_001])
def test_the_plural_form_of_written_decimals_and_large_numbers(value):
    assert ru._plural_form(value) == _babel_plural(value)


def test_a_plural_form_is_kept_per_value_as_written():
    assert (ru._plural(1), ru._plural(1.0), ru._plural(Decimal("1.0")), ru._plural(Decimal("1"))) == \
        ("one", "one", "other", "one")
    assert ru._plural(21) == ru._plural(21) == "one" and ru._plural(0.5) == "other"
