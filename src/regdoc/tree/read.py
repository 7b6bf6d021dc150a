"""Reading the data tree: YAML files -> validated plain data -> model values.

Reading never stops at the first problem: every file is read, every schema error is collected, and the
caller gets a DataTree when there were no errors, or the list of problems. The pure parse functions are in
regdoc.data.parse; load_tree and load_evaluation (regdoc.tree.load) add the semantic checks.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, Optional

from regdoc.collector import lasting
from regdoc.data import model as m
from regdoc.data.parse import (
    parse_amendment,
    parse_initial_edition,
    parse_organisations,
    parse_registry,
    parse_regulation,
    parse_resolution,
    where_of,
)
from regdoc.data.schemas import validate
from regdoc.data.yamldoc import MAX_BYTES, Document, parse_document
from regdoc.errors import Problem, RegdocError
from regdoc.files.read import Source, read_bounded
from regdoc.i18n import _
from regdoc.kept import Kept
from regdoc.tree import ORGANISATIONS_FILE, REGISTRY_FILE, REGULATION_FILE, RESOLUTIONS_DIR, VERSIONS_DIR  # noqa: F401
from regdoc.tree import cache


class Reader:
    """Reads files of one data tree, collecting problems instead of stopping at the first."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.problems: list[Problem] = []
        # Every file read, by its path relative to the root: the bytes read and their digest. What is made from
        # the tree (documents, their manifest, a cache of the validated tree) is made from exactly these bytes.
        self.sources: dict[str, Source] = {}
        self._cached: dict[int, cache.Entry] = {}  # id of each Document read -> its entry in the cache

    def read(self, rel: Path, source: Optional[Source] = None) -> Document:
        """Return the YAML document at `rel`, read once as a bounded regular file inside the tree (recorded in
        `sources`; `source`: its bytes, read by `source` already): from the cache when these bytes were read and
        found valid before (regdoc.tree.cache), else parsed; raise RegdocError."""
        shown = rel.as_posix()
        if source is None:
            source = self.source(rel)
        doc, entry = cache.load(source, shown)
        if doc is None:
            doc = parse_document(source.data, shown)
        doc.source = source
        self._cached[id(doc)] = entry
        return doc

    def source(self, rel: Path) -> Source:
        """Return the bytes of the data file at `rel` (a bounded regular file inside the tree), recorded in
        `sources`; raise RegdocError."""
        refuse_foreign_digits(rel)
        shown = rel.as_posix()
        source = read_bounded(self.root, self.root / rel, MAX_BYTES, shown)
        self.sources[shown] = source
        return source

    def kept(self, rel: Path) -> tuple[Optional[Source], Optional[tuple[str, Any]]]:
        """Return the bytes of the file at `rel` (None after recording why it cannot be read) and, when this
        process made a model of these bytes before without any problem, (its schema kind, that model)."""
        try:
            source = self.source(rel)
        except RegdocError as err:
            self.error(err)
            return None, None
        return source, _kept_model(source, rel.as_posix())

    def model(self, rel: Path, kind: str, parser: Callable[[Document], Any]) -> Any:
        """Return parser(the schema-valid document at `rel`), or None after recording its problems; the model of
        bytes that gave one before without any problem is the one kept (_kept_model), the file neither parsed
        nor validated again."""
        source, found = self.kept(rel)
        if source is None:
            return None
        if found is not None and found[0] == kind:
            return found[1]
        return self.made(rel, source, kind, parser)

    def made(self, rel: Path, source: Source, kind: str, parser: Callable[[Document], Any],
             doc: Optional[Document] = None) -> Any:
        """Return parser(the schema-valid document at `rel`, of the bytes `source`; `doc` when read already), or
        None after recording its problems; a model made without any problem is kept (_keep_model)."""
        problems = len(self.problems)
        if doc is None:
            try:
                doc = self.read(rel, source)
            except RegdocError as err:
                self.error(err)
                return None
        model = self.parse(self.document(rel, kind, doc), parser)
        if model is not None and len(self.problems) == problems:
            _keep_model(source, rel.as_posix(), kind, model)
        return model

    def error(self, err: RegdocError) -> None:
        self.problems.append(Problem.from_error(err))

    def warn(self, err: RegdocError) -> None:
        self.problems.append(Problem.from_error(err, "warning"))

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def document(self, rel: Path, kind: str, doc: Optional[Document] = None) -> Optional[Document]:
        """Return the schema-valid document at `rel` (or `doc`, already read from it), or None after recording
        its problems."""
        if doc is None:
            try:
                doc = self.read(rel)
            except RegdocError as err:
                self.error(err)
                return None
        entry = self._cached.get(id(doc))
        if entry is not None and kind in entry.valid_as:
            return doc
        errors = validate(doc, kind)
        for err in errors:
            self.error(err)
        if errors:
            return None
        if entry is not None:
            cache.store(doc, entry, kind)
        return doc

    def parse(self, doc: Optional[Document], parser: Callable[[Document], Any]) -> Any:
        """Return parser(doc), recording a RegdocError it raises; None when doc is None."""
        if doc is None:
            return None
        try:
            return parser(doc)
        except RegdocError as err:
            self.error(err)
            return None


