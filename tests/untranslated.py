"""Find English left in a line that regdoc shows in Kazakh or Russian.

A Kazakh or Russian message keeps, as they are, its place (file:line: key), the data it quotes ('x', «x», "x",
`x`), file names and paths, ids and numbers, option names (--lang) and command names. What is left must hold no
English: `english(line)` returns the English words found there (an empty list for a good line). Two kinds are
found: a common English word (is, not, the, of, must, ...) anywhere, and a run of two or more Latin-only words.
"""
from __future__ import annotations

import re

# The place a message starts with: a file (and line), then keys, each followed by ": ".
_PLACE = re.compile(r"^(?:regdoc(?: [a-z-]+)*: )?(?:\S+\.(?:yaml|yml|csv|xlsx|docx|json|txt|pdf|md|html)"
                    r"(?::\d+)?: )?(?:(?!(?:error|warning): )[A-Za-z0-9_.\[\]-]+: (?=\S))*")
_QUOTED = re.compile(r"(?<!\w)'[^']*'(?!\w)|«[^»]*»|\"[^\"]*\"|`[^`]*`|\{[^}]*\}")
# A list of names (allowed values, ids, keys): two or more words joined by commas.
_LIST = re.compile(r"[\w.-]+(?:, [\w.-]+)+")
# Tokens that are names, not words: options, paths, file names, ids, keys with _ or digits, placeholders, URLs.
_NAME = re.compile(r"^(?:--?[\w-]+(?:=\S*)?|\S*[/\\]\S*|\S*\.\w{2,4}|\S*[\d_=<>@#$%&*+]\S*|[A-Z]+s?|\w+://\S+)$")
_LATIN_WORD = re.compile(r"^[A-Za-z]+(?:'[a-z]+)?$")
# Names that stand as they are in every language: programs, formats, command and key names of regdoc.
NAMES = {
    "regdoc", "LibreOffice", "soffice", "Word", "Excel", "Jinja", "docxtpl", "Python", "Debian", "apt-get",
    "Playwright", "chromium", "Chromium", "YAML", "JSON", "CSV", "PDF", "TODO", "git", "Git", "UTF-8",
    "check", "build", "render", "score", "templates", "serve", "history", "compare", "diff", "new", "amend",
    "resolution", "resolutions", "regulation", "versions", "evaluation", "evaluations", "organisations",
    "kk", "ru", "en", "both", "all", "yes_no", "xlsx", "csv", "docx", "pdf", "md", "html", "text", "json",
}
# Common English words: one of these in a Kazakh or Russian line is English left untranslated.
STOP = set("""a an the is are was were be been being not no nor of in on at to from by for with without and or but
if then than that this these those it its as into onto out over under after before between which who whom whose
what when where while must may can cannot could should would will shall has have had do does did done there here
only also each every any some more most less none one two three found given used use write give name names say
missing unknown invalid expected empty already exists exist error errors warning warnings file files line row
column value values key keys number date year known choose instead wrong too long large small""".split())


def english(line: str) -> list[str]:
    """Return the English words in the message part of `line` (nothing for a place, quotes, names, ids)."""
    text = _PLACE.sub("", line.strip(), count=1)
    text = _LIST.sub(" ", _QUOTED.sub(" ", text))
    tokens = [t.strip(".,;:!?()[]") for t in text.split()]
    found: list[str] = []
    run: list[str] = []
    for token in tokens + [""]:
        latin = bool(token) and bool(_LATIN_WORD.match(token)) and not _NAME.match(token) and token not in NAMES
        if latin and token.lower() in STOP:
            found.append(token)
        if latin:
            run.append(token)
            continue
        if len(run) >= 2:
            found.extend(w for w in run if w not in found)
        run = []
    return found
