"""The one module that reads the data tree: YAML files -> validated plain data -> model values.

Reading never stops at the first problem: every file is read, every schema error is collected, and the
caller gets a DataTree when there were no errors, or the list of problems.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Callable, Optional

from . import model as m
from .errors import CheckFailed, Problem, RegdocError
from .schemas import validate
from .yamldoc import Document, dotted, read_document

REGULATION_FILE = Path("regulation/regulation.yaml")
VERSIONS_DIR = Path("regulation/versions")
ORGANISATIONS_FILE = Path("organisations/organisations.yaml")
RESOLUTIONS_DIR = Path("resolutions")
REGISTRY_FILE = RESOLUTIONS_DIR / "registry.yaml"


class Reader:
    """Reads files of one data tree, collecting problems instead of stopping at the first."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.problems: list[Problem] = []

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
                doc = read_document(self.root / rel, display=rel.as_posix())
            except RegdocError as err:
                self.error(err)
                return None
        errors = validate(doc, kind)
        for err in errors:
            self.error(err)
        return None if errors else doc

    def parse(self, doc: Optional[Document], parser: Callable[[Document], Any]) -> Any:
        """Return parser(doc), recording a RegdocError it raises; None when doc is None."""
        if doc is None:
            return None
        try:
            return parser(doc)
        except RegdocError as err:
            self.error(err)
            return None


def read_tree(reader: Reader) -> Optional[m.DataTree]:
    """Return the DataTree under reader.root, or None when a file could not be read."""
    root = reader.root
    if not (root / REGULATION_FILE).is_file():
        reader.error(RegdocError(f"no {REGULATION_FILE.as_posix()} here: not a regdoc data tree "
                                 "(pass --root DIR or run from the data tree)", root))
        return None
    regulation = reader.parse(reader.document(REGULATION_FILE, "regulation"), parse_regulation)
    initial, amendments = None, []
    version_files = sorted((root / VERSIONS_DIR).glob("*.yaml")) if (root / VERSIONS_DIR).is_dir() else []
    for path in version_files:
        rel = path.relative_to(root)
        try:
            probe = read_document(path, display=rel.as_posix())
        except RegdocError as err:
            reader.error(err)
            continue
        if isinstance(probe.data, dict) and "edition" in probe.data:
            edition = reader.parse(reader.document(rel, "edition", probe), parse_initial_edition)
            if edition is not None and initial is not None:
                reader.error(RegdocError(f"a second initial edition; the first is {initial.where.file}",
                                         rel.as_posix(), probe.line_of(("edition",)), "edition"))
            elif edition is not None:
                initial = edition
        else:
            amendment = reader.parse(reader.document(rel, "amendment", probe), parse_amendment)
            if amendment is not None:
                amendments.append(amendment)
    if initial is None and not reader.failed:
        reader.error(RegdocError("no initial edition (a file with `edition: initial`)", VERSIONS_DIR.as_posix()))
    organisations = reader.parse(reader.document(ORGANISATIONS_FILE, "organisations"), parse_organisations)
    resolutions = read_resolutions(reader)
    registry = read_registry(reader)
    if reader.failed or regulation is None or initial is None or organisations is None:
        return None
    amendments.sort(key=lambda a: (a.in_force, a.name))
    resolutions.sort(key=lambda r: r.id)
    return m.DataTree(str(root), regulation, initial, tuple(amendments), organisations, tuple(resolutions),
                      registry=registry)


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
            reader.error(RegdocError(f"is a link to {path.resolve()}, outside {RESOLUTIONS_DIR.as_posix()}/: "
                                     "a resolution must be a file inside the data tree", rel.as_posix()))
            continue
        resolution = reader.parse(reader.document(rel, "resolution"), parse_resolution)
        if resolution is not None:
            out.append(resolution)
    return out


def read_registry(reader: Reader) -> Optional[m.Registry]:
    """Return the numbering declared in resolutions/registry.yaml; None when the file is missing or invalid."""
    if not (reader.root / REGISTRY_FILE).exists():
        return None
    return reader.parse(reader.document(REGISTRY_FILE, "registry"), parse_registry)