# The models made from data files, kept per process by the files' bytes: a data tree read again after one of its
# files changed (the browser workspace after an edit, `check` of a tree that fails) parses and validates only the
# changed file; the others' models are those their bytes gave before. Models are frozen values, so each reader may
# share them. Kept only for a model made without any problem (errors and warnings are in the interface language),
# by the cache's folder and its key of the bytes (regdoc.tree.cache.key_of: regdoc's version, the schemas and the
# bytes: the model is the one the folder's entry gives) and the name the file is shown by (in the model's places);
# at most KEPT_MODELS of them, made from at most KEPT_MODEL_BYTES bytes in all (a long-running workspace stays
# bounded); not at all when the cache is off.
KEPT_MODELS = 256
KEPT_MODEL_BYTES = 4 << 20
_models = Kept(KEPT_MODELS, KEPT_MODEL_BYTES, weigh=lambda _key, kept: kept[2])  # (regdoc.kept)


def _model_key(source: Source, shown: str) -> Optional[tuple[str, str, str]]:
    folder = cache.cache_dir()
    if len(source.data) > KEPT_MODEL_BYTES or folder is None:
        return None
    return str(folder), cache.key_of(source), shown


def _kept_model(source: Source, shown: str) -> Optional[tuple[str, Any]]:
    """Return (schema kind, model) kept for the bytes `source` of the file shown as `shown`, or None."""
    key = _model_key(source, shown)
    found = _models.get(key) if key is not None else None
    return None if found is None else (found[0], found[1])


def _keep_model(source: Source, shown: str, kind: str, model: Any) -> None:
    key = _model_key(source, shown)
    if key is None:
        return
    _models.keep(key, (kind, model, len(source.data)))


def forget_models() -> None:
    """Forget every kept model."""
    _models.clear()


def foreign_digit(name: str) -> Optional[str]:
    """Return the first digit of `name` that is not one of ASCII 0-9 (², ٢, ２ ...), or None."""
    return next((c for c in name if c.isdigit() and not c.isascii()), None)


def refuse_foreign_digits(rel: Path) -> None:
    """Raise RegdocError when a name on the path `rel` holds a digit other than ASCII 0-9 (years, dates and
    numbers in the names of the data tree are read as ASCII digits only)."""
    for part in rel.parts:
        digit = foreign_digit(part)
        if digit is not None:
            raise RegdocError(_("the name '{name}' holds the character '{digit}' (U+{code:04X}), which is not "
                                "one of the digits 0-9 regdoc reads in names; rename it with 0-9").format(
                                    name=part, digit=digit, code=ord(digit)), rel.as_posix())


def read_tree(reader: Reader) -> Optional[m.DataTree]:
    """Return the DataTree under reader.root, or None when a file could not be read."""
    with lasting():  # the model lives on: no garbage collection while it is made (regdoc.collector)
        return _read_tree(reader)


def _read_tree(reader: Reader) -> Optional[m.DataTree]:
    root = reader.root
    if not (root / REGULATION_FILE).is_file():
        reader.error(RegdocError(_("no {file} here: not a regdoc data tree (pass --root DIR or run from the data "
                                   "tree)").format(file=REGULATION_FILE.as_posix()), root))
        return None
    regulation = reader.model(REGULATION_FILE, "regulation", parse_regulation)
    initial, amendments = None, []
    version_files = sorted((root / VERSIONS_DIR).glob("*.yaml")) if (root / VERSIONS_DIR).is_dir() else []
    for path in version_files:
        rel = path.relative_to(root)
        source, found = reader.kept(rel)
        if source is None:
            continue
        if found is not None:
            kind, version = found
        else:
            try:
                probe = reader.read(rel, source)
            except RegdocError as err:
                reader.error(err)
                continue
            kind = "edition" if isinstance(probe.data, dict) and "edition" in probe.data else "amendment"
            version = reader.made(rel, source, kind, parse_initial_edition if kind == "edition" else parse_amendment,
                                  probe)
        if kind == "edition":
            edition = version
            if edition is not None and initial is not None:
                reader.error(RegdocError(_("a second initial edition; the first is {file}").format(
                                             file=initial.where.file),
                                         rel.as_posix(), dict(edition.where.key_lines).get("edition"), "edition"))
            elif edition is not None:
                initial = edition
        elif version is not None:
            amendments.append(version)
    if initial is None and not reader.failed:
        reader.error(RegdocError(_("no initial edition (a file with `edition: initial`)"), VERSIONS_DIR.as_posix()))
    organisations = reader.model(ORGANISATIONS_FILE, "organisations", parse_organisations)
    resolutions = read_resolutions(reader)
    registry = read_registry(reader)
    if reader.failed or regulation is None or initial is None or organisations is None:
        return None
    amendments.sort(key=lambda a: (a.in_force, a.name))
    resolutions.sort(key=lambda r: r.id)
    adopted = {r.id for r in resolutions}
    amendments = [a if a.adopted_by in adopted else replace(a, draft=True) for a in amendments]
    return m.DataTree(str(root), regulation, initial, tuple(amendments), organisations, tuple(resolutions),
                      registry=registry, digests={rel: s.sha256 for rel, s in sorted(reader.sources.items())})


