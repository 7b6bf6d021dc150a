"""Collecting a year's returns in the browser: download the per-organisation workbooks, upload the returns the
organisations send (many files at once, dropped on the file field or chosen), see every problem of every file at
once (file, sheet, cell, organisation, message), then what the import changes against the values held, and accept
it: one versioned save (app.editing.save_returns over app.scoring.import_returns), one commit by the signed-in user.

The uploaded files are kept in memory between the preview and its acceptance (a few uploads at a time, for the
session that sent them); nothing is written before the editor accepts, and nothing at all from an upload with a
problem. Editors only; every POST checks its CSRF token.
"""
from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from datetime import date
from typing import Optional

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from regdoc.app import editing
from regdoc.errors import CheckFailed, Problem, RegdocError
from regdoc.files.spreadsheets import MAX_BYTES
from regdoc.i18n import _

MAX_UPLOAD = 2 * MAX_BYTES  # the whole request
KEPT = 8  # uploads kept between a preview and its acceptance
KEPT_SECONDS = 3600
# where a problem stands, as regdoc.scoring.evaluation names it in the interface language ("sheet 'S', column D
# (id)", "'S' парағы, D бағаны (id)"): the sheet is the one quoted part, the column the one run of capital letters
_SHEET = re.compile(r"'([^']*)'")
_COLUMN = re.compile(r"(?<![A-Za-z])([A-Z]{1,3})(?![A-Za-z])")


class Pending:
    """Uploads waiting for their acceptance: token -> (session token, year, sources, time)."""

    def __init__(self):
        self._items: OrderedDict[str, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, session: str, year: int, sources: list[tuple[str, bytes]]) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._items[token] = (session, year, sources, time.monotonic())
            while len(self._items) > KEPT:
                self._items.popitem(last=False)
        return token

    def get(self, token: str, session: str, year: int) -> Optional[list[tuple[str, bytes]]]:
        with self._lock:
            found = self._items.get(token)
        if not found or found[0] != session or found[1] != year or time.monotonic() - found[3] > KEPT_SECONDS:
            return None
        return found[2]

    def drop(self, token: str) -> None:
        with self._lock:
            self._items.pop(token, None)


PENDING = Pending()


def _user(request: Request):
    from regdoc.web.editing import _user as editor

    return editor(request)


def _years(site) -> list[int]:
    from regdoc.tree.read import evaluation_years

    years = evaluation_years(site.config.root)
    this = date.today().year
    return sorted(set(years) | {this - 1, this})


def _year(site, raw) -> int:
    raw = str(raw or "")
    if not raw.isdigit() or int(raw) not in _years(site):
        raise HTTPException(404)
    return int(raw)


def problem_rows(problems, members: list[str]) -> list[dict]:
    """Return each problem as a row of the table: file, sheet, cell, organisation, message."""
    rows = []
    for p in problems:
        node = p.node or ""
        sheet = _SHEET.search(node)
        column = _COLUMN.search(_SHEET.sub("", node).split("(")[0])
        cell = f"{column[1]}{p.line}" if column and p.line else (_("row {row}").format(row=p.line) if p.line else "")
        organisation = next((o for o in members if f"'{o}'" in p.message or (p.file or "").endswith(f"-{o}.xlsx")
                             or (p.file or "").endswith(f"-{o}.csv")), "")
        rows.append({"file": p.file or "", "sheet": sheet[1] if sheet else "", "cell": cell,
                     "organisation": organisation, "message": p.message})
    return rows


def _page(site, request: Request, year: int, *, preview=None, token: str = "", replace: bool = False,
          status: int = 200, error: str = "", conflict=None):
    from regdoc.tree.read import member_ids
    from regdoc.web.pages import _org_names

    state = site.state()
    members = member_ids(state.tree)
    names = _org_names(state.tree, year, ("kk", "ru"))
    reported, missing = editing.reporting_status(site.config.root, year)
    return site.render(request, "returns.html", status=status, year=year, years=_years(site), names=names,
                       reported=reported, missing=missing, preview=preview, token=token, replace=replace,
                       problems=problem_rows(preview.problems, members) if preview is not None else [],
                       error=error, conflict=conflict, max_files=editing.MAX_RETURNS)


def returns(site, request: Request):
    """GET: the returns of a year: who has reported, the workbooks to send out, the upload form."""
    _user(request)
    raw = request.query_params.get("year")
    year = _year(site, raw) if raw else _years(site)[-1]
    return _page(site, request, year)


