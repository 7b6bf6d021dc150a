"""The routes of the browser workspace: each reads the cached data tree, calls the library (the application layer
and the domain packages below it) and renders a template. No URL part becomes a file path: every id in a URL is
looked up in the loaded model, and anything not found is a 404.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from regdoc.data import model as m
from regdoc.errors import RegdocError
from regdoc.i18n import _
from regdoc.web import language, security
from regdoc.web.workspace import State, Workspace

DOC_LANGS = ("kk", "ru", "both")
_UNIT_ID = re.compile(r"^\d{1,3}(?:-\d{1,3})?(?:\.\d{1,3}(?:-\d{1,3})?){0,3}$")
_STEM = re.compile(r"^\d{4}-\d{2}-\d{2}-\d{1,4}-\d{1,4}$")
_REF = re.compile(r"^[0-9A-Za-z._-]{1,40}$")


class Broken(Exception):
    """The data tree does not load: the page shows the problems `check` finds."""

    def __init__(self, state: State):
        self.state = state


class BadRequest(Exception):
    """A parameter that names nothing valid (a bad date ...): a 400 page with the message."""

    def __init__(self, message: str):
        self.message = message


@dataclass
class Site:
    config: Any
    workspace: Workspace
    env: Any
    sessions: security.Sessions
    limit: security.SignInLimit
    builds: Any = None

    # ----- rendering ---------------------------------------------------------------------------------------

    def context(self, request: Request, **values) -> dict:
        state = request.scope.get("state", {})
        session = state.get("session")
        lang = state.get("lang", language.DEFAULT)
        path = request.url.path
        query = request.url.query
        here = path + (f"?{query}" if query else "")
        return dict(values, request=request, ui_lang=lang, languages=language.LANGUAGES,
                    language_names=language.NAMES, session=session,
                    user=session.user if session else None, csrf=session.csrf if session else "",
                    accounts=self.config.accounts, here=here, path=path,
                    preview_delay_ms=self.config.preview_delay_ms)

    def render(self, request: Request, template: str, status: int = 200, **values) -> HTMLResponse:
        html = self.env.get_template(template).render(self.context(request, **values))
        return HTMLResponse(html, status_code=status)

    def error(self, request: Request, status: int, detail: Optional[str] = None,
              reference: Optional[str] = None) -> HTMLResponse:
        titles = {400: _("The request cannot be answered"), 403: _("Not allowed"), 404: _("Not found"),
                  405: _("Not allowed"), 429: _("Too many attempts"), 500: _("Internal error")}
        messages = {404: _("Nothing here has this address. Ids in addresses are those of the data tree."),
                    403: _("You may not do this, or the form has expired: reload the page and try again."),
                    405: _("This address does not take this kind of request."),
                    429: _("Too many failed sign-ins. Wait a quarter of an hour and try again."),
                    500: _("Something went wrong in regdoc. This is a bug; the server's log holds the details "
                           "under the reference below.")}
        message = detail if status == 400 and detail else messages.get(status, "")
        try:
            return self.render(request, "error.html", status=status, title=titles.get(status, str(status)),
                               message=message, reference=reference)
        except Exception:  # the error page itself failed: plain text, still no traceback
            return HTMLResponse(f"{status} {titles.get(status, '')} {reference or ''}".strip(), status_code=status)

    # ----- the data tree ------------------------------------------------------------------------------------

    def state(self) -> State:
        state = self.workspace.state()
        if not state.ok:
            raise Broken(state)
        return state


def _doc_lang(request: Request) -> str:
    value = request.query_params.get("doc", "kk")
    return value if value in DOC_LANGS else "kk"


def _doc_langs(doc: str) -> tuple[str, ...]:
    return ("kk", "ru") if doc == "both" else (doc,)


def _short(d: date) -> str:
    from regdoc.phrasing.common import short_date

    return short_date(d)


def handle(view, kept: bool = False):
    """Wrap a page function: a broken tree gives the check page, a bad parameter a 400 page.

    A `kept` page is a read page whose HTML depends only on the version of the data tree and on what `_page_key`
    names (the address, the interface language, the user, the day): its 200 answer is kept on the tree's state and
    served again, with the session's own CSRF token put back in, until a file of the tree changes."""
    async def endpoint(request: Request):
        from starlette.concurrency import run_in_threadpool

        site: Site = request.app.state.site
        session = request.scope.get("state", {}).get("session")
        key = _page_key(view, request, session) if kept and session and session.csrf else None
        before = site.workspace.fresh() if key is not None else None
        if before is not None:
            found = before.page(key)
            if found is not None:
                return HTMLResponse(session.csrf.encode().join(found))
        try:
            response = await run_in_threadpool(view, site, request)
        except Broken as broken:
            return site.render(request, "broken.html", status=503,
                               problems=_problems(site, broken.state, request))
        except BadRequest as bad:
            return site.error(request, 400, detail=bad.message)
        # kept on the state looked up before rendering: if a file changed meanwhile, that state is no longer served
        if before is not None and before.ok and response.status_code == 200 and type(response) is HTMLResponse:
            before.keep_page(key, tuple(response.body.split(session.csrf.encode())))
        return response
    endpoint.__name__ = view.__name__
    return endpoint


