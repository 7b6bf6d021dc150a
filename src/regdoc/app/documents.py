"""Application functions that make the official documents: one document, the packet of the latest resolution
(with manifest.json), the redline of two editions, and the check of the templates."""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable, Optional

from regdoc.app.output import document_folder
from regdoc.app.workspace import data_tree, evaluation
from regdoc.data import model as m
from regdoc.documents import output, packet
from regdoc.documents.output import Produced
from regdoc.documents.packet import Skipped
from regdoc.documents.templates import TemplateProblem
from regdoc.errors import CheckFailed, Problem, RegdocError, os_reason
from regdoc.i18n import _

DOCUMENTS = ("resolution", "regulation", "results", "comparison", "register")


@dataclass(frozen=True)
class Written:
    """What a render or a build wrote into `folder`, and what it could not produce (with why)."""

    folder: Path
    produced: tuple[Produced, ...]
    skipped: tuple[Skipped, ...]
    not_applicable: tuple[dict, ...] = ()
    manifest: Optional[Path] = None
    removed: tuple[str, ...] = ()  # a build: files of an earlier packet removed from its folder
    check_errors: tuple[Problem, ...] = ()  # a forced build: the errors it was built over (not for signature)

    @property
    def complete(self) -> bool:
        return not self.skipped and not self.check_errors


def render_document(root: Path | str, document: str, *, resolution: Optional[str] = None,
                    as_of: Optional[date] = None, year: Optional[int] = None, amendment: Optional[str] = None,
                    lang: str = "both", parallel: bool = False, out: Optional[Path | str] = None,
                    pdf: bool = False, today: Optional[date] = None) -> Written:
    """Return what was written after rendering one document (`document` one of DOCUMENTS) into `out` (default:
    out/ under the data tree), in `lang` (kk, ru or both), with its PDF when `pdf`."""
    root = Path(root)
    langs = packet.languages(lang)
    if parallel and lang != "both":
        raise RegdocError(_("--parallel puts Kazakh and Russian side by side: use it with --lang both"))
    given = document_folder(root, out) if out is not None else None  # a bad --out is refused before loading
    tree = data_tree(root)
    if document == "resolution":  # the resolution and the annexes its items approve or attach
        found = packet.find_resolution(tree, resolution)
        jobs = packet.resolution_jobs(tree, found, langs, parallel) + packet.annex_jobs(
            tree, found, langs, parallel, lambda year: evaluation(root, year))
    elif document == "comparison":
        if parallel:
            raise RegdocError(_("--parallel is not available for the comparison table: it is made in one language "
                                "at a time (--lang kk, ru or both)"))
        jobs = packet.comparison_jobs(tree, packet.find_amendment(tree, amendment), langs)
    elif document == "register":
        jobs = packet.register_jobs(tree, year, langs)
    elif document == "regulation":
        edition, in_force = packet.edition_in_force(tree, as_of, today or date.today())
        jobs = packet.regulation_jobs(tree, edition, in_force, langs, parallel)
    elif document == "results":
        jobs = packet.results_jobs(tree, evaluation(root, year), langs, parallel,
                                   packet.resolution_for_year(tree, year), lazy=True)
    else:
        raise RegdocError(_("no document '{document}': the documents are {documents}").format(
                              document=document, documents=", ".join(DOCUMENTS)))
    folder = given or document_folder(root, out)
    # the results of a large evaluation (their contexts made lazily) are two large documents: Kazakh and Russian
    # render at the same time
    concurrent = any(isinstance(job.context, packet.LazyContext) for job in jobs)
    produced, skipped = output.write_jobs(root, jobs, folder, concurrent=concurrent)
    if pdf and produced:
        produced += _pdfs(produced, folder, skipped)
    return Written(folder, tuple(produced), tuple(skipped))


