"""Benchmark of the versioning engine (a script, not a test).

A generated Regulation of 500 units (10 sections x 7 clauses x 6 sub-clauses) and Appendix 1 of 6 blocks, amended by
50, 100 and 200 amendments of 5 operations each (new wording, words replaced, units inserted and deleted, a
criterion re-weighted), each drawn against the edition it changes. Measured, as the median of several runs:

- `edition_at` for the last in-force date (the costliest date: every amendment applies);
- the diff of the first and the last editions (units, then words inside each changed unit, both languages).

Run: PYTHONPATH=src python benchmarks/bench_versioning.py [--runs N]
"""
from __future__ import annotations

import argparse
import random
from datetime import date, timedelta

from timing import median_ms  # noqa: E402

from regdoc.data import model as m
from regdoc.versioning.amend import apply, edition_at, editions, initial_edition, suggest_number
from regdoc.versioning.diff import diff_editions

WORDS = ("мүшелік", "ұйым", "бағалау", "ұпай", "кесте", "тармақ", "жыл", "қорытынды", "көрсеткіш", "Кәсіподақ",
         "критерий", "есеп", "сыйлықақы", "марапат", "бөлім", "шешім")
START = date(2020, 1, 1)


def sentence(rng: random.Random, n: int = 14) -> m.Text:
    words = [rng.choice(WORDS) for _ in range(n)]
    return m.Text(" ".join(words) + ".", " ".join(w.upper() for w in words) + ".")


def regulation(rng: random.Random) -> m.InitialEdition:
    units = []
    for s in range(1, 11):
        units.append(m.Unit(str(s), "section", sentence(rng, 4)))
        for c in range(1, 8):
            units.append(m.Unit(f"{s}.{c}", "clause", sentence(rng)))
            for sc in range(1, 7):
                units.append(m.Unit(f"{s}.{c}.{sc}", "subclause", sentence(rng, 8)))
    assert len(units) == 500
    blocks = tuple(m.Block(f"b{k}", m.Text(f"Блок {k}", f"Блок {k}"), k < 3,
                           tuple(m.Indicator(f"b{k}.i{j}", m.Text(f"Көрсеткіш {j}", f"Показатель {j}"), "count",
                                             m.Rule("per_unit", 1.0, 100)) for j in range(5)))
                   for k in range(6))
    return m.InitialEdition("2020-01-01", START, "sample", m.Text("бекітілген", "утверждено"), tuple(units),
                            m.Criteria("sample", 3, m.Rewards("main_blocks", 3), blocks))


def draw_op(rng: random.Random, edition, serial: int) -> m.Op:
    live = [u for u in edition.units if not u.deleted]
    kind = rng.choices(["replace", "replace_words", "insert", "delete", "change_indicator"], [4, 4, 2, 1, 1])[0]
    if kind == "change_indicator":
        ind = rng.choice(list(edition.appendix.indicators()))
        return m.Op("change_indicator", ind.id, rule=m.Rule("per_unit", float(serial % 7 + 2), 100 + serial))
    if kind == "insert":
        # numbered by the placement rule of `check` (versioning.amend.suggest_number): after the last sub-clause
        # of a clause, or as its first; a clause whose last sub-clause is deleted gets a new wording instead
        parent = rng.choice([u for u in live if u.kind == "clause"])
        children = sorted((u for u in edition.units if u.parent == parent.id), key=lambda u: m.number_key(u.id))
        if not children:
            number, after = suggest_number(edition.units, parent.id, first_child=True), parent.id
        elif not children[-1].deleted:
            number, after = suggest_number(edition.units, children[-1].id), children[-1].id
        else:
            return m.Op("replace", parent.id, text=sentence(rng))
        return m.Op("insert", number, text=sentence(rng, 8), after=after, kind="subclause")
    if kind == "delete":
        return m.Op("delete", rng.choice([u for u in live if u.kind == "subclause"]).id)
    unit = rng.choice(live)
    if kind == "replace":
        return m.Op("replace", unit.id, text=sentence(rng))
    old_kk, old_ru = unit.text.kk.split()[0], unit.text.ru.split()[0]
    return m.Op("replace_words", unit.id, old=m.Text(old_kk, old_ru),
                new=m.Text(f"{old_kk} {serial}", f"{old_ru} {serial}"), occurrence="all")


def amendments(rng: random.Random, initial: m.InitialEdition, count: int, ops_each: int = 5) -> list[m.Amendment]:
    edition = initial_edition(initial)
    out = []
    for k in range(count):
        day = START + timedelta(days=30 * (k + 1))
        ops = []
        work = edition
        for j in range(ops_each):
            op = draw_op(rng, work, k * ops_each + j)
            ops.append(op)
            work = apply(work, m.Amendment("probe", m.ResolutionId(day, 1, 1), day, "sample", (op,)))
        amendment = m.Amendment(day.isoformat(), m.ResolutionId(day, k + 1, 1), day, "sample", tuple(ops))
        edition = apply(edition, amendment)
        out.append(amendment)
    return out



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per measurement (default 15)")
    args = parser.parse_args()
    initial = regulation(random.Random(2026))
    rows = []
    for count in (50, 100, 200):
        amended = amendments(random.Random(count), initial, count)
        last_date = amended[-1].in_force
        all_editions = editions(initial, amended)
        first, last = all_editions[0], all_editions[-1]
        assert edition_at(initial, amended, last_date) == last
        edition_ms = median_ms(lambda: edition_at(initial, amended, last_date), args.runs)
        diff_ms = median_ms(lambda: diff_editions(first, last), args.runs)
        d = diff_editions(first, last)
        counts = d.counts()
        rows.append((count, count * 5, len(last.units), counts["changed"] + counts["added"] + counts["deleted"],
                     edition_ms, diff_ms, edition_ms / count * 1000))
    print(f"versioning benchmark: 500-unit Regulation, 5 operations per amendment, median of {args.runs} runs")
    header = ("amendments", "ops", "units", "units changed", "edition_at (ms)", "diff first→last (ms)",
              "edition_at per amendment (µs)")
    widths = [max(len(h), 8) for h in header]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
    for row in rows:
        cells = [str(row[0]), str(row[1]), str(row[2]), str(row[3]), f"{row[4]:.1f}", f"{row[5]:.1f}", f"{row[6]:.0f}"]
        print("  ".join(c.rjust(w) for c, w in zip(cells, widths)))


if __name__ == "__main__":
    main()
