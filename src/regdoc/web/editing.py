"""The editor's pages of the browser workspace: compose an amendment with its preview, and the history of saves.

Every form and POST here is for editors only (a viewer gets 403) and every POST checks its CSRF token. The form
carries the amendment as flat fields (ops-N-target, ops-N-text-kk ...): the single-indicator operations in
fields of their own (ops-N-points, ops-N-title-kk ...: regdoc.app.composing turns them into the operation and
places each problem on its field), Appendix 1 in new wording (criteria) and any key no field shows as YAML; the
page turns them into the plain data of regdoc.app.editing, which writes, previews and saves them. Each save carries the version of the file it
was based on; a save over a changed file shows both versions.
"""
from __future__ import annotations

import re
import textwrap
from typing import Any, Optional

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.routing import Route

from regdoc.app import composing, editing
from regdoc.data.yamldoc import parse_document
from regdoc.errors import CheckFailed, RegdocError
from regdoc.i18n import _

OPS = ("replace", "replace_words", "insert", "delete", "replace_appendix", "add_indicator", "remove_indicator",
       "change_indicator")
KINDS = ("section", "clause", "subclause")
TEXTS = ("text", "old", "new", "justification")  # the two-language fields of an operation shown as text boxes
PLAIN = ("target", "after", "kind", "block", "occurrence", "source")
STRUCTURED = ("indicator", "rule", "title", "ref", "criteria")  # YAML in the "extra" box (not indicator operations)
# The choices of the pickers, kept on an operation between the form and `_choose` (never written to a file):
# the words chosen in each language (start:end in the unit's text), the number last proposed for an insertion,
# and where the inserted unit stands (after the unit, or as its first sub-unit).
PICK, PROPOSED, PLACE = "_pick", "_proposed", "_place"
# The fields of a single-indicator operation as typed (app.composing.indicator_op reads them), kept likewise.
TYPED = "_typed"
INDICATOR_KEYS = ("target", "block", "after", "indicator", "rule", "title")  # what those fields give
UNIT_OPS = ("replace", "replace_words", "delete")
MAX_OPS = 200
MAX_FIELD = 200_000
_OP_FIELD = re.compile(r"^ops-(\d{1,3})-([a-z_]+)(?:-(kk|ru))?$")


def _user(request: Request):
    session = request.scope["state"].get("session")
    user = session.user if session else None
    if user is None or not user.can_edit:
        raise HTTPException(403)
    return user


async def _editor_form(request: Request):
    from regdoc.web.pages import checked_form

    _user(request)
    return await checked_form(request)


def _clip(value: Any) -> str:
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_FIELD:
        raise RegdocError(_("a field is longer than {limit} characters").format(limit=MAX_FIELD))
    return text


def form_to_data(form) -> tuple[dict, dict[int, str]]:
    """Return the amendment's plain data from the form's fields, and the problems of operations' YAML boxes."""
    data: dict = {"adopted_by": _clip(form.get("adopted_by")).strip(),
                  "in_force": _clip(form.get("in_force")).strip(),
                  "source": _clip(form.get("source")).strip() or "issued"}
    ref = {lang: _clip(form.get(f"regulation_ref-{lang}")) for lang in ("kk", "ru")}
    if any(ref.values()):
        data["regulation_ref"] = ref
    as_issued = _clip(form.get("as_issued"))  # YAML: its indentation is kept (a list written indented)
    bad: dict[int, str] = {}
    if as_issued.strip():
        try:
            data["as_issued"] = parse_document(textwrap.dedent(as_issued).strip("\n").encode("utf-8"),
                                               "as_issued").data
        except RegdocError as err:
            bad[-1] = str(err)
    fields: dict[int, dict] = {}
    for key in form.keys():
        hit = _OP_FIELD.match(key)
        if hit:
            fields.setdefault(int(hit[1]), {})[(hit[2], hit[3])] = _clip(form.get(key))
    ops = []
    for n in sorted(fields)[:MAX_OPS]:
        f = fields[n]
        if f.get(("removed", None)):
            continue
        op: dict = {"op": f.get(("op", None), "").strip()}
        for name in PLAIN:
            value = f.get((name, None), "").strip()
            if value:
                op[name] = int(value) if name == "occurrence" and value.isdigit() else value
        for name in TEXTS:
            pair = {lang: f.get((name, lang), "") for lang in ("kk", "ru")}
            if any(v.strip() for v in pair.values()):
                op[name] = pair
        chosen = {lang: f.get(("pick", lang), "").strip() for lang in ("kk", "ru")}
        if any(chosen.values()):
            op[PICK] = {lang: v for lang, v in chosen.items() if v}
        for key, private in (("proposed", PROPOSED), ("place", PLACE)):
            value = f.get((key, None), "").strip()
            if value:
                op[private] = value
        if op["op"] in composing.INDICATOR_OPS:
            op[TYPED] = {(f"{k}-{lang}" if lang else k): v for (k, lang), v in f.items()
                         if k not in ("op", "removed", "extra", "source", *TEXTS)}
        extra = f.get(("extra", None), "").strip()
        if extra:
            try:
                parsed = parse_document(extra.encode("utf-8"), f"ops[{len(ops)}]").data
                if not isinstance(parsed, dict):
                    raise RegdocError(_("write the fields as a YAML mapping (indicator:, rule:, title: ...)"))
                for k, v in parsed.items():
                    op[str(k)] = v
            except RegdocError as err:
                bad[len(ops)] = err.message
        ops.append(op)
    data["ops"] = ops
    return data, bad