def _page_key(view, request: Request, session) -> tuple:
    """Return what a kept page's HTML depends on besides the data tree (see `handle`)."""
    user = session.user
    scope = request.scope
    return (view.__name__, scope["path"], scope.get("query_string", b""), scope["state"].get("lang"),
            (user.name, user.can_edit) if user else None, request.headers.get("host"), date.today())


def _editor(request: Request) -> bool:
    session = request.scope.get("state", {}).get("session")
    return bool(session and session.user and session.user.can_edit)


def data_files(site: Site, state: State) -> dict[str, str]:
    """Return the data files of the served tree (path relative to the root, posix -> absolute path), as the
    workspace lists them: the only files the file page shows."""
    top = site.config.root.resolve()
    out = {}
    for entry in state.key:
        try:
            rel = Path(entry[0]).relative_to(top).as_posix()
        except ValueError:
            continue
        out[rel] = entry[0]
    return out


def _problems(site: Site, state: State, request: Request) -> list[dict]:
    """Return the problems of `state` in order, each with the links to its file and to what it concerns."""
    from regdoc.web.links import concerns, file_link

    order = sorted(state.problems, key=lambda p: (p.severity != "error", p.file or "", p.line or 0))
    files = data_files(site, state)
    editor = _editor(request)
    out = []
    for p in order:
        links = [file_link(p.file, p.line)] if p.file in files else []
        links += concerns(p.file, p.node, state.tree, editor)
        out.append({"severity": p.severity, "file": p.file, "line": p.line, "node": p.node, "message": p.message,
                    "links": links})
    return out


