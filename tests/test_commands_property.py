"""Whatever `check` accepts, every command handles (issue 12): over amendments generated against the shipped
Regulation (insertions numbered 4.3-1, 4-1, 3.2.1-1 or placed as first sub-units, new wordings, deletions, words
replaced, criteria changed), each command that reads the amendment ends with exit 0 or 1, never 70."""
from __future__ import annotations

import itertools
import tempfile
from datetime import date
from pathlib import Path

from comparison_support import write_amendment
from datatree import copy_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from versioning_strategies import draw_op

from regdoc.cli import main
from regdoc.data import model as m
from regdoc.tree.load import load_tree
from regdoc.versioning.amend import apply, edition_at

DAY = date(2027, 3, 1)


def text(value: m.Text) -> dict:
    return {"kk": value.kk, "ru": value.ru}


def as_yaml(op: m.Op) -> dict:
    """Return an operation as the amendment file writes it."""
    out: dict = {"op": op.op, "target": op.target}
    if op.op == "insert":
        out.update(after=op.after, kind=op.kind)
    if op.text is not None:
        out["text"] = text(op.text)
    if op.op == "replace_words":
        out.update(old=text(op.old), new=text(op.new))
        if op.occurrence is not None:
            out["occurrence"] = op.occurrence
    if op.rule is not None:
        out["rule"] = {"kind": op.rule.kind, "points": op.rule.points}
    return out


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_what_check_accepts_every_command_handles(data, capsys):
    shipped = load_tree(Path(__file__).resolve().parents[1])
    edition = edition_at(shipped.initial, shipped.amendments, DAY)
    counter = itertools.count()
    ops: list[m.Op] = []
    for _ in range(data.draw(st.integers(1, 4))):
        op = draw_op(data, edition, counter)
        edition = apply(edition, m.Amendment("x", m.ResolutionId(DAY, 3, 2), DAY, "sample", (op,)))
        ops.append(op)
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_tree(Path(tmp) / "tree")
        write_amendment(root, "2027-03-01", [as_yaml(op) for op in ops])
        r = str(root)
        checked = main(["check", "--root", r])
        assert checked in (0, 1), capsys.readouterr()
        if checked != 0:
            return
        units = sorted({op.target for op in ops if op.op != "change_indicator"})
        commands = [["regulation", "--root", r, "--as-of", "2027-03-01"],
                    ["diff", "--root", r, "2023-03-01", "2027-03-01"],
                    ["diff", "--root", r, "--format", "html", "--out", str(Path(tmp) / "d.html"), "2026-02-20",
                     "2027-03-01"],
                    ["criteria", "diff", "--root", r, "2026-02-20", "2027-03-01"],
                    ["redline", "--root", r, "--lang", "kk", "--out", str(Path(tmp) / "r.docx"), "2026-02-20",
                     "2027-03-01"],
                    ["render", "comparison", "--root", r, "--lang", "ru", "--out", tmp, "2027-03-01"],
                    ["render", "regulation", "--root", r, "--lang", "kk", "--out", tmp, "--as-of", "2027-03-01"]]
        commands += [["history", "--root", r, unit] for unit in units]
        for argv in commands:
            code = main(argv)
            assert code in (0, 1), (argv, ops, capsys.readouterr())