def _extra_of(op: dict) -> str:
    covered = INDICATOR_KEYS if op.get("op") in composing.INDICATOR_OPS else ()  # shown in their own fields
    rest = {k: v for k, v in op.items() if k not in ("op", *PLAIN, *TEXTS, *covered)}
    if not rest:
        return ""
    text = editing.amendment_yaml({"ops": [rest]})
    # the mapping of the one operation, without the "ops:\n  - " wrapper, indentation removed
    lines = text.splitlines()[1:]
    out = []
    for line in lines:
        line = line[4:] if line.startswith("    ") or line.startswith("  - ") else line
        out.append(line)
    return "\n".join(out)


def _rows(data: dict) -> list[dict]:
    rows = []
    for i, op in enumerate(data.get("ops") or []):
        rows.append({"index": i, "op": op.get("op", ""), **{k: op.get(k, "") for k in PLAIN},
                     **{k: op.get(k) or {"kk": "", "ru": ""} for k in TEXTS}, "extra": _extra_of(op),
                     "units": None, "words": None, "current": None, "proposed": None, "proposal_note": "",
                     "place": "after", "indicator": None})
    return rows


def _errors(preview: Optional[editing.AmendmentPreview], bad: dict, kinds: list) -> tuple[dict, list]:
    """Return the errors by form field (ops-N-field, header fields) and those of no field; `kinds` are the
    operations' kinds (op)."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for n, message in bad.items():
        key = n if isinstance(n, str) else "as_issued" if n < 0 else f"ops-{n}-extra"
        by_field.setdefault(key, []).append(message)
    if preview is None:
        return by_field, general
    for p in preview.problems:
        if p.severity != "error":
            continue
        if p.op is not None:
            head = (p.field or "").split(".")
            name = head[0] if head and head[0] else "op"
            kind = kinds[p.op] if p.op < len(kinds) else ""
            if kind in composing.INDICATOR_OPS and name not in TEXTS and name not in ("op", "source"):
                key = f"ops-{p.op}-{composing.problem_field(kind, p.field)}"
            elif name in TEXTS and len(head) > 1 and head[1] in ("kk", "ru"):
                key = f"ops-{p.op}-{name}-{head[1]}"
            elif name in TEXTS:
                key = f"ops-{p.op}-{name}-kk"
            elif name in PLAIN or name == "op":
                key = f"ops-{p.op}-{name}"
            else:
                key = f"ops-{p.op}-extra"
            by_field.setdefault(key, []).append(p.message)
        elif p.file == preview.rel and p.field:
            top = p.field.split(".")[0]
            key = {"regulation_ref": "regulation_ref-kk"}.get(top, top)
            by_field.setdefault(key, []).append(p.message)
        else:
            where = f"{p.file}: " if p.file else ""
            general.append(where + p.message)
    return by_field, general


def _basis(site, data: dict, name: str):
    """Return the edition the amendment being composed applies to (None when its date is not yet a date)."""
    try:
        return editing.edition_before(site.config.root, str(data.get("in_force") or ""), name or None)
    except RegdocError:
        return None


def _span(value: str) -> Optional[tuple[int, int]]:
    start, colon, end = value.partition(":")
    return (int(start), int(end)) if colon and start.isdigit() and end.isdigit() else None


def _choose(site, data: dict, name: str, typed: dict) -> dict[str, str]:
    """Apply the pickers' choices to the operations of `data`: the words chosen become `old` (and `occurrence`),
    an insertion whose number was proposed (or not given) takes the number proposed after its unit, the fields of
    a single-indicator operation become its indicator, rule, title ... (app.composing.indicator_op; the fields as
    typed go to `typed`, by operation, to be shown again). Return the problems by form field."""
    from regdoc.versioning.amend import unit_kind

    problems: dict[str, str] = {}
    ops = data.get("ops") or []
    basis, applied = None, -1  # the edition operation `applied` applies to (-1: not read yet)
    for n, op in enumerate(ops):
        picks, proposed, place = op.pop(PICK, None), op.pop(PROPOSED, None), op.pop(PLACE, None)
        fields = op.pop(TYPED, None)
        if not (picks or op.get("op") == "insert" or fields is not None):
            continue
        if applied < 0:
            basis, applied = _basis(site, data, name), 0
        for earlier in ops[applied:n]:  # the operations before it change what it applies to
            basis = composing.after_op(basis, earlier)
        applied = n
        if fields is not None:
            typed[n] = fields
            parts, found = composing.indicator_op(op["op"], fields, basis)
            for key in INDICATOR_KEYS:
                op.pop(key, None)
            op.update(parts)
            problems.update({f"ops-{n}-{k}": v for k, v in found.items()})
            continue
        if basis is None:
            continue
        if picks and op.get("op") == "replace_words":
            unit = basis.unit(str(op.get("target", "")))
            spans = {lang: _span(v) for lang, v in picks.items()}
            if unit is None:
                continue  # the preview names the unknown target
            if any(v is None for v in spans.values()):
                problems[f"ops-{n}-old-kk"] = _("choose whole words of the unit's text")
                continue
            try:
                old, occurrence = editing.picked_words({lang: unit.text[lang] for lang in ("kk", "ru")}, spans)
            except RegdocError as err:
                field = (err.node or "old.kk").replace(".", "-")
                problems[f"ops-{n}-{field}"] = err.message
                continue
            op["old"] = dict(op.get("old") or {"kk": "", "ru": ""}, **old)
            if len(spans) == 2 or occurrence is not None:
                op.pop("occurrence", None)
                if occurrence is not None:
                    op["occurrence"] = occurrence
        if op.get("op") == "insert" and op.get("after"):
            target = str(op.get("target", ""))
            if target and target != proposed:
                continue  # a number the editor typed is kept
            number, _note = editing.proposed_number(basis, str(op["after"]), place == "child")
            if number is not None:
                op["target"] = number
                op["kind"] = unit_kind(number)
    return problems


def _bases(site, data: dict, name: str, preview=None) -> list:
    """Return the edition each operation of `data` applies to (None for each while there is none); the models of
    the operations are the `preview`'s where it read the amendment back (reading them back again took a third of
    the composer's page: 36 ms of CPU against 24 ms for the shipped amendment)."""
    models = preview.amendment.ops if preview is not None and preview.amendment is not None else None
    try:
        return composing.op_bases(site.config.root, data, name or None, models)
    except RegdocError:
        return [None] * len(data.get("ops") or [])


