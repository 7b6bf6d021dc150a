"""Assign a new resolution its number and create its file: the one writer of resolutions/.

The steps run under a lock of the resolutions/ folder (so two regdoc processes on one machine never plan from
the same view of the registry), and the file is created exclusively (so even a writer that does not take the
lock can never be overwritten): read the registry, plan the number (registry.plan_resolution), write the
skeleton under a temporary name and link it to resolutions/<year>/<date>-<meeting>-<item>.yaml. When that name is
taken after all, the registry is read again and the next item is tried.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Optional

from regdoc.data import model as m
from regdoc.data.parse import parse_resolution
from regdoc.data.schemas import validate
from regdoc.data.yamldoc import parse_document
from regdoc.errors import CheckFailed, Problem, RegdocError
from regdoc.files.write import create_exclusive, folder_lock, os_error
from regdoc.i18n import N_, _
from regdoc.registry.numbering import Plan, plan_resolution, registry_problems, skeleton_yaml
from regdoc.tree.read import REGISTRY_FILE, RESOLUTIONS_DIR, Reader, read_registry, read_resolutions, resolution_files

ATTEMPTS = 100
_STEM = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})-([0-9]+)-([0-9]+)$")


@dataclass(frozen=True)
class Assigned:
    """A resolution created by `assign_resolution`: its number, its file, and how its meeting was found."""

    plan: Plan
    path: Path  # the file, under the data tree's root as given
    numbering: str

    @property
    def id(self) -> m.ResolutionId:
        return self.plan.id


def resolution_path(root: Path, rid: m.ResolutionId) -> Path:
    """Return the file of resolution `rid` under `root`: resolutions/<year>/<date>-<meeting>-<item>.yaml."""
    return Path(root) / RESOLUTIONS_DIR / str(rid.date.year) / f"{rid.file_stem}.yaml"


def _registry_state(root: Path) -> tuple[m.Registry, list[m.ResolutionId]]:
    """Return the declared numbering and every number the registry holds; raise when it cannot be trusted."""
    reader = Reader(root)
    registry = read_registry(reader)
    resolutions = read_resolutions(reader)
    if reader.failed:
        raise CheckFailed(reader.problems)
    if registry is None:
        raise RegdocError(_("the numbering period is not declared: create this file with `numbering: per_year` or "
                            "`numbering: continuous` before numbers are assigned"), REGISTRY_FILE.as_posix())
    problems = registry_problems(resolutions, registry.numbering)
    if problems:
        raise CheckFailed([Problem.from_error(err) for err in problems])
    taken = [r.id for r in resolutions]
    for path in resolution_files(root):  # a file's name claims its number even when it holds another id
        try:
            taken.append(m.ResolutionId.parse(_id_of_stem(path.stem)))
        except ValueError:
            pass
    return registry, taken


def _id_of_stem(stem: str) -> str:
    """Return the id a file name claims: 2026-02-20-9-7 -> 2026-02-20/9/7 (parsed and checked by the caller)."""
    match = _STEM.fullmatch(stem)
    return f"{match[1]}/{match[2]}/{match[3]}" if match else stem


def _year_folder(root: Path, year: int) -> Path:
    """Return resolutions/<year>, creating it when missing; refuse anything leading outside resolutions/."""
    base = Path(root) / RESOLUTIONS_DIR
    folder = base / str(year)
    shown = folder.relative_to(root).as_posix()
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise RegdocError(_("is not a folder of the data tree (a file or a link stands there): resolutions are "
                            "written only into real folders under resolutions/"), shown)
    try:
        if not folder.exists():  # (mkdir of an existing folder on a read-only file system may say so instead)
            folder.mkdir()
    except FileExistsError:
        pass
    except OSError as exc:
        raise os_error(exc, shown, N_("create the folder")) from None
    if not folder.resolve().is_relative_to(base.resolve()):
        raise RegdocError(_("leads outside resolutions/"), shown)
    return folder


def _verified(text: str, shown: str) -> bytes:
    """Return the skeleton's bytes after reading them back as a resolution (a failure here is a bug)."""
    raw = text.encode("utf-8")
    doc = parse_document(raw, shown)
    errors = validate(doc, "resolution")
    if errors:
        raise AssertionError(f"regdoc wrote a skeleton its schema refuses: {errors[0]}")
    parse_resolution(doc)
    return raw


def assign_resolution(root: Path | str, when: date, meeting: Optional[int] = None,
                      title: Optional[dict] = None, item: Optional[int] = None) -> Assigned:
    """Return the new resolution dated `when` after creating its skeleton file with the next free number.

    `meeting` (checked against the numbering rules) overrides the meeting found for the date, `item` (when free)
    the next free item of the meeting; `title` maps
    'kk'/'ru' to the titles given. Two concurrent calls get two different numbers, or one of them a RegdocError;
    no call ever replaces a file.
    """
    root = Path(root)
    base = root / RESOLUTIONS_DIR
    if not base.is_dir():
        raise RegdocError(_("no resolutions/ folder here: not a regdoc data tree with a registry (pass --root DIR "
                            "or run from the data tree)"), root)
    with folder_lock(base):
        refused: set[m.ResolutionId] = set()
        for _attempt in range(ATTEMPTS):
            registry, taken = _registry_state(root)
            plan = plan_resolution(taken + sorted(refused), when, registry.numbering, meeting, item)
            path = resolution_path(root, plan.id)
            shown = path.relative_to(root).as_posix()
            data = _verified(skeleton_yaml(plan.id, title), shown)
            _year_folder(root, plan.id.date.year)
            try:
                create_exclusive(path, data)
            except FileExistsError:
                refused.add(plan.id)  # someone outside the lock took it: read again, try the next item
                continue
            except RegdocError as err:
                err.file = shown  # name the file as every other message does: within the data tree
                raise
            return Assigned(plan, path, registry.numbering)
    raise RegdocError(_("no free item found for {when} after {attempts} attempts: other writers keep taking them; "
                        "try again").format(when=when.isoformat(), attempts=ATTEMPTS), base)
