"""regdoc.app.composing: the edition each operation of an amendment being composed applies to, and the
single-indicator operations as form fields."""
from __future__ import annotations

from pathlib import Path

from regdoc.app import composing as c


def _data(ops: list) -> dict:
    return {"adopted_by": "2027-02-12/3/5", "in_force": "2027-02-12", "source": "issued", "ops": ops}


REPLACED = {"op": "replace", "target": "3.2", "text": {"kk": "Бағалаудың жаңа өлшемдері:", "ru": "Новые меры оценки:"}}
INSERTED = {"op": "insert", "target": "4.3-1", "after": "4.3", "kind": "clause",
            "text": {"kk": "Нәтижелер жарияланады.", "ru": "Результаты публикуются."}}


def test_each_operation_applies_to_the_edition_changed_by_those_before_it(repo: Path):
    words = {"op": "replace_words", "target": "3.2"}  # not complete yet: it changes nothing
    bases = c.op_bases(repo, _data([REPLACED, INSERTED, words, {"op": "delete", "target": "4.3-1"}]))
    assert len(bases) == 4
    assert bases[0].unit("3.2").text.kk.endswith("критерийлері:") and bases[0].unit("4.3-1") is None
    assert bases[1].unit("3.2").text.kk == "Бағалаудың жаңа өлшемдері:"
    assert bases[2].unit("4.3-1").text.ru == "Результаты публикуются."
    assert bases[3] == bases[2]  # an operation that does not read yet changes nothing


def test_an_operation_that_does_not_apply_changes_nothing(repo: Path):
    bad = dict(REPLACED, target="9.9")
    bases = c.op_bases(repo, _data([bad, INSERTED, {"op": "delete", "target": "4.3-1"}]))
    assert bases[1] == bases[0] and bases[2].unit("4.3-1") is not None


def test_no_basis_while_the_date_is_not_a_date(repo: Path):
    assert c.op_bases(repo, dict(_data([REPLACED]), in_force="2027-02")) == [None]
    assert c.after_op(None, REPLACED) is None
    assert c.op_model({"op": "replace"}) is None and c.op_model(REPLACED).target == "3.2"
