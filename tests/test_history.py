"""regdoc.files.history: the commits of a data tree, each with its own author, message, files and diff, read by
two git commands whatever their number."""
from __future__ import annotations

from pathlib import Path

import pytest
from datatree import git

from regdoc.files import history

@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    (root / "regulation" / "versions").mkdir(parents=True)
    git(root, "init", "-q")
    return root


def test_each_commit_keeps_its_own_author_message_files_and_diff(repo: Path):
    (repo / "regulation" / "regulation.yaml").write_text("a: 1\n", encoding="utf-8")
    assert history.commit_files(repo, ["regulation/regulation.yaml"], "Айгүл Сәрсенова", "first\n\nbody") is not None
    odd = "2027-02-12 v 2.yaml"
    (repo / "regulation" / "versions" / odd).write_text("ops: []\n", encoding="utf-8")
    (repo / "regulation" / "regulation.yaml").write_text("a: 2\n", encoding="utf-8")
    message = "second\x1e with a record separator\x1f and a unit separator\n\nrest"
    history.commit_files(repo, ["regulation/regulation.yaml", f"regulation/versions/{odd}"], "Виктор", message)
    git(repo, "rm", "-q", f"regulation/versions/{odd}")
    git(repo, "commit", "-q", "-m", "third: removed by hand")

    third, second, first = history.log(repo)
    assert [c.author for c in (third, second, first)] == ["setup", "Виктор", "Айгүл Сәрсенова"]
    assert (first.message, second.message, third.message) == ("first\n\nbody", message, "third: removed by hand")
    assert first.files == ("regulation/regulation.yaml",)
    assert second.files == ("regulation/regulation.yaml", f"regulation/versions/{odd}")
    assert third.files == (f"regulation/versions/{odd}",)
    assert first.diff.startswith("diff --git") and "+a: 1" in first.diff and "a: 2" not in first.diff
    assert "-a: 1" in second.diff and "+a: 2" in second.diff and "+ops: []" in second.diff
    assert "-ops: []" in third.diff and "a: 2" not in third.diff
    assert all(len(c.id) == 40 and c.date[:4].isdigit() for c in (first, second, third))
    assert [c.id for c in history.log(repo, limit=2)] == [third.id, second.id]
    assert [c.diff for c in history.log(repo, with_diff=False)] == ["", "", ""]


def test_a_repository_without_commits_and_a_folder_outside_git_have_no_history(repo: Path, tmp_path: Path):
    assert history.log(repo) == ()
    outside = tmp_path / "plain"
    outside.mkdir()
    assert history.log(outside) == ()


def test_the_log_runs_the_same_git_commands_for_three_commits_as_for_one(repo: Path, monkeypatch):
    calls = []
    real = history._git
    monkeypatch.setattr(history, "_git", lambda root, args, **kw: calls.append(args[0]) or real(root, args, **kw))
    counts = []
    for n in range(3):
        (repo / "regulation" / "regulation.yaml").write_text(f"a: {n}\n", encoding="utf-8")
        history.commit_files(repo, ["regulation/regulation.yaml"], "editor", f"save {n}")
        calls.clear()
        assert len(history.log(repo)) == n + 1
        counts.append(len(calls))
    assert counts[0] == counts[1] == counts[2]
