"""The ASGI application of the browser workspace and `serve()`, which runs it under uvicorn.

One middleware (Guard) wraps every request: it chooses and activates the interface language, finds or starts the
session, sends an unsigned-in visitor to the sign-in page when accounts are on, adds the security headers to every
response (a Content-Security-Policy without inline script, X-Content-Type-Options, Referrer-Policy ...) and turns
any uncaught exception into an error page in the interface language with a reference, logging the traceback to the
server's log only.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from functools import lru_cache
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Optional

from regdoc.i18n import _, ngettext
from regdoc.web import language, security
from regdoc.web.workspace import Workspace

log = logging.getLogger("regdoc.web")
HERE = Path(__file__).parent

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
PUBLIC = ("/static/", "/signin")  # reachable without signing in


PREVIEW_DELAY_MS = 700  # the composer's live preview waits this long after the last keystroke


@dataclass
class Config:
    root: Path
    accounts: bool  # sign-in required (any host other than the local one)
    users_path: Optional[Path] = None
    secure_cookies: bool = False
    preview_delay_ms: int = PREVIEW_DELAY_MS


@lru_cache(maxsize=None)
def templates_env():
    """Return the Jinja2 environment of the pages: autoescape everywhere, gettext from regdoc.i18n. One per
    process, shared by every application create_app makes (nothing is added to it afterwards), so that a page's
    template is compiled once per process, not once per application (the test suite makes some 150)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=True)
    return env


def _cookies(scope) -> dict[str, str]:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is ignored as a whole
                return {}
            return {k: m.value for k, m in jar.items()}
    return {}


def _header(scope, wanted: bytes) -> Optional[str]:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return value.decode("latin-1")
    return None


class Guard:
    """The middleware described in the module's docstring."""

    def __init__(self, app, config: Config, sessions: security.Sessions, render_error):
        self.app, self.config, self.sessions, self.render_error = app, config, sessions, render_error

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        lang = language.choose(cookies.get(language.COOKIE), _header(scope, b"accept-language"))
        language.activate(lang)
        session = self.sessions.get(cookies.get(security.COOKIE))
        new_cookie = None
        if session is None:
            session = self.sessions.new(None if self.config.accounts else security.LOCAL_EDITOR)
            new_cookie = security.cookie_header(security.COOKIE, session.token, self.config)
        state = scope.setdefault("state", {})
        state.update(lang=lang, session=session, config=self.config)
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k not in dict(HEADERS)]
                headers += HEADERS
                if new_cookie:
                    headers.append((b"set-cookie", new_cookie))
                if not scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                message = dict(message, headers=headers)
            await send(message)

        path = scope["path"]
        if self.config.accounts and session.user is None and not path.startswith(PUBLIC):
            from urllib.parse import quote

            target = path if path.startswith("/") and not path.startswith("//") else "/"
            query = scope.get("query_string", b"").decode("latin-1")
            if query and target != "/":  # the page asked for, with its query (?name=...), after signing in
                target += "?" + query
            await send_with_headers({"type": "http.response.start", "status": 303,
                                     "headers": [(b"location", f"/signin?next={quote(target, safe='/')}".encode())]})
            await send_with_headers({"type": "http.response.body", "body": b""})
            return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            if started:  # the application's handler (internal_error) has logged it and sent the error page
                return
            from starlette.requests import Request

            response = internal_error(Request(scope, receive), exc, self.render_error)
            await response(scope, receive, send_with_headers)


def internal_error(request, exc: Exception, render_error):
    """Log the traceback under a new reference and return the error page showing only the reference."""
    reference = secrets.token_hex(4)
    log.error("internal error %s on %s %s", reference, request.method, request.url.path, exc_info=exc)
    return render_error(request, 500, reference=reference)


def create_app(root: Path | str, *, accounts: bool = False, users_path: Optional[Path] = None,
               secure_cookies: bool = False, preview_delay_ms: int = PREVIEW_DELAY_MS):
    """Return the ASGI application serving the data tree under `root` (`preview_delay_ms`: how long the
    composer's live preview waits after the last keystroke)."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    from regdoc.web import editing, pages, returns

    config = Config(Path(root), accounts, users_path, secure_cookies, preview_delay_ms)
    env = templates_env()
    from regdoc.app.documents import build_packet
    from regdoc.web.builds import Builds

    site = pages.Site(config, Workspace(root), env, security.Sessions(), security.SignInLimit(),
                      Builds(build_packet, log))
    routes = pages.routes(site) + editing.routes(site) + returns.routes(site) + [Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static")]

    async def http_error(request, exc: HTTPException):
        return site.error(request, exc.status_code, detail=getattr(exc, "detail", None))

    async def server_error(request, exc: Exception):
        return internal_error(request, exc, site.error)

    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error, Exception: server_error})
    app.state.site = site
    return Guard(app, config, site.sessions, site.error)


def serve(root: Path | str, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          users_path: Optional[Path] = None) -> None:
    """Run the workspace under uvicorn until interrupted. Any host but the local one requires accounts."""
    import uvicorn

    from regdoc.app.accounts import load_users, refuse_inside, users_file
    from regdoc.errors import RegdocError

    local = host in ("127.0.0.1", "localhost", "::1")
    path = users_file(users_path)
    if not local:
        refuse_inside(path, root)
        if not load_users(path):
            raise RegdocError(_("serving on {host} needs accounts: add one with "
                                "`regdoc users add NAME --role editor` (users file {path})").format(
                host=host, path=path))
    app = create_app(root, accounts=not local, users_path=path)
    if open_browser:
        import threading
        import webbrowser

        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        threading.Timer(1.0, webbrowser.open, args=(f"http://{shown}:{port}/",)).start()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