def source_file(site: Site, request: Request):
    """GET: a data file of the tree with its lines numbered (the place a problem points to). The path is looked
    up among the files the workspace lists; anything else is a 404."""
    state = site.workspace.state()
    rel = request.path_params["path"]
    found = data_files(site, state).get(rel)
    if found is None:
        raise HTTPException(404)
    from regdoc.data.yamldoc import MAX_BYTES

    try:
        with open(found, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError:
        raise HTTPException(404) from None
    if len(raw) > MAX_BYTES:
        raise BadRequest(_("file is larger than the limit of {limit} bytes").format(limit=MAX_BYTES))
    lines = raw.decode("utf-8", "replace").splitlines()
    problems = [p for p in _problems(site, state, request) if p["file"] == rel]
    marked = {p["line"] for p in problems if p["line"]}
    return site.render(request, "file.html", rel=rel, lines=lines, marked=marked, problems=problems)


def _bad(err: RegdocError) -> BadRequest:
    return BadRequest(str(err))


# ----- the Regulation -----------------------------------------------------------------------------------------

def _latest_amendment(tree: m.DataTree, when: date) -> Optional[m.Amendment]:
    done = [a for a in tree.amendments if a.in_force <= when]
    return max(done, key=lambda a: (a.in_force, a.name)) if done else None


def _resolution_label(rid: m.ResolutionId, lang: str) -> str:
    from regdoc.phrasing import for_lang

    return for_lang(lang).resolution_number(rid)


def _results(state: State, year: int):
    """Return (evaluation, results) of `year`, computed once per version of the tree."""
    def make():
        from regdoc.app.scoring import score_year

        scored = score_year(state.tree.root, year)
        return scored.evaluation, scored.results
    return state.derived(("results", year), make)


def _years(site: Site) -> list[int]:
    from regdoc.tree.read import evaluation_years

    return evaluation_years(site.config.root)


def home(site: Site, request: Request):
    from regdoc.versioning.amend import edition_at

    state = site.workspace.state()
    problems = _problems(site, state, request)
    if not state.ok:
        return site.render(request, "broken.html", status=503, problems=problems)
    tree = state.tree
    doc = _doc_lang(request)
    today = date.today()
    try:
        edition = edition_at(tree.initial, tree.amendments, today)
    except RegdocError:
        edition = None
    amendment = _latest_amendment(tree, today)
    resolution = max(tree.resolutions, key=lambda r: r.id) if tree.resolutions else None
    latest = None
    years = _years(site)
    if years:
        year = years[-1]
        try:
            evaluation, results = _results(state, year)
        except RegdocError as err:
            latest = {"year": year, "error": str(err)}
        else:
            names = _org_names(tree, year, _doc_langs(doc))
            latest = {"year": year, "error": None,
                      "prize": [{"place": s.place, "organisation": s.organisation, "names": names[s.organisation],
                                 "total": s.total} for s in results.prize_winners],
                      "rewards": [{"organisation": o, "names": names[o]} for o in results.rewards]}
    ordered = [tree.initial.name] + [a.name for a in sorted(tree.amendments, key=lambda a: (a.in_force, a.name))]
    previous = ordered[ordered.index(amendment.name) - 1] if amendment else None
    return site.render(request, "home.html", doc=doc, today=today.isoformat(), edition=edition,
                       amendment=amendment, previous=previous, resolution=resolution, latest=latest, problems=problems,
                       label=_resolution_label, tree=tree, short=_short)


def _org_names(tree: m.DataTree, year: int, langs: tuple[str, ...]) -> dict[str, dict[str, str]]:
    from regdoc.scoring.results import names

    per_lang = {lang: names(tree.organisations, year, lang) for lang in langs}
    return {o.id: {lang: per_lang[lang][o.id] for lang in langs} for o in tree.organisations}


def _ref(ref: str) -> str:
    if not _REF.match(ref):
        raise BadRequest(_("'{value}' is neither a date YYYY-MM-DD nor an edition id").format(value=ref[:60]))
    return ref


def regulation(site: Site, request: Request):
    from regdoc.views.text import regulation_json

    state = site.state()
    tree = state.tree
    doc = _doc_lang(request)
    from regdoc.app.versioning import regulation_at

    when = _ref(request.query_params.get("date") or date.today().isoformat())
    try:
        p = regulation_at(site.config.root, when).point
    except RegdocError as err:
        raise _bad(err) from None
    data = state.derived(("regulation", p.edition.in_force, p.edition.amendments, p.when),
                         lambda: {lang: regulation_json(tree.regulation, p, lang) for lang in ("kk", "ru")})
    units = [{"id": u["id"], "kind": u["kind"], "deleted": u["deleted"],
              "text": {lang: data[lang]["units"][i]["text"] for lang in ("kk", "ru")},
              "notes": {lang: data[lang]["units"][i]["notes"] for lang in ("kk", "ru")}}
             for i, u in enumerate(data["kk"]["units"])]
    blocks = [{"id": b["id"], "main": b["main"], "max_points": b["max_points"],
               "title": {lang: data[lang]["appendix"]["blocks"][i]["title"] for lang in ("kk", "ru")},
               "indicators": [{"id": ind["id"], "max_points": ind["max_points"],
                               "title": {lang: data[lang]["appendix"]["blocks"][i]["indicators"][j]["title"]
                                         for lang in ("kk", "ru")},
                               "rule": {lang: data[lang]["appendix"]["blocks"][i]["indicators"][j]["rule"]
                                        for lang in ("kk", "ru")}}
                              for j, ind in enumerate(b["indicators"])]}
              for i, b in enumerate(data["kk"]["appendix"]["blocks"])]
    return site.render(request, "regulation.html", doc=doc, langs=_doc_langs(doc), date=p.when.isoformat(),
                       in_force=p.edition.in_force, title={lang: data[lang]["title"] for lang in ("kk", "ru")},
                       units=units, blocks=blocks, short=_short,
                       appendix={"title": {lang: data[lang]["appendix"]["title"] for lang in ("kk", "ru")},
                                 "notes": {lang: data[lang]["appendix"]["notes"] for lang in ("kk", "ru")},
                                 "prize_places": data["kk"]["appendix"]["prize_places"]},
                       edition_label={lang: _edition_as_of(lang, p.when) for lang in ("kk", "ru")})


def _edition_as_of(lang: str, when: date) -> str:
    from regdoc.phrasing import for_lang

    return for_lang(lang).edition_as_of(when)


def unit_history(site: Site, request: Request):
    from regdoc.app.versioning import unit_history as history_of
    from regdoc.versioning.diff import word_diff

    state = site.state()
    tree = state.tree
    unit_id = request.path_params["unit"]
    if not _UNIT_ID.match(unit_id):
        raise HTTPException(404)
    try:
        wordings = state.derived(("history", unit_id), lambda: history_of(site.config.root, unit_id))
    except RegdocError:
        raise HTTPException(404) from None
    doc = _doc_lang(request)
    langs = _doc_langs(doc)
    compare = None
    a, b = request.query_params.get("a"), request.query_params.get("b")
    if a is not None or b is not None:
        try:
            ia, ib = int(a or 0), int(b if b is not None else len(wordings) - 1)
        except ValueError:
            raise BadRequest(_("choose two wordings by their numbers")) from None
        if not (0 <= ia < len(wordings) and 0 <= ib < len(wordings)):
            raise BadRequest(_("choose two wordings by their numbers"))
        compare = {"a": ia, "b": ib,
                   "words": {lang: word_diff(wordings[ia].text[lang], wordings[ib].text[lang]) for lang in langs}}
    rows = [{"index": i, "in_force": w.in_force, "action": w.action, "amendment": w.amendment,
             "resolution": w.adopted_by, "deleted": w.deleted, "text": w.text, "kind": w.kind}
            for i, w in enumerate(wordings)]
    return site.render(request, "history.html", unit=unit_id, rows=rows, doc=doc, langs=langs, compare=compare,
                       short=_short, label=_resolution_label, stem=_stem_of(tree))


def _stem_of(tree: m.DataTree):
    known = {r.id for r in tree.resolutions}
    return lambda rid: rid.file_stem if rid in known else None


def compare(site: Site, request: Request):
    from regdoc.app.versioning import compare_criteria, compare_editions

    state = site.state()
    tree = state.tree
    doc = _doc_lang(request)
    langs = _doc_langs(doc)
    names = [tree.initial.name] + [a.name for a in tree.amendments]
    first, second = request.query_params.get("from"), request.query_params.get("to")
    result = None
    if first or second:
        first = first or tree.initial.name
        second = second or date.today().isoformat()
        _ref(first), _ref(second)
        years = any(ref.isdigit() and len(ref) == 4 for ref in (first, second))
        try:
            if years:  # evaluation years name Appendix 1 in force on 31 December: the criteria are compared
                cc = state.derived(("criteria", first, second),
                                   lambda: compare_criteria(site.config.root, first, second))
                result = {"a": cc.first, "b": cc.second, "units": None, "criteria": cc.diff}
            else:
                ec = state.derived(("compare", first, second),
                                   lambda: compare_editions(site.config.root, first, second))
                result = {"a": ec.first, "b": ec.second, "criteria": ec.criteria, "counts": ec.diff.counts(),
                          "units": [u for u in ec.diff.units if u.status != "unchanged"]}
        except RegdocError as err:
            raise _bad(err) from None
    return site.render(request, "compare.html", doc=doc, langs=langs, first=first or "", second=second or "",
                       names=names, result=result, short=_short, years=_years(site), rule=_rule_text,
                       points=_points)


def _rule_text(indicator, lang: str) -> str:
    from regdoc.phrasing import for_lang

    return for_lang(lang).rule_text(indicator.rule, indicator.unit) if indicator is not None else ""


def _points(value) -> str:
    if value is None:
        return "—"
    from decimal import Decimal

    d = Decimal(str(value))
    return str(int(d)) if d == d.to_integral_value() else format(d.normalize(), "f")


# ----- resolutions ------------------------------------------------------------------------------------------

def _resolution(tree: m.DataTree, stem: str) -> m.Resolution:
    """Return the resolution whose file stem is `stem` (2026-02-20-9-7); 404 when there is none."""
    if not _STEM.match(stem):
        raise HTTPException(404)
    found = next((r for r in tree.resolutions if r.id.file_stem == stem), None)
    if found is None:
        raise HTTPException(404)
    return found


def resolutions(site: Site, request: Request):
    from regdoc.app.resolutions import register

    state = site.state()
    tree = state.tree
    doc = _doc_lang(request)
    years = sorted({r.id.date.year for r in tree.resolutions})
    year = None
    raw = request.query_params.get("year")
    if raw:
        if not raw.isdigit() or len(raw) != 4:
            raise BadRequest(_("'{value}' is not a year").format(value=raw[:20]))
        year = int(raw)
    rows = register(site.config.root, year)
    return site.render(request, "resolutions.html", doc=doc, langs=_doc_langs(doc), rows=rows, years=years,
                       year=year, short=_short)


def resolution(site: Site, request: Request):
    from regdoc.documents.resolution import edition_before
    from regdoc.phrasing import for_lang
    from regdoc.registry.numbering import is_draft
    from regdoc.versioning.amend import editions
    from regdoc.versioning.amending import amending_lines

    state = site.state()
    tree = state.tree
    r = _resolution(tree, request.path_params["stem"])
    doc = _doc_lang(request)
    langs = _doc_langs(doc)
    names = {o.id: {lang: for_lang(lang).organisation(o.name_at(r.id.date)[lang], o.legal_form) for lang in langs}
             for o in tree.organisations}  # as the resolution names them on its date
    all_editions = state.derived("editions", lambda: editions(tree.initial, tree.amendments))
    items = []
    for item in r.items:
        entry = {"number": item.number, "text": item.text, "places": item.places, "rewards": item.rewards,
                 "amendment": None}
        amendment = tree.amendment(item.amendment) if item.amendment else None
        if amendment is not None:
            before = edition_before(tree, amendment, all_editions)
            entry["amendment"] = {
                "name": amendment.name, "in_force": amendment.in_force,
                "lines": {lang: [line.text for line in amending_lines(amendment, item.number, lang, tree.regulation,
                                                                      before=before)] for lang in langs}}
        items.append(entry)
    return site.render(request, "resolution.html", doc=doc, langs=langs, r=r, items=items, names=names,
                       draft=is_draft(r), label=_resolution_label, short=_short)


# ----- evaluations ------------------------------------------------------------------------------------------

def _year(site: Site, raw: str) -> int:
    if not raw.isdigit() or len(raw) != 4 or int(raw) not in _years(site):
        raise HTTPException(404)
    return int(raw)


def evaluations(site: Site, request: Request):
    site.state()
    years = _years(site)
    if years and "year" not in request.query_params:
        return RedirectResponse(f"/evaluations/{years[-1]}?doc={_doc_lang(request)}", status_code=303)
    return site.render(request, "evaluations.html", years=years, doc=_doc_lang(request))


def evaluation(site: Site, request: Request):
    from regdoc.scoring.results import number

    state = site.state()
    tree = state.tree
    year = _year(site, request.path_params["year"])
    doc = _doc_lang(request)
    langs = _doc_langs(doc)
    try:
        ev, results = _results(state, year)
    except RegdocError as err:
        raise _bad(err) from None
    names = _org_names(tree, year, langs)
    blocks = results.criteria.blocks
    indicators = [s.indicator for s in results.indicators]
    sort = request.query_params.get("sort", "place")
    keys = {"place", "total", "main"} | {b.id for b in blocks} | {i.id for i in indicators}
    if sort not in keys:
        raise BadRequest(_("cannot sort by '{key}'").format(key=sort[:60]))
    index = {o: i for i, o in enumerate(results.organisations)}
    chosen = next((s for s in results.indicators if s.indicator.id == sort), None)
    rewards = set(results.rewards)
    rows = []
    for s in results.standings:
        i = index[s.organisation]
        row = {"place": s.place, "organisation": s.organisation, "names": names[s.organisation],
               "blocks": [number(v) for _, v in s.blocks], "main": number(s.main_blocks), "total": number(s.total),
               "prize": s.prize, "reward": s.organisation in rewards, "shared": s.shared, "tie_break": s.tie_break,
               "indicator": None}
        if chosen is not None:
            row["indicator"] = {"value": number(chosen.values[i]), "points": number(chosen.points[i]),
                                "rank": chosen.ranks[i]}
        rows.append(row)
    if sort in ("total",):
        rows.sort(key=lambda r: (-r["total"], r["place"]))
    elif sort == "main":
        rows.sort(key=lambda r: (-r["main"], r["place"]))
    elif chosen is not None:
        rows.sort(key=lambda r: (r["indicator"]["rank"], r["place"]))
    elif sort != "place":
        b = [blk.id for blk in blocks].index(sort)
        rows.sort(key=lambda r: (-r["blocks"][b], r["place"]))
    ties = sum(1 for r in rows if r["tie_break"])
    return site.render(request, "evaluation.html", doc=doc, langs=langs, year=year, years=_years(site), rows=rows,
                       blocks=blocks, indicators=indicators, sort=sort, chosen=chosen, ties=ties,
                       source=ev.source, in_force=ev.criteria_in_force, short=_short,
                       prize_places=results.criteria.prize_places)


def organisation(site: Site, request: Request):
    from regdoc.phrasing import for_lang
    from regdoc.scoring.results import explanation_table

    state = site.state()
    tree = state.tree
    org_id = request.path_params["org"]
    org = tree.organisation(org_id) if _REF.match(org_id) else None
    if org is None:
        raise HTTPException(404)
    doc = _doc_lang(request)
    langs = _doc_langs(doc)
    years = _years(site)
    history = []
    for y in years:
        try:
            _, results = _results(state, y)
        except RegdocError:
            continue
        standing = next((s for s in results.standings if s.organisation == org_id), None)
        if standing is not None:
            history.append({"year": y, "place": standing.place, "total": standing.total, "prize": standing.prize,
                            "reward": org_id in results.rewards, "of": len(results.standings)})
    raw = request.query_params.get("year")
    year = int(raw) if raw and raw.isdigit() and int(raw) in [h["year"] for h in history] else (
        history[-1]["year"] if history else None)
    if raw and year != (int(raw) if raw.isdigit() else None):
        raise HTTPException(404)
    explanation = None
    if year is not None:
        _, results = _results(state, year)
        exp = results.explain(org_id)
        explanation = {"standing": exp.standing, "of": exp.organisations,
                       "tables": {lang: explanation_table(exp, lang) for lang in langs},
                       "place": {lang: for_lang(lang).place(exp.standing.place) for lang in langs}}
    return site.render(request, "organisation.html", doc=doc, langs=langs, org=org, history=history, year=year,
                       explanation=explanation, short=_short, names=_org_names(tree, year or date.today().year,
                                                                                langs)[org_id])


# ----- documents --------------------------------------------------------------------------------------------

def _latest(tree: m.DataTree) -> Optional[m.Resolution]:
    return max(tree.resolutions, key=lambda r: r.id) if tree.resolutions else None


def _packet_dir(site: Site, stem: str, create: bool = False):
    """Return the folder of the packet `stem`: out/<stem>/ under the data tree, where `regdoc build` puts it."""
    from regdoc.files.write import output_folder

    return output_folder(site.config.root, site.config.root / "out" / stem, create=create)


def _manifest(site: Site, stem: str) -> Optional[dict]:
    import json

    try:
        folder = _packet_dir(site, stem)
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RegdocError):
        return None