def resolution_files(root: Path) -> list[Path]:
    """Return the resolution files under root/resolutions (every *.yaml but registry.yaml), sorted."""
    folder = Path(root) / RESOLUTIONS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.yaml") if p != Path(root) / REGISTRY_FILE)


def read_resolutions(reader: Reader) -> list[m.Resolution]:
    """Return the readable resolutions under resolutions/, recording the problems of the others.

    A file that is a link leading outside resolutions/ is refused: resolutions belong to the data tree.
    """
    root = reader.root
    folder = (root / RESOLUTIONS_DIR).resolve()
    out = []
    for path in resolution_files(root):
        rel = path.relative_to(root)
        if not path.resolve().is_relative_to(folder):
            reader.error(RegdocError(_("is a link to {path}, outside {folder}/: a resolution must be a file inside the "
                                       "data tree").format(path=path.resolve(), folder=RESOLUTIONS_DIR.as_posix()),
                                     rel.as_posix()))
            continue
        resolution = reader.model(rel, "resolution", parse_resolution)
        if resolution is not None:
            out.append(resolution)
    return out


def read_registry(reader: Reader) -> Optional[m.Registry]:
    """Return the numbering declared in resolutions/registry.yaml; None when the file is missing or invalid."""
    if not (reader.root / REGISTRY_FILE).exists():
        return None
    return reader.model(REGISTRY_FILE, "registry", parse_registry)


# ----- evaluations ------------------------------------------------------------------------------------------

EVALUATIONS_DIR = Path("evaluations")
EVALUATION_FILE = "evaluation.yaml"


def evaluation_path(year: int) -> Path:
    """Return the relative path of a year's evaluation: evaluations/2025/evaluation.yaml."""
    return EVALUATIONS_DIR / str(year) / EVALUATION_FILE


def is_year_name(name: str) -> bool:
    """Return whether a folder name is a year written in ASCII digits (2025; not ２０２５ or ²)."""
    return len(name) == 4 and name.isascii() and name.isdigit()


def evaluation_years(root: Path | str) -> list[int]:
    """Return the years that have an evaluation file, in order."""
    folder = Path(root) / EVALUATIONS_DIR
    if not folder.is_dir():
        return []
    return sorted(int(p.parent.name) for p in folder.glob(f"*/{EVALUATION_FILE}") if is_year_name(p.parent.name))


def member_ids(tree: m.DataTree) -> list[str]:
    """Return the ids of the member organisations (every organisation but the Union itself)."""
    return [o.id for o in tree.organisations if o.kind != "union"]


def criteria_for(tree: m.DataTree, year: int, as_of: Optional[date] = None,
                 amendment: Optional[str] = None, where: Optional[m.Where] = None) -> tuple[m.Criteria, date]:
    """Return the Appendix 1 an evaluation of `year` is scored under, and the date it is in force from.

    Default: the Appendix 1 in force on 31 December of `year`; `as_of` picks another date, `amendment` the
    Appendix 1 as it stands right after that amendment.
    """
    from regdoc.errors import nearest
    from regdoc.versioning.amend import edition_at, editions

    where = where or m.NOWHERE
    if amendment is not None:
        names = [a.name for a in tree.amendments]
        if amendment not in names:
            raise where.error(_("amendment '{amendment}' is not in regulation/versions/{suggestion}").format(
                                  amendment=amendment, suggestion=nearest(amendment, names)),
                              "criteria_amendment")
        edition = next(e for e in editions(tree.initial, tree.amendments)
                       if e.amendments and e.amendments[-1] == amendment)
        return edition.appendix, edition.in_force
    when = as_of or date(year, 12, 31)
    try:
        edition = edition_at(tree.initial, tree.amendments, when)
    except RegdocError as err:
        raise where.error(_("{message} (the Appendix 1 that scores the evaluation of {year})").format(
                              message=err.message, year=year),
                          "criteria_as_of" if as_of else None) from None
    return edition.appendix, edition.in_force


