"""The HTML report of a comparison: read back with an HTML parser, Kazakh and Russian side by side, every
changed unit rebuilt word for word from its equal, inserted and deleted pieces."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from comparison_support import HOSTILE, text, write_amendment

from regdoc.cli import main
from regdoc.tree.load import load_tree
from regdoc.versioning.amend import from_to
from regdoc.versioning.diff import diff_criteria, diff_editions
from regdoc.views.html import diff_html

REPO = Path(__file__).resolve().parents[1]


class Cells(HTMLParser):
    """Collect the table cells: (tag, lang, pieces), each piece (mode, text) with mode equal | ins | del; a <br>
    is a line break. Also records every tag and attribute seen."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: list[tuple[str, str, list[tuple[str, str]]]] = []
        self.tags: list[tuple[str, dict]] = []
        self._cell = None
        self._mode = ["equal"]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("td", "th"):
            self._cell = (tag, attrs.get("lang"), [])
        elif tag in ("ins", "del"):
            self._mode.append(tag)
        elif tag == "br" and self._cell is not None:
            self._cell[2].append((self._mode[-1], "\n"))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append(self._cell)
            self._cell = None
        elif tag in ("ins", "del"):
            assert self._mode.pop() == tag

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2].append((self._mode[-1], data))


def parse(page: str) -> Cells:
    parser = Cells()
    parser.feed(page)
    parser.close()
    return parser


def side(pieces, which: str) -> str:
    """Return the text of a cell before (`old`: without insertions) or after (`new`: without deletions)."""
    drop = "ins" if which == "old" else "del"
    return "".join(t for mode, t in pieces if mode != drop)


def report(root: Path, first: str, second: str) -> tuple[str, object, object]:
    tree = load_tree(root)
    a, b = from_to(tree.initial, tree.amendments, first, second)
    d = diff_editions(a.edition, b.edition)
    return diff_html(tree.regulation, a, b, d, diff_criteria(a.edition.appendix, b.edition.appendix)), a, b


def unit_cells(page: str, unit_heading_kk: str) -> tuple[list, list]:
    """Return the pieces of the Kazakh and Russian text cells that follow a unit's heading row."""
    cells = parse(page).cells
    k = next(i for i, c in enumerate(cells) if c[0] == "th" and "".join(t for _, t in c[2]).startswith(unit_heading_kk))
    kk, ru = cells[k + 2], cells[k + 3]
    assert (kk[1], ru[1]) == ("kk", "ru")
    return kk[2], ru[2]


def test_the_shipped_amendment_word_by_word():
    page, a, b = report(REPO, "2023-03-01", "2026-02-20")
    for number in ("3.2", "4.2", "4.3", "5.2"):
        kk, ru = unit_cells(page, f"{number}-тармақ")
        assert side(kk, "old") == a.edition.unit(number).text.kk
        assert side(kk, "new") == b.edition.unit(number).text.kk
        assert side(ru, "old") == a.edition.unit(number).text.ru
        assert side(ru, "new") == b.edition.unit(number).text.ru
    kk, _ = unit_cells(page, "5.2-тармақ")
    assert ("ins", " ақшалай сыйлықақы төленетін") in kk


def test_kazakh_stands_first_in_every_row():
    page, _, _ = report(REPO, "2023-03-01", "2026-02-20")
    cells = parse(page).cells
    assert [c[1] for c in cells] == ["kk", "ru"] * (len(cells) // 2)
    assert "".join(t for _, t in cells[0][2]) == "Қазақ тілінде"
    assert "".join(t for _, t in cells[1][2]) == "На русском языке"


def test_the_appendix_changes_are_listed_per_indicator():
    page, _, _ = report(REPO, "2023-03-01", "2026-02-20")
    cells = parse(page).cells
    texts = ["".join(t for _, t in c[2]) for c in cells]
    assert "1-қосымша. Мүшелік ұйымдардың қызметін бағалау критерийлері" in texts
    row = next(c for c in cells if c[1] == "kk" and "Кәсіподақ мүшелерінің бірыңғай электрондық есебін" in
               "".join(t for _, t in c[2]))
    assert ("ins", "Кәсіподақ мүшелерінің бірыңғай электрондық есебін жүргізу") in row[2]  # an added indicator
    assert side(row[2], "old").startswith(" (қосылды)")  # nothing of it in the old edition but its status


def test_a_renumbered_indicator_is_listed_by_both_row_numbers():
    """Issue 12: 6.2 was removed, so 6.3 became 6.2 with its wording kept: it has a row, named by both numbers."""
    page, _, _ = report(REPO, "2023-03-01", "2026-02-20")
    texts = ["".join(t for _, t in c[2]) for c in parse(page).cells if c[1] == "kk"]
    moved = next(t for t in texts if "Жол 6.3 → 6.2" in t)
    assert "Мүшелік жарналардың" in moved and "жол нөмірі өзгерді" in moved
    assert any("Жол 6.2" in t and "алып тасталды" in t and "интернет-ресурсының" in t for t in texts)


def test_self_contained_and_reproducible():
    page, _, _ = report(REPO, "2023-03-01", "2026-02-20")
    parsed = parse(page)
    tags = {t for t, _ in parsed.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "a", "base"}
    assert not any(k in ("src", "href") or k.startswith("on") for _, attrs in parsed.tags for k in attrs)
    assert "http" not in page.replace('"http', "") and "url(" not in page and "@import" not in page
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"kk\">") and '<meta charset="utf-8">' in page
    assert report(REPO, "2023-03-01", "2026-02-20")[0] == page


