"""regdoc.tables: spreadsheets read as rows, and outputs written atomically, never among the sources."""
from __future__ import annotations

import io
from decimal import Decimal as D

import pytest

from regdoc.errors import RegdocError
from regdoc.files.spreadsheets import csv_text, read_rows, results_workbook, write_csv, write_workbook


def test_csv_rows_keep_their_line_numbers_across_quoted_line_breaks(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('organisation,name\n"x","two\nlines"\ny,z\n', encoding="utf-8")
    assert read_rows(path) == [(1, ["organisation", "name"]), (2, ["x", "two\nlines"]), (4, ["y", "z"])]


def test_csv_text_writes_decimals_exactly():
    assert csv_text([["a", D("12.50"), D("100201.0"), None, 3]]) == "a,12.5,100201,,3\n"


def test_write_csv_has_a_byte_order_mark_for_excel(tmp_path):
    write_csv(tmp_path / "x.csv", [["қ", 1]])
    assert (tmp_path / "x.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_rows(tmp_path / "x.csv") == [(1, ["қ", "1"])]


def test_a_workbook_that_fails_to_save_leaves_the_previous_file(tmp_path, monkeypatch):
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    target = tmp_path / "r.xlsx"
    target.write_bytes(b"previous")

    def broken(self):  # the workbook is written by openpyxl's ExcelWriter (Workbook.save would stamp the time)
        self._archive.writestr("half", b"PK half a workbook")
        raise RuntimeError("interrupted")

    monkeypatch.setattr(ExcelWriter, "write_data", broken)
    with pytest.raises(RuntimeError):
        write_workbook(target, Workbook())
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]


def test_workbook_numbers_are_numbers(tmp_path):
    from openpyxl import load_workbook

    write_workbook(tmp_path / "r.xlsx", results_workbook([("Итоги: 2025/26", [("a", "b", "c", "d"),
                                                                              (1, "x", "y", D("12.5"))], 1)]))
    sheet = load_workbook(tmp_path / "r.xlsx").worksheets[0]
    assert sheet.title == "Итоги  2025 26" and sheet["D2"].value == 12.5 and sheet["A2"].value == 1


def test_trailing_empty_cells_are_dropped_and_do_not_count(tmp_path):
    (tmp_path / "r.csv").write_text("organisation,name,,,\nastana-akmola,x,1,,\n", encoding="utf-8")
    assert read_rows(tmp_path / "r.csv") == [(1, ["organisation", "name"]), (2, ["astana-akmola", "x", "1"])]


@pytest.mark.parametrize("limit, value, words", [
    ("MAX_ROWS", 2, "r.csv:3: more than 2 rows"),
    ("MAX_COLUMNS", 2, "r.csv:2: a value stands in column 3, beyond the 2 columns"),
    ("MAX_CELLS", 4, "r.csv:2: more than 4 cells in all"),
])
def test_reading_stops_at_each_limit(tmp_path, monkeypatch, limit, value, words):
    from regdoc.files import spreadsheets

    monkeypatch.setattr(spreadsheets, limit, value)
    (tmp_path / "r.csv").write_text("organisation,name\nastana-akmola,x,1\nabai,y\n", encoding="utf-8")
    with pytest.raises(RegdocError) as info:
        read_rows(tmp_path / "r.csv", "r.csv")
    assert str(info.value).startswith(words)


def test_a_csv_is_read_line_by_line_with_its_line_numbers(tmp_path):
    (tmp_path / "r.csv").write_bytes('organisation;name\r\nastana-akmola;"two\nlines"\r\nabai;y'.encode())
    assert read_rows(tmp_path / "r.csv") == [(1, ["organisation", "name"]), (2, ["astana-akmola", "two\nlines"]),
                                             (4, ["abai", "y"])]


# ----- safe text and the CSV dialects -----------------------------------------------------------------------

@pytest.mark.parametrize("text", ["=1+2", "+7 701", "-x", "@SUM(A1)", "\tx", "\rx"])
def test_text_cells_are_stored_as_text_never_as_formulas(tmp_path, text):
    from openpyxl import load_workbook

    write_workbook(tmp_path / "r.xlsx", results_workbook([("S", [["id", "name"], ["a", text]], 1)]))
    ws = load_workbook(tmp_path / "r.xlsx").active
    assert ws["B2"].data_type == "s" and ws["B2"].value == text
    assert read_rows(tmp_path / "r.xlsx")[1][1][1] == text


def test_the_excel_dialect_is_semicolons_and_unambiguous_decimal_commas():
    from regdoc.scoring.evaluation import parse_value

    rows = [["a", D("80.161"), D("12.5"), D("1234.567"), 7, None, "x;y"]]
    text = csv_text(rows, "excel")
    assert text == 'a;80,1610;12,5;1234,567;7;;"x;y"\n'
    assert [parse_value(v, "thousand_tenge") for v in text.split(";")[1:4]] == [D("80.161"), D("12.5"),
                                                                                 D("1234.567")]
    assert csv_text(rows) == 'a,80.161,12.5,1234.567,7,,x;y\n'
    with pytest.raises(RegdocError, match="unknown CSV dialect"):
        csv_text(rows, "tsv")


def test_number_formats_follow_the_decimals_each_column_shows():
    from regdoc.files.spreadsheets import number_format

    assert number_format([1, 200, None, "x"]) == "#,##0"
    assert number_format([D("6843"), D("15641.25"), D("0.5")]) == "#,##0.00"
    assert number_format([D("93.9994475138121546961325966850828729281767955801104972")], rounded=True) == "#,##0.00"
    assert number_format([D("12.5")], rounded=True) == "#,##0.0"
    assert number_format(["a", None, True]) is None


def test_results_workbook_formats_numbers_per_column_and_prints_landscape(tmp_path):
    from openpyxl import load_workbook

    rows = [("place", "id", "name", "ratio", "total"), (1, "a", "A", D("93.99944751381215"), D("100201")),
            (2, "b", "B", D("50"), D("39440.5")), (), ("a note under the table",)]
    write_workbook(tmp_path / "r.xlsx", results_workbook([("S", rows, 1, {3})], "Title"))
    book = load_workbook(tmp_path / "r.xlsx")
    sheet = book.worksheets[0]
    assert [sheet.cell(row=2, column=c).number_format for c in (1, 4, 5)] == ["#,##0", "#,##0.00", "#,##0.0"]
    assert sheet["D2"].value == pytest.approx(93.99944751381215)  # exact in the cell, rounded for display
    assert sheet["A5"].number_format == "General"
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
    assert book.properties.title == "Title" and book.properties.creator == "regdoc"
    assert book.properties.lastModifiedBy is None


XLSX_RUNS = {
    "score.xlsx": ["score", "2025", "--format", "xlsx", "--out", "{out}/score.xlsx"],
    "template.xlsx": ["evaluation", "template", "2025", "--filled", "--out", "{out}/template.xlsx"],
    "evaluation-2025-abai.xlsx": ["evaluation", "template", "2025", "--per-organisation", "--out", "{out}"],
    "register.xlsx": ["resolution", "list", "--format", "xlsx", "--out", "{out}/register.xlsx"],
}


def test_xlsx_outputs_are_byte_reproducible_across_processes_clocks_and_time_zones(tmp_path):
    """The same input gives the same bytes: two runs in two processes, a second apart, with other hash seeds and
    time zones; no date of the run, no user or machine in the workbook's properties."""
    import os
    import subprocess
    import sys
    import time
    import zipfile

    from datatree import REPO

    outputs, started = [], {}
    for seed, zone in (("1", "UTC"), ("2", "Asia/Almaty")):
        out = tmp_path / f"out-{seed}"
        out.mkdir()
        env = dict(os.environ, PYTHONPATH=str(REPO / "src"), PYTHONHASHSEED=seed, TZ=zone)
        for name, argv in XLSX_RUNS.items():
            if name in started:  # zip entries keep the time in seconds: each output's second run starts 1.1 s
                time.sleep(max(0.0, started[name] + 1.1 - time.monotonic()))  # or more after its first
            started[name] = time.monotonic()
            run = subprocess.run([sys.executable, "-m", "regdoc", *[a.format(out=out) for a in argv],
                                  "--root", str(REPO)], capture_output=True, text=True, env=env, timeout=300)
            assert run.returncode == 0, run.stderr
        outputs.append({name: (out / name).read_bytes() for name in XLSX_RUNS})
    assert outputs[0] == outputs[1]
    for name, data in outputs[0].items():
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}, name
            core = z.read("docProps/core.xml").decode()
        assert "<dc:creator" in core and ">regdoc</dc:creator>" in core and "lastModifiedBy" not in core, name
        assert "<dc:title" in core and "1980-01-01T00:00:00Z" in core, name


