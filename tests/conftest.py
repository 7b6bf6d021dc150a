"""Shared fixtures: the repository's own data tree, and copies of it that a test may change."""
from __future__ import annotations

import gc
import os
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from datatree import DATA_DIRS, REPO, copy_tree, digest

# Bytecode is written and read where Python keeps it by default (__pycache__ beside each module, which git ignores),
# even where the environment says not to write it (PYTHONDONTWRITEBYTECODE, as on our machines): the commands the
# tests start as processes then compile regdoc once, not in every process; a process started with
# PYTHONDONTWRITEBYTECODE=1 still reads what the others wrote. (A folder of its own for all bytecode,
# PYTHONPYCACHEPREFIX, as the benchmarks use, would hide the bytecode pip wrote beside the installed libraries: on a
# fresh machine, as in CI, each worker then compiled them all again, collecting in 3.9 s of CPU instead of 2.5.)
# Where PYTHONPYCACHEPREFIX is set, it still decides.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

# The tests' folders (tmp_path) are in memory where the machine has a tmpfs with room for them: the tests write
# some 30 000 files (copies of the data tree, builds, workbooks), and regdoc syncs every file it writes, which on
# a disk makes a test wait for the disk. On a tmpfs a sync is a no-op and the same code runs. A run takes about
# 450 MB there, and pytest keeps the last runs' folders (tmp_path_retention_count in pyproject.toml).
# PYTEST_DEBUG_TEMPROOT or --basetemp, where given, decide instead.
MEMORY = Path("/dev/shm")


def _in_memory(folder: Path, room: int = 4 << 30) -> bool:
    """Whether `folder` is a tmpfs mount this user may write, with `room` bytes free."""
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
        st = os.statvfs(folder)
    except OSError:
        return False
    tmpfs = any(line.split()[1:3] == [str(folder), "tmpfs"] for line in mounts)
    return tmpfs and os.access(folder, os.W_OK | os.X_OK) and st.f_bavail * st.f_frsize >= room


if "PYTEST_DEBUG_TEMPROOT" not in os.environ and _in_memory(MEMORY):
    os.environ["PYTEST_DEBUG_TEMPROOT"] = str(MEMORY)

# The system's temporary folder too, for this process and the commands it starts, unless TMPDIR says otherwise:
# openpyxl writes each sheet of every workbook to a temporary file first and removes it after (the tests make
# some thousands of workbooks), and on a disk the removal alone waited some 2.5 ms a sheet. Still a folder every
# user may write, as /tmp.
if "TMPDIR" not in os.environ and _in_memory(MEMORY):
    os.environ["TMPDIR"] = tempfile.tempdir = str(MEMORY)


# Python's cyclic garbage collector in the test processes, tuned as regdoc tunes it for its own short-lived commands
# (regdoc.collector): the tests make container objects at a high rate (documents parsed and written, Hypothesis's
# examples, whole data trees), and with the default thresholds the collector ran some 5 000 times per worker, every
# full collection going again through everything the imports and the collected tests hold. What exists once the
# tests are collected is frozen (moved out of the collector's sight, pytest_collection_finish below), and the
# youngest generation is collected after 10 000 new objects rather than 700. Cycles are still collected, less often;
# memory is still freed at once where nothing refers to a value. Measured over a whole run (`-n 2`): the
# collector's CPU in the two workers 7.6 -> 3.8 s; a worker's peak memory 435 -> 565 MB.
gc.set_threshold(10_000, *gc.get_threshold()[1:])


