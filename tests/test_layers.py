"""The data flows one way: source → parse → models → check → reporters. A module never imports
a later stage; the declared notation (``verifier.notation``) sits below the reader and the
models, and imports nothing of the verifier."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "verifier"

# stage -> stages it must not import
FORBIDDEN = {
    "notation": ("source", "parse", "models", "check", "reporters"),
    "source": ("parse", "models", "check", "reporters"),
    "parse": ("models", "check", "reporters"),
    "models": ("check", "reporters"),
    "check": ("reporters",),
}


def stage(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n.startswith("verifier")}


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if stage(p) in FORBIDDEN)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_later_stage(path: Path) -> None:
    banned = {f"verifier.{s}" for s in FORBIDDEN[stage(path)]}
    bad = {m for m in imported(path) if any(m == b or m.startswith(b + ".") for b in banned)}
    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_notation_imports_nothing_of_the_verifier() -> None:
    assert imported(PACKAGE / "notation.py") == set()
