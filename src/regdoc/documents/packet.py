"""Which documents to make, from which data and with which templates: pure planning for `regdoc render` and
`regdoc build`.

A Job is one .docx file to write: its template, its context, its core properties and the data files it is made
from (paths relative to the data tree, as manifest.json lists them). Planning reads no file (the evaluation is
handed in by the caller); the writers in `output` write.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Mapping, Optional

from regdoc.data import model as m
from regdoc.documents.wordml import DocProps
from regdoc.errors import RegdocError
from regdoc.i18n import _
from regdoc.phrasing import for_lang
from regdoc.registry.numbering import is_draft
from regdoc.tree import ORGANISATIONS_FILE, REGULATION_FILE
from regdoc.versioning.amend import Edition, edition_at

LANG_CHOICES = ("kk", "ru", "both")
PARALLEL = "kk-ru"
TEMPLATES = "templates"  # the templates folder of the data tree
PARALLEL_TEMPLATE = f"{TEMPLATES}/parallel.docx"


@dataclass(frozen=True)
class Job:
    """One document to render: template + context -> filename."""

    document: str  # resolution | regulation | results | comparison | redline | register
    lang: str  # kk | ru | kk-ru (the two-column bilingual review document)
    template: str  # relative to the data tree: templates/kk/resolution.docx, templates/parallel.docx
    filename: str
    props: DocProps
    sources: tuple[str, ...]  # data files (relative to the data tree) the document is made from
    context: dict = field(compare=False, repr=False)
    # how to make the bytes from the template's bytes when not by rendering `template` with `context` (the
    # redline: written on the template's base by documents.tracked)
    make: Optional[Callable[[bytes, "Job"], bytes]] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Skipped:
    """A document that was not produced, and why."""

    filename: str
    reason: str


def languages(option: str) -> tuple[str, ...]:
    """Return the languages of a --lang option: kk, ru or both (Kazakh first)."""
    if option == "both":
        return ("kk", "ru")
    if option in ("kk", "ru"):
        return (option,)
    raise RegdocError(_("unknown language '{lang}'; choose one of {choices}").format(
        lang=option, choices=", ".join(LANG_CHOICES)))


def author(tree: m.DataTree, when: date, lang: str) -> str:
    """Return the author of a document: the Union, by the name it had on `when`."""
    owner = tree.organisation(tree.regulation.owner)
    return owner.name_at(when)[lang if lang in m.LANGS else "kk"] if owner else ""


def _parallel_context(rows: list[dict]) -> dict:
    """Return the context of the two-column bilingual document: each paragraph {kind, text, strong} (`strong`: words
    in bold after the text, "" for none; kind heading | right | note | bold | text)."""
    for row in rows:
        for lang in m.LANGS:
            if not row[lang]:  # a table cell must hold a paragraph
                row[lang] = [{"kind": "text", "text": ""}]
            row[lang] = [dict({"strong": ""}, **paragraph) for paragraph in row[lang]]
    return {"header": {lang: for_lang(lang).PARALLEL_HEADER for lang in m.LANGS}, "rows": rows}


class ContextFailed(Exception):
    """A LazyContext could not be made: `error` (a RegdocError) is the command's, as if it had been made first."""

    def __init__(self, error: RegdocError):
        super().__init__(str(error))
        self.error = error


class LazyContext(Mapping):
    """A job's context made when it is first needed (`value()`), so that it can be made in the process that
    renders the job (documents.output renders the two languages of the results in two processes); its failure is
    raised as ContextFailed, which the writer of the jobs raises as the command's error."""

    def __init__(self, make: Callable[[], dict]):
        self._make = make
        self._value: Optional[dict] = None

    def value(self) -> dict:
        if self._value is None:
            try:
                self._value = self._make()
            except RegdocError as err:
                raise ContextFailed(err) from None
        return self._value

    def __getitem__(self, key):
        return self.value()[key]

    def __iter__(self):
        return iter(self.value())

    def __len__(self) -> int:
        return len(self.value())


