"""Suggest the nearest allowed name for a mistyped one."""
from __future__ import annotations

import difflib
from typing import Iterable


def nearest(word: str, allowed: Iterable[str]) -> str:
    """Return "; did you mean 'x'?" for the closest allowed name, or an empty string."""
    close = difflib.get_close_matches(str(word), [str(a) for a in allowed], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
