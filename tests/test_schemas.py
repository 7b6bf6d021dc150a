from __future__ import annotations

import json

import pytest

from regdoc.data.schemas import KINDS, schema_text, validate
from regdoc.data.yamldoc import parse_document


def doc(text: str):
    return parse_document(text.encode(), "f.yaml")


@pytest.mark.parametrize("kind", KINDS)
def test_every_schema_is_valid_draft_2020_12(kind):
    import jsonschema

    try:
        schema = json.loads(schema_text(kind))
    except FileNotFoundError:
        pytest.skip(f"no {kind} schema yet")
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "$id" not in schema  # its base is where it lies: references by relative file name (issue 14)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


REGULATION = """title: {kk: "Ереже", ru: "Положение"}
short_title: {kk: "Ереже", ru: "Положение"}
owner: union
adopting_body: {kk: "Атқару комитеті", ru: "Исполнительный комитет"}
appendix_title: {kk: "Критерийлер", ru: "Критерии"}
"""


def test_valid_file_has_no_errors():
    assert validate(doc(REGULATION), "regulation") == []


def test_unknown_key_suggests_the_nearest():
    errors = validate(doc(REGULATION + "titel: {kk: a, ru: b}\n"), "regulation")
    assert len(errors) == 1
    assert errors[0].line == 6 and errors[0].node == "titel"
    assert "did you mean 'title'" in errors[0].message and "allowed:" in errors[0].message


def test_missing_language_names_the_node():
    errors = validate(doc(REGULATION.replace('ru: "Положение"}', "}", 1)), "regulation")
    assert [(e.node, e.message) for e in errors] == [("title", "missing key 'ru'")]


def test_number_where_text_is_expected_says_quote_it():
    text = "adopted_by: 2026-02-20/9/7\nin_force: 2026-02-20\nsource: issued\nops:\n  - op: delete\n    target: 4.2\n"
    errors = validate(doc(text), "amendment")
    assert len(errors) == 1 and errors[0].line == 6 and 'quote it: "4.2"' in errors[0].message


def test_rule_with_keys_of_another_kind_is_refused():
    text = "op: change_indicator\ntarget: a.b\nrule: {kind: fixed, points: 5, bands: [{from: 0, points: 1}]}\n"
    amendment = "adopted_by: 2026-02-20/9/7\nin_force: 2026-02-20\nsource: issued\nops:\n  - " + \
        text.replace("\n", "\n    ").rstrip() + "\n"
    errors = validate(doc(amendment), "amendment")
    assert errors and errors[0].node == "ops[0].rule"


def test_an_unquoted_number_is_suggested_as_written():
    """YAML reads 5.10 as the number 5.1: the hint quotes what the file says (issue 12)."""
    text = "adopted_by: 2026-02-20/9/7\nin_force: 2026-02-20\nsource: issued\nops:\n  - op: delete\n    target: 5.10\n"
    errors = validate(doc(text), "amendment")
    assert len(errors) == 1 and 'quote it: "5.10"' in errors[0].message, errors


@pytest.mark.parametrize("value, message", [
    ("12.02.2027", "'12.02.2027' is not written YYYY-MM-DD: write it 2027-02-12"),
    ("2027-02-30", "'2027-02-30' is written as a date should be, but is no day of the calendar: 2027-02 has 28 days"),
    ("30.02.2027", "is not written YYYY-MM-DD, and is no day of the calendar read as day.month.year: 2027-02 has "
                   "28 days"),
])
def test_a_date_written_otherwise_is_told_apart_from_an_impossible_one(value, message):
    text = f'adopted_by: 2026-02-20/9/7\nin_force: "{value}"\nsource: issued\nops:\n  - op: delete\n    target: "4.2"\n'
    errors = validate(doc(text), "amendment")
    assert len(errors) == 1 and message in errors[0].message and errors[0].line == 2


def test_the_same_data_validated_again_gives_the_same_errors_in_the_language_of_each_call(monkeypatch):
    """What jsonschema found is kept per process (by the data, not the document): validated again, the same
    data gives the same errors, explained in the interface language of each call, as a fresh validation does;
    other data, and a validator made again, are validated afresh."""
    from regdoc import i18n
    from regdoc.data import schemas

    text = REGULATION.replace("owner: union", "owner: 5\nsubtitle: x")
    monkeypatch.setattr(schemas, "_FOUND", schemas.Kept(64))
    real = schemas._validator
    def fresh(lang):
        schemas._FOUND.clear()
        with i18n.using(lang):
            return [str(e) for e in validate(doc(text), "regulation")]

    expected = {lang: fresh(lang) for lang in ("en", "kk", "ru")}
    assert len(expected["en"]) == 2 and expected["kk"] != expected["en"]
    runs = []
    cls = type(real("regulation"))
    real_iter = cls.iter_errors
    monkeypatch.setattr(cls, "iter_errors", lambda self, data: runs.append(1) or real_iter(self, data))
    schemas._FOUND.clear()
    for lang in ("en", "kk", "ru", "en"):
        with i18n.using(lang):
            assert [str(e) for e in validate(doc(text), "regulation")] == expected[lang]
    assert len(runs) == 1  # found once, explained four times
    assert validate(doc(text.replace("subtitle: x", "subtitle: y")), "regulation") != []
    assert len(runs) == 2
    schemas._validator.cache_clear()  # (the schemas read again: what the old validator found is not used)
    try:
        assert [str(e) for e in validate(doc(text), "regulation")] == expected["en"]
        assert len(runs) == 3
    finally:
        schemas._validator.cache_clear()
