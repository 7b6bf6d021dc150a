"""Creating resolutions: the next free number, exclusive creation, concurrent writers, paths that try to leave
the data tree, and a data tree that cannot be written."""
from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import nullcontext
from datetime import date
from pathlib import Path

import pytest
import yaml
from registry_support import SHIPPED, copy_tree, finished, rid, set_numbering, snapshot, write_resolution

from regdoc import cli
from regdoc.errors import CheckFailed, RegdocError
from regdoc.registry.numbering import is_draft
from regdoc.tree import assign as assign_module
from regdoc.tree.assign import assign_resolution, resolution_path
from regdoc.tree.check import check_tree

SRC = str(SHIPPED / "src")


def new_files(before: dict, after: dict) -> list[str]:
    return sorted(set(after) - set(before))


def assert_valid(root: Path) -> None:
    errors = [str(p) for p in check_tree(root) if p.severity == "error"]
    assert errors == []


# ----- the library call -------------------------------------------------------------------------------------

def test_assign_creates_the_skeleton_with_the_next_item(tmp_path):
    root = copy_tree(tmp_path)
    before = snapshot(root)
    assigned = assign_resolution(root, date(2026, 2, 20))
    assert assigned.id == rid("2026-02-20/9/8")
    assert assigned.path == root / "resolutions" / "2026" / "2026-02-20-9-8.yaml"
    assert new_files(before, snapshot(root)) == ["resolutions/2026/2026-02-20-9-8.yaml"]
    assert snapshot(root)["resolutions/2026/2026-02-20-9-7.yaml"] == before["resolutions/2026/2026-02-20-9-7.yaml"]
    assert_valid(root)
    from regdoc.tree.load import load_tree

    assert is_draft(load_tree(root).resolution(assigned.id))


def test_assign_takes_the_item_asked_for_and_the_next_free_one_after_it(tmp_path):
    """Item 5 of a new meeting without four throwaway drafts; the items before it stay gaps (other matters)."""
    root = copy_tree(tmp_path)
    before = snapshot(root)
    assert assign_resolution(root, date(2027, 2, 12), meeting=3, item=5).id == rid("2027-02-12/3/5")
    assert assign_resolution(root, date(2027, 2, 12)).id == rid("2027-02-12/3/6")
    assert assign_resolution(root, date(2027, 2, 12), item=2).id == rid("2027-02-12/3/2")
    assert new_files(before, snapshot(root)) == ["resolutions/2027/", "resolutions/2027/2027-02-12-3-2.yaml",
                                                 "resolutions/2027/2027-02-12-3-5.yaml",
                                                 "resolutions/2027/2027-02-12-3-6.yaml"]
    assert_valid(root)


def test_assign_refuses_an_item_already_taken_and_names_the_next_free_one(tmp_path):
    root = copy_tree(tmp_path)
    before = snapshot(root)
    with pytest.raises(RegdocError) as err:
        assign_resolution(root, date(2026, 2, 20), item=7)
    assert str(err.value) == ("--item 7: meeting No 9 already has a resolution of item 7; the next free item is 8")
    assert snapshot(root) == before


def test_resolution_new_item_through_the_cli(tmp_path, capsys):
    root = copy_tree(tmp_path)
    assert cli.main(["--ui-lang", "en", "resolution", "new", "--root", str(root), "--date", "2027-02-12",
                     "--meeting", "3", "--item", "5"]) == 0
    assert capsys.readouterr().out.startswith("2027-02-12/3/5 ")
    assert cli.main(["--ui-lang", "en", "resolution", "new", "--root", str(root), "--date", "2027-02-12",
                     "--item", "0"]) == 1
    assert "--item '0' is not a number from 1 to 9999" in capsys.readouterr().err


def test_assign_a_new_year_creates_its_folder(tmp_path):
    root = copy_tree(tmp_path)
    assigned = assign_resolution(root, date(2027, 1, 15), title={"kk": "Жаңа жыл", "ru": "Новый год"})
    assert assigned.id == rid("2027-01-15/1/1") and assigned.plan.new_meeting
    text = (root / "resolutions" / "2027" / "2027-01-15-1-1.yaml").read_text(encoding="utf-8")
    assert "kk: Жаңа жыл" in text and "ru: Новый год" in text
    assert_valid(root)


def test_assign_follows_continuous_numbering(tmp_path):
    root = copy_tree(tmp_path)
    set_numbering(root, "continuous")
    assert assign_resolution(root, date(2027, 1, 15)).id == rid("2027-01-15/10/1")


