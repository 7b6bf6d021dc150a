"""Where a problem `check` finds leads: the data file at its line, and the page of what it concerns (a unit's
history, an indicator of Appendix 1, a resolution, a ranking, an organisation) or, for an editor, the form that
edits it. Pure: a problem, the loaded tree (None when it does not load) and the user's role in; links out.

Every address is built from ids of the loaded model (or, for the file, from a path the workspace lists), never from
the problem's text alone, and every id is quoted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional
from urllib.parse import quote

from regdoc.data import model as m
from regdoc.i18n import _

_INDEX = re.compile(r"^([a-z_0-9]+)\[(\d+)\](?:\.(.*))?$")
_RESOLUTION = re.compile(r"^resolutions/(\d{4})/(\d{4}-\d{2}-\d{2}-\d{1,4}-\d{1,4})\.ya?ml$")
_VERSION = re.compile(r"^regulation/versions/([0-9]{4}-[0-9]{2}-[0-9]{2}(?:[-_.][A-Za-z0-9]+)*)\.ya?ml$")
_EVALUATION = re.compile(r"^evaluations/(\d{4})/")
CRITERIA_OPS = ("replace_appendix", "add_indicator", "remove_indicator", "change_indicator")


@dataclass(frozen=True)
class Link:
    label: str
    href: str


def _q(value: str) -> str:
    return quote(str(value), safe="")


def _indexed(node: Optional[str], key: str) -> tuple[Optional[int], str]:
    """Return (i, rest) when `node` is key[i].rest, else (None, '')."""
    hit = _INDEX.match(node or "")
    if hit and hit[1] == key:
        return int(hit[2]), hit[3] or ""
    return None, ""


def file_link(rel: str, line: Optional[int]) -> Link:
    anchor = f"#L{line}" if line else ""
    return Link(_("{file}, line {line}").format(file=rel, line=line) if line else rel,
                "/files/" + "/".join(_q(part) for part in rel.split("/")) + anchor)


def _indicator(tree: m.DataTree, indicator_id: str, when) -> Link:
    return Link(_("indicator {id} in Appendix 1").format(id=indicator_id),
                f"/regulation?date={when.isoformat()}#i-{_q(indicator_id)}")


def _unit(unit_id: str) -> Link:
    return Link(_("history of {unit}").format(unit=unit_id), f"/history/{_q(unit_id)}")


def concerns(file: Optional[str], node: Optional[str], tree: Optional[m.DataTree], editor: bool) -> list[Link]:
    """Return the links to what a problem at `file`/`node` concerns (see the module's docstring)."""
    if not file:
        return []
    out: list[Link] = []
    hit = _VERSION.match(file)
    if hit:
        name = hit[1]
        if tree is not None and tree.initial.name == name:
            i, rest = _indexed(node, "units")
            if i is not None and i < len(tree.initial.units):
                out.append(_unit(tree.initial.units[i].id))
            elif (node or "").startswith("appendix_1"):
                out.append(Link(_("Appendix 1"), f"/regulation?date={tree.initial.in_force.isoformat()}#appendix"))
            return out
        amendment = tree.amendment(name) if tree is not None else None
        i, rest = _indexed(node, "ops")
        if amendment is not None:
            if i is not None and i < len(amendment.ops):
                op = amendment.ops[i]
                if op.op in CRITERIA_OPS:
                    if op.op != "replace_appendix" and op.target:
                        out.append(_indicator(tree, op.target, amendment.in_force))
                    else:
                        out.append(Link(_("Appendix 1"), f"/regulation?date={amendment.in_force.isoformat()}#appendix"))
                elif op.target:
                    out.append(_unit(op.target))
            else:
                ordered = [tree.initial.name] + [a.name for a in sorted(tree.amendments,
                                                                        key=lambda a: (a.in_force, a.name))]
                previous = ordered[ordered.index(name) - 1]
                out.append(Link(_("what amendment {name} changed").format(name=name),
                                f"/compare?from={_q(previous)}&to={_q(name)}"))
        if editor:
            out.append(Link(_("edit amendment {name}").format(name=name),
                            f"/amendments/compose?name={_q(name)}" + (f"#op-{i}" if i is not None else "")))
        return out
    hit = _RESOLUTION.match(file)
    if hit:
        stem = hit[2]
        if tree is not None and any(r.id.file_stem == stem for r in tree.resolutions):
            out.append(Link(_("resolution {stem}").format(stem=stem), f"/resolutions/{stem}"))
        if editor:
            out.append(Link(_("edit resolution {stem}").format(stem=stem), f"/edit/resolutions/{stem}"))
        return out
    hit = _EVALUATION.match(file)
    if hit:
        year = hit[1]
        parts = (node or "").split(".", 1)
        if parts[0] == "reports" and len(parts) > 1 and tree is not None:
            org_id, _dot, value = parts[1].partition(".")
            if tree.organisation(org_id) is not None:
                out.append(Link(_("organisation {id} in {year}").format(id=org_id, year=year),
                                f"/organisations/{_q(org_id)}?year={year}"))
        out.append(Link(_("ranking of {year}").format(year=year), f"/evaluations/{year}"))
        return out
    if file.startswith("organisations/") and tree is not None:
        i, rest = _indexed(node, "organisations")
        if i is not None and i < len(tree.organisations):
            org = tree.organisations[i]
            out.append(Link(_("organisation {id}").format(id=org.id), f"/organisations/{_q(org.id)}"))
    return out
