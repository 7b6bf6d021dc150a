"""The bounds on rendering a template: the sandbox refuses huge repetitions, powers, widths and filter
arguments; a document renders within a time and a memory budget; ordinary templates are unaffected."""
from __future__ import annotations

import resource
from datetime import date
from pathlib import Path

import pytest
from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError
from render_helpers import body_text, make_template

from regdoc.documents.limits import MAX_ITEMS, MAX_WIDTH, RenderBudgetExceeded, Sandbox, budget
from regdoc.documents.writer import DocProps, render_docx
from regdoc.errors import RegdocError

PROPS = DocProps("t", "a", date(2026, 2, 20), "kk")


def render(source: str, **context) -> str:
    return Sandbox(autoescape=True, undefined=StrictUndefined).from_string(source).render(**context)


@pytest.mark.parametrize("source", [
    "{{ 'x' * 10**9 }}", "{{ 10**9 * 'x' }}", "{{ [1] * 10**9 }}",
    "{{ ('a' * 600000) + ('b' * 600000) }}",
    "{{ 3 ** 100000 }}", "{{ 2.5 ** 1000000 }}",
    "{{ '%0999999999d' % 1 }}", "{{ '{:>999999999}'.format(1) }}", "{{ '{0:>999999999}'.format_map({}) }}",
    "{{ '%0999999999d'|format(1) }}", "{{ 'a'|center(10**9) }}", "{{ 'a'|indent(10**9) }}",
    "{{ 'a b'|wordwrap(10**9) }}", "{{ [1, 2]|batch(10**8)|list }}", "{{ [1, 2]|slice(10**8)|list }}",
    "{{ ''.__class__.__mro__ }}", "{% for i in range(10**6) %}{% endfor %}",
])
def test_a_bomb_in_a_template_is_refused_by_the_sandbox(source):
    with pytest.raises((SecurityError, OverflowError)):
        render(source)


def test_lipsum_is_not_available():
    with pytest.raises(Exception, match="lipsum"):
        render("{{ lipsum(10**6) }}")


def test_ordinary_templates_are_unaffected():
    assert render("{{ 'ab' * 3 }}|{{ 2 ** 10 }}|{{ '%5d' % 42 }}|{{ '{:>4}'.format(7) }}|{{ 'ab'|center(6) }}|"
                  "{{ [1, 2, 3]|batch(2)|list }}|{{ x|format(5) }}", x="%d%%") == \
        "ababab|1024|   42|   7|  ab  |[[1, 2], [3]]|5%"
    assert len(render("{{ 'x' * n }}", n=MAX_ITEMS)) == MAX_ITEMS
    assert render("{{ 'a'|center(w)|length }}", w=MAX_WIDTH) == str(MAX_WIDTH)


def test_time_budget():
    with pytest.raises(RenderBudgetExceeded, match="longer than 0.3 s"):
        with budget(seconds=0.3):
            render("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")


def test_memory_budget_and_the_limit_restored():
    before = resource.getrlimit(resource.RLIMIT_AS)
    with pytest.raises(MemoryError):
        with budget(memory=256 * 1024 ** 2):
            render("{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
                   "{{ ns.s|length }}")
    assert resource.getrlimit(resource.RLIMIT_AS) == before


@pytest.mark.parametrize("when", ["armed", "cleared"])
def test_an_alarm_at_the_budget_s_start_or_end_leaves_the_handler_and_the_limit_as_they_were(monkeypatch, when):
    """The alarm fires as soon as it is set (a tiny budget on a loaded machine), or just as the block ends, before
    it is cleared: the budget's error, and SIGALRM's handler and the memory limit given back all the same."""
    import signal

    real = signal.setitimer

    def setitimer(which, seconds, *interval):
        if (seconds > 0) == (when == "armed"):  # the (one-shot) alarm goes off at this very call: none is left
            real(which, 0)
            signal.getsignal(signal.SIGALRM)(signal.SIGALRM, None)
        return real(which, seconds, *interval)

    handler, limit = signal.getsignal(signal.SIGALRM), resource.getrlimit(resource.RLIMIT_AS)
    monkeypatch.setattr(signal, "setitimer", setitimer)
    ran = []
    with pytest.raises(RenderBudgetExceeded, match="longer than 5 s"):
        with budget(seconds=5, memory=1024 ** 3):
            ran.append(True)
    assert ran == ([True] if when == "cleared" else [])
    assert signal.getsignal(signal.SIGALRM) is handler and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    assert resource.getrlimit(resource.RLIMIT_AS) == limit


@pytest.mark.parametrize("source, words", [
    ("{{ 'x' * 10**9 }}", "refused by the template sandbox: a repeated text or list is larger than templates may"),
    ("{% for i in range(10**8) %}{% endfor %}", "refused by the template sandbox: «Range too big"),
    ("{{ 1 / 0 }}", "template error: ZeroDivisionError"),
    ("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", "expressions nested too deep"),
])
def test_render_docx_turns_every_failure_into_one_error(tmp_path: Path, source, words):
    template = make_template(tmp_path / "t.docx", [source])
    with pytest.raises(RegdocError, match=words.replace("(", r"\(")):
        render_docx(template, {}, PROPS, "templates/kk/t.docx")


def test_render_docx_within_its_budget(tmp_path: Path, monkeypatch):
    from regdoc.documents import limits

    monkeypatch.setattr(limits, "SECONDS", 0.2)  # the template never ends: the budget is all it runs
    template = make_template(tmp_path / "t.docx", ["{% for i in range(100000) %}{% for j in range(100000) %}"
                                                    "{% endfor %}{% endfor %}"])
    with pytest.raises(RegdocError, match="rendering took longer than 0.2 s; the template loops"):
        render_docx(template, {}, PROPS, "templates/kk/t.docx")


