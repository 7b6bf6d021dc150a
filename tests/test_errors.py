"""Error messages print as one line and as they read: controls, invisible and direction characters escaped."""
from __future__ import annotations

import pytest

from regdoc.errors import Problem, RegdocError, printable


@pytest.mark.parametrize("text, shown", [
    ("4.2\u202e", "4.2\\u202e"),            # a right-to-left override would turn the rest of the line around
    ("a\u200fb", "a\\u200fb"),              # a right-to-left mark
    ("\x1b[31mred", "\\x1b[31mred"),        # a terminal escape would colour (or clear) the terminal
    ("one\ntwo", "one\\x0atwo"),            # a line break would split the one line
    ("tab\there", "tab\\x09here"),
    ("\udcff", "\\udcff"),                  # an undecodable byte of an argument
    ("zero\u200bwidth", "zero\\u200bwidth"),
    ("Қазақ «№ 9» & <w:p> {{ x }}", "Қазақ «№ 9» & <w:p> {{ x }}"),  # text as it is
])
def test_printable(text, shown):
    assert printable(text) == shown


def test_errors_and_problems_print_one_clean_line():
    err = RegdocError("unit '4.2\u202e' is in no edition", "f\n.yaml", 3, "ops[0].target")
    assert str(err) == "f\\x0a.yaml:3: ops[0].target: unit '4.2\\u202e' is in no edition"
    assert str(Problem.from_error(err)) == "f\\x0a.yaml:3: ops[0].target: error: unit '4.2\\u202e' is in no edition"
    assert err.message == "unit '4.2\u202e' is in no edition"  # the message itself keeps the text as given
