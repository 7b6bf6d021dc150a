"""The amendment composer's choices: what each operation of an amendment being composed applies to, and the
single-indicator operations (add, remove, re-weight) as plain form fields.

- `op_bases`: the edition each operation applies to: the edition in force before the amendment (as
  app.editing.edition_before gives it) changed by the operations before it in the same amendment, in order; so a
  unit replaced by operation 1 offers its new words to operation 2, and a unit inserted by operation 1 can be
  chosen by operation 2. An operation that does not read or apply yet changes nothing (the preview names it).
- `indicator_op`: the operation add_indicator / remove_indicator / change_indicator that the composer's fields
  give (each a string as typed), with every problem placed on the field that caused it, in the interface's
  language; `indicator_fields` is the reverse (an operation, e.g. of a file written by hand, shown in the fields),
  and `indicator_form` what the fields offer: the indicators and blocks of Appendix 1 as the operation finds it,
  the rule in force of the indicator re-weighted, the position proposed for a new one.
- `problem_field`: the field of the composer a problem of an operation (a dotted key of the operation) belongs to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from regdoc.app import editing
from regdoc.data import model as m
from regdoc.data.parse import parse_amendment
from regdoc.errors import RegdocError
from regdoc.i18n import _
from regdoc.versioning.amend import Edition, apply_op

INDICATOR_OPS = ("add_indicator", "remove_indicator", "change_indicator")
RULE_KINDS = ("per_unit", "penalty", "fixed", "bands", "rank")
UNITS = ("count", "persons", "percent", "thousand_tenge", "yes_no")
INPUT_UNITS = ("count", "persons", "thousand_tenge")
ORDERS = ("highest_first", "lowest_first")
# The rule's fields each kind of rule takes (the others are not shown, and not read, for that kind).
RULE_FIELDS = {"per_unit": ("points", "cap"), "penalty": ("points", "cap"), "fixed": ("points",),
               "bands": ("bands",), "rank": ("points", "order")}
RATIO_FIELDS = ("num_id", "num_title-kk", "num_title-ru", "num_unit", "den_id", "den_title-kk", "den_title-ru",
                "den_unit", "on_zero")
FIELDS = ("target", "block", "name", "after", "title-kk", "title-ru", "unit", "missing", "rule_kind", "points",
          "cap", "bands", "order", *RATIO_FIELDS, "prefilled", "prefilled_rule", "prefilled_title")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_BAND = re.compile(r"^\s*(?P<start>[^.…:]+?)\s*(?:\.\.|…)\s*(?P<end>[^:]*?)\s*:\s*(?P<points>.+?)\s*$")
# A one-operation amendment read only to build the model of that operation.
_HEADER = {"adopted_by": "2000-01-01/1/1", "in_force": "2000-01-01", "source": "issued"}


# ----- the edition each operation applies to ---------------------------------------------------------------------

def _models(ops: list) -> Optional[tuple[m.Op, ...]]:
    """Return the models of the operations `ops` (plain data) when every one reads as regdoc reads an amendment
    file's operations (schema included), else None."""
    if not all(isinstance(op, dict) and not any(str(k).startswith("_") for k in op) for op in ops):
        return None
    rel = editing.amendment_path("2000-01-01")
    _text, amendment, _problems = editing._read_back(dict(_HEADER, ops=list(ops)), rel, "amendment",
                                                     editing.amendment_yaml, parse_amendment,
                                                     editing.OpProblem.of)
    return amendment.ops if amendment is not None else None


def op_model(op: dict) -> Optional[m.Op]:
    """Return the model of the operation `op` (plain data) when it reads as regdoc reads an amendment file's
    operation (schema included), else None."""
    models = _models([op])
    return models[0] if models else None


def _applied(edition: Edition, model: Optional[m.Op]) -> Edition:
    if model is None:
        return edition
    try:
        return apply_op(edition, model)
    except RegdocError:
        return edition


