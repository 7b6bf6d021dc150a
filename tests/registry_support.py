"""Helpers shared by the registry's tests: a copy of the shipped data tree, resolutions written into it, and a
snapshot of a folder to prove that nothing was written."""
from __future__ import annotations

from pathlib import Path

import yaml
from datatree import REPO as SHIPPED  # noqa: F401  (re-exported for the registry's tests)
from datatree import copy_tree

from regdoc.data import model as m
from regdoc.registry.numbering import skeleton


def rid(text: str) -> m.ResolutionId:
    return m.ResolutionId.parse(text)


def finished(resolution_id: str, title: str = "Сынақ қаулысы") -> dict:
    """Return the plain data of a finished (placeholder-free) sample resolution."""
    data = skeleton(rid(resolution_id))
    data["source"] = "sample"
    data["title"] = {"kk": title, "ru": "Тестовое постановление"}
    data["preamble"] = {"kk": "Атқару комитеті", "ru": "Исполнительный комитет"}
    data["items"] = [{"number": 1, "text": {"kk": "Бекітілсін.", "ru": "Утвердить."}}]
    data["signatory"] = {"position": {"kk": "Төраға", "ru": "Председатель"},
                         "name": {"kk": "А. Мұқашева", "ru": "А. Мукашева"}}
    return data


def write_resolution(root: Path, resolution_id: str, name: str | None = None, data: dict | None = None) -> Path:
    """Write a sample resolution into the tree (under its own file name unless `name` is given)."""
    r = rid(resolution_id)
    path = root / "resolutions" / str(r.date.year) / (name or f"{r.file_stem}.yaml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data or finished(resolution_id), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def set_numbering(root: Path, numbering: str) -> None:
    (root / "resolutions" / "registry.yaml").write_text(f"numbering: {numbering}\n", encoding="utf-8")


def snapshot(root: Path) -> dict[str, bytes]:
    """Return every file under root (links as their target) with its bytes: equal snapshots, nothing written."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = b"-> " + str(path.readlink()).encode()
        elif path.is_file():
            out[rel] = path.read_bytes()
        else:
            out[rel + "/"] = b""
    return out