def test_no_changes():
    page, _, _ = report(REPO, "2026-02-20", "2026-03-01")
    texts = ["".join(t for _, t in c[2]) for c in parse(page).cells]
    assert "өзгерістер жоқ" in texts and "изменений нет" in texts
    assert "<ins>" not in page.split("</thead>")[1].split("</tr>", 1)[1]


def test_hostile_values_come_out_as_text(tree: Path):
    write_amendment(tree, "2027-03-01", [
        {"op": "replace", "target": "4.2", "text": HOSTILE},
        {"op": "insert", "target": "4.7", "kind": "clause", "after": "4.6", "text": text("Жаңа <тармақ> & «№ 1»",
                                                                                       "Новый <пункт> & «№ 1»")},
        {"op": "change_indicator", "target": "legal.returned_funds",
         "title": text("Қайтарылған қаражат & <сома>", "Возвращенные средства & <сумма>")}])
    page, a, b = report(tree, "2026-02-20", "2027-03-01")
    kk, ru = unit_cells(page, "4.2-тармақ")
    assert side(kk, "new") == HOSTILE["kk"] and side(ru, "new") == HOSTILE["ru"]
    assert side(kk, "old") == a.edition.unit("4.2").text.kk
    kk, ru = unit_cells(page, "4.7-тармақ")
    assert kk == [("ins", "Жаңа <тармақ> & «№ 1»")] and ru == [("ins", "Новый <пункт> & «№ 1»")]
    tags = {t for t, _ in parse(page).tags}
    assert "b" not in tags and "i" not in tags  # the markup in the data stayed text
    assert "&lt;b&gt;қ&lt;/b&gt; &quot;ғ&quot; &#x27;ү&#x27;" in page
    texts = ["".join(t for mode, t in c[2] if mode != "del") for c in parse(page).cells]
    assert any("Қайтарылған қаражат & <сома>" in t for t in texts)


# ----- the command --------------------------------------------------------------------------------------------

def test_command_prints_html(capsys):
    code = main(["diff", "2023-03-01", "2026-02-20", "--format", "html", "--root", str(REPO)])
    out, err = capsys.readouterr()
    assert code == 0 and err == "" and out == report(REPO, "2023-03-01", "2026-02-20")[0]


def test_command_writes_the_file_atomically(tmp_path: Path, capsys):
    target = tmp_path / "diff.html"
    target.write_text("old", encoding="utf-8")
    code = main(["diff", "2023-03-01", "2026-02-20", "--format", "html", "--out", str(target), "--root", str(REPO)])
    out, err = capsys.readouterr()
    assert code == 0 and out == "" and err == f"regdoc: wrote {target}\n"  # a message: on stderr
    assert target.read_text(encoding="utf-8") == report(REPO, "2023-03-01", "2026-02-20")[0]
    assert [p.name for p in tmp_path.iterdir()] == ["diff.html"]  # no temporary file left


@pytest.mark.parametrize("where, message", [
    ("regulation/diff.html", "refusing to write into the data tree's source folder regulation/"),
    ("missing/diff.html", "the folder to write into does not exist"),
    ("regulation", "is a folder"),
])
def test_command_refuses_bad_targets(tree: Path, capsys, where, message):
    from conftest import digest

    before = digest(tree)
    code = main(["diff", "2023-03-01", "2026-02-20", "--format", "html", "--out", str(tree / where),
                 "--root", str(tree)])
    _, err = capsys.readouterr()
    assert code == 1 and message in err and err.count("\n") == 1
    assert digest(tree) == before


def test_other_formats_also_go_to_a_file(tmp_path: Path, capsys):
    target = tmp_path / "diff.json"
    assert main(["diff", "2023-03-01", "2026-02-20", "--format", "json", "--out", str(target),
                 "--root", str(REPO)]) == 0
    capsys.readouterr()
    assert main(["diff", "2023-03-01", "2026-02-20", "--format", "json", "--root", str(REPO)]) == 0
    assert capsys.readouterr()[0] == target.read_text(encoding="utf-8")
