"""The scoring commands: `regdoc score YEAR` in every format, `--explain`, `--input`, and
`regdoc evaluation template YEAR`, run through regdoc.cli.main on the shipped data."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from regdoc.cli import main

ROOT = Path(__file__).resolve().parents[1]
NBSP = "\u00a0"


def _counts() -> tuple[int, int]:
    from regdoc.tree.load import load_evaluation

    evaluation = load_evaluation(ROOT, 2025)
    return sum(1 for _ in evaluation.criteria.indicators()), len(evaluation.reports)


INDICATORS, MEMBERS = _counts()


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args) + ["--root", str(ROOT)])
    out, err = capsys.readouterr()
    return code, out, err


def test_score_text_kk(capsys):
    code, out, err = run(capsys, "score", "2025")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Мүшелік ұйымдардың қызметін жыл сайынғы бағалаудың 2025 жылғы қорытындысы"
    assert "20.02.2026 ж. бастап" in lines[1] and lines[2].startswith("ҮЛГІ ДЕРЕКТЕР")
    first = next(line for line in lines if "astana-akmola" in line)
    assert f"100{NBSP}201" in first and "І орын" in first
    assert any("zhambyl" in line and f"29{NBSP}986" in line and "ІІІ орын" in line for line in lines)
    heading = next(i for i, line in enumerate(lines) if line.endswith("(5.2-тармақ):"))
    rewarded = [re.search(r"\(([a-z-]+)\):", line)[1] for line in lines[heading + 1:]]
    assert rewarded == ["aktobe", "pavlodar", "astana-city"]
    assert "\033[" not in out  # no colour outside a terminal


def test_score_text_ru(capsys):
    code, out, _ = run(capsys, "score", "2025", "--lang", "ru")
    assert code == 0
    assert out.startswith("Итоги ежегодной оценки деятельности членских организаций за 2025 год")
    assert "I место" in out and "ОБРАЗЕЦ ДАННЫХ" in out and "(пункт 5.2)" in out


def test_score_json_is_complete_and_exact(capsys):
    code, out, _ = run(capsys, "score", "2025", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["year"] == 2025 and doc["source"] == "sample" and doc["criteria"]["amendment"] == "2026-02-20"
    top = [(s["place"], s["organisation"], s["total"], s["prize"]) for s in doc["standings"][:4]]
    assert top == [(1, "astana-akmola", 100201, True), (2, "kyzylorda", 39440, True), (3, "zhambyl", 29986, True),
                   (4, "aktobe", 24360.5, False)]
    assert doc["rewards"] == ["aktobe", "pavlodar", "astana-city"]
    first = doc["standings"][0]
    assert round(sum(first["blocks"].values()), 6) == first["total"]
    assert round(sum(i["points"] for i in first["indicators"].values()), 6) == first["total"]
    assert len(doc["standings"]) == MEMBERS == 20


def test_score_markdown_and_csv(capsys):
    code, out, _ = run(capsys, "score", "2025", "--format", "md", "--lang", "ru")
    assert code == 0 and out.startswith("# Итоги") and "|---:|" in out
    code, out, _ = run(capsys, "score", "2025", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["Орын", "Ұйымның коды", "Мүшелік ұйым"]
    assert rows[1][1] == "astana-akmola" and rows[1][-3] == "100201" and rows[1][-4] == "99346" and rows[1][-2] == "І орын"
    assert rows[4][1] == "aktobe" and rows[4][-1] == "иә"


def test_score_xlsx_has_results_and_indicator_sheets_with_numbers(capsys, tmp_path):
    from openpyxl import load_workbook

    out_file = tmp_path / "score.xlsx"
    code, _, err = run(capsys, "score", "2025", "--format", "xlsx", "--out", str(out_file), "--lang", "ru")
    assert code == 0, err
    workbook = load_workbook(out_file, read_only=True)
    assert workbook.sheetnames == ["Итоги", "Показатели"]
    results = list(workbook["Итоги"].iter_rows(values_only=True))
    assert results[1][:2] == (1, "astana-akmola") and results[1][-3] == 100201
    assert isinstance(results[4][-3], float) and results[4][-3] == 24360.5
    indicators = list(workbook["Показатели"].iter_rows(values_only=True))
    assert indicators[0][3].startswith("membership.coverage") and indicators[1][3:6] == ("Значение", "Баллы",
                                                                                           "Место по показателю")
    assert all(isinstance(v, (int, float)) for v in indicators[2][3:])
    assert not list(tmp_path.glob(".*.tmp"))


def test_explain_shows_every_indicator_and_adds_up(capsys):
    code, out, _ = run(capsys, "score", "2025", "--explain", "zhambyl")
    assert code == 0
    assert "(zhambyl)" in out.splitlines()[0]
    assert out.count("Есептеу тәртібі:") == INDICATORS and out.count("Көрсеткіш бойынша орны:") == INDICATORS
    assert out.rstrip().splitlines()[-1].endswith(f"= 29{NBSP}986")
    assert "× 100 =" in out and "∈ [" in out and "→" in out


def test_explain_json_lines_sum_to_total(capsys):
    code, out, _ = run(capsys, "score", "2025", "--explain", "ulytau", "--format", "json", "--lang", "ru")
    doc = json.loads(out)
    assert code == 0 and doc["organisation"] == "ulytau" and len(doc["indicators"]) == INDICATORS
    assert round(sum(i["points"] for i in doc["indicators"]), 6) == doc["total"]
    not_reported = {i["id"] for i in doc["indicators"] if i["not_reported"]}
    assert not_reported == {"legal.draft_acts_reviewed", "social.health_recovery"}


def test_explain_csv_and_md(capsys):
    code, out, _ = run(capsys, "score", "2025", "--explain", "aktobe", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and len(rows) == 1 + INDICATORS and rows[0][-1] == "Көрсеткіш бойынша орны"
    code, out, _ = run(capsys, "score", "2025", "--explain", "aktobe", "--format", "md")
    assert code == 0 and out.count("## ") == 6


def test_explain_unknown_organisation_is_one_line(capsys):
    code, out, err = run(capsys, "score", "2025", "--explain", "aktobee")
    assert code == 1 and out == ""
    assert err.strip().count("\n") == 0 and "did you mean 'aktobe'" in err


def test_explain_refuses_xlsx(capsys):
    code, _, err = run(capsys, "score", "2025", "--explain", "aktobe", "--format", "xlsx")
    assert code == 1 and "--explain writes" in err


def test_missing_year_is_an_error(capsys):
    code, out, err = run(capsys, "score", "2031")
    assert code == 1 and out == "" and "no evaluation of 2031" in err


def test_outputs_never_go_into_source_folders(capsys):
    target = ROOT / "evaluations" / "2025" / "evaluation.yaml"
    before = target.read_bytes()
    code, _, err = run(capsys, "score", "2025", "--format", "csv", "--out", str(target))
    assert code == 1 and "refusing to write" in err
    assert target.read_bytes() == before


def test_out_file_is_written_atomically(capsys, tmp_path):
    out_file = tmp_path / "sub" / "results.md"
    out_file.parent.mkdir()
    code, out, _ = run(capsys, "score", "2025", "--format", "md", "--out", str(out_file))
    assert code == 0 and out == "" and out_file.read_text(encoding="utf-8").startswith("# ")
    assert [p.name for p in out_file.parent.iterdir()] == ["results.md"]


def test_out_file_in_a_missing_folder_is_refused(capsys, tmp_path):
    out_file = tmp_path / "sub" / "results.md"
    code, out, err = run(capsys, "score", "2025", "--format", "md", "--out", str(out_file))
    assert code == 1 and out == "" and "does not exist; create it first" in err
    assert list(tmp_path.iterdir()) == []


def test_template_then_score_the_filled_sheet(capsys, tmp_path):
    sheet = tmp_path / "2025.xlsx"
    code, _, err = run(capsys, "evaluation", "template", "2025", "--filled", "--out", str(sheet))
    assert code == 0, err
    code, out, err = run(capsys, "score", "2025", "--input", str(sheet), "--format", "json")
    assert code == 0, err
    code, direct, _ = run(capsys, "score", "2025", "--format", "json")
    assert json.loads(out)["standings"] == json.loads(direct)["standings"]
    assert json.loads(direct)["source"] == "sample"
    assert (json.loads(out)["source"], json.loads(out)["reports_file"]) == ("file", str(sheet))
    code, text, _ = run(capsys, "score", "2025", "--input", str(sheet))
    assert "ҮЛГІ ДЕРЕКТЕР" not in text and f"Бағаланған деректер файлы: {sheet}" in text


def test_blank_template_csv_for_a_year_without_evaluation(capsys):
    code, out, _ = run(capsys, "evaluation", "template", "2026", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0][0].startswith("Мүшелік ұйымдардың 2026 жылғы")
    assert rows[4][:3] == ["organisation", "name", "members"]
    assert len(rows) == 5 + MEMBERS and all(v == "" for row in rows[5:] for v in row[2:])


def test_blank_template_is_refused_when_read_back(capsys, tmp_path):
    sheet = tmp_path / "blank.xlsx"
    assert run(capsys, "evaluation", "template", "2025", "--out", str(sheet))[0] == 0
    code, _, err = run(capsys, "score", "2025", "--input", str(sheet))
    assert code == 1 and f"{sheet}:6: column A (organisation): error: no values reported for 'astana-akmola'" in err


def test_filled_template_needs_an_evaluation(capsys, tmp_path):
    code, _, err = run(capsys, "evaluation", "template", "2031", "--filled", "--out", str(tmp_path / "x.xlsx"))
    assert code == 1 and "--filled needs an evaluation of 2031" in err


@pytest.mark.parametrize("args", [["score", "--help"], ["evaluation", "template", "--help"]])
def test_help(capsys, args):
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 0
    assert "YEAR" in capsys.readouterr().out


def test_a_spreadsheet_scores_a_year_without_evaluation_file(capsys, tmp_path):
    sheet = tmp_path / "2026.csv"
    assert run(capsys, "evaluation", "template", "2025", "--filled", "--format", "csv", "--out", str(sheet))[0] == 0
    code, out, err = run(capsys, "score", "2026", "--input", str(sheet))
    assert code == 0, err
    assert "2026 жылғы қорытындысы" in out and "ҮЛГІ ДЕРЕКТЕР" not in out  # the organisations' own data
    assert f"100{NBSP}201" in out


def test_default_spreadsheets_go_to_out_under_the_data_tree_beside_the_documents(tree, tmp_path, monkeypatch,
                                                                                 capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["evaluation", "template", "2026", "--root", str(tree)]) == 0
    assert main(["score", "2025", "--format", "xlsx", "--root", str(tree)]) == 0
    assert sorted(p.name for p in (tree / "out").iterdir()) == ["evaluation-2026.xlsx", "score-2025-kk.xlsx"]
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("dialect", ["plain", "excel"])
def test_every_csv_file_has_a_byte_order_mark_and_standard_output_none(capsys, tmp_path, dialect):
    for args in (["score", "2025"], ["score", "2025", "--explain", "abai"], ["evaluation", "template", "2025"]):
        code, out, err = run(capsys, *args, "--format", "csv", "--csv-dialect", dialect)
        assert code == 0, err
        assert not out.startswith("\ufeff")
        headings = next(csv.reader([out.splitlines()[1]], delimiter=";" if dialect == "excel" else ","))
        assert len(headings) >= 3  # split by the dialect's separator
        path = tmp_path / f"{args[-1]}-{args[0]}-{dialect}.csv"
        code, _, err = run(capsys, *args, "--format", "csv", "--csv-dialect", dialect, "--out", str(path))
        assert code == 0, err
        assert path.read_text(encoding="utf-8") == "\ufeff" + out


@pytest.mark.parametrize("dialect", ["plain", "excel"])
def test_a_filled_csv_template_in_either_dialect_scores_as_the_evaluation(capsys, tmp_path, dialect):
    sheet = tmp_path / "filled.csv"
    assert run(capsys, "evaluation", "template", "2025", "--filled", "--format", "csv", "--csv-dialect", dialect,
               "--out", str(sheet))[0] == 0
    code, out, err = run(capsys, "score", "2025", "--input", str(sheet), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["standings"] == json.loads(run(capsys, "score", "2025", "--format", "json")[1])["standings"]


def test_one_protected_workbook_per_organisation_reads_back_to_its_report(capsys, tmp_path):
    from openpyxl import load_workbook

    from regdoc.files.spreadsheets import read_table
    from regdoc.scoring.evaluation import reports_from_rows
    from regdoc.tree.load import load_evaluation

    code, _, err = run(capsys, "evaluation", "template", "2025", "--per-organisation", "--filled",
                       "--out", str(tmp_path))
    assert code == 0 and "wrote 20 workbooks" in err
    evaluation = load_evaluation(ROOT, 2025)
    by_org = {r.organisation: r for r in evaluation.reports}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"evaluation-2025-{o}.xlsx" for o in by_org)
    for org, report in by_org.items():
        path = tmp_path / f"evaluation-2025-{org}.xlsx"
        table = read_table(path, ids="organisation")
        [read], problems = reports_from_rows(table.rows, evaluation.criteria, [org], str(path))
        assert problems == [] and read == report
    book = load_workbook(tmp_path / "evaluation-2025-abai.xlsx")
    data, notes = book.worksheets
    assert [r[0] for r in data.iter_rows(min_row=6, values_only=True)] == ["abai"]
    assert data.protection.sheet and data["A6"].protection.locked and data["B6"].protection.locked
    assert not data["C6"].protection.locked and data["C5"].protection.locked
    assert data.page_setup.orientation == "landscape" and data.page_setup.fitToWidth == 1
    assert data.print_title_rows == "$1:$5"
    assert all(v.showInputMessage and v.prompt for v in data.data_validations.dataValidation)
    text = "\n".join(c.value or "" for c in notes["A"])
    assert "Құжаттарда: «" in text and "В документах: ОО «" in text and "Абай" in text


def test_import_lists_every_problem_one_a_line_and_writes_nothing(capsys, tree, tmp_path, shipped_returns):
    from datatree import digest

    for name, content in shipped_returns:  # what `evaluation template --per-organisation --filled` writes
        if name != "evaluation-2025-zhetisu.xlsx":
            (tmp_path / name).write_bytes(content)
    bad = tmp_path / "whole.csv"
    bad.write_text("organisation;name;members\nabai;Абай;80,161\n", encoding="utf-8")
    before = digest(tree)
    code = main(["evaluation", "import", "2025", *sorted(map(str, tmp_path.glob("*.xlsx"))), str(bad),
                 str(tmp_path / "absent.xlsx"), "--replace", "--root", str(tree)])
    err = capsys.readouterr().err
    assert code == 1 and digest(tree) == before
    lines = err.splitlines()
    assert all(line.startswith("regdoc: ") for line in lines) and "Traceback" not in err
    assert any(f"{tmp_path}/absent.xlsx: error: cannot read file" in line for line in lines)
    assert any(f"{bad}:2: column C (members): error: '80,161' has two readings" in line for line in lines)
    assert any("no return for member organisation 'zhetisu'" in line for line in lines)


def test_import_writes_the_year_and_says_where_the_earlier_file_is_kept(capsys, tree, tmp_path):
    from regdoc.tree.load import load_evaluation

    assert main(["evaluation", "template", "2025", "--filled", "--format", "csv", "--csv-dialect", "excel",
                 "--out", str(tmp_path / "all.csv"), "--root", str(tree)]) == 0
    code = main(["evaluation", "import", "2025", str(tmp_path / "all.csv"), "--dry-run", "--root", str(tree)])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and "--replace" in err  # the shipped file is hand-written, and sample
    code = main(["evaluation", "import", "2025", str(tmp_path / "all.csv"), "--replace", "--root", str(tree)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "kept as evaluations/2025/evaluation.before-import-1.yaml" in err
    assert (tree / "evaluations/2025/evaluation.before-import-1.yaml").read_bytes() == \
        (ROOT / "evaluations/2025/evaluation.yaml").read_bytes()
    assert load_evaluation(tree, 2025).reports == load_evaluation(ROOT, 2025).reports
    assert load_evaluation(tree, 2025).source == "issued"
    code = main(["evaluation", "import", "2025", str(tmp_path / "all.csv"), "--dry-run", "--root", str(tree)])
    out, err = capsys.readouterr()
    assert code == 0 and out == (tree / "evaluations/2025/evaluation.yaml").read_text(encoding="utf-8")
    assert "already holds these values" in err
