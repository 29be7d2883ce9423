"""Student text reaches SymPy only through the grammar; limits hold in threads too."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import pytest

from verifier.api import check_claim
from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.check.verdicts import Verdict
from verifier.limits import Limits
from verifier.models.assignment import load_assignment

from .conftest import SLOW

PACKAGE = Path(__file__).resolve().parent.parent / "verifier"
BANNED = {
    "eval",
    "exec",
    "compile",
    "sympify",
    "parse_expr",
    "parse_latex",
    "lambdify",
    "__import__",
}


def _banned_uses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        name = None
        if isinstance(node, ast.Name):
            name = node.id
        elif isinstance(node, ast.Attribute) and node.attr != "compile":  # re.compile is fine
            name = node.attr
        elif isinstance(node, ast.alias):
            name = node.name.rsplit(".", 1)[-1]
        if name in BANNED:
            found.append(f"{path.name}:{node.lineno}: {name}")
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_no_evaluation_of_text(path):
    assert _banned_uses(path) == []


def test_the_scan_finds_what_it_bans(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import sympy\nx = sympy.sympify(s)\ny = eval(s)\n")
    assert _banned_uses(bad) == ["bad.py:2: sympify", "bad.py:3: eval"]


def test_claim_time_limit_works_from_a_thread():
    checker = Checker(load_assignment(), Config(prove=False, limits=Limits(claim_seconds=1.0)))
    results = []
    worker = threading.Thread(
        target=lambda: results.append(check_claim(f"g(z) = {SLOW}", "5", checker=checker))
    )
    worker.start()
    worker.join(30)
    assert not worker.is_alive()
    (result,) = results
    assert result.verdict is Verdict.UNDECIDED and "time limit" in result.message
