"""Word's own structure of every document (documents.wordml.finish, the templates' heading styles) and the
typography of their text: read back from the .docx XML of the packet and the parallel documents."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from render_helpers import block_texts

from regdoc.cli import main
from regdoc.phrasing.common import NBHYPHEN, NBSP

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Path]:
    """Return the packet of the shipped data and the parallel resolution, by file name."""
    from datatree import REPO

    out = tmp_path_factory.mktemp("structure")
    assert main(["build", "--root", str(REPO), "--out", str(out)]) == 0
    assert main(["render", "resolution", "2026-02-20/9/7", "--lang", "both", "--parallel", "--root", str(REPO),
                 "--out", str(out)]) == 0
    found = sorted(out.glob("*.docx")) + sorted(out.glob("2026-02-20-9-7/*.docx"))
    return {p.name: p for p in found}


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def languages(path: Path) -> list[tuple[str, str]]:
    """Return (language tag, text) of every run of the body that holds text."""
    body = Document(str(path)).element.body
    out = []
    for run in body.iter(qn("w:r")):
        text = "".join(t.text or "" for t in run.iter(qn("w:t"), qn("w:delText")))
        lang = run.find(f"{qn('w:rPr')}/{qn('w:lang')}")
        out.append((lang.get(qn("w:val")) if lang is not None else None, text))
    return out


def test_every_run_is_tagged_with_its_language(documents):
    for name, path in documents.items():
        tags = {tag for tag, _ in languages(path)}
        if ".kk-ru." in name:
            continue
        assert tags == {"kk-KZ" if ".kk." in name else "ru-RU"}, name


def test_the_parallel_document_tags_each_column(documents):
    doc = Document(str(documents["resolution-2026-02-20-9-7.kk-ru.docx"]))
    for row in doc.tables[0].rows:
        for cell, tag in zip(row.cells, ("kk-KZ", "ru-RU")):
            runs = list(cell._tc.iter(qn("w:r")))
            assert runs and {r.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) for r in runs} == {tag}


def test_the_parallel_document_is_bold_where_the_resolution_is_and_its_rows_may_break(documents):
    doc = Document(str(documents["resolution-2026-02-20-9-7.kk-ru.docx"]))
    strong = {"Strong Words", "Parallel Heading", "Parallel Bold"}
    bold = []
    for paragraph in doc.tables[0]._tbl.iter(qn("w:p")):
        from docx.text.paragraph import Paragraph

        p = Paragraph(paragraph, doc)
        for run in p.runs:
            if run.text and (p.style.name in strong or (run.style is not None and run.style.name in strong)):
                bold.append(run.text)
    assert f"ҚАУЛЫ{NBSP}ЕТЕДІ:" in bold and "ПОСТАНОВЛЯЕТ:" in bold
    assert any(t.startswith("Төраға") for t in bold) and any(t.startswith("Председатель") for t in bold)
    rows = doc.tables[0]._tbl.findall(qn("w:tr"))
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is None for r in rows[1:])


def test_app_properties_name_regdoc_and_hold_no_counts(documents):
    for name, path in documents.items():
        app = part(path, "docProps/app.xml").decode("utf-8")
        assert "<Application>regdoc</Application>" in app, name
        assert not re.search(r"<(Pages|Words|Characters|Lines|Paragraphs|AppVersion)>", app), name
        assert "Microsoft" not in app


def test_compatibility_mode_is_word_2013_and_each_document_has_its_own_id(documents):
    ids = {}
    for name, path in documents.items():
        settings = part(path, "word/settings.xml").decode("utf-8")
        assert re.search(r'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
                         r'w:val="15"', settings), name
        ids[name] = re.search(r'w14:docId w14:val="([0-9A-F]{8})"', settings).group(1)
    assert len(set(ids.values())) == len(ids)


def test_only_the_redline_tracks_a_reviewers_edits(documents):
    for name, path in documents.items():
        tracked = b"<w:trackRevisions/>" in part(path, "word/settings.xml")
        assert tracked == name.startswith("redline-"), name


def test_headings_carry_outline_levels(documents):
    def outlined(path: Path) -> list[str]:
        doc = Document(str(path))
        levels = {s.name for s in doc.styles if s.type == 1 and
                  s.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}") is not None}
        return [p.text for p in doc.paragraphs if p.style.name in levels]

    regulation = outlined(documents["regulation-2026-02-20.kk.docx"])
    assert regulation[0] == "Мүшелік ұйымдардың қызметін жыл сайынғы бағалау жүйесі туралы ереже"
    assert len(regulation) == 8  # the title, six sections, the title of Appendix 1
    for name, path in documents.items():
        if ".kk-ru." not in name:
            assert outlined(path), name  # every document shows at least its title in the navigation pane


def test_the_documents_are_typeset(documents):
    kk = "\n".join(block_texts(raw=True, path=documents["resolution-2026-02-20-9-7.kk.docx"]))
    assert f"ҚАУЛЫ{NBSP}ЕТЕДІ:" in kk and f"№{NBSP}9, 7{NBHYPHEN}т." in kk
    assert f"(осы Ережеге 1{NBHYPHEN}қосымша)" in kk and f"4.4{NBHYPHEN}тармағына" in kk
    assert f"жалпы ұпай саны{NBSP}– 100{NBSP}201" in kk
    regulation = "\n".join(block_texts(raw=True, path=documents["regulation-2026-02-20.ru.docx"]))
    assert f"от 0 до 50{NBSP}% (не включая 50{NBSP}%): 0{NBSP}баллов" in regulation
    comparison = "\n".join(block_texts(raw=True, path=documents["comparison-2026-02-20.kk.docx"]))
    assert f"50{NBSP}ұпай" in comparison


def test_the_comparison_table_is_headed_by_a_complete_phrase(documents):
    kk = block_texts(raw=True, path=documents["comparison-2026-02-20.kk.docx"])
    assert kk[0] == (f"Атқару комитетінің 2026{NBSP}жылғы 20{NBSP}ақпандағы №{NBSP}9 қаулысының жобасына "
                     "салыстырмалы кесте")
    assert kk[1].startswith("(") and kk[1].endswith("енгізілетін өзгерістер мен толықтырулар)")
    ru = block_texts(raw=True, path=documents["comparison-2026-02-20.ru.docx"])
    assert ru[0] == (f"Сравнительная таблица к проекту постановления Исполнительного комитета от 20{NBSP}февраля "
                     f"2026{NBSP}года №{NBSP}9")
    assert ru[1] == "(изменения и дополнения в Положение о системе ежегодной оценки деятельности членских организаций)"
