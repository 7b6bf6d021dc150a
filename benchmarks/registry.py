"""Benchmark of the registry: `resolution new` and the register on a tree of many resolutions.

Copies the shipped data tree to a temporary folder, adds N sample resolutions (default 500, spread over
several years and meetings), then times, each several times, and prints the median:
  - assign_resolution (read and validate every resolution, plan, create the file exclusively under the lock)
  - register_rows over load_tree (the register's rows of all resolutions)
  - the register as text, json and xlsx (rows already built)
  - the register of one year as .docx, Kazakh and Russian (`regdoc render register YEAR` without its load_tree:
    rows, contexts, docxtpl rendering; 40 resolutions in the year)

    PYTHONPATH=src python benchmarks/registry.py [N] [RUNS]
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from timing import median_ms  # noqa: E402

from regdoc.data.model import ResolutionId
from regdoc.registry.numbering import skeleton
from regdoc.registry.register import register_rows, row_cells, row_data
from regdoc.tree.assign import assign_resolution
from regdoc.tree.load import load_tree


def sample(rid: str) -> dict:
    data = skeleton(ResolutionId.parse(rid))
    data["source"] = "sample"
    data["title"] = {"kk": "Үлгі қаулы", "ru": "Образец постановления"}
    data["preamble"] = {"kk": "Атқару комитеті", "ru": "Исполнительный комитет"}
    data["items"] = [{"number": 1, "text": {"kk": "Бекітілсін.", "ru": "Утвердить."}}]
    data["signatory"] = {"position": {"kk": "Төраға", "ru": "Председатель"}, "name": {"kk": "А. Б.", "ru": "А. Б."}}
    return data


def build(folder: Path, count: int) -> Path:
    for name in ("regulation", "resolutions", "organisations", "templates"):
        shutil.copytree(ROOT / name, folder / name)
    made = 0
    for year in range(2010, 2026):
        day = date(year, 1, 10)
        for meeting in range(1, 11):
            for item in range(1, 5):
                if made == count:
                    return folder
                rid = f"{day.isoformat()}/{meeting}/{item}"
                path = folder / "resolutions" / str(year) / f"{day.isoformat()}-{meeting}-{item}.yaml"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(yaml.safe_dump(sample(rid), allow_unicode=True, sort_keys=False), encoding="utf-8")
                made += 1
            day += timedelta(days=30)
    return folder



def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    with tempfile.TemporaryDirectory() as tmp:
        root = build(Path(tmp), count)
        load_tree(root)  # warm the schema validators once (each CLI run pays that, about 0.1 s, on top)
        day = iter(date(2026, 3, 1) + timedelta(days=i) for i in range(10_000))
        print(f"tree: {count} sample resolutions + the shipped one; median of {runs} runs")
        print(f"  resolution new (assign_resolution)   {median_ms(lambda: assign_resolution(root, next(day)), runs):8.1f} ms")
        tree = load_tree(root)
        print(f"  load_tree                            {median_ms(lambda: load_tree(root), runs):8.1f} ms")
        print(f"  register_rows                        {median_ms(lambda: register_rows(tree), runs):8.1f} ms")
        rows = register_rows(tree)

        def text() -> None:
            from regdoc.views.tables import text_table
            text_table(["a"] * 5, [list(row_cells(r, "kk").values()) for r in rows], [None, None, 60, 34, 24])

        def json_() -> None:
            import json
            json.dumps([row_data(r) for r in rows], ensure_ascii=False)

        def xlsx() -> None:
            from regdoc.files.xlsx import Sheet, workbook_bytes
            cells = [[r.id.date] + list(row_cells(r, "kk").values())[1:] for r in rows]
            workbook_bytes([Sheet("kk", "t", ["a"] * 5, cells, [12] * 5), Sheet("ru", "t", ["a"] * 5, cells, [12] * 5)])

        print(f"  register as text                     {median_ms(text, runs):8.1f} ms")
        print(f"  register as json                     {median_ms(json_, runs):8.1f} ms")
        print(f"  register as xlsx (two sheets)        {median_ms(xlsx, runs):8.1f} ms")

        def docx() -> None:
            from regdoc.documents.output import render_job
            from regdoc.documents.packet import register_jobs
            for job in register_jobs(tree, 2010, ("kk", "ru")):
                render_job(root, job)

        year = sum(1 for r in rows if r.date.year == 2010)
        print(f"  register of 2010 as .docx, kk + ru   {median_ms(docx, runs):8.1f} ms  ({year} resolutions)")


if __name__ == "__main__":
    main()
