"""Every command of the CLI with its typical runs on the shipped data tree: shared by the test that nothing is
lost (test_nothing_lost) and the record of outputs (cli_golden, test_outputs_unchanged)."""
from __future__ import annotations

import argparse

# Each command's typical runs: arguments after the command's words ({root}: the data tree, {out}: a folder for
# outputs outside the tree's sources, {input}: a filled reporting spreadsheet), and the exit code expected.
RUNS: dict[tuple[str, ...], list[tuple[str, int]]] = {
    ("check",): [("--root {root}", 0), ("{root}", 0)],
    ("regulation",): [("--root {root}", 0), ("--as-of 2025-01-01 --lang ru --format md --root {root}", 0),
                      ("--as-of 2026-02-20 --format json --root {root}", 0)],
    ("history",): [("4.2 --root {root}", 0), ("5.2 --lang ru --format json --root {root}", 0)],
    ("diff",): [("2023-03-01 2026-02-20 --root {root}", 0), ("2025-01-01 2026-03-01 --format md --root {root}", 0),
                ("2023-03-01 2026-02-20 --format html --out {out}/diff.html --root {root}", 0)],
    ("criteria", "diff"): [("2025 2026 --root {root}", 0), ("2023-03-01 2026-02-20 --format json --root {root}", 0)],
    ("score",): [("2025 --root {root}", 0), ("2025 --lang ru --format md --root {root}", 0),
                 ("2025 --format xlsx --out {out}/score.xlsx --root {root}", 0),
                 ("2025 --format csv --out {out}/score.csv --root {root}", 0),
                 ("2025 --explain aktobe --format json --root {root}", 0),
                 ("2025 --input {input} --root {root}", 0)],
    ("evaluation", "template"): [("2025 --out {out}/t.xlsx --root {root}", 0),
                                 ("2025 --filled --format csv --out {out}/t.csv --root {root}", 0),
                                 ("2026 --format csv --root {root}", 0)],
    # the shipped evaluation's own values, sent back: a dry run prints it; an import finds nothing to change
    ("evaluation", "import"): [("2025 {input} --dry-run --sample --root {root}", 0),
                               ("2025 {input} --sample --root {root}", 0), ("2025 {input} --root {root}", 1)],
    ("resolution", "list"): [("--root {root}", 0), ("--format json --root {root}", 0),
                             ("--format xlsx --out {out}/register.xlsx --root {root}", 0)],
    ("resolution", "new"): [],  # the one command that writes into the tree: test_resolution_new_only_adds_its_file
    # creates its file exclusively (test_amendment_new_only_adds_its_file); over an existing file it is refused
    ("amendment", "new"): [("--date 2026-02-20 --resolution 2026-02-20/9/7 --root {root}", 1),
                           ("--date 2027-02-30 --resolution 2027-02-12/3/5 --root {root}", 1),
                           ("--date 2027-02-12 --resolution 2027-02-12/3 --root {root}", 1)],
    ("build",): [("--root {root}", 0), ("--out {out} --root {root}", 0)],
    ("render", "resolution"): [("2026-02-20/9/7 --out {out} --root {root}", 0),
                               ("2026-02-20/9/7 --lang kk --pdf --out {out} --root {root}", 0)],
    ("render", "regulation"): [("--as-of 2026-02-20 --parallel --out {out} --root {root}", 0)],
    ("render", "results"): [("2025 --lang ru --out {out} --root {root}", 0)],
    ("render", "comparison"): [("2026-02-20 --out {out} --root {root}", 0)],
    ("render", "register"): [("2026 --out {out} --root {root}", 0)],
    ("templates", "check"): [("--root {root}", 0)],
    ("serve",): [("--host 0.0.0.0 --users {out}/none.json --root {root}", 1)],  # no accounts: refused at once
    ("users", "add"): [("alice --role viewer --users {root}/users.json --root {root}", 1)],  # inside the tree
    ("redline",): [("2023-03-01 2026-02-20 --out {out}/redline.docx --root {root}", 0)],
    ("schemas",): [("", 0), ("--path", 0)],
    ("completion",): [("bash", 0), ("zsh", 0), ("fish", 0)],
}


def commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Return the word sequences of every command the parser runs (the leaves of its subcommands)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return {prefix}
    found = set()
    for action in subs:
        for name, sub in action.choices.items():
            found |= commands(sub, prefix + (name,))
    return found