def test_assign_refuses_without_a_declared_numbering(tmp_path):
    root = copy_tree(tmp_path)
    (root / "resolutions" / "registry.yaml").unlink()
    before = snapshot(root)
    with pytest.raises(RegdocError, match="numbering period is not declared") as err:
        assign_resolution(root, date(2026, 3, 1))
    assert err.value.file == "resolutions/registry.yaml"
    assert snapshot(root) == before


def test_assign_refuses_a_registry_that_breaks_the_rules(tmp_path):
    root = copy_tree(tmp_path)
    write_resolution(root, "2026-02-21/9/8")  # meeting 9 on a second date
    before = snapshot(root)
    with pytest.raises(CheckFailed) as err:
        assign_resolution(root, date(2026, 3, 1))
    assert "a meeting is held on one date" in err.value.problems[0].message
    assert snapshot(root) == before


def test_assign_refuses_an_unreadable_resolution(tmp_path):
    root = copy_tree(tmp_path)
    (root / "resolutions" / "2026" / "2026-03-01-10-1.yaml").write_text("id: [", encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(CheckFailed) as err:
        assign_resolution(root, date(2026, 3, 1))
    assert err.value.problems[0].file == "resolutions/2026/2026-03-01-10-1.yaml"
    assert snapshot(root) == before


def test_a_file_name_claims_its_number_even_when_misnamed(tmp_path):
    root = copy_tree(tmp_path)
    # item 8's file holds item 20 (check calls it misnamed); neither 8 nor 20 may be given again
    write_resolution(root, "2026-02-20/9/20", name="2026-02-20-9-8.yaml")
    assert assign_resolution(root, date(2026, 2, 20)).id == rid("2026-02-20/9/21")


def test_a_writer_outside_the_lock_that_wins_the_name_is_never_overwritten(tmp_path, monkeypatch):
    root = copy_tree(tmp_path)
    real = assign_module.create_exclusive
    intruder = finished("2026-02-20/9/8", title="Бөтен жазушы")
    calls = []

    def racing(path, data):
        if not calls:  # another writer takes the very name between planning and creating
            path.write_text(yaml.safe_dump(intruder, allow_unicode=True), encoding="utf-8")
        calls.append(path.name)
        return real(path, data)

    monkeypatch.setattr(assign_module, "create_exclusive", racing)
    assigned = assign_resolution(root, date(2026, 2, 20))
    assert calls == ["2026-02-20-9-8.yaml", "2026-02-20-9-9.yaml"]
    assert assigned.id == rid("2026-02-20/9/9")
    assert yaml.safe_load((root / "resolutions/2026/2026-02-20-9-8.yaml").read_text("utf-8")) == intruder
    assert not list(root.rglob("*.tmp"))


# ----- concurrent writers -----------------------------------------------------------------------------------

def _worker(root: str, when: str, meeting, barrier, results) -> None:
    barrier.wait()
    try:
        assigned = assign_resolution(Path(root), date.fromisoformat(when), meeting)
        results.put(("ok", str(assigned.id), str(assigned.path)))
    except RegdocError as err:
        results.put(("refused", str(err), ""))
    except BaseException as exc:  # noqa: BLE001 - any other exception is a bug the test must show
        results.put(("bug", repr(exc), ""))


def run_together(jobs: list[tuple[str, int | None]], root: Path) -> list[tuple[str, str, str]]:
    """Return the outcomes of one process per job, all released at the same moment by a barrier."""
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(len(jobs)), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(str(root), when, meeting, barrier, results)) for when, meeting in jobs]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    return outcomes


def check_outcomes(root: Path, before: dict, outcomes) -> list[str]:
    assert [o for o in outcomes if o[0] == "bug"] == []
    made = [o[1] for o in outcomes if o[0] == "ok"]
    assert len(made) == len(set(made)), "the same number was given twice"
    created = new_files(before, snapshot(root))
    assert len(created) == len(made), "a file was lost, or one was written without being reported"
    for text in made:
        path = resolution_path(root, rid(text))
        assert yaml.safe_load(path.read_text("utf-8"))["id"] == text
    for rel, content in before.items():
        assert snapshot(root)[rel] == content, f"{rel} was changed"
    assert not list(root.rglob("*.tmp"))
    assert_valid(root)
    return made


def test_processes_for_one_meeting_at_once_get_distinct_items(tmp_path):
    root = copy_tree(tmp_path)
    before = snapshot(root)
    outcomes = run_together([("2026-02-20", None)] * 8, root)
    made = check_outcomes(root, before, outcomes)
    assert sorted(made, key=lambda t: rid(t).item) == [f"2026-02-20/9/{i}" for i in range(8, 16)]


