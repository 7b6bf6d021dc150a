"""Bounds on what rendering a user-editable template may cost.

Templates are files anyone in the department may edit, so they render in Jinja's immutable sandbox (no access to
Python internals, ranges of at most 100 000 items) with these further bounds:

- repetition and concatenation (`'x' * n`, `list * n`, `a + b`) may make at most MAX_ITEMS characters or items,
  an integer power at most MAX_POWER_BITS bits, and `%` or `.format` widths at most MAX_WIDTH;
- a number given to a filter (a width, a count, a size) may be at most MAX_WIDTH; `lipsum` is not available;
- a document renders within SECONDS seconds (on the main thread) and within MEMORY bytes of address space beyond
  what the process used before (POSIX RLIMIT_AS, lowered while it renders and restored afterwards).

A template that passes a bound is refused with a SecurityError (reported as refused by the sandbox), one that runs
out of time or memory with a RenderBudgetExceeded: the document is not produced, the others still are.
"""
from __future__ import annotations

import functools
import math
import os
import re
import threading
from contextlib import contextmanager
from typing import Any, Iterator

import markupsafe
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from regdoc.i18n import N_, _

MAX_ITEMS = 1_000_000
MAX_POWER_BITS = 4096
MAX_WIDTH = 100_000
SECONDS = 60
MEMORY = 2 * 1024 ** 3
COMPILED_CHARACTERS = 16 * 1024 * 1024  # the template sources whose compiled code a Sandbox keeps

_SIZED = (str, list, tuple)
_ESCAPE = markupsafe.escape  # what Jinja's compiled code escapes every printed value with
_DICT_ATTRIBUTES = frozenset(dir(dict))  # what getattr finds on a plain dict (its type's and object's attributes)
_WIDE = re.compile(r"\d{%d,}" % (len(str(MAX_WIDTH)) + 1))  # a number of more digits than MAX_WIDTH has


class RenderBudgetExceeded(Exception):
    """Rendering a template took longer than SECONDS or more memory than MEMORY."""


class LimitExceeded(SecurityError):
    """A bound of this sandbox refused a value (its message is regdoc's own, in the interface language)."""


def _refuse(what: str) -> SecurityError:
    return LimitExceeded(_("{what} is larger than templates may make").format(what=_(what)))


def _quick_escape():
    """Return an escape giving what markupsafe 3's escape gives, the Markup of a plain text made without
    Markup.__new__ (a Python function, about a third of an escape: Jinja's compiled code escapes every value a
    template prints); None where markupsafe's escape is not the one this was written for (no _escape_inner)."""
    inner = getattr(markupsafe, "_escape_inner", None)
    if inner is None or markupsafe.escape is not _ESCAPE:
        return None
    markup, new = markupsafe.Markup, str.__new__

    def escape(s: Any, /) -> Any:
        if type(s) is str:  # as markupsafe's escape: Markup(_escape_inner(s)), whose __new__ is str's for a str
            return new(markup, inner(s))
        return _ESCAPE(s)

    return escape


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with bounds on repetition, powers, widths and filter arguments."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any):
        super().__init__(**options)
        self.globals.pop("lipsum", None)
        self.filters = {name: _bounded_filter(f, name) for name, f in self.filters.items()}
        self._compiled: dict[tuple[str, Any], Any] = {}
        self._compiled_size = 0

    def from_string(self, source, globals=None, template_class=None):
        """Return the template of `source`, compiled once per source text: docxtpl compiles every part of every
        document it renders (`from_string`), and the parts of a packet's documents repeat (the same headers,
        footers and properties in each, one body for the two languages). The compiled code is what Jinja's own
        bytecode cache keeps; a Template is made from it each time, as Jinja does. At most COMPILED_CHARACTERS
        characters of source are kept."""
        if not isinstance(source, str) or template_class is not None:
            return super().from_string(source, globals, template_class)
        key = (source, self.autoescape)
        code = self._compiled.get(key)
        if code is None:  # compiled by an earlier process, kept in the cache folder (regdoc.documents.compiled)
            from regdoc.documents.compiled import compiled

            code = compiled(source, self.autoescape, self.compile)
            if self._compiled_size + len(source) > COMPILED_CHARACTERS:
                self._compiled.clear()
                self._compiled_size = 0
            self._compiled[key] = code
            self._compiled_size += len(source)
        template = self.template_class.from_code(self, code, self.make_globals(globals), None)
        namespace = getattr(template.root_render_func, "__globals__", None)
        if namespace is not None and namespace.get("escape") is _ESCAPE and _escape is not None:
            namespace["escape"] = _escape  # the module of this template's code: its blocks and macros too
        return template

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`obj.attribute` in a template, as Jinja's sandbox gives it: for a plain dict (every context regdoc
        makes) and a name no dict has as an attribute, Jinja's getattr(obj, attribute) raises AttributeError and
        it gives obj[attribute]; that value is given here without the exception raised and caught first (some
        thousand for a results table). A missing key, another name or another object: Jinja's own."""
        if type(obj) is dict and type(attribute) is str and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sized, count in ((left, right), (right, left)):
                if isinstance(sized, _SIZED) and isinstance(count, int) and len(sized) * count > MAX_ITEMS:
                    raise _refuse(N_("a repeated text or list"))
        elif operator == "+":
            if isinstance(left, _SIZED) and isinstance(right, _SIZED) and len(left) + len(right) > MAX_ITEMS:
                raise _refuse(N_("a joined text or list"))
        elif operator == "**":
            if isinstance(left, (int, float)) and isinstance(right, (int, float)) and abs(left) > 1 and right > 0 \
                    and right * math.log2(abs(left)) > MAX_POWER_BITS:
                raise _refuse(N_("a power"))
        elif operator == "%" and isinstance(left, str) and _WIDE.search(left):
            raise _refuse(N_("a width in a % format"))
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Any:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _WIDE.search(value.__self__):
            raise _refuse(N_("a width in a format string"))
        return wrapped