def load_tree(root: Path | str) -> m.DataTree:
    """Return the DataTree under `root`; raise CheckFailed listing every error (warnings are ignored)."""
    from .check import semantic_problems

    reader = Reader(Path(root))
    tree = read_tree(reader)
    if tree is not None:
        reader.problems.extend(semantic_problems(tree))
    if tree is None or reader.failed:
        raise CheckFailed(reader.problems)
    return tree


# ----- pure parse functions: validated plain data -> model --------------------------------------------------

def _where(doc: Document, path: tuple) -> m.Where:
    return m.Where(doc.path.as_posix(), doc.line_of(path), dotted(path) or None, doc.key_lines(path))


def text(value: Optional[dict]) -> Optional[m.Text]:
    return None if value is None else m.Text(value["kk"], value["ru"])


def parse_regulation(doc: Document) -> m.RegulationInfo:
    d = doc.data
    return m.RegulationInfo(text(d["title"]), text(d["short_title"]), d["owner"], text(d["adopting_body"]),
                            text(d["appendix_title"]), _where(doc, ()), text(d.get("adopting_body_genitive")))


def parse_units(items: list, doc: Document, path: tuple) -> tuple[m.Unit, ...]:
    return tuple(m.Unit(u["id"], u["kind"], text(u["text"]), u["source"], where=_where(doc, path + (i,)))
                 for i, u in enumerate(items))


def parse_rule(d: dict) -> m.Rule:
    points = d.get("points")
    if isinstance(points, list):
        points = tuple(points)
    bands = tuple(m.Band(b["from"], b.get("to"), b["points"]) for b in d.get("bands", ()))
    return m.Rule(d["kind"], points, d.get("cap"), bands, d.get("order", "highest_first"))


def _input(d: dict) -> m.Input:
    return m.Input(d["id"], text(d["title"]), d["unit"])


def parse_indicator(d: dict, doc: Document, path: tuple) -> m.Indicator:
    ratio = None
    if "ratio" in d:
        r = d["ratio"]
        ratio = m.Ratio(_input(r["numerator"]), _input(r["denominator"]), r.get("on_zero", 0.0))
    return m.Indicator(d["id"], text(d["title"]), d["unit"], parse_rule(d["rule"]), ratio,
                       d.get("missing", "error"), _where(doc, path))


def parse_criteria(d: dict, doc: Document, path: tuple) -> m.Criteria:
    blocks = []
    for b_i, b in enumerate(d["blocks"]):
        b_path = path + ("blocks", b_i)
        indicators = tuple(parse_indicator(ind, doc, b_path + ("indicators", i_i))
                           for i_i, ind in enumerate(b["indicators"]))
        blocks.append(m.Block(b["id"], text(b["title"]), b["main"], indicators))
    r = d["rewards"]
    return m.Criteria(d["source"], d["prize_places"], m.Rewards(r["basis"], r["count"], r.get("min_points")),
                      tuple(blocks), tuple(d.get("tie_break", ("main_blocks",))), d.get("share_equal_places", False))


def _resolution_id(doc: Document, value: str, path: tuple) -> m.ResolutionId:
    try:
        return m.ResolutionId.parse(value)
    except ValueError as exc:  # a valid pattern with an impossible date
        raise doc.error(str(exc), path) from None


def parse_initial_edition(doc: Document) -> m.InitialEdition:
    d = doc.data
    adopted_by = _resolution_id(doc, d["adopted_by"], ("adopted_by",)) if "adopted_by" in d else None
    return m.InitialEdition(doc.path.stem, date.fromisoformat(d["in_force"]), d["source"], text(d["approval"]),
                            parse_units(d["units"], doc, ("units",)),
                            parse_criteria(d["appendix_1"], doc, ("appendix_1",)), adopted_by,
                            _where(doc, ()))