def _jobs(tree: m.DataTree, document: str, stem: str, langs: tuple[str, ...], parallel: bool,
          context: Callable[[str], dict], parallel_rows: Callable[[dict, dict], list],
          title: Callable[[str], str], when: date, sources: tuple[str, ...], lazy: bool = False) -> list[Job]:
    if lazy and not parallel:
        contexts = {lang: LazyContext(lambda lang=lang: context(lang)) for lang in langs}
    else:
        contexts = {lang: context(lang) for lang in (m.LANGS if parallel else langs)}
    if parallel:
        if tuple(langs) != m.LANGS:
            raise RegdocError(_("--parallel puts Kazakh and Russian side by side: use it with --lang both"))
        return [Job(document, PARALLEL, PARALLEL_TEMPLATE, f"{stem}.{PARALLEL}.docx",
                    DocProps(f"{title('kk')} / {title('ru')}", author(tree, when, "kk"), when, PARALLEL),
                    sources + (PARALLEL_TEMPLATE,),
                    _parallel_context(parallel_rows(contexts["kk"], contexts["ru"])))]
    return [Job(document, lang, f"{TEMPLATES}/{lang}/{document}.docx", f"{stem}.{lang}.docx",
                DocProps(title(lang), author(tree, when, lang), when, lang),
                sources + (f"{TEMPLATES}/{lang}/{document}.docx",), contexts[lang])
            for lang in langs]


def _files(*items: Optional[str]) -> tuple[str, ...]:
    """Return the data files, without repeats, in the order given."""
    return tuple(dict.fromkeys(i for i in items if i))


# ----- the resolution -------------------------------------------------------------------------------------------

def resolution_jobs(tree: m.DataTree, resolution: m.Resolution, langs: tuple[str, ...],
                    parallel: bool = False) -> list[Job]:
    """Return the jobs that render `resolution` in `langs` (or side by side)."""
    from regdoc.documents import resolution as builder

    adopted = [tree.amendment(i.amendment) for i in resolution.items if i.amendment]
    adopted = [a for a in adopted if a is not None]
    # the amending text names units and criteria as they stood before: the editions up to the amendment
    latest = max((a.in_force for a in adopted), default=None)
    earlier = [a for a in tree.amendments if latest is not None and a.in_force <= latest]
    sources = _files(resolution.where.file, ORGANISATIONS_FILE.as_posix(), REGULATION_FILE.as_posix(),
                     *(a.where.file for a in adopted), tree.initial.where.file if adopted else None,
                     *(a.where.file for a in earlier))

    def title(lang: str) -> str:
        ph = for_lang(lang)
        return f"{ph.RESOLUTION} {ph.resolution_number(resolution.id)}"

    return _jobs(tree, "resolution", f"resolution-{resolution.id.file_stem}", langs, parallel,
                 lambda lang: builder.resolution_context(tree, resolution, lang), builder.parallel_rows,
                 title, resolution.id.date, sources)


def find_resolution(tree: m.DataTree, text: str) -> m.Resolution:
    """Return the resolution with the id `text` (2026-02-20/9/7); raise a RegdocError naming the known ones."""
    from regdoc.errors import nearest

    known = [str(r.id) for r in tree.resolutions]
    try:
        rid = m.ResolutionId.parse(text)
    except ValueError as exc:
        raise RegdocError(_("{problem}; known: {known}{suggestion}").format(
            problem=exc, known=", ".join(known) or _("none"), suggestion=nearest(text, known))) from None
    resolution = tree.resolution(rid)
    if resolution is None:
        raise RegdocError(_("no resolution {id} in resolutions/; known: {known}{suggestion}").format(
            id=rid, known=", ".join(known) or _("none"), suggestion=nearest(text, known)))
    return resolution


def latest_resolution(tree: m.DataTree) -> m.Resolution:
    """Return the latest resolution (by date, meeting and item)."""
    if not tree.resolutions:
        raise RegdocError(_("no resolution in resolutions/: nothing to build"))
    return max(tree.resolutions, key=lambda r: r.id)


# ----- the consolidated Regulation --------------------------------------------------------------------------

def edition_in_force(tree: m.DataTree, as_of: Optional[date], today: date) -> tuple[Edition, date]:
    """Return the edition in force on `as_of` and the date to show (default: the edition in force `today`)."""
    if as_of is not None:
        try:
            return edition_at(tree.initial, tree.amendments, as_of), as_of
        except RegdocError as err:
            err.node = err.node or "--as-of"
            raise
    edition = edition_at(tree.initial, tree.amendments, today)
    return edition, edition.in_force