def _evaluation_header(doc: Document, year: int) -> dict:
    d = doc.data
    if d["year"] != year:
        raise doc.error(_("the evaluation of {year} stands in the folder of {year2}; move it to {file}").format(
                            year=d["year"], year2=year, file=evaluation_path(d["year"]).as_posix()), ("year",))
    if "criteria_as_of" in d and "criteria_amendment" in d:
        raise doc.error(_("give either criteria_as_of or criteria_amendment, not both"), ("criteria_amendment",))
    if "reports" in d and "reports_file" in d:
        raise doc.error(_("give the reports either inline (reports) or in a file (reports_file), not both"),
                        ("reports_file",))
    as_of = None
    if "criteria_as_of" in d:
        try:
            as_of = date.fromisoformat(d["criteria_as_of"])
        except ValueError:
            raise doc.error(_("'{value}' is not a date").format(value=d["criteria_as_of"]), ("criteria_as_of",)) from None
    return {"source": d["source"], "as_of": as_of, "amendment": d.get("criteria_amendment"),
            "reports_file": d.get("reports_file")}


def read_evaluation(reader: Reader, tree: m.DataTree, year: int,
                    reports_from: Optional[Path] = None, reports_shown: Optional[str] = None) -> Optional[m.Evaluation]:
    """Return the evaluation of `year`, or None after recording its problems in `reader`.

    `reports_from` (a .csv or .xlsx file) replaces the reports of the evaluation file; without an evaluation
    file it is scored under the default criteria of the year, as the organisations' own data (`issued`).
    `reports_shown` names that file in messages (an upload's own name), by default its path.
    """
    with lasting():  # the reports live on: no garbage collection while they are made (regdoc.collector)
        return _read_evaluation(reader, tree, year, reports_from, reports_shown)


def _read_evaluation(reader: Reader, tree: m.DataTree, year: int, reports_from: Optional[Path],
                     reports_shown: Optional[str]) -> Optional[m.Evaluation]:
    from regdoc.files.spreadsheets import read_table
    from regdoc.scoring.evaluation import HEADER_SEARCH_ROWS, ORGANISATION_COLUMN, reports_from_mapping, \
        reports_from_rows

    rel = evaluation_path(year)
    members = member_ids(tree)
    header = {"source": "issued", "as_of": None, "amendment": None, "reports_file": None}
    doc = None
    where = m.Where(rel.as_posix())
    if (reader.root / rel).is_file():
        doc = reader.document(rel, "evaluation")
        if doc is None:
            return None
        try:
            header = _evaluation_header(doc, year)
        except RegdocError as err:
            reader.error(err)
            return None
        where = where_of(doc, ())
    elif reports_from is None:
        years = evaluation_years(reader.root)
        reader.error(RegdocError(_("no evaluation of {year}: {file} does not exist (evaluations: {years})").format(
                                     year=year, file=rel.as_posix(), years=", ".join(map(str, years)) or _("none")),
                                 rel.as_posix()))
        return None
    try:
        criteria, in_force = criteria_for(tree, year, header["as_of"], header["amendment"], where)
    except RegdocError as err:
        reader.error(err)
        return None
    if reports_from is not None or header["reports_file"]:
        path = Path(reports_from) if reports_from is not None else reader.root / rel.parent / header["reports_file"]
        shown = ((reports_shown or str(reports_from)) if reports_from is not None
                 else (rel.parent / header["reports_file"]).as_posix())
        try:
            table = read_table(path, shown, None if reports_from is not None else reader.root, ORGANISATION_COLUMN,
                               HEADER_SEARCH_ROWS)
        except RegdocError as err:
            reader.error(err)
            return None
        if reports_from is None:
            reader.sources[shown] = table.source
        reports, problems = reports_from_rows(table.rows, criteria, members, shown,
                                              table.sheet if table.sheets > 1 else None)
    else:
        reports, problems = reports_from_mapping(doc.data["reports"], criteria, members, rel.as_posix(),
                                                 doc.line_of, doc.key_lines, text_of=doc.text_of)
        for i, src in enumerate(doc.data.get("sources", ()) if reports_from is None else ()):
            for j, org in enumerate(src["organisations"]):
                if org not in doc.data["reports"]:
                    problems.append(doc.error(_("the return '{file}' is named as the source of '{organisation}', "
                                                "which has no reports here").format(file=src["file"],
                                                                                    organisation=org),
                                              ("sources", i, "organisations", j)))
    for err in problems:
        reader.error(err)
    if problems:
        return None
    # reports from --input are the file's, whatever the year's evaluation says of its own (a sample)
    source = "file" if reports_from is not None else header["source"]
    return m.Evaluation(year, source, criteria, in_force, reports, header["as_of"], header["amendment"],
                        header["reports_file"] if reports_from is None else (reports_shown or str(reports_from)), where,
                        digests={rel: s.sha256 for rel, s in sorted(reader.sources.items())})