def _pdf_available() -> bool:
    import shutil

    return bool(shutil.which("soffice") or shutil.which("libreoffice"))


def documents_index(site: Site, request: Request):
    state = site.state()
    latest = _latest(state.tree)
    if latest is None:
        tree = state.tree
        names = [tree.initial.name] + [a.name for a in sorted(tree.amendments, key=lambda a: (a.in_force, a.name))]
        return site.render(request, "documents.html", r=None, doc=_doc_lang(request), names=names,
                           amendments=[a.name for a in tree.amendments])
    return RedirectResponse(f"/documents/{latest.id.file_stem}?doc={_doc_lang(request)}", status_code=303)


def documents(site: Site, request: Request):
    state = site.state()
    tree = state.tree
    r = _resolution(tree, request.path_params["stem"])
    doc = _doc_lang(request)
    langs = _doc_langs(doc)
    latest = _latest(tree)
    build = site.builds.get(("packet", r.id.file_stem))
    manifest = _manifest(site, r.id.file_stem) if r == latest else None
    stale = False
    if manifest:
        digests = dict(tree.digests) if hasattr(tree, "digests") else {}
        stale = any(digests.get(src["file"]) not in (None, src["sha256"])
                    for f in manifest["files"] for src in f.get("sources", ()))
    names = [tree.initial.name] + [a.name for a in sorted(tree.amendments, key=lambda a: (a.in_force, a.name))]
    return site.render(request, "documents.html", r=r, latest=latest, doc=doc, langs=langs, build=build,
                       manifest=manifest, stale=stale, pdf_available=_pdf_available(), names=names,
                       amendments=[a.name for a in tree.amendments], label=_resolution_label, short=_short)