def pytest_sessionstart(session):
    """Under xdist, when the whole folder is collected, each worker imports the test modules before collecting
    them, starting from its own share of them (worker k of n at module k/n, in name order, wrapping round). pytest
    rewrites the asserts of a test module when no rewritten bytecode of it is cached (__pycache__/*-pytest-*.pyc,
    written atomically), which on a fresh clone, as in CI, each worker did for every module: some 1.4 s of CPU
    each. Starting at different modules, each worker rewrites about its share and reads what the other wrote
    (measured on a fresh clone, collection of both workers: 5.6 -> 4.3 s of CPU). Collection then finds the
    modules imported, and collects them as before, in the same order; a module that fails to import here is left
    to collection, which reports it. A run of some modules only (`pytest -n 2 tests/test_x.py`) imports just
    those, as before."""
    worker, count = os.environ.get("PYTEST_XDIST_WORKER", ""), os.environ.get("PYTEST_XDIST_WORKER_COUNT", "")
    if not (worker.startswith("gw") and worker[2:].isdigit() and count.isdigit()):
        return
    config, here = session.config, Path(__file__).resolve().parent
    base = config.rootpath if config.args_source == pytest.Config.ArgsSource.TESTPATHS else \
        config.invocation_params.dir
    if not config.args or any((base / arg.split("::")[0]).resolve() != here for arg in config.args):
        return  # not the whole folder: each worker imports just what it collects
    import importlib

    names = sorted(path.stem for path in here.glob("test_*.py"))
    start = int(worker[2:]) * len(names) // max(int(count), 1)
    for name in names[start:] + names[:start]:
        try:
            importlib.import_module(name)
        except (Exception, pytest.skip.Exception):
            sys.modules.pop(name, None)


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session", autouse=True)
def document_cache(tmp_path_factory):
    """The validated-document cache of regdoc.tree.cache in a folder of this test session (shared by its tests
    and the commands they start), never the user's own cache folder."""
    folder = tmp_path_factory.mktemp("regdoc-cache")
    saved = {k: os.environ.get(k) for k in ("REGDOC_CACHE_DIR", "REGDOC_CACHE")}
    os.environ["REGDOC_CACHE_DIR"] = str(folder)
    os.environ.pop("REGDOC_CACHE", None)
    yield folder
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
def cache_folder(tmp_path, monkeypatch) -> Path:
    """A cache folder of the test's own (REGDOC_CACHE_DIR), empty: for tests of what the caches keep."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("REGDOC_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="session", autouse=True)
def one_parser_per_language():
    """regdoc.cli.main builds its whole argparse parser on each call (once per process when run as a command);
    the tests call main in-process some thousand times, so a parser is built again only when what it is built
    from changed: the interface language or its catalog (its texts), or a name in a module of regdoc.cli (its
    command functions, which a test may monkeypatch). Parsing does not change a parser."""
    import regdoc.cli as cli
    from regdoc import i18n

    real, built = cli.build_parser, {}

    def build_parser():
        lang = i18n.current()
        catalog = i18n._loaded.get(lang)
        modules = [(name, module) for name, module in list(sys.modules.items())  # (in the order of their import)
                   if name.startswith("regdoc.cli.") and module is not None]
        key = (lang, id(catalog), *((name, *map(id, vars(module).values())) for name, module in modules))
        if key not in built:  # the parser holds its functions, and the entry its catalog: their ids stay theirs
            built[key] = (catalog, real())
        return built[key][1]

    cli.build_parser = build_parser
    yield
    cli.build_parser = real


@pytest.fixture(scope="session")
def shipped_returns() -> list[tuple[str, bytes]]:
    """The shipped 2025 evaluation's values as the twenty organisations send them back, one workbook each
    (regdoc.app.scoring.organisation_templates; about 0.2 s, made once per test process)."""
    from regdoc.app.scoring import organisation_templates

    return organisation_templates(REPO, 2025, filled=True)


@pytest.fixture(scope="session")
def users_file(tmp_path_factory) -> bytes:
    """The users file of the web tests (two editors, aigul and dana, and a viewer, viktor), as add_user writes it,
    made once per test process and copied into each test's folder (`users`). Its hashes are scrypt's with
    n = 2**10 instead of regdoc's 2**14: a stored hash carries its parameters, which sign-in reads, so it is the
    same sign-in, 16 times quicker (the web tests sign in some hundred times); test_web checks the parameters
    add_user writes."""
    from regdoc.app import accounts

    path = tmp_path_factory.mktemp("users") / "conf" / "users.json"
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(accounts, "_N", 2 ** 10)
        accounts.add_user(path, "aigul", "editor", "correct horse battery")
        accounts.add_user(path, "dana", "editor", "another editor secret")
        accounts.add_user(path, "viktor", "viewer", "another long secret")
    return path.read_bytes()


@pytest.fixture
def users(tmp_path: Path, users_file: bytes) -> Path:
    path = tmp_path / "conf" / "users.json"
    path.parent.mkdir(mode=0o700)
    path.write_bytes(users_file)
    path.chmod(0o600)
    return path


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory) -> Path:
    """The --out folder of `regdoc build` over a copy of the shipped tree, made once per test process: a test
    whose case starts from an earlier build of the shipped tree copies it (a build writes the same bytes wherever
    its tree and its folder are; test_commands_render and test_nothing_lost check builds against each other)."""
    from regdoc.cli import main

    base = tmp_path_factory.mktemp("built")
    out = base / "out"
    out.mkdir()
    assert main(["build", "--root", str(copy_tree(base / "data")), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def shipped_pdf_build(tmp_path_factory) -> Path:
    """The packet folder of `regdoc build --pdf` over a copy of the shipped tree (its twelve documents, as .docx
    and as .pdf: one LibreOffice batch), made once per test process: test_commands_render checks what the command
    wrote, test_pdf_words reads the packet's PDFs (the same documents it checks with the others regdoc makes)."""
    from regdoc.cli import main

    tree = copy_tree(tmp_path_factory.mktemp("built-pdf") / "data")
    assert main(["build", "--pdf", "--root", str(tree)]) == 0
    return tree / "out" / "2026-02-20-9-7"


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A private copy of the shipped data tree."""
    return copy_tree(tmp_path / "data")


def _stats(root: Path) -> dict[str, tuple]:
    """The kind, size, times and inode of every file and folder under the data folders of `root`: a write, a
    replace, a new or a removed file changes them (a write sets the change time, which no program can set back)."""
    out = {}
    for name in DATA_DIRS:
        for folder, _dirs, files in os.walk(root / name):
            for entry in [folder, *(os.path.join(folder, f) for f in files)]:
                st = os.lstat(entry)
                out[entry] = (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    return out


_SHIPPED: dict[str, dict] = {}


@pytest.fixture(autouse=True)
def shipped_data_unchanged():
    """No test, and so no command run by a test, may change the repository's own data tree. The tree's digest is
    taken once per test process; after each test it is taken again only if a file's or folder's status changed
    (hashing it around each of the ~2 000 tests took about 5 ms each time)."""
    if not _SHIPPED:
        _SHIPPED.update(stats=_stats(REPO), digest=digest(REPO))
    yield
    if _stats(REPO) != _SHIPPED["stats"]:
        before, after = _SHIPPED["digest"], digest(REPO)
        _SHIPPED.update(stats=_stats(REPO), digest=after)  # the next test starts from the tree as it is now
        assert after == before, "the repository's data tree was changed"


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium headless shell driven by Playwright (../shared/pitfalls.md item 10), started once per test
    process and shared by the browser tests; each test opens its own context (cookies, storage) and closes it."""
    from playwright.sync_api import sync_playwright
    from test_web_browser import ARGS, CHROMIUM

    assert Path(CHROMIUM).exists(), (f"{CHROMIUM} is missing: apt-get install --no-install-recommends "
                                   "chromium-headless-shell")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


