"""The Regulation, its amendments, criteria, organisations and resolutions as frozen values.

Names follow the Regulation's own words. Dates are `datetime.date`; texts are `Text(kk, ru)`, Kazakh first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Iterator, Mapping, Optional

from regdoc.i18n import _

LANGS = ("kk", "ru")


@dataclass(frozen=True)
class Text:
    """A text in both languages; paragraphs are separated by a line break."""

    kk: str
    ru: str

    def __getitem__(self, lang: str) -> str:
        if lang not in LANGS:
            raise KeyError(lang)
        return getattr(self, lang)

    def items(self) -> Iterator[tuple[str, str]]:
        return iter(((lang, self[lang]) for lang in LANGS))


@dataclass(frozen=True)
class Where:
    """Where a value was written: file and line (for messages)."""

    file: Optional[str] = None
    line: Optional[int] = None
    node: Optional[str] = None
    key_lines: tuple[tuple[str, int], ...] = ()  # lines of the node's own keys

    def error(self, message: str, key: Optional[str] = None):
        """Return a RegdocError at this place; `key` (a key of this node, maybe dotted further) extends it."""
        from regdoc.errors import RegdocError

        line = self.line
        if key:
            line = dict(self.key_lines).get(key.split(".")[0].split("[")[0], line)
        node = ".".join(p for p in (self.node, key) if p) or None
        return RegdocError(message, self.file, line, node)


NOWHERE = Where()

_RESOLUTION_ID = re.compile(r"^(\d{4}-\d{2}-\d{2})/([1-9]\d{0,3})/([1-9]\d{0,3})$")


@dataclass(frozen=True, order=True)
class ResolutionId:
    """A resolution's legal identifier: date, meeting (protocol) number and item."""

    date: date
    meeting: int
    item: int

    @classmethod
    def parse(cls, value: str) -> "ResolutionId":
        """Return the id written as `2026-02-20/9/7`; raise ValueError otherwise."""
        match = _RESOLUTION_ID.match(value)
        if not match:
            raise ValueError(_("'{value}' is not a resolution id of the form YYYY-MM-DD/meeting/item").format(
                value=value))
        return cls(date.fromisoformat(match[1]), int(match[2]), int(match[3]))

    def __str__(self) -> str:
        return f"{self.date.isoformat()}/{self.meeting}/{self.item}"

    @property
    def file_stem(self) -> str:
        """Return the file name (without .yaml) that holds this resolution."""
        return f"{self.date.isoformat()}-{self.meeting}-{self.item}"


# ----- the Regulation ---------------------------------------------------------------------------------------

UNIT_NUMBER = re.compile(r"^[1-9]\d{0,2}(?:-[1-9]\d{0,2})?(?:\.[1-9]\d{0,2}(?:-[1-9]\d{0,2})?){0,2}$")
UNIT_KINDS = {1: "section", 2: "clause", 3: "subclause"}


def number_key(unit_id: str) -> tuple[tuple[int, int], ...]:
    """Return the sort key of a unit number: 4.3 < 4.3.1 < 4.3-1 < 4.3-2 < 4.4 (an inserted «4.3-1» stands right
    after 4.3 and its sub-units). Raise ValueError when `unit_id` is not a unit number."""
    if not UNIT_NUMBER.match(unit_id):
        raise ValueError(_("'{id}' is not a unit number (4, 4.2, 3.2.1, or inserted 4.3-1)").format(id=unit_id))
    return tuple((int(base), int(extra or 0)) for base, _, extra in (p.partition("-") for p in unit_id.split(".")))


def unit_depth(unit_id: str) -> int:
    """Return a unit number's depth: 1 for a section (4, 4-1), 2 for a clause, 3 for a sub-clause."""
    return unit_id.count(".") + 1


def parent_of(unit_id: str) -> Optional[str]:
    """Return the number of the unit that holds `unit_id` («4» for «4.3-1»), None for a section."""
    return unit_id.rsplit(".", 1)[0] if "." in unit_id else None

@dataclass(frozen=True)
class Unit:
    """A structural unit: a section (title only), a clause or a sub-clause."""

    id: str
    kind: str  # section | clause | subclause
    text: Text
    source: str = "sample"
    deleted: bool = False
    where: Where = field(default=NOWHERE, compare=False)

    @property
    def parent(self) -> Optional[str]:
        return parent_of(self.id)

    @property
    def number_key(self) -> tuple[tuple[int, int], ...]:
        return number_key(self.id)


@dataclass(frozen=True)
class RegulationInfo:
    """The Regulation's identity."""

    title: Text
    short_title: Text
    owner: str
    adopting_body: Text
    appendix_title: Text
    where: Where = field(default=NOWHERE, compare=False)
    adopting_body_genitive: Optional[Text] = None  # «Атқару комитетінің» / «Исполнительного комитета» (notes)
    letterhead: "Letterhead" = field(default_factory=lambda: Letterhead())