def regulation_jobs(tree: m.DataTree, edition: Edition, as_of: date, langs: tuple[str, ...],
                    parallel: bool = False) -> list[Job]:
    """Return the jobs that render the consolidated Regulation of `edition`, shown as in force on `as_of`."""
    from regdoc.documents import regulation as builder

    amendments = [tree.amendment(name) for name in edition.amendments]
    sources = _files(REGULATION_FILE.as_posix(), tree.initial.where.file,
                     *(a.where.file for a in amendments if a is not None))

    def title(lang: str) -> str:
        return f"{tree.regulation.title[lang]} ({for_lang(lang).as_of(as_of)})"

    return _jobs(tree, "regulation", f"regulation-{as_of.isoformat()}", langs, parallel,
                 lambda lang: builder.regulation_context(tree, edition, lang, as_of), builder.parallel_rows,
                 title, as_of, sources)


# ----- the evaluation results -------------------------------------------------------------------------------

# evaluation_of(year) -> the year's m.Evaluation (the command passes regdoc.tree.load.load_evaluation over its root)
EvaluationOf = Callable[[int], "m.Evaluation"]


def resolution_for_year(tree: m.DataTree, year: int) -> Optional[m.Resolution]:
    """Return the latest resolution that approves the results of `year`, or None."""
    approving = [r for r in tree.resolutions if r.evaluation == year]
    return max(approving, key=lambda r: r.id) if approving else None


def results_jobs(tree: m.DataTree, evaluation, langs: tuple[str, ...], parallel: bool = False,
                 resolution: Optional[m.Resolution] = None, lazy: bool = False) -> list[Job]:
    """Return the jobs that render the scored `evaluation` (an m.Evaluation), annexed to `resolution`; `lazy`:
    each language's context a LazyContext where the evaluation is large (writer.STREAM_ITEMS organisations)."""
    from regdoc.documents import results as builder
    from regdoc.scoring.score import score

    results = score(evaluation.criteria, evaluation)
    folder = Path(evaluation.where.file).parent if evaluation.where.file else None
    reports = (folder / evaluation.reports_file).as_posix() if folder and evaluation.reports_file else None
    amendments = [a for a in tree.amendments if a.in_force <= evaluation.criteria_in_force]
    sources = _files(evaluation.where.file, reports, REGULATION_FILE.as_posix(), tree.initial.where.file,
                     *(a.where.file for a in amendments), ORGANISATIONS_FILE.as_posix(),
                     resolution.where.file if resolution is not None else None)
    when = resolution.id.date if resolution is not None else date(evaluation.year, 12, 31)
    sample = evaluation.source == "sample"
    from regdoc.documents.writer import STREAM_ITEMS

    lazy = lazy and len(results.organisations) >= STREAM_ITEMS  # a small evaluation's contexts: made at once
    return _jobs(tree, "results", f"results-{evaluation.year}", langs, parallel,
                 lambda lang: builder.results_context(tree, results, lang, resolution, sample),
                 builder.parallel_rows, lambda lang: for_lang(lang).results_title(evaluation.year), when, sources,
                 lazy)


# ----- Appendix 1 in new wording, an annex of the resolution that approves it -------------------------------

def appendix_name(amendment: str, lang: str) -> str:
    """Return the file name of Appendix 1 as approved by `amendment`: appendix-1-<amendment>.<lang>.docx."""
    return f"appendix-1-{amendment}.{lang}.docx"


def appendix_jobs(tree: m.DataTree, resolution: m.Resolution, langs: tuple[str, ...]) -> list[Job]:
    """Return the jobs that render each Appendix 1 that `resolution`'s items approve in new wording, as its
    annexes (none when it approves none)."""
    from regdoc.documents import annexes as builder

    jobs = []
    for annex in builder.annexes(resolution):
        if annex.annex.document != "appendix_1":
            continue
        amendment = tree.amendment(annex.item.amendment or "")
        name = amendment.name if amendment is not None else str(annex.item.amendment)
        sources = _files(resolution.where.file, *_sources_up_to(tree, amendment.in_force) if amendment else ())
        for lang in langs:
            context = builder.appendix_context(tree, resolution, annex, lang)
            template = f"{TEMPLATES}/{lang}/appendix.docx"
            title = f"{context['ref']}. {context['title']}"
            jobs.append(Job("appendix", lang, template, appendix_name(name, lang),
                            DocProps(title, author(tree, resolution.id.date, lang), resolution.id.date, lang),
                            sources + (template,), context))
    return jobs


