"""Builds of the packet started from the browser: one at a time per packet (single flight).

A build runs in a thread (regdoc.app.documents.build_packet) and reports its progress here; a second user asking
for the same packet while it builds joins that build instead of starting another. The finished build's folder is
where downloads are streamed from.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from regdoc.errors import RegdocError


@dataclass
class Build:
    key: tuple
    pdf: bool
    started: float = field(default_factory=time.monotonic)
    finished: Optional[float] = None
    step: str = "documents"  # documents (rendering, and converting to PDF) | manifest | done | failed
    packet: object = None  # regdoc.app.documents.Written when done
    error: Optional[str] = None
    internal: bool = False  # the error is a bug of regdoc (logged with its traceback)
    starts: int = 1  # how many requests asked for this build (the first started it)

    @property
    def running(self) -> bool:
        return self.finished is None

    @property
    def seconds(self) -> float:
        return (self.finished or time.monotonic()) - self.started


class Builds:
    """The builds of one server, by packet."""

    def __init__(self, build: Callable[..., object], log):
        self._build, self._log = build, log
        self._by_key: dict[tuple, Build] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Optional[Build]:
        with self._lock:
            return self._by_key.get(key)

    def start(self, key: tuple, root: Path, out_dir: Path, pdf: bool) -> Build:
        """Return the running build of `key`, or start one."""
        with self._lock:
            current = self._by_key.get(key)
            if current is not None and current.running:
                current.starts += 1
                return current
            build = Build(key, pdf)
            self._by_key[key] = build
        thread = threading.Thread(target=self._run, args=(build, root, out_dir), daemon=True,
                                  name=f"regdoc-build-{key}")
        thread.start()
        return build

    def _run(self, build: Build, root: Path, out_dir: Path) -> None:
        def progress(written) -> None:  # the documents are written; the manifest comes next
            build.step = "manifest"

        try:
            build.packet = self._build(root, out_dir, pdf=build.pdf, progress=progress)
            build.step = "done"
        except RegdocError as err:
            build.error, build.step = str(err), "failed"
        except Exception as exc:  # a bug: the traceback goes to the server's log only
            import secrets

            reference = secrets.token_hex(4)
            self._log.error("internal error %s in a build of %s", reference, build.key, exc_info=exc)
            build.error, build.step, build.internal = reference, "failed", True
        finally:
            build.finished = time.monotonic()

    def wait(self, key: tuple, timeout: float) -> Optional[Build]:
        """Wait until the build of `key` has finished (or `timeout` seconds); return it."""
        deadline = time.monotonic() + timeout
        while True:
            build = self.get(key)
            if build is None or not build.running or time.monotonic() > deadline:
                return build
            time.sleep(0.05)