@dataclass(frozen=True)
class Letterhead:
    """How resolutions are printed: `paper` blank (a pre-printed letterhead blank, as issued) or plain (the
    letterhead printed: the Union's name, «ҚАУЛЫ / ПОСТАНОВЛЕНИЕ», `city`)."""

    paper: str = "blank"
    city: Optional[Text] = None


# ----- Appendix 1: criteria ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Band:
    start: float
    end: Optional[float]
    points: float


@dataclass(frozen=True)
class Rule:
    """How a value becomes points: per_unit, penalty, fixed, bands or rank."""

    kind: str
    points: float | tuple[float, ...] | None = None
    cap: Optional[float] = None
    bands: tuple[Band, ...] = ()
    order: str = "highest_first"


@dataclass(frozen=True)
class Input:
    """A reported value used to compute a ratio."""

    id: str
    title: Text
    unit: str


@dataclass(frozen=True)
class Ratio:
    numerator: Input
    denominator: Input
    on_zero: float = 0.0


@dataclass(frozen=True)
class Indicator:
    id: str
    title: Text
    unit: str
    rule: Rule
    ratio: Optional[Ratio] = None
    missing: str = "error"  # error | zero
    where: Where = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Block:
    id: str
    title: Text
    main: bool
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Rewards:
    basis: str
    count: int
    min_points: Optional[float] = None


@dataclass(frozen=True)
class Criteria:
    """Appendix 1: blocks of indicators and the rules of places and rewards."""

    source: str
    prize_places: int
    rewards: Rewards
    blocks: tuple[Block, ...]
    tie_break: tuple[str, ...] = ("main_blocks",)
    share_equal_places: bool = False

    def indicators(self) -> Iterator[Indicator]:
        for block in self.blocks:
            yield from block.indicators

    def indicator(self, indicator_id: str) -> Optional[Indicator]:
        return next((i for i in self.indicators() if i.id == indicator_id), None)


# ----- editions and amendments ------------------------------------------------------------------------------

@dataclass(frozen=True)
class InitialEdition:
    """The first edition: the full text and Appendix 1."""

    name: str
    in_force: date
    source: str
    approval: Text
    units: tuple[Unit, ...]
    appendix: Criteria
    adopted_by: Optional[ResolutionId] = None
    where: Where = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Op:
    """One amendment operation, as written in the amendment file."""

    op: str
    target: str
    text: Optional[Text] = None
    after: Optional[str] = None
    kind: Optional[str] = None
    old: Optional[Text] = None
    new: Optional[Text] = None
    occurrence: int | str | None = None
    criteria: Optional[Criteria] = None
    ref: Optional[Text] = None
    block: Optional[str] = None
    indicator: Optional[Indicator] = None
    rule: Optional[Rule] = None
    title: Optional[Text] = None
    justification: Optional[Text] = None
    source: Optional[str] = None
    where: Where = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class AsIssued:
    """A patch that turns the generated amending text into the text as issued, where the issued one is irregular."""

    lang: str
    generated: str
    issued: str
    why: str
    where: Where = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Amendment:
    """The operations adopted by one resolution, in force from one date."""

    name: str  # the file stem, e.g. 2026-02-20
    adopted_by: ResolutionId
    in_force: date
    source: str
    ops: tuple[Op, ...]
    regulation_ref: Optional[Text] = None
    where: Where = field(default=NOWHERE, compare=False)
    as_issued: tuple[AsIssued, ...] = ()
    justification: Optional[Text] = None  # for every operation that gives none of its own
    # True while the resolution `adopted_by` names is not in the data tree yet: the read-only views show the
    # amendment marked as a draft, `check` reports it and the signable documents refuse it (set by tree.read)
    draft: bool = False


# ----- organisations and resolutions ------------------------------------------------------------------------

@dataclass(frozen=True)
class DatedName:
    name: Text
    start: Optional[date] = None
    source: str = "sample"


@dataclass(frozen=True)
class Organisation:
    id: str
    kind: str
    legal_form: str
    source: str
    names: tuple[DatedName, ...]

    def name_at(self, when: date) -> Text:
        """Return the name in use on `when` (the last one whose start is not after it)."""
        current = self.names[0].name
        for dated in self.names:
            if dated.start is None or dated.start <= when:
                current = dated.name
        return current


@dataclass(frozen=True)
class Place:
    place: int
    organisation: str
    total: float
    where: Where = field(default=NOWHERE, compare=False)


