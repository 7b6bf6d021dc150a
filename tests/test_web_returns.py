"""Collecting a year's returns in the browser over HTTP: the workbooks to send out, an upload of many files whose
every problem shows at once (file, sheet, cell, organisation, message) and keeps nothing, a correct upload's changes
shown before it is accepted, the accepted import as one versioned save and one commit by the editor; who has
reported; permissions, CSRF, hostile files, conflicts."""
from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from datatree import in_git

pytest.importorskip("starlette")
from test_hostile import Repeated, package  # noqa: E402
from test_web_editing import csrf_of, signed_in  # noqa: E402

from regdoc.data.yamldoc import read_document  # noqa: E402

REL = "evaluations/2025/evaluation.yaml"


@pytest.fixture
def returned(shipped_returns) -> list[tuple[str, bytes]]:
    """The twenty returns the organisations send back: their workbooks filled with the shipped values."""
    return list(shipped_returns)


@pytest.fixture
def collecting(tree: Path, returned) -> tuple[Path, list[tuple[str, bytes]]]:
    """The data tree with the 2025 evaluation holding its header only (no report yet), in git; and the returns."""
    books = list(returned)
    path = tree / REL
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("\nreports:")] + "\nreports: {}\n", encoding="utf-8")
    in_git(tree)
    return tree, books


def with_cell(book: bytes, cell: str, value) -> bytes:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(book))
    wb.worksheets[0][cell] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(c, files: list[tuple[str, bytes]], action: str = "preview", **fields):
    csrf = csrf_of(c.get("/edit/returns?year=2025").text)
    return c.post("/edit/returns", data=dict({"csrf": csrf, "year": "2025", "action": action}, **fields),
                  files=[("returns", (name, data)) for name, data in files])


