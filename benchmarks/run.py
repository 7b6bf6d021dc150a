#!/usr/bin/env python3
"""Run every benchmark of regdoc, one after the other, and print (or write as Markdown) what each prints, with
the machine it ran on: CPUs, CPU model, memory, Python, LibreOffice.

    python benchmarks/run.py                       # print to the terminal
    python benchmarks/run.py --markdown out/benchmarks.md   # also write a Markdown report
    python benchmarks/run.py --only bench_cli bench_scoring

Each benchmark is a script in this folder that prints the median, minimum and maximum of several runs and the
peak memory (and its baseline, measured in the same run); see each script's docstring for what it measures.
bench_cli, bench_build and bench_scale time whole processes, interleaved; registry and bench_comparison time
functions in a warm process. BENCHMARKS.md holds the figures of a full run.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BENCHMARKS = ("bench_cli", "bench_build", "bench_scale", "registry", "bench_comparison", "bench_diff", "bench_compose",
              "bench_web")


def _first(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
            if line.split(":")[0].strip() == key:
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def machine() -> list[tuple[str, str]]:
    """Return (what, value) pairs describing this machine."""
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    memory = _first("/proc/meminfo", "MemTotal")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    office = "not installed"
    if soffice:
        try:
            office = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=60,
                                    env=dict(os.environ, HOME=os.environ.get("TMPDIR", "/tmp"))).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            office = soffice
    return [("CPUs (nproc)", f"{usable} usable of {cpus}"),
            ("CPU model", _first("/proc/cpuinfo", "model name") or platform.processor() or "unknown"),
            ("memory", memory or "unknown"),
            ("system", f"{platform.system()} {platform.release()} ({platform.machine()})"),
            ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
            ("LibreOffice", office or "unknown")]


def run(name: str) -> tuple[str, float, int]:
    """Return what the benchmark `name` printed, its wall time and its exit code."""
    sys.path.insert(0, str(HERE))
    sys.dont_write_bytecode = True  # no __pycache__ in the checkout
    from timing import process_env

    env = process_env()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(HERE / f"{name}.py")], capture_output=True, text=True, env=env,
                          cwd=ROOT)
    output = done.stdout + (f"\n[stderr]\n{done.stderr}" if done.returncode else "")
    return output.rstrip() + "\n", time.perf_counter() - start, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="also write the results to FILE")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, metavar="NAME", help="run only these")
    args = parser.parse_args()
    facts = machine()
    lines = ["# regdoc benchmarks", "", f"Run on {time.strftime('%Y-%m-%d')}:", ""]
    lines += [f"- {what}: {value}" for what, value in facts]
    print("\n".join(lines[4:]), flush=True)
    failed = 0
    for name in args.only or BENCHMARKS:
        print(f"\n== {name}", flush=True)
        output, seconds, code = run(name)
        print(output + f"({seconds:.0f} s)", flush=True)
        failed += code != 0
        lines += ["", f"## {name} ({seconds:.0f} s{', FAILED' if code else ''})", "", "```", output.rstrip(), "```"]
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"\nwrote {args.markdown}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
