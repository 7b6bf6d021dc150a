"""Writing planned documents: .docx files, their PDFs and manifest.json, each written atomically.

A document that cannot be made is reported (Skipped, with the reason) and the others are still written: a build
says which files it did not produce rather than stopping at the first problem.
"""
from __future__ import annotations

import json
import os
import pickle
import signal
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from regdoc import __version__
from regdoc.documents.packet import ContextFailed, Job, LazyContext, Skipped
from regdoc.documents.writer import read_template, render_docx, sha256
from regdoc.errors import RegdocError
from regdoc.files.write import background_commits, replace_atomic

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Produced:
    """A file written to the output folder."""

    filename: str
    sha256: str
    size: int
    job: Job
    pdf_of: Optional[str] = None  # for a PDF: the .docx it was converted from


def render_job(root: Path, job: Job, sources: Optional[dict[str, str]] = None) -> bytes:
    """Return the bytes of `job`'s document, rendered from its template under `root` (or made by its own `make`).

    The template is read once (a bounded regular file inside the data tree); its digest goes into `sources`
    (relative path -> SHA-256) when given."""
    template = read_template(Path(root) / job.template, job.template, root)
    if sources is not None:
        sources[job.template] = template.sha256
    if job.make is not None:
        return job.make(template.data, job)
    context = job.context.value() if isinstance(job.context, LazyContext) else job.context
    return render_docx(template.data, context, job.props, display=job.template)


def _threads() -> int:
    """Return the number of threads this process runs."""
    return threading.active_count()