def progress(site: Site, request: Request):
    state = site.state()
    r = _resolution(state.tree, request.path_params["stem"])
    build = site.builds.get(("packet", r.id.file_stem))
    return site.render(request, "progress.html", r=r, build=build, doc=_doc_lang(request))


async def build_packet(request: Request):
    site: Site = request.app.state.site
    await checked_form(request)
    session = request.scope["state"]["session"]
    if not (session.user and session.user.can_edit):
        raise HTTPException(403)
    form = await request.form()
    state = site.workspace.state()
    if not state.ok:
        return site.render(request, "broken.html", status=503, problems=_problems(site, state, request))
    r = _resolution(state.tree, request.path_params["stem"])
    if r != _latest(state.tree):
        raise HTTPException(404)
    stem = r.id.file_stem
    try:
        out_dir = _packet_dir(site, stem, create=True).parent  # build_packet writes into <out_dir>/<stem>/
    except RegdocError as err:
        return site.error(request, 400, detail=str(err))
    pdf = form.get("pdf") == "1" and _pdf_available()
    site.builds.start(("packet", stem), site.config.root, out_dir, pdf)  # or joins the one running
    doc = form.get("doc") if form.get("doc") in DOC_LANGS else "kk"
    return RedirectResponse(f"/documents/{stem}?doc={doc}", status_code=303)


