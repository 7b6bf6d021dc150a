"""The interface language (regdoc.i18n) and its catalogs: complete, current, compiled, shipped; the choice of
language; argparse's own messages; --help of every command in every language."""
from __future__ import annotations

import ast
import importlib.util
import re
import threading
import tomllib
from fnmatch import fnmatch

import pytest
from datatree import REPO
from untranslated import english

from regdoc import i18n
from regdoc.cli import build_parser, main
from regdoc.cli import argparse_i18n
from regdoc.i18n import _, ngettext

SRC = REPO / "src" / "regdoc"


def _tool():
    spec = importlib.util.spec_from_file_location("catalogs", REPO / "tools" / "catalogs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


catalogs = _tool()


@pytest.fixture(scope="module")
def extracted():
    """The messages marked in the code (tools/catalogs.py's extract, about 0.5 s), taken once for the tests that
    check the catalogs against them (catalogs.problems reads it, never changes it)."""
    return catalogs.extract()


def test_catalogs_are_current_complete_and_compiled(extracted):
    """The template equals what the code holds; every entry of kk and ru is translated, not fuzzy, with the
    placeholders of its source; each .mo is compiled from its .po. The fix: `python tools/catalogs.py`, then
    translate the entries it reports."""
    assert catalogs.problems(extracted) == []


@pytest.mark.parametrize("text, expected", [
    ("'{value}' is not a date", ["value"]),
    ("{{literal}} and {a} {b}", ["a", "b"]),
    ("%(prog)s: error: %(message)s\n", ["%(message)s", "%(prog)s"]),
    ("unrecognized arguments: %s", ["%s"]),
])
def test_placeholders(text, expected):
    assert catalogs.placeholders(text) == expected


def test_the_checker_finds_a_changed_placeholder(monkeypatch, extracted):
    """A translation that renames a placeholder is reported (the check itself can fail)."""
    original = catalogs.read

    def broken(lang):
        catalog = original(lang)
        message = catalog["'{value}' is not a date"]
        message.string = message.string.replace("{value}", "{valeur}")
        return catalog

    monkeypatch.setattr(catalogs, "read", broken)
    found = catalogs.problems(extracted)
    assert any("placeholders" in p and "'{value}' is not a date" in p for p in found), found


def test_compiled_catalogs_ship_as_package_data():
    """`pip install .` takes the .mo files: the package data patterns of pyproject.toml match every one."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["regdoc"]
    for lang in ("kk", "ru"):
        rel = (SRC / "locale" / lang / "LC_MESSAGES" / "regdoc.mo").relative_to(SRC).as_posix()
        assert any(fnmatch(rel, p) for p in patterns), (rel, patterns)
        assert (SRC / rel).stat().st_size > 1000


def test_translations_and_plural_forms():
    with i18n.using("ru"):
        assert _("error") == "ошибка"
        assert [ngettext("{count} error", "{count} errors", n).format(count=n) for n in (1, 3, 5, 21)] == [
            "1 ошибка", "3 ошибки", "5 ошибок", "21 ошибка"]
    with i18n.using("kk"):
        assert _("error") == "қате"
        assert ngettext("{count} error", "{count} errors", 5).format(count=5) == "5 қате"
    assert _("error") == "error" and i18n.current() == "en"


def test_language_is_per_context():
    """The browser workspace serves requests in several languages at once: each thread keeps its own."""
    seen = {}
    barrier = threading.Barrier(3)

    def serve(lang):
        i18n.activate(lang)
        barrier.wait()
        seen[lang] = (_("error"), i18n.current())

    threads = [threading.Thread(target=serve, args=(lang,)) for lang in i18n.LANGUAGES]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"kk": ("қате", "kk"), "ru": ("ошибка", "ru"), "en": ("error", "en")}
    assert i18n.current() == "en"


@pytest.mark.parametrize("option, environ, expected", [
    ("kk", {"REGDOC_UI_LANG": "ru", "LANG": "ru_RU.UTF-8"}, "kk"),
    (None, {"REGDOC_UI_LANG": "ru", "LANG": "kk_KZ.UTF-8"}, "ru"),
    (None, {"LANG": "kk_KZ.UTF-8"}, "kk"),
    (None, {"LANG": "ru_KZ.UTF-8"}, "ru"),
    (None, {"LC_MESSAGES": "ru_RU", "LANG": "kk_KZ.UTF-8"}, "ru"),
    (None, {"LC_ALL": "kk_KZ", "LC_MESSAGES": "ru_RU"}, "kk"),
    (None, {"LC_ALL": "C.UTF-8", "LANG": "ru_RU.UTF-8"}, "en"),  # LC_ALL set decides, even for English
    (None, {"LANG": "de_DE.UTF-8"}, "en"),
    (None, {"LANG": "ru@latin"}, "ru"),
    (None, {}, "en"),
    (None, {"REGDOC_UI_LANG": ""}, "en"),
])
def test_choice_of_language(option, environ, expected):
    assert i18n.choose(option, environ) == expected


@pytest.mark.parametrize("option, environ", [("de", {}), (None, {"REGDOC_UI_LANG": "kz"})])
def test_unknown_language_is_refused(option, environ):
    with pytest.raises(ValueError):
        i18n.choose(option, environ)


def test_ui_lang_anywhere_and_from_the_environment(repo, capsys, monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("REGDOC_UI_LANG", "ru")
    assert main(["check", "--root", str(repo)]) == 0
    assert "корректно (0 ошибок, 2 предупреждения)" in capsys.readouterr().err
    assert main(["check", "--ui-lang", "kk", "--root", str(repo)]) == 0
    assert "жарамды (0 қате, 2 ескерту)" in capsys.readouterr().err
    assert main(["--ui-lang=en", "check", "--root", str(repo)]) == 0
    assert "valid (0 errors, 2 warnings)" in capsys.readouterr().err
    assert i18n.current() == "en"  # main leaves the language of its caller as it was


@pytest.mark.parametrize("argv, env, expected", [
    (["--ui-lang", "de", "check"], {}, "argument --ui-lang: invalid choice: 'de' (choose from 'kk', 'ru', 'en')"),
    (["check", "--ui-lang"], {}, "argument --ui-lang: expected one argument"),
    (["check"], {"REGDOC_UI_LANG": "kz"}, "REGDOC_UI_LANG='kz' is not an interface language (choose from kk, ru, en)"),
])
def test_bad_ui_lang_is_a_usage_error(argv, env, expected, capsys, monkeypatch):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == "regdoc: error: " + expected


def test_argparse_messages_are_translated(capsys):
    with pytest.raises(SystemExit):
        main(["--ui-lang", "ru", "check", "--no-such-option"])
    err = capsys.readouterr().err
    assert err.startswith("использование: regdoc") and "regdoc: ошибка: нераспознанные аргументы: --no-such-option" in err
    with pytest.raises(SystemExit):
        main(["--ui-lang", "kk", "score"])
    assert "regdoc score: қате: мына аргументтер міндетті: YEAR" in capsys.readouterr().err


def test_every_user_facing_argparse_message_is_in_the_catalogs():
    """The running Python's argparse asks for no message that regdoc's list lacks (a new Python may add some)."""
    import argparse

    from babel.messages.extract import extract_python

    listed = set(argparse_i18n.MESSAGES) | set(argparse_i18n.DEVELOPER)
    with open(argparse.__file__, "rb") as f:
        found = {msg if isinstance(msg, str) else msg[0] for _line, _func, msg, _c in
                 extract_python(f, {"_": None, "ngettext": (1, 2)}, [], {}) if msg and msg[0] is not None}
    assert found - listed - {"expected %s argument"} == set()
    assert argparse_i18n.expected_arguments(2) == "expected 2 arguments"


def commands(parser, words=()):
    """Yield the words of every command and subcommand of `parser`."""
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield words + (name,)
                yield from commands(sub, words + (name,))


COMMANDS = [()] + sorted(commands(build_parser()))


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_help_of_every_command_renders_in_each_language(lang, capsys):
    for words in COMMANDS:
        with pytest.raises(SystemExit) as exit_:
            main(["--ui-lang", lang, *words, "--help"])
        assert exit_.value.code == 0
        out = capsys.readouterr().out
        usage = {"en": "usage: ", "kk": "қолданылуы: ", "ru": "использование: "}[lang]
        assert out.startswith(usage + "regdoc"), (words, out[:200])
        if lang != "en":
            # no English help sentence left: the words of the English help that are not also in the translation
            # are only option names, metavars, choices and file names
            assert "show this help message and exit" not in out and "positional arguments" not in out, words
            assert re.search("[а-яәіңғүұқөһ]{4}", out), words
            # no English word left: only option names, metavars, choices, file names and command names
            left = [(line, found) for line in out.splitlines()
                    if (found := [w for w in english(line) if w not in COMMAND_WORDS])]
            assert not left, (lang, words, left)


COMMAND_WORDS = {word for words in COMMANDS for word in words}


def test_the_help_check_finds_english():
    """The check of --help above fails on a help sentence left in English (e.g. a help text built before the
    interface language was chosen), and passes the Kazakh one."""
    line = "  --csv-dialect {plain,excel}  with --format csv: plain (default; comma-separated, decimal point)"
    assert {"with", "default", "point"} <= set(english(line))
    assert english("  --csv-dialect {plain,excel}  --format csv кезінде: plain (әдепкі; үтірмен бөлінген)") == []


def _own_nodes(function):
    """The nodes of a function outside its comprehensions and nested functions (its own scope)."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.FunctionDef,
                             ast.AsyncFunctionDef, ast.Lambda)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: p.relative_to(SRC).as_posix())
