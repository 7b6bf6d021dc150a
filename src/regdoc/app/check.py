"""Application functions: check the whole data tree."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from regdoc.errors import Problem


@dataclass(frozen=True)
class CheckReport:
    """Every problem of a data tree, errors first, each in file and line order."""

    root: Path
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


def check(root: Path | str) -> CheckReport:
    """Return every error and warning of the data tree under `root` (schemas, semantics, scoring)."""
    from regdoc.tree import snapshot

    found, _files = snapshot.lookup("problems", Path(root))  # a hit needs neither the model nor the checks
    if found is not None:
        found_problems = list(found)
    else:
        from regdoc.tree.check import check_tree

        found_problems = check_tree(Path(root))
    problems = sorted(found_problems, key=lambda p: (p.severity != "error", p.file or "", p.line or 0))
    return CheckReport(Path(root), tuple(problems))


@dataclass(frozen=True)
class SchemaFiles:
    """Where the installed JSON Schemas lie, and which data files each describes (globs under a data tree)."""

    folder: Path
    files: tuple[tuple[str, Path], ...]  # (data-file glob, schema file), in the order of regdoc.data.schemas.FILES


def schema_files() -> SchemaFiles:
    """Return the folder of the installed schemas and the schema of each kind of data file (for editors and
    other validators: the schemas reference each other by relative file name)."""
    from regdoc.data import schemas

    folder = Path(str(schemas.folder()))
    return SchemaFiles(folder, tuple((glob, folder / schemas.file_name(kind))
                                     for kind, globs in schemas.FILES.items() for glob in globs))