def table(html: str, cls: str) -> list[list[str]]:
    body = re.search(rf'<table class="data {cls}">.*?<tbody>(.*?)</tbody>', html, re.S)[1]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_upload_with_an_error_then_fixed_then_accepted(collecting, users):  # noqa: F811
    tree, books = collecting
    before = (tree / REL).read_bytes()
    c = signed_in(tree, users, "aigul", "correct horse battery")
    page = c.get("/edit/returns?year=2025").text
    assert "Not reported yet (20)" in page and "Reported (0)" in page
    bad = [(n, with_cell(d, "D6", "many") if n.endswith("-kyzylorda.xlsx") else d) for n, d in books]
    r = upload(c, bad)
    assert r.status_code == 422
    rows = table(r.text, "problems-table")
    assert len(rows) == 1
    file, sheet, cell, organisation, message = rows[0]
    assert (file, cell, organisation) == ("evaluation-2025-kyzylorda.xlsx", "D6", "kyzylorda")
    assert "many" in message or "number" in message
    assert 'value="accept"' not in r.text  # nothing to accept
    assert (tree / REL).read_bytes() == before
    r = upload(c, books)  # fixed: uploaded again
    assert r.status_code == 200 and "problems-table" not in r.text
    changes = table(r.text, "changes-table")
    assert ["astana-akmola", "<code>staff</code>", "—", "65160"] in changes
    assert (tree / REL).read_bytes() == before  # a preview writes nothing
    form = {k: v for k, v in re.findall(r'<input type="hidden" name="([a-z]+)" value="([^"]*)">',
                                        re.search(r'<form[^>]*>\s*<input type="hidden" name="csrf"[^<]*'
                                                  r'<input type="hidden" name="year".*?value="accept"', r.text,
                                                  re.S)[0])}
    r = c.post("/edit/returns", data=dict(form, action="accept"), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/edit/returns?year=2025&saved=1"
    written = read_document(tree / REL).data
    assert written["reports"]["astana-akmola"]["staff"] == 65160 and len(written["reports"]) == 20
    assert (tree / "evaluations/2025/evaluation.before-import-1.yaml").read_bytes() == before
    log = subprocess.run(["git", "-C", str(tree), "log", "-1", "--name-only", "--format=%an|%s"],
                         capture_output=True, text=True, check=True).stdout.split("\n")
    assert log[0] == "aigul|2025 evaluation: the returns of 20 organisations imported"
    assert REL in log
    page = c.get("/edit/returns?year=2025").text
    assert "Reported (20)" in page and "Not reported yet (0)" in page
    # the same upload accepted twice: the second is refused (its token is spent)
    r = c.post("/edit/returns", data=dict(form, action="accept"))
    assert r.status_code == 410 and "upload the files again" in r.text


def test_accepting_over_a_changed_evaluation_is_a_conflict(collecting, users):  # noqa: F811
    tree, books = collecting
    c = signed_in(tree, users, "aigul", "correct horse battery")
    r = upload(c, books)
    token = re.search(r'name="token" value="([^"]+)"', r.text)[1]
    version = re.search(r'name="version" value="([^"]*)"', r.text)[1]
    changed = (tree / REL).read_text(encoding="utf-8") + "# edited meanwhile\n"
    (tree / REL).write_text(changed, encoding="utf-8")
    r = c.post("/edit/returns", data={"csrf": csrf_of(r.text), "year": "2025", "action": "accept", "token": token,
                                      "version": version, "replace": "1"})
    assert r.status_code == 409 and "changed by someone else since you opened it" in r.text
    assert (tree / REL).read_text(encoding="utf-8") == changed


@pytest.mark.parametrize("name,data,expected", [
    ("bomb.xlsx", None, ""),
    ("evaluation-2025-abai.xlsx", b"not a workbook at all", "evaluation-2025-abai.xlsx"),
    ("formula.csv", "organisation,members\nabai,=HYPERLINK(\"http://x\")\n".encode(), "formula.csv"),
])
def test_hostile_files_are_refused_and_change_nothing(collecting, users, name, data, expected):  # noqa: F811
    tree, books = collecting
    if data is None:  # a zip bomb: one part that unpacks to far more than a workbook may (120 MiB of zeros,
        # deflated by test_hostile's package a chunk at a time: 0.12 s of CPU instead of zipfile's 0.44 s)
        data = package({"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": Repeated(b"\0", 120 << 20)})
    before = (tree / REL).read_bytes()
    c = signed_in(tree, users, "aigul", "correct horse battery")
    r = upload(c, books[1:] + [(name, data)])
    assert r.status_code == 422
    assert any(row[0] == name for row in table(r.text, "problems-table"))
    assert (tree / REL).read_bytes() == before


def test_an_upload_over_the_limits_is_refused(collecting, users, monkeypatch):  # noqa: F811
    import regdoc.web.returns as returns

    tree, books = collecting
    c = signed_in(tree, users, "aigul", "correct horse battery")
    monkeypatch.setattr(returns, "MAX_BYTES", 1000)
    r = upload(c, books[:2])
    assert r.status_code == 422 and "the file is larger than" in r.text
    monkeypatch.setattr(returns, "MAX_UPLOAD", 1000)
    r = upload(c, books[:2])
    assert r.status_code == 400 and "an upload takes at most" in r.text
    monkeypatch.setattr(returns.editing, "MAX_RETURNS", 1)
    monkeypatch.setattr(returns, "MAX_UPLOAD", 10 ** 9)
    monkeypatch.setattr(returns, "MAX_BYTES", 10 ** 8)
    r = upload(c, books[:2])
    assert r.status_code in (400, 422)


def test_the_workbooks_to_send_out_come_in_one_zip(collecting, users):  # noqa: F811
    tree, _books = collecting
    c = signed_in(tree, users, "aigul", "correct horse battery")
    r = c.get("/edit/returns/templates.zip?year=2025")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert len(names) == 20 and "evaluation-2025-kyzylorda.xlsx" in names
    assert c.get("/edit/returns/templates.zip?year=1999").status_code == 404
    assert c.get("/edit/returns?year=../../etc").status_code == 404


@pytest.mark.parametrize("method,url", [("GET", "/edit/returns"), ("POST", "/edit/returns"),
                                        ("GET", "/edit/returns/templates.zip?year=2025")])
def test_a_viewer_cannot_reach_the_returns(collecting, users, method, url):  # noqa: F811
    tree, books = collecting
    c = signed_in(tree, users, "viktor", "another long secret")
    r = c.get(url) if method == "GET" else c.post(url, data={"csrf": csrf_of(c.get("/").text), "year": "2025"},
                                                  files=[("returns", books[0])])
    assert r.status_code == 403


def test_an_upload_without_its_csrf_token_is_refused(collecting, users):  # noqa: F811
    tree, books = collecting
    c = signed_in(tree, users, "aigul", "correct horse battery")
    r = c.post("/edit/returns", data={"year": "2025", "action": "preview"}, files=[("returns", books[0])])
    assert r.status_code == 403
