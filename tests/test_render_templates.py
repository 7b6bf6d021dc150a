"""`regdoc templates check`: split tags, crowded control tags, unknown variables; the shipped templates pass."""
from __future__ import annotations

from pathlib import Path

from docx import Document
from render_helpers import make_template

from regdoc.documents.templates import check_template, tag_problems


def _messages(problems) -> list[str]:
    return [p.message for p in problems]


def test_the_shipped_templates_keep_every_tag_in_one_run(repo: Path):
    paths = sorted((repo / "templates").rglob("*.docx"))
    assert len(paths) == 13  # resolution, regulation, results, appendix, comparison, register in kk, ru; parallel
    for path in paths:
        assert tag_problems(Document(str(path)), path.name) == [], path


def test_a_tag_split_across_runs_is_found(tmp_path: Path):
    path = make_template(tmp_path / "t.docx", [["{{ na", "me }}"], "{{ fine }}"])
    messages = _messages(check_template(path, "t.docx", None))
    assert messages == ["tag {{ name }} is split across 2 runs; retype it in one go (or clear its formatting)"]


def test_an_unclosed_tag_is_found(tmp_path: Path):
    path = make_template(tmp_path / "t.docx", ["{{ name", "}}"])
    assert any("not closed" in m for m in _messages(check_template(path, "t.docx", None)))


def test_text_beside_a_paragraph_control_tag_is_found(tmp_path: Path):
    path = make_template(tmp_path / "t.docx", ["Note: {%p if x %}", "{{ y }}", "{%p endif %}"])
    messages = _messages(check_template(path, "t.docx", None))
    assert any("shares its paragraph with other text" in m for m in messages)


def test_text_beside_a_row_control_tag_is_found(tmp_path: Path):
    doc = Document()
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for r in rows %}"
    table.cell(0, 1).text = "lost"
    table.cell(1, 0).text = "{{ r }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    doc.save(str(tmp_path / "t.docx"))
    messages = _messages(check_template(tmp_path / "t.docx", "t.docx", None))
    assert any("holds other text" in m for m in messages)


def test_a_variable_the_context_lacks_is_named(tmp_path: Path):
    path = make_template(tmp_path / "t.docx", ["{{ title }}", "{{ subtitle }}"])
    messages = _messages(check_template(path, "t.docx", {"title": "T"}))
    assert messages == ["uses subtitle, which its context does not provide (provided: title)"]


def test_a_nested_name_the_context_lacks_is_found_by_the_trial_render(tmp_path: Path):
    path = make_template(tmp_path / "t.docx", ["{{ signature.nmae }}"])
    messages = _messages(check_template(path, "t.docx", {"signature": {"name": "A"}}))
    assert len(messages) == 1 and "nmae" in messages[0]


def test_a_template_that_is_not_a_document(tmp_path: Path):
    (tmp_path / "t.docx").write_text("hello")
    assert _messages(check_template(tmp_path / "t.docx", "t.docx", None)) == ["not a .docx file (not a zip archive)"]