def _picker_lang(request: Request) -> str:
    """The language of the texts in the pickers: Russian in a Russian interface, else Kazakh (the state language)."""
    return "ru" if request.scope.get("state", {}).get("lang") == "ru" else "kk"


def _pickers(bases: list, rows: list[dict], ops: list, typed: dict, lang: str = "kk") -> None:
    """Add to each row what its pickers show, from the edition its operation applies to: the units it can
    choose, the words of its unit (those of `old` marked), the number proposed for an insertion; the units' and
    indicators' texts in the document language `lang`."""
    from regdoc.data.model import parent_of
    from regdoc.versioning.amend import whole_word_starts

    for row, basis, op_data in zip(rows, bases, ops):
        if row["op"] in composing.INDICATOR_OPS:
            form = row["indicator"] = composing.indicator_form(op_data, typed.get(row["index"]), basis)
            row["options"] = {"block": [(b.id, f"{b.id}. {b.title[lang]}") for b in form.blocks],
                              "after": [(c.id, _("after {id}").format(id=c.id) + f" ({c.title[lang]})")
                                        for c in form.after_choices]}
        if basis is None:
            continue
        op = row["op"]
        if op in UNIT_OPS or op == "insert":
            key = "after" if op == "insert" else "target"
            row["units"] = [(u.id, u.text[lang][:70]) for u in basis.units if not getattr(u, "deleted", False)]
            if row[key] and row[key] not in [u for u, _t in row["units"]]:
                row["units"].insert(0, (row[key], ""))
        unit = basis.unit(str(row["target"])) if op in UNIT_OPS else None
        if unit is not None:
            row["current"] = unit.text
        if unit is not None and op == "replace" and not any(row["text"].values()):
            row["text"] = {lang: unit.text[lang] for lang in ("kk", "ru")}  # the wording to edit
        if unit is not None and op == "replace_words":
            row["words"] = {}
            for lang in ("kk", "ru"):
                text, old = unit.text[lang], (row["old"] or {}).get(lang, "")
                span = (0, 0)
                if old:
                    at, _inside = whole_word_starts(text, old)
                    k = row["occurrence"] if isinstance(row["occurrence"], int) else 1
                    if 0 < k <= len(at):
                        span = (at[k - 1], at[k - 1] + len(old))
                row["words"][lang] = {"text": text, "words": [
                    {"start": w.start, "end": w.end, "text": w.text, "chosen": span[0] <= w.start and w.end <= span[1]}
                    for w in editing.words_of(text)]}
        if op == "insert" and row["after"]:
            child = bool(row["target"]) and parent_of(str(row["target"])) == row["after"]
            row["place"] = "child" if child else "after"
            row["proposed"], row["proposal_note"] = editing.proposed_number(basis, str(row["after"]), child)