def _entry(site: Site, stem: str, name: str) -> dict:
    """Return the manifest's entry for file `name` of the packet `stem`: 404 unless the manifest lists it."""
    manifest = _manifest(site, stem)
    entry = next((f for f in (manifest or {}).get("files", ()) if f.get("file") == name), None)
    if entry is None:
        raise HTTPException(404)
    return entry


_MEDIA = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          ".pdf": "application/pdf", ".json": "application/json"}


def download(site: Site, request: Request):
    from starlette.responses import FileResponse

    state = site.state()
    r = _resolution(state.tree, request.path_params["stem"])
    stem = r.id.file_stem
    site.builds.wait(("packet", stem), timeout=300)  # a download during a build waits for it
    name = request.path_params["name"]
    if name == "manifest.json":
        if _manifest(site, stem) is None:
            raise HTTPException(404)
    else:
        _entry(site, stem, name)
    path = _packet_dir(site, stem) / name
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, media_type=_MEDIA.get(path.suffix, "application/octet-stream"), filename=name)


def packet_zip(site: Site, request: Request):
    import io
    import zipfile

    state = site.state()
    r = _resolution(state.tree, request.path_params["stem"])
    stem = r.id.file_stem
    site.builds.wait(("packet", stem), timeout=300)
    manifest = _manifest(site, stem)
    if manifest is None:
        raise HTTPException(404)
    folder = _packet_dir(site, stem)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for entry in manifest["files"]:
            path = folder / entry["file"]
            if path.is_file():
                z.write(path, entry["file"])
        z.write(folder / "manifest.json", "manifest.json")
    return Response(buffer.getvalue(), media_type="application/zip",
                    headers={"content-disposition": f'attachment; filename="packet-{stem}.zip"'})