def after_op(edition: Optional[Edition], op: dict) -> Optional[Edition]:
    """Return `edition` changed by the operation `op` (plain data); unchanged when the operation does not read
    or does not apply (yet)."""
    return None if edition is None else _applied(edition, op_model(op))


def op_bases(root: Path | str, data: dict, name: Optional[str] = None,
             models: Optional[tuple[m.Op, ...]] = None) -> list[Optional[Edition]]:
    """Return, for each operation of the amendment `data` being composed, the edition it applies to (None for
    every operation while the in-force date is not a date). `models`: the models of `data`'s operations where the
    caller has read `data` back already (its preview), which spares reading them back again."""
    ops = list(data.get("ops") or [])
    basis = editing.edition_before(root, str(data.get("in_force") or ""), name)
    if basis is None:
        return [None] * len(ops)
    # all the operations read back at once (an amendment being composed reads whole most of the time), else each
    if models is None or len(models) != len(ops):
        models = _models(ops) if ops else ()
    out: list[Optional[Edition]] = []
    for k, op in enumerate(ops):
        out.append(basis)
        basis = _applied(basis, models[k] if models is not None else op_model(op))
    return out


# ----- the single-indicator operations as form fields ------------------------------------------------------------
# The fields (each a string as typed): target (the indicator removed or changed), block, name (the new
# indicator's id after its block's), after (the indicator it follows; empty: at the end of its block), title-kk,
# title-ru (add: its title; change: the new title), unit, missing, the rule's rule_kind, points (rank: the points of
# rank 1, 2 ... separated by «;»), cap, bands (one a line: FROM..TO: POINTS, the last FROM..: POINTS), order, and
# for a ratio num_id, num_title-kk/ru, num_unit, den_id, den_title-kk/ru, den_unit, on_zero; prefilled: the
# indicator whose rule and title the fields were filled with (a re-weight starts from the rule in force), and
# prefilled_rule, prefilled_title ("1") which of the two were filled so (left as in force, they are not changed).

@dataclass(frozen=True)
class IndicatorChoice:
    """An indicator of Appendix 1 as an operation finds it: its id, title and rule (as the data writes it)."""

    id: str
    title: m.Text
    rule: str


@dataclass(frozen=True)
class BlockChoice:
    id: str
    title: m.Text
    indicators: tuple[IndicatorChoice, ...]


@dataclass(frozen=True)
class IndicatorForm:
    """What the fields of a single-indicator operation show: their values, Appendix 1 as the operation finds it
    (no blocks: there is no edition to choose from yet), the indicator removed or changed as in force, the rule
    fields of the kind of rule chosen, the indicators the new one can follow, the position proposed."""

    values: dict
    blocks: tuple[BlockChoice, ...] = ()
    current: Optional[IndicatorChoice] = None
    rule_fields: tuple[str, ...] = ("points", "cap", "bands", "order")
    after_choices: tuple[IndicatorChoice, ...] = ()
    position: str = ""
    ratio: bool = False