def _indicator_choices() -> dict:
    """The options (value, label in the interface's language) of the selects of single-indicator operations."""
    rule_kinds = {"per_unit": _("points per unit of the value"), "penalty": _("points deducted per unit (penalty)"),
                  "fixed": _("fixed points for a yes"), "bands": _("points by bands of the value"),
                  "rank": _("points by rank among the organisations")}
    units = {"count": _("count"), "persons": _("persons"), "percent": _("percent"),
             "thousand_tenge": _("thousand tenge"), "yes_no": _("yes/no")}
    return {"rule_kinds": [(k, f"{rule_kinds[k]} ({k})") for k in composing.RULE_KINDS],
            "units": [(k, f"{units[k]} ({k})") for k in composing.UNITS],
            "input_units": [(k, f"{units[k]} ({k})") for k in composing.INPUT_UNITS],
            "orders": [("highest_first", _("the highest value")), ("lowest_first", _("the lowest value"))],
            "missing": [("error", _("is an error in the returns")), ("zero", _("counts as 0"))]}


def _page(site, request: Request, data: dict, *, version: str = "", draft_version: str = "", name: str = "",
          bad: Optional[dict] = None, status: int = 200, saved=None, conflict=None, comments: bool = False,
          partial: bool = False, typed: Optional[dict] = None) -> HTMLResponse:
    bad = bad or {}
    preview = None
    if data.get("in_force") and not bad:
        try:
            preview = editing.preview_amendment(site.config.root, data, name or None)
        except RegdocError as err:
            bad = dict(bad, **{-2: str(err)})
    by_field, general = _errors(preview, {k: v for k, v in bad.items() if k != -2},
                                [op.get("op", "") for op in data.get("ops") or []])
    if -2 in bad:
        general.append(bad[-2])
    rows = _rows(data)
    picked = _picker_lang(request)
    _pickers(_bases(site, data, name, preview), rows, data.get("ops") or [], typed or {}, picked)
    values = dict(picked=picked, data=data, rows=rows, ops_kinds=OPS, kinds=KINDS, preview=preview, errors=by_field,
                  **_indicator_choices(),
                  general=general, version=version, draft_version=draft_version, name=name, saved=saved,
                  conflict=conflict, comments=comments,
                  ref=data.get("regulation_ref") or {"kk": "", "ru": ""},
                  as_issued=textwrap.dedent(editing.amendment_yaml({"as_issued": data["as_issued"]}).split("\n", 1)[1])
                  if data.get("as_issued") else "")
    if partial:  # the live preview refreshes the error place of every field the page has (compose.html's errs)
        page = site.env.get_template("compose.html").render(site.context(request, **values))
        values["oob"] = _ERROR_PLACE.findall(page)
    return site.render(request, "preview.html" if partial else "compose.html", status=status, **values)