def _docx_response(data: bytes, filename: str) -> Response:
    return Response(data, media_type=_MEDIA[".docx"],
                    headers={"content-disposition": f'attachment; filename="{filename}"'})


def redline(site: Site, request: Request):
    """The consolidated Regulation of TO with the changes since FROM tracked (regdoc redline), as a download."""
    from regdoc.documents import packet
    from regdoc.documents.output import render_job
    from regdoc.versioning.amend import from_to

    state = site.state()
    tree = state.tree
    first, second = request.query_params.get("from", ""), request.query_params.get("to", "")
    lang = request.query_params.get("lang", "kk")
    if lang not in m.LANGS:
        raise BadRequest(_("choose Kazakh or Russian"))
    for ref in (first, second):
        if not _REF.match(ref):
            raise BadRequest(_("'{value}' is neither a date YYYY-MM-DD nor an edition id").format(value=ref[:60]))
    try:
        a, b = from_to(tree.initial, tree.amendments, first, second)
        job = packet.redline_jobs(tree, a, b, (lang,))[0]
        data = render_job(site.config.root, job)
    except RegdocError as err:
        raise _bad(err) from None
    return _docx_response(data, job.filename)


def comparison(site: Site, request: Request):
    """The comparison table of an amendment (regdoc render comparison), as a download."""
    from regdoc.documents import packet
    from regdoc.documents.output import render_job

    state = site.state()
    tree = state.tree
    name = request.query_params.get("amendment", "")
    amendment = tree.amendment(name) if _REF.match(name) else None
    if amendment is None:
        raise HTTPException(404)
    lang = request.query_params.get("lang", "kk")
    if lang not in m.LANGS:
        raise BadRequest(_("choose Kazakh or Russian"))
    try:
        job = packet.comparison_jobs(tree, amendment, (lang,))[0]
        data = render_job(site.config.root, job)
    except RegdocError as err:
        raise _bad(err) from None
    return _docx_response(data, job.filename)


# ----- spreadsheets -----------------------------------------------------------------------------------------

def _template_years(site: Site) -> list[int]:
    years = _years(site)
    return sorted(set(years) | {date.today().year} | ({years[-1] + 1} if years else set()))


def spreadsheets(site: Site, request: Request):
    state = site.state()
    tree = state.tree
    doc = _doc_lang(request)
    members = [o for o in tree.organisations if o.kind != "union"]
    year = _years(site)[-1] if _years(site) else date.today().year
    names = _org_names(tree, year, ("kk", "ru"))
    return site.render(request, "spreadsheets.html", doc=doc, years=_years(site),
                       template_years=_template_years(site), members=members, names=names)


def _attachment(data: str | bytes, filename: str) -> Response:
    if isinstance(data, str):
        return Response(data.encode("utf-8"), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{filename}"'})
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"content-disposition": f'attachment; filename="{filename}"'})


def _format(request: Request) -> str:
    fmt = request.query_params.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise BadRequest(_("choose xlsx or csv"))
    return fmt


def template_download(site: Site, request: Request):
    """The reporting spreadsheet of a year (regdoc evaluation template), for all or one organisation."""
    from regdoc.app.scoring import reporting_template

    state = site.state()
    raw = request.query_params.get("year", "")
    if not raw.isdigit() or int(raw) not in _template_years(site):
        raise HTTPException(404)
    year = int(raw)
    fmt = _format(request)
    org = request.query_params.get("org") or None
    if org is not None and (not _REF.match(org) or state.tree.organisation(org) is None):
        raise HTTPException(404)
    filled = request.query_params.get("filled") == "1"
    try:
        data = reporting_template(site.config.root, year, fmt, filled=filled, organisation=org)
    except RegdocError as err:
        raise _bad(err) from None
    return _attachment(data, f"evaluation-{year}{'-' + org if org else ''}.{fmt}")


