"""The editor's pages of the browser workspace: compose an amendment with its preview, and the history of saves.

Every form and POST here is for editors only (a viewer gets 403) and every POST checks its CSRF token. The form
carries the amendment as flat fields (ops-N-target, ops-N-text-kk ...) plus, per operation, the structured
parts of criteria operations (indicator, rule, title, criteria, ref) as YAML; the page turns them into the plain
data of regdoc.app.editing, which writes, previews and saves them. Each save carries the version of the file it
was based on; a save over a changed file shows both versions.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.routing import Route

from regdoc.app import editing
from regdoc.data.yamldoc import parse_document
from regdoc.errors import CheckFailed, RegdocError
from regdoc.i18n import _

OPS = ("replace", "replace_words", "insert", "delete", "replace_appendix", "add_indicator", "remove_indicator",
       "change_indicator")
KINDS = ("section", "clause", "subclause")
TEXTS = ("text", "old", "new", "justification")  # the two-language fields of an operation shown as text boxes
PLAIN = ("target", "after", "kind", "block", "occurrence", "source")
STRUCTURED = ("indicator", "rule", "title", "ref", "criteria")  # edited as YAML in the operation's "extra" box
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
    as_issued = _clip(form.get("as_issued")).strip()
    bad: dict[int, str] = {}
    if as_issued:
        try:
            data["as_issued"] = parse_document(as_issued.encode("utf-8"), "as_issued").data
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
    rest = {k: v for k, v in op.items() if k not in ("op", *PLAIN, *TEXTS)}
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
                     **{k: op.get(k) or {"kk": "", "ru": ""} for k in TEXTS}, "extra": _extra_of(op)})
    return rows


def _errors(preview: Optional[editing.AmendmentPreview], bad: dict[int, str]) -> tuple[dict, list]:
    """Return the errors by form field (ops-N-field, header fields) and those of no field."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for n, message in bad.items():
        by_field.setdefault("as_issued" if n < 0 else f"ops-{n}-extra", []).append(message)
    if preview is None:
        return by_field, general
    for p in preview.problems:
        if p.severity != "error":
            continue
        if p.op is not None:
            head = (p.field or "").split(".")
            name = head[0] if head and head[0] else "op"
            if name in TEXTS and len(head) > 1 and head[1] in ("kk", "ru"):
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


def _page(site, request: Request, data: dict, *, version: str = "", draft_version: str = "", name: str = "",
          bad: Optional[dict] = None, status: int = 200, saved=None, conflict=None, comments: bool = False,
          partial: bool = False) -> HTMLResponse:
    bad = bad or {}
    preview = None
    if data.get("in_force") and not bad:
        try:
            preview = editing.preview_amendment(site.config.root, data, name or None)
        except RegdocError as err:
            bad = dict(bad, **{-2: str(err)})
    by_field, general = _errors(preview, {k: v for k, v in bad.items() if k != -2})
    if -2 in bad:
        general.append(bad[-2])
    values = dict(data=data, rows=_rows(data), ops_kinds=OPS, kinds=KINDS, preview=preview, errors=by_field,
                  general=general, version=version, draft_version=draft_version, name=name, saved=saved,
                  conflict=conflict, comments=comments,
                  ref=data.get("regulation_ref") or {"kk": "", "ru": ""},
                  as_issued=editing.amendment_yaml({"as_issued": data["as_issued"]}).split("\n", 1)[1]
                  if data.get("as_issued") else "")
    return site.render(request, "preview.html" if partial else "compose.html", status=status, **values)


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
    version = str(form.get("version") or "")
    draft_version = str(form.get("draft_version") or "")
    name = str(form.get("name") or "").strip()
    try:
        data, bad = form_to_data(form)
    except RegdocError as err:
        return site.error(request, 400, detail=str(err))
    if action == "add":
        kind = str(form.get("new_op") or "replace")
        data["ops"].append({"op": kind if kind in OPS else "replace"})
    partial = request.headers.get("hx-request") == "true" and action == "preview"
    if action not in ("save", "draft") or bad:
        return _page(site, request, data, version=version, draft_version=draft_version, name=name, bad=bad,
                     partial=partial, status=422 if bad and action in ("save", "draft") else 200)
    try:
        saved = editing.save_amendment(site.config.root, data, version or None, user.name,
                                       draft=action == "draft", name=name or None,
                                       draft_based_on=draft_version or None)
    except editing.Conflict as conflict:
        return _page(site, request, data, version=version, draft_version=draft_version, name=name, status=409,
                     conflict={"rel": conflict.rel,
                               "theirs": conflict.theirs.decode("utf-8", "replace") if conflict.theirs else "",
                               "mine": conflict.mine.decode("utf-8", "replace") if conflict.mine else ""})
    except CheckFailed:
        return _page(site, request, data, version=version, draft_version=draft_version, name=name, status=422)
    except RegdocError as err:
        return _page(site, request, data, version=version, draft_version=draft_version, name=name,
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
                     bad: Optional[dict] = None, status: int = 200, conflict=None, final: bool = False):
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
    return site.render(request, "resolution_edit.html", status=status, stem=stem, data=data,
                       rows=_item_rows(data), preview=preview, errors=by_field, general=general, version=version,
                       draft_version=draft_version, conflict=conflict, final=final,
                       title=pair(data.get("title")), preamble=pair(data.get("preamble")),
                       position=pair(signatory.get("position")), signer=pair(signatory.get("name")))


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
