"""The packages of src/regdoc form layers: a module imports only from its own package or from a lower layer, and
no import circle exists between modules. Imports inside functions count too (they are still dependencies)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "regdoc"

# Lowest first. Packages on one rank do not import each other.
LAYERS = [
    # below errors: errors translate their fixed words (error, warning)
    {"i18n", "collector", "kept", "dataclass_methods"},
    {"errors"},
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
TOP_LEVEL = {"__init__", "__main__"}  # regdoc/__init__: the version (and dataclass_methods); __main__ runs the CLI


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


STATEMENT_HOLDERS = (ast.stmt, ast.excepthandler, ast.match_case)


def statements(tree: ast.Module):
    """Yield every statement of `tree`, at any depth (in functions, classes, branches, handlers, cases), and the
    nodes holding them, but no expression: an import is a statement, and no expression holds one (a lambda holds
    an expression), so these are all the imports ast.walk finds, for a quarter of its time."""
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        yield node
        todo.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, STATEMENT_HOLDERS))


def imports_of(path: Path) -> set[str]:
    """Return the regdoc modules (or packages) that the file at `path` imports, absolute and dotted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out = set()
    for node in statements(tree):
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


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    """Each module of regdoc and what it imports (parsed when a test asks, not when pytest collects this file)."""
    return {name: imports_of(path) for name, path in MODULES.items()}


def package_of(module: str) -> str:
    """Return the package (or the top-level module: errors, i18n) of a dotted module under regdoc."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Return each import of `graph` that goes to a package not below the importing one."""
    found = []
    for module, targets in sorted(graph.items()):
        mine = package_of(module)
        if mine in TOP_LEVEL:
            continue
        for target in sorted(targets):
            theirs = package_of(target)
            if theirs != mine and theirs != "__init__" and rank(theirs) >= rank(mine):
                found.append(f"{module} imports {target}: regdoc.{theirs} is not below regdoc.{mine} in the layers")
    return found


def import_circle(graph: dict[str, set[str]]) -> list[str]:
    """Return one circle of imports between modules of `graph` (its modules in order), or an empty list."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in graph or target == node:
                continue
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if state.get(target) is None and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return []

    for name in sorted(graph):
        if state.get(name) is None and (cycle := visit(name)):
            return cycle
    return []


def test_no_upward_import(graph):
    assert upward_imports(graph) == []


def test_no_import_circle(graph):
    assert import_circle(graph) == []


def test_every_package_is_layered():
    for path in SRC.iterdir():
        if path.is_dir() and (path / "__init__.py").exists():
            rank(path.name)


def test_the_checks_find_what_they_look_for():
    """The checks above can fail: an upward import, a same-rank import and a circle are found."""
    graph = {"regdoc.data.model": {"regdoc.tree.read"}, "regdoc.tree.read": {"regdoc.data.model"},
             "regdoc.scoring.score": {"regdoc.versioning.amend"}, "regdoc.versioning.amend": set(),
             "regdoc.cli.check": {"regdoc.app.check"}, "regdoc.app.check": set()}
    assert upward_imports(graph) == [
        "regdoc.data.model imports regdoc.tree.read: regdoc.tree is not below regdoc.data in the layers",
        "regdoc.scoring.score imports regdoc.versioning.amend: regdoc.versioning is not below regdoc.scoring "
        "in the layers"]
    assert import_circle(graph) == ["regdoc.data.model", "regdoc.tree.read", "regdoc.data.model"]
    assert import_circle({"regdoc.a.x": {"regdoc.a.y"}, "regdoc.a.y": set()}) == []
