"""`regdoc templates check`: every template opens, uses only the variables its context provides, and keeps each
Jinja tag in one run (a person restyling a template in Word can split a tag without seeing it).

Checks, per template:
- it exists and opens as a Word document;
- no tag is split across runs, none is left unclosed in its paragraph;
- a paragraph holding a `{%p ...%}` tag holds nothing else, a row holding `{%tr ...%}` nothing else (docxtpl
  drops the whole paragraph or row, so any other text there would silently vanish);
- every top-level variable it uses is one its context provides (jinja2 meta on the template's XML, through
  docxtpl's get_undeclared_template_variables);
- it renders with a real context from the data tree in the sandbox (which catches a missing nested name,
  `{{ item.nmber }}`, as well as a refused attribute).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from regdoc.errors import RegdocError
from regdoc.i18n import _
from regdoc.kept import Kept

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_OPEN = re.compile(r"\{[{%#]")
_CLOSE = re.compile(r"[}%#]\}")
_CONTROL = re.compile(r"^\{%(p|tr|tc)\s.*%\}$", re.S)


@dataclass(frozen=True)
class TemplateProblem:
    template: str
    message: str

    def __str__(self) -> str:
        return f"{self.template}: {self.message}"


def _paragraph_runs(p) -> list[str]:
    from docx.oxml.ns import qn

    runs = []
    for r in p.iter(qn("w:r")):
        runs.append("".join(t.text or "" for t in r.iter(qn("w:t"))))
    return runs


def _containers(document):
    """Yield the XML roots of the body, headers and footers."""
    yield document.element.body
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                     section.even_page_header, section.even_page_footer):
            if part.is_linked_to_previous:
                continue
            yield part._element


def tag_problems(document, display: str) -> list[TemplateProblem]:
    """Return the split, unclosed and crowded tags of a python-docx Document."""
    from docx.oxml.ns import qn

    problems = []
    for root in _containers(document):
        for n, p in enumerate(root.iter(qn("w:p")), 1):
            runs = _paragraph_runs(p)
            text = "".join(runs)
            if not _OPEN.search(text) and not _CLOSE.search(text):
                continue
            bounds, pos = [], 0
            for run in runs:
                bounds.append((pos, pos + len(run)))
                pos += len(run)
            tags = list(_TAG.finditer(text))
            rest = _TAG.sub("", text)
            if _OPEN.search(rest) or _CLOSE.search(rest):
                problems.append(TemplateProblem(display, _("paragraph «{text}»: a Jinja tag is not closed in its "
                                                           "paragraph").format(text=text.strip()[:60])))
            for tag in tags:
                start = next(i for i, (a, b) in enumerate(bounds) if a <= tag.start() < b)
                end = next(i for i, (a, b) in enumerate(bounds) if a < tag.end() <= b)
                if start != end:
                    problems.append(TemplateProblem(display, _("tag {tag} is split across {count} runs; retype it "
                                                               "in one go (or clear its formatting)").format(
                        tag=tag.group(), count=end - start + 1)))
                control = re.match(r"\{%(p|tr|tc)\s", tag.group())
                if control and text.strip() != tag.group():
                    message = {"p": _("tag {tag} shares its paragraph with other text, which docxtpl would drop "
                                      "with the paragraph"),
                               "tr": _("tag {tag} shares its paragraph with other text, which docxtpl would drop "
                                       "with the table row"),
                               "tc": _("tag {tag} shares its paragraph with other text, which docxtpl would drop "
                                       "with the table cell")}[control.group(1)]
                    problems.append(TemplateProblem(display, message.format(tag=tag.group())))
        for tr in root.iter(qn("w:tr")):
            cells = ["".join("".join(_paragraph_runs(p)) for p in tc.iter(qn("w:p"))) for tc in tr.iter(qn("w:tc"))]
            controls = [c for c in cells if re.match(r"\s*\{%tr\s", c)]
            if controls and sum(1 for c in cells if c.strip()) > 1:
                problems.append(TemplateProblem(display, _("table row of {tag} holds other text, which docxtpl "
                                                           "would drop with the row").format(tag=controls[0].strip())))
    return problems


_USED = Kept(64)  # the sha256 of a template's bytes -> the variables it uses (regdoc.kept)


def _used_variables(tpl, environment) -> frozenset:
    """Return the top-level variables the template `tpl` (as opened, not rendered) uses: docxtpl's
    get_undeclared_template_variables (which opens the package again, parses its XML and walks the whole Jinja
    tree), kept per process by the template's bytes: a template checked with two contexts, or checked again
    unchanged, is not analysed again."""
    key = hashlib.sha256(tpl.template_file.getvalue()).hexdigest()
    used = _USED.get(key)
    if used is None:
        used = _USED.keep(key, frozenset(tpl.get_undeclared_template_variables(jinja_env=environment())))
    return used


def check_template(path: Path, display: str, context: Mapping | None) -> list[TemplateProblem]:
    """Return the problems of one template; `context` (a real one) is used for the variables and a trial render."""
    from jinja2.exceptions import TemplateError

    from regdoc.documents.wordml import DocProps
    from regdoc.documents.writer import _template_error, environment, open_template

    try:
        tpl = open_template(path, display)
    except RegdocError as err:
        return [TemplateProblem(display, err.message)]
    problems = tag_problems(tpl.docx, display)
    if problems or context is None:
        return problems
    try:
        used = _used_variables(tpl, environment)
    except (TemplateError, RecursionError, MemoryError) as exc:  # RecursionError: expressions nested too deep
        return [TemplateProblem(display, _template_error(exc, display).message)]
    missing = sorted(set(used) - set(context))
    if missing:
        problems.append(TemplateProblem(display, _("uses {missing}, which its context does not provide (provided: "
                                                   "{provided})").format(missing=", ".join(missing),
                                                                         provided=", ".join(sorted(context)))))
        return problems
    from datetime import date

    from regdoc.documents.writer import render_docx
    try:
        render_docx(path, context, DocProps("check", "check", date(2000, 1, 1), "kk"), display)
    except RegdocError as err:
        problems.append(TemplateProblem(display, err.message))
    return problems


def check_templates(root: Path, expected: Iterable[str], contexts: Mapping[str, list]) -> list[TemplateProblem]:
    """Return the problems of every expected template (relative to `root`), each checked with each of its
    contexts (a template with no context available is checked for its tags only)."""
    problems = []
    for rel in expected:
        ctxs = contexts.get(rel) or [None]
        for ctx in ctxs:
            found = check_template(Path(root) / rel, rel, ctx)
            problems.extend(p for p in found if p not in problems)
    return problems
