"""The package's structure, checked on its source (see docs/architecture.md).

An AST scan of ``analysis/``: the layers import only downwards, there are no
import cycles, no private name is imported from another module, the package's
own modules are imported at the top of files (bounded exceptions), the
default grouping column is written in one place, and no module is callable.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"

#: Each top-level part of the package and its layer: a module may import only from lower layers
#: (or its own part). Keep in step with docs/architecture.md.
LAYERS = {
    "errors": 0,
    "config": 1, "pool": 1, "cluster": 1,
    "text": 2,
    "lexicon": 3,
    "cleaning": 4,
    "segmentation": 5,
    "store": 6,
    "corpus": 7,
    "tokenization": 8, "vectors": 8, "phrases": 8,
    "methods": 9,
    "plots": 10,
    "display": 11, "explorer": 11, "report": 11, "commands": 11, "cli": 11, "__main__": 11,
    "export": 11, "exercises": 11,
}
#: In-function imports of the package's own modules allowed in all (each costs start-up where it stands:
#: the command line imports a subcommand's modules only when it runs).
MAX_LOCAL_IMPORTS = 10


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, tuple[Path, ast.Module]]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        out[_module_name(path)] = (path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return out


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, path: Path, tree: ast.Module, modules) -> list[tuple[ast.AST, str, list[str], bool]]:
    """(node, imported module, names, at top level?) for every import of the package's own modules."""
    is_package = path.name == "__init__.py"
    top = set(map(id, tree.body))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = _resolve(module, is_package, node)
            if not target.startswith("analysis"):
                continue
            names = [a.name for a in node.names]
            # "from . import x" imports the submodule x when there is one
            subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in modules]
            for t in subs or [target]:
                out.append((node, t, [n for n in names if f"{target}.{n}" not in modules], id(node) in top))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("analysis"):
                    out.append((node, a.name, [], id(node) in top))
    return out


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _graph():
    modules = _modules()
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for m, (path, tree) in modules.items():
        for node, target, _, at_top in _imports(m, path, tree, modules):
            if at_top and target in modules and target != m:
                edges[m].add(target)
    return modules, edges


def test_every_part_has_a_layer():
    modules = _modules()
    assert sorted({_part(m) for m in modules} - {"__init__"} - set(LAYERS)) == []


def test_no_import_cycle():
    _, edges = _graph()
    # a package's __init__ re-exports its modules: the edge from a module to its own package's
    # __init__ is the only way back, and is not allowed either
    color: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(m):
        color[m] = 1
        stack.append(m)
        for n in sorted(edges[m]):
            if color.get(n) == 1:
                cycles.append(stack[stack.index(n):] + [n])
            elif n not in color:
                visit(n)
        stack.pop()
        color[m] = 2

    for m in sorted(edges):
        if m not in color:
            visit(m)
    assert cycles == []


def test_layers_import_only_downwards():
    modules, _ = _graph()
    wrong = []
    for m, (path, tree) in modules.items():
        if m == "analysis":
            continue  # the package's lazy exports name every layer
        for node, target, _, _ in _imports(m, path, tree, modules):
            src, dst = _part(m), _part(target)
            if dst == "__init__" or src == dst:
                continue
            if LAYERS[dst] > LAYERS[src] or (LAYERS[dst] == LAYERS[src] and src != dst and LAYERS[src] not in (1, 8, 11)):
                wrong.append(f"{m} (layer {LAYERS[src]}) imports {target} (layer {LAYERS[dst]}), line {node.lineno}")
    assert wrong == []


def test_no_private_name_imported_from_another_module():
    modules = _modules()
    wrong = []
    for m, (path, tree) in modules.items():
        for node, target, names, _ in _imports(m, path, tree, modules):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private or target.split(".")[-1].startswith("_") and target.split(".")[-1] != "__main__":
                wrong.append(f"{m} line {node.lineno}: {target} {private}")
    assert wrong == []


def test_own_modules_are_imported_at_the_top():
    modules = _modules()
    local = [f"{m} line {node.lineno}: {target}" for m, (path, tree) in modules.items()
             for node, target, _, at_top in _imports(m, path, tree, modules) if not at_top]
    assert len(local) <= MAX_LOCAL_IMPORTS, "\n".join(local)


def test_default_grouping_column_is_written_once():
    places = []
    for m, (path, tree) in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value == "region":
                places.append(f"{m} line {node.lineno}")
    assert len(places) <= 2, places


def test_no_callable_modules():
    for m, (path, tree) in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "__class__" and isinstance(node.ctx, ast.Store):
                pytest.fail(f"{m} line {node.lineno} assigns a module's __class__")
            if isinstance(node, ast.Name) and node.id in ("make_callable", "ModuleType") and isinstance(node.ctx, ast.Load):
                pytest.fail(f"{m} line {node.lineno} uses {node.id}")


def test_docs_architecture_lists_the_layers_of_the_code():
    """docs/architecture.md's table gives every part of the package the layer the checks above use."""
    import re

    doc = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    listed = {}
    for number, cell in re.findall(r"^\| (\d+) \| ([^|]+) \|", doc, re.M):
        for name in re.findall(r"`([a-z_]+)(?:\.py|/)`", cell):
            listed[name] = int(number)
    assert listed == {k: v for k, v in LAYERS.items() if k != "__main__"}


def test_the_scan_sees_a_cycle_and_a_private_import(tmp_path, monkeypatch):
    """The checks above can fail: a crafted package with a cycle and a private import is caught."""
    pkg = tmp_path / "analysis"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "text.py").write_text("from .lexicon import _secret\n")
    (pkg / "lexicon.py").write_text("from .text import CJK\n_secret = 1\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", pkg)
    with pytest.raises(AssertionError):
        test_no_import_cycle()
    with pytest.raises(AssertionError):
        test_no_private_name_imported_from_another_module()
    with pytest.raises(AssertionError):
        test_layers_import_only_downwards()
