"""Language rules, one module per language: dates, numbers, ordinals, identifiers, and the phrasing of
amendments and notes. Templates and other modules ask here; they hold no grammar of their own.

`for_lang("kk")` returns the Kazakh module, `for_lang("ru")` the Russian one; both expose the same functions.
"""
from __future__ import annotations

from types import ModuleType

from regdoc.data.model import LANGS


def for_lang(lang: str) -> ModuleType:
    """Return the phrasing module of `lang` ('kk' or 'ru')."""
    if lang == "kk":
        from regdoc.phrasing import kk
        return kk
    if lang == "ru":
        from regdoc.phrasing import ru
        return ru
    raise ValueError(f"unknown language '{lang}'; regdoc writes {', '.join(LANGS)}")
