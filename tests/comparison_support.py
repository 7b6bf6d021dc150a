"""Helpers of the comparison tests: small amendments written into a copy of the data tree."""
from __future__ import annotations

import json
from pathlib import Path

# Values that break naive writers: XML/HTML specials, quotes of both kinds, «», №, Kazakh letters.
HOSTILE = {"kk": "Ә & <b>қ</b> \"ғ\" 'ү' «ұ» № 7 — ө > һ", "ru": "Ё & <i>ж</i> \"щ\" 'ъ' «э» № 7 — ю > я"}


def write_amendment(tree: Path, name: str, ops: list[dict], in_force: str | None = None,
                    adopted_by: str | None = None, source: str = "sample") -> Path:
    """Write regulation/versions/<name>.yaml holding `ops` (JSON is YAML), and the draft resolution adopting it
    (default: meeting 3, item 2 on the in-force date) when it does not exist; return the amendment's path."""
    in_force = in_force or name[:10]
    adopted_by = adopted_by or f"{in_force}/3/2"
    from regdoc.data.model import ResolutionId

    parsed = ResolutionId.parse(adopted_by)
    if not (tree / "resolutions" / str(parsed.date.year) / f"{parsed.file_stem}.yaml").exists():
        write_resolution(tree, adopted_by)
    body = {"adopted_by": adopted_by, "in_force": in_force, "source": source, "ops": ops}
    path = tree / "regulation" / "versions" / f"{name}.yaml"
    path.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def text(kk: str, ru: str | None = None) -> dict:
    return {"kk": kk, "ru": ru if ru is not None else kk}


def write_resolution(tree: Path, rid: str) -> Path:
    """Write a draft resolution `rid` (its skeleton, as `regdoc resolution new` makes it) and return its path."""
    from regdoc.data.model import ResolutionId
    from regdoc.registry.numbering import skeleton_yaml

    parsed = ResolutionId.parse(rid)
    path = tree / "resolutions" / str(parsed.date.year) / f"{parsed.file_stem}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(skeleton_yaml(parsed), encoding="utf-8")
    return path
