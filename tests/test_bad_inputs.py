"""The corpus of bad inputs in tests/data/bad/, every case driven through the CLI by one parametrised test:
non-zero exit, no traceback, one line naming the file, the line or row, and the key, and the data tree unchanged
by the command.

Three kinds of case:

1. A bad file, `tests/data/bad/<case>.yaml` or `.csv`, whose first lines are a header of `# key: value` comments:
     # target: <path in the data tree that the file replaces (or creates)>
     # expect: <text> | <text> ...     (every part must appear in one line of the error output)
     # run: <arguments>                (optional; default `check --root {root}`; {root} is the data tree,
                                        {target} the file written)
     # edit: <old> => <new>            (optional, repeatable: the case is the shipped target with each edit made
                                        once, instead of the file's own body; \\n and \\uXXXX escapes allowed)
     # base: <path>                    (optional: the shipped file the edits start from, when not the target)
   A YAML file is written whole (its header is a comment); any other file without its header lines.
2. Command arguments, `tests/data/bad/commands.yaml`: a list of {name, argv, expect, env} (env: variables set for
   the run, e.g. a PATH without LibreOffice).
3. Generated files, `tests/data/bad/generated.yaml`: binary or derived files made in the test from a small spec,
   e.g. the filled evaluation template of a year with a few cells changed, saved as .xlsx or .csv, a document
   template (.docx) holding the given paragraphs, or a shipped file removed.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

import pytest
import yaml
from datatree import REPO, digest
from render_helpers import docx_bytes
from untranslated import english as english_words

from regdoc.cli import main

BAD = Path(__file__).parent / "data" / "bad"
COLLECTIONS = ("commands.yaml", "generated.yaml")
DEFAULT_RUN = "check --root {root}"
_OWN_LINE = re.compile(r"regdoc|usage:|\s|[^\s:]+(:\d+)?: ")
_HEADER = re.compile(r"^# (target|expect|run|edit|base): ?(.*)$")


@dataclass(frozen=True)
class Case:
    name: str
    argv: str | list[str]
    expect: list[str]
    target: Optional[str] = None
    content: Optional[Callable[[], bytes]] = None
    env: dict = field(default_factory=dict)


def unescape(text: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})|\\n", lambda m: chr(int(m[1], 16)) if m[1] else "\n", text)


def parts(expect: str) -> list[str]:
    return [part.strip() for part in expect.split("|")]


def file_case(path: Path) -> Case:
    raw = path.read_bytes()
    lines = raw.split(b"\n")
    header: dict[str, list[str]] = {}
    count = 0
    for line in lines:
        match = _HEADER.match(line.decode("utf-8", "replace"))
        if not match:
            break
        header.setdefault(match[1], []).append(match[2] if match[1] == "edit" else match[2].strip())
        count += 1
    target = header["target"][0]
    if "edit" in header:
        def content(edits=tuple(header["edit"]), base=header.get("base", [target])[0]) -> bytes:
            text = (REPO / base).read_text(encoding="utf-8")
            for edit in edits:
                old, new = (unescape(part or "") for part in re.fullmatch(r"(.*?) =>(?: (.*))?", edit).groups())
                assert text.count(old) == 1, f"{path.name}: '{old}' must occur once in {base}"
                text = text.replace(old, new)
            return text.encode("utf-8")
    elif path.suffix == ".yaml":
        def content(raw=raw) -> bytes:
            return raw
    else:
        def content(body=b"\n".join(lines[count:])) -> bytes:
            return body
    return Case(path.stem, header.get("run", [DEFAULT_RUN])[0], parts(header["expect"][0]), target, content)


def command_cases() -> list[Case]:
    entries = yaml.safe_load((BAD / "commands.yaml").read_text(encoding="utf-8"))
    return [Case(e["name"], e["argv"], parts(e["expect"]), env=e.get("env", {})) for e in entries]


@lru_cache(maxsize=None)
def filled_template(year: int) -> tuple[tuple, ...]:
    """Return the rows of the reporting template of `year`, filled with the shipped evaluation's values."""
    from regdoc.scoring.evaluation import template
    from regdoc.tree.load import load_evaluation, load_tree

    tree = load_tree(REPO)
    evaluation = load_evaluation(REPO, year, tree)
    return template(evaluation.criteria, tree.organisations, year, evaluation.reports).rows