def _cpus() -> int:
    """Return the number of CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _end_with_parent(parent: int) -> None:
    """Have this (forked) process killed when its parent ends (Linux's PR_SET_PDEATHSIG; elsewhere nothing), and
    end now if the parent has ended already."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(70)


class _Child:
    """A job rendered by render_job in a forked copy of this process, its bytes (or its RegdocError) sent back
    through a pipe; None from result() when the child did not finish (the job is then rendered here)."""

    def __init__(self, root: Path, job: Job):
        from regdoc.documents import writer

        writer._template_class()  # docxtpl, python-docx, lxml and Jinja imported once, before the fork
        writer.environment()
        read, write = os.pipe()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:  # the child: render, send, leave without running this process's exit handlers
            code = 70
            try:
                _end_with_parent(parent)
                os.close(read)
                sources: dict[str, str] = {}
                try:
                    message = ("ok", render_job(root, job, sources), sources)
                except ContextFailed as failed:
                    err = failed.error
                    message = ("fatal", (err.message, err.file, err.line, err.node), sources)
                except RegdocError as err:
                    message = ("error", (err.message, err.file, err.line, err.node), sources)
                with os.fdopen(write, "wb") as pipe:
                    pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pipe = os.fdopen(read, "rb")

    def result(self) -> Optional[tuple]:
        """Return ("ok", bytes, sources) or ("error", RegdocError, sources), or None when the child failed."""
        try:
            data = self.pipe.read()
        finally:
            self.pipe.close()
            _pid, status = os.waitpid(self.pid, 0)
            self.pid = None
        if status != 0 or not data:
            return None
        kind, value, sources = pickle.loads(data)
        if kind == "fatal":  # its context could not be made: the command's error
            raise RegdocError(*value)
        return (kind, RegdocError(*value) if kind == "error" else value, sources)

    def stop(self) -> None:
        """End the child if it still runs (this process is leaving the job: an interrupt, an error)."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = None
            self.pipe.close()


def _rendered(root: Path, jobs: list[Job], sources: Optional[dict[str, str]], concurrent: bool) \
        -> Iterator[tuple[Job, Optional[bytes], Optional[RegdocError]]]:
    """Yield (job, its bytes, None) or (job, None, why it cannot be made) for each of `jobs` in order. With
    `concurrent` (and two CPUs, fork, and no other thread in this process), every second job renders in a child
    process while this one renders the job before it: the same bytes (render_job is deterministic), in about half the time for two large
    documents (render results in both languages)."""
    def here(job: Job):
        try:
            return job, render_job(root, job, sources), None
        except ContextFailed as failed:  # the command's error, as when the context is made before any job
            raise failed.error from None
        except RegdocError as err:  # names the template or data file at fault
            return job, None, err

    def contexts(jobs: list[Job]) -> None:  # made before any job renders, as when they are not lazy
        for job in jobs:
            if isinstance(job.context, LazyContext):
                try:
                    job.context.value()
                except ContextFailed as failed:
                    raise failed.error from None

    if not concurrent or len(jobs) < 2 or not hasattr(os, "fork") or _cpus() < 2:
        contexts(jobs)
        for job in jobs:
            yield here(job)
        return
    for first in range(0, len(jobs), 2):
        pair = jobs[first:first + 2]
        # forked only from a process of one thread (no lock another thread holds is copied into the child locked)
        if len(pair) < 2 or _threads() != 1:
            contexts(pair)
            for job in pair:
                yield here(job)
            continue
        child = _Child(root, pair[1])  # it makes its context and renders while this process does the first
        try:
            done = [here(pair[0])]
            result = child.result()  # (a "fatal" one raised: no document of the pair written)
            if result is None:  # the child did not finish: made here
                done.append(here(pair[1]))
            else:
                kind, value, read = result
                if sources is not None:
                    sources.update(read)
                done.append((pair[1], value, None) if kind == "ok" else (pair[1], None, value))
        finally:
            child.stop()
        yield from done


def write_jobs(root: Path, jobs: Iterable[Job], out_dir: Path, sources: Optional[dict[str, str]] = None,
               mark: Optional[Callable[[bytes, Job], bytes]] = None,
               concurrent: bool = False) -> tuple[list[Produced], list[Skipped]]:
    """Render and write every job into `out_dir`; return what was written and what was not (with why). The
    digest of each template read goes into `sources` when given; `mark` changes each document's bytes before
    they are written (the not-for-signature mark of a forced build); `concurrent`: two jobs render at a time
    (_rendered), for large documents."""
    produced, skipped = [], []
    # each file is synced to disk and named in a thread of its own while the next document renders
    with background_commits() as commits:
        for job, data, err in _rendered(root, list(jobs), sources, concurrent):
            try:
                if err is not None:
                    raise err
                if mark is not None:
                    data = mark(data, job)
            except RegdocError as err:  # names the template or data file at fault
                skipped.append(Skipped(job.filename, str(err)))
                continue
            try:
                replace_atomic(Path(out_dir) / job.filename, data)
            except RegdocError as err:  # the document's own file, which the report names already
                skipped.append(Skipped(job.filename, err.message))
                continue
            produced.append(Produced(job.filename, sha256(data), len(data), job))
        failed = {path.name: err.message for path, err in commits.wait().items()}
    skipped += [Skipped(p.filename, failed[p.filename]) for p in produced if p.filename in failed]
    return [p for p in produced if p.filename not in failed], skipped


def write_pdfs(docx: list[Produced], out_dir: Path) -> tuple[list[Produced], list[Skipped]]:
    """Convert the written .docx files to PDF with one LibreOffice process; return what was and was not written."""
    from regdoc.documents.pdf import PdfUnavailable, convert

    out_dir = Path(out_dir)
    pdf_name = {d.filename: Path(d.filename).with_suffix(".pdf").name for d in docx}
    try:
        result = convert([out_dir / d.filename for d in docx], out_dir)
    except PdfUnavailable as err:
        return [], [Skipped(pdf_name[d.filename], err.message) for d in docx]
    except RegdocError as err:
        return [], [Skipped(pdf_name[d.filename], str(err)) for d in docx]
    by_name = {d.filename: d for d in docx}
    produced = []
    for path in result.written:
        data = path.read_bytes()
        source = by_name[path.with_suffix(".docx").name]
        produced.append(Produced(path.name, sha256(data), len(data), source.job, pdf_of=source.filename))
    skipped = [Skipped(pdf_name[f.name], reason) for f, reason in result.failed]
    return produced, skipped


def source_digests(read: dict[str, str], files: Iterable[str]) -> dict[str, str]:
    """Return the SHA-256 of each data file (relative to the data tree) as read for this build (`read`: the
    digests of the bytes the documents were made from; a file is never read again for its digest)."""
    out = {}
    for rel in sorted(set(files)):
        if rel not in read:
            raise RegdocError("internal: no digest of the bytes read for this build", rel)
        out[rel] = read[rel]
    return out


def manifest(subject: dict, produced: list[Produced], skipped: list[Skipped], digests: dict[str, str],
             kept: Iterable[str] = (), check_errors: Optional[list[str]] = None) -> dict:
    """Return manifest.json's content: every file with its SHA-256 and the data it came from (no clock, no
    absolute path, so equal inputs give an equal manifest). `kept`: documents not produced whose earlier file
    stays in the folder; `check_errors`: the errors of a forced build, which makes the packet not for signature."""
    kept = set(kept)
    files = []
    for p in sorted(produced, key=lambda p: p.filename):
        entry = {"file": p.filename, "document": p.job.document, "lang": p.job.lang, "bytes": p.size,
                 "sha256": p.sha256}
        if p.pdf_of:
            entry["converted_from"] = p.pdf_of
        else:
            entry["template"] = p.job.template
            entry["sources"] = [{"file": f, "sha256": digests[f]} for f in p.job.sources]
        files.append(entry)
    not_produced = []
    for s in sorted(skipped, key=lambda s: s.filename):
        entry = {"file": s.filename, "reason": s.reason}
        if s.filename in kept:
            entry["earlier_file_kept"] = True
        not_produced.append(entry)
    content = {"regdoc": __version__, **subject}
    if check_errors:
        content["not_for_signature"] = True
        content["check_errors"] = check_errors
    return {**content, "files": files, "not_produced": not_produced}


def write_manifest(out_dir: Path, content: dict) -> Path:
    """Write manifest.json atomically and return its path."""
    path = Path(out_dir) / MANIFEST
    text = json.dumps(content, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    replace_atomic(path, text.encode("utf-8"))
    return path
