"""Application functions: accounts of the browser workspace (`regdoc users add`, sign-in).

The users file is JSON kept outside the data tree (a data tree is often a shared git repository): by default
`$XDG_CONFIG_HOME/regdoc/users.json` (`~/.config/regdoc/users.json`), or the file REGDOC_USERS names. Passwords
are hashed with scrypt (hashlib, RFC 7914; n=2**14, r=8, p=1, 16-byte salt); no password is ever stored, printed
or logged in clear.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from regdoc.errors import RegdocError
from regdoc.i18n import _

ROLES = ("viewer", "editor")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_N, _R, _P, _LEN = 2 ** 14, 8, 1, 32
MIN_PASSWORD = 8


@dataclass(frozen=True)
class User:
    name: str
    role: str  # viewer | editor

    @property
    def can_edit(self) -> bool:
        return self.role == "editor"


def users_file(explicit: Optional[Path | str] = None) -> Path:
    """Return the users file: `explicit`, else $REGDOC_USERS, else the user's configuration folder."""
    if explicit:
        return Path(explicit)
    if os.environ.get("REGDOC_USERS"):
        return Path(os.environ["REGDOC_USERS"])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "regdoc" / "users.json"


def hash_password(password: str, salt: Optional[bytes] = None) -> str:
    """Return `scrypt$n$r$p$salt$hash` (hex) for `password`."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=_LEN)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Return whether `password` matches the stored hash (compared in constant time)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(bytes.fromhex(digest)), maxmem=2 ** 26)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, bytes.fromhex(digest))


# A hash to check against when the name is unknown, so that a wrong name takes as long as a wrong password:
# hash_password("regdoc", b"\0" * 16), written out (computing it cost every process that imports this module, the
# workspace's among them, some 45 ms of CPU; tests/test_web.py checks it).
_DUMMY = ("scrypt$16384$8$1$00000000000000000000000000000000$"
          "8e46919b0e4083c6f9733cc57a7cf0d72a8e44a1a5d4f3b50eb0bebdc1d6393b")


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"users": {}}
    except (OSError, ValueError) as exc:
        raise RegdocError(_("cannot read the users file: {reason}").format(reason=exc), path) from None
    if not isinstance(data, dict) or not isinstance(data.get("users"), dict):
        raise RegdocError(_("not a users file of regdoc (no 'users' mapping)"), path)
    return data


def load_users(path: Path) -> dict[str, tuple[User, str]]:
    """Return the accounts of the users file: name -> (user, password hash). A missing file has none."""
    out = {}
    for name, entry in _read(path)["users"].items():
        if isinstance(entry, dict) and entry.get("role") in ROLES and isinstance(entry.get("hash"), str):
            out[name] = (User(name, entry["role"]), entry["hash"])
    return out


def refuse_inside(path: Path, data_root: Optional[Path | str]) -> None:
    """Refuse a users file inside the data tree (it would be committed and shared with the data)."""
    if data_root is None:
        return
    try:
        Path(path).resolve().relative_to(Path(data_root).resolve())
    except ValueError:
        return
    raise RegdocError(_("the users file must lie outside the data tree {root}").format(root=data_root), path)


def check_account(path: Path, name: str, role: str, data_root: Optional[Path | str] = None) -> None:
    """Raise RegdocError if an account `name` with `role` cannot be kept in the users file `path`."""
    if not _NAME.match(name):
        raise RegdocError(_("'{name}' is not a user name: use letters, digits and . _ @ - (up to 64)").format(
            name=name))
    if role not in ROLES:
        raise RegdocError(_("role '{role}' is not one of: {allowed}").format(role=role, allowed=", ".join(ROLES)))
    refuse_inside(path, data_root)


def add_user(path: Path, name: str, role: str, password: str, data_root: Optional[Path | str] = None) -> User:
    """Add (or replace the password and role of) the account `name` in the users file; return it."""
    from regdoc.files.write import folder_lock, replace_atomic

    check_account(path, name, role, data_root)
    if len(password) < MIN_PASSWORD:
        raise RegdocError(_("the password is too short: at least {count} characters").format(count=MIN_PASSWORD))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with folder_lock(path.parent):
        data = _read(path)
        data["users"][name] = {"role": role, "hash": hash_password(password)}
        replace_atomic(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass
    return User(name, role)


def authenticate(path: Path, name: str, password: str) -> Optional[User]:
    """Return the user whose name and password these are, or None."""
    found = load_users(path).get(name)
    if found is None:
        verify_password(password, _DUMMY)
        return None
    user, stored = found
    return user if verify_password(password, stored) else None
