"""The annexes of a resolution: which exist is data (an item's `annexes`), `check` refuses one the packet cannot
produce, and the packet holds each in both languages with the stamp of Kazakhstan's documentation practice."""
from __future__ import annotations

import json
from pathlib import Path

from render_helpers import block_texts, plain, plain_document

from regdoc.cli import main
from regdoc.data.model import ResolutionId
from regdoc.documents.annexes import annexes, appendix_context
from regdoc.documents.results import results_context
from regdoc.scoring.score import score
from regdoc.tree.check import check_tree
from regdoc.tree.load import load_evaluation, load_tree

RID = ResolutionId.parse("2026-02-20/9/7")


def test_the_issued_resolution_has_two_numbered_annexes(repo: Path):
    tree = load_tree(repo)
    found = annexes(tree.resolution(RID))
    assert [(a.number, a.item.number, a.annex.document) for a in found] == [(1, 1, "results"), (2, 4, "appendix_1")]
    assert found[0].annex.title.kk == "Бағалау критерийлері бойынша қорытындылар"


def test_results_are_stamped_and_titled_as_the_resolution_names_them(repo: Path):
    tree = load_tree(repo)
    evaluation = load_evaluation(repo, 2025, tree)
    results = score(evaluation.criteria, evaluation)
    kk = plain(results_context(tree, results, "kk", tree.resolution(RID)))  # the words (typography: test_render_structure)
    ru = plain(results_context(tree, results, "ru", tree.resolution(RID)))
    assert kk["annex"] == "Атқару комитетінің 2026 жылғы 20 ақпандағы № 9 қаулысына 1-қосымша"
    assert kk["title"] == "Бағалау критерийлері бойынша қорытындылар"
    assert kk["subtitle"] == "Мүшелік ұйымдардың қызметін жыл сайынғы бағалаудың 2025 жылғы қорытындысы"
    assert ru["annex"] == "Приложение 1 к постановлению Исполнительного комитета от 20 февраля 2026 года № 9"
    assert ru["title"] == "Итоги по критериям оценки"
    alone = plain(results_context(tree, results, "kk", None))  # not annexed to a resolution: no stamp, its own title
    assert alone["annex"] == "" and alone["subtitle"] == "" and alone["title"] == kk["subtitle"]


def test_appendix_1_in_new_wording_carries_both_stamps(repo: Path):
    tree = load_tree(repo)
    annex = annexes(tree.resolution(RID))[1]
    kk = plain(appendix_context(tree, tree.resolution(RID), annex, "kk"))
    ru = plain(appendix_context(tree, tree.resolution(RID), annex, "ru"))
    assert kk["annex"] == "Атқару комитетінің 2026 жылғы 20 ақпандағы № 9 қаулысына 2-қосымша"
    assert kk["ref"] == "Мүшелік ұйымдардың қызметін жыл сайынғы бағалау жүйесі туралы ережеге 1-қосымша"
    assert ru["annex"] == "Приложение 2 к постановлению Исполнительного комитета от 20 февраля 2026 года № 9"
    assert ru["ref"].startswith("Приложение 1 к Положению о системе")
    # the criteria are those the amendment approved (replace_appendix), block rows then indicator rows
    approved = next(op.criteria for op in tree.amendment("2026-02-20").ops if op.op == "replace_appendix")
    assert [r["id"] for r in kk["rows"] if r["block"]] == [b.id for b in approved.blocks]
    assert kk["sample"] and ru["sample"]  # Appendix 1 is sample data


def test_build_holds_the_annexes_in_both_languages(repo: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    assert main(["build", "--root", str(repo), "--out", str(out)]) == 0
    out = out / "2026-02-20-9-7"  # the packet's own folder
    for lang, stamp in (("kk", "қаулысына 2-қосымша"), ("ru", "Приложение 2 к постановлению")):
        texts = block_texts(out / f"appendix-1-2026-02-20.{lang}.docx")
        assert stamp in texts[0]
        assert plain_document(str(out / f"appendix-1-2026-02-20.{lang}.docx")).tables[0].rows[1].cells[0].text.startswith("1.")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    names = [f["file"] if isinstance(f, dict) and "file" in f else f for f in manifest["files"]]
    assert any("appendix-1-2026-02-20.kk.docx" in json.dumps(n) for n in names)


def _second_resolution(tree: Path, annex: str) -> None:
    (tree / "regulation/versions/2026-03-05.yaml").write_text(
        "adopted_by: 2026-03-05/10/1\nin_force: 2026-03-05\nsource: sample\n"
        "regulation_ref: {kk: \"Ережеге\", ru: \"Положение\"}\nops:\n"
        "  - op: replace\n    target: \"6.3\"\n    text: {kk: \"Мәтін.\", ru: \"Текст.\"}\n", encoding="utf-8")
    (tree / "resolutions/2026/2026-03-05-10-1.yaml").write_text(
        "id: 2026-03-05/10/1\nsource: sample\ntitle: {kk: \"Ереже туралы.\", ru: \"О Положении.\"}\n"
        "preamble: {kk: \"Атқару комитеті\", ru: \"Исполнительный комитет\"}\n"
        f"items:\n  - number: 1\n    amendment: 2026-03-05\n    annexes: [{annex}]\n"
        "signatory: {position: {kk: \"Төраға\", ru: \"Председатель\"}, name: {kk: \"А. Б.\", ru: \"А. Б.\"}}\n",
        encoding="utf-8")


def test_check_refuses_an_appendix_the_amendment_does_not_approve(tree: Path):
    _second_resolution(tree, "{document: appendix_1}")
    found = [p for p in check_tree(tree) if p.severity == "error"]
    assert len(found) == 1, found
    assert found[0].file == "resolutions/2026/2026-03-05-10-1.yaml"
    assert found[0].node == "items[0].annexes[0].document"
    assert "amendment 2026-03-05 has no replace_appendix operation" in found[0].message


def test_check_refuses_results_without_an_evaluation(tree: Path):
    _second_resolution(tree, "{document: results}")
    found = [p for p in check_tree(tree) if p.severity == "error"]
    assert [p.node for p in found] == ["items[0].annexes[0].document"]
    assert "names no `evaluation` year" in found[0].message


def test_an_approved_appendix_not_listed_as_annex_warns(tree: Path):
    path = tree / "resolutions/2026/2026-02-20-9-7.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    annexes:\n      - document: appendix_1\n", ""), encoding="utf-8")
    found = [p for p in check_tree(tree) if p.severity == "warning" and "annexes" in p.message]
    assert len(found) == 1 and found[0].node == "items[2].amendment"
    out = tree / "out"
    out.mkdir()
    assert main(["build", "--root", str(tree), "--out", str(out)]) == 0
    assert not list(out.glob("**/appendix-*"))
