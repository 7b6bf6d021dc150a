"""The interface language: gettext for every user-facing message of the CLI and the browser.

`_("text")` translates a message into the interface language of the current context, and `ngettext(singular,
plural, n)` chooses its plural form. Messages are written in English in the code (the source language); the
catalogs live in regdoc/locale. The interface language is separate from the documents' language (`--lang`).
"""
from __future__ import annotations

import gettext as _gettext
from contextvars import ContextVar

_current: ContextVar[_gettext.NullTranslations] = ContextVar("regdoc_translations",
                                                             default=_gettext.NullTranslations())


def _(message: str) -> str:
    """Return `message` in the interface language of the current context."""
    return _current.get().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the form of a message for the count `n` in the interface language of the current context."""
    return _current.get().ngettext(singular, plural, n)
