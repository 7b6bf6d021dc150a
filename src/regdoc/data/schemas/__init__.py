"""JSON Schemas (draft 2020-12) of regdoc's data files, and their validation with readable messages."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from regdoc.data.yamldoc import Document
from regdoc.errors import RegdocError, nearest

KINDS = ("common", "regulation", "edition", "amendment", "criteria", "resolution", "organisations", "evaluation",
         "registry")


def schema_text(kind: str) -> str:
    """Return the JSON text of the schema of a file kind."""
    return resources.files(__package__).joinpath(f"{kind}.json").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _validator(kind: str):
    import jsonschema
    import referencing

    resources_ = []
    for name in KINDS:
        try:
            contents = json.loads(schema_text(name))
        except FileNotFoundError:
            continue
        resources_.append((contents["$id"], referencing.Resource.from_contents(contents)))
    registry = referencing.Registry().with_resources(resources_)
    schema = json.loads(schema_text(kind))
    return jsonschema.Draft202012Validator(schema, registry=registry,
                                           format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def validate(doc: Document, kind: str) -> list[RegdocError]:
    """Return the schema errors of `doc` as file kind `kind`, one per problem, in file order."""
    errors = []
    for err in _validator(kind).iter_errors(doc.data):
        errors.extend(_explain(doc, err))
    errors.sort(key=lambda e: (e.line or 0, e.node or ""))
    return errors




def _kind_of(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing (null)"


_TYPE_NAMES = {"string": "text", "integer": "a whole number", "number": "a number", "object": "a mapping",
               "array": "a list", "boolean": "true or false"}


def _explain(doc: Document, err) -> list[RegdocError]:
    path = tuple(err.absolute_path)
    value = err.instance
    validator = err.validator
    if validator == "additionalProperties":
        allowed = list(err.schema.get("properties", {}))
        out = []
        for key in value:
            if key not in allowed:
                out.append(doc.error(f"unknown key '{key}'; allowed: {', '.join(allowed)}{nearest(key, allowed)}",
                                     path + (key,)))
        return out
    if validator == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return [doc.error(f"missing key '{missing}'", path)]
    if validator == "type":
        wanted = err.validator_value if isinstance(err.validator_value, str) else err.validator_value[0]
        hint = ""
        if wanted == "string" and isinstance(value, (int, float)) and not isinstance(value, bool):
            hint = f' (quote it: "{value}")'
        return [doc.error(f"expected {_TYPE_NAMES.get(wanted, wanted)}, got {_kind_of(value)}{hint}", path)]
    if validator in ("enum", "const"):
        allowed = err.validator_value if validator == "enum" else [err.validator_value]
        return [doc.error(f"'{value}' is not allowed here; allowed: {', '.join(map(str, allowed))}"
                          f"{nearest(value, allowed)}", path)]
    if validator == "pattern" or validator == "format":
        what = err.schema.get("description") or f"expected the form {err.validator_value}"
        return [doc.error(f"'{value}' is not valid: {what}", path)]
    if validator == "minLength" and value == "":
        return [doc.error("must not be empty", path)]
    if validator == "minItems":
        return [doc.error(f"needs at least {err.validator_value} item(s)", path)]
    if validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
                 "exclusiveMaximum": "less than"}[validator]
        return [doc.error(f"{value} is out of range: must be {words} {err.validator_value}", path)]
    if validator == "not":
        return [doc.error("holds keys that do not go with this kind of rule (see the schema)", path)]
    if validator == "anyOf" and isinstance(err.validator_value, list) and all(
            set(s) == {"required"} for s in err.validator_value):
        keys = " or ".join(f"'{s['required'][0]}'" for s in err.validator_value)
        return [doc.error(f"needs {keys}", path)]
    if validator == "uniqueItems":
        return [doc.error("holds the same entry twice", path)]
    return [doc.error(err.message, path)]
