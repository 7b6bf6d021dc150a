"""Writing planned documents (regdoc.documents.output): two jobs rendered at a time in a forked child give what
rendering them one after the other gives (bytes, report, template digests), a child's error is the job's error,
and a child that dies leaves its job to this process."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from regdoc.documents import output, packet
from regdoc.tree.load import load_evaluation, load_tree


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    repo = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(repo / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(repo / "benchmarks"))
    root = tmp_path_factory.mktemp("generated") / "tree"
    generate.organisations(60, root)
    return root


def jobs(root: Path) -> list[packet.Job]:
    """Kazakh, Russian and side by side: two pairs, the second of one job."""
    tree = load_tree(root)
    evaluation = load_evaluation(root, 2025, tree)
    return packet.results_jobs(tree, evaluation, ("kk", "ru")) + packet.results_jobs(tree, evaluation, ("kk", "ru"),
                                                                                     parallel=True)


def written(root: Path, out: Path, jobs: list, concurrent: bool):
    out.mkdir()
    sources: dict[str, str] = {}
    produced, skipped = output.write_jobs(root, jobs, out, sources, concurrent=concurrent)
    files = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    return [(p.filename, p.sha256, p.size) for p in produced], skipped, sources, files


@pytest.fixture(scope="module")
def one_after_the_other(generated: Path, tmp_path_factory) -> list:
    """What writing the three jobs one after the other gives (and without forking): the reference the tests that
    write them two at a time compare with, written once for the module instead of by each of them."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(os, "fork", lambda: pytest.fail("forked"))
        return written(generated, tmp_path_factory.mktemp("one-after-the-other") / "b", jobs(generated), False)


@pytest.fixture
def forking(monkeypatch) -> list:
    """Two CPUs and this process taken as one of one thread (a test process may keep threads of earlier tests,
    such as Playwright's child watcher, which would stop the fork these tests are about); the forks made."""
    monkeypatch.setattr(output, "_cpus", lambda: 2)
    monkeypatch.setattr(output, "_threads", lambda: 1)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    return forks


def test_two_at_a_time_gives_what_one_after_the_other_gives(generated: Path, tmp_path: Path, forking,
                                                            one_after_the_other):
    together = written(generated, tmp_path / "a", jobs(generated), True)
    assert len(forking) == 1  # the Russian document, while this process renders the Kazakh one
    assert one_after_the_other == together
    assert len(together[0]) == 3 and together[1] == []
    assert set(together[2]) == {job.template for job in jobs(generated)}


