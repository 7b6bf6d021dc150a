"""The evaluation results: places, block points and totals, reward candidates, places by indicator."""
from __future__ import annotations

from pathlib import Path

import pytest
from docx.enum.section import WD_ORIENT
from render_helpers import block_texts, plain, plain_document

from regdoc.data.model import ResolutionId
from regdoc.documents import packet
from regdoc.documents.output import render_job
from regdoc.documents.results import parallel_rows, results_context
from regdoc.scoring.score import score
from regdoc.tree.load import load_evaluation, load_tree

REPO = Path(__file__).resolve().parents[1]
RID = ResolutionId.parse("2026-02-20/9/7")


@pytest.fixture(scope="module")
def data():
    tree = load_tree(REPO)
    return tree, load_evaluation(REPO, 2025, tree)


@pytest.fixture(scope="module")
def rendered(data, tmp_path_factory) -> dict[str, Path]:
    tree, evaluation = data
    out = tmp_path_factory.mktemp("results")
    paths = {}
    for job in packet.results_jobs(tree, evaluation, ("kk", "ru"), resolution=tree.resolution(RID)):
        paths[job.lang] = out / job.filename
        paths[job.lang].write_bytes(render_job(REPO, job))
    return paths


def test_the_table_of_places_matches_the_resolution(rendered, data):
    tree, evaluation = data
    doc = plain_document(str(rendered["kk"]))
    places, ranks = doc.tables
    blocks = evaluation.criteria.blocks
    head = [c.text for c in places.rows[0].cells]
    assert head[:2] == ["Орын", "Мүшелік ұйым"] and head[-2:] == ["Негізгі блоктардың ұпайы", "Жалпы ұпай саны"]
    # issue 15: blocks are named short in the headings (a legend gives their titles); the main-block sum has a column
    assert head[2:-2] == [f"{i}-блок" for i, b in enumerate(blocks, 1)]
    rows = [[c.text for c in r.cells] for r in places.rows[1:]]
    assert len(rows) == len(evaluation.reports)
    assert [r[0] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    issued = {p.place: p for item in tree.resolution(RID).items for p in item.places}
    for n, place in issued.items():  # the places and totals the resolution publishes
        org = tree.organisation(place.organisation).name_at(RID.date).kk
        assert rows[n - 1][1] == f"«{org}» ҚБ"
        # issue 15: one number of decimals per column, so an integer total shows as «100 201,00» beside «24 360,50»
        assert rows[n - 1][-1].partition(",")[0] == plain(kk_number(place.total))
    assert all(len(r) == len(blocks) + 4 for r in rows)


def kk_number(value) -> str:
    from regdoc.phrasing import kk

    return kk.number(value)


def test_the_places_by_indicator(rendered, data):
    _, evaluation = data
    results = score(evaluation.criteria, evaluation)
    _, ranks = plain_document(str(rendered["ru"])).tables
    indicators = list(evaluation.criteria.indicators())
    head = [c.text for c in ranks.rows[0].cells]
    assert head[0] == "Членская организация" and head[-1] == "Место"
    assert head[1:-1] == [f"{b}.{i}" for b, block in enumerate(evaluation.criteria.blocks, 1)
                          for i in range(1, len(block.indicators) + 1)]
    assert len(ranks.rows) == 1 + len(results.standings)
    first = results.standings[0]
    row = [c.text for c in ranks.rows[1].cells]
    k = results.organisations.index(first.organisation)
    assert row[1:-1] == [str(results.scores(ind.id).ranks[k]) for ind in indicators]
    assert row[-1] == "1"
    legend = [t for t in block_texts(rendered["ru"]) if t.startswith("1.1 – ")]
    assert legend == [f"1.1 – {indicators[0].title.ru}"]


def test_reward_candidates_sample_note_and_annex_line(rendered, data):
    tree, _ = data
    texts = block_texts(rendered["kk"])
    assert texts[0] == "Атқару комитетінің 2026 жылғы 20 ақпандағы № 9 қаулысына 1-қосымша"  # annex 1 of 2
    rewards = [t for t in texts if t.startswith("- «")]
    expected = [f"«{tree.organisation(o).name_at(RID.date).kk}» ҚБ" for o in ("aktobe", "pavlodar", "astana-city")]
    assert rewards == [f"- {expected[0]};", f"- {expected[1]};", f"- {expected[2]}."]
    doc = plain_document(str(rendered["kk"]))
    assert [p.style.name for p in doc.paragraphs if p.text.startswith("ҮЛГІ")] == ["Sample Note"]


def test_landscape_and_tables_as_wide_as_the_text(rendered):
    doc = plain_document(str(rendered["ru"]))
    assert doc.sections[0].orientation == WD_ORIENT.LANDSCAPE
    for table in doc.tables:
        assert sum(c.width.mm for c in table.rows[1].cells) == pytest.approx(257, abs=1)


def test_parallel_rows_pair_each_organisation(data):
    tree, evaluation = data
    results = score(evaluation.criteria, evaluation)
    kk = results_context(tree, results, "kk", tree.resolution(RID), sample=True)
    ru = results_context(tree, results, "ru", tree.resolution(RID), sample=True)
    rows = parallel_rows(kk, ru)
    assert len(rows) == 1 + len(results.standings) + 2
    assert rows[1]["kk"][0]["text"].startswith("1. «") and rows[1]["ru"][0]["text"].startswith("1. ОО «")


def test_main_block_sum_column_one_number_of_decimals_per_column_and_minus_signs(data):
    tree, evaluation = data
    results = score(evaluation.criteria, evaluation)
    ctx = results_context(tree, results, "ru", tree.resolution(RID))
    assert ctx["columns"]["main_sum"] == "Баллы по основным блокам"
    assert [r["main_sum"] for r in ctx["rows"]][0].replace("\u00a0", "") == f"{results.standings[0].main_blocks:.2f}" \
        .replace(".", ",")
    columns = [[r["blocks"][k] for r in ctx["rows"]] for k in range(len(ctx["blocks"]))]
    columns += [[r["main_sum"] for r in ctx["rows"]], [r["total"] for r in ctx["rows"]]]
    for column in columns:  # every number of a column has the same number of decimals
        assert len({len(v.partition(",")[2]) for v in column}) == 1, column
    cells = [v for column in columns for v in column]
    assert any(v.startswith("\u2212") for v in cells) and not any("-" in v for v in cells)


def test_block_columns_are_short_and_the_legends_have_headings(data):
    tree, evaluation = data
    results = score(evaluation.criteria, evaluation)
    ctx = plain(results_context(tree, results, "kk", tree.resolution(RID)))
    assert ctx["blocks"][:2] == ["1-блок", "2-блок"]
    assert ctx["blocks_legend"]["title"] == "Блоктар"
    assert ctx["blocks_legend"]["lines"][0].startswith("1-блок – ") and "(негізгі блок)" in ctx["blocks_legend"]["lines"][0]
    assert ctx["ranks"]["legend_title"] == "Көрсеткіштердің нөмірлері"


def test_legends_are_kept_with_their_tables(rendered):
    doc = plain_document(str(rendered["kk"]))
    legend = [p for p in doc.paragraphs if p.style.name in ("Legend Heading", "Legend")]
    assert len(legend) > 10 and all(p.style.paragraph_format.keep_with_next for p in legend)
    body = list(doc.element.body.iterchildren())
    last = legend[-1]._p
    assert body[body.index(last) + 1].tag.endswith("}tbl")  # the last legend line stands right above the table
