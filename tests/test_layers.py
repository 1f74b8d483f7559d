"""The package's shape, enforced: layers import one way only, and no module imports itself in a
circle, not even through an import inside a function or under ``TYPE_CHECKING``.

The layers, lowest first (docs/architecture.md draws them):

    core     shared types: errors, text, model, findings, identity
    seats    the Kieswet's seat allocation, pure arithmetic on its own inputs
    io       published formats -> the model (readers know formats, nothing about checks)
    checks   rules on the model -> findings (checks know the model, nothing about formats)
    app      use cases: verify, verdict, compare, export, protocol, inspection, template, hash
    report   findings and results -> text, JSON, CSV, Markdown, HTML, sheets
    cli      one module per command

A module may import its own package and any lower layer, never a higher one or a sibling
package of its own layer. ``devtools`` (the generator and EML writer the tests and benchmarks
use, and the docs generator) may import anything; nothing in the product imports it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "osv_verify"
LAYERS = ["core", "seats", "io", "checks", "app", "report", "cli"]
#: Modules of the package's top level and the layer they belong to: the public API's facade
#: (lazy imports of the use cases, and ``write_export``, which writes: report) and ``python -m osv_verify``.
TOP = {"osv_verify": "report", "osv_verify.__main__": "cli"}
LONG_REASON = "Long because"  # the words a module over MAX_LINES lines starts its reason with
MAX_LINES = 500


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str:
    if module in TOP:
        return TOP[module]
    return module.split(".")[1]


def imports(module: str) -> set[str]:
    """Every osv_verify module ``module`` imports, anywhere in its body."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        for name in names:
            while name and name not in MODULES:  # a name inside a module: the module
                name = name.rpartition(".")[0]
            if name.startswith("osv_verify") and name != module:
                found.add(name)
    return found


GRAPH = {m: imports(m) for m in MODULES}


def test_every_module_is_in_a_layer():
    unknown = [m for m in MODULES if layer(m) not in LAYERS + ["devtools"]]
    assert not unknown, f"modules outside the layers (add them to one): {unknown}"


def test_imports_go_one_way():
    wrong = []
    for module, targets in GRAPH.items():
        if layer(module) == "devtools":
            continue
        for target in sorted(targets):
            if layer(target) == "devtools":
                wrong.append(f"{module} imports {target}: nothing in the product imports devtools")
            elif target in TOP and layer(module) != "cli":
                wrong.append(f"{module} imports the package facade {target}")
            elif target not in TOP and LAYERS.index(layer(target)) > LAYERS.index(layer(module)):
                wrong.append(f"{module} ({layer(module)}) imports {target} ({layer(target)}): upward")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles():
    """Tarjan's strongly connected components over the whole import graph."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_long_module_says_why(module):
    path = MODULES[module]
    lines = len(path.read_text().splitlines())
    if lines <= MAX_LINES:
        return
    doc = ast.get_docstring(ast.parse(path.read_text())) or ""
    assert LONG_REASON in doc, (f"{path.relative_to(PACKAGE.parent)} has {lines} lines: split it, or say at its top "
                                f"why it is one module ('{LONG_REASON} ...')")


def test_the_checker_sees_a_violation(tmp_path):
    """The walk above is not vacuous: an upward import inside a function is an edge."""
    assert "osv_verify.app.verify" in GRAPH["osv_verify"] or "osv_verify.app.export" in GRAPH["osv_verify"]
    assert any(layer(t) == "core" for t in GRAPH["osv_verify.io.eml"])
