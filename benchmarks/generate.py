#!/usr/bin/env python3
"""Generate data trees for the benchmarks, in the documented data format (README, «Data files»).

    python benchmarks/generate.py organisations 2000 OUT    # the shipped tree + 2 000 sample organisations
    python benchmarks/generate.py regulation 500 100 OUT    # a 500-unit Regulation amended 100 times

`organisations N`: a copy of the shipped data tree (regulation, resolutions, templates, registry) whose
organisations.yaml and 2025 evaluation gain N generated member organisations (`source: sample`). Each generated
organisation reports values no better than the worst shipped organisation on every indicator (fewer points on
every rule, more on every penalty), scaled by a random factor, so the shipped resolution's places and rewards
still hold and `regdoc check` passes: `score`, `render results` and `build` run on it as on real data.

`regulation UNITS AMENDMENTS`: a fresh data tree whose initial edition (2000-01-01) has UNITS units (sections,
clauses, sub-clauses) and the shipped Appendix 1, amended by AMENDMENTS amendments of 5 operations each (new
wording, words replaced, sub-clauses inserted and deleted), each adopted by its own resolution, one per month.

The output folder must not exist. Seeded: equal arguments give equal files.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("мүшелік", "ұйым", "бағалау", "ұпай", "кесте", "тармақ", "жыл", "қорытынды", "көрсеткіш", "Кәсіподақ",
         "критерий", "есеп", "сыйлықақы", "марапат", "бөлім", "шешім")
RU = {"мүшелік": "членский", "ұйым": "организация", "бағалау": "оценка", "ұпай": "балл", "кесте": "таблица",
      "тармақ": "пункт", "жыл": "год", "қорытынды": "итог", "көрсеткіш": "показатель", "Кәсіподақ": "Профсоюз",
      "критерий": "критерий", "есеп": "отчёт", "сыйлықақы": "премия", "марапат": "награда", "бөлім": "раздел",
      "шешім": "решение"}


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value: str):
    # quote every string, so that unit numbers like "4.2" and dates stay strings
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')


_Dumper.add_representer(str, _str)


def dump(path: Path, value, comment: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 20)
    path.write_text(f"# {comment}\n" + text, encoding="utf-8")


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _copy_shipped(out: Path, parts: tuple[str, ...]) -> None:
    out.mkdir(parents=True)
    for part in parts:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, out / part)
        else:
            (out / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, out / part)


# ----- organisations -------------------------------------------------------------------------------------------

def _criteria(tree_root: Path) -> dict:
    """Return the criteria the 2025 evaluation is scored under (the shipped amendment's Appendix 1), as written."""
    amendment = _load(tree_root / "regulation" / "versions" / "2026-02-20.yaml")
    return next(op["criteria"] for op in amendment["ops"] if op["op"] == "replace_appendix")


def _ratios(tree_root: Path) -> list[tuple[str, str]]:
    """Return the (numerator, denominator) value ids of every ratio of the criteria."""
    return [(ind["ratio"]["numerator"]["id"], ind["ratio"]["denominator"]["id"])
            for block in _criteria(tree_root)["blocks"] for ind in block["indicators"] if "ratio" in ind]


def _criteria_rules(tree_root: Path) -> dict[str, str]:
    """Return value id -> 'more' (a higher value never gives fewer points) or 'less' (a penalty), for the criteria
    the 2025 evaluation is scored under (the shipped amendment's Appendix 1)."""
    criteria = _criteria(tree_root)
    out = {}
    for block in criteria["blocks"]:
        for ind in block["indicators"]:
            better = "less" if ind["rule"]["kind"] == "penalty" else "more"
            if "ratio" in ind:
                out[ind["ratio"]["numerator"]["id"]] = better
                out[ind["ratio"]["denominator"]["id"]] = "less" if better == "more" else "more"
            else:
                out[ind["id"]] = better
    return out


def organisations(count: int, out: Path, seed: int = 17) -> None:
    rng = random.Random(seed)
    _copy_shipped(out, ("regulation", "resolutions", "templates", "organisations", "evaluations"))
    orgs_path = out / "organisations" / "organisations.yaml"
    evaluation_path = out / "evaluations" / "2025" / "evaluation.yaml"
    orgs = _load(orgs_path)
    evaluation = _load(evaluation_path)
    better = _criteria_rules(out)
    ratios = _ratios(out)
    reports = evaluation["reports"]
    worst: dict[str, object] = {}
    for values in reports.values():
        for vid, value in values.items():
            if vid not in worst:
                worst[vid] = value
            elif isinstance(value, bool):
                worst[vid] = worst[vid] and value if better.get(vid, "more") == "more" else worst[vid] or value
            else:
                pick = min if better.get(vid, "more") == "more" else max
                worst[vid] = pick(worst[vid], value)
    for k in range(1, count + 1):
        oid = f"sample-{k:05d}"
        orgs["organisations"].append({
            "id": oid, "kind": "local", "legal_form": "public_association", "source": "sample",
            "names": [{"name": {"kk": f"Үлгі жергілікті кәсіподақ № {k}",
                                "ru": f"Образец местного профсоюза № {k}"}}]})
        values = {}
        for vid, value in worst.items():
            if isinstance(value, bool):
                values[vid] = value
            elif better.get(vid, "more") == "more":
                factor = rng.uniform(0.2, 1.0)
                values[vid] = int(value * factor) if isinstance(value, int) else round(value * factor, 1)
            else:  # a penalty, or a ratio's denominator: as bad as the worst, or worse
                factor = rng.uniform(1.0, 1.5)
                values[vid] = int(value * factor) + (1 if value == 0 and rng.random() < 0.5 else 0) \
                    if isinstance(value, int) else round(value * factor, 1)
        # a part never exceeds its whole (members <= staff, young members <= members ...): regdoc refuses a share
        # above 100 %; a value that is the part of one ratio and the whole of another is settled by repeating
        for _ in ratios:
            for numerator, denominator in ratios:
                if values.get(numerator, 0) > values.get(denominator, 0):
                    values[numerator] = values[denominator]
        reports[oid] = values
    # The reports go to a spreadsheet (`reports_file`): inline, 10 000 organisations pass the 5 MB limit of a
    # YAML data file. Its heading rows are regdoc's own template of the year (`evaluation template --filled`).
    template = out / "template.csv"  # outside the source folders (regdoc refuses to write among them)
    subprocess.run([sys.executable, "-m", "regdoc", "evaluation", "template", "2025", "--filled", "--format", "csv",
                    "--out", str(template), "--root", str(out)], check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, PYTHONPATH=str(ROOT / "src")))
    with template.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    template.unlink()
    heading = next(i for i, row in enumerate(rows) if row and row[0] == "organisation")
    ids = rows[heading][2:]
    names = {o["id"]: o["names"][-1]["name"]["kk"] for o in orgs["organisations"]}
    with (out / "evaluations" / "2025" / "reports.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerows(rows[:heading + 1])
        for oid, values in reports.items():
            writer.writerow([oid, names[oid]] + ["" if vid not in values else int(values[vid])
                                                 if isinstance(values[vid], bool) else values[vid] for vid in ids])
    del evaluation["reports"]
    evaluation["reports_file"] = "reports.csv"
    dump(orgs_path, orgs, f"The shipped organisations and {count} generated SAMPLE ones (benchmarks/generate.py)")
    dump(evaluation_path, evaluation,
         f"The shipped 2025 evaluation; its reports and those of {count} generated SAMPLE organisations are in "
         "reports.csv (benchmarks/generate.py)")


# ----- regulation ----------------------------------------------------------------------------------------------

def _sentence(rng: random.Random, n: int) -> dict[str, str]:
    words = [rng.choice(WORDS) for _ in range(n)]
    return {"kk": " ".join(words) + ".", "ru": " ".join(RU[w] for w in words) + "."}


def _units(rng: random.Random, count: int) -> list[dict]:
    """Return `count` units: sections of 7 clauses of 6 sub-clauses (50 units a section), the last one cut short."""
    units = []
    s = 0
    while len(units) < count:
        s += 1
        units.append({"id": str(s), "kind": "section", "text": _sentence(rng, 4)})
        for c in range(1, 8):
            if len(units) >= count:
                break
            units.append({"id": f"{s}.{c}", "kind": "clause", "text": _sentence(rng, 14)})
            for sc in range(1, 7):
                if len(units) >= count:
                    break
                units.append({"id": f"{s}.{c}.{sc}", "kind": "subclause", "text": _sentence(rng, 8)})
    return units


def regulation(unit_count: int, amendment_count: int, out: Path, seed: int = 17) -> None:
    rng = random.Random(seed)
    _copy_shipped(out, ("regulation/regulation.yaml", "resolutions/registry.yaml", "organisations", "templates"))
    shipped = _load(ROOT / "regulation" / "versions" / "2023-03-01.yaml")
    units = _units(rng, unit_count)
    for u in units:
        u["source"] = "sample"
    dump(out / "regulation" / "versions" / "2000-01-01.yaml",
         {"edition": "initial", "in_force": "2000-01-01", "source": "sample",
          "approval": {"kk": "Үлгі (benchmarks/generate.py)", "ru": "Образец (benchmarks/generate.py)"},
          "units": units, "appendix_1": shipped["appendix_1"]},
         f"SAMPLE initial edition of {len(units)} units (benchmarks/generate.py)")
    live = {u["id"]: u["text"] for u in units}
    kinds = {u["id"]: u["kind"] for u in units}
    for k in range(amendment_count):
        year, month = 2001 + k // 12, k % 12 + 1
        day = date(year, month, 10)
        rid = f"{day.isoformat()}/{month}/1"  # per_year numbering: meeting No = month
        ops: list[dict] = []
        touched: set[str] = set()
        while len(ops) < 5:
            kind = rng.choices(["replace", "replace_words", "insert", "delete"], [4, 4, 2, 1])[0]
            clauses = sorted(i for i in live if kinds[i] == "clause" and i not in touched)
            subclauses = sorted(i for i in live if kinds[i] == "subclause" and i not in touched)
            if kind == "insert":
                parent = rng.choice(clauses)
                children = [i for i in live if i.startswith(parent + ".")]
                children += [i for i in kinds if i.startswith(parent + ".") and i not in live]
                number = max([int(i.rsplit(".", 1)[1]) for i in children] + [0]) + 1
                target = f"{parent}.{number}"
                # after the last child, so that the number sorts right after the unit it follows (the placement
                # rule of `check`); a deleted last child can't be followed: pick another operation then
                after = max(children, key=lambda i: int(i.rsplit(".", 1)[1]), default=parent)
                if after != parent and after not in live:
                    continue
                text = _sentence(rng, 8)
                ops.append({"op": "insert", "target": target, "after": after, "kind": "subclause", "text": text})
                live[target], kinds[target] = text, "subclause"
            elif kind == "delete":
                target = rng.choice(subclauses)
                ops.append({"op": "delete", "target": target})
                del live[target]
            elif kind == "replace":
                target = rng.choice(clauses + subclauses)
                text = _sentence(rng, 14 if kinds[target] == "clause" else 8)
                ops.append({"op": "replace", "target": target, "text": text})
                live[target] = text
            else:
                target = rng.choice(clauses)
                old_kk = live[target]["kk"].split()[0]
                old_ru = live[target]["ru"].split()[0]
                new = rng.choice(WORDS)
                ops.append({"op": "replace_words", "target": target, "old": {"kk": old_kk, "ru": old_ru},
                            "new": {"kk": new, "ru": RU[new]}, "occurrence": "all"})
                live[target] = {"kk": live[target]["kk"].replace(old_kk, new),
                                "ru": live[target]["ru"].replace(old_ru, RU[new])}
            touched.add(ops[-1]["target"])
        dump(out / "regulation" / "versions" / f"{day.isoformat()}.yaml",
             {"adopted_by": rid, "in_force": day.isoformat(), "source": "sample",
              "regulation_ref": {"kk": "Ережеге", "ru": "Положение"}, "ops": ops},
             f"SAMPLE amendment {k + 1} of {amendment_count} (benchmarks/generate.py)")
        dump(out / "resolutions" / str(year) / f"{day.isoformat()}-{month}-1.yaml",
             {"id": rid, "source": "sample",
              "title": {"kk": f"Ережеге өзгерістер енгізу туралы ({k + 1})",
                        "ru": f"О внесении изменений в Положение ({k + 1})"},
              "preamble": {"kk": "Атқару комитеті", "ru": "Исполнительный комитет"},
              "items": [{"number": 1, "amendment": day.isoformat()}],
              "signatory": {"position": {"kk": "Төраға", "ru": "Председатель"},
                            "name": {"kk": "Үлгі", "ru": "Образец"}}},
             f"SAMPLE resolution {k + 1} of {amendment_count} (benchmarks/generate.py)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("organisations", help="the shipped tree with N generated organisations")
    p.add_argument("count", type=int)
    p.add_argument("out", type=Path)
    p = sub.add_parser("regulation", help="a generated Regulation amended many times")
    p.add_argument("units", type=int)
    p.add_argument("amendments", type=int)
    p.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.out.exists():
        parser.error(f"{args.out} exists")
    if args.what == "organisations":
        organisations(args.count, args.out)
    else:
        regulation(args.units, args.amendments, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
