"""The library of functions an assignment's notation can name (``G`` = sigmoid, ``s`` = softmax)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class Function:
    """``scalar`` maps a SymPy scalar; elementwise functions act on each entry of a vector."""

    name: str
    elementwise: bool
    scalar: Callable[[sp.Expr], sp.Expr] | None = None
    vector: Callable[[list[sp.Expr]], list[sp.Expr]] | None = None
    latex: str = ""


def _softmax(v: list[sp.Expr]) -> list[sp.Expr]:
    total = sp.Add(*[sp.exp(e) for e in v])
    return [sp.exp(e) / total for e in v]


FUNCTIONS: dict[str, Function] = {
    "sigmoid": Function("sigmoid", True, lambda u: 1 / (1 + sp.exp(-u)), latex=r"\sigma"),
    "tanh": Function("tanh", True, sp.tanh, latex=r"\tanh"),
    "exp": Function("exp", True, sp.exp, latex=r"\exp"),
    "log": Function("log", True, sp.log, latex=r"\log"),
    "identity": Function("identity", True, lambda u: u, latex=r"\mathrm{id}"),
    "softplus": Function("softplus", True, lambda u: sp.log(1 + sp.exp(u)), latex="softplus"),
    "softmax": Function("softmax", False, vector=_softmax, latex=r"\mathrm{softmax}"),
}

# Commands that always name a function, whatever the assignment says.
BUILTIN_COMMANDS = {
    "log": "log",
    "ln": "log",
    "exp": "exp",
    "tanh": "tanh",
    "softmax": "softmax",
    "sigmoid": "sigmoid",
}

_U = sp.Symbol("u")


def derivative_of(name: str, order: int) -> Callable[[sp.Expr], sp.Expr]:
    """The ``order``-th derivative of an elementwise function, derived by SymPy."""
    fn = FUNCTIONS[name]
    assert fn.scalar is not None
    expr = sp.diff(fn.scalar(_U), _U, order)
    return lambda arg: expr.xreplace({_U: arg})
