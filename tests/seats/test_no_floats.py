"""No floating point in any code that decides a seat (DESIGN.md: integers and Fraction only).

Reads the source of every module of ``osv_verify.seats`` with :mod:`ast` and rejects float
literals, calls of ``float``/``round``/``math.*``, and the true-division operator ``/`` (which
turns two ints into a float). Fractions are built with ``Fraction(a, b)``, floors with ``//``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import osv_verify.seats

MODULES = sorted(Path(osv_verify.seats.__file__).parent.glob("*.py"))


def offences(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.Constant) and isinstance(node.value, float | complex):
            found.append(f"line {line}: float literal {node.value!r}")
        elif isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(node.op, ast.Div):
            found.append(f"line {line}: true division '/'")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"float", "round"}:
            found.append(f"line {line}: call of {node.func.id}()")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            if any(n == "math" or n.startswith("math.") or n == "decimal" for n in names):
                found.append(f"line {line}: imports math/decimal")
    return found


def test_modules_found() -> None:
    assert {p.name for p in MODULES} >= {"apportion.py", "nominate.py", "rules.py", "groups.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_float_in_decision_code(path: Path) -> None:
    assert offences(ast.parse(path.read_text(encoding="utf-8"))) == []


def test_the_checker_catches_floats() -> None:
    bad = "x = 0.75\ny = a / b\nz = float(3)\nimport math\nw = round(q)\n"
    assert len(offences(ast.parse(bad))) == 5
