"""regdoc.kept: what a process keeps of work asked for again, bounded in number and size, least recently used
dropped first."""
from __future__ import annotations

import threading

import pytest

from regdoc.kept import Kept


def weigh(key: str, value: str) -> int:
    return len(key) + len(value)


def test_the_least_recently_used_go_first_past_the_number_of_entries():
    kept = Kept(2)
    kept.keep("a", 1)
    kept.keep("b", 2)
    assert kept.get("a") == 1  # used: "b" is now the least recently used
    kept.keep("c", 3)
    assert ("a" in kept, "b" in kept, "c" in kept) == (True, False, True) and len(kept) == 2
    assert kept.get("b") is None and kept.get("b", "none") == "none"


def test_the_size_bound_counts_what_is_kept_and_drops_the_oldest():
    kept = Kept(size=10, weigh=weigh)
    assert kept.keep("abc", "de") == "de"  # 5
    kept.keep("fgh", "i")  # 4: 9 in all
    assert kept.held == 9 and len(kept) == 2
    kept.keep("jk", "l")  # 3 more: "abc" goes (12 > 10)
    assert "abc" not in kept and kept.held == 7
    kept.keep("fgh", "ijkl")  # kept again under its key: counted once, with its new weight
    assert kept.get("fgh") == "ijkl" and kept.held == 10


def test_what_alone_passes_the_bound_is_not_kept_and_drops_nothing():
    kept = Kept(size=10, weigh=weigh)
    kept.keep("ab", "c")
    kept.keep("a" * 11, "")
    assert "a" * 11 not in kept and kept.get("ab") == "c" and kept.held == 3
    pages = Kept(10, size=100, weigh=weigh, largest=25)  # a tighter bound for one value
    pages.keep("p", "x" * 30)
    assert "p" not in pages and not pages


def test_nothing_is_kept_with_a_bound_of_zero_and_clear_forgets_everything():
    for kept in (Kept(0), Kept(size=0, weigh=weigh)):
        kept.keep("a", "b")
        assert not kept and kept.held == 0
    kept = Kept(5, size=100, weigh=weigh)
    kept.keep("a", "b")
    kept.clear()
    assert not kept and kept.held == 0 and kept.get("a") is None


def test_a_size_bound_needs_a_weigh_function():
    with pytest.raises(TypeError):
        Kept(size=10)


def test_threads_keeping_and_reading_at_once_leave_it_within_its_bounds():
    kept = Kept(50, size=400, weigh=weigh)

    def work(n: int) -> None:
        for i in range(2000):
            kept.keep(f"{n}-{i % 80}", "x" * (i % 9))
            kept.get(f"{(n + 1) % 4}-{i % 80}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    held = sum(weigh(k, kept.get(k)) for k in [f"{n}-{i}" for n in range(4) for i in range(80)] if k in kept)
    assert len(kept) <= 50 and kept.held == held <= 400
