"""No import cycle between the portal's files or between its apps, and apps import downwards only.

The files are parsed, not imported: each `import`/`from … import` names a module of the portal or not. An
import at module level (also inside a class body or an `if`) runs when the file is imported; one inside a
function runs when the function does. File cycles are counted over module-level imports (a cycle there breaks
or half-initialises a module at import time). Apps are counted over both: app A depends on app B if any file
of A imports B anywhere, because a function-local import that "breaks" a cycle still ties the two apps.
Migrations are left out: they are frozen history and import the callables their fields referred to then.
"""

import ast
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parent.parent
# The portal's apps by package, in the order they may import each other: an app imports only apps before it
# (quartier is the hall every app may use; the fund builds on volunteers and initiatives). See the README.
APPS = {
    "quartier": "quartier",
    "initiatives": "initiatives",
    "rooms": "rooms",
    "volunteers": "volunteers",
    "events": "events",
    "fund": "initiatives.fund",
}
ORDER = list(APPS)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(BASE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _portal_modules() -> dict[str, Path]:
    modules = {}
    for package in {package.split(".")[0] for package in APPS.values()}:
        for path in sorted((BASE / package).rglob("*.py")):
            if "migrations" not in path.relative_to(BASE).parts:
                modules[_module_name(path)] = path
    return modules


MODULES = _portal_modules()


def app_of(module: str) -> str:
    """The app whose package is the longest prefix of the module (`initiatives.fund.views` is the fund's)."""
    matches = [label for label, package in APPS.items() if module == package or module.startswith(package + ".")]
    return max(matches, key=lambda label: len(APPS[label]))


class _Imports(ast.NodeVisitor):
    """The portal modules a file imports, split into module-level and function-local imports."""

    def __init__(self, module: str, is_package: bool):
        self.module, self.package = module, module if is_package else module.rpartition(".")[0]
        self.module_level, self.local = set(), set()
        self.depth = 0

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def _add(self, dotted: str) -> None:
        """The module itself and its parent packages (importing `a.b.c` runs `a` and `a.b` first), except the
        importing file's own packages, which are initialised before it runs."""
        found = self.local if self.depth else self.module_level
        parts = dotted.split(".")
        for end in range(1, len(parts) + 1):
            target = ".".join(parts[:end])
            own_package = self.module == target or self.module.startswith(target + ".")
            if target in MODULES and not own_package:
                found.add(target)

    def visit_Import(self, node):
        for alias in node.names:
            self._add(alias.name)

    def visit_ImportFrom(self, node):
        if node.level:
            base = self.package.split(".")
            base = base[: len(base) - node.level + 1]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module
        self._add(source)
        for alias in node.names:
            if f"{source}.{alias.name}" in MODULES:  # `from . import services` imports a module
                self._add(f"{source}.{alias.name}")


def _imports() -> dict[str, _Imports]:
    found = {}
    for module, path in MODULES.items():
        visitor = _Imports(module, path.name == "__init__.py")
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found[module] = visitor
    return found


IMPORTS = _imports()


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node, or a node importing itself (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def app_edges() -> dict[tuple[str, str], list[str]]:
    """(app, app it imports) → the imports that make the edge, module-level and function-local alike."""
    edges = {}
    for module, imports in IMPORTS.items():
        for target in sorted(imports.module_level | imports.local):
            if app_of(module) != app_of(target):
                edges.setdefault((app_of(module), app_of(target)), []).append(f"{module} → {target}")
    return edges


def test_the_parser_sees_the_portal():
    assert {
        "quartier.models",
        "initiatives.models",
        "initiatives.fund.models",
        "rooms.models",
        "events.models",
        "volunteers.models",
    } <= set(MODULES)
    assert "initiatives.models" in IMPORTS["initiatives.fund.models"].module_level
    assert app_of("initiatives.fund.views") == "fund"
    assert app_of("initiatives.views") == "initiatives"


def test_no_import_cycle_between_files():
    graph = {module: imports.module_level for module, imports in IMPORTS.items()}
    assert cycles(graph) == []


def test_no_import_cycle_between_apps():
    graph = {}
    for source, target in app_edges():
        graph.setdefault(source, set()).add(target)
    assert cycles(graph) == []


@pytest.mark.parametrize("app", ORDER)
def test_an_app_imports_only_apps_below_it(app):
    upwards = {
        edge: where for edge, where in app_edges().items() if edge[0] == app and ORDER.index(edge[1]) > ORDER.index(app)
    }
    assert upwards == {}


def test_quartier_imports_no_app():
    """quartier/ is the hall: it finds the apps' contributions by name and never imports their code."""
    assert {edge: where for edge, where in app_edges().items() if edge[0] == "quartier"} == {}


def test_a_cycle_is_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"a"}}) == [["a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
