"""The package's rooms follow the data's path: no stage imports a later one, no import cycles.

Imports are read with ``ast`` (nothing is imported, so no side effects and no Spark), every
one of them: at module level, inside functions (the lazy imports) and under
``TYPE_CHECKING``, since each says the importing code depends on the imported code.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline" / "singleton_rate"

# The layers, lowest first; a module may import its own layer and those before it. The first
# part of a module's name below singleton_rate decides (``extract.patterns`` is ``extract``).
# normalize sits below extract because the extractor keys each mention in its own pass.
LAYERS: dict[str, tuple[str, ...]] = {
    "base": ("checks", "config", "files", "progress", "risk", "sqltext", "version"),
    "contract": ("contract",),
    "read": ("corpus",),
    "normalize": ("normalize",),
    "extract": ("extract", "spark", "split", "worker_daemon"),
    "count": ("count", "tally"),
    "estimate": ("estimate",),
    "store": ("store",),
    "query": ("query", "runkeys", "gradefiles"),
    "analyze": (
        "sqlshell",
        "score",
        "questions",
        "grade",
        "grade_plots",
        "validate",
        "audit",
        "summary",
        "plots",
        "report",
        "evaluate_wikipedia",
    ),
    "run": ("resume", "run", "merge"),
    # The package itself ("") is its public face: it forwards open_run/run_corpus to api.
    "entry": ("cli", "evaluate", "api", "job", ""),
}


@dataclass(frozen=True, slots=True)
class Import:
    source: str  # importing module, e.g. "singleton_rate.tally"
    target: str  # imported module, e.g. "singleton_rate.query"
    where: str  # "tally.py:30"
    typing_only: bool = False  # under ``if TYPE_CHECKING:``: a name for annotations only


def module_name(root: Path, path: Path) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(root: Path) -> tuple[set[str], list[Import]]:
    """Every module under ``root`` (a package folder) and its imports of the same package."""
    files = sorted(root.rglob("*.py"))
    modules = {module_name(root, p) for p in files}
    found: list[Import] = []
    for path in files:
        source = module_name(root, path)
        package = source if path.name == "__init__.py" else source.rpartition(".")[0]
        tree = ast.parse(path.read_text("utf-8"), str(path))
        typing_lines = {
            inner.lineno
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for stmt in block.body
            for inner in ast.walk(stmt)
            if hasattr(inner, "lineno")
        }
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from . import x, from ..y import z
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                # "from pkg import name": the submodule when there is one, else pkg itself
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                    for a in node.names
                ]
            for target in targets:
                while target not in modules and "." in target:  # a.b.attr → a.b
                    target = target.rpartition(".")[0]
                if target in modules and target != source:
                    where = f"{path.relative_to(root.parent)}:{node.lineno}"
                    found.append(Import(source, target, where, node.lineno in typing_lines))
    return modules, list(dict.fromkeys(found))  # one per line: "from x import a, b" is one


def layer_of(module: str, layers: dict[str, tuple[str, ...]]) -> str | None:
    room = module.split(".")[1] if "." in module else ""
    return next((name for name, rooms in layers.items() if room in rooms), None)


def layering_errors(root: Path, layers: dict[str, tuple[str, ...]]) -> list[str]:
    """One line per module without a layer, per upward import and per import cycle."""
    modules, found = imports_of(root)
    order = {name: i for i, name in enumerate(layers)}
    errors = [
        f"{m} has no layer: add its room to LAYERS in tests/test_layering.py"
        for m in sorted(modules)
        if layer_of(m, layers) is None
    ]
    for imp in found:
        src, dst = layer_of(imp.source, layers), layer_of(imp.target, layers)
        if src is not None and dst is not None and order[dst] > order[src]:
            errors.append(
                f"{imp.where}: {imp.source} (layer {src}) imports {imp.target} (layer {dst}), "
                "a later stage: move what both need down (into singleton_rate.contract or a "
                "lower module)"
            )
    # A cycle is one of code run: an import for annotations only (the catalog's Pattern named
    # by the kinds it dispatches to) orders the layers above but runs nothing.
    graph: dict[str, dict[str, str]] = {m: {} for m in modules}
    for imp in found:
        if not imp.typing_only:
            graph[imp.source].setdefault(imp.target, imp.where)
    errors.extend(_cycles(graph))
    return errors


def _cycles(graph: dict[str, dict[str, str]]) -> list[str]:
    """Each cycle of the import graph once, with where each of its imports is."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []
    out: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                loop = [*path[path.index(nxt) :], nxt]
                steps = ", ".join(f"{graph[a][b]} imports {b}" for a, b in pairwise(loop))
                out.append(f"import cycle {' -> '.join(loop)} ({steps})")
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return out