def test_without_the_lock_exclusive_creation_alone_keeps_numbers_distinct(tmp_path, monkeypatch):
    # as if the writers ran where there is no folder lock: only the exclusive link protects the numbers
    monkeypatch.setattr(assign_module, "folder_lock", lambda folder: nullcontext())
    root = copy_tree(tmp_path)
    before = snapshot(root)
    outcomes = run_together([("2026-02-20", None)] * 8, root)
    made = check_outcomes(root, before, outcomes)
    assert len(made) + sum(o[0] == "refused" for o in outcomes) == 8
    assert all(rid(t).meeting == 9 for t in made)


def test_processes_for_new_dates_at_once_keep_the_meeting_rules(tmp_path):
    root = copy_tree(tmp_path)
    before = snapshot(root)
    outcomes = run_together([("2026-03-05", None), ("2026-03-10", None)] * 3, root)
    made = check_outcomes(root, before, outcomes)  # check_tree: one date per meeting, numbers in date order
    # whichever date is served first takes No 10; when 10.03 comes first, 05.03 has no number left between
    # No 9 (20.02) and No 10 (10.03), and its writers are refused, each with the reason
    refusals = [o[1] for o in outcomes if o[0] == "refused"]
    assert len(made) + len(refusals) == 6
    assert all("no meeting number fits 2026-03-05" in r for r in refusals)
    meetings = {t[:10]: {rid(x).meeting for x in made if x.startswith(t[:10])} for t in made}
    if "2026-03-05" in meetings:
        assert meetings == {"2026-03-05": {10}, "2026-03-10": {11}} and len(made) == 6
    else:
        assert meetings == {"2026-03-10": {10}} and len(made) == 3


def test_two_dates_asking_for_one_meeting_number_at_once_one_is_refused(tmp_path):
    root = copy_tree(tmp_path)
    before = snapshot(root)
    outcomes = run_together([("2026-03-05", 10), ("2026-03-06", 10)], root)
    made = check_outcomes(root, before, outcomes)
    [refusal] = [o[1] for o in outcomes if o[0] == "refused"]
    assert len(made) == 1 and "meeting No 10 was held on" in refusal


def test_cli_processes_started_together_get_distinct_items(tmp_path):
    root = copy_tree(tmp_path)
    before = snapshot(root)
    env = dict(os.environ, PYTHONPATH=SRC)
    procs = [subprocess.Popen([sys.executable, "-m", "regdoc", "resolution", "new", "--root", str(root),
                               "--date", "2026-02-20"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env) for _ in range(6)]
    outcomes = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert "Traceback" not in err
        if p.returncode == 0:
            number, path = out.split()
            assert Path(path) == resolution_path(root, rid(number))
            outcomes.append(("ok", number, path))
        else:
            assert p.returncode == 1 and err.startswith("regdoc:") and len(err.strip().splitlines()) == 1
            outcomes.append(("refused", err, ""))
    made = check_outcomes(root, before, outcomes)
    assert len(made) == 6


# ----- paths that try to leave the data tree ----------------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["--date", "../../2026-02-20"], ["--date", "2026-02-20/../../etc"], ["--date", "/etc/passwd"],
    ["--date", "2026-02-20/9/7"], ["--date", "..%2F..%2Fx"], ["--date", "2026-02-20", "--meeting", "../9"],
    ["--date", "2026-02-20", "--meeting", "9/../../x"], ["--date", "2026-02-20", "--meeting", "/9"],
    ["--date", "2026-02-20", "--meeting", "-9"],
])
def test_traversal_in_arguments_is_refused_and_nothing_is_written(tmp_path, argv, capsys):
    root = copy_tree(tmp_path / "tree")
    before = snapshot(tmp_path)
    assert cli.main(["resolution", "new", "--root", str(root), *argv]) == 1
    err = capsys.readouterr().err
    assert err.startswith("regdoc: error: --") and "is not a" in err and len(err.splitlines()) == 1
    assert snapshot(tmp_path) == before


def test_a_title_that_looks_like_a_path_is_only_text(tmp_path):
    root = copy_tree(tmp_path / "tree")
    before = snapshot(tmp_path)
    title = "../../../etc/passwd"
    assigned = assign_resolution(root, date(2026, 2, 20), title={"kk": title, "ru": "/etc/shadow"})
    assert new_files(before, snapshot(tmp_path)) == ["tree/resolutions/2026/2026-02-20-9-8.yaml"]
    data = yaml.safe_load(assigned.path.read_text("utf-8"))
    assert data["title"] == {"kk": title, "ru": "/etc/shadow"}