# The modules whose tests take longest (browser journeys, Hypothesis properties over whole data trees, LibreOffice)
# run first, so that under xdist (`-n 2 --dist worksteal`, pyproject.toml) no worker starts a long test when the
# other is nearly done; the rest keep their order.
SLOW_FIRST = ("test_web_browser_editing.py", "test_web_browser.py", "test_load_fuzz.py", "test_yamldoc.py",
              "test_amend_fuzz.py", "test_outputs_unchanged.py", "test_spreadsheets.py", "test_render_pdf.py",
              "test_pdf_words.py", "test_commands_render.py", "test_schemas_external.py",
              "test_input_paths_property.py", "test_render_redline.py", "test_faults.py", "test_render_writer.py",
              "test_web_returns.py", "test_render_writer_streaming.py", "test_app_documents.py",
              "test_render_output.py", "test_web_editing.py", "test_hostile.py", "test_app_import.py",
              "test_cli_streams.py")


def pytest_collection_modifyitems(items):
    rank = {name: n for n, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each module keeps its order


# The web tests' requests go through starlette's TestClient, which, used outside a `with` block (as the tests use
# it), starts an event loop in a new thread (an anyio blocking portal) for every request and stops it after: about
# 0.5 ms of CPU on an idle machine, more under load, for each of some 700 requests per run. Here the TestClients of
# one test share one such portal, started at the test's first request and stopped once the test is over (its
# teardown done): each test still has an event loop of its own, the application runs in it as under a server (one
# loop for all requests), and nothing outlives the test. A client used as a context manager keeps its own portal.
_PORTALS: list = []  # [(ExitStack, BlockingPortal)] of the running test, at most one
_PORTALS_LOCK = threading.Lock()  # (a test may send requests from several threads)


def _test_portal_factory(client):
    """What TestClient._portal_factory yields: the client's own portal, else the running test's."""
    import contextlib

    @contextlib.contextmanager
    def factory():
        if client.portal is not None:
            yield client.portal
            return
        with _PORTALS_LOCK:
            if not _PORTALS:
                import anyio.from_thread

                stack = contextlib.ExitStack()
                portal = stack.enter_context(anyio.from_thread.start_blocking_portal(**client.async_backend))
                _PORTALS.append((stack, portal))
        yield _PORTALS[0][1]

    return factory()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # once the test modules are imported: those of the web tests import starlette's TestClient
    testclient = sys.modules.get("starlette.testclient")
    if testclient is not None and testclient.TestClient._portal_factory is not _test_portal_factory:
        testclient.TestClient._portal_factory = _test_portal_factory


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    while _PORTALS:
        _PORTALS.pop()[0].close()
