"""The git history of a data tree: one commit per save, of exactly the files it wrote, and the list of commits.

regdoc runs the `git` command (subprocess, argument lists, never a shell). A data tree that is not inside a git
work tree has no history: saving works as before, without commits. The commit's author is the signed-in user;
the committer is the same user, so that no git configuration is needed on the server.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from regdoc.errors import RegdocError
from regdoc.i18n import _

GIT_TIMEOUT = 60  # seconds for one git command
MAX_LOG = 50  # commits listed at most
MAX_DIFF_BYTES = 2_000_000  # the diff shown of one commit is cut beyond this
_SEP = "\x1e"  # record separator between fields of the log format


@dataclass(frozen=True)
class Commit:
    """One commit of the data tree's history."""

    id: str
    author: str
    date: str  # ISO 8601
    message: str
    files: tuple[str, ...]
    diff: str


def _git(root: Path, args: list[str], *, env: Optional[dict] = None, check: bool = True) -> subprocess.CompletedProcess:
    exe = shutil.which("git")
    if exe is None:
        raise RegdocError(_("the git command is not installed; the data tree's history needs it"), root)
    full_env = dict(os.environ, LC_ALL="C", GIT_TERMINAL_PROMPT="0", **(env or {}))
    try:
        done = subprocess.run([exe, "-C", str(root), *args], capture_output=True, env=full_env,
                              timeout=GIT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise RegdocError(_("git {command} did not finish in {seconds} s").format(command=args[0],
                                                                                  seconds=GIT_TIMEOUT), root) from None
    if check and done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RegdocError(_("git {command} failed: {reason}").format(command=args[0],
                                                                     reason=reason[-1] if reason else done.returncode),
                          root)
    return done


def is_repository(root: Path | str) -> bool:
    """Return whether the data tree `root` lies in a git work tree (and git is installed)."""
    if shutil.which("git") is None or not Path(root).is_dir():
        return False
    done = _git(Path(root), ["rev-parse", "--is-inside-work-tree"], check=False)
    return done.returncode == 0 and done.stdout.strip() == b"true"


def _identity(user: str) -> tuple[str, str]:
    name = user.strip() or "regdoc"
    local = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)
    return name, f"{local}@regdoc.invalid"


def commit_files(root: Path | str, paths: Iterable[str], user: str, message: str) -> Optional[str]:
    """Commit exactly `paths` (relative to `root`; written or removed) as one commit by `user` with `message`;
    return its id, or None when `root` is not in a git repository or nothing changed. Other changes in the work
    tree or the index stay as they were."""
    root = Path(root)
    paths = sorted(set(paths))
    if not paths or not is_repository(root):
        return None
    name, email = _identity(user)
    env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name,
           "GIT_COMMITTER_EMAIL": email}
    _git(root, ["add", "-A", "--", *paths])
    if _git(root, ["diff", "--cached", "--quiet", "--", *paths], check=False).returncode == 0:
        return None
    # --only with paths: the commit holds these paths as in the work tree, whatever else is staged.
    _git(root, ["commit", "--quiet", "--no-verify", "--only", "-m", message, "--", *paths], env=env)
    return _git(root, ["rev-parse", "HEAD"]).stdout.decode().strip()


def log(root: Path | str, limit: int = MAX_LOG, with_diff: bool = True) -> tuple[Commit, ...]:
    """Return the commits touching `root`'s files, newest first (at most `limit`), each with its diff: two git
    commands whatever the number of commits (the heads with their files, then the patches)."""
    root = Path(root)
    if not is_repository(root):
        return ()
    if _git(root, ["rev-parse", "--verify", "--quiet", "HEAD"], check=False).returncode != 0:
        return ()  # a repository without commits yet
    # Records are cut at markers no commit message or patch can hold by chance.
    start, end = f"regdoc-{secrets.token_hex(12)}-start", f"regdoc-{secrets.token_hex(12)}-end"
    common = ["log", f"-n{int(limit)}", "--cc", "--no-renames", "--no-color", "--no-ext-diff"]
    heads = _git(root, [*common, "-z", "--name-only", f"--format={start}%H%n%an%n%aI%n%B{end}", "--", "."])
    patches = {}
    if with_diff:
        raw = _git(root, [*common, "-p", f"--format={start}%H", "--", "."]).stdout
        for record in raw.split(start.encode())[1:]:
            cid, _, patch = record.partition(b"\n")
            patches[cid.decode()] = patch.lstrip(b"\n")[:MAX_DIFF_BYTES].decode("utf-8", "replace")
    out = []
    for record in heads.stdout.decode("utf-8", "replace").split(start)[1:]:
        head, _, names = record.partition(end)
        cid, author, when, message = head.split("\n", 3)
        names = names.removeprefix("\x00").removeprefix("\n")
        files = tuple(n for n in names.split("\x00") if n.strip())
        out.append(Commit(cid, author, when, message.strip(), files, patches.get(cid, "")))
    return tuple(out)


def unstage(root: Path | str, paths: Iterable[str]) -> None:
    """Put the index entries of `paths` back as in HEAD (after a failed save), ignoring failures."""
    root = Path(root)
    try:
        if _git(root, ["rev-parse", "--verify", "--quiet", "HEAD"], check=False).returncode == 0:
            _git(root, ["reset", "-q", "--", *paths], check=False)
        else:
            _git(root, ["rm", "-q", "--cached", "--ignore-unmatch", "--", *paths], check=False)
    except RegdocError:
        pass