def _remove_stale(folder: Path, keep: set[str]) -> tuple[str, ...]:
    """Remove the regular files of `folder` (not hidden, not in `keep`); return their names. Links, folders and
    anything else are left alone."""
    removed = []
    for name in sorted(os.listdir(folder)):
        if name in keep or name.startswith("."):
            continue
        path = folder / name
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            os.unlink(path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise RegdocError(_("cannot remove a file of an earlier packet: {reason}").format(
                reason=os_reason(exc)), path) from None
        removed.append(name)
    return tuple(removed)


def build_packet(root: Path | str, out: Optional[Path | str] = None, pdf: bool = False,
                 progress: Optional[Callable[[Written], None]] = None, *, force: bool = False,
                 lock_wait: Optional[float] = None) -> Written:
    """Return what was written after making the packet of the latest resolution: the resolution, the consolidated
    Regulation in force after it, the results of its evaluation, the comparison table and redline of the latest
    amendment, (with `pdf`) their PDFs, and manifest.json.

    A checked build: every check of `regdoc check` runs first, and a tree with errors is refused (CheckFailed
    with the check's problems) unless `force`, which builds anyway and marks every document and the manifest
    not for signature. The packet goes to its own folder, `<out or out/>/<resolution id as a file name>/`, held
    under an exclusive lock while it is written (a second build of it waits up to `lock_wait` seconds, default
    regdoc.files.write.LOCK_WAIT_SECONDS, then is refused). Files of an earlier packet that this one does not
    produce are removed from that folder, never from elsewhere, except the earlier file of a document this build
    failed to make, which stays and is marked in the manifest: the manifest lists exactly the folder's files.

    `progress` is told what was written once the documents are, before the manifest is."""
    from regdoc.documents.writer import mark_not_for_signature
    from regdoc.files.write import LOCK_WAIT_SECONDS, folder_lock, one_folder_sync, output_folder
    from regdoc.tree.check import checked_tree
    from regdoc.tree.load import load_evaluation

    root = Path(root)
    if out is not None:
        document_folder(root, out)  # a bad --out is refused before the data tree is read
    tree, problems = checked_tree(root)  # one reading: what is checked is what is built from
    errors = tuple(p for p in problems if p.severity == "error")
    if tree is None or (errors and not force):
        raise CheckFailed(problems)
    read = dict(tree.digests)  # the digests of the bytes every document is made from, read once for this build

    def evaluation_of(year: int) -> m.Evaluation:
        loaded = load_evaluation(root, year, tree)
        read.update(loaded.digests)
        return loaded

    jobs, skipped, subject = packet.build_plan(tree, evaluation_of)
    folder = output_folder(root, document_folder(root, out) / packet.latest_resolution(tree).id.file_stem,
                           create=True)
    mark = (lambda data, job: mark_not_for_signature(data, job.lang)) if errors else None
    with folder_lock(folder, LOCK_WAIT_SECONDS if lock_wait is None else lock_wait), one_folder_sync():
        produced, failed = output.write_jobs(root, jobs, folder, read, mark=mark)
        skipped = list(skipped) + failed
        if pdf and produced:
            produced += _pdfs(produced, folder, skipped)
        kept = {s.filename for s in skipped if (folder / s.filename).is_file()}  # a failed document's earlier file
        removed = _remove_stale(folder, {p.filename for p in produced} | kept | {output.MANIFEST})
        written = Written(folder, tuple(produced), tuple(skipped), tuple(subject["not_applicable"]),
                          removed=removed, check_errors=errors)
        if progress is not None:
            progress(written)
        digests = output.source_digests(read, [f for p in produced for f in p.job.sources])
        content = output.manifest(subject, produced, skipped, digests, kept=kept,
                                  check_errors=[str(e) for e in errors] if errors else None)
        manifest = output.write_manifest(folder, content)
    return replace(written, manifest=manifest)


def _pdfs(produced: list[Produced], folder: Path, skipped: list[Skipped]) -> list[Produced]:
    pdfs, failed = output.write_pdfs([p for p in produced if p.filename.endswith(".docx")], folder)
    skipped.extend(failed)
    return pdfs


@dataclass(frozen=True)
class WrittenFile:
    """One file written, with its size and SHA-256."""

    path: Path
    size: int
    sha256: str
    drafts: tuple[str, ...] = ()  # the draft amendments it shows (their resolution does not exist yet)


def redline(root: Path | str, first: str, second: str, lang: str = "kk",
            out: Optional[Path | str] = None) -> WrittenFile:
    """Return the file written after making the consolidated Regulation of point `second` with every difference
    from point `first` as a tracked change (default file: out/redline-<FROM>-<TO>.<lang>.docx under the tree).

    A read-only view: an amendment whose resolution does not exist yet is shown, and the document says in its
    first line (bold, red) and its subject that it holds draft amendments; their notes and changes are marked
    «(жоба)» / «(проект)»."""
    from regdoc.app.output import target, write
    from regdoc.documents.writer import mark_not_for_signature, sha256
    from regdoc.phrasing import for_lang
    from regdoc.versioning.amend import from_to

    root = Path(root)
    tree = data_tree(root, drafts=True)
    a, b = from_to(tree.initial, tree.amendments, first, second)
    path = target(root, out) if out else None  # a bad target is refused before any work
    job = packet.redline_jobs(tree, a, b, (lang,))[0]
    data = output.render_job(root, job)
    drafts = list(dict.fromkeys(a.edition.drafts + b.edition.drafts))
    if drafts:
        data = mark_not_for_signature(data, lang, for_lang(lang).drafts_line(drafts))
    path = path or document_folder(root, None) / job.filename
    write(path, data)
    return WrittenFile(path, len(data), sha256(data), tuple(drafts))


@dataclass(frozen=True)
class TemplatesReport:
    """The templates checked, the problems found, and the templates no context of the data could fill."""

    checked: tuple[str, ...]
    problems: tuple[TemplateProblem, ...]
    unavailable: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def check_templates(root: Path | str) -> TemplatesReport:
    """Return the check of every document template: it opens, uses only what its context provides, and keeps
    each tag in one run."""
    from regdoc.documents.templates import check_templates as check

    root = Path(root)
    tree = data_tree(root)
    contexts, unavailable = packet.template_contexts(tree, lambda year: evaluation(root, year))
    expected = packet.expected_templates()
    return TemplatesReport(tuple(expected), tuple(check(root, expected, contexts)), tuple(unavailable))
