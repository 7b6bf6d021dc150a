"""Comparisons between editions and between criteria."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from versioning_strategies import draw_amendments, initial_editions

from regdoc.data import model as m
from regdoc.tree.load import load_tree
from regdoc.versioning.amend import APPENDIX, apply, edition_at, editions
from regdoc.versioning.diff import (Segment, block_max_points, diff_criteria, diff_editions, max_points, tokens,
                                   word_diff)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data() -> m.DataTree:
    return load_tree(REPO)


@pytest.fixture(scope="module")
def pair(data):
    return editions(data.initial, data.amendments)


def rebuild(segments, side: str) -> str:
    keep = {"old": ("equal", "delete"), "new": ("equal", "insert")}[side]
    return "".join(s.text for s in segments if s.op in keep)


# ----- words ----------------------------------------------------------------------------------------------------

def test_word_diff_of_a_changed_phrase():
    assert word_diff("бағалау критерийлерінің кестесіне сәйкес", "бағалау кестесі бойынша сәйкес") == (
        Segment("equal", "бағалау "), Segment("delete", "критерийлерінің кестесіне"),
        Segment("insert", "кестесі бойынша"), Segment("equal", " сәйкес"))


def test_word_diff_of_equal_and_empty_texts():
    assert word_diff("a b", "a b") == (Segment("equal", "a b"),)
    assert word_diff("", "жаңа") == (Segment("insert", "жаңа"),)
    assert word_diff("ескі", "") == (Segment("delete", "ескі"),)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="абв гд.,\n", max_size=40), st.text(alphabet="абв гд.,\n", max_size=40))
def test_word_diff_rebuilds_both_texts(old, new):
    segments = word_diff(old, new)
    assert rebuild(segments, "old") == old and rebuild(segments, "new") == new
    assert all(s.text for s in segments)
    assert all(not (a.op == b.op == "equal") for a, b in zip(segments, segments[1:]))


# ----- editions -------------------------------------------------------------------------------------------------

def test_diff_of_the_shipped_editions(pair):
    d = diff_editions(*pair)
    assert d.counts() == {"added": 0, "deleted": 0, "changed": 4, "unchanged": len(pair[0].units) - 4}
    assert [u.id for u in d.with_status("changed")] == ["3.2", "4.2", "4.3", "5.2"]
    assert d.appendix_changed
    u = d.with_status("changed")[3]
    assert rebuild(u.words_of("kk"), "old") == pair[0].unit("5.2").text.kk
    assert rebuild(u.words_of("ru"), "new") == pair[1].unit("5.2").text.ru
    assert Segment("insert", " ақшалай сыйлықақы төленетін") in u.words_of("kk")
    assert diff_editions(pair[1], pair[1]).counts()["changed"] == 0


def test_diff_reports_added_and_deleted_units(data, pair):
    t = m.Text("Жаңа.", "Новый.")
    later = apply(pair[1], m.Amendment("2027-03-01", m.ResolutionId(date(2027, 3, 1), 1, 1), date(2027, 3, 1),
                                       "sample", (m.Op("insert", "4.7", text=t, after="4.6", kind="clause"),
                                                  m.Op("delete", "3.2"))))
    d = diff_editions(pair[0], later)
    assert [u.id for u in d.with_status("added")] == ["4.7"]
    assert [u.id for u in d.with_status("deleted")] == ["3.2", "3.2.1", "3.2.2", "3.2.3", "3.2.4", "3.2.5", "3.2.6"]
    # the diff runs the other way too: a unit only in the older edition shows as deleted, in number order
    back = diff_editions(later, pair[0])
    assert [u.id for u in back.with_status("deleted")] == ["4.7"]
    assert [u.id for u in back.units].index("4.7") == [u.id for u in back.units].index("4.6") + 1


@settings(max_examples=60, deadline=None)
@given(initial=initial_editions(), data=st.data())
def test_diff_with_the_next_edition_reports_exactly_the_units_touched(initial, data):
    amendments = draw_amendments(data, initial, data.draw(st.integers(1, 4)))
    all_editions = editions(initial, amendments)
    for before, after, amendment in zip(all_editions, all_editions[1:], amendments):
        touched = {c.target for c in after.changes if c.amendment == amendment.name}
        d = diff_editions(before, after)
        assert {u.id for u in d.units if u.status != "unchanged"} == touched - {APPENDIX}
        assert d.appendix_changed == (APPENDIX in touched)
        for u in d.with_status("changed"):
            for lang in m.LANGS:
                assert rebuild(u.words_of(lang), "old") == u.old.text[lang]
                assert rebuild(u.words_of(lang), "new") == u.new.text[lang]


# ----- criteria -------------------------------------------------------------------------------------------------

def test_max_points_of_each_rule():
    assert max_points(m.Rule("per_unit", 0.5, 500)) == 500
    assert max_points(m.Rule("per_unit", 1)) is None
    assert max_points(m.Rule("penalty", -50, 500)) == 0
    assert max_points(m.Rule("fixed", 100)) == 100
    assert max_points(m.Rule("bands", bands=(m.Band(0, 50, 0), m.Band(50, None, 700)))) == 700
    assert max_points(m.Rule("rank", (500, 300, 100))) == 500


def test_criteria_diff_between_the_evaluation_years(data):
    old = edition_at(data.initial, data.amendments, date(2025, 12, 31)).appendix
    new = edition_at(data.initial, data.amendments, date(2026, 12, 31)).appendix
    cd = diff_criteria(old, new)
    assert cd.changed and cd.settings == ()
    blocks = {b.id: b for b in cd.blocks}
    membership = blocks["membership"]
    assert (membership.old_max, membership.new_max, membership.max_change) == (1400, 2600, 1200)
    statuses = {i.id: (i.status, i.aspects) for i in membership.indicators}
    assert statuses["membership.coverage"] == ("changed", ("rule",))
    assert statuses["membership.e_register"] == ("added", ())
    assert statuses["membership.new_members"] == ("unchanged", ())
    assert [i.id for i in blocks["safety"].indicators if i.status == "removed"] == ["safety.accidents"]
    assert blocks["social"].aspects == ("main",) and blocks["social"].new_max is None
    assert blocks["social"].max_change is None
    info = blocks["info_finance"]
    assert info.renamed and info.max_change == -30
    reweighted = next(i for i in blocks["legal"].indicators if i.id == "legal.inspections")
    assert reweighted.reweighted and not reweighted.renamed
    assert reweighted.old.rule == m.Rule("per_unit", 5, 500) and reweighted.new.rule == m.Rule("per_unit", 10, 1000)


def test_criteria_diff_of_blocks_added_removed_and_settings(data):
    old = data.initial.appendix
    block = m.Block("culture", m.Text("Мәдениет", "Культура"), False,
                    (m.Indicator("culture.events", m.Text("Іс-шаралар", "Мероприятия"), "count",
                                 m.Rule("per_unit", 2, 40)),))
    new = m.Criteria(old.source, 4, m.Rewards("main_blocks", 5), old.blocks[1:] + (block,), old.tie_break,
                     old.share_equal_places)
    cd = diff_criteria(old, new)
    blocks = {b.id: b for b in cd.blocks}
    assert blocks["membership"].status == "removed" and blocks["membership"].new_max is None
    assert {i.status for i in blocks["membership"].indicators} == {"removed"}
    assert blocks["culture"].status == "added" and blocks["culture"].new_max == 40
    assert [b.id for b in cd.blocks][0] == "membership"  # a removed block keeps its place
    assert [(s.name, s.old, s.new) for s in cd.settings] == [("prize_places", 3, 4), ("rewards.count", 3, 5)]
    assert not diff_criteria(old, old).changed


def test_block_max_points(data):
    blocks = {b.id: b for b in data.initial.appendix.blocks}
    assert block_max_points(blocks["youth"]) == 300
    assert block_max_points(blocks["legal"]) is None


# ----- whole tokens, phrases, bounded cost (issue 12) ---------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("1 000 және 0,25", ["1 000", " ", "және", " ", "0,25"]),
    ("1\u00a0000\u00a0000,50 теңге", ["1\u00a0000\u00a0000,50", " ", "теңге"]),
    ("4.3-1-тармақпен толықтырылсын", ["4.3-1-тармақпен", " ", "толықтырылсын"]),
    ("пункт 4.3-1.", ["пункт", " ", "4.3-1", "."]),
    ("6.4, 20.02.2026 № 9", ["6.4", ",", " ", "20.02.2026", " ", "№", " ", "9"]),
    ("Ақпараттық-түсіндіру жұмысы", ["Ақпараттық-түсіндіру", " ", "жұмысы"]),
    ("2026 100", ["2026", " ", "100"]),
])
def test_tokens_are_whole(text, expected):
    assert tokens(text) == expected


@pytest.mark.parametrize("old, new, gone, come", [
    ("балл 0,2 за", "балл 0,5 за", "0,2", "0,5"),
    ("по пункту 6.4", "по пункту 6.3", "6.4", "6.3"),
    ("1 000 теңге", "1 500 теңге", "1 000", "1 500"),
    ("4.3-1-тармақпен", "4.3-2-тармақпен", "4.3-1-тармақпен", "4.3-2-тармақпен"),
    ("кестесіне сәйкес", "кестесі сәйкес", "кестесіне", "кестесі"),
])
def test_a_change_highlights_whole_tokens(old, new, gone, come):
    segments = word_diff(old, new)
    assert [s.text for s in segments if s.op == "delete"] == [gone]
    assert [s.text for s in segments if s.op == "insert"] == [come]


def test_a_rewritten_phrase_is_one_deletion_and_one_insertion():
    segments = word_diff("жыл сайын бір рет өткізіледі", "әр тоқсан сайын екі мәрте өткізіледі")
    assert segments == (Segment("delete", "жыл сайын бір рет"), Segment("insert", "әр тоқсан сайын екі мәрте"),
                        Segment("equal", " өткізіледі"))
    # a long equal stretch between two small changes stays equal
    segments = word_diff("бірінші сөз және ұзақ ортақ бөлігі бар сөйлем соңы", "екінші сөз және ұзақ ортақ бөлігі бар "
                         "сөйлем аяғы")
    assert [s.op for s in segments] == ["delete", "insert", "equal", "delete", "insert"]


def test_a_long_rewritten_text_is_diffed_whole_and_exactly():
    import random
    rng = random.Random(12)
    words = [f"сөз{k}" for k in range(400)] + ["және", "мен", "бойынша"] * 50
    old = " ".join(rng.choice(words) for _ in range(3000))
    new = " ".join(w if rng.random() < 0.7 else rng.choice(words) for w in old.split(" "))
    segments = word_diff(old, new)
    assert rebuild(segments, "old") == old and rebuild(segments, "new") == new
    assert any(s.op == "equal" for s in segments)


@pytest.mark.parametrize("size", [2000, 5000, 10000])
def test_a_half_rewritten_long_clause_keeps_its_common_words_at_every_length(size):
    """Issue 12: a clause of 5 000-10 000 words with half its words rewritten is not one deletion and one insertion
    of the whole clause: the words kept are found as at 2 000 words (about half of them: runs of words unique in
    both texts anchor the match when every single word recurs), and the phrases between stay phrases."""
    import random
    rng = random.Random(size)
    words = [stem + suffix for stem in ("мүшелік", "ұйым", "бағалау", "ұпай", "кесте", "тармақ", "жыл", "есеп")
             for suffix in ("", "тың", "ына", "ы", "лар", "мен", "ға", "да", "тан", "ның")] + ["1 000", "0,25", "4.3-1"]
    old_words = [rng.choice(words) for _ in range(size)]
    kept = [rng.random() < 0.5 for _ in old_words]
    old = " ".join(old_words)
    new = " ".join(w if k else rng.choice(words) for w, k in zip(old_words, kept))
    segments = word_diff(old, new)
    assert rebuild(segments, "old") == old and rebuild(segments, "new") == new
    equal = sum(len(s.text) for s in segments if s.op == "equal") / len(old)
    assert equal > 0.15  # after the phrase cleanup, about 0.2 at every length (0.02 at 10 000 before the fix)
    assert len(segments) > size // 20  # many phrases, not one deletion and one insertion


def test_a_text_past_the_limit_is_refused_with_a_message(monkeypatch):
    from regdoc.errors import RegdocError
    from regdoc.versioning import diff

    monkeypatch.setattr(diff, "MAX_TOKENS", 10)
    with pytest.raises(RegdocError, match="too long to compare word by word"):
        word_diff("a " * 6, "b")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["сөз", "0,25", "1 000", "4.3-1", "4.3-1-тармақ", " ", ", ", "\n", "және", "6.4"]),
                max_size=30),
       st.lists(st.sampled_from(["сөз", "0,5", "1 000", "4.3-2", "4.3-1-тармақ", " ", ". ", "\n", "және", "6.3"]),
                max_size=30))
def test_word_diff_changes_cover_whole_tokens(old_parts, new_parts):
    old, new = "".join(old_parts), "".join(new_parts)
    segments = word_diff(old, new)
    assert rebuild(segments, "old") == old and rebuild(segments, "new") == new
    # every boundary between segments of the old text is a boundary between its tokens
    cuts, pos = set(), 0
    for t in tokens(old):
        pos += len(t)
        cuts.add(pos)
    pos = 0
    for s in segments:
        if s.op != "insert":
            pos += len(s.text)
            assert pos in cuts or pos == 0


# ----- issue 17: the word diff kept per pair of texts, equal texts unmatched, matches taken by stretches ----------

from regdoc.versioning import diff  # noqa: E402


def _reference_pieces(a: list[str], b: list[str]) -> list[list]:
    """regdoc.versioning.diff._pieces as it was before issue 17, taking the matches one by one."""
    runs: list[list] = []  # [kind, old tokens, new tokens]
    i = j = 0
    for mi, mj in diff._matches(a, b) + [(len(a), len(b))]:
        for kind, old, new in (("change", a[i:mi], b[j:mj]), ("equal", a[mi:mi + 1], a[mi:mi + 1])):
            if not old and not new:
                continue
            if runs and runs[-1][0] == kind:
                runs[-1][1] += old
                runs[-1][2] += new
            else:
                runs.append([kind, list(old), list(new)])
        i, j = mi + 1, mj + 1
    return diff._tidy(runs)  # the shift and joining of neighbours, shared: the matching is what changed


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["сөз", "0,25", "1 000", "4.3-1", " ", ", ", "\n", "және", "6.4", "a"]), max_size=40),
       st.lists(st.sampled_from(["сөз", "0,5", "1 000", "4.3-1", " ", ". ", "\n", "және", "6.3", "a"]), max_size=40),
       st.booleans())
def test_the_word_diff_is_what_matching_token_by_token_gives(old, new, same):
    old_text, new_text = "".join(old), "".join(old if same else new)
    a, b = diff.tokens(old_text), diff.tokens(new_text)
    assert diff._pieces(a, b) == _reference_pieces(a, b)
    assert word_diff(old_text, new_text) == diff.uncached_word_diff(old_text, new_text)
    if same:  # equal texts are not matched token by token: one equal segment, as matching gives
        assert word_diff(old_text, new_text) == ((diff.Segment("equal", old_text),) if old_text else ())
        pieces = diff._semantic_cleanup(_reference_pieces(a, b))
        assert [p[0] for p in pieces] == (["equal"] if old_text else [])


def test_a_pair_compared_again_is_not_compared_again():
    first = word_diff("бір екі үш төрт", "бір екі бес төрт")
    assert word_diff("бір екі үш төрт", "бір екі бес төрт") is first
    assert diff.uncached_word_diff("бір екі үш төрт", "бір екі бес төрт") == first
