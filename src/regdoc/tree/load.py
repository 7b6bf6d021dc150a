"""The data tree loaded whole: read (regdoc.tree.read), then checked (regdoc.tree.check); any error raises.

A tree whose files hold the bytes they held when it was last loaded comes from the validated-tree cache
(regdoc.tree.snapshot) instead, without reading, parsing or checking anything again: the modules that do that
are imported only when they are needed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from regdoc.data import model as m
from regdoc.errors import CheckFailed, Problem
from regdoc.tree import snapshot


def load_tree(root: Path | str, drafts: bool = False) -> m.DataTree:
    """Return the DataTree under `root`; raise CheckFailed listing every error (warnings are ignored). With
    `drafts`, errors that leave the tree readable (`Problem.draft`: an amendment whose resolution does not exist
    yet) do not raise: the tree is returned with those amendments marked `draft`."""
    return load_tree_and_drafts(root)[0] if drafts else _strict(load_tree_and_drafts(root))


def load_tree_and_drafts(root: Path | str) -> tuple[m.DataTree, list[Problem]]:
    """Return the DataTree under `root` and the problems found when some of them are draft errors (else an empty
    list); raise CheckFailed listing every problem when an error is not a draft error."""
    root = Path(root)
    found, files = snapshot.lookup("tree", root)  # kept only without errors: no draft errors either
    if found is not None:
        return snapshot.rooted(found[0], root), []
    from regdoc.tree.check import semantic_problems
    from regdoc.tree.read import Reader, read_tree

    reader = Reader(root)
    tree = read_tree(reader)
    if tree is not None:
        reader.problems.extend(semantic_problems(tree))
    if tree is None or any(p.severity == "error" and not p.draft for p in reader.problems):
        raise CheckFailed(reader.problems)
    if snapshot.keepable(reader.problems, tree.root):
        snapshot.store("tree", files, (tree, tuple(reader.problems)), dict(tree.digests))
    return tree, (reader.problems if reader.failed else [])


def _strict(loaded: tuple[m.DataTree, list[Problem]]) -> m.DataTree:
    tree, problems = loaded
    if problems:
        raise CheckFailed(problems)
    return tree


def load_evaluation(root: Path | str, year: int, tree: Optional[m.DataTree] = None,
                    reports_from: Optional[Path | str] = None, reports_shown: Optional[str] = None) -> m.Evaluation:
    """Return the evaluation of `year` under `root` (its reports those of `reports_from`, named `reports_shown` in
    messages, when given); raise CheckFailed listing every problem.

    Score it with `regdoc.scoring.score.score(evaluation.criteria, evaluation)`.
    """
    tree = tree if tree is not None else load_tree(root)
    kind = f"evaluation {year}"
    files = None
    if reports_from is None:  # an evaluation of the tree's own files: cached with them (and with the tree read)
        found, files = snapshot.lookup(kind, Path(root))
        if found is not None and found[0] == dict(tree.digests):
            return found[1]
    from regdoc.tree.read import Reader, read_evaluation

    reader = Reader(Path(root))
    evaluation = read_evaluation(reader, tree, year, Path(reports_from) if reports_from is not None else None,
                                 reports_shown)
    if evaluation is None or reader.failed:
        raise CheckFailed(reader.problems)
    if reports_from is None and snapshot.keepable(reader.problems, tree.root):
        snapshot.store(kind, files, (dict(tree.digests), evaluation), {**tree.digests, **evaluation.digests})
    return evaluation