def test_a_workbook_read_again_is_kept_and_each_reader_gets_its_own_rows(monkeypatch):
    """The same bytes read again (the workspace's preview, then the acceptance of an upload) give the same rows
    without reading the workbook again, in any interface language; a reader changing its rows changes no later
    reader's; a lower limit reads again; rows holding a cell's problem are read again in another interface
    language, which gives its message in that language."""
    from openpyxl import Workbook

    from regdoc import i18n
    from regdoc.files import spreadsheets

    def workbook(formula: bool) -> bytes:
        book = Workbook()
        for row in (["organisation", "name", "x"], ["astana-akmola", "Астана", "=1+2" if formula else 3],
                    ["abai", "Абай", 4]):
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    data = workbook(False)
    reads = []
    real = spreadsheets._read_xlsx
    monkeypatch.setattr(spreadsheets, "_read_xlsx", lambda *args: reads.append(1) or real(*args))
    monkeypatch.setattr(spreadsheets, "_kept", spreadsheets.Kept(spreadsheets.KEPT_WORKBOOKS))
    expected = [(1, ["organisation", "name", "x"]), (2, ["astana-akmola", "Астана", D(3)]), (3, ["abai", "Абай", D(4)])]
    first = spreadsheets.table_from_bytes(data, "r.xlsx")
    assert first.rows == expected and len(reads) == 1
    first.rows[1][1].append("changed")
    first.rows.append((4, []))
    second = spreadsheets.table_from_bytes(data, "r.xlsx")
    assert second.rows == expected and len(reads) == 1  # kept
    assert spreadsheets.table_from_bytes(data, "elsewhere/r2.xlsx").rows == expected and len(reads) == 1  # any name
    with i18n.using("ru"):
        assert spreadsheets.table_from_bytes(data, "r.xlsx").rows == expected and len(reads) == 1  # no words in it
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 2)
    with pytest.raises(RegdocError, match="more than 2 rows"):
        spreadsheets.table_from_bytes(data, "r.xlsx")
    assert len(reads) == 2
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 10)
    worded = workbook(True)  # a formula without a computed value: a CellProblem, its message in the language
    messages = {}
    for lang in ("en", "ru", "en", "ru"):
        with i18n.using(lang):
            (problem,) = [v for _n, cells in spreadsheets.table_from_bytes(worded, "r.xlsx").rows for v in cells
                          if isinstance(v, spreadsheets.CellProblem)]
        assert messages.setdefault(lang, problem.message) == problem.message
    assert len(reads) == 4 and "formula without a computed value" in messages["en"]
    assert messages["ru"] != messages["en"]