def score_download(site: Site, request: Request):
    """The scores of a year (regdoc score --format xlsx|csv) in one language."""
    from regdoc.app.scoring import score_report, score_year

    site.state()
    year = _year(site, request.query_params.get("year", ""))
    fmt = _format(request)
    lang = request.query_params.get("lang", "kk")
    if lang not in m.LANGS:
        raise BadRequest(_("choose Kazakh or Russian"))
    try:
        data = score_report(score_year(site.config.root, year), lang, fmt)
    except RegdocError as err:
        raise _bad(err) from None
    return _attachment(data, f"score-{year}-{lang}.{fmt}")


# ----- language, sign-in ------------------------------------------------------------------------------------

def _safe_next(value: Optional[str]) -> str:
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value \
            and not any(ord(c) < 32 for c in value):
        return value
    return "/"


async def checked_form(request: Request):
    """Return the request's form after checking its CSRF token (403 otherwise)."""
    form = await request.form()
    session = request.scope["state"].get("session")
    token = form.get("csrf") or request.headers.get("x-csrf-token")
    if not security.csrf_ok(session, token):
        raise HTTPException(403)
    return form


async def set_language(request: Request):
    form = await checked_form(request)
    lang = form.get("lang")
    target = _safe_next(form.get("next"))
    response = RedirectResponse(target, status_code=303)
    if lang in language.LANGUAGES:
        site: Site = request.app.state.site
        response.raw_headers.append((b"set-cookie", security.cookie_header(language.COOKIE, lang, site.config,
                                                                  max_age=365 * 24 * 3600, http_only=False)))
    return response


async def signin(request: Request):
    site: Site = request.app.state.site
    target = _safe_next(request.query_params.get("next"))
    if not site.config.accounts:
        return RedirectResponse("/", status_code=303)
    if request.method == "GET":
        return site.render(request, "signin.html", next=target, failed=False)
    from starlette.concurrency import run_in_threadpool

    from regdoc.app.accounts import authenticate
    form = await checked_form(request)
    name = str(form.get("name") or "")[:64]
    password = str(form.get("password") or "")[:1024]
    target = _safe_next(form.get("next"))
    address = request.client.host if request.client else "?"
    keys = (f"name:{name}", f"address:{address}")
    if site.limit.blocked(*keys):
        return site.error(request, 429)
    user = await run_in_threadpool(authenticate, site.config.users_path, name, password)
    if user is None:
        site.limit.failed(*keys)
        return site.render(request, "signin.html", status=401, next=target, failed=True)
    site.limit.succeeded(*keys)
    old = request.scope["state"]["session"]
    site.sessions.drop(old.token)  # a new session (and CSRF token) on sign-in
    session = site.sessions.new(user)
    response = RedirectResponse(target, status_code=303)
    cookie = security.cookie_header(security.COOKIE, session.token, site.config)
    response.raw_headers.append((b"set-cookie", cookie))
    return response


async def signout(request: Request):
    site: Site = request.app.state.site
    await checked_form(request)
    site.sessions.drop(request.scope["state"]["session"].token)
    response = RedirectResponse("/signin" if site.config.accounts else "/", status_code=303)
    cookie = security.cookie_header(security.COOKIE, "", site.config, max_age=0)
    response.raw_headers.append((b"set-cookie", cookie))
    return response


def routes(site: Site) -> list[Route]:
    return [
        Route("/", handle(home, kept=True)),
        Route("/regulation", handle(regulation, kept=True)),
        Route("/history/{unit}", handle(unit_history, kept=True)),
        Route("/compare", handle(compare, kept=True)),
        Route("/resolutions", handle(resolutions, kept=True)),
        Route("/resolutions/{stem}", handle(resolution, kept=True)),
        Route("/evaluations", handle(evaluations, kept=True)),
        Route("/evaluations/{year}", handle(evaluation, kept=True)),
        Route("/organisations/{org}", handle(organisation, kept=True)),
        Route("/spreadsheets", handle(spreadsheets, kept=True)),
        Route("/spreadsheets/template", handle(template_download)),
        Route("/spreadsheets/score", handle(score_download)),
        Route("/files/{path:path}", handle(source_file)),
        Route("/documents", handle(documents_index)),
        Route("/documents/redline", handle(redline)),
        Route("/documents/comparison", handle(comparison)),
        Route("/documents/{stem}", handle(documents)),
        Route("/documents/{stem}/progress", handle(progress)),
        Route("/documents/{stem}/build", build_packet, methods=["POST"]),
        Route("/documents/{stem}/packet.zip", handle(packet_zip)),
        Route("/documents/{stem}/files/{name}", handle(download)),
        Route("/language", set_language, methods=["POST"]),
        Route("/signin", signin, methods=["GET", "POST"]),
        Route("/signout", signout, methods=["POST"]),
    ]


def quote_path(value: str) -> str:
    return quote(value, safe="")
