"""Hostile data through the CLI, each case in a subprocess with resource limits (1 GiB of address space and a
timeout), so that a regression fails here instead of exhausting the machine: huge files, zip bombs, YAML bombs,
deep nesting, template bombs, and text holding template syntax or XML, which must come out as text.

Each case is refused with one clear line naming the file, or rendered safely.
"""
from __future__ import annotations

import io
import os
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from datatree import REPO, copy_tree, digest

ADDRESS_SPACE = 1024 ** 3  # bytes
TIMEOUT = 90  # seconds, for one command


def regdoc(*argv: str, prelude: str = "") -> subprocess.CompletedProcess:
    """Run the CLI in a subprocess limited to ADDRESS_SPACE and TIMEOUT; `prelude` runs first (e.g. to lower a
    limit of regdoc's own so that the case is quick)."""
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    code = prelude + "\nimport sys\nfrom regdoc.cli import main\nsys.exit(main(sys.argv[1:]))"
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), PYTHONDONTWRITEBYTECODE="1")
    env.pop("REGDOC_DEBUG", None)
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env,
                          preexec_fn=limits, timeout=TIMEOUT)


def refused(run: subprocess.CompletedProcess, *parts: str) -> None:
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr and "MemoryError" not in run.stderr
    assert any(all(p in line for p in parts) for line in run.stderr.splitlines()), (parts, run.stderr)


class Repeated:
    """`unit` repeated to `size` bytes (whole units only) between `before` and `after`: a part of hundreds of
    megabytes that deflated() compresses without making it."""

    def __init__(self, unit: bytes, size: int, before: bytes = b"", after: bytes = b""):
        self.unit, self.count, self.before, self.after = unit, size // len(unit), before, after

    def around(self, before: bytes, after: bytes) -> "Repeated":
        return Repeated(self.unit, self.count * len(self.unit), before + self.before, self.after + after)


def deflated(data: bytes | Repeated) -> tuple[bytes, int, int]:
    """Return the raw deflate stream (level 1), the CRC-32 and the length of `data`. A Repeated part is compressed
    a chunk of about 1 MiB at a time with a full flush after each: deflate then starts each chunk afresh, so every
    whole chunk compresses to the same bytes, compressed once (and its CRC taken chunk by chunk) instead of
    making and compressing hundreds of megabytes (about 1 s for the 300 MB sheet)."""
    if not isinstance(data, Repeated):
        data = Repeated(b"-", 0, data)
    chunk = data.unit * max(1, (1 << 20) // len(data.unit))
    whole, rest = divmod(data.count * len(data.unit), len(chunk))
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    stream = [compressor.compress(data.before) + compressor.flush(zlib.Z_FULL_FLUSH)]
    crc = zlib.crc32(data.before)
    if whole:
        first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
        assert compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH) == first  # each chunk afresh
        stream.append(first * whole)
        for _ in range(whole):
            crc = zlib.crc32(chunk, crc)
    end = chunk[:rest] + data.after
    stream.append(compressor.compress(end) + compressor.flush())
    crc = zlib.crc32(end, crc)
    return b"".join(stream), crc, len(data.before) + whole * len(chunk) + len(end)


def package(parts: dict[str, bytes | Repeated], declared: dict[str, int] | None = None) -> bytes:
    """Return a zip package of `parts` (deflated, dated 1980-01-01); `declared` overrides parts' declared sizes
    (their unpacked size in the local and the central header)."""
    out, directory = bytearray(), bytearray()
    for name, data in parts.items():
        raw, crc, size = deflated(data)
        size = (declared or {}).get(name, size)
        encoded, offset = name.encode(), len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(raw), size, len(encoded), 0)
        out += encoded + raw
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(raw), size,
                                 len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    return bytes(out + directory + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts),
                                               len(directory), len(out), 0))


def xlsx(sheet_xml: bytes | Repeated, shared_strings: bytes | Repeated | None = None,
         declared: dict[str, int] | None = None) -> bytes:
    """Return a minimal .xlsx whose first sheet is `sheet_xml`; `declared` overrides parts' declared sizes."""
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                               b'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                               b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                               b'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
                               b'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
                               b'worksheet+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                       b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                           b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                           b'<sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                                      b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                                      b'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="'
                                      b'worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    return package(parts, declared)


def sheet(rows: bytes | Repeated) -> bytes | Repeated:
    head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' \
        b"<sheetData>"
    tail = b"</sheetData></worksheet>"
    return rows.around(head, tail) if isinstance(rows, Repeated) else head + rows + tail


