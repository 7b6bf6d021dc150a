"""The streaming writer (regdoc.documents.writer._StreamedBody): the bytes of the tree path (render_docx with
STREAM off, itself compared with docxtpl's own methods in test_render_writer.py) for the shipped templates and for
odd table layouts, the tree path taken where streaming cannot show it gives the same bytes, and the same errors."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm
from render_helpers import ODD_RUNS, make_template

from regdoc.documents import writer
from regdoc.documents.writer import DocProps, render_docx
from regdoc.errors import RegdocError

HOSTILE = "& < > \" ' «Қазақстан» № 9 — әғқңөұүһі </w:t></w:r></w:p><w:p> {{ x }} {% if %}"
LANGS = ("kk", "ru", "kk-ru")


@pytest.fixture(autouse=True)
def stream_every_body(monkeypatch):
    """Every body streamed, however small (by default a body under writer._STREAM_MIN characters is not, nor one
    whose context holds no list of writer.STREAM_ITEMS items)."""
    monkeypatch.setattr(writer, "_STREAM_MIN", 0)
    monkeypatch.setattr(writer, "STREAM_ITEMS", 1)


def tree_path(template, context, props, monkeypatch) -> bytes:
    """Return the tree path's bytes."""
    with monkeypatch.context() as patched:
        patched.setattr(writer, "STREAM", False)
        return render_docx(template, context, props)


def streamed(template, context, props):
    """Return the streaming writer's bytes, or None when it leaves the document to the tree path."""
    return writer._render_streamed(template, context, props, "t.docx")


def props(lang: str) -> DocProps:
    return DocProps("Нәтижелер & <т>", "Кәсіподақ", date(2026, 2, 20), lang)