_ERROR_PLACE = re.compile(r'<div id="err-([a-z0-9_-]{1,80})" class="field-errors">')


def compose(site, request: Request):
    """GET: a new amendment, or the file (or draft) `name` reopened for editing."""
    _user(request)
    name = request.query_params.get("name", "")
    draft = request.query_params.get("draft") == "1"
    if not name:
        data = {"adopted_by": request.query_params.get("adopted_by", ""),
                "in_force": request.query_params.get("in_force", ""), "source": "issued", "ops": []}
        if data["adopted_by"] and data["in_force"]:
            try:
                data = editing.new_amendment(site.config.root, data["adopted_by"], data["in_force"])
            except RegdocError as err:
                return site.error(request, 400, detail=str(err))
        return _page(site, request, data)
    try:
        found = editing.read_amendment(site.config.root, name, draft=draft)
    except RegdocError as err:
        return site.error(request, 404 if "no such file" in err.message else 400, detail=str(err))
    return _page(site, request, found.data, version=(found.version or "") if not draft else
                 (editing.version_of(site.config.root, editing.amendment_path(name)) or ""),
                 draft_version=(found.version or "") if draft else "", name=name, comments=found.has_comments)


async def compose_post(request: Request):
    """POST: preview (also the htmx partial), add or remove an operation, save a draft, or save."""
    from starlette.concurrency import run_in_threadpool

    site = request.app.state.site
    form = await _editor_form(request)
    user = _user(request)
    return await run_in_threadpool(_compose_post, site, request, form, user)


def _compose_post(site, request: Request, form, user) -> HTMLResponse:
    action = str(form.get("action") or "preview")
    if request.headers.get("hx-request") == "true":
        # the live preview (htmx) only ever previews: htmx sends the last submit button clicked with the form, so
        # a preview fired while a click on Save is under way would otherwise save a second time
        action = "preview"
    version = str(form.get("version") or "")
    draft_version = str(form.get("draft_version") or "")
    name = str(form.get("name") or "").strip()
    try:
        data, bad = form_to_data(form)
    except RegdocError as err:
        return site.error(request, 400, detail=str(err))
    typed: dict = {}  # the fields of single-indicator operations as typed, by operation
    try:
        bad.update(_choose(site, data, name, typed))
    except RegdocError as err:
        bad[-2] = str(err)
    if action == "add":
        kind = str(form.get("new_op") or "replace")
        data["ops"].append({"op": kind if kind in OPS else "replace"})
    partial = request.headers.get("hx-request") == "true" and action == "preview"
    if action not in ("save", "draft") or bad:
        return _page(site, request, data, version=version, draft_version=draft_version, name=name, typed=typed,
                     bad=bad, partial=partial, status=422 if bad and action in ("save", "draft") else 200)
    try:
        saved = editing.save_amendment(site.config.root, data, version or None, user.name,
                                       draft=action == "draft", name=name or None,
                                       draft_based_on=draft_version or None)
    except editing.Conflict as conflict:
        return _page(site, request, data, version=version, draft_version=draft_version, name=name, typed=typed,
                     status=409, conflict={
                         "rel": conflict.rel,
                         "theirs": conflict.theirs.decode("utf-8", "replace") if conflict.theirs else "",
                         "mine": conflict.mine.decode("utf-8", "replace") if conflict.mine else ""})
    except CheckFailed:
        return _page(site, request, data, version=version, draft_version=draft_version, name=name, typed=typed,
                     status=422)
    except RegdocError as err:
        return _page(site, request, data, version=version, draft_version=draft_version, name=name, typed=typed,
                     bad={-2: str(err)}, status=422)
    rel = saved.paths[0] if action == "draft" else next(p for p in saved.paths if p.startswith("regulation/"))
    stem = rel.rsplit("/", 1)[1][:-5]
    target = f"/amendments/compose?name={stem}" + ("&draft=1" if action == "draft" else "") + "&saved=1"
    return RedirectResponse(target, status_code=303)