def test_the_package_follows_the_layers() -> None:
    errors = layering_errors(PACKAGE, LAYERS)
    assert not errors, "\n".join(errors)


def test_every_room_in_the_layer_map_exists() -> None:
    modules, _ = imports_of(PACKAGE)
    rooms = {m.split(".")[1] if "." in m else "" for m in modules}
    stale = [r for rooms_ in LAYERS.values() for r in rooms_ if r not in rooms]
    assert not stale, f"LAYERS names rooms the package no longer has: {stale}"


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    root = tmp_path / "singleton_rate"
    (root / "estimate").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "contract.py": "X = 1\n",
        "count.py": "from singleton_rate.contract import X\n",
        "estimate/__init__.py": "from .table import Y\n",
        "estimate/table.py": "from singleton_rate import count\nY = 2\n",
        "store.py": "",
    }
    for name, text in files.items():
        (root / name).write_text(text)
    return root


TOY_LAYERS = {
    "base": ("",),
    "contract": ("contract",),
    "count": ("count",),
    "estimate": ("estimate",),
    "store": ("store",),
}


def test_a_clean_toy_package_passes(toy: Path) -> None:
    assert layering_errors(toy, TOY_LAYERS) == []


def test_an_upward_import_is_named(toy: Path) -> None:
    (toy / "count.py").write_text(
        "X = 1\n\n\ndef f():\n    from singleton_rate.estimate import Y\n"
    )
    errors = layering_errors(toy, TOY_LAYERS)
    assert errors == [
        "singleton_rate/count.py:5: singleton_rate.count (layer count) imports "
        "singleton_rate.estimate (layer estimate), a later stage: move what both need down "
        "(into singleton_rate.contract or a lower module)",
        "import cycle singleton_rate.count -> singleton_rate.estimate -> "
        "singleton_rate.estimate.table -> singleton_rate.count (singleton_rate/count.py:5 "
        "imports singleton_rate.estimate, singleton_rate/estimate/__init__.py:1 imports "
        "singleton_rate.estimate.table, singleton_rate/estimate/table.py:1 imports "
        "singleton_rate.count)",
    ]


def test_a_cycle_inside_one_layer_is_named(toy: Path) -> None:
    (toy / "contract.py").write_text("import singleton_rate.count\n")
    (toy / "count.py").write_text("from singleton_rate.contract import X\n")
    layers = {"base": ("",), "all": ("contract", "count", "estimate", "store")}
    errors = layering_errors(toy, layers)
    assert len(errors) == 1 and errors[0].startswith(
        "import cycle singleton_rate.contract -> singleton_rate.count -> singleton_rate.contract"
    )


def test_a_module_without_a_layer_is_named(toy: Path) -> None:
    (toy / "newroom.py").write_text("")
    assert layering_errors(toy, TOY_LAYERS) == [
        "singleton_rate.newroom has no layer: add its room to LAYERS in tests/test_layering.py"
    ]


def test_an_annotation_only_import_orders_layers_but_makes_no_cycle(toy: Path) -> None:
    (toy / "contract.py").write_text("import singleton_rate.count\n")
    (toy / "count.py").write_text(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from singleton_rate.contract import X\n"
    )
    layers = {"base": ("",), "all": ("contract", "count", "estimate", "store")}
    assert layering_errors(toy, layers) == []
    # ... but it still may not reach a later layer.
    (toy / "contract.py").write_text("X = 1\n")
    (toy / "count.py").write_text(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from singleton_rate.store import S\n"
    )
    (toy / "store.py").write_text("S = 1\n")
    assert layering_errors(toy, TOY_LAYERS) == [
        "singleton_rate/count.py:4: singleton_rate.count (layer count) imports "
        "singleton_rate.store (layer store), a later stage: move what both need down "
        "(into singleton_rate.contract or a lower module)"
    ]