def test_no_function_hides_the_translation_function(path):
    """`_` as a throwaway name (`for _ in ...`, `a, _ = ...`) inside a function makes `_("...")` in that function
    an UnboundLocalError: an internal error instead of the message."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # A function's stores of `_` and its calls of `_` are among the file's: where the file lacks either, no function
    # can have both. One pass over the file settles it for most files (93 of 100), instead of walking every function
    # again (each nested function as often as it is nested).
    stored = called = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            stored = stored or (node.id == "_" and isinstance(node.ctx, ast.Store))
        elif isinstance(node, ast.Call):
            called = called or (isinstance(node.func, ast.Name) and node.func.id == "_")
    if not (stored and called):
        return
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        own = list(_own_nodes(function))
        stores = [n for n in own if isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)]
        calls = [n for n in ast.walk(function) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                 and n.func.id == "_"]
        assert not (stores and calls), f"{path.name}:{stores[0].lineno}: `_` assigned in {function.name}()"


def test_schema_descriptions_that_messages_quote_are_in_the_catalogs():
    """A pattern's or format's description ends a message ("'x' is not valid: <description>"): the list that puts
    them in the catalogs is the schemas' own."""
    import json

    from regdoc.data.schemas import DESCRIPTIONS

    found = set()

    def walk(node):
        if isinstance(node, dict):
            if ("pattern" in node or "format" in node) and "description" in node:
                found.add(node["description"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in (SRC / "data" / "schemas").glob("*.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    assert found == set(DESCRIPTIONS)
