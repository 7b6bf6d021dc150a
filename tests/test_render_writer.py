"""The .docx writer: sandbox, autoescape, strict undefined, core properties, reproducible bytes, the output folder
(atomic writes are regdoc.files', tested in test_files.py)."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from docx import Document
from render_helpers import block_texts, make_template

from regdoc.app.output import document_folder as output_dir
from regdoc.documents import writer
from regdoc.documents.writer import DocProps, render_docx
from regdoc.errors import RegdocError

HOSTILE = "& < > \" ' «Қазақстан» № 9 — әғқңөұүһі ӘҒҚҢӨҰҮҺІ </w:t></w:r></w:p><w:p> {{ x }} {% if %}"
PROPS = DocProps("Қаулы «№ 9» & <т>", "Кәсіподақ & «Co»", date(2026, 2, 20), "kk")


def test_values_with_markup_characters_come_out_intact(tmp_path: Path):
    template = make_template(tmp_path / "t.docx", ["A {{ value }} B", "{{ other }}", "end"])
    data = render_docx(template, {"value": HOSTILE, "other": "x & y"}, PROPS)
    out = tmp_path / "out.docx"
    out.write_bytes(data)
    assert block_texts(out) == [f"A {HOSTILE} B", "x & y", "end"]


def test_core_properties_are_set_after_rendering_and_not_escaped_twice(tmp_path: Path):
    template = make_template(tmp_path / "t.docx", ["{{ value }}"])
    out = tmp_path / "out.docx"
    out.write_bytes(render_docx(template, {"value": "v"}, PROPS))
    cp = Document(str(out)).core_properties
    assert cp.title == PROPS.title
    assert cp.author == PROPS.author
    assert cp.language == "kk-KZ"
    assert cp.created == cp.modified == datetime(2026, 2, 20, tzinfo=timezone.utc)
    assert cp.revision == 1


def test_same_inputs_give_the_same_bytes(tmp_path: Path):
    template = make_template(tmp_path / "t.docx", ["{{ value }}"])
    first = render_docx(template, {"value": "Қ"}, PROPS)
    second = render_docx(template, {"value": "Қ"}, PROPS)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {writer.ZIP_TIME}
        assert z.testzip() is None  # every entry's data intact
    assert render_docx(template, {"value": "Ғ"}, PROPS) != first


def test_the_sandbox_refuses_reaching_into_python(tmp_path: Path):
    template = make_template(tmp_path / "evil.docx", ["{{ ''.__class__.__mro__ }}"])
    with pytest.raises(RegdocError) as info:
        render_docx(template, {}, PROPS, display="templates/kk/evil.docx")
    assert "refused by the template sandbox" in str(info.value)
    assert info.value.file == "templates/kk/evil.docx"


def test_the_sandbox_refuses_calling_a_method_that_changes_the_context(tmp_path: Path):
    template = make_template(tmp_path / "evil.docx", ["{{ items.append(1) }}"])
    with pytest.raises(RegdocError, match="sandbox"):
        render_docx(template, {"items": []}, PROPS)


def test_a_missing_variable_is_an_error_not_an_empty_string(tmp_path: Path):
    template = make_template(tmp_path / "t.docx", ["{{ item.nmber }}"])
    with pytest.raises(RegdocError) as info:
        render_docx(template, {"item": {"number": 1}}, PROPS)
    assert "does not provide" in str(info.value) and "nmber" in str(info.value)


def test_a_syntax_error_names_the_template(tmp_path: Path):
    template = make_template(tmp_path / "t.docx", ["{% if %}"])
    with pytest.raises(RegdocError, match="template syntax error"):
        render_docx(template, {}, PROPS, display="templates/ru/x.docx")


@pytest.mark.parametrize("content", [None, b"not a zip", b"PK\x03\x04garbage"])
def test_a_missing_or_broken_template_is_a_clear_error(tmp_path: Path, content):
    path = tmp_path / "t.docx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(RegdocError) as info:
        render_docx(path, {}, PROPS, display="templates/kk/t.docx")
    assert info.value.file == "templates/kk/t.docx"


# ----- the output folder ---------------------------------------------------------------------------------------

def test_default_output_folder_is_created_under_the_root(tree: Path):
    assert output_dir(tree, None) == tree / "out"
    assert (tree / "out").is_dir()


def test_an_output_folder_that_does_not_exist_is_refused(tree: Path):
    with pytest.raises(RegdocError, match="does not exist"):
        output_dir(tree, tree / "nowhere")
    assert not (tree / "nowhere").exists()


@pytest.mark.parametrize("inside", ["regulation", "regulation/versions", "resolutions/2026", "templates/kk",
                                    "organisations"])
def test_an_output_folder_inside_the_source_folders_is_refused(tree: Path, inside: str):
    with pytest.raises(RegdocError, match="source folder"):
        output_dir(tree, tree / inside)


def test_an_output_folder_reached_through_a_link_into_the_sources_is_refused(tree: Path, tmp_path: Path):
    link = tmp_path / "link"
    link.symlink_to(tree / "regulation", target_is_directory=True)
    with pytest.raises(RegdocError, match="source folder regulation/"):
        output_dir(tree, link)


def test_the_body_put_in_place_by_one_parse_gives_docxtpl_s_own_bytes(repo, monkeypatch):
    """The writer's map_tree (one parse of the whole document) against docxtpl's (lxml's move of every node)."""
    from docxtpl import DocxTemplate

    from regdoc.documents import packet, writer
    from regdoc.tree.load import load_evaluation, load_tree

    tree = load_tree(repo)
    jobs, _, _ = packet.build_plan(tree, lambda year: load_evaluation(repo, year, tree))
    jobs = [job for job in jobs if job.make is None]
    assert len(jobs) >= 8
    ours = [writer.render_docx((repo / job.template).read_bytes(), job.context, job.props) for job in jobs]
    monkeypatch.setattr(writer._template_class(), "map_tree", DocxTemplate.map_tree)
    monkeypatch.setattr(writer._template_class(), "resolve_listing", DocxTemplate.resolve_listing)
    theirs = [writer.render_docx((repo / job.template).read_bytes(), job.context, job.props) for job in jobs]
    assert ours == theirs


def test_tabs_and_line_breaks_in_values_give_docxtpl_s_own_bytes(tmp_path: Path, monkeypatch):
    """The writer's resolve_listing (docxtpl's passes over the paragraphs holding a tab, newline, \\a or \\f only)
    against docxtpl's (over every paragraph and run)."""
    from docxtpl import DocxTemplate

    template = make_template(tmp_path / "t.docx", ["A {{ one }} B", "{{ two }}", "plain {{ three }}", "end"])
    for context in ({"one": "x\ty", "two": "line\nnext\n", "three": "p\aq\fr"},
                    {"one": "no", "two": "special", "three": "characters"},
                    {"one": "only\none", "two": HOSTILE, "three": "\t"}):
        ours = render_docx(template, context, PROPS)
        with monkeypatch.context() as patched:
            patched.setattr(writer._template_class(), "resolve_listing", DocxTemplate.resolve_listing)
            assert render_docx(template, context, PROPS) == ours
