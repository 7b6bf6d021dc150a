"""regdoc.documents.compiled: a template's compiled code is kept in the cache folder, sealed, and found again by
its text by a later process; a changed, foreign or corrupt entry, another text or autoescape, or a cache turned
off compiles again, and what renders is the same either way."""
from __future__ import annotations

import marshal
import subprocess
import sys
from pathlib import Path

import pytest
from jinja2 import StrictUndefined, TemplateSyntaxError

from regdoc.documents.limits import Sandbox

SOURCE = "{% for p in places %}{{ p.name }} – {{ p.points }}; {% endfor %}{{ title | upper }}"
CONTEXT = {"places": [{"name": "A & B", "points": "80,161"}, {"name": "<C>", "points": "7"}], "title": "ұпай"}
RENDERED = "A &amp; B – 80,161; &lt;C&gt; – 7; ҰПАЙ"


def entries(folder: Path) -> list[Path]:
    return sorted((folder / "compiled").rglob("*.marshal"))


class Counting(Sandbox):
    """A new environment, as in a new process: nothing compiled in memory; counts what it compiles."""

    def __init__(self, **options):
        super().__init__(**{"autoescape": True, "undefined": StrictUndefined, **options})
        self.compiled_texts = 0

    def compile(self, source, *args, **kwargs):
        self.compiled_texts += 1
        return super().compile(source, *args, **kwargs)


def render(env: Sandbox, source: str = SOURCE) -> str:
    return env.from_string(source).render(CONTEXT)


def test_a_text_compiled_once_is_found_again_by_a_later_environment(cache_folder):
    first = Counting()
    assert render(first) == RENDERED and first.compiled_texts == 1
    assert len(entries(cache_folder)) == 1
    later = Counting()
    assert render(later) == RENDERED and later.compiled_texts == 0
    assert render(later) == RENDERED and later.compiled_texts == 0  # and then from memory


def test_another_text_or_autoescape_is_compiled_on_its_own(cache_folder):
    render(Counting())
    other = Counting()
    assert render(other, SOURCE + " ") == RENDERED + " " and other.compiled_texts == 1
    raw = Counting(autoescape=False)
    assert render(raw) == "A & B – 80,161; <C> – 7; ҰПАЙ" and raw.compiled_texts == 1
    assert len(entries(cache_folder)) == 3


@pytest.mark.parametrize("spoil", [
    lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # a changed byte of the code
    lambda data: bytes([data[0] ^ 1]) + data[1:],  # a changed byte of the seal
    lambda data: data[:40],  # truncated
    lambda data: b"",
], ids=["code", "seal", "truncated", "empty"])
def test_a_spoiled_entry_is_ignored_and_replaced(cache_folder, spoil):
    render(Counting())
    (entry,) = entries(cache_folder)
    entry.write_bytes(spoil(entry.read_bytes()))
    again = Counting()
    assert render(again) == RENDERED and again.compiled_texts == 1
    assert render(Counting()) == RENDERED
    follow = Counting()
    assert render(follow) == RENDERED and follow.compiled_texts == 0  # the entry was written anew


def test_an_entry_sealed_with_another_secret_is_not_run(cache_folder):
    """Code is run when it is loaded: an entry made elsewhere (another account's or machine's secret) is never
    loaded, even when it is a well-formed entry for the same key."""
    render(Counting())
    (entry,) = entries(cache_folder)
    secret = cache_folder / "snapshots" / "secret"
    secret.write_bytes(bytes(32))  # the folder's secret is now another one
    again = Counting()
    assert render(again) == RENDERED and again.compiled_texts == 1


def test_authentic_bytes_that_are_not_code_are_compiled_again(cache_folder):
    from regdoc.tree.snapshot import write_sealed

    render(Counting())
    (entry,) = entries(cache_folder)
    write_sealed(cache_folder, entry, marshal.dumps(("not", "code")))
    again = Counting()
    assert render(again) == RENDERED and again.compiled_texts == 1


def test_a_cache_turned_off_keeps_nothing(cache_folder, monkeypatch):
    monkeypatch.setenv("REGDOC_CACHE", "off")
    first, later = Counting(), Counting()
    assert render(first) == RENDERED and render(later) == RENDERED
    assert (first.compiled_texts, later.compiled_texts) == (1, 1)
    assert not (cache_folder / "compiled").exists()


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("REGDOC_CACHE_DIR", str(blocked))
    first = Counting()
    assert render(first) == RENDERED and first.compiled_texts == 1


def test_a_syntax_error_is_raised_and_nothing_kept(cache_folder):
    with pytest.raises(TemplateSyntaxError):
        Counting().from_string("{% for x in %}")
    assert entries(cache_folder) == []


def test_the_key_holds_regdoc_s_code_and_jinja_s_version(cache_folder, monkeypatch):
    import jinja2

    from regdoc.tree import snapshot

    render(Counting())
    monkeypatch.setattr(snapshot, "code_digest", lambda: b"other code")
    other = Counting()
    assert render(other) == RENDERED and other.compiled_texts == 1
    monkeypatch.setattr(jinja2, "__version__", "0.0")
    other = Counting()
    assert render(other) == RENDERED and other.compiled_texts == 1
    assert len(entries(cache_folder)) == 3


def test_a_build_renders_the_same_bytes_with_and_without_the_kept_code(tmp_path, cache_folder):
    """A build that compiles its templates and one that loads them from the cache write the same documents."""
    root = Path(__file__).resolve().parents[1]
    shown, kept = [], []
    for run in range(2):
        out = tmp_path / f"out-{run}"
        out.mkdir()
        done = subprocess.run([sys.executable, "-m", "regdoc", "--ui-lang", "en", "build", "--root", str(root),
                               "--out", str(out)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        shown.append(sorted((p.relative_to(out), p.read_bytes()) for p in out.rglob("*") if p.is_file()))
        kept.append({p: p.stat().st_ino for p in entries(cache_folder)})
    assert kept[0] and kept[1] == kept[0]  # the first build kept the compiled code, the second wrote none anew
    assert shown[0] == shown[1]