def test_values_holding_template_syntax_or_xml_are_text(tmp_path: Path):
    template = make_template(tmp_path / "t.docx", ["{{ a }}|{{ b }}"])
    out = tmp_path / "out.docx"
    out.write_bytes(render_docx(template, {"a": "{{ 7*7 }} {% if 1 %}x{% endif %}", "b": "<w:p>&amp;</w:p> «№»"},
                                PROPS))
    assert body_text(out) == "{{ 7*7 }} {% if 1 %}x{% endif %}|<w:p>&amp;</w:p> «№»"


def test_the_time_budget_leaves_an_alarm_set_by_someone_else_alone():
    import signal

    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *a: fired.append(True))
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        with budget(seconds=0.01):
            render("{% for i in range(1000) %}{% endfor %}")
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fired == []


def test_a_source_is_compiled_once_and_its_templates_render_alike(monkeypatch):
    env = Sandbox(autoescape=True, undefined=StrictUndefined)
    compiled = []
    original = env.compile
    monkeypatch.setattr(env, "compile", lambda source, *a, **k: compiled.append(source) or original(source, *a, **k))
    first, second = env.from_string("{{ x }} & {{ y|upper }}"), env.from_string("{{ x }} & {{ y|upper }}")
    assert first is not second and compiled == ["{{ x }} & {{ y|upper }}"]
    assert first.render(x="<a>", y="b") == second.render(x="<a>", y="b") == "&lt;a&gt; & B"
    env.from_string("{{ x }}")
    assert compiled[-1] == "{{ x }}" and len(compiled) == 2
    with pytest.raises(SecurityError):  # the bounds hold in a template made from kept code
        env.from_string("{{ 'x' * n }}").render(n=MAX_ITEMS + 1)
    with pytest.raises(SecurityError):
        env.from_string("{{ 'x' * n }}").render(n=MAX_ITEMS + 1)


def test_the_kept_sources_are_bounded(monkeypatch):
    monkeypatch.setattr("regdoc.documents.limits.COMPILED_CHARACTERS", 30)
    env = Sandbox(autoescape=True, undefined=StrictUndefined)
    for k in range(10):
        assert env.from_string(f"{{{{ x }}}} {k:020d}").render(x=k) == f"{k} {k:020d}"
    assert env._compiled_size <= 30 and len(env._compiled) == 1


def test_a_dict_s_keys_and_attributes_are_what_jinja_s_sandbox_gives():
    """Sandbox.getattr's way for plain dicts (the key, without Jinja's AttributeError first) against Jinja's
    own: keys named as a dict's attributes (Jinja gives the attribute, a method or a refusal), missing keys,
    dict subclasses, other objects (Jinja's compiled code gives getattr texts only)."""
    from collections import OrderedDict

    from jinja2.sandbox import ImmutableSandboxedEnvironment

    ours = Sandbox(autoescape=True, undefined=StrictUndefined)
    theirs = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    values = {"name": "x", "items": "shadowed", "__class__": "c", "update": 1, 3: "three", "get": None}
    for obj in (values, OrderedDict(values), {}, ["a"], "text"):
        for name in ("name", "items", "__class__", "update", "get", "missing", "__name__", "__dict__", "__mro__", "keys", "pop", "clear", "upper"):
            mine, jinja = ours.getattr(obj, name), theirs.getattr(obj, name)
            assert type(mine) is type(jinja), (obj, name)
            if not hasattr(jinja, "_undefined_name"):
                assert mine == jinja, (obj, name)
            else:
                assert (mine._undefined_name, mine._undefined_obj) == (jinja._undefined_name, jinja._undefined_obj)
    assert render("{{ d.name }} {{ d['items'] }} {{ d.get('name') }}", d=values) == "x shadowed x"
    with pytest.raises(SecurityError):
        render("{{ d.update({}) }}", d=values)


def test_the_sandbox_s_escape_gives_markupsafe_s_markup():
    """limits._escape, which the Sandbox's templates escape every printed value with (in place of markupsafe's
    escape): the same Markup for texts, Markup, a text subclass, numbers, None, an object with __html__; a
    template prints the same text with either."""
    from markupsafe import Markup, escape

    from regdoc.documents import limits

    class Text(str):
        pass

    class Html:
        def __html__(self):
            return "<b>&amp;</b>"

    assert limits._escape is not None
    for value in ("", "a & b <c> \"d\" 'e' № «Қ»", Markup("<w:br/>"), Text("<x>"), 3, 2.5, None, Html(),
                  "\ue000 \x01", "&amp;" * 1000):
        ours, theirs = limits._escape(value), escape(value)
        assert type(ours) is type(theirs) is Markup and ours == theirs, value
    source = "{% macro m(v) %}<{{ v }}>{% endmacro %}{% for v in values %}{{ v }}{{ m(v) }}{% endfor %}"
    template = Sandbox(autoescape=True, undefined=StrictUndefined).from_string(source)
    assert template.root_render_func.__globals__["escape"] is limits._escape
    values = ["a & b", "<c>", Markup("<w:br/>"), 3, None]
    from jinja2.sandbox import ImmutableSandboxedEnvironment as ImmutableSandbox

    expected = ImmutableSandbox(autoescape=True, undefined=StrictUndefined).from_string(source).render(values=values)
    assert template.render(values=values) == expected
