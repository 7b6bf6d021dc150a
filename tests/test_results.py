"""regdoc.results and the scoring phrasing: tables, text, Markdown, JSON in Kazakh and Russian, numbers exact."""
from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from regdoc.data import model as m
from regdoc.phrasing import kk, ru
from regdoc.scoring.results import Table, aligned, explanation_text, markdown, results_json, results_table, value_text
from regdoc.scoring.score import rule_working, score

NBSP = "\u00a0"
SCORING = ("label", "unit", "unit_hint", "approx", "evaluation_title", "results_title", "criteria_basis",
           "yes_no", "rank_of", "tie_break", "points_word", "rule_text", "ratio_text", "working")


def t(s):
    return m.Text(s, s)


def test_both_languages_have_the_same_scoring_functions_and_labels():
    for name in SCORING:
        assert callable(getattr(kk, name)) and callable(getattr(ru, name))
    assert kk.SCORE_LABELS.keys() == ru.SCORE_LABELS.keys()
    assert kk.UNITS.keys() == ru.UNITS.keys() == kk.UNIT_HINTS.keys() == ru.UNIT_HINTS.keys()


@pytest.mark.parametrize("value,text", [
    (D("100201"), f"100{NBSP}201"), (D("100201.00"), f"100{NBSP}201"), (D("1234.5678"), f"1{NBSP}234,5678"),
    (D("-300"), "-300"), (D("0.2"), "0,2"), (12.5, "12,5"),
])
def test_numbers_keep_every_decimal(value, text):
    assert kk.number(value) == text and ru.number(value) == text


def test_approx_marks_rounding():
    assert kk.approx(D("83.45")) == "83,45"
    assert ru.approx(D(2) / D(3) * 100) == "≈ 66,67"


@pytest.mark.parametrize("rule,unit,kk_text,ru_text", [
    (m.Rule("per_unit", 0.5, 500), "persons", "әр адам үшін 0,5 ұпай, ең көбі 500 ұпай",
     "0,5 балла за каждого человека, не более 500 баллов"),
    (m.Rule("per_unit", 1), "thousand_tenge", "әр мың теңге үшін 1 ұпай", "1 балл за каждую тысячу тенге"),
    (m.Rule("penalty", -30, 300), "count", "әр бірлік үшін 30 ұпай шегеріледі, ең көбі 300 ұпай",
     "минус 30 баллов за каждую единицу, не более 300 баллов"),
    (m.Rule("fixed", 100), "yes_no", "бар болса – 100 ұпай", "при наличии – 100 баллов"),
    (m.Rule("bands", bands=(m.Band(0, 50, 0), m.Band(50, None, 200))), "percent",
     # issue 15: a band says that its end is not in it
     "0–50 % (50 % кірмейді): 0 ұпай; 50 % және одан жоғары: 200 ұпай",
     "от 0 до 50 % (не включая 50 %): 0 баллов; 50 % и выше: 200 баллов"),
])
def test_rules_in_words(rule, unit, kk_text, ru_text):
    """The explanation of a score names the rule the way Appendix 1 and its comparisons do (one rule_text)."""
    assert kk.rule_text(rule, unit) == kk_text and ru.rule_text(rule, unit) == ru_text


def test_rank_rule_in_words():
    rule = m.Rule("rank", (500, 300, 100))
    assert "1-орын – 500 ұпай, 2-орын – 300 ұпай, 3-орын – 100 ұпай" in kk.rule_text(rule, "persons")
    assert "1-е место – 500 баллов, 2-е место – 300 баллов, 3-е место – 100 баллов" in ru.rule_text(rule, "persons")