def test_one_cpu_renders_one_after_the_other(generated: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(output, "_cpus", lambda: 1)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked"))
    assert len(written(generated, tmp_path / "a", jobs(generated), True)[0]) == 3


def test_an_error_in_the_child_is_the_job_s_error(generated: Path, tmp_path: Path, forking):
    """The Russian job (rendered in the child) names a missing template: reported as one after the other
    reports it, the other documents written."""
    broken = jobs(generated)
    broken[1] = packet.Job(**{**broken[1].__dict__, "template": "templates/ru/missing.docx"})
    together = written(generated, tmp_path / "a", broken, True)
    assert len(forking) == 1
    apart = written(generated, tmp_path / "b", broken, False)
    assert together == apart
    assert [s.filename for s in together[1]] == ["results-2025.ru.docx"]
    assert "templates/ru/missing.docx" in together[1][0].reason


def test_a_child_that_dies_leaves_its_job_to_this_process(generated: Path, tmp_path: Path, monkeypatch, forking,
                                                          one_after_the_other):
    parent = os.getpid()
    real = output.render_job

    def dies_in_the_child(root, job, sources=None):
        if os.getpid() != parent:
            os._exit(3)
        return real(root, job, sources)

    monkeypatch.setattr(output, "render_job", dies_in_the_child)
    together = written(generated, tmp_path / "a", jobs(generated), True)
    assert len(forking) == 1
    assert together == one_after_the_other


def test_a_process_with_another_thread_does_not_fork(generated: Path, tmp_path: Path, monkeypatch):
    import threading

    monkeypatch.setattr(output, "_cpus", lambda: 2)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked"))
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert len(written(generated, tmp_path / "a", jobs(generated), True)[0]) == 3
    finally:
        release.set()
        other.join()


def lazy_jobs(root: Path) -> list[packet.Job]:
    tree = load_tree(root)
    return packet.results_jobs(tree, load_evaluation(root, 2025, tree), ("kk", "ru"), lazy=True)


@pytest.mark.parametrize("cpus", [1, 2])
def test_contexts_made_where_the_job_renders_give_the_same_documents(generated: Path, tmp_path: Path, monkeypatch,
                                                                      cpus: int):
    """render results makes each language's context in the process that renders it (packet.LazyContext) when
    the evaluation has writer.STREAM_ITEMS organisations; a smaller one's contexts are made at once."""
    from regdoc.documents import writer

    monkeypatch.setattr(output, "_cpus", lambda: cpus)
    monkeypatch.setattr(output, "_threads", lambda: 1)  # as the command's own process (see `forking`)
    eager = written(generated, tmp_path / "a", jobs(generated)[:2], False)
    assert not any(isinstance(job.context, packet.LazyContext) for job in lazy_jobs(generated))  # 60: small
    monkeypatch.setattr(writer, "STREAM_ITEMS", 60)
    assert all(isinstance(job.context, packet.LazyContext) for job in lazy_jobs(generated))
    assert written(generated, tmp_path / "b", lazy_jobs(generated), True) == eager


@pytest.mark.parametrize("cpus", [1, 2])
@pytest.mark.parametrize("failing", ["kk", "ru"])
def test_a_context_that_cannot_be_made_is_the_command_s_error_and_nothing_is_written(
        generated: Path, tmp_path: Path, monkeypatch, cpus: int, failing: str):
    """As when the contexts were made before any document: the error of the context, no document written (also
    when the Russian one fails in the child after the Kazakh one rendered here)."""
    from regdoc.documents import results, writer
    from regdoc.errors import RegdocError

    monkeypatch.setattr(output, "_cpus", lambda: cpus)
    monkeypatch.setattr(output, "_threads", lambda: 1)  # as the command's own process (see `forking`)
    monkeypatch.setattr(writer, "STREAM_ITEMS", 60)
    real = results.results_context

    def context(tree, scored, lang, *args, **kwargs):
        if lang == failing:
            raise RegdocError(f"no context in {lang}", "organisations.yaml", 3)
        return real(tree, scored, lang, *args, **kwargs)

    monkeypatch.setattr(results, "results_context", context)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(RegdocError) as info:
        output.write_jobs(generated, lazy_jobs(generated), out, {}, concurrent=True)
    assert str(info.value) == f"organisations.yaml:3: no context in {failing}"
    assert list(out.iterdir()) == []


def test_the_child_ends_with_its_parent(tmp_path: Path):
    """A render killed (SIGKILL, no clean-up) leaves no child rendering on (PR_SET_PDEATHSIG)."""
    import signal
    import subprocess
    import time

    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux's")
    marker, ended = tmp_path / "child", tmp_path / "ended"
    script = (  # the parent reports how the child ended (argv[3]), or does not wait for it ("-")
        "import os, sys, time\n"
        "from regdoc.documents import output\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    output._end_with_parent(int(sys.argv[1]))\n"
        "    open(sys.argv[2], 'w').write(str(os.getpid()))\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "if sys.argv[3] != '-':\n"
        "    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])\n"
        "    open(sys.argv[3] + '.part', 'w').write(str(code))\n"
        "    os.rename(sys.argv[3] + '.part', sys.argv[3])\n"
        "time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", script, "0", str(marker), str(ended)])
    try:
        for _ in range(600):  # until the parent saw its child end (at once, or never: 30 s)
            if ended.exists():
                break
            time.sleep(0.05)
    finally:
        parent.kill()
        parent.wait()
    # the child was given the wrong parent id (0): it ended at once (exit 70), before writing its marker
    assert ended.read_text() == "70"
    assert not marker.exists()
    script = script.replace("int(sys.argv[1])", "os.getppid()")
    parent = subprocess.Popen([sys.executable, "-c", script, "0", str(marker), "-"])
    try:
        for _ in range(200):
            if marker.exists() and marker.read_text():
                break
            time.sleep(0.05)
        child = int(marker.read_text())
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        if Path(f"/proc/{child}/stat").exists() and Path(f"/proc/{child}/stat").read_text().split()[2] == "Z":
            break
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the child outlived its parent")
