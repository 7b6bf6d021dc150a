"""Faults met while writing outputs, end to end through the CLI in a subprocess: a file size limit
(RLIMIT_FSIZE, so the write really fails half way with EFBIG) and a process killed mid-write. The previous output
stays intact, no partial or temporary file stays behind, and the error is one line naming the file."""
from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from datatree import REPO

SRC = REPO / "src"


def regdoc(*argv: str, fsize: int | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONDONTWRITEBYTECODE="1")
    env.pop("REGDOC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "regdoc", *argv], capture_output=True, text=True, env=env,
                          preexec_fn=limit, timeout=120, cwd=cwd)


@pytest.mark.parametrize("fmt, message", [
    ("md", "{out}: cannot write the file: File too large"),
    ("csv", "{out}: cannot write the file: File too large"),
    ("xlsx", "{out}: cannot make the workbook: writing its sheets to the temporary folder"),
])
def test_a_write_cut_short_by_a_size_limit_keeps_the_previous_output(tmp_path, fmt, message):
    out = tmp_path / f"score.{fmt}"
    out.write_bytes(b"the previous results")
    run = regdoc("score", "2025", "--root", str(REPO), "--format", fmt, "--out", str(out), fsize=600)
    assert run.returncode == 1, run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.startswith("regdoc: error: " + message.format(out=out)), run.stderr
    assert out.read_bytes() == b"the previous results"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_a_register_cut_short_keeps_the_previous_one(tmp_path):
    out = tmp_path / "register.xlsx"
    out.write_bytes(b"previous")
    run = regdoc("resolution", "list", "--root", str(REPO), "--format", "xlsx", "--out", str(out), fsize=600)
    assert run.returncode == 1 and run.stderr.startswith(f"regdoc: error: {out}: cannot write the file: File too large")
    assert "Traceback" not in run.stderr and run.stderr.count("\n") == 1
    assert out.read_bytes() == b"previous" and [p.name for p in tmp_path.iterdir()] == [out.name]


def test_the_same_command_without_the_limit_writes_the_file(tmp_path):
    out = tmp_path / "score.md"
    out.write_bytes(b"previous")
    run = regdoc("score", "2025", "--root", str(REPO), "--format", "md", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8").startswith("# ")
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


# ----- a build cut short ----------------------------------------------------------------------------------------

PACKET_DIR = "2026-02-20-9-7"  # the packet's own folder under --out DIR


def packet(folder: Path) -> dict[str, bytes]:
    """Return the files of the packet folder under the build's --out `folder`."""
    return {p.name: p.read_bytes() for p in sorted((folder / PACKET_DIR).iterdir())}


def build(*argv: str) -> str:
    """Run `regdoc build` in this process (the builds the tests start from: what a build writes is the same in any
    process) and return what it wrote on stderr."""
    import contextlib
    import io

    from regdoc.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["build", *argv])
    assert code == 0, err.getvalue()
    return err.getvalue()


@pytest.fixture(scope="module")
def made_packets(tmp_path_factory) -> tuple:
    """The two builds of `two_packets`, made once for the module's tests (which only read them; each test gets
    its own copies of the tree and of the first build's folder)."""
    from datatree import copy_tree

    base = tmp_path_factory.mktemp("packets")
    tree = copy_tree(base / "data")
    out, fresh = base / "out", base / "fresh"
    out.mkdir()
    fresh.mkdir()
    build("--root", str(tree), "--out", str(out))
    first = packet(out)
    for rel in ("resolutions/2026/2026-02-20-9-7.yaml", "regulation/regulation.yaml"):
        path = tree / rel
        text = path.read_text(encoding="utf-8")
        text = text.replace('kk: "', 'kk: "(өзгертілген) ', 1).replace('ru: "', 'ru: "(изменено) ', 1)
        path.write_text(text, encoding="utf-8")
    order = [line.split()[2].rsplit("/", 1)[-1] for line in build("--root", str(tree), "--out", str(fresh))
             .splitlines() if line.startswith("regdoc: wrote ")]  # messages: on stderr
    second = packet(fresh)
    assert sorted(order) == sorted(second) and order[-1] == "manifest.json"
    assert sum(first[name] != second[name] for name in first) >= 5
    assert all(first[name] != second[name] for name in order[:4])  # the kill tests tell old from new there
    return tree, out, first, second, order


@pytest.fixture
def two_packets(tmp_path: Path, made_packets: tuple):
    """A data tree changed after a first build (the resolution and the Regulation retitled): (tree, out with the
    first build's files, the first build's files, the files a complete second build makes, their names in the
    order the build writes them)."""
    import shutil

    made_tree, made_out, first, second, order = made_packets
    tree, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(made_tree, tree)
    shutil.copytree(made_out, out)
    assert packet(out) == first
    return tree, out, first, second, order


def test_a_build_cut_short_by_a_size_limit_reports_what_it_did_not_produce(two_packets):
    tree, out, first, second, _ = two_packets
    run = regdoc("build", "--root", str(tree), "--out", str(out), fsize=15_000)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    big = sorted(name for name, data in second.items() if len(data) > 15_000 and name != "manifest.json")
    assert big, "the limit must stop some documents"
    for name in big:
        assert f"regdoc: not produced: {name}: " in run.stderr and "File too large" in run.stderr
    written = len(second) - 1 - len(big)
    assert f"{written} file{'' if written == 1 else 's'} written, {len(big)} not produced" in run.stderr
    now = packet(out)
    assert set(now) == set(first)  # no partial or temporary file
    for name, data in now.items():
        if name == "manifest.json":
            manifest = json.loads(data)
            assert sorted(e["file"] for e in manifest["not_produced"]) == big
        else:
            assert data == (first[name] if name in big else second[name]), name