def repeated(unit: bytes, size: int) -> bytes:
    return unit * (size // len(unit))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return copy_tree(tmp_path / "data")


# ----- spreadsheets ---------------------------------------------------------------------------------------------

def test_an_evaluation_csv_over_50_mb_is_refused_before_reading(tree: Path):
    big = tree / "reports.csv"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024 + 1)
    refused(regdoc("score", "2025", "--root", str(tree), "--input", str(big)),
            "reports.csv", "52428801 bytes, larger than the limit of 52428800 bytes")


def test_a_49_mb_csv_of_rows_is_refused_at_the_row_limit(tree: Path):
    big = tree / "reports.csv"
    big.write_bytes(b"organisation,name,members\n" + repeated(b"astana-akmola,x,1\n", 49 * 1024 * 1024))
    refused(regdoc("score", "2025", "--root", str(tree), "--input", str(big)),
            "reports.csv:100001", "more than 100,000 rows")


def test_a_csv_with_one_huge_field_is_refused(tree: Path):
    big = tree / "reports.csv"
    big.write_bytes(b"organisation,name,members\nastana-akmola,\"" + b"x" * (40 * 1024 * 1024) + b"\",1\n")
    refused(regdoc("score", "2025", "--root", str(tree), "--input", str(big)),
            "reports.csv", "not a readable CSV file: field larger than field limit")


def test_an_xlsx_zip_bomb_is_refused_by_its_unpacked_size(tree: Path):
    row = b'<row><c t="inlineStr"><is><t>astana-akmola</t></is></c></row>'
    bomb = tree / "reports.xlsx"
    bomb.write_bytes(xlsx(sheet(Repeated(row, 300 * 1024 * 1024))))
    assert bomb.stat().st_size < 5 * 1024 * 1024
    refused(regdoc("score", "2025", "--root", str(tree), "--input", str(bomb)),
            "reports.xlsx", "unpacks to", "more than the limit of 104,857,600 bytes", "zip bomb")


def test_an_xlsx_whose_parts_lie_about_their_size_is_refused(tree: Path):
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    liar = tree / "reports.xlsx"
    liar.write_bytes(xlsx(sheet(Repeated(row, 200 * 1024 * 1024)), declared={"xl/worksheets/sheet1.xml": 10_000}))
    refused(regdoc("score", "2025", "--root", str(tree), "--input", str(liar)),
            "reports.xlsx", "not a readable .xlsx workbook")