def _generated(repo: Path, tmp_path: Path, count: int) -> Path:
    sys.path.insert(0, str(repo / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(repo / "benchmarks"))
    generate.organisations(count, tmp_path / "tree")
    return tmp_path / "tree"


@pytest.fixture(scope="module")
def results_300(tmp_path_factory) -> list[tuple]:
    """The results jobs of 300 generated organisations (two tables of 300 rows with column loops), Kazakh, Russian
    and side by side, each with its template and the tree path's bytes: made once for the module's tests, which
    only read them (the tree path does not depend on how the streaming writer cuts its pieces)."""
    from datatree import REPO

    from regdoc.documents import packet
    from regdoc.tree.load import load_evaluation, load_tree

    root = _generated(REPO, tmp_path_factory.mktemp("results"), 300)
    tree = load_tree(root)
    evaluation = load_evaluation(root, 2025, tree)
    jobs = packet.results_jobs(tree, evaluation, ("kk", "ru"))
    jobs += packet.results_jobs(tree, evaluation, ("kk", "ru"), parallel=True)
    assert {job.props.lang for job in jobs} == set(LANGS)
    out = []
    with pytest.MonkeyPatch.context() as patched:
        for job in jobs:
            data = (root / job.template).read_bytes()
            out.append((job, data, tree_path(data, job.context, job.props, patched)))
    return out


@pytest.mark.parametrize("pieces", [1, 64, writer._STREAM_PIECES])
def test_the_results_stream_into_the_tree_path_s_bytes(results_300, monkeypatch, pieces: int):
    """The results of 300 generated organisations, Kazakh, Russian and side by side: streamed, with Jinja's output
    cut after every 1 and 64 pieces and rows in batches of 7, they are the tree path's bytes."""
    monkeypatch.setattr(writer, "_STREAM_PIECES", pieces)
    monkeypatch.setattr(writer, "_STREAM_BATCH", 7)
    monkeypatch.setattr(writer, "_STREAM_FLUSH", 1000)
    counts = _counted(monkeypatch)
    for job, data, expected in results_300:
        ours = streamed(data, job.context, job.props)
        assert ours is not None, job.template
        assert ours == expected, job.template
    if pieces < writer._STREAM_PIECES:  # (else the body is parsed in one piece: no later rows in the text)
        assert counts["fast"] > 1000 and counts["alone"] < 20


def test_every_shipped_document_streams_into_the_tree_path_s_bytes(repo, monkeypatch):
    """Every document of the shipped packet (the build's jobs rendered from templates): the same bytes."""
    from regdoc.documents import packet
    from regdoc.tree.load import load_evaluation, load_tree

    tree = load_tree(repo)
    jobs, _, _ = packet.build_plan(tree, lambda year: load_evaluation(repo, year, tree))
    jobs = [job for job in jobs if job.make is None]
    assert len(jobs) >= 8
    taken = 0
    for job in jobs:
        data = (repo / job.template).read_bytes()
        ours = streamed(data, job.context, job.props)
        taken += ours is not None
        assert (ours or render_docx(data, job.context, job.props)) == tree_path(data, job.context, job.props,
                                                                              monkeypatch), job.template
    assert taken == len(jobs)


_TABLE_TEMPLATES: dict[tuple, bytes] = {}


def table_template(path: Path, nested: bool = False, colspan: bool = False, merged_header: bool = False) -> Path:
    """Write a template: a paragraph, a table whose header row and data rows have a column loop (`{%tc for %}`)
    and whose data rows loop (`{%tr for %}`) over `rows` ({n, cells[, span]}), every cell 2 cm wide; `nested`: a
    table in each data row's first cell; `colspan`: the data row's first cell spans `r.span` columns;
    `merged_header`: the header's first two cells merged (a w:gridSpan in the template). Each kind is made once
    per test process and written to `path` for each test."""
    key = (nested, colspan, merged_header)
    if key not in _TABLE_TEMPLATES:
        made = path.with_name(path.name + ".made")
        _make_table_template(made, *key)
        _TABLE_TEMPLATES[key] = made.read_bytes()
        made.unlink()
    path.write_bytes(_TABLE_TEMPLATES[key])
    return path


def _make_table_template(path: Path, nested: bool, colspan: bool, merged_header: bool) -> None:
    doc = Document()
    doc.add_paragraph("Title {{ title }}")
    table = doc.add_table(rows=4, cols=5)
    table.style = None
    header = ["N", "Name", "{%tc for c in columns %}", "{{ c }}", "{%tc endfor %}"]
    first = "{{ r.n }}" + (" {% colspan r.span %}" if colspan else "")
    data = [first, "{{ r.name }}", "{%tc for v in r.cells %}", "{{ v }}", "{%tc endfor %}"]
    for row, texts in zip(table.rows, (header, ["{%tr for r in rows %}"] + [""] * 4, data,
                                       ["{%tr endfor %}"] + [""] * 4)):
        for cell, text in zip(row.cells, texts):
            cell.width = Cm(2)
            cell.paragraphs[0].add_run(text)
    if nested:
        table.cell(2, 1).add_table(rows=1, cols=2).cell(0, 1).paragraphs[0].add_run("{{ r.n }} in")
    if merged_header:
        table.cell(0, 0).merge(table.cell(0, 1))
    doc.add_paragraph("After {{ title }}\tend")
    doc.save(str(path))


def rows(count: int, width=lambda i: 3, span=lambda i: 1) -> list[dict]:
    return [{"n": str(i), "name": HOSTILE if i % 7 == 0 else f"Ұйым {i}\tx\ny" if i % 5 == 0 else f"org {i}",
             "cells": [f"{i}.{k} &" for k in range(width(i))], "span": span(i)} for i in range(1, count + 1)]


LAYOUTS = {
    # name: (template options, rows, whether the streaming writer may write it)
    "plain": ({}, rows(120), True),
    "widest row not the first": ({}, rows(120, width=lambda i: 5 if i == 9 else 2 + i % 3), True),
    "fewer cells later": ({}, rows(120, width=lambda i: 4 if i < 40 else 1), True),
    "merged header": ({"merged_header": True}, rows(120), True),
    "spans": ({"colspan": True}, rows(120, span=lambda i: 2 if i % 3 == 0 else 1), True),
    "nested table": ({"nested": True}, rows(120), True),
    "a row that grows late": ({}, rows(120, width=lambda i: 6 if i == 100 else 3), False),
    "a span that grows late": ({"colspan": True}, rows(120, span=lambda i: 3 if i == 90 else 1), False),
    "short table": ({}, rows(5), True),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_odd_tables_stream_into_the_tree_path_s_bytes_or_are_left_to_it(tmp_path: Path, monkeypatch, layout: str,
                                                                        lang: str):
    """Column loops, a widest row that is not the first, spans, a nested table, a short table: the tree path's
    bytes; a row that has more cells or spans more columns than the first rows had: the tree path writes it."""
    options, data, streams = LAYOUTS[layout]
    template = table_template(tmp_path / "t.docx", **options)
    context = {"title": "T & <x>", "columns": ["a", "b", "c"], "rows": data}
    monkeypatch.setattr(writer, "_STREAM_BATCH", 11)
    expected = tree_path(template, context, props(lang), monkeypatch)
    ours = streamed(template, context, props(lang))
    assert (ours is not None) == streams
    assert render_docx(template, context, props(lang)) == expected
    if streams:
        assert ours == expected


@pytest.mark.parametrize("flush", [1, 5, 64])
def test_pieces_of_any_size_give_the_same_bytes(tmp_path: Path, monkeypatch, flush: int):
    """Jinja's output cut after every piece, rows in batches of 1, the bytes packed 1, 5 or 64 characters at a
    time: the same bytes."""
    template = table_template(tmp_path / "t.docx")
    context = {"title": "T\tx\ny", "columns": ["a"], "rows": rows(60)}
    expected = tree_path(template, context, props("kk"), monkeypatch)
    monkeypatch.setattr(writer, "_STREAM_PIECES", 1)
    monkeypatch.setattr(writer, "_STREAM_BATCH", 1)
    monkeypatch.setattr(writer, "_STREAM_FLUSH", flush)
    assert streamed(template, context, props("kk")) == expected


def test_a_comment_with_non_ascii_text_is_left_to_the_tree_path(tmp_path: Path, monkeypatch):
    """lxml's ASCII form (the document id's hash) of a comment is not known: the tree path writes it."""
    template = make_template(tmp_path / "t.docx", ["{{ a }}"])
    context = {"a": "x"}
    import zipfile

    with zipfile.ZipFile(template) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"<w:body>", "<w:body><!-- Қ -->".encode())
    with zipfile.ZipFile(template, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    assert streamed(template, context, props("kk")) is None
    assert render_docx(template, context, props("kk")) == tree_path(template, context, props("kk"), monkeypatch)


@pytest.mark.parametrize("text, context, expected", [
    ("{{ r.nmber }}", {}, "does not provide"),
    ("{{ ''.__class__ }}", {}, "refused by the template sandbox"),
    ("{{ r.n * 1000000 }}", {}, "refused by the template sandbox"),
])
def test_a_template_error_in_a_streamed_table_is_the_tree_path_s_error(tmp_path: Path, monkeypatch, text: str,
                                                                       context: dict, expected: str):
    """An undefined value or a sandbox refusal in the 100th row of a streamed table: the tree path's one-line
    error, no document."""
    template = table_template(tmp_path / "t.docx")
    doc = Document(str(template))
    doc.tables[0].cell(2, 1).paragraphs[0].add_run("{% if r.n == '100' %}" + text + "{% endif %}")
    doc.save(str(template))
    context = {"title": "T", "columns": ["a"], "rows": rows(120)}
    with pytest.raises(RegdocError) as ours:
        render_docx(template, context, props("kk"))
    with pytest.raises(RegdocError) as theirs:
        tree_path(template, context, props("kk"), monkeypatch)
    assert expected in str(ours.value)
    assert str(ours.value) == str(theirs.value)


def test_the_time_budget_running_out_in_the_streaming_writer_is_its_one_line_error(tmp_path: Path, monkeypatch):
    """The budget's alarm (limits.budget) raised while the streaming writer fixes rows, not in Jinja: the budget's
    one-line error, not the tree path taken. (Where the alarm lands is left to chance in a timed test: raised
    here.)"""
    from regdoc.documents.limits import RenderBudgetExceeded

    template = table_template(tmp_path / "t.docx")
    context = {"title": "T", "columns": ["a"], "rows": rows(300)}

    def out_of_time(self, last):
        raise RenderBudgetExceeded("rendering took longer than 60 s")

    monkeypatch.setattr(writer._StreamedBody, "write_rows", out_of_time)
    monkeypatch.setattr(writer, "_render_whole", lambda *args: pytest.fail("the tree path taken"))
    with pytest.raises(RegdocError) as info:
        streamed(template, context, props("kk"))
    assert "rendering took longer than 60 s; the template loops or repeats too much" in str(info.value)
    assert "\n" not in str(info.value)


def test_a_small_body_is_written_by_the_tree_path_from_jinja_s_text(tmp_path: Path, monkeypatch):
    """Under _STREAM_MIN characters the body is not streamed: the tree path writes it from the text Jinja
    rendered (not rendered twice), the same bytes."""
    from docxtpl import DocxTemplate

    template = table_template(tmp_path / "t.docx")
    context = {"title": "T\tx\ny & <", "columns": ["a", "b"], "rows": rows(40)}
    expected = {lang: tree_path(template, context, props(lang), monkeypatch) for lang in LANGS}
    monkeypatch.setattr(writer, "_STREAM_MIN", 1 << 30)
    rendered = []
    monkeypatch.setattr(writer, "_render_whole", lambda *args, whole=writer._render_whole: rendered.append(1)
                        or whole(*args))
    monkeypatch.setattr(DocxTemplate, "build_xml", lambda *args: pytest.fail("rendered twice"))
    for lang in LANGS:
        assert streamed(template, context, props(lang)) == expected[lang]
    assert len(rendered) == len(LANGS)


@pytest.mark.parametrize("runs", ODD_RUNS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("where", ["paragraph", "row"])
def test_odd_runs_stream_into_the_tree_path_s_bytes_or_are_left_to_it(tmp_path: Path, monkeypatch, runs: str,
                                                                      lang: str, where: str):
    """Runs without properties, with empty properties, with properties not first, a comment in the body, in a
    paragraph of the body or in the rows of a streamed table: the tree path's bytes (runs a one-language tag in
    the text would give two w:rPr, and comments, are left to it)."""
    import zipfile

    template = table_template(tmp_path / "t.docx")
    mark = "After" if where == "paragraph" else "{{ r.name }}"
    with zipfile.ZipFile(template) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    start = xml.rindex("<w:r>", 0, xml.index(mark))
    end = xml.index("</w:r>", xml.index(mark)) + len("</w:r>")
    parts["word/document.xml"] = (xml[:start] + runs + xml[end:]).encode("utf-8")
    with zipfile.ZipFile(template, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    context = {"a": "x y", "b": "z", "title": "T", "columns": ["a"], "rows": rows(80)}
    expected = tree_path(template, context, props(lang), monkeypatch)
    assert render_docx(template, context, props(lang)) == expected
    ours = streamed(template, context, props(lang))
    assert ours is None or ours == expected
    if "<!--" not in runs and (lang == "kk-ru" or "<w:r><w:t>" not in runs or "<w:rPr><w:b/>" not in runs):
        assert ours is not None


def test_only_a_context_with_a_long_list_is_tried_by_the_streaming_writer(tmp_path: Path, monkeypatch):
    """The build's documents render by the tree path directly; a results table of STREAM_ITEMS rows is tried by
    the streaming writer."""
    monkeypatch.setattr(writer, "STREAM_ITEMS", 1000)
    assert not writer._large({"title": "T", "rows": rows(999), "nested": {"items": list(range(999))}})
    assert writer._large({"title": "T", "rows": rows(1000)})
    assert writer._large({"ranks": {"rows": list(range(1000))}})
    tried = []
    monkeypatch.setattr(writer, "_render_streamed", lambda *args: tried.append(1))
    template = table_template(tmp_path / "t.docx")
    render_docx(template, {"title": "T", "columns": ["a"], "rows": rows(20)}, props("kk"))
    assert tried == []
    render_docx(template, {"title": "T", "columns": ["a"], "rows": rows(1000)}, props("kk"))
    assert tried == [1]


def _counted(monkeypatch) -> dict:
    """Count the streamed rows written from the text (fast_row) and those parsed on their own (row_alone)."""
    counts = {"fast": 0, "alone": 0}
    for name, key in (("fast_row", "fast"), ("row_alone", "alone")):
        def counted(self, row, method=getattr(writer._StreamedBody, name), key=key):
            counts[key] += 1
            return method(self, row)
        monkeypatch.setattr(writer._StreamedBody, name, counted)
    return counts


ODD_TEXTS = {
    # name: (the value of every 9th row's name, whether such rows are parsed alone)
    "markup characters": ("a & b <c> \"d\" 'e' &amp; &#34;", False),
    "the sentinel": ("x \ue000 y", True),
    "a carriage return": ("x\ry", True),
    "a character XML does not allow": ("x\x01y", True),
    "docPr": ("docPr", False),
    "percent signs": ("%s %% %(x)s", False),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("odd", sorted(ODD_TEXTS))
def test_later_rows_written_from_their_text_give_the_tree_path_s_bytes(tmp_path: Path, monkeypatch, odd: str,
                                                                       lang: str):
    """A streamed table's later rows written from the text by their forms (fast_row): the tree path's bytes,
    with texts holding markup characters, references, percent signs; a text lxml would not write as it reads
    (a carriage return, a character XML does not allow, the form's own sentinel) makes its row parsed on its
    own; «docPr» in the text leaves the later rows to the parser (their drawings are numbered in order)."""
    value, alone = ODD_TEXTS[odd]
    data = rows(150)
    for i, row in enumerate(data):
        if i % 9 == 8:
            row["name"] = value
    template = table_template(tmp_path / "t.docx")
    context = {"title": "T", "columns": ["a", "b"], "rows": data}
    expected = tree_path(template, context, props(lang), monkeypatch)
    counts = _counted(monkeypatch)
    monkeypatch.setattr(writer, "_STREAM_PIECES", 16)
    ours = streamed(template, context, props(lang))
    if value == "x\x01y":  # not well-formed: the tree path's (docxtpl's recovering parser)
        assert ours is None
        assert render_docx(template, context, props(lang)) == expected
        return
    assert ours == expected
    if odd == "docPr":
        assert counts["fast"] < 30
        return
    assert counts["fast"] > 90
    assert (counts["alone"] > 10) == alone
    assert counts["alone"] >= 1  # the form, once


def test_rows_of_too_many_forms_are_left_to_the_parser(tmp_path: Path, monkeypatch):
    """Rows of more forms than writer._FORMS (each new form a parse of its own): the parser takes the rest, the
    same bytes."""
    template = table_template(tmp_path / "t.docx")
    context = {"title": "T", "columns": ["a", "b"], "rows": rows(150, width=lambda i: 1 + i % 3)}
    expected = tree_path(template, context, props("kk"), monkeypatch)
    monkeypatch.setattr(writer, "_FORMS", 2)
    monkeypatch.setattr(writer, "_STREAM_PIECES", 16)
    counts = _counted(monkeypatch)
    assert streamed(template, context, props("kk")) == expected
    assert 2 <= counts["alone"] <= 3 and counts["fast"] <= 5


def test_the_rows_taken_from_the_text_are_those_of_fast_rows_off(tmp_path: Path, monkeypatch):
    """STREAM_FAST off (every row parsed by the pull parser, fixed and tagged in batches) and on: the same
    bytes for the generated results' kind of table."""
    template = table_template(tmp_path / "t.docx", colspan=True)
    context = {"title": "T", "columns": ["a", "b"], "rows": rows(200, span=lambda i: 2 if i % 4 == 0 else 1)}
    monkeypatch.setattr(writer, "_STREAM_PIECES", 16)
    counts = _counted(monkeypatch)
    fast = streamed(template, context, props("ru"))
    assert counts["fast"] > 100
    counts.update(fast=0, alone=0)
    monkeypatch.setattr(writer, "STREAM_FAST", False)
    assert streamed(template, context, props("ru")) == fast
    assert counts == {"fast": 0, "alone": 0}


def test_each_distinct_text_escaped_once_renders_as_jinja_escapes_it():
    """writer._escape_once: the compiled template's escape keeps the Markup of each text it met; texts, numbers,
    Markup and texts met again render as Jinja's own escape renders them; an undefined value is still an
    error."""
    from jinja2.exceptions import UndefinedError
    from markupsafe import Markup

    env = writer.environment()
    source = "{% for v in values %}<w:t>{{ v }}</w:t>{% endfor %}{{ tail }}"
    values = ["a & b", "<c>", "\"d\" 'e'", 3, 2.5, Markup("<w:br/>"), None, "a & b", "<c>", "", "a & b"]
    expected = env.from_string(source).render(values=values, tail="x")
    template = env.from_string(source)
    writer._escape_once(template)
    assert template.root_render_func.__globals__["escape"] is not env.from_string(source).root_render_func \
        .__globals__["escape"]
    assert template.render(values=values, tail="x") == expected
    with pytest.raises(UndefinedError):
        template.render(values=values)


def test_escaped_braces_in_a_streamed_body_give_the_tree_path_s_bytes(tmp_path: Path, monkeypatch):
    """docxtpl's escaped braces («{_{ x }_}», «{_% y %_}»: written «{{ x }}», «{% y %}») in a paragraph and in
    every row of a streamed table: the tree path's bytes (the text is searched for them only where it holds
    an underscore)."""
    template = table_template(tmp_path / "t.docx")
    doc = Document(str(template))
    doc.tables[0].cell(2, 1).paragraphs[0].add_run(" {_{ r.n }_} {_% if %_} 100_000")
    doc.paragraphs[0].add_run(" {_{ title }_}")
    doc.save(str(template))
    context = {"title": "T", "columns": ["a"], "rows": rows(120)}
    expected = tree_path(template, context, props("kk"), monkeypatch)
    monkeypatch.setattr(writer, "_STREAM_PIECES", 16)
    assert streamed(template, context, props("kk")) == expected
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(expected)) as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert "{{ r.n }} {% if %} 100_000" in body and "{_{" not in body


@pytest.mark.parametrize("text, found", [
    ("<w:p><!-- x --></w:p>", True), ("<w:p><![CDATA[x]]></w:p>", True), ("<?xml-stylesheet x?><w:p/>", True),
    ("<w:t>Мына! Ма?</w:t>", False), ("<w:t>! ?</w:t><w:p/>", False), ("", False), ("<", False), ("<!", True),
    ("<?", True),
])
def test_a_comment_or_processing_instruction_is_found_in_the_text(text: str, found: bool):
    from regdoc.documents.wordml import markup_declaration

    assert markup_declaration(text) == markup_declaration(text.encode("utf-8")) == found == \
        ("<!" in text or "<?" in text)
