"""The shape of the code, as tests: no import cycles, imports run one way, small modules.

Imports are read with ``ast`` (function-level imports included: a cycle hidden
inside a function is still a cycle). ``from a.b import c`` is an edge to the
module ``a.b.c`` when that is a module, else to ``a.b``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

__all__: list[str] = []

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("server", "exports", "surveys", "analysis")
# Top-level direction: a package may import those after it, never those before it.
LAYERS = {name: rank for rank, name in enumerate(PACKAGES)}
MAX_LINES = 400
# Inside surveys/: what each part may import (the domain packages' __init__ docstrings say the same).
HELPERS = {"surveys.errors", "surveys.hashing", "surveys.text", "surveys.throttle"}
SURVEYS_MAY_IMPORT = {
    "surveys.errors": set(),
    "surveys.hashing": set(),
    "surveys.text": {"surveys.errors"},
    "surveys.db": set(),
    "surveys.throttle": {"surveys.db"},
    "surveys.instruments": {"surveys.db", "surveys.errors"},
    "surveys.accounts": {"surveys.db"} | HELPERS,
    "surveys.organisation": {"surveys.db", "surveys.instruments"} | HELPERS,
    "surveys.answering": {"surveys.db", "surveys.instruments"} | HELPERS,
    "surveys.responses": {"surveys.db", "surveys.instruments", "surveys.organisation"} | HELPERS,
    "surveys.demo": {
        "surveys.db", "surveys.instruments", "surveys.accounts", "surveys.organisation", "surveys.answering",
    } | HELPERS,
}


def _files(*tops: str) -> Iterator[Path]:
    for top in tops:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "piccolo_migrations" not in path.parts:
                yield path


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in _files(*PACKAGES)}


def _imports(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """``(imported name, line)`` for every import in the module, at any depth."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno


def _resolve(imported: str) -> str | None:
    """The first-party module an import names (``a.b.c`` if it is a module, else ``a.b``), or None."""
    modules = _modules()
    while imported:
        if imported in modules:
            return imported
        imported = imported.rpartition(".")[0]
    return None


@cache
def _graph() -> dict[str, dict[str, int]]:
    """module -> {imported first-party module: line}."""
    graph: dict[str, dict[str, int]] = {}
    for name, path in _modules().items():
        edges = graph.setdefault(name, {})
        for imported, line in _imports(name, path):
            target = _resolve(imported)
            if target is not None and target != name:
                edges.setdefault(target, line)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
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
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _part(module: str) -> str:
    """The package a module belongs to for the package-level checks: ``surveys.answering``, ``server.console``."""
    return ".".join(module.split(".")[:2])


def test_the_import_graph_is_read() -> None:
    graph = _graph()
    assert len(graph) > 100
    assert "surveys.db.tables" in graph["surveys.db.engine"]
    assert "surveys.instruments.loader" in graph["surveys.instruments"]  # a package's __init__ counts


def test_a_cycle_is_found() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_between_modules() -> None:
    graph = {name: set(edges) for name, edges in _graph().items()}
    assert _cycles(graph) == []


def test_no_import_cycles_between_packages() -> None:
    graph: dict[str, set[str]] = {}
    for name, edges in _graph().items():
        graph.setdefault(_part(name), set()).update(_part(target) for target in edges if _part(target) != _part(name))
    assert _cycles(graph) == []


def test_imports_run_from_server_to_exports_to_surveys_to_analysis() -> None:
    upward = [
        f"{name} imports {target} (line {line})"
        for name, edges in _graph().items()
        for target, line in edges.items()
        if LAYERS[target.split(".")[0]] < LAYERS[name.split(".")[0]]
    ]
    assert upward == []


def test_only_server_imports_litestar() -> None:
    found = [
        f"{name}:{line}"
        for name, path in _modules().items()
        if not name.startswith("server")
        for imported, line in _imports(name, path)
        if imported.split(".")[0] == "litestar"
    ]
    assert found == []


def test_surveys_parts_import_only_what_their_docstrings_allow() -> None:
    wrong = []
    for name, edges in _graph().items():
        if not name.startswith("surveys."):
            continue
        part = _part(name)
        allowed = SURVEYS_MAY_IMPORT[part] | {part}
        for target, line in edges.items():
            if target.startswith("surveys.") and _part(target) not in allowed:
                wrong.append(f"{name} imports {target} (line {line})")
            if target.split(".")[0] in ("server", "exports"):
                wrong.append(f"{name} imports {target} (line {line})")
    assert wrong == []


@pytest.mark.parametrize("top", [*PACKAGES, "benchmarks", "tests"])
def test_no_module_over_400_lines(top: str) -> None:
    long = {str(p.relative_to(ROOT)): n for p in _files(top) if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_every_module_has_a_docstring_and_all() -> None:
    missing = []
    for name, path in _modules().items():
        tree = ast.parse(path.read_text())
        names = {t.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
                 for t in (node.targets if isinstance(node, ast.Assign) else [node.target]) if isinstance(t, ast.Name)}
        if ast.get_docstring(tree) is None or ("__all__" not in names and path.name != "__main__.py"):
            missing.append(name)
    assert missing == []
