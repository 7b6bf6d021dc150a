"""The interface language: gettext for every user-facing message of the CLI and the browser.

`_("text")` translates a message into the interface language of the current context, and `ngettext(singular,
plural, n)` chooses its plural form. Messages are written in English in the code (the source language); the
catalogs live in regdoc/locale/<lang>/LC_MESSAGES/regdoc.mo (compiled from the .po beside them by
`python tools/catalogs.py`, shipped as package data). The interface language is separate from the documents'
language (`--lang`).

The language is held per context (a ContextVar): the CLI activates one for the whole run, the browser workspace
one per request (`activate(lang)` or `with using(lang): ...`).
"""
from __future__ import annotations

import gettext as _gettext
from contextlib import contextmanager
from contextvars import ContextVar, Token
from pathlib import Path
from typing import Iterator, Mapping

LANGUAGES = ("kk", "ru", "en")  # the interface languages; English is the source
SOURCE = "en"
DOMAIN = "regdoc"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ENV = "REGDOC_UI_LANG"
LOCALE_ENV = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX precedence: the first one set decides

_ENGLISH = _gettext.NullTranslations()
_current: ContextVar[_gettext.NullTranslations] = ContextVar("regdoc_translations", default=_ENGLISH)
_current_lang: ContextVar[str] = ContextVar("regdoc_ui_lang", default=SOURCE)
_loaded: dict[str, _gettext.NullTranslations] = {SOURCE: _ENGLISH}


def _(message: str) -> str:
    """Return `message` in the interface language of the current context."""
    return _current.get().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the form of a message for the count `n` in the interface language of the current context."""
    return _current.get().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for the catalogs without translating it now (a constant translated where it is used)."""
    return message


def translations(lang: str) -> _gettext.NullTranslations:
    """Return the catalog of interface language `lang` (read once per process)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown interface language {lang!r}; known: {', '.join(LANGUAGES)}")
    if lang not in _loaded:
        with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as f:
            _loaded[lang] = _gettext.GNUTranslations(f)
    return _loaded[lang]


def activate(lang: str) -> Token:
    """Make `lang` the interface language of the current context; return the token that `deactivate` takes."""
    token = _current.set(translations(lang))
    _current_lang.set(lang)
    return token


def deactivate(token: Token) -> None:
    """Restore the interface language that was in force before `activate` returned `token`."""
    _current.reset(token)
    _current_lang.set(next((k for k, v in _loaded.items() if v is _current.get()), SOURCE))


@contextmanager
def using(lang: str) -> Iterator[str]:
    """Run a block with `lang` as the interface language of the current context."""
    token = activate(lang)
    try:
        yield lang
    finally:
        deactivate(token)


def current() -> str:
    """Return the interface language of the current context (kk, ru or en)."""
    return _current_lang.get()


def from_locale(value: str) -> str | None:
    """Return the interface language of a POSIX locale name (kk_KZ.UTF-8 -> kk, ru_RU -> ru, en_US -> en), or None
    for a locale with no catalog (C, POSIX, de_DE ...)."""
    code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
    return code if code in LANGUAGES else None


def choose(option: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Return the interface language: the `option` (--ui-lang), else REGDOC_UI_LANG, else the locale (LC_ALL,
    LC_MESSAGES, LANG: the first one set), else English. Raise ValueError for an option or REGDOC_UI_LANG that is
    not a known language (a locale with no catalog only falls back to English)."""
    import os

    environ = os.environ if environ is None else environ
    if option is not None:
        if option not in LANGUAGES:
            raise ValueError(option)
        return option
    value = environ.get(ENV)
    if value:
        if value not in LANGUAGES:
            raise ValueError(value)
        return value
    for name in LOCALE_ENV:
        value = environ.get(name)
        if value:
            return from_locale(value) or SOURCE
    return SOURCE