def parse_op(d: dict, doc: Document, path: tuple) -> m.Op:
    return m.Op(
        op=d["op"], target=d["target"], text=text(d.get("text")), after=d.get("after"), kind=d.get("kind"),
        old=text(d.get("old")), new=text(d.get("new")), occurrence=d.get("occurrence"),
        criteria=parse_criteria(d["criteria"], doc, path + ("criteria",)) if "criteria" in d else None,
        ref=text(d.get("ref")), block=d.get("block"),
        indicator=parse_indicator(d["indicator"], doc, path + ("indicator",)) if "indicator" in d else None,
        rule=parse_rule(d["rule"]) if "rule" in d else None, title=text(d.get("title")),
        justification=text(d.get("justification")), source=d.get("source"), where=_where(doc, path))


def parse_amendment(doc: Document) -> m.Amendment:
    d = doc.data
    return m.Amendment(doc.path.stem, _resolution_id(doc, d["adopted_by"], ("adopted_by",)),
                       date.fromisoformat(d["in_force"]), d["source"],
                       tuple(parse_op(op, doc, ("ops", i)) for i, op in enumerate(d["ops"])),
                       text(d.get("regulation_ref")), _where(doc, ()),
                       tuple(m.AsIssued(p["lang"], p["generated"], p["issued"], p["why"],
                                        _where(doc, ("as_issued", i)))
                             for i, p in enumerate(d.get("as_issued", ()))))


def parse_organisations(doc: Document) -> tuple[m.Organisation, ...]:
    out = []
    for o in doc.data["organisations"]:
        names = tuple(m.DatedName(text(n["name"]), date.fromisoformat(n["from"]) if "from" in n else None,
                                  n.get("source", o["source"])) for n in o["names"])
        out.append(m.Organisation(o["id"], o["kind"], o["legal_form"], o["source"], names))
    return tuple(out)


def parse_resolution(doc: Document) -> m.Resolution:
    d = doc.data
    items = []
    for i, it in enumerate(d["items"]):
        ipath = ("items", i)
        places = tuple(m.Place(p["place"], p["organisation"], p["total"], _where(doc, ipath + ("places", j)))
                       for j, p in enumerate(it.get("places", ())))
        items.append(m.Item(it["number"], text(it.get("text")), places, tuple(it.get("rewards", ())),
                            it.get("amendment"), _where(doc, ipath)))
    s = d["signatory"]
    return m.Resolution(_resolution_id(doc, d["id"], ("id",)), d["source"], text(d["title"]), text(d["preamble"]),
                        tuple(items), m.Signatory(text(s["position"]), text(s["name"])), d.get("evaluation"),
                        _where(doc, ()))


def parse_registry(doc: Document) -> m.Registry:
    return m.Registry(doc.data["numbering"], _where(doc, ()))

# ----- evaluations ------------------------------------------------------------------------------------------

EVALUATIONS_DIR = Path("evaluations")
EVALUATION_FILE = "evaluation.yaml"


def evaluation_path(year: int) -> Path:
    """Return the relative path of a year's evaluation: evaluations/2025/evaluation.yaml."""
    return EVALUATIONS_DIR / str(year) / EVALUATION_FILE


def evaluation_years(root: Path | str) -> list[int]:
    """Return the years that have an evaluation file, in order."""
    folder = Path(root) / EVALUATIONS_DIR
    if not folder.is_dir():
        return []
    return sorted(int(p.parent.name) for p in folder.glob(f"*/{EVALUATION_FILE}") if p.parent.name.isdigit())


def member_ids(tree: m.DataTree) -> list[str]:
    """Return the ids of the member organisations (every organisation but the Union itself)."""
    return [o.id for o in tree.organisations if o.kind != "union"]


def criteria_for(tree: m.DataTree, year: int, as_of: Optional[date] = None,
                 amendment: Optional[str] = None, where: Optional[m.Where] = None) -> tuple[m.Criteria, date]:
    """Return the Appendix 1 an evaluation of `year` is scored under, and the date it is in force from.

    Default: the Appendix 1 in force on 31 December of `year`; `as_of` picks another date, `amendment` the
    Appendix 1 as it stands right after that amendment.
    """
    from .amend import edition_at, editions
    from .suggest import nearest

    where = where or m.NOWHERE
    if amendment is not None:
        names = [a.name for a in tree.amendments]
        if amendment not in names:
            raise where.error(f"amendment '{amendment}' is not in regulation/versions/{nearest(amendment, names)}",
                              "criteria_amendment")
        edition = next(e for e in editions(tree.initial, tree.amendments)
                       if e.amendments and e.amendments[-1] == amendment)
        return edition.appendix, edition.in_force
    when = as_of or date(year, 12, 31)
    try:
        edition = edition_at(tree.initial, tree.amendments, when)
    except RegdocError as err:
        raise where.error(f"{err.message} (the Appendix 1 that scores the evaluation of {year})",
                          "criteria_as_of" if as_of else None) from None
    return edition.appendix, edition.in_force