def changes(site, request: Request):
    """GET: the history of saves (commits with their diffs)."""
    _user(request)
    commits = editing.history_of(site.config.root)
    return site.render(request, "changes.html", commits=commits, drafts=editing.drafts(site.config.root))


# ----- resolutions ----------------------------------------------------------------------------------------------

_ITEM_FIELD = re.compile(r"^items-(\d{1,3})-([a-z_]+)(?:-(kk|ru))?$")


def _pair(form, name: str) -> dict:
    return {lang: _clip(form.get(f"{name}-{lang}")) for lang in ("kk", "ru")}


def resolution_form_to_data(form) -> tuple[dict, dict[str, str]]:
    """Return the resolution's plain data from the form's fields, and the problems of the items' YAML boxes."""
    data: dict = {"id": _clip(form.get("id")).strip(), "source": _clip(form.get("source")).strip() or "issued",
                  "title": _pair(form, "title"), "preamble": _pair(form, "preamble")}
    evaluation = _clip(form.get("evaluation")).strip()
    if evaluation:
        data["evaluation"] = int(evaluation) if evaluation.isdigit() else evaluation
    fields: dict[int, dict] = {}
    for key in form.keys():
        hit = _ITEM_FIELD.match(key)
        if hit:
            fields.setdefault(int(hit[1]), {})[(hit[2], hit[3])] = _clip(form.get(key))
    items, bad = [], {}
    for n in sorted(fields)[:MAX_OPS]:
        f = fields[n]
        if f.get(("removed", None)):
            continue
        number = f.get(("number", None), "").strip()
        item: dict = {"number": int(number) if number.isdigit() else number}
        text = {lang: f.get(("text", lang), "") for lang in ("kk", "ru")}
        if any(v.strip() for v in text.values()):
            item["text"] = text
        amendment = f.get(("amendment", None), "").strip()
        if amendment:
            item["amendment"] = amendment
        extra = f.get(("extra", None), "").strip()
        if extra:
            try:
                parsed = parse_document(extra.encode("utf-8"), f"items[{len(items)}]").data
                if not isinstance(parsed, dict):
                    raise RegdocError(_("write the fields as a YAML mapping (places:, rewards:)"))
                item.update({str(k): v for k, v in parsed.items()})
            except RegdocError as err:
                bad[f"items-{len(items)}-extra"] = err.message
        items.append(item)
    data["items"] = items
    data["signatory"] = {"position": _pair(form, "signatory-position"), "name": _pair(form, "signatory-name")}
    return data, bad


def _item_rows(data: dict) -> list[dict]:
    rows = []
    for i, item in enumerate(data.get("items") or []):
        rest = {k: v for k, v in item.items() if k not in ("number", "text", "amendment")}
        extra = ""
        if rest:
            extra = "\n".join(line[4:] for line in editing.resolution_yaml({"items": [rest]}).splitlines()[1:])
        rows.append({"index": i, "number": item.get("number", ""), "amendment": item.get("amendment", ""),
                     "text": item.get("text") or {"kk": "", "ru": ""}, "extra": extra})
    return rows


