"""`regdoc resolution new` and `regdoc resolution list` through the command line."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import datetime

import openpyxl
import pytest
import yaml
from registry_support import SHIPPED, copy_tree, snapshot, write_resolution

from regdoc import cli


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ----- resolution new ---------------------------------------------------------------------------------------

def test_new_prints_the_id_and_the_file(tmp_path, capsys):
    root = copy_tree(tmp_path)
    code, out, err = run(capsys, "resolution", "new", "--root", str(root), "--date", "2026-02-20")
    assert code == 0 and err == ""
    assert out == f"2026-02-20/9/8 {root / 'resolutions' / '2026' / '2026-02-20-9-8.yaml'}\n"
    code, out, err = run(capsys, "check", str(root))
    assert code == 0 and "unfinished draft" in err  # warnings go to stderr


def test_new_says_when_it_opened_a_new_meeting(tmp_path, capsys):
    root = copy_tree(tmp_path)
    code, out, err = run(capsys, "resolution", "new", "--root", str(root), "--date", "2026-03-05")
    assert code == 0 and out.startswith("2026-03-05/10/1 ")
    assert err == ("regdoc: note: meeting No 10 is new (the previous meeting in the registry is No 9 of 2026-02-20; "
                   "numbering: per_year); check it against the protocol\n")
    code, out, err = run(capsys, "resolution", "new", "--root", str(root), "--date", "2026-03-05")
    assert code == 0 and out.startswith("2026-03-05/10/2 ") and err == ""


def test_new_with_a_given_meeting_says_nothing_more(tmp_path, capsys):
    root = copy_tree(tmp_path)
    code, out, err = run(capsys, "resolution", "new", "--root", str(root), "--date", "2026-03-05", "--meeting", "12")
    assert code == 0 and out.startswith("2026-03-05/12/1 ") and err == ""


def test_new_with_titles(tmp_path, capsys):
    root = copy_tree(tmp_path)
    code, out, _ = run(capsys, "resolution", "new", "--root", str(root), "--date", "2026-02-20",
                       "--title-kk", "  Бағалау туралы: «2026» & <жоба>  ", "--title-ru", "Об оценке")
    assert code == 0
    data = yaml.safe_load((root / "resolutions/2026/2026-02-20-9-8.yaml").read_text("utf-8"))
    assert data["title"] == {"kk": "Бағалау туралы: «2026» & <жоба>", "ru": "Об оценке"}
    code, _, err = run(capsys, "check", str(root))
    assert "9-8.yaml:9: title: warning: unfinished draft" not in err and "9-8.yaml:12: preamble: warning: unfinished" in err


@pytest.mark.parametrize("argv, message", [
    (["--date", "2026-02-20", "--meeting", "10"],
     "regdoc: error: --meeting 10: 2026-02-20 is the date of meeting No 9: a date holds one meeting (leave out "
     "--meeting, or give 9)\n"),
    (["--date", "2026-03-01", "--meeting", "9"],
     "regdoc: error: --meeting 9: meeting No 9 was held on 2026-02-20 (within 2026): a meeting has one date\n"),
    (["--date", "2026-03-01", "--meeting", "8"],
     "regdoc: error: --meeting 8: meeting No 9 was held earlier, on 2026-02-20: meeting numbers never decrease as "
     "dates increase (within 2026), so No 8 cannot be dated 2026-03-01\n"),
    (["--date", "2026-02-30"],
     "regdoc: error: --date '2026-02-30' is not a calendar date: 2026-02 has 28 days\n"),
    (["--date", "2026-02-20", "--title-kk", " "],
     "regdoc: error: --title-kk is empty; give the title or leave the option out (a TODO stands in)\n"),
])
def test_new_refusals_are_one_line_and_write_nothing(tmp_path, capsys, argv, message):
    root = copy_tree(tmp_path)
    before = snapshot(root)
    code, out, err = run(capsys, "resolution", "new", "--root", str(root), *argv)
    assert (code, out, err) == (1, "", message)
    assert snapshot(root) == before


def test_new_needs_a_date(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["resolution", "new", "--root", str(tmp_path)])
    assert exit_.value.code == 2 and "--date" in capsys.readouterr().err


def test_new_in_a_folder_that_is_no_data_tree(tmp_path, capsys):
    code, out, err = run(capsys, "resolution", "new", "--root", str(tmp_path), "--date", "2026-02-20")
    assert code == 1 and err.startswith(f"regdoc: error: {tmp_path}: no resolutions/ folder here")
    assert list(tmp_path.iterdir()) == []


def test_new_reports_every_broken_resolution_it_cannot_trust(tmp_path, capsys):
    root = copy_tree(tmp_path)
    write_resolution(root, "2026-03-01/8/1")  # No 8 after No 9
    code, out, err = run(capsys, "resolution", "new", "--root", str(root), "--date", "2026-04-01")
    assert code == 1 and out == ""
    assert err == ("regdoc: resolutions/2026/2026-03-01-8-1.yaml:1: id: error: meeting No 8 of 2026-03-01 comes after "
                   "meeting No 9 of 2026-02-20: meeting numbers never decrease as dates increase (within 2026)\n")


# ----- resolution list --------------------------------------------------------------------------------------

def test_list_text_in_kazakh_by_default(capsys):
    code, out, err = run(capsys, "resolution", "list", "--root", str(SHIPPED))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "Атқару комитеті қаулыларының тізілімі"
    assert lines[2].split() == ["Күні", "Нөмірі", "Атауы", "Ережеге", "өзгерістер", "Бағалау"]
    assert lines[4].startswith("20.02.2026  20.02.2026 ж. № 9, 7-т.  Қазақстандық оқу-ағарту")
    assert "3.2, 4.2, 4.3 және 5.2-тармақтар;" in lines[4] and "2025 жылғы бағалау" in lines[4]
    assert "\033[" not in out  # no colour when not on a terminal


def test_list_markdown_in_russian_for_a_year(capsys):
    code, out, _ = run(capsys, "resolution", "list", "--root", str(SHIPPED), "--lang", "ru", "--format", "md",
                       "--year", "2026")
    assert code == 0
    assert out.splitlines()[:4] == [
        "## Реестр постановлений Исполнительного комитета за 2026 год", "",
        "| Дата | Номер | Наименование | Изменения в Положение | Оценка |", "|---|---|---|---|---|"]
    assert out.splitlines()[4].startswith("| 20.02.2026 | 20.02.2026 г. № 9, п. 7 | Об итогах")


def test_list_json_holds_both_languages(tmp_path, capsys):
    root = copy_tree(tmp_path)
    write_resolution(root, "2027-01-15/1/1")
    code, out, _ = run(capsys, "resolution", "list", "--root", str(root), "--format", "json", "--year", "2027")
    data = json.loads(out)
    assert data["numbering"] == "per_year" and data["year"] == 2027
    [row] = data["resolutions"]
    assert row["id"] == "2027-01-15/1/1"
    assert row["number"] == {"kk": "15.01.2027 ж. № 1, 1-т.", "ru": "15.01.2027 г. № 1, п. 1"}
    assert row["amendments"] == [] and row["evaluation"] is None and row["draft"] is False


def test_list_xlsx_one_sheet_per_language(tmp_path, capsys):
    out_file = tmp_path / "register.xlsx"
    code, out, err = run(capsys, "resolution", "list", "--root", str(SHIPPED), "--format", "xlsx", "--out",
                         str(out_file))
    assert (code, out, err) == (0, "", f"regdoc: wrote {out_file}\n")  # the "wrote" line on stderr (issue 14)
    book = openpyxl.load_workbook(io.BytesIO(out_file.read_bytes()))
    assert book.sheetnames == ["Қаулылар тізілімі", "Реестр постановлений"]
    kk, ru = book["Қаулылар тізілімі"], book["Реестр постановлений"]
    assert kk["A1"].value == "Атқару комитеті қаулыларының тізілімі"
    assert [c.value for c in kk[2]] == ["Күні", "Нөмірі", "Атауы", "Ережеге өзгерістер", "Бағалау"]
    assert [c.value for c in ru[3]][:2] == [datetime(2026, 2, 20), "20.02.2026 г. № 9, п. 7"]
    assert ru["E3"].value == "итоги оценки за 2025 год"
    assert [p.name for p in tmp_path.iterdir()] == ["register.xlsx"]


def test_list_xlsx_in_one_language(tmp_path, capsys):
    out_file = tmp_path / "r.xlsx"
    assert run(capsys, "resolution", "list", "--root", str(SHIPPED), "--format", "xlsx", "--lang", "ru",
               "--out", str(out_file))[0] == 0
    assert openpyxl.load_workbook(out_file).sheetnames == ["Реестр постановлений"]


def test_list_out_replaces_a_file(tmp_path, capsys):
    out_file = tmp_path / "register.json"
    out_file.write_text("old", encoding="utf-8")
    assert run(capsys, "resolution", "list", "--root", str(SHIPPED), "--format", "json", "--out",
               str(out_file))[0] == 0
    assert json.loads(out_file.read_text("utf-8"))["resolutions"][0]["id"] == "2026-02-20/9/7"


@pytest.mark.parametrize("argv, message", [
    (["--format", "xlsx"], "regdoc: error: --format xlsx writes a file: give --out FILE.xlsx, or --out - for standard output\n"),
    (["--year", "26"], "regdoc: error: --year '26' is not a year of four digits\n"),
    (["--year", "../2026"], "regdoc: error: --year '../2026' is not a number from 1 to 9999\n"),
])
def test_list_refusals(capsys, argv, message):
    assert run(capsys, "resolution", "list", "--root", str(SHIPPED), *argv) == (1, "", message)


def test_list_into_a_missing_folder_writes_nothing(tmp_path, capsys):
    target = tmp_path / "missing" / "r.json"
    code, out, err = run(capsys, "resolution", "list", "--root", str(SHIPPED), "--format", "json", "--out",
                         str(target))
    assert code == 1 and err.startswith(f"regdoc: error: {target}: the folder to write into does not exist")
    assert list(tmp_path.iterdir()) == []


def test_list_of_a_broken_tree_names_the_problems(tmp_path, capsys):
    root = copy_tree(tmp_path)
    (root / "resolutions" / "registry.yaml").write_text("numbering: yearly\n", encoding="utf-8")
    code, out, err = run(capsys, "resolution", "list", "--root", str(root))
    assert code == 1 and out == ""
    assert err.startswith("regdoc: resolutions/registry.yaml:1: numbering: error: 'yearly' is not allowed here")


def test_help_does_not_load_openpyxl():
    probe = ("import sys; from regdoc import cli; cli.build_parser(); "
             "print(sorted(m for m in ('openpyxl', 'docx', 'docxtpl', 'jsonschema') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(SHIPPED / "src")), check=True).stdout
    assert out.strip() == "[]"