def test_working_in_words():
    capped = rule_working(m.Rule("per_unit", 0.5, 500), D(1200))
    assert kk.working(capped) == f"1{NBSP}200 × 0,5 = 600 → 500 (ең көбі)"
    assert ru.working(capped) == f"1{NBSP}200 × 0,5 = 600 → 500 (не более)"
    penalty = rule_working(m.Rule("penalty", -50, 100), D(3))
    assert ru.working(penalty) == "3 × (-50) = -150 → -100 (предел вычета)"
    band = rule_working(m.Rule("bands", bands=(m.Band(0, 70, 0), m.Band(70, None, 400))), D(70))
    assert kk.working(band) == "70 ∈ [70; ∞) → 400"
    assert ru.working(rule_working(m.Rule("rank", (5,)), D(9), rank=2)) == "2-е место по значению → 0"
    assert kk.working(rule_working(m.Rule("fixed", 50), D(0))) == "жоқ → 0"


def test_russian_points_word():
    assert [ru.points_word(D(n)) for n in (1, 2, 5, 11, 21, 22, 112)] == [
        "балл", "балла", "баллов", "баллов", "балл", "балла", "баллов"]
    assert ru.points_word(D("0.5")) == "балла"


def small_results():
    ratio = m.Ratio(m.Input("members", t("m"), "persons"), m.Input("staff", t("s"), "persons"))
    criteria = m.Criteria("sample", 1, m.Rewards("main_blocks", 1), (
        m.Block("a", t("Блок А | 1"), True, (
            m.Indicator("a.cov", t("Қамту"), "percent", m.Rule("bands", bands=(m.Band(0, 50, 0), m.Band(50, None, 10))),
                        ratio),
            m.Indicator("a.n", t("Саны"), "persons", m.Rule("per_unit", 0.5)))),
        m.Block("b", t("Блок Б"), False, (m.Indicator("b.late", t("Кеш"), "count", m.Rule("penalty", -2)),)),
    ))
    reports = [m.Report("p", {"members": D(3), "staff": D(4), "a.n": D(5), "b.late": D(1)}),
               m.Report("q", {"members": D(1), "staff": D(0), "a.n": D(1), "b.late": D(0)})]
    return score(criteria, reports, 2025)


def test_results_table_has_numbers_as_numbers():
    res = small_results()
    table = results_table(res, {"p": "«P» ҚБ"}, "kk")
    assert table.headings[3] == "Блок А | 1 (негізгі блок)"
    assert table.rows[0][:3] == (1, "p", "«P» ҚБ") and table.rows[0][3:7] == (D("12.5"), -2, D("12.5"), D("10.5"))
    assert table.rows[0][-2:] == ("І орын", None) and table.rows[1][-1] == "иә"


def test_markdown_escapes_bars_and_aligns_numbers():
    lines = markdown(Table(("a|b", "n"), (("x|y", D("1.5")),), (False, True)), "ru")
    assert lines == ["| a\\|b | n |", "|---|---:|", "| x\\|y | 1,5 |"]


def test_aligned_right_aligns_numbers():
    lines = aligned(Table(("Орын", "Аты"), ((1, "p"), (10, "q")), (True, False)), "kk")
    assert lines == ["Орын  Аты", "   1  p", "  10  q"]


def test_explanation_text_shows_ratio_zero_denominator_and_sum():
    res = small_results()
    text = explanation_text(res.explain("q"), {}, "kk", 2025)
    assert "1 / 0: бөлгіш нөлге тең, мәні 0 деп алынды" in text
    assert text.rstrip().endswith("Жалпы ұпай саны: 0,5 + 0 = 0,5")
    line = res.explain("p").lines[0]
    assert value_text(line, "ru") == "3 / 4 × 100 = 75 %"


def test_json_numbers_and_shape():
    doc = json.loads(results_json(small_results(), None, {}, "ru"))
    assert doc["standings"][0]["total"] == 10.5 and doc["standings"][0]["blocks"] == {"a": 12.5, "b": -2}
    assert doc["standings"][0]["indicators"]["a.cov"] == {"value": 75, "points": 10, "rank": 1}
    assert doc["rewards"] == ["q"] and doc["criteria"]["prize_places"] == 1
