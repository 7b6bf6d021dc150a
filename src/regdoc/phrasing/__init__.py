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


# keys of a document's context that hold no text to print: ids that align two editions, switches of the layout
NOT_TEXT = frozenset({"id", "block_id", "kind", "lang", "block"})


def typeset(value, lang: str):
    """Return a document's context `value` (dicts, lists and tuples of strings) with every string typeset by the
    rules of `lang` (`typeset` of kk.py or ru.py: no-break spaces and hyphens), keys in NOT_TEXT left as they
    are; values of other types are returned unchanged."""
    rules = for_lang(lang).typeset
    done: dict[str, str] = {}  # each distinct text typeset once (a results table repeats its places and points)

    get = done.get

    def walk(item):
        if isinstance(item, str):
            found = get(item)
            if found is None:
                found = done[item] = rules(item)
            return found
        if isinstance(item, dict):
            return {k: v if k in NOT_TEXT else walk(v) for k, v in item.items()}
        if isinstance(item, list):  # (a text met before without a call: a results table's columns of numbers)
            return [found if type(v) is str and (found := get(v)) is not None else walk(v) for v in item]
        if isinstance(item, tuple):
            return tuple(walk(v) for v in item)
        return item

    return walk(value)