def templates_zip(site, request: Request):
    """GET: the per-organisation workbooks of a year in one zip (app.scoring.organisation_templates)."""
    import io
    import zipfile

    from regdoc.app.scoring import organisation_templates

    _user(request)
    year = _year(site, request.query_params.get("year"))
    try:
        books = organisation_templates(site.config.root, year)
    except RegdocError as err:
        return site.error(request, 400, detail=str(err))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in books:
            z.writestr(name, data)
    return Response(buffer.getvalue(), media_type="application/zip",
                    headers={"content-disposition": f'attachment; filename="evaluation-{year}-returns.zip"'})


async def _sources(form) -> tuple[list[tuple[str, bytes]], Optional[str]]:
    """Return the uploaded files as (name, bytes), and the problem that refuses the upload (too big, too many)."""
    out = []
    for item in form.getlist("returns"):
        if not hasattr(item, "read"):
            continue
        name = (item.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
        if not name:
            continue
        data = await item.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            return [], _("{file}: the file is larger than {limit} MB").format(file=name,
                                                                            limit=MAX_BYTES // (1024 * 1024))
        out.append((name, data))
    if len(out) > editing.MAX_RETURNS:
        return [], _("send at most {limit} files at once").format(limit=editing.MAX_RETURNS)
    return out, None


async def returns_post(request: Request):
    """POST: preview an upload (action preview), or accept the previewed one (action accept)."""
    from starlette.concurrency import run_in_threadpool

    from regdoc.web.pages import Broken, checked_form

    site = request.app.state.site
    user = _user(request)
    length = request.headers.get("content-length")
    if length is None or not length.isdigit() or int(length) > MAX_UPLOAD:
        return site.error(request, 400, detail=_("an upload takes at most {limit} MB at once, with its length "
                                                 "given").format(limit=MAX_UPLOAD // (1024 * 1024)))
    async with request.form(max_files=editing.MAX_RETURNS + 1, max_fields=50) as form:
        await checked_form(request)
        session = request.scope["state"]["session"].token
        try:
            year = _year(site, form.get("year"))
            replace = form.get("replace") == "1"
            action = str(form.get("action") or "preview")
            if action == "accept":
                token = str(form.get("token") or "")
                sources = PENDING.get(token, session, year)
                if sources is None:
                    return _page(site, request, year, status=410, error=_(
                        "the upload has expired or was accepted already: upload the files again"))
                return await run_in_threadpool(_accept, site, request, year, sources, token, replace, user,
                                               str(form.get("version") or "") or None)
            sources, refused = await _sources(form)
            if refused or not sources:
                return _page(site, request, year, status=422, error=refused or _("choose the files to upload"))
            return await run_in_threadpool(_preview, site, request, year, sources, replace, session)
        except Broken as broken:
            from regdoc.web.pages import _problems

            return site.render(request, "broken.html", status=503,
                               problems=_problems(site, broken.state, request))


def _preview(site, request: Request, year: int, sources, replace: bool, session: str):
    try:
        preview = editing.preview_returns(site.config.root, year, sources, replace=replace)
    except CheckFailed as failed:
        preview = editing.ReturnsPreview(year, "", tuple(failed.problems), None, None)
    except RegdocError as err:
        preview = editing.ReturnsPreview(year, "", (Problem.from_error(err),), None, None)
    token = PENDING.put(session, year, sources) if preview.ok else ""
    return _page(site, request, year, preview=preview, token=token, replace=replace,
                 status=200 if preview.ok else 422)


def _accept(site, request: Request, year: int, sources, token: str, replace: bool, user, version: Optional[str]):
    try:
        editing.save_returns(site.config.root, year, sources, version, user.name, replace=replace)
    except editing.Conflict as conflict:
        return _page(site, request, year, status=409, conflict={
            "rel": conflict.rel, "theirs": conflict.theirs.decode("utf-8", "replace") if conflict.theirs else "",
            "mine": conflict.mine.decode("utf-8", "replace") if conflict.mine else ""})
    except CheckFailed as failed:
        preview = editing.ReturnsPreview(year, "", tuple(failed.problems), None, None)
        return _page(site, request, year, preview=preview, status=422)
    except RegdocError as err:
        return _page(site, request, year, status=422, error=str(err))
    PENDING.drop(token)
    return RedirectResponse(f"/edit/returns?year={year}&saved=1", status_code=303)


def routes(site) -> list[Route]:
    from regdoc.web.pages import handle

    return [
        Route("/edit/returns", handle(returns)),
        Route("/edit/returns", returns_post, methods=["POST"]),
        Route("/edit/returns/templates.zip", handle(templates_zip)),
    ]
