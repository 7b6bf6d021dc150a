"""PDF through LibreOffice headless: one soffice process for a whole batch of .docx files.

soffice exits 0 even when it wrote nothing (../shared/pitfalls.md item 8), and two conversions sharing one
profile fail, so each batch gets its own profile in a temporary folder and every expected PDF is checked to
exist, be non-empty and start like a PDF. LibreOffice writes the PDFs into a staging folder beside its profile
(in the system's temporary folder); each complete PDF is then put in place through regdoc.files, so an existing
PDF is only ever replaced by a complete one and the output folder never holds a partial or temporary file.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from regdoc.errors import RegdocError, os_reason
from regdoc.i18n import _, ngettext
from regdoc.files.write import replace_atomic

TIMEOUT = 600  # seconds for the whole batch
SOFFICE_NAMES = ("soffice", "libreoffice")
# the PDF export's options (LibreOffice 7.4's JSON form): the headings (paragraphs with an outline level) become the
# PDF's bookmarks, which a reader's side pane shows
EXPORT_OPTIONS = '{"ExportBookmarks":{"type":"boolean","value":"true"}}'
# The settings a new profile starts with. LibreOffice runs its graphics render tests (some hundred drawings on the
# headless backend, about 0.6 s of CPU: two thirds of what starting it costs) whenever the profile's last version
# is older than its own, which in a new profile it always is, and a conversion never records it. A last version
# above any real one says the tests ran; nothing else of a conversion reads it (same PDFs, text and pictures).
PROFILE_SETTINGS = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
                    'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
                    '<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse">'
                    '<value>999.9</value></prop></item>\n'
                    '</oor:items>\n')


class PdfUnavailable(RegdocError):
    """LibreOffice is not installed: no PDF can be made (the .docx files are unaffected)."""


@dataclass(frozen=True)
class PdfResult:
    """The outcome of one batch: the PDFs written, and the inputs that gave none (with the reason)."""

    written: tuple[Path, ...]
    failed: tuple[tuple[Path, str], ...]


def find_soffice() -> Optional[str]:
    """Return the LibreOffice executable (REGDOC_SOFFICE, soffice or libreoffice on PATH), or None."""
    override = os.environ.get("REGDOC_SOFFICE")
    if override:
        return shutil.which(override)
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@lru_cache(maxsize=8)
def _build_id(soffice: str) -> Optional[str]:
    """Return the build id of the LibreOffice installation `soffice` belongs to (its versionrc's buildid, where
    LibreOffice reads it: beside the program, version.ini on Windows, Resources/versionrc on macOS), or None."""
    program = Path(soffice).resolve().parent
    for candidate in (program / "versionrc", program / "version.ini", program.parent / "Resources" / "versionrc"):
        try:
            lines = candidate.read_text(encoding="latin-1").splitlines()
        except (OSError, ValueError):
            continue
        for line in lines:
            key, sep, value = line.partition("=")
            if sep and key.strip() == "buildid":
                value = value.strip()
                # a value LibreOffice would expand (a macro, an escape) is left to it
                return value if value and "$" not in value and "\\" not in value else None
    return None


def start_profile(profile: Path, soffice: str) -> None:
    """Start a new LibreOffice profile in the folder `profile` with the settings of PROFILE_SETTINGS and, where the
    installation's build id is found, the build id its extensions were last set up for.

    A profile without that build id (a new one, or one of another build) makes LibreOffice remove its extensions'
    folder and set up the installation's extensions for the user again (about 0.1 s of CPU, a third of converting
    a short document); a new profile has no extensions of its own, so with the build id LibreOffice only checks
    the extensions, as it does on every later start. Same PDFs."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")
    build_id = _build_id(soffice)
    if build_id is not None:
        (user / "extensions").mkdir(exist_ok=True)
        (user / "extensions" / "buildid").write_bytes(build_id.encode("latin-1"))


