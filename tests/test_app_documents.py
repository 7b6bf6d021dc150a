"""regdoc build (regdoc.app.documents.build): a checked build, one folder per packet, one build per folder at a
time, the manifest's digests of the bytes actually read, and Ctrl-C during `build --pdf`. Through the CLI in
subprocesses where processes matter."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from datatree import REPO, digest
from docx import Document

from regdoc.cli import main

PACKET_DIR = "out/2026-02-20-9-7"
EVALUATION = "evaluations/2025/evaluation.yaml"


def regdoc(*argv: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ if env is None else env, PYTHONPATH=str(REPO / "src"), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "regdoc", *argv], capture_output=True, text=True, env=env,
                          timeout=300, **kwargs)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def break_evaluation(tree: Path) -> None:
    path = tree / EVALUATION
    path.write_text(path.read_text(encoding="utf-8").replace("    members: 61250", "    members: many", 1),
                    encoding="utf-8")


def manifest_matches_folder(folder: Path) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {e["file"]: e["sha256"] for e in manifest["files"]}
    kept = {e["file"] for e in manifest["not_produced"] if e.get("earlier_file_kept")}
    on_disk = {name: hashlib.sha256(data).hexdigest() for name, data in files(folder).items()
               if name != "manifest.json"}
    assert set(on_disk) == set(listed) | kept, sorted(set(on_disk) ^ (set(listed) | kept))
    assert all(on_disk[name] == sha for name, sha in listed.items())
    return manifest


# ----- a checked build ----------------------------------------------------------------------------------------

def test_build_refuses_a_tree_that_check_refuses_and_writes_nothing(tree: Path, capsys):
    break_evaluation(tree)
    assert main(["check", "--root", str(tree)]) == 1
    check_errors = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert check_errors
    assert main(["build", "--root", str(tree)]) == 1
    err = capsys.readouterr().err
    for line in check_errors:
        assert line in err
    assert not (tree / "out").exists()


def test_build_force_marks_every_document_and_the_manifest_not_for_signature(tree: Path, capsys):
    break_evaluation(tree)
    assert main(["build", "--force", "--root", str(tree)]) == 1
    err = capsys.readouterr().err
    assert "--force" in err and "not for signature" in err
    folder = tree / PACKET_DIR
    manifest = manifest_matches_folder(folder)
    assert manifest["not_for_signature"] is True and manifest["check_errors"]
    docs = [name for name in files(folder) if name.endswith(".docx")]
    assert docs
    for name in docs:
        first = Document(str(folder / name)).paragraphs[0].text
        if name.endswith(".kk.docx"):
            assert first.startswith("ҚОЛ ҚОЮҒА ЖАТПАЙДЫ"), name
        elif name.endswith(".ru.docx"):
            assert first.startswith("НЕ ДЛЯ ПОДПИСИ"), name


def test_a_valid_build_is_not_marked(tree: Path):
    assert main(["build", "--root", str(tree)]) == 0
    manifest = manifest_matches_folder(tree / PACKET_DIR)
    assert "not_for_signature" not in manifest
    assert not Document(str(tree / PACKET_DIR / "resolution-2026-02-20-9-7.kk.docx")).paragraphs[0].text \
        .startswith("ҚОЛ ҚОЮҒА ЖАТПАЙДЫ")


# ----- one folder per packet ----------------------------------------------------------------------------------

def test_each_packet_has_its_folder_and_stale_files_go_only_from_it(tree: Path, shipped_build: Path):
    from registry_support import write_resolution

    shutil.copytree(shipped_build, tree / "out")  # a first build
    first = files(tree / PACKET_DIR)
    (tree / PACKET_DIR / "results-2019.kk.docx").write_bytes(b"an earlier packet's file")
    (tree / "out" / "mine.txt").write_bytes(b"not regdoc's")
    assert main(["build", "--root", str(tree)]) == 0
    assert files(tree / PACKET_DIR) == first  # the stale file is gone, the rest rebuilt identically
    manifest_matches_folder(tree / PACKET_DIR)
    write_resolution(tree, "2026-03-05/10/1")
    assert main(["build", "--root", str(tree)]) == 0
    assert files(tree / PACKET_DIR) == first  # the earlier resolution's packet stays as it was
    manifest_matches_folder(tree / "out/2026-03-05-10-1")
    assert (tree / "out" / "mine.txt").read_bytes() == b"not regdoc's"
    assert sorted(p.name for p in (tree / "out").iterdir()) == ["2026-02-20-9-7", "2026-03-05-10-1", "mine.txt"]


def test_a_document_not_produced_keeps_its_earlier_file_named_in_the_manifest(tree: Path, shipped_build: Path):
    shutil.copytree(shipped_build, tree / "out")  # a first build
    earlier = (tree / PACKET_DIR / "results-2025.ru.docx").read_bytes()
    (tree / "templates" / "ru" / "results.docx").unlink()
    assert main(["build", "--root", str(tree)]) == 1
    assert (tree / PACKET_DIR / "results-2025.ru.docx").read_bytes() == earlier
    manifest = manifest_matches_folder(tree / PACKET_DIR)
    assert [e["file"] for e in manifest["not_produced"] if e.get("earlier_file_kept")] == ["results-2025.ru.docx"]


# ----- one build per folder at a time; digests of the bytes read ----------------------------------------------

def test_two_concurrent_builds_into_one_folder_leave_a_consistent_packet(tree: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    command = [sys.executable, "-m", "regdoc", "build", "--root", str(tree), "--out", str(out)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for _ in range(2)]
    results = [(run.wait(300), run.stderr.read()) for run in runs]
    for run in runs:
        run.stdout.close()
        run.stderr.close()
    assert [code for code, _ in results] == [0, 0], results
    manifest_matches_folder(out / "2026-02-20-9-7")
    assert not [p for p in (out / "2026-02-20-9-7").iterdir() if p.name.startswith(".")]


def test_a_second_build_waits_for_the_lock_and_is_refused_after_the_wait(tree: Path, tmp_path: Path):
    from regdoc.app.documents import build_packet as build
    from regdoc.errors import RegdocError
    from regdoc.files.write import folder_lock

    folder = tmp_path / "out" / "2026-02-20-9-7"
    folder.mkdir(parents=True)
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom regdoc.files.write import folder_lock\n"
                               "with folder_lock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(60)",
                               str(folder)], stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ, PYTHONPATH=str(REPO / "src")))
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RegdocError, match="lock"):
            build(tree, tmp_path / "out", lock_wait=0.5)
        assert list(folder.iterdir()) == []
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    with folder_lock(folder, 5):
        pass  # released with the process


def test_the_manifest_holds_the_digest_of_the_bytes_read_not_of_a_file_saved_during_the_build(tree: Path,
                                                                                         monkeypatch):
    from regdoc.app.documents import build_packet as build
    from regdoc.documents import output

    source = tree / "organisations/organisations.yaml"
    read = source.read_bytes()
    real = output.render_job

    def saving_meanwhile(root, job, sources=None):
        source.write_bytes(read + b"# saved while the build ran\n")
        return real(root, job, sources)

    monkeypatch.setattr(output, "render_job", saving_meanwhile)
    done = build(tree)
    manifest = json.loads(done.manifest.read_text(encoding="utf-8"))
    digests = {s["file"]: s["sha256"] for e in manifest["files"] for s in e.get("sources", ())}
    assert digests["organisations/organisations.yaml"] == hashlib.sha256(read).hexdigest()


# ----- Ctrl-C during build --pdf ------------------------------------------------------------------------------

def _soffice_of(marker: str) -> list[int]:
    """Return the processes whose command line names `marker` (a private temporary folder: LibreOffice's profile
    lies in it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _hold(pids: list[int]) -> list[int]:
    """Stop the processes `pids` (SIGSTOP); return those stopped."""
    held = []
    for pid in pids:
        try:
            os.kill(pid, signal.SIGSTOP)
            held.append(pid)
        except ProcessLookupError:
            pass
    return held


def _release(pids: list[int]) -> None:
    """Let the processes `pids` that _hold stopped run again (SIGCONT)."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass


def _inodes(folder: Path) -> dict[str, int]:
    out = {}
    for name in os.listdir(folder):
        try:
            out[name] = os.stat(folder / name).st_ino
        except FileNotFoundError:
            continue
    return out


def _interruptible(argv: list[str]) -> list[str]:
    """The command line of `python -m regdoc *argv`, which Ctrl-C interrupts as a command started from a terminal.
    A process ignoring SIGINT (pytest started in the background by a shell without job control) passes that on to
    its children through exec, and Python then leaves SIGINT ignored: the child is then started with the handler
    Python installs at startup set again, instead of building to its end."""
    if signal.getsignal(signal.SIGINT) != signal.SIG_IGN:
        return [sys.executable, "-m", "regdoc", *argv]
    return [sys.executable, "-c", "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
            "sys.argv[0] = 'regdoc'; runpy.run_module('regdoc', run_name='__main__', alter_sys=True)", *argv]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("moment", ["rendering", "converting", "late"])
def test_ctrl_c_during_build_pdf_ends_libreoffice_and_leaves_nothing_behind(tree: Path, tmp_path: Path, moment,
                                                                             shipped_build: Path):
    out = tmp_path / "out"
    shutil.copytree(shipped_build, out)  # the earlier, complete outputs (of this tree: the shipped one)
    before = files(out / "2026-02-20-9-7")
    source = digest(tree)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), TMPDIR=str(temp))
    argv = ["build", "--pdf", "--root", str(tree), "--out", str(out)]
    run = subprocess.Popen(_interruptible(argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    held: list[int] = []
    try:
        if moment == "rendering":  # as soon as the first document of the new build is in place
            folder = out / "2026-02-20-9-7"
            inodes = _inodes(folder)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and run.poll() is None and _inodes(folder) == inodes:
                time.sleep(0.02)
        else:  # LibreOffice converting: 0.3 s after it started, before its first PDF; late: half of the PDFs made
            deadline = time.monotonic() + 60
            while not _soffice_of(str(temp)) and time.monotonic() < deadline and run.poll() is None:
                time.sleep(0.02)
            started = time.monotonic()
            half = sum(name.endswith(".docx") for name in before) // 2

            def reached() -> bool:
                made = len(list(temp.glob("regdoc-pdf-*/*.pdf")))
                return made >= half if moment == "late" else made > 0 or time.monotonic() - started >= 0.3

            # LibreOffice is held (SIGSTOP) from the moment it is seen to the interrupt, and runs in steps of 10 ms
            # until the moment chosen: its batch cannot end before the interrupt, however fast the machine or slow
            # this process
            held = _hold(_soffice_of(str(temp)))
            while not reached() and time.monotonic() < deadline and run.poll() is None:
                _release(held)
                time.sleep(0.01)
                held = _hold(_soffice_of(str(temp)))
            assert held, "LibreOffice ended before the moment chosen"
        if run.poll() is None:
            run.send_signal(signal.SIGINT)
        _release(held)  # (regdoc ends it, SIGKILL to its process group, held or not)
        held = []
        _, err = run.communicate(timeout=120)
    finally:
        _release(held)
        if run.poll() is None:
            run.kill()
            run.communicate()
    assert run.returncode == 130, err.decode()
    assert b"interrupted" in err and b"Traceback" not in err
    deadline = time.monotonic() + 10
    while _soffice_of(str(temp)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _soffice_of(str(temp)) == []
    assert list(temp.iterdir()) == []  # no temporary file or folder of regdoc's or LibreOffice's
    now = files(out / "2026-02-20-9-7")
    assert not [name for name in os.listdir(out / "2026-02-20-9-7") if name.startswith(".")]
    for name, data in now.items():
        if name in before and name.endswith(".docx"):
            assert data == before[name]  # same data: the rebuilt file is identical or the earlier one stayed
        elif name.endswith(".pdf"):
            assert data.startswith(b"%PDF-")  # a complete PDF, never a part
    assert digest(tree) == source
