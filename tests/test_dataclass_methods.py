"""regdoc.dataclass_methods: the methods dataclasses writes for a regdoc module are compiled once and kept beside its
bytecode; each class gets the very code dataclasses compiles itself, and a damaged file is ignored."""
from __future__ import annotations  # (as regdoc's modules: the methods' code must not inherit it)

import dataclasses
import sys
import types
from pathlib import Path

import pytest

from regdoc import dataclass_methods as methods

SOURCE = '''from __future__ import annotations
from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True, order=True)
class Frozen:
    a: int
    b: Optional[str] = None
    c: tuple = field(default_factory=tuple)


@dataclass
class Plain:
    items: list = field(default_factory=list)
    count: int = 0
'''
METHODS = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__lt__", "__ge__")


def made(name: str, folder: Path) -> types.ModuleType:
    """Return a module called `name` (its file in `folder`) whose classes SOURCE makes."""
    module = types.ModuleType(name)
    module.__file__ = str(folder / "probe.py")
    sys.modules[name] = module
    try:
        exec(compile(SOURCE, module.__file__, "exec", dont_inherit=True), module.__dict__)
    finally:
        del sys.modules[name]
    return module


def codes(module: types.ModuleType) -> dict:
    return {(cls, m): vars(getattr(module, cls))[m].__code__ for cls in ("Frozen", "Plain") for m in METHODS
            if m in vars(getattr(module, cls)) and hasattr(vars(getattr(module, cls))[m], "__code__")}


@pytest.fixture
def fresh(monkeypatch):
    """regdoc.dataclass_methods as at the start of a process, installed (its files written when the test says)."""
    monkeypatch.setattr(methods, "_known", {})
    monkeypatch.setattr(methods, "_made", {})
    monkeypatch.setattr(methods, "_saving", True)  # no writing at the end of the test process
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    methods.install()
    assert dataclasses.exec is methods._exec


def test_a_regdoc_class_gets_the_code_dataclasses_compiles_then_the_same_from_the_file(tmp_path, fresh,
                                                                                        monkeypatch):
    expected = codes(made("probe_outside_regdoc", tmp_path))  # not a regdoc module: compiled as always
    assert len(expected) == 11 and methods._made == {}
    first = made("regdoc.probe", tmp_path)
    assert codes(first) == expected
    assert first.Frozen(1) < first.Frozen(2) and first.Plain() == first.Plain([], 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.Frozen(1).a = 2
    methods._save()
    stored = Path(methods._file(str(tmp_path / "probe.py")))
    assert stored == tmp_path / "__pycache__" / f"probe.{sys.implementation.cache_tag}.dataclasses"
    monkeypatch.setattr(methods, "_known", {})
    monkeypatch.setattr(methods, "_made", {})
    monkeypatch.setattr(methods, "compile", lambda *args, **kw: pytest.fail("compiled again"), raising=False)
    again = made("regdoc.probe", tmp_path)  # a later process: every method's code from the file
    assert codes(again) == expected and repr(again.Frozen(1, "x")) == "Frozen(a=1, b='x', c=())"


@pytest.mark.parametrize("content", [b"", b"garbage", None])
def test_a_damaged_or_foreign_file_is_ignored_and_replaced(tmp_path, fresh, content):
    expected = codes(made("probe_outside_regdoc", tmp_path))
    stored = Path(methods._file(str(tmp_path / "probe.py")))
    stored.parent.mkdir()
    if content is None:  # written by another Python
        import marshal
        content = b"\0\0\r\n" + marshal.dumps({"x": compile("", "<string>", "exec")})
    else:
        content = methods._PYTHON + content
    stored.write_bytes(content)
    assert codes(made("regdoc.probe", tmp_path)) == expected
    methods._save()
    assert stored.read_bytes() != content
    assert methods._read(str(stored)).keys() == methods._made["regdoc.probe"][0].keys()