def annex_jobs(tree: m.DataTree, resolution: m.Resolution, langs: tuple[str, ...], parallel: bool,
               evaluation_of: "EvaluationOf") -> list[Job]:
    """Return the jobs that render the annexes `resolution`'s items approve or attach, as `regdoc render
    resolution` makes them beside it: each Appendix 1 in new wording (in `langs`; it has no side-by-side form) and
    the results of its evaluation (side by side when `parallel`)."""
    from regdoc.documents.annexes import annexes

    documents = {a.annex.document for a in annexes(resolution)}
    jobs = appendix_jobs(tree, resolution, langs) if "appendix_1" in documents else []
    if "results" in documents and resolution.evaluation is not None:
        jobs += results_jobs(tree, evaluation_of(resolution.evaluation), langs, parallel, resolution=resolution)
    return jobs


def appendix_names(resolution: m.Resolution) -> list[str]:
    """Return the file names of the Appendix 1 annexes of `resolution` (both languages)."""
    return [appendix_name(str(item.amendment), lang) for item in resolution.items for annex in item.annexes
            if annex.document == "appendix_1" for lang in m.LANGS]


def in_force_after(tree: m.DataTree, resolution: m.Resolution) -> date:
    """Return the date from which the Regulation stands as `resolution` left it."""
    dates = [a.in_force for a in tree.amendments if a.adopted_by == resolution.id]
    return max(dates + [resolution.id.date])


# ----- the comparison documents of an amendment: the comparison table and the redline ----------------------

def find_amendment(tree: m.DataTree, name: str) -> m.Amendment:
    """Return the amendment `name` (its file stem in regulation/versions/); raise a RegdocError naming the known
    ones."""
    from regdoc.errors import nearest

    amendment = tree.amendment(name)
    if amendment is None:
        known = [a.name for a in tree.amendments]
        raise RegdocError(_("no amendment '{name}' in regulation/versions/; known: {known}{suggestion}").format(
            name=name, known=", ".join(known) or _("none"), suggestion=nearest(name, known)))
    return amendment


def _in_order(tree: m.DataTree) -> list[m.Amendment]:
    return sorted(tree.amendments, key=lambda a: (a.in_force, a.name))


def latest_amendment(tree: m.DataTree) -> Optional[m.Amendment]:
    """Return the amendment in force last (None when the Regulation was never amended)."""
    ordered = _in_order(tree)
    return ordered[-1] if ordered else None


def previous_amendment(tree: m.DataTree, amendment: m.Amendment) -> Optional[m.Amendment]:
    """Return the amendment applied just before `amendment` (None when it is the first)."""
    ordered = _in_order(tree)
    k = next(i for i, a in enumerate(ordered) if a.name == amendment.name)
    return ordered[k - 1] if k else None


def _sources_up_to(tree: m.DataTree, when: date) -> tuple[str, ...]:
    """Return the data files of the Regulation as in force on `when`: its identity, first edition, amendments."""
    return _files(REGULATION_FILE.as_posix(), tree.initial.where.file,
                  *(a.where.file for a in _in_order(tree) if a.in_force <= when))


def comparison_jobs(tree: m.DataTree, amendment: m.Amendment, langs: tuple[str, ...]) -> list[Job]:
    """Return the jobs that render the comparison table of `amendment` in `langs`."""
    from regdoc.documents import comparison as builder
    from regdoc.documents.resolution import edition_before

    before = edition_before(tree, amendment)
    sources = _sources_up_to(tree, amendment.in_force)
    jobs = []
    for lang in langs:
        context = builder.comparison_context(tree, amendment, before, lang)
        template = f"{TEMPLATES}/{lang}/comparison.docx"
        jobs.append(Job("comparison", lang, template, f"comparison-{amendment.name}.{lang}.docx",
                        DocProps(context["title"], author(tree, amendment.in_force, lang), amendment.in_force, lang),
                        sources + (template,), context))
    return jobs


def redline_name(first: date, second: date, lang: str) -> str:
    """Return the file name of a redline: redline-<FROM date>-<TO date>.<lang>.docx."""
    return f"redline-{first.isoformat()}-{second.isoformat()}.{lang}.docx"


def redline_jobs(tree: m.DataTree, a, b, langs: tuple[str, ...]) -> list[Job]:
    """Return the jobs that write the redline from point `a` to point `b` (amend.Point values) in `langs`: the
    consolidated Regulation of `b` with every difference from `a` a tracked change, on the Regulation's
    template (templates/<lang>/regulation.docx)."""
    from regdoc.documents.redline import redline
    from regdoc.documents.tracked import redline_job

    sources = _sources_up_to(tree, b.edition.in_force)
    jobs = []
    for lang in langs:
        value = redline(tree, a, b, lang)
        template = f"{TEMPLATES}/{lang}/regulation.docx"
        jobs.append(Job("redline", lang, template, redline_name(a.when, b.when, lang),
                        DocProps(value.title, author(tree, b.when, lang), b.when, lang), sources + (template,),
                        {"redline": value}, redline_job))
    return jobs


