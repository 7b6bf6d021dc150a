"""The packages of src/regdoc form layers: a module imports only from its own package or from a lower layer, and
no import circle exists between modules. Imports inside functions count too (they are still dependencies)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "regdoc"

# Lowest first. Packages on one rank do not import each other.
LAYERS = [
    {"errors", "i18n"},
    {"files"},
    {"data"},
    {"phrasing"},
    {"versioning", "scoring", "registry"},
    {"tree"},
    {"documents", "views"},
    {"app"},
    {"web"},
    {"cli"},  # the command line starts everything, the browser workspace too (regdoc serve)
]
TOP_LEVEL = {"__init__", "__main__"}  # regdoc/__init__ holds the version only; __main__ runs the CLI


def rank(package: str) -> int:
    for i, layer in enumerate(LAYERS):
        if package in layer:
            return i
    raise AssertionError(f"package regdoc.{package} is in no layer of tests/test_layers.py: add it")


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Return the regdoc modules (or packages) that the file at `path` imports, absolute and dotted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "regdoc")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "regdoc":
                continue
            for alias in node.names:  # `from regdoc.x import y` may import the module regdoc.x.y
                sub = f"{mod}.{alias.name}"
                out.add(sub if MODULES.get(sub) else mod)
    return out


MODULES = {module_name(p): p for p in SRC.rglob("*.py")}
GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


def package_of(module: str) -> str:
    """Return the package (or the top-level module: errors, i18n) of a dotted module under regdoc."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_upward_import(module):
    mine = package_of(module)
    if mine in TOP_LEVEL:
        return
    for target in GRAPH[module]:
        theirs = package_of(target)
        if theirs == mine or theirs == "__init__":
            continue
        assert rank(theirs) < rank(mine), (
            f"{module} imports {target}: regdoc.{theirs} is not below regdoc.{mine} in the layers")


def test_no_import_circle():
    """Depth-first search over module imports (package __init__ files that only group modules excluded)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(GRAPH.get(node, ())):
            if target not in GRAPH or target == node:
                continue
            if state.get(target) == 1:
                cycle = stack[stack.index(target):] + [target]
                raise AssertionError("import circle: " + " -> ".join(cycle))
            if state.get(target) is None:
                visit(target)
        stack.pop()
        state[node] = 2

    for name in sorted(GRAPH):
        if state.get(name) is None:
            visit(name)


def test_every_package_is_layered():
    for path in SRC.iterdir():
        if path.is_dir() and (path / "__init__.py").exists():
            rank(path.name)