# What an item may approve or attach as an annex of the resolution: the results of the evaluation it approves, or
# Appendix 1 of the Regulation in the new wording its amendment approves (op replace_appendix).
ANNEX_DOCUMENTS = ("results", "appendix_1")


@dataclass(frozen=True)
class Annex:
    """An annex of a resolution, attached or approved by one of its items; `title` is what the resolution calls
    it (the results), None where the document has a title of its own (Appendix 1)."""

    document: str  # one of ANNEX_DOCUMENTS
    title: Optional[Text] = None
    where: Where = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Item:
    """One resolving item of a resolution, with its number as issued."""

    number: int
    text: Optional[Text] = None
    places: tuple[Place, ...] = ()
    rewards: tuple[str, ...] = ()
    amendment: Optional[str] = None
    where: Where = field(default=NOWHERE, compare=False)
    annexes: tuple[Annex, ...] = ()


@dataclass(frozen=True)
class Signatory:
    position: Text
    name: Text


@dataclass(frozen=True)
class Resolution:
    id: ResolutionId
    source: str
    title: Text
    preamble: Text
    items: tuple[Item, ...]
    signatory: Signatory
    evaluation: Optional[int] = None
    where: Where = field(default=NOWHERE, compare=False)


NUMBERING = ("per_year", "continuous")


@dataclass(frozen=True)
class Registry:
    """How resolutions are numbered: the period within which meeting (protocol) numbers run.

    `per_year`: meeting numbers start again at 1 each calendar year; `continuous`: they run on across years.
    """

    numbering: str
    where: Where = field(default=NOWHERE, compare=False)


# ----- evaluations ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Report:
    """What one member organisation reported for the year: a value for every column the criteria ask for.

    `values` maps an indicator id (`legal.inspections`), or for a ratio the id of each of its inputs
    (`members`, `staff`), to an exact Decimal; yes/no answers are 1 or 0. An input shared by two ratios is one
    value. `not_reported` holds the ids left empty that count as zero because the criteria say `missing: zero`.
    """

    organisation: str
    values: Mapping[str, Decimal]
    not_reported: frozenset[str] = frozenset()
    where: Where = field(default=NOWHERE, compare=False)

    def __post_init__(self):
        if not isinstance(self.values, MappingProxyType):
            object.__setattr__(self, "values", MappingProxyType(dict(self.values)))


@dataclass(frozen=True)
class Evaluation:
    """One year's evaluation: the Appendix 1 it is scored under and every member organisation's report.

    By default the criteria are the Appendix 1 in force on 31 December of the year; `criteria_as_of` (a date)
    or `criteria_amendment` (an amendment id, the file stem in regulation/versions/) overrides that.
    `criteria_in_force` is the date from which the chosen Appendix 1 is in force.
    """

    year: int
    source: str
    criteria: Criteria
    criteria_in_force: date
    reports: tuple[Report, ...]
    criteria_as_of: Optional[date] = None
    criteria_amendment: Optional[str] = None
    reports_file: Optional[str] = None
    where: Where = field(default=NOWHERE, compare=False)
    # The SHA-256 of the files read for this evaluation (its evaluation.yaml, its reports_file), by relative path.
    digests: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def report(self, organisation: str) -> Optional[Report]:
        return _first_by(self, "_reports_by_id", self.reports, "organisation").get(organisation)


@dataclass(frozen=True)
class DataTree:
    """Everything regdoc reads from a data tree."""

    root: str
    regulation: RegulationInfo
    initial: InitialEdition
    amendments: tuple[Amendment, ...]
    organisations: tuple[Organisation, ...]
    resolutions: tuple[Resolution, ...]
    registry: Optional[Registry] = None  # None when resolutions/registry.yaml is missing
    # The SHA-256 of every file read for this tree, by its path relative to the root: of the bytes it was made from.
    digests: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def organisation(self, org_id: str) -> Optional[Organisation]:
        return _first_by(self, "_organisations_by_id", self.organisations, "id").get(org_id)

    def resolution(self, rid: ResolutionId) -> Optional[Resolution]:
        return _first_by(self, "_resolutions_by_id", self.resolutions, "id").get(rid)

    def amendment(self, name: str) -> Optional[Amendment]:
        return _first_by(self, "_amendments_by_name", self.amendments, "name").get(name)


def _first_by(owner, slot: str, items: tuple, attribute: str) -> dict:
    """Return (made once per frozen `owner`, kept in its __dict__) the first of `items` by each `attribute` value:
    the lookups by id cost one dict access instead of a pass over the items."""
    index = owner.__dict__.get(slot)
    if index is None:
        index = {}
        for item in items:
            index.setdefault(getattr(item, attribute), item)
        object.__setattr__(owner, slot, index)
    return index
