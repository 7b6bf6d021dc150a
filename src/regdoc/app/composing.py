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
from dataclasses import dataclass, field
from decimal import Decimal
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
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_BAND = re.compile(r"^\s*(?P<start>[^.…:]+?)\s*(?:\.\.|…)\s*(?P<end>[^:]*?)\s*:\s*(?P<points>.+?)\s*$")
# A one-operation amendment read only to build the model of that operation.
_HEADER = {"adopted_by": "2000-01-01/1/1", "in_force": "2000-01-01", "source": "issued"}


# ----- the edition each operation applies to ---------------------------------------------------------------------

def op_model(op: dict) -> Optional[m.Op]:
    """Return the model of the operation `op` (plain data) when it reads as regdoc reads an amendment file's
    operation (schema included), else None."""
    if not isinstance(op, dict) or any(str(k).startswith("_") for k in op):
        return None
    rel = editing.amendment_path("2000-01-01")
    _text, amendment, _problems = editing._read_back(dict(_HEADER, ops=[op]), rel, "amendment",
                                                     editing.amendment_yaml, parse_amendment,
                                                     editing.OpProblem.of)
    return amendment.ops[0] if amendment is not None else None


def after_op(edition: Optional[Edition], op: dict) -> Optional[Edition]:
    """Return `edition` changed by the operation `op` (plain data); unchanged when the operation does not read
    or does not apply (yet)."""
    if edition is None:
        return None
    model = op_model(op)
    if model is None:
        return edition
    try:
        return apply_op(edition, model)
    except RegdocError:
        return edition


def op_bases(root: Path | str, data: dict, name: Optional[str] = None) -> list[Optional[Edition]]:
    """Return, for each operation of the amendment `data` being composed, the edition it applies to (None for
    every operation while the in-force date is not a date)."""
    basis = editing.edition_before(root, str(data.get("in_force") or ""), name)
    out: list[Optional[Edition]] = []
    for op in data.get("ops") or []:
        out.append(basis)
        basis = after_op(basis, op)
    return out
