"""What every command prints and writes on the shipped data, recorded so that a change meant to keep behaviour
(such as moving code between packages) can prove it did.

`python tests/cli_golden.py` records, with whatever `regdoc` is importable, every run of cli_runs.RUNS: its exit
code, its standard output and error (the temporary folders written as {root}, {out}, {input}), and a digest of
each file it wrote (.xlsx by their cells, since openpyxl stamps the time; PDFs only by their presence, since
LibreOffice stamps them). tests/test_outputs_unchanged.py compares the present code with the record in
tests/data/golden/cli.json. A change that alters outputs on purpose re-records it and says so in its commit.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cli_runs import RUNS  # noqa: E402
from datatree import copy_tree  # noqa: E402

GOLDEN = HERE / "data" / "golden" / "cli.json"
# Runs whose output names today's date: left out of the record, which must hold on any day.
# Runs whose output names where regdoc is installed (the schemas' folder) or is a library's code (argcomplete's shell
# code): left out too, the record must hold in any checkout.
UNDATED = {key: [(args, code) for args, code in runs if not (key == ("regulation",) and "--as-of" not in args)]
           for key, runs in RUNS.items() if key not in (("schemas",), ("completion",))}


def file_digest(path: Path) -> str:
    if path.suffix == ".pdf":
        return "pdf" if path.stat().st_size else "empty pdf"
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        cells = [[ws.title, [[c.value if not hasattr(c.value, "isoformat") else c.value.isoformat()
                              for c in row] for row in ws.iter_rows()]] for ws in book.worksheets]
        return "cells " + hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode()).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record(tmp: Path) -> dict[str, dict]:
    """Return the record of every run, made in the folder `tmp`."""
    from regdoc.cli import main

    tree = copy_tree(tmp / "data")
    filled = tmp / "input" / "filled.xlsx"
    filled.parent.mkdir()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["evaluation", "template", "2025", "--filled", "--out", str(filled), "--root", str(tree)]) == 0
    out_all = {}
    for words, runs in sorted(UNDATED.items()):
        for args, _ in runs:
            if "--pdf" in args:
                continue  # LibreOffice's PDFs are neither reproducible nor everywhere
            out = tmp / "out" / str(len(out_all))
            out.mkdir(parents=True)
            argv = list(words) + [a.format(root=tree, out=out, input=filled) for a in args.split()]
            stdout, stderr = io.StringIO(), io.StringIO()
            cwd = os.getcwd()
            os.chdir(out)  # a command writing to a default folder under the current folder writes here
            try:
                with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                    code = main(argv)
            finally:
                os.chdir(cwd)

            def shown(text: str) -> str:
                return text.replace(str(filled), "{input}").replace(str(out), "{out}").replace(str(tree), "{root}")

            written = {p.relative_to(out).as_posix(): file_digest(p) for p in sorted(out.rglob("*")) if p.is_file()}
            written.update({"{root}/" + p.relative_to(tree / "out").as_posix(): file_digest(p)
                            for p in sorted((tree / "out").rglob("*")) if p.is_file()})
            if (tree / "out").exists():
                import shutil

                shutil.rmtree(tree / "out")
            out_all[" ".join(words) + " " + args] = {"exit": code, "stdout": shown(stdout.getvalue()),
                                                    "stderr": shown(stderr.getvalue()), "files": written}
    return out_all


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = record(Path(tmp))
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {len(data)} runs in {GOLDEN}")


if __name__ == "__main__":
    main()