def _looks_like_pdf(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False


def _end(proc: subprocess.Popen) -> None:
    """End LibreOffice: soffice and the soffice.bin it started (its own session, so nothing else), and reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.communicate(timeout=30)
    except (subprocess.TimeoutExpired, OSError, ValueError):
        pass


def convert(docx_files: Iterable[Path], out_dir: Path, timeout: float = TIMEOUT) -> PdfResult:
    """Convert every .docx in `docx_files` to `out_dir/<stem>.pdf` with one LibreOffice process."""
    files = [Path(f) for f in docx_files]
    if not files:
        return PdfResult((), ())
    stems = [f.stem for f in files]
    if len(set(stems)) != len(stems):
        raise RegdocError(_("two documents of one PDF batch have the same name: {names}").format(
            names=", ".join(sorted({s for s in stems if stems.count(s) > 1}))))
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailable(_("LibreOffice (soffice) is not installed, so no PDF was made; the .docx files were "
                               "written. Install it (Debian: apt-get install --no-install-recommends "
                               "libreoffice-writer-nogui fonts-liberation2) or leave out --pdf"))
    out_dir = Path(out_dir)
    failed: list[tuple[Path, str]] = []
    inputs = []
    for f in files:  # LibreOffice would happily print a text file named .docx: give it only .docx packages
        if not f.is_file():
            failed.append((f, _("no such file")))
        elif not zipfile.is_zipfile(f):
            failed.append((f, _("not a .docx file (not a zip archive)")))
        else:
            inputs.append(f)
    if not inputs:
        return PdfResult((), tuple(failed))
    with tempfile.TemporaryDirectory(prefix="regdoc-soffice-profile-") as profile, \
            tempfile.TemporaryDirectory(prefix="regdoc-pdf-") as staging:
        command = [soffice, f"-env:UserInstallation={Path(profile).resolve().as_uri()}", "--headless",
                   "--invisible", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                   "--convert-to", f"pdf:writer_pdf_Export:{EXPORT_OPTIONS}", "--outdir", staging,
                   *(str(f.resolve()) for f in inputs)]
        start_profile(Path(profile), soffice)
        # LibreOffice's own temporary files go inside the profile folder, so that they go with it
        env = dict(os.environ, HOME=profile, TMPDIR=profile, TMP=profile, TEMP=profile)
        try:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, env=env, start_new_session=True)
        except OSError as exc:
            raise PdfUnavailable(_("cannot start LibreOffice ({program}): {reason}").format(
                program=soffice, reason=os_reason(exc))) from None
        try:
            stderr = proc.communicate(timeout=timeout)[1]
        except subprocess.TimeoutExpired:
            _end(proc)
            raise RegdocError(ngettext("LibreOffice did not finish converting {count} document in {seconds} s; no "
                                       "PDF was replaced", "LibreOffice did not finish converting {count} documents "
                                       "in {seconds} s; no PDF was replaced", len(inputs)).format(
                count=len(inputs), seconds=f"{timeout:.0f}")) from None
        except BaseException:  # Ctrl-C (KeyboardInterrupt) or any other end: LibreOffice does not outlive us
            _end(proc)
            raise
        written = []
        detail = stderr.decode("utf-8", "replace").strip().splitlines()
        for f in inputs:
            produced = Path(staging) / f"{f.stem}.pdf"
            if not produced.is_file() or produced.stat().st_size == 0 or not _looks_like_pdf(produced):
                if detail:
                    reason = _("LibreOffice wrote no PDF (exit code {code}; {detail})").format(
                        code=proc.returncode, detail=detail[-1])
                else:
                    reason = _("LibreOffice wrote no PDF (exit code {code})").format(code=proc.returncode)
                failed.append((f, reason))
                continue
            target = out_dir / produced.name
            try:
                replace_atomic(target, produced.read_bytes())
            except (RegdocError, OSError) as err:  # this PDF is not produced; the others still are
                failed.append((f, err.message if isinstance(err, RegdocError) else str(err)))
                continue
            written.append(target)
    return PdfResult(tuple(written), tuple(failed))
