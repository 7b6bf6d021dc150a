"""The one timing loop of the benchmarks: the median wall time of repeated calls."""
from __future__ import annotations

import statistics
import threading
import time
from typing import Callable


def median_seconds(fn: Callable[[], object], runs: int, warmup: bool = False) -> float:
    """Return the median wall time in seconds of `runs` calls of fn (after one uncounted call if `warmup`)."""
    if warmup:
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_ms(fn: Callable[[], object], runs: int, warmup: bool = False) -> float:
    """Return median_seconds in milliseconds."""
    return median_seconds(fn, runs, warmup) * 1000


# ----- whole processes, interleaved ----------------------------------------------------------------------------

import os  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Optional, Union  # noqa: E402

# A command: its argv (run with the benchmark's environment), or a function called before each run that returns
# the argv and environment of that run (a run that needs a fresh folder of its own, such as a LibreOffice profile).
Command = Union[list[str], Callable[[], tuple[list[str], dict]]]

ROOT = Path(__file__).resolve().parents[1]
# Python's bytecode cache stays on, as after `pip install`, but goes to a folder outside the checkout (no
# __pycache__ is written into src/ or benchmarks/).
PYCACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "regdoc-benchmarks" / "pycache"


def process_env(**extra: str) -> dict:
    """Return the environment of a measured process: regdoc from this checkout's src/, bytecode cached outside
    the checkout, no colour."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PYTHONPYCACHEPREFIX=str(PYCACHE), NO_COLOR="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(extra)
    return env


def regdoc(*args: str) -> list[str]:
    """Return the command line of `regdoc ARGS` run by this interpreter."""
    return [sys.executable, "-m", "regdoc", *args]


@dataclass
class Measured:
    """The wall times (s), CPU times (s: user + system of the process and the children it waited for) and peak
    resident memory (bytes) of the runs of one command. On a machine shared with other work the wall time grows
    with the load; the CPU time much less."""

    name: str
    seconds: list[float] = field(default_factory=list)
    peak: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def line(self, width: int = 44) -> str:
        cpu = (f"  cpu median {statistics.median(self.cpu) * 1000:9.1f} ms  min {min(self.cpu) * 1000:9.1f}"
               f"  max {max(self.cpu) * 1000:9.1f}") if self.cpu else ""
        return (f"  {self.name:<{width}} median {self.median * 1000:9.1f} ms  min {min(self.seconds) * 1000:9.1f}"
                f"  max {max(self.seconds) * 1000:9.1f}{cpu}  peak {max(self.peak) / 2 ** 20:7.1f} MB")


def run_once(argv: list[str], env: dict, ok: tuple[int, ...] = (0,), cwd: Path | None = None,
             timeout: Optional[float] = None) -> tuple[float, int]:
    """Run `argv` to its end; return its wall time (s) and its peak resident memory (bytes), measured by wait4 for
    the process (Linux: the largest of it and of the children it waited for, such as soffice)."""
    seconds, peak, _cpu = run_measured(argv, env, ok, cwd, timeout)
    return seconds, peak


def run_measured(argv: list[str], env: dict, ok: tuple[int, ...] = (0,), cwd: Path | None = None,
                 timeout: Optional[float] = None) -> tuple[float, int, float]:
    """Run `argv` to its end; return its wall time (s), its peak resident memory (bytes) and its CPU time (s, user
    + system), the last two measured by wait4 for the process and the children it waited for.

    The process runs in a session of its own; one still running after `timeout` seconds is killed with everything
    it started (its process group), and the benchmark stops saying so: a benchmark never hangs."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd,
                            start_new_session=True)
    timer = None
    if timeout is not None:
        timer = threading.Timer(timeout, _kill_group, (proc.pid,))
        timer.start()
    try:
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
    except BaseException:  # Ctrl-C: the command does not outlive the benchmark
        _kill_group(proc.pid)
        raise
    finally:
        if timer is not None:
            timer.cancel()
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    _kill_group(proc.pid)  # whatever it left running (a LibreOffice that outlived its launcher)
    if timeout is not None and seconds >= timeout:
        raise SystemExit(f"{' '.join(argv)} did not finish in {timeout:.0f} s: killed")
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(argv)} exited with {proc.returncode}: {err.decode(errors='replace')[-2000:]}")
    return seconds, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _prepared(command: Command, env: dict) -> tuple[list[str], dict]:
    return command() if callable(command) else (command, env)


def interleaved(commands: dict[str, Command], runs: int, env: dict | None = None, warmup: int = 1,
                ok: tuple[int, ...] = (0,), timeout: Optional[float] = None) -> dict[str, Measured]:
    """Run each command `warmup` times uncounted, then `runs` rounds of every command in turn (A B A B ...); a run
    longer than `timeout` seconds is killed and stops the benchmark."""
    env = env or process_env()
    for _ in range(warmup):
        for command in commands.values():
            run_once(*_prepared(command, env), ok, timeout=timeout)
    out = {name: Measured(name) for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            seconds, peak, cpu = run_measured(*_prepared(command, env), ok, timeout=timeout)
            out[name].seconds.append(seconds)
            out[name].peak.append(peak)
            out[name].cpu.append(cpu)
    return out


def ratio(a: Measured, b: Measured) -> str:
    return f"{a.median / b.median:.2f} (of CPU time: {statistics.median(a.cpu) / statistics.median(b.cpu):.2f})"


def scratch(prefix: str) -> tempfile.TemporaryDirectory:
    """A temporary folder for generated trees and outputs (never inside the checkout)."""
    return tempfile.TemporaryDirectory(prefix=f"regdoc-bench-{prefix}-")