def amendment_points(tree: m.DataTree, amendment: m.Amendment):
    """Return the points FROM (the edition `amendment` applies to) and TO (the edition it produced)."""
    from regdoc.versioning.amend import point

    previous = previous_amendment(tree, amendment)
    first = previous.name if previous else tree.initial.name
    return point(tree.initial, tree.amendments, first), point(tree.initial, tree.amendments, amendment.name)


# ----- the register of a year's resolutions --------------------------------------------------------------------

def register_jobs(tree: m.DataTree, year: int, langs: tuple[str, ...]) -> list[Job]:
    """Return the jobs that render the register of `year`'s resolutions in `langs`.

    A year with no resolution is refused (a RegdocError naming the years that have some): an empty register would
    state that the Executive Committee adopted nothing that year, which the data cannot tell from a mistyped year
    or resolutions not yet entered.
    """
    from regdoc.documents import register as builder
    from regdoc.errors import nearest
    from regdoc.registry.register import register_rows

    rows = register_rows(tree, year)
    if not rows:
        years = sorted({r.id.date.year for r in tree.resolutions})
        known = ", ".join(str(y) for y in years) or _("none")
        raise RegdocError(_("no resolution of {year} in resolutions/: nothing to put in its register; years with "
                            "resolutions: {known}{suggestion}").format(
            year=year, known=known, suggestion=nearest(str(year), [str(y) for y in years])))
    amendments = [tree.amendment(a.name) for row in rows for a in row.amendments]
    sources = _files(*(row.file for row in rows), *(a.where.file for a in amendments if a is not None))
    when = rows[-1].date  # the date of the year's last resolution: the register's own date, no clock
    jobs = []
    for lang in langs:
        context = builder.register_context(tree, rows, year, lang)
        template = f"{TEMPLATES}/{lang}/register.docx"
        jobs.append(Job("register", lang, template, f"register-{year}.{lang}.docx",
                        DocProps(context["title"], author(tree, when, lang), when, lang), sources + (template,),
                        context))
    return jobs


# ----- the packet of `regdoc build` and the contexts of `regdoc templates check` -----------------------------

# the documents that have templates of their own (the register is not part of the packet `regdoc build` makes)
DOCUMENTS = ("resolution", "regulation", "results", "appendix", "comparison", "register")


def filenames(stem: str, langs: tuple[str, ...]) -> list[str]:
    """Return the names of the .docx files of one document in `langs`."""
    return [f"{stem}.{lang}.docx" for lang in langs]


def expected_templates() -> list[str]:
    """Return every template the documents use (relative to the data tree)."""
    return [f"{TEMPLATES}/{lang}/{doc}.docx" for lang in m.LANGS for doc in DOCUMENTS] + [PARALLEL_TEMPLATE]


def reason(err: RegdocError) -> str:
    """Return a RegdocError as one line (a failed check: its errors, joined)."""
    problems = getattr(err, "problems", None)
    if problems:
        return "; ".join(str(p) for p in problems if p.severity == "error")
    return str(err)


def _attempt(make: Callable[[], list[Job]], names: list[str], jobs: list[Job], skipped: list[Skipped]) -> None:
    try:
        jobs.extend(make())
    except RegdocError as err:
        skipped.extend(Skipped(name, reason(err)) for name in names)