def _resolution_page(site, request: Request, stem: str, data: dict, *, version: str = "", draft_version: str = "",
                     bad: Optional[dict] = None, status: int = 200, conflict=None, final: bool = False,
                     document: Optional[dict] = None):
    bad = bad or {}
    preview = None
    general: list[str] = []
    by_field: dict[str, list[str]] = {k: [v] for k, v in bad.items()}
    if not final and not bad:
        preview = editing.preview_resolution(site.config.root, stem, data)
        for p in preview.problems:
            if p.severity != "error":
                continue
            if p.op is not None:
                head = (p.field or "").split(".")
                name = head[0] or "number"
                key = (f"items-{p.op}-{name}-{head[1]}" if name == "text" and len(head) > 1
                       else f"items-{p.op}-{name}" if name in ("number", "amendment") else f"items-{p.op}-extra")
                by_field.setdefault(key, []).append(p.message)
            elif p.file == preview.rel and p.field:
                parts = p.field.split(".")
                key = "-".join(parts[:3]) if parts[0] == "signatory" else "-".join(parts[:2])
                by_field.setdefault(key, []).append(p.message)
            else:
                general.append((f"{p.file}: " if p.file else "") + p.message)
    pair = lambda v: v if isinstance(v, dict) else {"kk": "", "ru": ""}  # noqa: E731
    signatory = data.get("signatory") or {}
    ties: dict[int, list[dict]] = {}  # item index -> the ties at the cut-offs its places or rewards meet
    year = data.get("evaluation")
    stated = [(i, item) for i, item in enumerate(data.get("items") or []) if item.get("places") or item.get("rewards")]
    if isinstance(year, int) and stated:
        try:
            found = _scores(site, year)
        except RegdocError:
            found = None  # the preview names the evaluation's problem
        for i, item in stated if found else ():
            ties[i] = [t for t in found.ties if item.get("places" if t["kind"] == "prize" else "rewards")]
    return site.render(request, "resolution_edit.html", status=status, stem=stem, data=data, ties=ties,
                       document=document,
                       rows=_item_rows(data), preview=preview, errors=by_field, general=general, version=version,
                       draft_version=draft_version, conflict=conflict, final=final,
                       title=pair(data.get("title")), preamble=pair(data.get("preamble")),
                       position=pair(signatory.get("position")), signer=pair(signatory.get("name")))


def _scores(site, year: int):
    """Return the places, rewards and ties of the evaluation of `year` (app.scoring), once per version of the tree."""
    from regdoc.app.scoring import resolution_results

    return site.workspace.state().derived(("resolution_results", year),
                                          lambda: resolution_results(site.config.root, year))


def _fill(site, data: dict, action: str) -> Optional[str]:
    """Fill an item's places or rewards from the scores of the resolution's evaluation year (action places-N or
    rewards-N); return the problem that stops it, None when done."""
    kind, _dash, index = action.partition("-")
    items = data.get("items") or []
    if not index.isdigit() or int(index) >= len(items):
        return _("choose an item to fill")
    year = data.get("evaluation")
    if not isinstance(year, int):
        return _("give the year of the evaluation the resolution approves, then fill the item from its scores")
    try:
        found = _scores(site, year)
    except RegdocError as err:
        return str(err)
    item = items[int(index)]
    if kind == "places":
        item["places"] = [dict(p) for p in found.places]
    else:
        item["rewards"] = list(found.rewards)
    return None


def resolutions_index(site, request: Request):
    """GET: the resolutions still in draft, and the form that assigns the next number."""
    from regdoc.registry.numbering import is_draft

    _user(request)
    state = site.state()
    drafts = [r for r in state.tree.resolutions if is_draft(r)] if state.ok else []
    return site.render(request, "resolutions_edit.html", drafts=drafts, error=None)


async def resolution_new(request: Request):
    """POST: assign the next number by the registry's rules (exclusive creation) and open it for editing."""
    from datetime import date as date_type

    from starlette.concurrency import run_in_threadpool

    from regdoc.app.resolutions import new_resolution

    site = request.app.state.site
    form = await _editor_form(request)
    try:
        when = date_type.fromisoformat(str(form.get("date") or ""))
        meeting_text = str(form.get("meeting") or "").strip()
        meeting = int(meeting_text) if meeting_text else None
        if meeting is not None and not 0 < meeting < 10000:
            raise ValueError(meeting_text)
    except ValueError:
        return site.error(request, 400, detail=_("give the date as YYYY-MM-DD and the meeting as a number"))
    try:
        assigned = await run_in_threadpool(new_resolution, site.config.root, when, meeting)
    except RegdocError as err:
        return site.error(request, 400, detail=str(err))
    return RedirectResponse(f"/edit/resolutions/{assigned.plan.id.file_stem}", status_code=303)


def resolution_edit(site, request: Request):
    """GET: the resolution `stem` opened for editing (read-only when final)."""
    _user(request)
    stem = request.path_params["stem"]
    try:
        found = editing.read_resolution(site.config.root, stem)
    except RegdocError as err:
        return site.error(request, 404 if "no such file" in err.message else 400, detail=str(err))
    return _resolution_page(site, request, stem, found.data, version=found.version or "",
                            draft_version=found.draft_version or "", final=found.final)


