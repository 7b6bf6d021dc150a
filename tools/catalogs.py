"""Keep the interface catalogs of regdoc with Babel: extract, update, compile, check.

    python tools/catalogs.py            # after adding or changing a message: extract the template
                                        # (src/regdoc/locale/regdoc.pot), update kk and ru (new entries empty),
                                        # compile the .mo files. Translate the empty entries, then run it again.
    python tools/catalogs.py --check    # CI (tests/test_i18n.py): fail when the template differs from what the
                                        # code holds, an entry is missing, fuzzy or has other placeholders than
                                        # its source, or a .mo is older than its .po

The same as Babel's command line (babel.cfg is the mapping):
    pybabel extract -F babel.cfg --add-location=file --sort-output -o src/regdoc/locale/regdoc.pot .
    pybabel update -i src/regdoc/locale/regdoc.pot -d src/regdoc/locale -D regdoc --no-fuzzy-matching
    pybabel compile -d src/regdoc/locale -D regdoc
Locations carry the file but not the line, so that the template changes when messages change, not when code moves.
The header dates are fixed for the same reason.
"""
from __future__ import annotations

import argparse
import io
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "regdoc" / "locale"
TEMPLATE = LOCALE / "regdoc.pot"
LANGS = ("kk", "ru")
FIXED_DATE = datetime(2026, 12, 1, tzinfo=timezone.utc)
WIDTH = 100
HEADER = ("# The interface messages of regdoc (English source).\n"
          "# Made by `python tools/catalogs.py`; do not edit by hand.\n#")


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "regdoc.po"


def mo_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "regdoc.mo"


def extract() -> Catalog:
    """Return the template: every message marked in src/regdoc, as babel.cfg maps it."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    catalog = Catalog(project="regdoc", header_comment=HEADER, creation_date=FIXED_DATE,
                      revision_date=FIXED_DATE, charset="utf-8", fuzzy=False)
    for filename, _lineno, message, comments, context in extract_from_dir(
            ROOT, method_map, options_map, comment_tags=("Translators:",), strip_comment_tags=True):
        catalog.add(message, None, [(Path(filename).as_posix(), None)], auto_comments=comments, context=context)
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, sort_output=True, include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def read(lang: str) -> Catalog:
    with open(po_path(lang), "rb") as f:
        return read_po(f, locale=lang, domain="regdoc")


def updated(template: Catalog, lang: str) -> Catalog:
    """Return the catalog of `lang` brought up to `template` (new messages empty, dropped ones removed)."""
    if po_path(lang).exists():
        catalog = read(lang)
    else:
        catalog = Catalog(locale=lang, domain="regdoc", project="regdoc", header_comment=HEADER,
                          creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    catalog.creation_date = FIXED_DATE
    catalog.revision_date = FIXED_DATE
    catalog.fuzzy = False
    return catalog


def update() -> list[str]:
    """Write the template, the updated catalogs and their compiled files; return the problems left (untranslated
    entries to fill in)."""
    template = extract()
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_bytes(po_bytes(template))
    for lang in LANGS:
        catalog = updated(template, lang)
        po_path(lang).parent.mkdir(parents=True, exist_ok=True)
        po_path(lang).write_bytes(po_bytes(catalog))
        mo_path(lang).write_bytes(mo_bytes(read(lang)))
    return problems(template, check_files=False)


_BRACE = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")
_PERCENT = re.compile(r"%(\([A-Za-z_]+\))?[sdrif%]")


def placeholders(text: str) -> list[str]:
    """Return the placeholders of a message ({name} and %(name)s, %s), sorted: the same set must be in a
    translation."""
    return sorted(_BRACE.findall(text)) + sorted(m[0] for m in _PERCENT.finditer(text) if m[0] != "%%")


def problems(template: Catalog | None = None, check_files: bool = True) -> list[str]:
    """Return every problem of the catalogs: template out of date, missing, fuzzy or untranslated entries,
    placeholders that differ from the source, .mo out of date."""
    template = template or extract()
    out = []
    if check_files and (not TEMPLATE.exists() or TEMPLATE.read_bytes() != po_bytes(template)):
        out.append(f"{TEMPLATE.relative_to(ROOT)} differs from the messages in the code: "
                   "run `python tools/catalogs.py` and translate the new entries")
    wanted = {m.id if isinstance(m.id, str) else m.id[0]: m for m in template if m.id}
    for lang in LANGS:
        if not po_path(lang).exists():
            out.append(f"{po_path(lang).relative_to(ROOT)} does not exist: run `python tools/catalogs.py`")
            continue
        catalog = read(lang)
        where = po_path(lang).relative_to(ROOT)
        have = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
        for key in wanted.keys() - have.keys():
            out.append(f"{where}: missing entry {key!r}: run `python tools/catalogs.py`")
        for key, message in have.items():
            if key not in wanted:
                out.append(f"{where}: entry {key!r} is no longer in the code: run `python tools/catalogs.py`")
                continue
            if message.fuzzy:
                out.append(f"{where}: fuzzy entry {key!r}")
            sources = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
            strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
            if not all(strings):
                out.append(f"{where}: untranslated entry {key!r}")
                continue
            if isinstance(message.id, (list, tuple)) and len(strings) != catalog.num_plurals:
                out.append(f"{where}: entry {key!r} has {len(strings)} plural forms, not {catalog.num_plurals}")
            for string in strings:
                if not any(placeholders(string) == placeholders(s) for s in sources):
                    out.append(f"{where}: entry {key!r}: placeholders {placeholders(string)} differ from the "
                               f"source's {placeholders(sources[-1])}")
        if check_files and (not mo_path(lang).exists() or mo_path(lang).read_bytes() != mo_bytes(catalog)):
            out.append(f"{mo_path(lang).relative_to(ROOT)} is not compiled from its .po: run "
                       "`python tools/catalogs.py`")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; change no file")
    args = parser.parse_args(argv)
    found = problems() if args.check else update()
    for problem in found:
        print(problem, file=sys.stderr)
    if not args.check:
        print(f"wrote {TEMPLATE.relative_to(ROOT)} and the kk, ru catalogs; {len(found)} entr"
              f"{'y' if len(found) == 1 else 'ies'} to translate")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
