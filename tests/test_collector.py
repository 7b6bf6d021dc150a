"""regdoc.collector: the cyclic garbage collector paused while lasting objects are made, and frozen afterwards
only in a process that is one regdoc command."""
from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from regdoc import collector
from regdoc.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    gc.enable() if was else gc.disable()


def test_lasting_pauses_the_collector_and_gives_it_back(collector_on):
    with collector.lasting():
        assert not gc.isenabled()
        with collector.lasting():  # nested: still off, and the outer block turns it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_lasting_gives_the_collector_back_when_the_block_fails(collector_on):
    with pytest.raises(ZeroDivisionError):
        with collector.lasting():
            1 / 0
    assert gc.isenabled()


def test_lasting_leaves_a_collector_turned_off_off(collector_on):
    gc.disable()
    with collector.lasting():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_lasting_freezes_nothing_outside_a_command(collector_on, monkeypatch):
    monkeypatch.setattr(collector, "_short_lived", False)
    with collector.lasting():
        kept = [[i] for i in range(1000)]
    # none of them was frozen: the collector still sees each (gc.get_objects leaves out what is frozen). (The count
    # of frozen objects may go down meanwhile: the test process freezes what it holds once its tests are collected,
    # tests/conftest.py, and some of that is freed.)
    seen = {id(o) for o in gc.get_objects()}
    assert len(kept) == 1000 and all(id(k) in seen for k in kept)


def test_main_called_by_a_program_does_not_freeze(capsys):
    """Tests and other programs call main(): their process goes on, so nothing is frozen for them."""
    before = gc.get_freeze_count()
    assert main(["--ui-lang", "en", "check", "--root", str(ROOT)]) == 0
    # a freeze would add everything the process holds (the tree just read among it); the count may go down, as
    # some of what the test process froze once its tests were collected (tests/conftest.py) is freed
    assert gc.get_freeze_count() <= before
    assert not collector._short_lived


def test_serve_is_the_one_long_lived_command():
    parser = build_parser()
    assert parser.parse_args(["serve"]).long_lived is True
    for argv in (["check"], ["score", "2025"], ["build"], ["users", "add", "x", "--role", "viewer"]):
        assert getattr(parser.parse_args(argv), "long_lived", False) is False


PROBE = """
import atexit, gc, json, runpy, sys
from regdoc import collector
seen = {}
def probe():
    seen["frozen"] = gc.get_freeze_count()
    seen["short_lived"] = collector._short_lived
    seen["threshold"] = gc.get_threshold()[0]
    print(json.dumps(seen), file=sys.stderr)
atexit.register(probe)
sys.argv = ["regdoc", *sys.argv[1:]]
runpy.run_module("regdoc", run_name="__main__")
"""


def _probe(*args: str) -> tuple[int, dict]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "REGDOC_UI_LANG": "en", "REGDOC_CACHE": "off",
                               "HOME": str(ROOT), "PYTHONPATH": str(ROOT / "src")})
    return done.returncode, json.loads(done.stderr.strip().splitlines()[-1])


def test_a_command_line_process_freezes_what_lives_until_it_ends():
    code, seen = _probe("score", "2025")
    assert code == 0
    assert seen["short_lived"] is True and seen["frozen"] > 10_000  # the imports' objects at least
    assert seen["threshold"] == collector.YOUNG


def test_a_usage_error_ends_before_anything_is_frozen():
    code, seen = _probe("score")  # no year: argparse refuses before the command runs
    assert code == 2
    assert seen == {"frozen": 0, "short_lived": False, "threshold": 700}


def test_the_results_context_is_made_with_the_collector_paused(collector_on, monkeypatch):
    """A results document's context (a row of texts per organisation) lives until the document is written."""
    from regdoc.documents import results

    seen = []
    monkeypatch.setattr(results, "_context", lambda *args: seen.append(gc.isenabled()) or {"rows": []})
    assert results.results_context(None, None, "kk") == {"rows": []}
    assert seen == [False] and gc.isenabled()


@pytest.mark.parametrize("reader, inner", [("read_tree", "_read_tree"), ("read_evaluation", "_read_evaluation")])
def test_a_tree_and_an_evaluation_are_read_with_the_collector_paused(collector_on, monkeypatch, reader, inner):
    """Reading the files into the model (when no cached tree serves) makes what lives on as well."""
    from regdoc.tree import read

    seen = []
    monkeypatch.setattr(read, inner, lambda *args: seen.append(gc.isenabled()))
    getattr(read, reader)(*([None] * (1 if reader == "read_tree" else 3)))
    assert seen == [False] and gc.isenabled()


def test_a_command_collects_its_youngest_objects_less_often(monkeypatch):
    monkeypatch.setattr(collector, "_short_lived", False)
    before = gc.get_threshold()
    try:
        collector.short_lived()
        assert gc.get_threshold() == (collector.YOUNG, *before[1:])
    finally:  # what short_lived froze stays so: the test process freezes what it holds anyway (tests/conftest.py)
        gc.set_threshold(*before)