def cell_address(address: str) -> tuple[int, int]:
    """Return the 0-based (row, column) of a spreadsheet address such as C7."""
    match = re.fullmatch(r"([A-Z]+)([0-9]+)", address)
    column = 0
    for letter in match[1]:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match[2]) - 1, column - 1


def sheet_rows(spec: dict) -> list[list]:
    rows = [list(r) for r in (filled_template(spec["base"]) if "base" in spec else spec["rows"])]
    for address, value in spec.get("cells", {}).items():
        r, c = cell_address(address)
        while len(rows) <= r:
            rows.append([])
        rows[r].extend([None] * (c + 1 - len(rows[r])))
        rows[r][c] = value
    return rows + [list(r) for r in spec.get("append", [])]


def generated_content(spec: dict) -> Callable[[], Optional[bytes]]:
    def make() -> Optional[bytes]:
        if spec.get("remove"):
            return None
        if "bytes" in spec:
            return unescape(spec["bytes"]).encode("latin-1")
        if "docx" in spec:
            return docx_bytes(spec["docx"])
        rows = sheet_rows(spec)
        if spec["format"] == "csv":
            from regdoc.files.spreadsheets import csv_text

            return ("\ufeff" + csv_text(rows)).encode("utf-8")
        from regdoc.files.spreadsheets import template_workbook, workbook_bytes
        from regdoc.scoring.evaluation import Sheet

        return workbook_bytes(template_workbook(Sheet("t", tuple(map(tuple, rows)), 5, 5, ()), "t", {}))
    return make


def generated_cases() -> list[Case]:
    entries = yaml.safe_load((BAD / "generated.yaml").read_text(encoding="utf-8"))
    return [Case(e["name"], e["run"], parts(e["expect"]), e["target"], generated_content(e)) for e in entries]


FILE_CASES = [file_case(p) for p in sorted(BAD.iterdir())
              if p.suffix in (".yaml", ".csv") and p.name not in COLLECTIONS]
CASES = FILE_CASES + command_cases() + generated_cases()


def test_corpus_is_large_enough():
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES), "case names must be unique"


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse refusing an argument
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def prepare(case: Case, tree: Path, monkeypatch) -> list[str]:
    """Set up the case in the data tree `tree`; return its arguments."""
    monkeypatch.chdir(tree.parent)  # default outputs (out/...) land beside the data tree, never in the repository
    monkeypatch.delenv("REGDOC_DEBUG", raising=False)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    if case.target is not None:
        dest = tree / case.target
        dest.parent.mkdir(parents=True, exist_ok=True)
        content = case.content()
        if content is None:
            dest.unlink()
        else:
            dest.write_bytes(content)
    args = shlex.split(case.argv) if isinstance(case.argv, str) else list(case.argv)
    return [a.format(root=tree, target=tree / case.target if case.target else "") for a in args]


# A place (file:line: key) as a message starts with it, and the data a message quotes: both stay as they are in
# every interface language.
_PLACE = re.compile(r"\S+\.(?:yaml|yml|csv|xlsx|docx|json|txt)(?::\d+)?(?:: (?!error:|warning:)[^\s:]+)?: ")
_QUOTED = re.compile(r"(?<!\w)'[^']*'(?!\w)|«[^»]*»|\"[^\"]*\"")  # an apostrophe (Kazakhstan's) is no quote


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_refused_clearly(case: Case, tree: Path, capsys, monkeypatch):
    """The English expectation of each case holds in English; in kk and ru the same command gives the same exit
    code and the same number of lines, each line with the English line's place and quoted data."""
    argv = prepare(case, tree, monkeypatch)
    before = digest(tree)
    code, out, err = run_cli(argv, capsys)
    assert code not in (0, None), out + err
    assert "Traceback" not in out + err and "internal error" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert any(all(part in line for part in case.expect) for line in lines), (case.expect, err)
    # every line is regdoc's own or names a file (argparse adds its usage lines, indented after the first)
    assert all(_OWN_LINE.match(line) for line in lines), err
    assert digest(tree) == before, "a refused command changed the data tree"
    for lang in ("kk", "ru"):
        code_lang, out_lang, err_lang = run_cli(["--ui-lang", lang] + argv, capsys)
        assert code_lang == code, (lang, err_lang)
        assert "Traceback" not in out_lang + err_lang, err_lang
        lines_lang = [line for line in err_lang.splitlines() if line.strip()]
        assert len(lines_lang) == len(lines), (err, err_lang)
        for english, line in zip(lines, lines_lang):
            assert_translated(english, line, lang)
        assert digest(tree) == before, "a refused command changed the data tree"


