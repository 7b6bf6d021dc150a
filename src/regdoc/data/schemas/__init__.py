"""JSON Schemas (draft 2020-12) of regdoc's data files, and their validation with readable messages.

The schema files reference each other by relative file name (`"$ref": "common.json#/$defs/date"`) and carry no
`$id`, so that their base is where they lie: editors (yaml-language-server) and other validators (check-jsonschema)
resolve them from the folder without regdoc. At run time each schema is validated with every reference inlined
(`_inlined`), so that validation looks no reference up (issue 17: half the validation time).
"""
from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from importlib import resources

from regdoc.data.yamldoc import Document
from regdoc.errors import RegdocError, nearest
from regdoc.i18n import N_, _, ngettext
from regdoc.kept import Kept

KINDS = ("common", "regulation", "edition", "amendment", "criteria", "resolution", "organisations", "evaluation",
         "registry", "version")
# The data files each schema describes, as globs under the data tree: `regdoc schemas` lists them, and the editor
# mapping (.vscode/settings.json, yaml.schemas) is the same. A file of regulation/versions/ is an edition or an
# amendment: version.json chooses (by the key `edition`, as regdoc.tree.read does).
FILES = {"regulation": ("regulation/regulation.yaml",), "version": ("regulation/versions/*.yaml",),
         "resolution": ("resolutions/*/*.yaml",), "registry": ("resolutions/registry.yaml",),
         "organisations": ("organisations/organisations.yaml",), "evaluation": ("evaluations/*/evaluation.yaml",)}


def schema_text(kind: str) -> str:
    """Return the JSON text of the schema of a file kind."""
    return resources.files(__package__).joinpath(f"{kind}.json").read_text(encoding="utf-8")


def folder():
    """Return the folder of the installed schema files (a path for `regdoc schemas --path` and editors)."""
    return resources.files(__package__)


def file_name(kind: str) -> str:
    """Return the file name of a kind's schema: the URI the other schemas reference it by."""
    return f"{kind}.json"


@lru_cache(maxsize=None)
def _schemas() -> dict[str, dict]:
    """Return every schema by its file name (the URI the others reference it by), each file read once."""
    out = {}
    for name in KINDS:
        try:
            out[file_name(name)] = json.loads(schema_text(name))
        except FileNotFoundError:
            continue
    return out


_ANNOTATIONS = frozenset({"description", "title", "$comment"})


def _inlined(node, base: str, schemas: dict[str, dict], seen: tuple[str, ...] = ()):
    """Return `node` (a part of the schema whose $id is `base`) with every $ref replaced by the schema it points
    to, so that validation looks no reference up. A circular reference is left as it is."""
    if isinstance(node, list):
        return [_inlined(v, base, schemas, seen) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: (v if k in ("enum", "const") else _inlined(v, base, schemas, seen))
           for k, v in node.items() if k != "$ref"}
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return out
    uri, _, pointer = ref.partition("#")
    uri = uri or base
    absolute = f"{uri}#{pointer}"
    if absolute in seen or uri not in schemas:
        out["$ref"] = absolute  # left to the registry, which knows every schema by its file name
        return out
    target = schemas[uri]
    for part in filter(None, pointer.split("/")):
        target = target[part.replace("~1", "/").replace("~0", "~")]
    target = {k: v for k, v in _inlined(target, uri, schemas, seen + (absolute,)).items()
              if k not in ("$id", "$schema")}
    if set(out) <= _ANNOTATIONS:  # {"$ref": ..., "description": ...}: the target
        return {**out, **target}  # errors name the target's own description, as through the $ref
    out["allOf"] = list(out.get("allOf", [])) + [target]  # $ref beside other keywords applies like allOf
    return out


