"""Application functions: documents (see regdoc.app).

`build(root, ...)`: the packet of the latest resolution, checked first. The build runs every check `check` runs
and refuses a tree with errors (CheckFailed, its problems); with `force` it builds anyway and marks every
document, and the manifest, as not for signature. The packet goes to its own folder, `<out>/<resolution id as a
file name>/`, held under an exclusive lock for the whole build (a second build of the same packet waits for it,
up to regdoc.files.write.LOCK_WAIT_SECONDS, then is refused). Files of an earlier packet that this one does not
produce are removed from that folder (never from elsewhere), except the previous file of a document this build
failed to produce, which is kept and named in the manifest; so the manifest lists exactly the folder's files.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from regdoc.errors import CheckFailed, Problem, RegdocError
from regdoc.i18n import _


@dataclass
class Built:
    """What a build did: the packet folder, the files written and not produced, the manifest."""

    folder: Path
    produced: list = field(default_factory=list)  # documents.output.Produced
    skipped: list = field(default_factory=list)  # documents.packet.Skipped
    not_applicable: list = field(default_factory=list)  # {"document", "reason"}
    removed: list[str] = field(default_factory=list)  # files of an earlier packet removed from the folder
    manifest: Optional[Path] = None
    manifest_error: Optional[RegdocError] = None  # the manifest could not be written (the earlier one stays)
    warnings: list[Problem] = field(default_factory=list)
    forced_errors: list[Problem] = field(default_factory=list)  # errors built over with force


def _remove_stale(folder: Path, keep: set[str]) -> list[str]:
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
                reason=exc.strerror or exc), path) from None
        removed.append(name)
    return removed


def build(root: Path | str, out: Optional[Path | str] = None, *, pdf: bool = False, force: bool = False,
          lock_wait: Optional[float] = None) -> Built:
    """Build the packet of the latest resolution under `root` into `<out or root/out>/<resolution id>/`; return
    what was done. Raise CheckFailed when the tree has errors (unless `force`), RegdocError when the folder
    cannot be written or another build holds it too long."""
    from regdoc.documents import output, packet
    from regdoc.documents.writer import mark_not_for_signature, output_dir
    from regdoc.files.write import LOCK_WAIT_SECONDS, folder_lock, output_folder
    from regdoc.tree.check import checked_tree
    from regdoc.tree.load import load_evaluation

    root = Path(root)
    tree, problems = checked_tree(root)
    errors = [p for p in problems if p.severity == "error"]
    if tree is None or (errors and not force):
        raise CheckFailed(problems)
    read = dict(tree.digests)  # the digests of the bytes every document is made from, each file read once

    def evaluation(year: int):
        loaded = load_evaluation(root, year, tree)
        read.update(loaded.digests)
        return loaded

    jobs, skipped, subject = packet.build_plan(tree, evaluation)
    base = output_dir(root, Path(out) if out is not None else None)
    folder = output_folder(root, base / packet.latest_resolution(tree).id.file_stem, create=True)
    done = Built(folder, warnings=[p for p in problems if p.severity == "warning"],
                 forced_errors=errors if force else [], not_applicable=subject["not_applicable"])
    mark = (lambda data, job: mark_not_for_signature(data, job.lang)) if errors else None
    with folder_lock(folder, LOCK_WAIT_SECONDS if lock_wait is None else lock_wait):
        produced, failed = output.write_jobs(root, jobs, folder, read, mark=mark)
        skipped = list(skipped) + failed
        if pdf and produced:
            pdfs, pdf_failed = output.write_pdfs([p for p in produced if p.filename.endswith(".docx")], folder)
            produced += pdfs
            skipped += pdf_failed
        kept = {s.filename for s in skipped if (folder / s.filename).is_file()}  # a failed document's earlier file
        done.removed = _remove_stale(folder, {p.filename for p in produced} | kept | {output.MANIFEST})
        digests = output.source_digests(read, [f for p in produced for f in p.job.sources])
        content = output.manifest(subject, produced, skipped, digests, kept=kept,
                                  check_errors=[str(e) for e in errors] if errors else None)
        done.produced, done.skipped = produced, skipped
        try:
            done.manifest = output.write_manifest(folder, content)
        except RegdocError as err:  # the documents' report still stands; the manifest's failure ends it
            done.manifest_error = err
    return done