def test_a_year_folder_linked_outside_is_refused(tmp_path):
    root = copy_tree(tmp_path / "tree")
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "resolutions" / "2027").symlink_to(outside, target_is_directory=True)
    before = snapshot(tmp_path)
    with pytest.raises(RegdocError, match="is not a folder of the data tree") as err:
        assign_resolution(root, date(2027, 1, 15))
    assert err.value.file == "resolutions/2027"
    assert snapshot(tmp_path) == before and list(outside.iterdir()) == []


def test_a_dangling_link_at_the_planned_name_is_refused(tmp_path):
    root = copy_tree(tmp_path / "tree")
    (root / "resolutions" / "2026" / "2026-02-20-9-8.yaml").symlink_to(tmp_path / "nowhere.yaml")
    before = snapshot(tmp_path)
    with pytest.raises(CheckFailed) as err:
        assign_resolution(root, date(2026, 2, 20))
    assert "outside resolutions/" in err.value.problems[0].message
    assert snapshot(tmp_path) == before and not (tmp_path / "nowhere.yaml").exists()


def test_a_root_without_resolutions_is_refused(tmp_path):
    with pytest.raises(RegdocError, match="no resolutions/ folder here"):
        assign_resolution(tmp_path, date(2026, 2, 20))
    assert list(tmp_path.iterdir()) == []


# ----- a data tree that cannot be written -------------------------------------------------------------------
# Tests run as root, and root writes into a folder whatever its mode (chmod 555 changes nothing for root, and
# os.access says W_OK). So a read-only tree is made real in three ways: a read-only bind mount in a private
# mount namespace (EROFS, holds for root), the same tree written by an unprivileged user after chmod (EACCES),
# and a file standing where a folder must be created (holds for anyone).

def test_a_file_where_the_year_folder_must_be(tmp_path):
    root = copy_tree(tmp_path)
    (root / "resolutions" / "2027").write_text("not a folder", encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(RegdocError, match="is not a folder of the data tree") as err:
        assign_resolution(root, date(2027, 1, 15))
    assert err.value.file == "resolutions/2027"
    assert snapshot(root) == before


def _readonly_mount_works(folder: Path) -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c",
                            'mount --bind -o ro "$1" "$1" 2>/dev/null || exit 97; '
                            'touch "$1/probe" 2>/dev/null && exit 98; exit 0', "sh", str(folder)],
                           capture_output=True)
    return probe.returncode == 0


def test_a_read_only_mount(tmp_path):
    root = copy_tree(tmp_path / "tree")
    if not _readonly_mount_works(root):
        pytest.skip("no private read-only bind mount here (needs unshare and CAP_SYS_ADMIN)")
    before = snapshot(tmp_path)
    script = 'mount --bind -o ro "$1" "$1" || exit 97; shift; exec "$@"'
    run = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", str(root), sys.executable, "-m", "regdoc",
                          "resolution", "new", "--root", str(root), "--date", "2026-02-20"],
                         capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=SRC))
    assert run.returncode == 1, run.stderr
    assert run.stdout == ""
    assert run.stderr == ("regdoc: error: resolutions/2026/2026-02-20-9-8.yaml: cannot create the file: Read-only "
                          "file system (the data tree is read-only here: nothing was written)\n")
    assert snapshot(tmp_path) == before


def _as_unprivileged(argv: list[str]) -> tuple[int, str]:
    """Return the exit code and output of `regdoc argv` run in a child that dropped root (or as is, not root)."""
    # everything the command imports must be loaded before the child loses the right to read it
    import regdoc.cli.resolution
    from regdoc.data.schemas import _validator

    _validator("resolution"), _validator("registry")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 99
        try:
            os.close(read)
            out = os.fdopen(write, "w")
            sys.stdout = sys.stderr = out
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            code = cli.main(argv)
            out.flush()
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as pipe:
        output = pipe.read()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output


def test_a_folder_without_write_permission(tmp_path):
    top = Path(tempfile.mkdtemp(prefix="regdoc-ro-"))  # not under pytest's 0700 folder: the user must reach it
    try:
        top.chmod(0o755)
        root = copy_tree(top / "tree")
        for path in [root / "resolutions", *(root / "resolutions").rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        before = snapshot(top)
        code, output = _as_unprivileged(["resolution", "new", "--root", str(root), "--date", "2026-02-20"])
        assert code == 1, output
        assert output == ("regdoc: error: resolutions/2026/2026-02-20-9-8.yaml: cannot create the file: Permission "
                          "denied (the data tree is read-only here: nothing was written)\n")
        assert snapshot(top) == before
    finally:
        for path in top.rglob("*"):
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(top)