def _evaluation_header(doc: Document, year: int) -> dict:
    d = doc.data
    if d["year"] != year:
        raise doc.error(f"the evaluation of {d['year']} stands in the folder of {year}; "
                        f"move it to {evaluation_path(d['year']).as_posix()}", ("year",))
    if "criteria_as_of" in d and "criteria_amendment" in d:
        raise doc.error("give either criteria_as_of or criteria_amendment, not both", ("criteria_amendment",))
    if "reports" in d and "reports_file" in d:
        raise doc.error("give the reports either inline (reports) or in a file (reports_file), not both",
                        ("reports_file",))
    as_of = None
    if "criteria_as_of" in d:
        try:
            as_of = date.fromisoformat(d["criteria_as_of"])
        except ValueError:
            raise doc.error(f"'{d['criteria_as_of']}' is not a date", ("criteria_as_of",)) from None
    return {"source": d["source"], "as_of": as_of, "amendment": d.get("criteria_amendment"),
            "reports_file": d.get("reports_file")}


def read_evaluation(reader: Reader, tree: m.DataTree, year: int,
                    reports_from: Optional[Path] = None) -> Optional[m.Evaluation]:
    """Return the evaluation of `year`, or None after recording its problems in `reader`.

    `reports_from` (a .csv or .xlsx file) replaces the reports of the evaluation file; without an evaluation
    file it is scored under the default criteria of the year, as the organisations' own data (`issued`).
    """
    from .evaluation import reports_from_mapping, reports_from_rows
    from .spreadsheets import read_rows

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
        where = _where(doc, ())
    elif reports_from is None:
        years = evaluation_years(reader.root)
        reader.error(RegdocError(f"no evaluation of {year}: {rel.as_posix()} does not exist"
                                 f" (evaluations: {', '.join(map(str, years)) or 'none'})", rel.as_posix()))
        return None
    try:
        criteria, in_force = criteria_for(tree, year, header["as_of"], header["amendment"], where)
    except RegdocError as err:
        reader.error(err)
        return None
    if reports_from is not None or header["reports_file"]:
        path = Path(reports_from) if reports_from is not None else reader.root / rel.parent / header["reports_file"]
        shown = str(reports_from) if reports_from is not None else (rel.parent / header["reports_file"]).as_posix()
        try:
            rows = read_rows(path, shown)
        except RegdocError as err:
            reader.error(err)
            return None
        reports, problems = reports_from_rows(rows, criteria, members, shown)
    else:
        reports, problems = reports_from_mapping(doc.data["reports"], criteria, members, rel.as_posix(),
                                                 doc.line_of, doc.key_lines)
    for err in problems:
        reader.error(err)
    if problems:
        return None
    return m.Evaluation(year, header["source"], criteria, in_force, reports, header["as_of"], header["amendment"],
                        header["reports_file"] if reports_from is None else str(reports_from), where)


def load_evaluation(root: Path | str, year: int, tree: Optional[m.DataTree] = None,
                    reports_from: Optional[Path | str] = None) -> m.Evaluation:
    """Return the evaluation of `year` under `root`; raise CheckFailed listing every problem.

    Score it with `regdoc.score.score(evaluation.criteria, evaluation)`.
    """
    tree = tree if tree is not None else load_tree(root)
    reader = Reader(Path(root))
    evaluation = read_evaluation(reader, tree, year, Path(reports_from) if reports_from is not None else None)
    if evaluation is None or reader.failed:
        raise CheckFailed(reader.problems)
    return evaluation