def assert_translated(english: str, line: str, lang: str) -> None:
    """Assert that `line` is the message `english` in the interface language `lang`: the same place and quoted
    data, and no English left (an untranslated message, or English words around the data, fails)."""
    for place in _PLACE.findall(english)[:1]:
        assert place in line, (english, line)
    assert sorted(_QUOTED.findall(line)) == sorted(_QUOTED.findall(english)), (english, line)
    assert not english_words(line), f"English in the {lang} message: {english_words(line)}: {line}"


@pytest.mark.parametrize("english, line", [
    # the message left in English (an untranslated msgid, or a text never marked for the catalogs)
    ("regulation/versions/2026-02-20.yaml:8: ops[0].target: error: unit '4.9' does not exist in the edition",
     "regulation/versions/2026-02-20.yaml:8: ops[0].target: қате: unit '4.9' does not exist in the edition"),
    # the frame translated, an English fragment put into it (a term or a library's text)
    ("evaluations/2025/evaluation.yaml:25: reports.x.y: error: expected a number, got text",
     "evaluations/2025/evaluation.yaml:25: reports.x.y: қате: a number күтілді, text берілді"),
    ("regdoc: error: --date '2026-02-30' is not a calendar date: day is out of range for month",
     "regdoc: қате: --date '2026-02-30' күнтізбелік күн емес: day is out of range for month"),
])
def test_the_language_check_finds_english(english, line):
    """The check above can fail: English words outside the place, the quoted data and the names are refused."""
    with pytest.raises(AssertionError, match="English in the kk message"):
        assert_translated(english, line, "kk")


def test_the_language_check_passes_a_translated_line():
    assert_translated("regulation/versions/2026-02-20.yaml:9: ops[0].kind: error: 'sektion' is not allowed here; "
                      "allowed: section, clause, subclause; did you mean 'section'?",
                      "regulation/versions/2026-02-20.yaml:9: ops[0].kind: қате: 'sektion' мұнда рұқсат етілмейді; "
                      "рұқсат етілгендер: section, clause, subclause; 'section' деп айтқыңыз келді ме?", "kk")


def test_a_message_missing_from_the_catalogs_fails_the_corpus(tree: Path, capsys, monkeypatch):
    """End to end: with the Kazakh catalog emptied (every message untranslated, as a new msgid is before anyone
    translates it), a refused `check` in kk fails the check of the corpus."""
    import gettext

    from regdoc import i18n

    (tree / "regulation" / "versions" / "2026-02-20.yaml").write_text("in_force: 2026-02-30\n", encoding="utf-8")
    code, _out, err = run_cli(["check", "--root", str(tree)], capsys)
    english = [line for line in err.splitlines() if line.strip()]
    monkeypatch.setitem(i18n._loaded, "kk", gettext.NullTranslations())
    code_kk, _out, err_kk = run_cli(["--ui-lang", "kk", "check", "--root", str(tree)], capsys)
    lines = [line for line in err_kk.splitlines() if line.strip()]
    assert code_kk == code != 0 and len(lines) == len(english)
    with pytest.raises(AssertionError, match="English in the kk message"):
        for en, line in zip(english, lines):
            assert_translated(en, line, "kk")
