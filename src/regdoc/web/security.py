"""Sessions, CSRF tokens and sign-in limits of the browser workspace.

Sessions live in the server's memory (a restart signs everyone out): the browser holds only a random token in an
HttpOnly, SameSite=Strict cookie. Every session, signed-in or not, carries its own CSRF token, which every
state-changing request must echo in a form field `csrf` or the header `X-CSRF-Token`.
"""
from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Optional

from regdoc.app.accounts import User

COOKIE = "regdoc_session"
SESSION_SECONDS = 8 * 3600
# Sign-in limit: after MAX_FAILURES failed attempts within WINDOW seconds for one name or one address, further
# attempts are refused until the window has passed.
MAX_FAILURES = 5
WINDOW = 15 * 60
LOCAL_EDITOR = User("local", "editor")


@dataclass
class Session:
    token: str
    csrf: str
    user: Optional[User] = None
    expires: float = 0.0
    data: dict = field(default_factory=dict)


class Sessions:
    """The sessions of one server."""

    def __init__(self, max_sessions: int = 10000):
        self._by_token: dict[str, Session] = {}
        self._lock = threading.Lock()
        self.max_sessions = max_sessions

    def get(self, token: Optional[str]) -> Optional[Session]:
        if not token:
            return None
        with self._lock:
            session = self._by_token.get(token)
            if session is None:
                return None
            if session.expires < time.time():
                del self._by_token[token]
                return None
            return session

    def new(self, user: Optional[User] = None) -> Session:
        now = time.time()
        session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), user, now + SESSION_SECONDS)
        with self._lock:
            if len(self._by_token) >= self.max_sessions:  # drop the expired, then the oldest
                for token in [t for t, s in self._by_token.items() if s.expires < now]:
                    del self._by_token[token]
                while len(self._by_token) >= self.max_sessions:
                    del self._by_token[next(iter(self._by_token))]
            self._by_token[session.token] = session
        return session

    def drop(self, token: str) -> None:
        with self._lock:
            self._by_token.pop(token, None)


def csrf_ok(session: Optional[Session], token: Optional[str]) -> bool:
    """Return whether `token` is the session's CSRF token."""
    return bool(session and token) and hmac.compare_digest(session.csrf.encode(), str(token).encode())


class SignInLimit:
    """Failed sign-ins counted per name and per address over a sliding window."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = WINDOW):
        self.max_failures, self.window = max_failures, window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        times = [t for t in self._failures.get(key, []) if now - t < self.window]
        if times:
            self._failures[key] = times
        else:
            self._failures.pop(key, None)
        return times

    def blocked(self, *keys: str) -> bool:
        now = time.time()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.max_failures for k in keys)

    def failed(self, *keys: str) -> None:
        now = time.time()
        with self._lock:
            for k in keys:
                self._failures.setdefault(k, []).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)


def cookie_header(name: str, value: str, config, max_age: Optional[int] = None,
                  http_only: bool = True) -> bytes:
    parts = [f"{name}={value}", "Path=/", "SameSite=Strict"]
    if http_only:
        parts.append("HttpOnly")
    if config.secure_cookies:
        parts.append("Secure")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts).encode("latin-1")