async def resolution_post(request: Request):
    """POST: preview, add an item, save a draft, or mark final."""
    from starlette.concurrency import run_in_threadpool

    site = request.app.state.site
    form = await _editor_form(request)
    user = _user(request)
    return await run_in_threadpool(_resolution_post, site, request, form, user)


def _resolution_post(site, request: Request, form, user):
    stem = request.path_params["stem"]
    try:
        editing.resolution_path(stem)
        data, bad = resolution_form_to_data(form)
    except RegdocError as err:
        return site.error(request, 400, detail=str(err))
    action = str(form.get("action") or "preview")
    version = str(form.get("version") or "")
    draft_version = str(form.get("draft_version") or "")
    if action == "add":
        numbers = [i["number"] for i in data["items"] if isinstance(i.get("number"), int)]
        data["items"].append({"number": max(numbers, default=0) + 1})
    if action.startswith(("places-", "rewards-")) and not bad:
        problem = _fill(site, data, action)
        if problem:
            bad = {"general": problem}
    if action.startswith(("document-", "docx-")) and not bad:
        try:
            final = editing.read_resolution(site.config.root, stem).final  # a final one is shown read-only
        except RegdocError as err:
            return site.error(request, 404 if "no such file" in err.message else 400, detail=str(err))
        return _document(site, request, stem, data, action, version, draft_version, final)
    if action not in ("draft", "final") or bad:
        return _resolution_page(site, request, stem, data, version=version, draft_version=draft_version, bad=bad,
                                status=422 if bad and action in ("draft", "final") else 200)
    try:
        editing.save_resolution(site.config.root, stem, data, version or None, draft_version or None, user.name,
                                final=action == "final")
    except editing.Conflict as conflict:
        return _resolution_page(site, request, stem, data, version=version, draft_version=draft_version,
                                status=409, conflict={
                                    "rel": conflict.rel,
                                    "theirs": conflict.theirs.decode("utf-8", "replace") if conflict.theirs else "",
                                    "mine": conflict.mine.decode("utf-8", "replace") if conflict.mine else ""})
    except CheckFailed as failed:
        page = _resolution_page(site, request, stem, data, version=version, draft_version=draft_version,
                                status=422)
        return page if any(p.node for p in failed.problems) else _resolution_page(
            site, request, stem, data, version=version, draft_version=draft_version, status=422,
            bad={"general": "; ".join(p.message for p in failed.problems)})
    except RegdocError as err:
        return _resolution_page(site, request, stem, data, version=version, draft_version=draft_version,
                                status=403 if _(editing.READ_ONLY) in err.message else 422,
                                bad={"general": str(err)})
    return RedirectResponse(f"/edit/resolutions/{stem}?saved=1", status_code=303)


def _document(site, request: Request, stem: str, data: dict, action: str, version: str, draft_version: str,
              final: bool):
    """The document the resolution being drafted will produce (app.editing.resolution_document): shown on the page
    as it will print (action document-kk|ru), or sent as the .docx (docx-kk|ru)."""
    from starlette.responses import Response

    from regdoc.views.document import blocks

    kind, _dash, lang = action.partition("-")
    page = dict(version=version, draft_version=draft_version, final=final)
    try:
        made = editing.resolution_document(site.config.root, stem, data, lang)
    except CheckFailed:
        return _resolution_page(site, request, stem, data, status=422, **page)  # the preview shows why
    except RegdocError as err:
        return _resolution_page(site, request, stem, data, status=422, bad={"general": str(err)}, **page)
    if kind == "docx":
        return Response(made.data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml"
                                              ".document",
                        headers={"content-disposition": f'attachment; filename="{made.filename}"'})
    shown = {"lang": lang, "filename": made.filename, "blocks": blocks(made.data)}
    return _resolution_page(site, request, stem, data, document=shown, **page)


def routes(site) -> list[Route]:
    from regdoc.web.pages import handle

    return [
        Route("/amendments/compose", handle(compose)),
        Route("/amendments/compose", compose_post, methods=["POST"]),
        Route("/changes", handle(changes)),
        Route("/edit/resolutions", handle(resolutions_index)),
        Route("/edit/resolutions/new", resolution_new, methods=["POST"]),
        Route("/edit/resolutions/{stem}", handle(resolution_edit)),
        Route("/edit/resolutions/{stem}", resolution_post, methods=["POST"]),
    ]