def _bounded_filter(func, name: str):
    """Return the filter `func` refusing any number larger than MAX_WIDTH among its arguments after the filtered
    value (and, for `format`, a width larger than MAX_WIDTH in the format itself)."""
    skip = 2 if hasattr(func, "jinja_pass_arg") else 1  # (context or environment,) value, then the arguments

    @functools.wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        for arg in list(args[skip:]) + list(kwargs.values()):
            if isinstance(arg, (int, float)) and not isinstance(arg, bool) and abs(arg) > MAX_WIDTH:
                raise LimitExceeded(_("the number {number} given to the filter {name} is larger than templates may make")
                                    .format(number=arg, name=name))
        if name == "format" and len(args) >= skip and isinstance(args[skip - 1], str) and \
                _WIDE.search(args[skip - 1]):
            raise _refuse(N_("a width in a format"))
        return func(*args, **kwargs)

    return bounded


def _address_space() -> int | None:
    """Return the address space this process uses now (bytes), or None where it cannot be told."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


@contextmanager
def budget(seconds: float | None = None, memory: int | None = None) -> Iterator[None]:
    """Run the block within `seconds` (default SECONDS; main thread only: SIGALRM) and `memory` more bytes of
    address space (default MEMORY; RLIMIT_AS); past either, raise RenderBudgetExceeded (time) or MemoryError."""
    import signal

    seconds = SECONDS if seconds is None else seconds
    memory = MEMORY if memory is None else memory
    try:
        import resource
    except ImportError:  # not POSIX
        resource = None
    # the time budget needs SIGALRM: only on the main thread, and only when no one else's alarm is pending
    timed = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer") and \
        signal.getitimer(signal.ITIMER_REAL)[0] == 0
    restore_limit = None
    previous = None  # SIGALRM's handler before ours, once ours is installed
    # Each step is taken inside the try, and each is undone in the finally whatever interrupts the next (the alarm
    # itself can fire as soon as it is set, before the block starts; a budget's end can race with the alarm).
    try:
        if resource is not None:
            used = _address_space()
            try:
                soft, hard = resource.getrlimit(resource.RLIMIT_AS)
                if used is not None:
                    wanted = used + memory
                    if (soft == resource.RLIM_INFINITY or wanted < soft) and \
                            (hard == resource.RLIM_INFINITY or wanted <= hard):
                        restore_limit = (soft, hard)
                        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
            except (ValueError, OSError):
                pass
        if timed:
            def out_of_time(signum, frame):
                raise RenderBudgetExceeded(_("rendering took longer than {seconds} s").format(
                    seconds=f"{seconds:g}"))

            previous = signal.signal(signal.SIGALRM, out_of_time)
            if previous is None:  # a handler installed outside Python: the default is what can be given back
                previous = signal.SIG_DFL
            signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        try:
            if previous is not None:
                try:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                finally:  # (the alarm may have fired just before it was cleared)
                    signal.signal(signal.SIGALRM, previous)
        finally:
            if restore_limit is not None:
                resource.setrlimit(resource.RLIMIT_AS, restore_limit)


_escape = _quick_escape()
