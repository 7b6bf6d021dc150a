"""The versioning commands through regdoc.cli.main: regulation, history, diff, criteria diff."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from regdoc.cli import main

NBSP = "\u00a0"


def run(repo: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--root", str(repo)])
    out, err = capsys.readouterr()
    return code, out, err


# ----- regulation -----------------------------------------------------------------------------------------------

def test_regulation_text_with_notes(repo, capsys):
    code, out, err = run(repo, capsys, "regulation", "--as-of", "2026-03-01")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "Мүшелік ұйымдардың қызметін жыл сайынғы бағалау жүйесі туралы ереже"
    assert lines[1] == "01.03.2026 жағдай бойынша редакция"
    note = "    Ескерту. 4.2-тармақ жаңа редакцияда - Атқару комитетінің 20.02.2026 № 9 қаулысымен."
    assert lines[lines.index(note) + 1].startswith("4.2. Қорытындылау кезінде")
    assert "    Ескерту. 1-қосымша жаңа редакцияда - Атқару комитетінің 20.02.2026 № 9 қаулысымен." in lines
    assert "\033[" not in out  # no colour when not on a terminal


def test_text_to_a_file_or_pipe_does_not_follow_the_environment_s_columns(repo, capsys, monkeypatch):
    _, wide, _ = run(repo, capsys, "regulation", "--as-of", "2026-03-01")
    monkeypatch.setenv("COLUMNS", "60")  # pytest-xdist's workers set COLUMNS=80
    _, narrow, _ = run(repo, capsys, "regulation", "--as-of", "2026-03-01")
    assert narrow == wide


def test_regulation_before_the_amendment_has_no_notes(repo, capsys):
    code, out, _ = run(repo, capsys, "regulation", "--as-of", "2025-12-31", "--lang", "ru")
    assert code == 0 and "Сноска" not in out
    assert "4.2. По каждому показателю членским организациям начисляются баллы" in out
    assert out.splitlines()[1] == "редакция по состоянию на 31.12.2025"  # not «по состоянию на ... редакция»


def test_regulation_markdown_heading_in_both_languages(repo, capsys):
    for lang, heading in (("kk", "*01.01.2025 жағдай бойынша редакция*"),
                          ("ru", "*редакция по состоянию на 01.01.2025*")):
        code, out, _ = run(repo, capsys, "regulation", "--as-of", "2025-01-01", "--lang", lang, "--format", "md")
        assert code == 0 and out.splitlines()[2] == heading


def test_regulation_json(repo, capsys):
    code, out, _ = run(repo, capsys, "regulation", "--as-of", "2026-02-20", "--lang", "ru", "--format", "json")
    data = json.loads(out)
    assert code == 0 and (data["as_of"], data["in_force"], data["lang"]) == ("2026-02-20", "2026-02-20", "ru")
    assert data["amendments"] == ["2026-02-20"]
    unit = next(u for u in data["units"] if u["id"] == "4.2")
    assert unit["notes"] == ["Сноска. Пункт 4.2 - в редакции постановления Исполнительного комитета от 20.02.2026 "
                             "№ 9."]
    assert set(unit) == {"id", "kind", "deleted", "text", "notes"}
    membership = data["appendix"]["blocks"][0]
    assert (membership["id"], membership["main"], membership["max_points"]) == ("membership", True, 2600)
    assert membership["indicators"][1]["rule"] == "0,5 балла за каждого человека, не более 500 баллов"
    assert data["appendix"]["notes"][0].startswith("Сноска. Приложение 1 - в редакции")


def test_regulation_markdown(repo, capsys):
    code, out, _ = run(repo, capsys, "regulation", "--as-of", "2026-02-20", "--format", "md")
    assert code == 0 and out.startswith("# Мүшелік ұйымдардың")
    assert "## 4. Бағалау және қорытынды шығару тәртібі" in out
    assert "> Ескерту. 4.3-тармақ жаңа редакцияда" in out
    assert "| Көрсеткіш | Ұпай беру тәртібі | Ең көп ұпай |" in out


def test_regulation_takes_an_edition_id(repo, capsys):
    code, out, _ = run(repo, capsys, "regulation", "--as-of", "2023-03-01", "--format", "json")
    assert code == 0 and json.loads(out)["amendments"] == []


# ----- history --------------------------------------------------------------------------------------------------

def test_history_text(repo, capsys):
    code, out, _ = run(repo, capsys, "history", "4.2")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "4.2-тармақ"
    assert lines[2].split() == ["Күні", "Қаулы", "Өзгеріс", "Мәтіні"]
    assert lines[4].startswith("01.03.2023  —") and "бастапқы редакция" in lines[4]
    row = next(line for line in lines if line.startswith("20.02.2026"))
    assert "20.02.2026 ж. № 9, 7-т." in row and "жаңа редакцияда" in row and "Қорытындылау" in row


def test_history_json_in_russian(repo, capsys):
    code, out, _ = run(repo, capsys, "history", "5.2", "--lang", "ru", "--format", "json")
    data = json.loads(out)
    assert code == 0 and (data["unit"], data["kind"], data["lang"]) == ("5.2", "clause", "ru")
    assert [(w["in_force"], w["action"], w["resolution"]) for w in data["wordings"]] == [
        ("2023-03-01", "initial", None), ("2026-02-20", "replaced", "2026-02-20/9/7")]
    assert data["wordings"][1]["text"].startswith("По итогам оценки устанавливаются 3 призовых места")


# ----- diff -----------------------------------------------------------------------------------------------------

def test_diff_text(repo, capsys):
    code, out, _ = run(repo, capsys, "diff", "2025-01-01", "2026-02-20")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "01.01.2025 → 20.02.2026 (2026-02-20)"
    assert [line.split()[0] for line in lines[4:8]] == ["3.2-тармақ", "4.2-тармақ", "4.3-тармақ", "5.2-тармақ"]
    assert "қосылды: 0 · алып тасталды: 0 · өзгертілді: 4 · өзгеріссіз: 31" in lines
    assert "1-қосымша өзгертілді" in lines
    assert ("  Бағалау қорытындысы бойынша{+ ақшалай сыйлықақы төленетін+} 3 жүлделі орын белгіленеді"
            in out)


def test_diff_json(repo, capsys):
    code, out, _ = run(repo, capsys, "diff", "2023-03-01", "2026-02-20", "--lang", "ru", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["counts"] == {"added": 0, "deleted": 0, "changed": 4, "unchanged": 31}
    assert data["from"] == {"ref": "2023-03-01", "kind": "amendment", "date": "2023-03-01",
                            "in_force": "2023-03-01", "amendments": [], "drafts": []}
    assert data["to"]["amendments"] == ["2026-02-20"] and data["appendix_changed"] is True
    changed = [u for u in data["units"] if u["status"] == "changed"]
    assert [u["id"] for u in changed] == ["3.2", "4.2", "4.3", "5.2"]
    first = changed[0]
    assert "".join(text for op, text in first["words"] if op != "insert") == first["old"]
    assert "".join(text for op, text in first["words"] if op != "delete") == first["new"]
    assert all(u["words"] == [] for u in data["units"] if u["status"] == "unchanged")


def test_diff_markdown(repo, capsys):
    code, out, _ = run(repo, capsys, "diff", "2025-01-01", "2026-02-20", "--format", "md", "--lang", "ru")
    assert code == 0 and "| пункт 3.2 | изменен |" in out
    assert "~~Оценка проводится по следующим направлениям~~**Критерии оценки**" in out


def test_diff_of_an_edition_with_itself(repo, capsys):
    code, out, _ = run(repo, capsys, "diff", "2026-02-20", "2026-03-01")
    assert code == 0 and "өзгерістер жоқ" in out and "1-қосымша өзгеріссіз" in out


# ----- criteria diff --------------------------------------------------------------------------------------------

def test_criteria_diff_between_years(repo, capsys):
    code, out, _ = run(repo, capsys, "criteria", "diff", "2025", "2026")
    assert code == 0 and out.splitlines()[0] == "1-қосымша: 2025 (31.12.2025) → 2026 (31.12.2026)"
    assert (f"Блок «Ұйымдастыру жұмысы және кәсіподақ мүшелігі» — өзгертілді; ең көп ұпай: 1{NBSP}400 ұпай → "
            f"2{NBSP}600 ұпай (+1{NBSP}200)") in out
    assert "негізгі блок болды" in out and "атауы өзгертілді" in out


def test_criteria_diff_json(repo, capsys):
    code, out, _ = run(repo, capsys, "criteria", "diff", "2023-03-01", "2026-02-20", "--lang", "ru",
                       "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["changed"] and data["settings"] == []
    blocks = {b["id"]: b for b in data["blocks"]}
    assert blocks["membership"]["max_points"] == {"old": 1400, "new": 2600, "change": 1200}
    assert blocks["social"]["main"] == {"old": False, "new": True} and blocks["social"]["aspects"] == ["main"]
    inspections = next(i for i in blocks["legal"]["indicators"] if i["id"] == "legal.inspections")
    assert inspections["aspects"] == ["rule"] and inspections["max_points"] == {"old": 500, "new": 1000}
    assert inspections["rule"] == {"old": "5 баллов за каждую единицу, не более 500 баллов",
                                   "new": f"10 баллов за каждую единицу, не более 1{NBSP}000 баллов"}


def test_criteria_diff_markdown(repo, capsys):
    code, out, _ = run(repo, capsys, "criteria", "diff", "2025", "2026", "--format", "md", "--lang", "ru")
    assert code == 0 and "| Показатель | Состояние | Прежняя редакция | Новая редакция |" in out
    assert "| Ведение единого электронного учета членов Профсоюза | добавлен | — | при наличии – 100 баллов |" in out


# ----- errors: one clear line, non-zero exit --------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (("diff", "2026-02-20", "2025-01-01"), "FROM 2026-02-20 (2026-02-20) is later than TO 2025-01-01"),
    (("diff", "2020-01-01", "2026-02-20"), "no edition in force on 2020-01-01"),
    (("diff", "2026-02-2O", "2026-03-01"), "did you mean '2026-02-20'?"),
    (("diff", "2025", "2026"), "'2025' is neither a date YYYY-MM-DD nor an edition id"),
    (("criteria", "diff", "2027", "2025"), "FROM 2027 (2027-12-31) is later than TO 2025"),
    (("criteria", "diff", "1999", "2025"), "no edition in force on 1999-12-31"),
    (("regulation", "--as-of", "2022-12-31"), "no edition in force on 2022-12-31"),
    (("history", "4.22"), "unit '4.22' is in no edition of the Regulation"),
])
def test_errors_are_one_line(repo, capsys, args, message):
    code, out, err = run(repo, capsys, *args)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("regdoc: error: ") and message in err


def test_a_broken_tree_is_reported_not_rendered(tree, capsys):
    path = tree / "regulation" / "versions" / "2026-02-20.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('target: "4.3"', 'target: "4.30"'), encoding="utf-8")
    code = main(["diff", "2025-01-01", "2026-02-20", "--root", str(tree)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "regulation/versions/2026-02-20.yaml" in err and "unit '4.30' does not exist" in err


# ----- issue 12: renumbered rows of Appendix 1 in the criteria diff -------------------------------------------

def test_criteria_diff_names_each_row_by_its_numbers_old_and_new(repo, capsys):
    """6.2 was removed on 20.02.2026, so 6.3 became 6.2 and 6.4 became 6.3: each row's numbers, old wording and new
    wording name one indicator, and a row renumbered with its wording kept has a row too."""
    code, out, _ = run(repo, capsys, "criteria", "diff", "2023-03-01", "2026-02-20", "--format", "json")
    assert code == 0
    data = json.loads(out)
    block = next(b for b in data["blocks"] if b["number"] == {"old": "6", "new": "6"})
    rows = {i["id"]: i for i in block["indicators"]}
    removed = next(i for i in rows.values() if i["status"] == "removed")
    assert removed["row"] == {"old": "6.2", "new": None} and removed["moved"] is False
    moved = [i for i in rows.values() if i["moved"]]
    assert [(i["row"]["old"], i["row"]["new"]) for i in moved] == [("6.3", "6.2"), ("6.4", "6.3")]
    for i in moved:  # the old and the new wording are the one indicator's
        assert i["title"]["old"] == i["title"]["new"] or "title" in i["aspects"]
    code, text, _ = run(repo, capsys, "criteria", "diff", "2023-03-01", "2026-02-20")
    line = next(x for x in text.splitlines() if x.startswith("6.3 → 6.2"))
    assert moved[0]["title"]["new"].split()[0] in line and "жол нөмірі өзгерді" in line
    code, md, _ = run(repo, capsys, "criteria", "diff", "2023-03-01", "2026-02-20", "--lang", "ru", "--format", "md")
    assert "| 6.4 → 6.3 |" in md and "| Строка |" in md


def test_criteria_diff_and_comparison_table_pair_rows_alike(repo):
    """One pairing (versioning.diff): the comparison table's row labels are the criteria diff's numbers."""
    from regdoc.app.workspace import data_tree
    from regdoc.documents.comparison import comparison_rows
    from regdoc.versioning.amend import edition_after

    tree = data_tree(repo)
    before = edition_after(tree.initial, tree.amendments, "2023-03-01")
    labels = [r.unit for r in comparison_rows(tree.amendment("2026-02-20"), before, "kk")]
    assert "1-қосымшаның 6.3 → 6.2-жолы" in labels and "1-қосымшаның 6.4 → 6.3-жолы" in labels