def test_an_xlsx_with_a_huge_table_of_texts_is_refused(tree: Path):
    strings = Repeated(b"<si><t>a</t></si>", 60 * 1024 * 1024,
                       b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">', b"</sst>")
    path = tree / "reports.xlsx"
    path.write_bytes(xlsx(sheet(b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), strings))
    refused(regdoc("score", "2025", "--root", str(tree), "--input", str(path)),
            "reports.xlsx", "its part xl/sharedStrings.xml unpacks to", "more than the limit of 20,971,520 bytes")


def test_an_xlsx_row_at_the_bottom_of_the_sheet_is_refused_at_the_row_limit(tree: Path):
    path = tree / "reports.xlsx"
    path.write_bytes(xlsx(sheet(b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>')))
    refused(regdoc("score", "2025", "--root", str(tree), "--input", str(path)),
            "reports.xlsx:100001", "more than 100,000 rows")


def test_an_xlsx_cell_in_the_last_column_is_refused(tree: Path):
    path = tree / "reports.xlsx"
    path.write_bytes(xlsx(sheet(b'<row r="1"><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>')))
    refused(regdoc("score", "2025", "--root", str(tree), "--input", str(path)),
            "reports.xlsx:1", "a value stands in column 16384, beyond the 1,000 columns regdoc reads")


# ----- YAML -----------------------------------------------------------------------------------------------------

def test_a_billion_laughs_is_refused_at_the_first_alias(tree: Path):
    lines = ["year: 2025", "source: sample", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    (tree / "evaluations/2025/evaluation.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused(regdoc("check", "--root", str(tree)), "evaluations/2025/evaluation.yaml:4", "a1[0]", "aliases")


def test_a_million_nested_brackets_are_refused(tree: Path):
    (tree / "evaluations/2025/evaluation.yaml").write_text("year: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n",
                                                           encoding="utf-8")
    refused(regdoc("check", "--root", str(tree)), "evaluations/2025/evaluation.yaml:1", "nesting is deeper")


def test_too_many_nodes_are_refused(tree: Path):
    (tree / "evaluations/2025/evaluation.yaml").write_text("reports: [" + "0," * 250_000 + "0]\n", encoding="utf-8")
    refused(regdoc("check", "--root", str(tree)), "evaluations/2025/evaluation.yaml:1", "more than 200000 nodes")


def test_a_yaml_file_over_5_mb_is_refused_before_reading(tree: Path):
    with (tree / "organisations/organisations.yaml").open("r+b") as f:
        f.truncate(5 * 1024 * 1024 + 1)
    refused(regdoc("check", "--root", str(tree)), "organisations/organisations.yaml",
            "5242881 bytes, larger than the limit of 5242880 bytes")


# ----- templates and rendered text ------------------------------------------------------------------------------

def docx_template(paragraphs: list[str], declared: dict[str, int] | None = None) -> bytes:
    from docx import Document

    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_template_zip_bomb_is_refused(tree: Path):
    parts = {}
    with zipfile.ZipFile(io.BytesIO(docx_template(["x"]))) as source:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head, body, tail = data.partition(b"<w:body>")
                data = Repeated(b"<w:p/>", 200 * 1024 * 1024, head + body, tail)
            parts[info.filename] = data
    (tree / "templates/kk/resolution.docx").write_bytes(package(parts))
    refused(regdoc("render", "resolution", "2026-02-20/9/7", "--lang", "kk", "--root", str(tree)),
            "not produced: resolution-2026-02-20-9-7.kk.docx", "templates/kk/resolution.docx", "unpacks to",
            "more than the limit of 52,428,800 bytes")


# The time bomb gets a budget of half a second (it never ends, so the budget is all it runs); the others get 30 s,
# so that on a loaded machine the memory bomb is stopped by the memory budget it tests and not by the clock (with
# 3 s it hit the clock first under a load of 20). The memory budget is 512 MB, as before: 128 MB saved 0.2 s of
# CPU, but the budget also holds what else the process maps while a document renders (a thread's stack and malloc
# arena: 72 MB), so a smaller one could refuse the resolution's annexes on another machine.
@pytest.mark.parametrize("source, seconds, words", [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", 0.5,
     "rendering took longer than 0.5 s"),
    ("{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}", 30,
     "rendering needed more memory than a template may take"),
    ("{{ 'x' * 10**10 }}", 30, "refused by the template sandbox: a repeated text or list"),
    ("{{ ().__class__.__base__.__subclasses__() }}", 30, "refused by the template sandbox"),
    ("{{ cycler.__init__.__globals__.os.system('touch /tmp/regdoc-pwned') }}", 30, "refused by the template sandbox"),
])
def test_a_template_bomb_is_refused_within_the_budget(tree: Path, source: str, seconds: int, words: str):
    (tree / "templates/kk/resolution.docx").write_bytes(docx_template([source]))
    run = regdoc("render", "resolution", "2026-02-20/9/7", "--lang", "kk", "--root", str(tree),
                 prelude=f"import regdoc.documents.limits as limits\nlimits.SECONDS = {seconds}\n"
                         "limits.MEMORY = 512 * 1024 ** 2")
    refused(run, "not produced: resolution-2026-02-20-9-7.kk.docx", "templates/kk/resolution.docx", words)
    assert not (tree / "out" / "resolution-2026-02-20-9-7.kk.docx").exists()
    assert not Path("/tmp/regdoc-pwned").exists()


def test_text_holding_template_syntax_and_xml_comes_out_literally(tree: Path):
    from docx import Document

    hostile = "{{ 7*7 }} {% if true %}yes{% endif %} <w:p><w:r><w:t>injected</w:t></w:r></w:p> & «№»"
    initial = tree / "regulation/versions/2023-03-01.yaml"
    text = initial.read_text(encoding="utf-8")
    assert text.count('kk: "Жалпы ережелер"') == 1
    initial.write_text(text.replace('kk: "Жалпы ережелер"', f"kk: '{hostile}'"), encoding="utf-8")
    before = digest(tree)
    run = regdoc("render", "regulation", "--as-of", "2023-03-01", "--lang", "kk", "--root", str(tree))
    assert run.returncode == 0, run.stderr
    paragraphs = [p.text for p in Document(str(tree / "out" / "regulation-2023-03-01.kk.docx")).paragraphs]
    assert any(hostile in p for p in paragraphs), paragraphs[:12]
    assert not any("49" in p and "{{" not in p for p in paragraphs[:12])
    assert "injected" not in [p.strip() for p in paragraphs]
    assert digest(tree) == before


@pytest.mark.parametrize("title, words", [
    ("Қаулы\u200f", "U+200F"),      # a right-to-left mark
    ("Қаулы\u202e", "U+202E"),      # a right-to-left override
    ("Қаулы\x1b[2J", "U+001B"),     # a terminal escape
])
def test_direction_marks_and_controls_in_a_title_are_refused(tree: Path, title: str, words: str):
    before = digest(tree)
    refused(regdoc("resolution", "new", "--date", "2026-03-01", "--title-kk", title, "--root", str(tree)),
            "--title-kk", words)
    assert digest(tree) == before