@lru_cache(maxsize=None)
def _validator(kind: str):
    import jsonschema
    import referencing

    schemas = _schemas()
    registry = referencing.Registry().with_resources(
        (name, referencing.Resource.from_contents(contents)) for name, contents in schemas.items())
    schema = {**_inlined(json.loads(schema_text(kind)), file_name(kind), schemas), "$id": file_name(kind)}
    return jsonschema.Draft202012Validator(schema, registry=registry,
                                           format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


# What jsonschema found in the plain data of a document, by the kind and the SHA-256 of the data's repr (which
# tells apart every value YAML gives: texts, numbers, booleans, nulls, dates, in their order), kept per process:
# the browser workspace and the tests validate the same data again and again (every reading of a tree with an
# invalid file validates it again, since only valid documents are cached; a refused command in each interface
# language). The errors are the same whatever the language: they are explained (translated) at every call.
_FOUND = Kept(64, 50_000, weigh=lambda _key, found: 1 + len(found[1]))  # (regdoc.kept)


def validate(doc: Document, kind: str) -> list[RegdocError]:
    """Return the schema errors of `doc` as file kind `kind`, one per problem, in file order."""
    validator = _validator(kind)
    key = (kind, hashlib.sha256(repr(doc.data).encode("utf-8", "surrogatepass")).digest())
    found = _FOUND.get(key)
    if found is None or found[0] is not validator:  # (a validator made again, with other schemas: not these)
        found = _FOUND.keep(key, (validator, tuple(validator.iter_errors(doc.data))))
    errors = []
    for err in found[1]:
        errors.extend(_explain(doc, err))
    errors.sort(key=lambda e: (e.line or 0, e.node or ""))
    unique = {(e.message, e.line, e.node): e for e in reversed(errors)}  # a value two rules refuse alike: once
    return [e for e in errors if unique[(e.message, e.line, e.node)] is e]




def _kind_of(value) -> str:
    """Return what a value is, in the interface language (a number, text, a list ...)."""
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, (int, float)):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return _("nothing (null)")


# The descriptions of the schemas' patterns and formats, which a message quotes ("'x' is not valid: <description>"):
# listed for the catalogs (tests/test_i18n.py checks that the list and the schemas agree).
DESCRIPTIONS = (
    N_("A calendar date, YYYY-MM-DD."),
    N_("A member organisation's id from organisations/organisations.yaml."),
    N_("A resolution's id: date / meeting (protocol) number / item, e.g. 2026-02-20/9/7."),
    N_("A spreadsheet in the same folder holding the reports (the template's shape), instead of `reports`"),
    N_("Block id, the first part of its indicators' ids"),
    N_("Score under the Appendix 1 as it stands right after this amendment (its file name in regulation/versions/ "
       "without .yaml)"),
    N_("The amendment (file name in regulation/versions/ without .yaml) whose amending text this item is"),
    N_("The number of a structural unit: section '4', clause '4.2' or sub-clause '3.2.1'; a unit inserted later is "
       "numbered as Kazakhstan's acts number insertions, after the unit it follows: '4.3-1', '4.3-2', '4-1', "
       "'3.2.1-1'. Quote it in YAML."),
    N_("Written by `regdoc evaluation import`: the SHA-256 of this file's text without this line, so that an edit "
       "by hand shows"),
    N_("block.name"),
)

_TYPE_NAMES = {"string": N_("text"), "integer": N_("a whole number"), "number": N_("a number"),
               "object": N_("a mapping"), "array": N_("a list"), "boolean": N_("true or false")}


_SCALAR = re.compile(r"^\s*(?:-\s+)*(?:[^\s:#'\"][^:#]*:\s+)?([0-9][0-9._eE+-]*)\s*(?:#.*)?$")


def _as_written(doc: Document, path: tuple, value) -> str:
    """Return a number as the file writes it («5.10», which YAML reads as 5.1), else as read."""
    line = doc.line_of(path)
    if doc.source is None or not line:
        return str(value)
    lines = doc.source.data.decode("utf-8", errors="replace").splitlines()
    match = _SCALAR.match(lines[line - 1]) if line <= len(lines) else None
    try:
        if match and float(match[1].replace("_", "")) == float(value):
            return match[1]
    except ValueError:
        pass
    return str(value)


def no_such_day(year: int, month: int, day: int) -> str | None:
    """Return why year-month-day is no day of the calendar, or None when it is one."""
    import calendar

    if not 1 <= month <= 12:
        return _("there is no month {month}").format(month=month)
    days = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= days:
        return _("{year}-{month:02d} has {days} days").format(year=year, month=month, days=days)
    return None