KILLED_BUILD = """
import sys, time
from regdoc.files import write as files
from regdoc.documents import output
n, where = int(sys.argv[1]), sys.argv[2]
calls = [0]

def pause():
    calls[0] += 1
    if calls[0] == n:
        print(where, flush=True)
        time.sleep(120)

if where == "between":  # after n - 1 whole files, before the n-th is written at all
    real = output.replace_atomic
    def replace_atomic(path, data):
        pause()
        real(path, data)
    output.replace_atomic = replace_atomic
else:  # the n-th file written in full, flushed, not yet named
    real_sync = files._Staged.sync
    def sync(self):
        real_sync(self)
        pause()
    files._Staged.sync = sync
from regdoc.cli import main
sys.exit(main(sys.argv[3:]))
"""


def _named(out: Path, expected: dict[str, bytes], seconds: float = 60) -> None:
    """Wait until the packet folder under `out` holds the `expected` files (each synced and named in a thread
    of the build's own after it was written), at most `seconds`."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = packet(out)
        if all(now.get(name) == data for name, data in expected.items()):
            return
        time.sleep(0.01)
    raise AssertionError(f"not named within {seconds} s: {sorted(expected)}")


@pytest.mark.parametrize("where", ["between", "mid-write"])
def test_a_build_killed_leaves_each_file_previous_or_complete(two_packets, where):
    tree, out, first, second, order = two_packets
    env = dict(os.environ, PYTHONPATH=str(SRC))
    with subprocess.Popen([sys.executable, "-c", KILLED_BUILD, "4", where, "build", "--root", str(tree), "--out",
                           str(out)], stdout=subprocess.PIPE, text=True, env=env) as build:
        for line in build.stdout:
            if line.strip() == where:
                break
        if where == "between":  # the first three are synced and named in threads of their own: killed after that
            _named(out, {name: second[name] for name in order[:3]})
        build.send_signal(signal.SIGKILL)
        build.wait(30)
    now = packet(out)
    assert set(now) == set(first), sorted(set(now) ^ set(first))  # no partial or temporary file
    for name in order[:3]:  # written before the kill: the complete new files
        assert now[name] == second[name], name
    assert now[order[3]] == first[order[3]]  # the fourth, being written or not yet begun: the previous file
    # the rest: not yet begun (between), or each written meanwhile, since the fourth is synced and named in a
    # thread of its own (mid-write): each the previous file or the complete new one, never a part
    for name in order[4:]:
        assert now[name] in ((first[name],) if where == "between" else (first[name], second[name])), name
    assert now["manifest.json"] == first["manifest.json"]  # written once every document has its name


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice is not installed")
def test_a_pdf_that_cannot_be_put_in_place_is_reported_and_the_others_are_written(tmp_path, monkeypatch, capsys):
    from regdoc.cli import main
    from regdoc.documents import pdf
    from regdoc.files import write as files

    out = tmp_path / "out"
    out.mkdir()
    (out / "resolution-2026-02-20-9-7.kk.pdf").write_bytes(b"%PDF- the previous one")
    real = files.replace_atomic

    def disk_full_for_kk(path, data):
        if Path(path).name == "resolution-2026-02-20-9-7.kk.pdf":
            raise files.os_error(OSError(28, "No space left on device"), path, "write the file")
        real(path, data)

    monkeypatch.setattr(pdf, "replace_atomic", disk_full_for_kk)
    assert main(["render", "resolution", "2026-02-20/9/7", "--pdf", "--root", str(REPO), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "regdoc: not produced: resolution-2026-02-20-9-7.kk.pdf: cannot write the file: No space left on device" \
        in err
    assert (out / "resolution-2026-02-20-9-7.kk.pdf").read_bytes() == b"%PDF- the previous one"
    assert (out / "resolution-2026-02-20-9-7.ru.pdf").read_bytes().startswith(b"%PDF-")
    # the resolution with its annexes (issue 15), each as .docx and .pdf
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{stem}.{lang}.{ext}" for stem in (
        "resolution-2026-02-20-9-7", "appendix-1-2026-02-20", "results-2025")
        for lang in ("kk", "ru") for ext in ("docx", "pdf"))


def test_a_document_whose_name_cannot_be_given_is_reported_and_the_others_are_written(tmp_path, monkeypatch,
                                                                                      capsys):
    """The documents are synced and named in a thread of their own (files.write.background_commits): a failure
    there is still this document's, reported as not produced, with its earlier file kept."""
    from regdoc.cli import main
    from regdoc.files import write as files

    out = tmp_path / "out"
    out.mkdir()
    (out / "resolution-2026-02-20-9-7.ru.docx").write_bytes(b"the previous one")
    real = files.os.replace

    def disk_full_for_ru(src, dst, *args, **kwargs):
        if Path(dst).name == "resolution-2026-02-20-9-7.ru.docx":
            raise OSError(28, "No space left on device")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(files.os, "replace", disk_full_for_ru)
    assert main(["render", "resolution", "2026-02-20/9/7", "--root", str(REPO), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "regdoc: not produced: resolution-2026-02-20-9-7.ru.docx: cannot write the file: No space left on " \
        "device" in err
    assert (out / "resolution-2026-02-20-9-7.ru.docx").read_bytes() == b"the previous one"
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{stem}.{lang}.docx" for stem in (
        "resolution-2026-02-20-9-7", "appendix-1-2026-02-20", "results-2025") for lang in ("kk", "ru"))
    assert (out / "resolution-2026-02-20-9-7.kk.docx").read_bytes().startswith(b"PK")
