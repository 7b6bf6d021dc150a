"""The interface language of a request: the `regdoc_lang` cookie, else the browser's Accept-Language, else
Kazakh. The documents' language (kk, ru, both) is separate and chosen on each page that shows them."""
from __future__ import annotations

import gettext
from typing import Optional

from regdoc import i18n

LANGUAGES = ("kk", "ru", "en")
NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
COOKIE = "regdoc_lang"
DEFAULT = "kk"


def from_accept_language(header: Optional[str]) -> Optional[str]:
    """Return the first of LANGUAGES the Accept-Language header prefers (by q), or None."""
    if not header:
        return None
    choices = []
    for i, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        base = tag.strip().lower().split("-")[0]
        if base in LANGUAGES and q > 0:
            choices.append((-q, i, base))
    return min(choices)[2] if choices else None


def choose(cookie: Optional[str], accept_language: Optional[str]) -> str:
    """Return the interface language of a request."""
    if cookie in LANGUAGES:
        return cookie
    return from_accept_language(accept_language) or DEFAULT


def activate(lang: str) -> None:
    """Make `lang` the interface language of the current context (the catalogs of regdoc.i18n)."""
    activate_in_i18n = getattr(i18n, "activate", None)
    if activate_in_i18n is not None:
        activate_in_i18n(lang)
        return
    # Until the catalogs exist: the messages stay in English (the source language).
    i18n._current.set(gettext.NullTranslations())
