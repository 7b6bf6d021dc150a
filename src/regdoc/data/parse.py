"""Pure parse functions: validated plain data (a schema-valid Document) -> model values."""
from __future__ import annotations

from datetime import date
from typing import Optional

from regdoc.data import model as m
from regdoc.data.yamldoc import Document, dotted


def where_of(doc: Document, path: tuple) -> m.Where:
    return m.Where(doc.path.as_posix(), doc.line_of(path), dotted(path) or None, doc.key_lines(path))


def text(value: Optional[dict]) -> Optional[m.Text]:
    return None if value is None else m.Text(value["kk"], value["ru"])


def parse_regulation(doc: Document) -> m.RegulationInfo:
    d = doc.data
    letterhead = d.get("letterhead") or {}
    return m.RegulationInfo(text(d["title"]), text(d["short_title"]), d["owner"], text(d["adopting_body"]),
                            text(d["appendix_title"]), where_of(doc, ()), text(d.get("adopting_body_genitive")),
                            m.Letterhead(letterhead.get("paper", "blank"), text(letterhead.get("city"))))


def parse_units(items: list, doc: Document, path: tuple) -> tuple[m.Unit, ...]:
    return tuple(m.Unit(u["id"], u["kind"], text(u["text"]), u["source"], where=where_of(doc, path + (i,)))
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
                       d.get("missing", "error"), where_of(doc, path))


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
                            where_of(doc, ()))


def parse_op(d: dict, doc: Document, path: tuple) -> m.Op:
    return m.Op(
        op=d["op"], target=d["target"], text=text(d.get("text")), after=d.get("after"), kind=d.get("kind"),
        old=text(d.get("old")), new=text(d.get("new")), occurrence=d.get("occurrence"),
        criteria=parse_criteria(d["criteria"], doc, path + ("criteria",)) if "criteria" in d else None,
        ref=text(d.get("ref")), block=d.get("block"),
        indicator=parse_indicator(d["indicator"], doc, path + ("indicator",)) if "indicator" in d else None,
        rule=parse_rule(d["rule"]) if "rule" in d else None, title=text(d.get("title")),
        justification=text(d.get("justification")), source=d.get("source"), where=where_of(doc, path))


def parse_amendment(doc: Document) -> m.Amendment:
    d = doc.data
    return m.Amendment(doc.path.stem, _resolution_id(doc, d["adopted_by"], ("adopted_by",)),
                       date.fromisoformat(d["in_force"]), d["source"],
                       tuple(parse_op(op, doc, ("ops", i)) for i, op in enumerate(d["ops"])),
                       text(d.get("regulation_ref")), where_of(doc, ()),
                       tuple(m.AsIssued(p["lang"], p["generated"], p["issued"], p["why"],
                                        where_of(doc, ("as_issued", i)))
                             for i, p in enumerate(d.get("as_issued", ()))),
                       text(d.get("justification")))


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
        places = tuple(m.Place(p["place"], p["organisation"], p["total"], where_of(doc, ipath + ("places", j)))
                       for j, p in enumerate(it.get("places", ())))
        annexes = tuple(m.Annex(a["document"], text(a.get("title")), where_of(doc, ipath + ("annexes", j)))
                        for j, a in enumerate(it.get("annexes", ())))
        items.append(m.Item(it["number"], text(it.get("text")), places, tuple(it.get("rewards", ())),
                            it.get("amendment"), where_of(doc, ipath), annexes))
    s = d["signatory"]
    return m.Resolution(_resolution_id(doc, d["id"], ("id",)), d["source"], text(d["title"]), text(d["preamble"]),
                        tuple(items), m.Signatory(text(s["position"]), text(s["name"])), d.get("evaluation"),
                        where_of(doc, ()))


def parse_registry(doc: Document) -> m.Registry:
    return m.Registry(doc.data["numbering"], where_of(doc, ()))