def test_styles_given_to_many_cells_at_once_are_openpyxl_s_cell_by_cell():
    """spreadsheets.style_cells (a style given to the first cell, its indexes copied to the others) makes the
    workbook that assigning the style to every cell makes, cell by cell."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    from regdoc.files.spreadsheets import style_cells, workbook_bytes

    styles = [{"font": Font(bold=True), "alignment": Alignment(wrap_text=True, vertical="top")},
              {"fill": PatternFill("solid", start_color="EEEEEE")}, {"protection": Protection(locked=False)},
              {"number_format": "#,##0.00"}, {"number_format": "0"}, {"font": Font(italic=True, color="666666")}]

    def book(at_once: bool) -> bytes:
        workbook = Workbook()
        ws = workbook.active
        for r in range(1, 8):
            ws.append([f"t{r}", r, r / 4, None, "=x"])
        ws["B2"].font = Font(size=13)  # a cell styled before: its other styles stay
        for r, style in enumerate(styles, 1):
            cells = list(ws[r]) + [ws.cell(row=r + 1, column=2)]
            if at_once:
                style_cells(cells, **style)
            else:
                for cell in cells:
                    for name, value in style.items():
                        setattr(cell, name, value)
        return workbook_bytes(workbook)

    assert book(True) == book(False)
