"""Terminal and Markdown tables."""
from __future__ import annotations

from regdoc.views.tables import markdown_table, text_table


def test_text_table_aligns_and_wraps():
    table = text_table(["Күні", "Атауы"], [["20.02.2026", "бір екі үш төрт бес"], ["01.03.2026", "қысқа"]],
                       [None, 9])
    assert table.splitlines() == [
        "Күні        Атауы",
        "----------  -------",
        "20.02.2026  бір екі",
        "            үш төрт",
        "            бес",
        "01.03.2026  қысқа",
    ]


def test_text_table_keeps_line_breaks_of_a_cell():
    lines = text_table(["a", "b"], [["x", "бір\nекі"]]).splitlines()
    assert lines[2:] == ["x  бір", "   екі"]


def test_text_table_counts_wide_letters_twice():
    lines = text_table(["a", "b"], [["漢字", "x"], ["ab", "y"]]).splitlines()
    assert lines[0] == "a     b" and lines[2] == "漢字  x" and lines[3] == "ab    y"


def test_markdown_table_shows_cells_literally():
    table = markdown_table(["Атауы", "b"], [["a|b *c* <i>&amp; [x](y) `z`", "бір\nекі"]])
    assert table.splitlines() == [
        "| Атауы | b |",
        "|---|---|",
        "| a\\|b \\*c\\* \\<i\\>\\&amp; \\[x\\](y) \\`z\\` | бір<br>екі |",
    ]