def _show(value: Any) -> str:
    """Return a number of the data as the fields show it (15, 0.5, -50)."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, (int, float, Decimal)):
        d = Decimal(str(value))
        return str(int(d)) if d == d.to_integral_value() else format(d.normalize(), "f")
    return str(value)


def _rule_data(rule: m.Rule) -> dict:
    out: dict = {"kind": rule.kind}
    if rule.kind == "bands":
        out["bands"] = [dict({"from": b.start}, **({"to": b.end} if b.end is not None else {}), points=b.points)
                        for b in rule.bands]
    elif isinstance(rule.points, tuple):
        out["points"] = list(rule.points)
    elif rule.points is not None:
        out["points"] = rule.points
    if rule.cap is not None:
        out["cap"] = rule.cap
    if rule.kind == "rank":
        out["order"] = rule.order
    return out


def _rule_values(rule: Any) -> dict:
    if not isinstance(rule, dict):
        return {}
    points = rule.get("points")
    values = {"rule_kind": str(rule.get("kind", "")),
              "points": "; ".join(_show(p) for p in points) if isinstance(points, list) else _show(points),
              "cap": _show(rule.get("cap")), "order": str(rule.get("order", "")),
              "bands": "\n".join(f"{_show(b.get('from'))}..{_show(b.get('to'))}: {_show(b.get('points'))}"
                                 for b in rule.get("bands") or [] if isinstance(b, dict))}
    return {k: v for k, v in values.items() if v}


def _pair_values(prefix: str, text: Any) -> dict:
    if not isinstance(text, dict):
        return {}
    return {f"{prefix}-{lang}": str(text.get(lang, "")) for lang in m.LANGS}


def indicator_fields(op: dict) -> dict:
    """Return the fields (as strings) that show the single-indicator operation `op` (plain data, e.g. of a file
    written by hand)."""
    values = {k: str(op[k]) for k in ("target", "block", "after") if op.get(k) is not None}
    kind = op.get("op")
    if kind == "change_indicator":
        values.update(_rule_values(op.get("rule")))
        values.update(_pair_values("title", op.get("title")))
        values["prefilled"] = values.get("target", "")
    elif kind == "add_indicator" and isinstance(op.get("indicator"), dict):
        ind = op["indicator"]
        ident, block = str(ind.get("id", "")), str(op.get("block", ""))
        values["name"] = ident[len(block) + 1:] if block and ident.startswith(block + ".") else ident
        values.update(_pair_values("title", ind.get("title")))
        values.update({k: str(ind[k]) for k in ("unit", "missing") if k in ind})
        values.update(_rule_values(ind.get("rule")))
        ratio = ind.get("ratio")
        if isinstance(ratio, dict):
            for short, key in (("num", "numerator"), ("den", "denominator")):
                part = ratio.get(key) if isinstance(ratio.get(key), dict) else {}
                values.update({f"{short}_{k}": str(part[k]) for k in ("id", "unit") if k in part})
                values.update(_pair_values(f"{short}_title", part.get("title")))
            if "on_zero" in ratio:
                values["on_zero"] = _show(ratio["on_zero"])
    return values


def _number(text: str) -> Decimal:
    """Return the number written in a field ('15', '0,5', '-50'); raise ValueError saying why it is not one."""
    from regdoc.scoring.evaluation import number_from_text

    value = number_from_text(text)  # raises ValueError naming both readings of '1,000'
    if value is None or not value.is_finite():
        raise ValueError(_("'{value}' is not a number").format(value=text.strip()))
    return value


def _plain(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value.normalize()


def _rule(values: dict, problems: dict) -> Optional[dict]:
    """Return the rule the fields give (None when it has a problem, each placed on its field)."""
    kind = values.get("rule_kind", "").strip()
    if kind not in RULE_KINDS:
        problems["rule_kind"] = _("choose the kind of rule")
        return None
    rule: dict = {"kind": kind}
    wanted = RULE_FIELDS[kind]
    points = values.get("points", "").strip()
    if "points" in wanted and kind == "rank":
        try:
            rule["points"] = [_plain(_number(p)) for p in points.split(";") if p.strip()]
            if not rule["points"]:
                raise ValueError(_("give the points of rank 1, 2, 3 ... separated by «;» (e.g. 500; 300; 100)"))
        except ValueError as err:
            problems["points"] = str(err)
    elif "points" in wanted:
        try:
            if not points:
                raise ValueError(_("give the points"))
            value = _number(points)
            if kind == "per_unit" and value <= 0:
                raise ValueError(_("the points per unit must be more than 0"))
            if kind == "penalty" and value >= 0:
                raise ValueError(_("a penalty deducts points: write them negative (e.g. -50)"))
            rule["points"] = _plain(value)
        except ValueError as err:
            problems["points"] = str(err)
    cap = values.get("cap", "").strip()
    if "cap" in wanted and cap:
        try:
            value = _number(cap)
            if value <= 0:
                raise ValueError(_("the cap must be more than 0"))
            rule["cap"] = _plain(value)
        except ValueError as err:
            problems["cap"] = str(err)
    if "bands" in wanted:
        bands = []
        for k, line in enumerate(values.get("bands", "").splitlines(), 1):
            if not line.strip():
                continue
            hit = _BAND.match(line)
            try:
                if not hit:
                    raise ValueError(_("line {line}: write a band as FROM..TO: POINTS (e.g. 50..70: 200), the last "
                                       "as FROM..: POINTS").format(line=k))
                band: dict = {"from": _plain(_number(hit["start"]))}
                if hit["end"].strip():
                    band["to"] = _plain(_number(hit["end"]))
                band["points"] = _plain(_number(hit["points"]))
                bands.append(band)
            except ValueError as err:
                problems["bands"] = str(err)
                break
        if not bands and "bands" not in problems:
            problems["bands"] = _("give at least one band: FROM..TO: POINTS, one a line")
        rule["bands"] = bands
    if "order" in wanted:
        order = values.get("order", "").strip() or "highest_first"
        if order not in ORDERS:
            problems["order"] = _("choose which end of the values gets rank 1")
        rule["order"] = order
    return None if any(k in problems for k in ("rule_kind", "points", "cap", "bands", "order")) else rule


def _title(values: dict, prefix: str, problems: dict, required: bool) -> Optional[dict]:
    pair = {lang: values.get(f"{prefix}-{lang}", "").strip() for lang in m.LANGS}
    if not any(pair.values()) and not required:
        return None
    for lang in m.LANGS:
        if not pair[lang]:
            problems[f"{prefix}-{lang}"] = _("give the title in both languages, Kazakh first")
    return pair if all(pair.values()) else None


def _indicators(basis: Optional[Edition]) -> dict[str, m.Indicator]:
    return {} if basis is None else {i.id: i for i in basis.appendix.indicators()}


def _kept(values: dict, basis: Optional[Edition]) -> dict:
    """Return the fields of a re-weight to read: those filled for another indicator than the one chosen now are
    dropped (the page fills them again with the rule and title in force of the one chosen)."""
    prefilled, target = values.get("prefilled", "").strip(), values.get("target", "").strip()
    if prefilled and prefilled != target:
        return {k: v for k, v in values.items() if k not in ("rule_kind", "points", "cap", "bands", "order",
                                                             "title-kk", "title-ru", "prefilled_rule",
                                                             "prefilled_title")}
    return values


def indicator_op(kind: str, values: dict, basis: Optional[Edition]) -> tuple[dict, dict]:
    """Return the parts of the operation `kind` (add_indicator, remove_indicator, change_indicator) the fields
    `values` give (target, block, after, indicator, rule, title), and the problems by field, checked against
    Appendix 1 as `basis` (the edition the operation applies to, None: not known yet) has it."""
    from regdoc.data.parse import parse_rule
    from regdoc.errors import nearest

    problems: dict[str, str] = {}
    values = {k: str(v) for k, v in values.items()}
    known = _indicators(basis)
    if kind in ("remove_indicator", "change_indicator"):
        target = values.get("target", "").strip()
        op: dict = {"target": target}
        if not target:
            problems["target"] = _("choose an indicator")
        elif basis is not None and target not in known:
            problems["target"] = _("indicator '{id}' does not exist in Appendix 1{suggestion}").format(
                id=target, suggestion=nearest(target, list(known)))
        if kind == "remove_indicator":
            return op, problems
        values = _kept(values, basis)
        has_rule = any(values.get(k, "").strip() for k in ("rule_kind", "points", "cap", "bands"))
        rule = _rule(values, problems) if has_rule else None
        title = _title(values, "title", problems, required=False)
        current = known.get(target)
        if rule is not None and current is not None and parse_rule(rule) == current.rule \
                and values.get("prefilled_rule") == "1":
            rule = None  # the rule in force the fields started from: not changed
        if title is not None and current is not None and m.Text(title["kk"], title["ru"]) == current.title \
                and values.get("prefilled_title") == "1":
            title = None
        if rule is not None:
            op["rule"] = rule
        if title is not None:
            op["title"] = title
        if rule is None and title is None and not problems:
            problems["points"] = _("the rule and the title are those in force: change the points (or the rule) or "
                                   "the title")
        return op, problems
    if kind != "add_indicator":
        raise RegdocError(_("not a single-indicator operation: {op}").format(op=kind))
    block = values.get("block", "").strip()
    blocks = {} if basis is None else {b.id: b for b in basis.appendix.blocks}
    if not block:
        problems["block"] = _("choose a block of Appendix 1")
    elif basis is not None and block not in blocks:
        problems["block"] = _("block '{block}' does not exist; blocks: {blocks}{suggestion}").format(
            block=block, blocks=", ".join(blocks), suggestion=nearest(block, list(blocks)))
    name = values.get("name", "").strip()
    if name.startswith(block + ".") and block:
        name = name[len(block) + 1:]
    ident = f"{block}.{name}"
    if not _NAME.match(name):
        problems["name"] = _("write the indicator's name in small Latin letters, digits and _, starting with a "
                             "letter (e.g. hotline)")
    elif ident in known:
        problems["name"] = _("indicator {id} already exists in Appendix 1").format(id=ident)
    after = values.get("after", "").strip()
    if after and block in blocks and after not in [i.id for i in blocks[block].indicators]:
        names = [i.id for i in blocks[block].indicators]
        problems["after"] = _("indicator '{id}' is not in block {block}{suggestion}").format(
            id=after, block=block, suggestion=nearest(after, names))
    indicator: dict = {"id": ident}
    title = _title(values, "title", problems, required=True)
    if title is not None:
        indicator["title"] = title
    unit = values.get("unit", "").strip()
    if unit not in UNITS:
        problems["unit"] = _("choose the unit of the value")
    indicator["unit"] = unit
    if any(values.get(k, "").strip() for k in RATIO_FIELDS):
        ratio: dict = {}
        for short, key in (("num", "numerator"), ("den", "denominator")):
            part: dict = {"id": values.get(f"{short}_id", "").strip()}
            if not _NAME.match(part["id"]):
                problems[f"{short}_id"] = _("write the value's id in small Latin letters, digits and _, starting "
                                            "with a letter")
            part_title = _title(values, f"{short}_title", problems, required=True)
            if part_title is not None:
                part["title"] = part_title
            part["unit"] = values.get(f"{short}_unit", "").strip()
            if part["unit"] not in INPUT_UNITS:
                problems[f"{short}_unit"] = _("choose the unit of the value")
            ratio[key] = part
        on_zero = values.get("on_zero", "").strip()
        if on_zero:
            try:
                ratio["on_zero"] = _plain(_number(on_zero))
            except ValueError as err:
                problems["on_zero"] = str(err)
        indicator["ratio"] = ratio
    missing = values.get("missing", "").strip()
    if missing == "zero":
        indicator["missing"] = "zero"
    elif missing not in ("", "error"):
        problems["missing"] = _("choose what a missing value means")
    rule = _rule(values, problems)
    if rule is not None:
        indicator["rule"] = rule
    op = {"target": ident, "block": block}
    if after:
        op["after"] = after
    op["indicator"] = indicator
    return op, problems


@lru_cache(maxsize=1024)
def _rule_text(rule: m.Rule) -> str:
    """Return the rule as an amendment file writes it ({kind: per_unit, points: 10, cap: 1000})."""
    return editing.amendment_yaml({"rule": _rule_data(rule)}).strip().partition(":")[2].strip()


def _choice(ind: m.Indicator) -> IndicatorChoice:
    return IndicatorChoice(ind.id, ind.title, _rule_text(ind.rule))


def indicator_form(op: dict, typed: Optional[dict], basis: Optional[Edition]) -> IndicatorForm:
    """Return what the fields of the single-indicator operation `op` show: the values typed (`typed`, None: the
    operation's own, e.g. of a reopened file), a re-weight starting from the rule and title in force of the
    indicator chosen, and the choices Appendix 1 as `basis` has it offers."""
    kind = op.get("op")
    values = dict(indicator_fields(op) if typed is None else {k: str(v) for k, v in typed.items()})
    known = _indicators(basis)
    blocks = () if basis is None else tuple(
        BlockChoice(b.id, b.title, tuple(_choice(i) for i in b.indicators)) for b in basis.appendix.blocks)
    target = values.get("target", "").strip()
    current = _choice(known[target]) if kind in ("remove_indicator", "change_indicator") and target in known \
        else None
    if kind == "change_indicator":
        values = _kept(values, basis)
        if current is not None:
            ind = known[target]
            if not any(values.get(k, "").strip() for k in ("rule_kind", "points", "cap", "bands")):
                values.update(_rule_values(_rule_data(ind.rule)), prefilled_rule="1")
            if not any(values.get(f"title-{lang}", "").strip() for lang in m.LANGS):
                values.update(_pair_values("title", {lang: ind.title[lang] for lang in m.LANGS}), prefilled_title="1")
            values["prefilled"] = target
    kind_chosen = values.get("rule_kind", "")
    fields = RULE_FIELDS.get(kind_chosen, ("points", "cap", "bands", "order"))
    after_choices: tuple[IndicatorChoice, ...] = ()
    position = ""
    if kind == "add_indicator":
        block = next((b for b in blocks if b.id == values.get("block", "").strip()), None)
        if block is not None:
            after_choices = block.indicators
            if block.indicators:
                position = _("Proposed position: at the end of block {block}, after {id}").format(
                    block=block.id, id=block.indicators[-1].id)
    ratio = any(values.get(k, "").strip() for k in RATIO_FIELDS)
    values = dict({k: "" for k in FIELDS}, **values)
    return IndicatorForm(values, blocks, current, fields, after_choices, position, ratio)


def problem_field(kind: str, dotted: Optional[str]) -> str:
    """Return the field of the composer that a problem of the single-indicator operation `kind` at `dotted` (a key
    of the operation: indicator.rule.points, after ...) belongs to."""
    parts = [re.sub(r"\[\d+\]$", "", p) for p in (dotted or "").split(".") if p]
    head = parts[0] if parts else ""

    def rule_field(rest: list[str]) -> str:
        first = rest[0] if rest else "kind"
        return {"kind": "rule_kind", "points": "points", "cap": "cap", "bands": "bands",
                "order": "order"}.get(first, "rule_kind")

    def title_field(prefix: str, rest: list[str]) -> str:
        return f"{prefix}-{rest[0]}" if rest and rest[0] in m.LANGS else f"{prefix}-kk"

    if head == "indicator":
        sub, rest = (parts[1] if len(parts) > 1 else ""), parts[2:]
        if sub == "title":
            return title_field("title", rest)
        if sub in ("unit", "missing"):
            return sub
        if sub == "rule":
            return rule_field(rest)
        if sub == "ratio":
            if rest and rest[0] in ("numerator", "denominator"):
                short = "num" if rest[0] == "numerator" else "den"
                leaf = rest[1] if len(rest) > 1 else "id"
                return title_field(f"{short}_title", rest[2:]) if leaf == "title" else f"{short}_{leaf}"
            return "on_zero" if rest and rest[0] == "on_zero" else "num_id"
        return "name"
    if head == "rule":
        return rule_field(parts[1:])
    if head == "title":
        return title_field("title", parts[1:])
    if head in ("block", "after"):
        return head
    if head == "target" and kind == "add_indicator":
        return "name"
    return "target"
