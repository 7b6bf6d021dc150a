"""regdoc.tree.cache: a data file read before with the same bytes is neither parsed nor validated again; a change
to the file, a corrupt or foreign entry, or another regdoc version finds nothing; problems are still found."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from datatree import REPO, edit

from regdoc.data import schemas
from regdoc.files.read import Source
from regdoc.tree import cache
from regdoc.tree.check import check_tree
from regdoc.tree.load import load_evaluation, load_tree
from regdoc.tree.read import forget_models


def source(raw: bytes) -> Source:
    return Source(raw, hashlib.sha256(raw).hexdigest())


def entries(folder: Path) -> list[Path]:
    return sorted((folder / "documents").rglob("*.json"))


def test_a_second_load_uses_the_cache_and_gives_the_same_tree(tree, cache_folder, monkeypatch):
    first = load_tree(tree)
    evaluation = load_evaluation(tree, 2025, first)
    assert len(entries(cache_folder)) == 7  # regulation, 2 versions, organisations, resolution, registry, evaluation

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr("regdoc.tree.read.parse_document", no_parse)
    monkeypatch.setattr("regdoc.tree.read.validate", no_parse)
    second = load_tree(tree)
    assert second == first
    assert load_evaluation(tree, 2025, second) == evaluation


def test_a_changed_file_is_read_and_validated_again(tree, cache_folder):
    load_tree(tree)
    line = edit(tree / "resolutions/registry.yaml", "numbering: per_year", "numbering: yearly")
    problems = check_tree(tree)
    assert [(p.file, p.line, p.severity) for p in problems if p.severity == "error"] == [
        ("resolutions/registry.yaml", line, "error")]
    edit(tree / "resolutions/registry.yaml", "numbering: yearly", "numbering: per_year")
    assert not [p for p in check_tree(tree) if p.severity == "error"]


def test_an_invalid_file_is_never_cached_and_its_problems_are_found_each_time(tree, cache_folder):
    edit(tree / "resolutions/registry.yaml", "numbering: per_year", "numbering: yearly")
    for _ in range(2):
        assert [p.file for p in check_tree(tree) if p.severity == "error"] == ["resolutions/registry.yaml"]
    raw = (tree / "resolutions/registry.yaml").read_bytes()
    assert not cache._path(cache_folder, cache.key_of(source(raw))).exists()


@pytest.mark.parametrize("spoil", [
    lambda p: p.write_bytes(b"\x00garbage"),
    lambda p: p.write_text("[]"),
    lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "key": "0" * 64})),  # another file's entry
    lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "format": 0})),
    lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "lines": 5})),
], ids=["corrupt", "not-a-mapping", "foreign-key", "other-format", "malformed"])
def test_a_corrupt_or_foreign_entry_is_ignored_and_replaced(tree, cache_folder, spoil):
    expected = load_tree(tree)
    for path in entries(cache_folder):
        spoil(path)
    shutil.rmtree(cache_folder / "snapshots")  # the whole-tree cache (regdoc.tree.snapshot) would answer first
    forget_models()  # and so would this process's models of the same bytes (regdoc.tree.read): a new process
    assert load_tree(tree) == expected
    for path in entries(cache_folder):  # rewritten whole
        assert json.loads(path.read_text())["format"] == cache.FORMAT


def test_another_regdoc_version_or_schema_finds_nothing(tree, monkeypatch):
    raw = source((tree / "resolutions/registry.yaml").read_bytes())
    key = cache.key_of(raw)
    real = schemas.schema_text
    for change in (lambda: monkeypatch.setattr("regdoc.__version__", "99.0"),
                   lambda: monkeypatch.setattr(schemas, "schema_text",
                                               lambda kind: real(kind) + (" " if kind == "registry" else ""))):
        change()
        cache._salt.cache_clear()
        try:
            assert cache.key_of(raw) != key
        finally:
            monkeypatch.undo()
            cache._salt.cache_clear()
    assert cache.key_of(raw) == key


def test_the_cache_can_be_turned_off_and_an_unwritable_folder_is_no_error(tree, tmp_path, monkeypatch):
    monkeypatch.setenv("REGDOC_CACHE", "off")
    monkeypatch.setenv("REGDOC_CACHE_DIR", str(tmp_path / "c"))
    load_tree(tree)
    assert not (tmp_path / "c").exists()
    monkeypatch.delenv("REGDOC_CACHE")
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("REGDOC_CACHE_DIR", str(tmp_path / "file"))  # a file where the folder should be
    assert load_tree(tree) is not None


def test_the_cache_lives_outside_the_data_tree(tree, monkeypatch, tmp_path):
    monkeypatch.delenv("REGDOC_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    before = sorted(p for p in tree.rglob("*"))
    load_tree(tree)
    assert sorted(p for p in tree.rglob("*")) == before
    assert entries(tmp_path / "xdg" / "regdoc")


def test_check_with_a_warm_cache_imports_no_jsonschema(tree, cache_folder):
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    code = ("import sys; from regdoc.cli import main; code = main(['check', '--root', sys.argv[1]]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jsonschema', 'referencing')))")
    cold = subprocess.run([sys.executable, "-c", code, str(tree)], capture_output=True, text=True, env=env)
    warm = subprocess.run([sys.executable, "-c", code, str(tree)], capture_output=True, text=True, env=env)
    assert "jsonschema" in cold.stdout
    assert warm.stdout.strip().splitlines()[-1] == "[]", warm.stdout + warm.stderr


def test_a_tree_read_again_after_one_file_changed_parses_and_validates_that_file_alone(tree, cache_folder,
                                                                                       monkeypatch):
    """regdoc.tree.read keeps the model each file's bytes gave without a problem: reading the tree again after
    one file changed (the workspace after an edit, `check` of a failing tree) parses and validates that file
    alone, and gives the tree a first reading gives; a file with a problem is parsed and reported every time; a
    lower bound forgets the models, and with the cache off none is kept."""
    from regdoc.tree import read

    forget_models()
    first = load_tree(tree)
    parsed, validated = [], []
    with monkeypatch.context() as patched:
        real_parse, real_validate = read.parse_document, read.validate
        patched.setattr(read, "parse_document", lambda raw, shown: parsed.append(shown) or real_parse(raw, shown))
        patched.setattr(read, "validate", lambda doc, kind: validated.append(kind) or real_validate(doc, kind))
        patched.setattr(cache, "load", lambda source, shown: (None, cache.Entry(cache.key_of(source))))  # no entry
        edit(tree / "resolutions/registry.yaml", "numbering: per_year", "numbering:   per_year")
        assert load_tree(tree) == first and parsed == ["resolutions/registry.yaml"] and validated == ["registry"]
        line = edit(tree / "resolutions/registry.yaml", "numbering:   per_year", "numbering: yearly")
        for _ in range(2):
            assert [(p.file, p.line) for p in check_tree(tree) if p.severity == "error"] == [
                ("resolutions/registry.yaml", line)]
        assert parsed[1:] == ["resolutions/registry.yaml"] * 2  # (a tree with an error: its evaluation is not read)
        parsed.clear()
        patched.setattr(read, "KEPT_MODEL_BYTES", 1000)  # the initial edition's bytes alone are more
        edit(tree / "resolutions/registry.yaml", "numbering: yearly", "numbering:  per_year")  # bytes not read before
        assert load_tree(tree) == first and "regulation/versions/2023-03-01.yaml" in parsed
    forget_models()
    monkeypatch.setenv("REGDOC_CACHE", "off")
    edit(tree / "resolutions/registry.yaml", "numbering:  per_year", "numbering: per_year ")
    assert load_tree(tree) == first and not read._models
