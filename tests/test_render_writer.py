"""The .docx writer: sandbox, autoescape, strict undefined, core properties, reproducible bytes, the output folder
(atomic writes are regdoc.files', tested in test_files.py)."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from docx import Document
from render_helpers import ODD_RUNS, block_texts, make_template

from regdoc.app.output import document_folder as output_dir
from regdoc.documents import wordml, writer
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


def docxtpl_s_own_methods(monkeypatch) -> None:
    """Render with docxtpl's own fix_tables, fix_docpr_ids, map_tree, resolve_listing, patch_xml and
    render_xml_part in place of the writer's (the tree path: the streaming writer off), saved by python-docx, its
    styles parsed on opening."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.part import PartFactory
    from docx.parts.styles import StylesPart
    from docxtpl import DocxTemplate

    for name in ("fix_tables", "fix_docpr_ids", "map_tree", "resolve_listing", "patch_xml", "init_docx",
                 "render_xml_part"):
        monkeypatch.setattr(writer._template_class(), name, getattr(DocxTemplate, name))
    monkeypatch.setattr(writer, "STREAM", False)
    monkeypatch.setattr(writer, "_save", python_docx_s_own_save)
    monkeypatch.setitem(PartFactory.part_type_for, CT.WML_STYLES, StylesPart)


def python_docx_s_own_save(document, body=None, xml=None) -> bytes:
    """Return the package of `document` as python-docx saves it (in place of the writer's _save, whose entries
    are deflated once per process for the same bytes, and whose main part is the XML wordml.finish serialized,
    `xml`: python-docx serializes it again here)."""
    assert body is None
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_body_put_in_place_by_one_parse_gives_docxtpl_s_own_bytes(repo, monkeypatch):
    """The writer's rendering (the whole document parsed once with the rendered body in place, the grids fixed in
    it, the listing passes only where a paragraph needs them) against docxtpl's (the body parsed on its own, moved
    into the document node by node by lxml, every paragraph through the listing passes)."""

    from regdoc.documents import packet, writer
    from regdoc.tree.load import load_evaluation, load_tree

    tree = load_tree(repo)
    jobs, _, _ = packet.build_plan(tree, lambda year: load_evaluation(repo, year, tree))
    jobs = [job for job in jobs if job.make is None]
    assert len(jobs) >= 8
    ours = [writer.render_docx((repo / job.template).read_bytes(), job.context, job.props) for job in jobs]
    docxtpl_s_own_methods(monkeypatch)
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
            patched.setattr(writer, "STREAM", False)
            assert render_docx(template, context, PROPS) == ours


