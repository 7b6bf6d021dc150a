"""The cost of the amendment composer's preview (POST /amendments/compose) as the amendment grows: every operation is
picked from the edition the operations before it leave (app.composing.op_bases reads each operation back), so the
work grows with the number of operations.

    python benchmarks/bench_compose.py               # 5 rounds, 10 previews a process
    python benchmarks/bench_compose.py --runs 3 --previews 5

Each measured process (interleaved A B C A B C ...) copies the shipped data tree to a scratch folder, starts the
web application in-process (Starlette's test client: no socket, no accounts, the local user is an editor) and
posts the same preview `--previews` times: `start` posts none (the cost of starting), `ops-5` the five operations of
the 2027-02-12 journey (words, insertion, deletion, re-weight, new indicator; the indicators in their fields),
`ops-25` twenty-five re-weights, one for each of the first twenty-five indicators of Appendix 1. It prints wall
and CPU time (median, min, max); the CPU time of one preview is (CPU of ops-N - CPU of start) / previews.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import interleaved, process_env  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def _five() -> dict:
    return {"ops-0-op": "replace_words", "ops-0-target": "3.2", "ops-0-old-kk": "критерийлері",
            "ops-0-old-ru": "Критерии", "ops-0-new-kk": "өлшемшарттары", "ops-0-new-ru": "Показатели",
            "ops-1-op": "insert", "ops-1-after": "4.3", "ops-1-target": "4.3-1", "ops-1-kind": "clause",
            "ops-1-text-kk": "Бағалау нәтижелері жарияланады.", "ops-1-text-ru": "Результаты оценки публикуются.",
            "ops-2-op": "delete", "ops-2-target": "5.2",
            "ops-3-op": "change_indicator", "ops-3-target": "legal.inspections", "ops-3-rule_kind": "per_unit",
            "ops-3-points": "15", "ops-3-cap": "1000",
            "ops-4-op": "add_indicator", "ops-4-block": "legal", "ops-4-name": "hotline",
            "ops-4-after": "legal.inspections", "ops-4-title-kk": "Сенім телефоны",
            "ops-4-title-ru": "Телефон доверия", "ops-4-unit": "yes_no", "ops-4-rule_kind": "fixed",
            "ops-4-points": "50"}


def _reweights(root: Path, count: int) -> dict:
    from regdoc.app.composing import indicator_fields
    from regdoc.app.editing import edition_before

    fields: dict = {}
    for n, ind in enumerate(list(edition_before(root, "2027-02-12").appendix.indicators())[:count]):
        fields[f"ops-{n}-op"] = "change_indicator"
        fields[f"ops-{n}-target"] = ind.id
        fields[f"ops-{n}-title-kk"] = ind.title.kk + " (жаңа)"
        fields[f"ops-{n}-title-ru"] = ind.title.ru + " (новое)"
        fields.update({f"ops-{n}-{k}": v for k, v in indicator_fields({"op": "change_indicator"}).items()})
    return fields


def child(ops: int, previews: int) -> None:
    import re
    import shutil
    import tempfile

    from starlette.testclient import TestClient

    from regdoc.web.server import create_app

    with tempfile.TemporaryDirectory(prefix="regdoc-bench-compose-") as tmp:
        root = Path(tmp) / "data"
        for part in ("regulation", "resolutions", "organisations", "evaluations"):
            shutil.copytree(REPO / part, root / part)
        client = TestClient(create_app(root), headers={"Accept-Language": "en"})
        page = client.get("/amendments/compose").text
        form = {"csrf": re.search(r'name="csrf" value="([^"]+)"', page)[1], "adopted_by": "2026-02-20/9/7",
                "in_force": "2027-02-12", "source": "issued", "regulation_ref-kk": "Ережеге",
                "regulation_ref-ru": "Положение", "action": "preview"}
        form.update(_five() if ops == 5 else _reweights(root, ops) if ops else {})
        for _ in range(previews if ops else 0):
            r = client.post("/amendments/compose", data=form)
            if r.status_code != 200 or 'class="field-error"' in r.text or "amending" not in r.text:
                raise SystemExit(f"the preview of {ops} operations failed: {r.status_code}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--previews", type=int, default=10)
    parser.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    me = [sys.executable, str(Path(__file__).resolve())]
    commands = {"start": me + ["--child", "0", "0"],
                "ops-5": me + ["--child", "5", str(args.previews)],
                "ops-25": me + ["--child", "25", str(args.previews)]}
    found = interleaved(commands, args.runs, process_env())
    print(f"{args.runs} rounds, {args.previews} previews a process (loaded machines: compare CPU times)")
    for measured in found.values():
        print(measured.line(12))
    base = statistics.median(found["start"].cpu)
    for name in ("ops-5", "ops-25"):
        print(f"  one preview of {name}: {(statistics.median(found[name].cpu) - base) / args.previews * 1000:.1f} ms "
              "CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