def _date_problem(value: str) -> str:
    """Return what is wrong with a date: written another way (12.02.2027: write it 2027-02-12), or written right
    but no day of the calendar (2027-02-30)."""
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if iso:
        why = no_such_day(int(iso[1]), int(iso[2]), int(iso[3]))
        return _("'{value}' is written as a date should be, but is no day of the calendar: {why}").format(
            value=value, why=why or _("not a date"))
    local = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", value.strip())
    if local:
        day, month, year = int(local[1]), int(local[2]), int(local[3])
        why = no_such_day(year, month, day)
        if why is None:
            return _("'{value}' is not written YYYY-MM-DD: write it {iso}").format(
                value=value, iso=f"{year:04d}-{month:02d}-{day:02d}")
        return _("'{value}' is not written YYYY-MM-DD, and is no day of the calendar read as day.month.year: "
                 "{why}").format(value=value, why=why)
    return _("'{value}' is not a date: write it YYYY-MM-DD, e.g. 2027-02-12").format(value=value)


def _explain(doc: Document, err) -> list[RegdocError]:
    path = tuple(err.absolute_path)
    value = err.instance
    validator = err.validator
    if validator == "additionalProperties":
        allowed = list(err.schema.get("properties", {}))
        out = []
        for key in value:
            if key not in allowed:
                out.append(doc.error(_("unknown key '{key}'; allowed: {allowed}{suggestion}").format(
                                         key=key, allowed=', '.join(allowed), suggestion=nearest(key, allowed)),
                                     path + (key,)))
        return out
    if validator == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return [doc.error(_("missing key '{missing}'").format(missing=missing), path)]
    if validator == "type":
        wanted = err.validator_value if isinstance(err.validator_value, str) else err.validator_value[0]
        hint = ""
        if wanted == "string" and isinstance(value, (int, float)) and not isinstance(value, bool):
            hint = _(' (quote it: "{text}")').format(text=_as_written(doc, path, value))
        get = _(_TYPE_NAMES[wanted]) if wanted in _TYPE_NAMES else wanted
        return [doc.error(_("expected {get}, got {kind_of}{hint}").format(
                              get=get, kind_of=_kind_of(value), hint=hint), path)]
    if validator in ("enum", "const"):
        allowed = err.validator_value if validator == "enum" else [err.validator_value]
        return [doc.error(_("'{value}' is not allowed here; allowed: {map}{suggestion}").format(
                              value=value, map=', '.join(map(str, allowed)), suggestion=nearest(value, allowed)), path)]
    if (validator == "pattern" or validator == "format") and err.schema.get("format") == "date" and \
            isinstance(value, str):
        return [doc.error(_date_problem(value), path)]
    if validator == "pattern" or validator == "format":
        what = (_(err.schema["description"]) if err.schema.get("description") else
                _("expected the form {pattern}").format(pattern=err.validator_value))
        return [doc.error(_("'{value}' is not valid: {what}").format(value=value, what=what), path)]
    if validator == "minLength" and value == "":
        return [doc.error(_("must not be empty"), path)]
    if validator == "minItems":
        return [doc.error(ngettext("needs at least {count} item", "needs at least {count} items",
                                   err.validator_value).format(count=err.validator_value), path)]
    if validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        message = {"minimum": _("{value} is out of range: must be at least {limit}"),
                   "maximum": _("{value} is out of range: must be at most {limit}"),
                   "exclusiveMinimum": _("{value} is out of range: must be more than {limit}"),
                   "exclusiveMaximum": _("{value} is out of range: must be less than {limit}")}[validator]
        return [doc.error(message.format(value=value, limit=err.validator_value), path)]
    if validator == "not":
        return [doc.error(_("holds keys that do not go with this kind of rule (see the schema)"), path)]
    if validator == "anyOf" and isinstance(err.validator_value, list) and all(
            set(s) == {"required"} for s in err.validator_value):
        keys = _(" or ").join(f"'{s['required'][0]}'" for s in err.validator_value)
        return [doc.error(_("needs {keys}").format(keys=keys), path)]
    if validator == "uniqueItems":
        return [doc.error(_("holds the same entry twice"), path)]
    return [doc.error(err.message, path)]
