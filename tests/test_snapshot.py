"""regdoc.tree.snapshot: a tree whose files hold the bytes they held when it was read comes back without being read
again, for any copy of it; any change of a byte or a name, a tree with errors, a corrupt, truncated or foreign
entry, another interface language or other code finds nothing (and reading goes on as before)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from datatree import REPO, copy_tree, edit

from regdoc.errors import CheckFailed
from regdoc.i18n import using
from regdoc.tree import snapshot
from regdoc.tree.check import checked_tree
from regdoc.tree.load import load_evaluation, load_tree


def entries(folder: Path) -> list[Path]:
    return sorted((folder / "snapshots").rglob("*.pickle"))


@pytest.fixture
def no_reading(monkeypatch):
    """Make any reading of the tree fail the test (what a cache hit must not need)."""
    def read(*args, **kwargs):
        raise AssertionError("the tree was read again")

    def reading():
        monkeypatch.setattr("regdoc.tree.read.read_tree", read)
        monkeypatch.setattr("regdoc.tree.read.read_evaluation", read)  # tree.check imports them when it reads
    return reading


def test_the_same_bytes_give_the_same_tree_problems_and_evaluation_unread(tree, cache_folder, no_reading):
    first = load_tree(tree)
    evaluation = load_evaluation(tree, 2025, first)
    checked, problems = checked_tree(tree)
    assert checked == first and problems and all(p.severity == "warning" for p in problems)
    no_reading()
    assert load_tree(tree) == first and load_tree(tree).root == str(tree)
    assert load_evaluation(tree, 2025, first) == evaluation
    assert checked_tree(tree) == (first, problems)


def test_a_copy_elsewhere_is_answered_with_its_own_root(tree, tmp_path, cache_folder, no_reading):
    first = load_tree(tree)
    other = copy_tree(tmp_path / "elsewhere")
    no_reading()
    second = load_tree(other)
    assert second == _rooted(first, other) and second.root == str(other)


def _rooted(tree, root):
    import dataclasses
    return dataclasses.replace(tree, root=str(root))


@pytest.mark.parametrize("change", [
    lambda t: edit(t / "resolutions/registry.yaml", "numbering: per_year", "numbering: per_year "),
    lambda t: (t / "resolutions/notes.txt").write_text("a file regdoc does not read is in the key too"),
    lambda t: (t / "evaluations/2025/reports-draft.csv").write_text(""),
    lambda t: (t / "organisations/empty").mkdir(),
    lambda t: os.rename(t / "regulation/versions/2026-02-20.yaml", t / "regulation/versions/2026-02-21.yaml"),
], ids=["a-byte", "a-new-file", "a-new-file-beside-reports", "a-new-folder", "a-renamed-file"])
def test_any_change_under_the_data_folders_finds_nothing(tree, cache_folder, change):
    load_tree(tree)
    checked_tree(tree)
    before = snapshot.listing(tree)
    change(tree)
    after = snapshot.listing(tree)
    assert after != before
    for kind in ("tree", "check", "problems"):
        assert snapshot.lookup(kind, tree, after)[0] is None


def test_a_changed_file_is_read_again_and_its_error_found_every_time(tree, cache_folder):
    load_tree(tree)
    line = edit(tree / "resolutions/registry.yaml", "numbering: per_year", "numbering: yearly")
    for _ in range(2):
        with pytest.raises(CheckFailed) as caught:
            load_tree(tree)
        assert [(p.file, p.line) for p in caught.value.problems] == [("resolutions/registry.yaml", line)]
        assert [p.file for p in checked_tree(tree)[1] if p.severity == "error"] == ["resolutions/registry.yaml"]
    files = snapshot.listing(tree)
    assert all(snapshot.lookup(kind, tree, files)[0] is None for kind in ("tree", "check", "problems"))
    edit(tree / "resolutions/registry.yaml", "numbering: yearly", "numbering: per_year")
    assert load_tree(tree) is not None


def test_a_changed_reports_file_gives_a_new_evaluation(tree, cache_folder):
    evaluation = load_evaluation(tree, 2025)
    edit(tree / "evaluations/2025/evaluation.yaml", "    legal.returned_funds: 80161.75",
         "    legal.returned_funds: 80161.5")
    changed = load_evaluation(tree, 2025)
    assert changed != evaluation
    assert load_evaluation(tree, 2025) == changed


@pytest.mark.parametrize("spoil", [
    lambda p: p.write_bytes(b"\x00garbage"),
    lambda p: p.write_bytes(p.read_bytes()[:-10]),  # truncated
    lambda p: p.write_bytes(p.read_bytes()[:40] + bytes([p.read_bytes()[40] ^ 1]) + p.read_bytes()[41:]),
    lambda p: p.write_bytes(b""),
], ids=["corrupt", "truncated", "one-bit", "empty"])
def test_a_corrupt_entry_is_ignored_and_replaced(tree, cache_folder, spoil, no_reading):
    expected = load_tree(tree)
    (path,) = entries(cache_folder)
    spoil(path)
    assert load_tree(tree) == expected  # read again
    no_reading()
    assert load_tree(tree) == expected  # from the entry written again


def test_an_entry_of_another_secret_is_ignored(tree, cache_folder):
    """An entry copied from another account or machine (signed with its own secret) is never unpickled."""
    expected = load_tree(tree)
    (cache_folder / "snapshots" / "secret").write_bytes(b"x" * snapshot.SECRET_BYTES)
    files = snapshot.listing(tree)
    assert snapshot.lookup("tree", tree, files)[0] is None
    assert load_tree(tree) == expected


def test_an_authentic_entry_still_loads_model_values_alone(tree, cache_folder):
    files = snapshot.listing(tree)
    snapshot.store("tree", files, (os.system, ()), {})  # stored by regdoc's own key: not a model value
    assert snapshot.lookup("tree", tree, files)[0] is None


def test_other_code_or_another_language_finds_nothing(tree, cache_folder, monkeypatch):
    checked_tree(tree)
    files = snapshot.listing(tree)
    assert snapshot.lookup("problems", tree, files)[0] is not None
    with using("kk"):
        assert snapshot.lookup("problems", tree, files)[0] is None
        kazakh = checked_tree(tree)[1]
        assert snapshot.lookup("problems", tree, files)[0] == tuple(kazakh)
    assert [str(p) for p in kazakh] != [str(p) for p in snapshot.lookup("problems", tree, files)[0]]
    monkeypatch.setattr(snapshot, "code_digest", lambda: b"other code")
    assert snapshot.lookup("problems", tree, files)[0] is None


def test_a_link_in_the_data_folders_is_not_cached(tree, cache_folder):
    (tree / "resolutions" / "link.txt").symlink_to(tree / "regulation" / "regulation.yaml")
    assert snapshot.listing(tree) is None
    load_tree(tree)
    assert entries(cache_folder) == []


def test_a_file_read_from_other_bytes_than_the_listing_is_not_stored(tree, cache_folder):
    files = snapshot.listing(tree)
    snapshot.store("tree", files, ("value",), {"regulation/regulation.yaml": "0" * 64})
    snapshot.store("tree", files, ("value",), {"elsewhere/file.yaml": files["regulation/regulation.yaml"]})
    assert entries(cache_folder) == []


def test_the_secret_is_the_owner_s_alone(tree, cache_folder):
    load_tree(tree)
    assert (cache_folder / "snapshots" / "secret").stat().st_mode & 0o077 == 0


def test_check_with_a_warm_cache_imports_neither_the_model_nor_yaml(tree, cache_folder):
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    code = ("import sys; from regdoc.cli import main; code = main(['check', '--root', sys.argv[1]]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jsonschema', 'yaml') "
            "or m in ('regdoc.data.model', 'regdoc.tree.check')))")
    cold = subprocess.run([sys.executable, "-c", code, str(tree)], capture_output=True, text=True, env=env)
    warm = subprocess.run([sys.executable, "-c", code, str(tree)], capture_output=True, text=True, env=env)
    assert "jsonschema" in cold.stdout
    assert warm.stdout.strip().splitlines()[-1] == "[]", warm.stdout + warm.stderr
    assert warm.stdout.splitlines()[:-1] == cold.stdout.splitlines()[:-1]  # the same report


def test_an_entry_is_unpickled_with_the_collector_paused(tree, cache_folder, monkeypatch):
    """Everything an entry holds lives on: no cyclic garbage collection runs while it is unpickled
    (regdoc.collector), and the collector is on again afterwards."""
    import gc

    first = load_tree(tree)
    seen = []
    load = snapshot._Unpickler.load

    def watched(self):
        seen.append(gc.isenabled())
        return load(self)

    monkeypatch.setattr(snapshot._Unpickler, "load", watched)
    assert gc.isenabled()
    assert load_tree(tree) == first
    assert seen == [False] and gc.isenabled()