def build_plan(tree: m.DataTree, evaluation_of: EvaluationOf) -> tuple[list[Job], list[Skipped], dict]:
    """Return the packet of the latest resolution: its jobs (resolution, consolidated Regulation in force after
    it, results of its evaluation; the comparison table of the latest amendment and the redline of the edition it
    produced against the edition before; Kazakh and Russian), the documents that cannot be made, and what it is
    about (with `not_applicable`: the documents it has no data for, such as results when it approves none)."""
    resolution = latest_resolution(tree)
    jobs: list[Job] = []
    skipped: list[Skipped] = []
    if is_draft(resolution):  # a skeleton of `regdoc resolution new`: its TODO texts are not the issued ones
        skipped.extend(Skipped(name, _("resolution {id} is an unfinished draft (texts still hold TODO; "
                                       "`regdoc check` lists them)").format(id=resolution.id))
                       for name in filenames(f"resolution-{resolution.id.file_stem}", m.LANGS))
    else:
        _attempt(lambda: resolution_jobs(tree, resolution, m.LANGS),
                 filenames(f"resolution-{resolution.id.file_stem}", m.LANGS), jobs, skipped)
        _attempt(lambda: appendix_jobs(tree, resolution, m.LANGS), appendix_names(resolution), jobs, skipped)
    as_of = in_force_after(tree, resolution)
    _attempt(lambda: regulation_jobs(tree, edition_at(tree.initial, tree.amendments, as_of), as_of, m.LANGS),
             filenames(f"regulation-{as_of.isoformat()}", m.LANGS), jobs, skipped)
    year = resolution.evaluation
    not_applicable = []  # documents this resolution has no data for: not made, and not a failure
    if year is None:
        not_applicable.append({"document": "results",
                               "reason": _("resolution {id} approves no evaluation (no `evaluation` year)").format(
                                   id=resolution.id)})
    else:
        _attempt(lambda: results_jobs(tree, evaluation_of(year), m.LANGS, resolution=resolution),
                 filenames(f"results-{year}", m.LANGS), jobs, skipped)
    latest = latest_amendment(tree)
    if latest is None:
        not_applicable += [{"document": document,
                            "reason": _("the Regulation has no amendment in regulation/versions/")}
                           for document in ("comparison", "redline")]
    else:
        _attempt(lambda: comparison_jobs(tree, latest, m.LANGS), filenames(f"comparison-{latest.name}", m.LANGS),
                 jobs, skipped)
        previous = previous_amendment(tree, latest)
        first = previous.in_force if previous else tree.initial.in_force
        _attempt(lambda: redline_jobs(tree, *amendment_points(tree, latest), m.LANGS),
                 [redline_name(first, latest.in_force, lang) for lang in m.LANGS], jobs, skipped)
    subject = {"resolution": str(resolution.id), "regulation_as_of": as_of.isoformat(), "evaluation": year,
               "amendment": latest.name if latest else None, "not_applicable": not_applicable}
    return jobs, skipped, subject


def template_contexts(tree: m.DataTree, evaluation_of: EvaluationOf) -> tuple[dict[str, list[dict]],
                                                                             list[tuple[str, str]]]:
    """Return real contexts for every template, built from the latest resolution's packet and the register of
    its year (template -> its contexts, the parallel template getting one per document), and the templates none
    could be built for."""
    resolution = latest_resolution(tree)
    as_of = in_force_after(tree, resolution)

    def results(langs: tuple[str, ...], parallel: bool) -> list[Job]:
        if resolution.evaluation is None:
            raise RegdocError(_("resolution {id} names no evaluation year").format(id=resolution.id))
        return results_jobs(tree, evaluation_of(resolution.evaluation), langs, parallel, resolution=resolution)

    def appendix(langs: tuple[str, ...], parallel: bool) -> list[Job]:
        approving = [r for r in sorted(tree.resolutions, key=lambda r: r.id, reverse=True)
                     if any(a.document == "appendix_1" for item in r.items for a in item.annexes)]
        if not approving:
            raise RegdocError(_("no resolution approves Appendix 1 in new wording (an item's `annexes`)"))
        return [] if parallel else appendix_jobs(tree, approving[0], langs)

    def comparison(langs: tuple[str, ...], parallel: bool) -> list[Job]:
        latest = latest_amendment(tree)
        if latest is None:
            raise RegdocError(_("the Regulation has no amendment in regulation/versions/"))
        return [] if parallel else comparison_jobs(tree, latest, langs)

    makers = {
        "resolution": lambda langs, parallel: resolution_jobs(tree, resolution, langs, parallel),
        "regulation": lambda langs, parallel: regulation_jobs(
            tree, edition_at(tree.initial, tree.amendments, as_of), as_of, langs, parallel),
        "results": results,
        "appendix": appendix,
        "comparison": comparison,
        "register": lambda langs, parallel: [] if parallel else register_jobs(tree, resolution.id.date.year, langs),
    }
    contexts: dict[str, list[dict]] = {}
    reasons: dict[str, str] = {}
    for document, make in makers.items():
        try:
            jobs = make(m.LANGS, False) + make(m.LANGS, True)
        except RegdocError as err:
            for lang in m.LANGS:
                reasons[f"{TEMPLATES}/{lang}/{document}.docx"] = reason(err)
            continue
        for job in jobs:
            contexts.setdefault(job.template, []).append(job.context)
    unavailable = [(t, reasons.get(t, "no document uses it")) for t in expected_templates() if t not in contexts]
    return contexts, unavailable