def test_a_generated_results_table_gives_docxtpl_s_own_bytes(repo, tmp_path: Path, monkeypatch):
    """At a size where both run (150 organisations: two tables with column loops of 150 rows), the writer's way
    (one parse, grids fixed in place, listing passes only where needed, tags and widths set through XPath) gives
    the bytes of docxtpl's own methods."""
    import sys

    from regdoc.documents import packet
    from regdoc.tree.load import load_evaluation, load_tree

    sys.path.insert(0, str(repo / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(repo / "benchmarks"))
    generate.organisations(150, tmp_path / "tree")
    root = tmp_path / "tree"
    tree = load_tree(root)
    jobs = packet.results_jobs(tree, load_evaluation(root, 2025, tree), ("kk", "ru"))
    jobs += packet.results_jobs(tree, load_evaluation(root, 2025, tree), ("kk", "ru"), parallel=True)
    ours = [writer.render_docx((root / job.template).read_bytes(), job.context, job.props) for job in jobs]
    docxtpl_s_own_methods(monkeypatch)
    theirs = [writer.render_docx((root / job.template).read_bytes(), job.context, job.props) for job in jobs]
    assert ours == theirs


def _tagged_run_by_run(document, lang: str) -> None:
    """Tag every run with its language one run at a time (the rule of tag_languages, as issue 15 wrote it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    after = {qn(t) for t in wordml._RPR_AFTER_LANG}
    for run, tag in list(wordml._language_of_cells(document, lang)):
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            run.insert(0, rpr)
        el = rpr.find(qn("w:lang"))
        if el is None:
            el = OxmlElement("w:lang")
            later = next((child for child in rpr if child.tag in after), None)
            if later is not None:
                later.addprevious(el)
            else:
                rpr.append(el)
        el.set(qn("w:val"), tag)


@pytest.mark.parametrize("lang", ["kk", "ru", "kk-ru"])
def test_language_tags_are_the_run_by_run_ones(tmp_path: Path, lang: str):
    """Runs with and without properties, with a language already, with properties that must stay after w:lang,
    in a header, in cells spanning columns, in a nested table and in two-cell rows: tag_languages (one XPath for
    a one-language document) gives what tagging run by run gives."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from lxml import etree

    def document():
        doc = Document()
        p = doc.add_paragraph()
        p.add_run("bare")
        p.add_run("bold").bold = True
        run = p.add_run("east")
        run._r.get_or_add_rPr().append(parse_xml(f'<w:eastAsianLayout {nsdecls("w")} w:id="1"/>'))
        run = p.add_run("tagged")
        run._r.get_or_add_rPr().append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-US" w:bidi="ar-SA"/>'))
        doc.sections[0].header.paragraphs[0].add_run("header")
        table = doc.add_table(rows=3, cols=3)
        table.cell(0, 0).merge(table.cell(0, 1))
        for row in table.rows[1:]:
            for cell in row.cells:
                cell.paragraphs[0].add_run("cell")
        table.cell(2, 2).add_table(rows=1, cols=2).cell(0, 1).paragraphs[0].add_run("nested")
        two = doc.add_table(rows=2, cols=2)
        for cell in two._cells:
            cell.paragraphs[0].add_run("side")
        return doc

    ours, theirs = document(), document()
    wordml.tag_languages(ours, lang)
    _tagged_run_by_run(theirs, lang)
    assert etree.tostring(ours.element) == etree.tostring(theirs.element)
    header = ours.sections[0].header._element
    assert etree.tostring(header) == etree.tostring(theirs.sections[0].header._element)
    assert etree.tostring(ours.element).count(b"<w:lang ") == etree.tostring(ours.element).count(b"<w:r>") + \
        etree.tostring(ours.element).count(b"<w:r ")


@pytest.mark.parametrize("runs", ODD_RUNS)
@pytest.mark.parametrize("lang", ["kk", "ru", "kk-ru"])
def test_runs_tagged_as_the_body_is_parsed_give_docxtpl_s_own_bytes(tmp_path: Path, monkeypatch, runs: str,
                                                                     lang: str):
    """Runs without properties are tagged in the text before the one parse; odd runs (properties not first, empty
    properties, a comment in the body) give what tagging the parsed tree gives."""

    template = make_template(tmp_path / "t.docx", ["first {{ a }}", "MARK"])
    with zipfile.ZipFile(template) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    start = xml.index("<w:r>", xml.index("MARK") - 200)
    end = xml.index("</w:r>", xml.index("MARK")) + len("</w:r>")
    parts["word/document.xml"] = (xml[:start] + runs + xml[end:]).encode("utf-8")
    with zipfile.ZipFile(template, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    props = DocProps("T", "A", date(2026, 2, 20), lang)
    ours = render_docx(template, {"a": "x y", "b": "z"}, props)
    docxtpl_s_own_methods(monkeypatch)
    assert render_docx(template, {"a": "x y", "b": "z"}, props) == ours
    assert b"{{" not in zipfile.ZipFile(io.BytesIO(ours)).read("word/document.xml")


@pytest.mark.parametrize("feed", [1, 5, 64])
def test_the_body_given_to_the_parser_in_small_pieces_gives_the_same_bytes(tmp_path: Path, monkeypatch, feed: int):
    """Runs are tagged piece by piece as the body is given to the parser: pieces of any size give the bytes of one
    piece (a run's start tag is never cut from the tag after it)."""
    template = make_template(tmp_path / "t.docx", [["a {{ a }}", "b", "c {{ b }}"], "{{ a }}", ["x", "y", "z"]])
    context = {"a": "<w:r> & <w:rPr>", "b": "x\ny"}
    monkeypatch.setattr(writer, "STREAM", False)  # the tree path's pieces (the streaming writer's: below)
    whole = {lang: render_docx(template, context, DocProps("T", "A", date(2026, 2, 20), lang)) for lang in ("kk", "ru")}
    monkeypatch.setattr(writer, "_FEED", feed)
    for lang in ("kk", "ru"):
        assert render_docx(template, context, DocProps("T", "A", date(2026, 2, 20), lang)) == whole[lang]


def test_styles_parsed_when_used_give_python_docx_s_own_bytes(tmp_path: Path, monkeypatch):
    """A styles part whose bytes were read before is parsed only when something uses it
    (writer._styles_parsed_when_used): saved untouched, read, or changed, the document is python-docx's own."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.part import PartFactory
    from docx.parts.styles import StylesPart

    from regdoc.files.archives import reproducible_zip

    template = make_template(tmp_path / "t.docx", ["{{ a }}"]).read_bytes()
    changes = [lambda d: None, lambda d: len(d.styles),
               lambda d: d.styles.add_style("Regdoc test", WD_STYLE_TYPE.PARAGRAPH)]

    def saved(change, save) -> bytes:
        document = writer.open_template(template).docx
        change(document)
        return reproducible_zip(save(document))

    ours = [saved(change, writer._save) for change in changes * 2]
    styles = writer.open_template(template).docx.part._styles_part
    assert type(styles) is writer._styles_parsed_when_used() and styles._unparsed is not None
    monkeypatch.setitem(PartFactory.part_type_for, CT.WML_STYLES, StylesPart)
    assert type(writer.open_template(template).docx.part._styles_part) is StylesPart
    assert ours == [saved(change, python_docx_s_own_save) for change in changes * 2]


def test_styles_that_are_not_well_formed_are_refused_on_every_opening(tmp_path: Path):
    template = make_template(tmp_path / "t.docx", ["{{ a }}"])
    with zipfile.ZipFile(template) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["word/styles.xml"] = parts["word/styles.xml"][:-20]
    with zipfile.ZipFile(template, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    for _ in range(2):
        with pytest.raises(RegdocError, match="cannot open as a Word document"):
            writer.open_template(template)


def test_what_the_writer_keeps_is_bounded_and_gives_the_same_bytes_when_forgotten(tmp_path: Path, monkeypatch):
    """The patched parts, styles and deflated entries the writer keeps per process are bounded (a long-running
    workspace); with nothing kept the documents are the same bytes."""
    from regdoc.kept import Kept

    assert all(kept.size is not None for kept in (writer._PATCHED, writer._STYLES, writer._PACKED.kept,
                                                  writer._PACKAGES.kept))  # (how regdoc.kept bounds: test_kept)
    template = make_template(tmp_path / "t.docx", ["A {{ a }}", "B"])
    expected = render_docx(template, {"a": "x"}, PROPS)
    packed = writer._Packed(size=0)
    monkeypatch.setattr(writer, "_PACKED", packed)
    monkeypatch.setattr(writer, "_PATCHED", Kept(size=0, weigh=writer._text_and_result))
    monkeypatch.setattr(writer, "_STYLES", Kept(size=0, weigh=writer._text_and_result))
    packages = writer._Packages(size=0)
    monkeypatch.setattr(writer, "_PACKAGES", packages)
    assert render_docx(template, {"a": "x"}, PROPS) == expected
    assert not packed.kept and not writer._PATCHED and not writer._STYLES and not packages.kept


def test_a_template_opened_again_reads_no_zip_and_shares_no_part(tmp_path: Path, monkeypatch):
    """A template's package is read once per process for its bytes (writer._Packages): opened again, its
    documents are made from what was read, each with parts of its own; the packages kept are bounded."""
    from docx.opc.pkgreader import PackageReader

    template = make_template(tmp_path / "t.docx", ["A {{ a }}", "B"]).read_bytes()
    packages = writer._Packages()
    monkeypatch.setattr(writer, "_PACKAGES", packages)
    first = writer.open_template(template).docx
    monkeypatch.setattr(PackageReader, "from_file", lambda *args: pytest.fail("the zip read again"))
    second = writer.open_template(template).docx
    assert {str(p.partname) for p in first.part.package.iter_parts()} == \
        {str(p.partname) for p in second.part.package.iter_parts()}
    assert not {id(p) for p in first.part.package.iter_parts()} & {id(p) for p in second.part.package.iter_parts()}
    first.add_paragraph("only in the first")
    assert "only in the first" not in [p.text for p in second.paragraphs]
    assert len(packages.kept) == 1 and packages.kept.held > len(template)  # the template's bytes and its parts'
    assert packages.kept.entries == 32 and packages.kept.size == 16 << 20
