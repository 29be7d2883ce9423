"""What the library's functions mean in SymPy (their names live in ``verifier.notation``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from verifier.models.piecewise import Magnitude, Relu, Sign, Step, leaky_relu
from verifier.notation import LIBRARY, leaky_slope


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


_SCALAR: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    "sigmoid": lambda u: 1 / (1 + sp.exp(-u)),
    "tanh": sp.tanh,
    "exp": sp.exp,
    "log": sp.log,
    "identity": lambda u: u,
    "softplus": lambda u: sp.log(1 + sp.exp(u)),
    "relu": Relu,
    "abs": Magnitude,
    "sign": Sign,
    "step": Step,
}
_VECTOR: dict[str, Callable[[list[sp.Expr]], list[sp.Expr]]] = {"softmax": _softmax}

FUNCTIONS: dict[str, Function] = {
    name: Function(name, f.elementwise, _SCALAR.get(name), _VECTOR.get(name), f.latex)
    for name, f in LIBRARY.items()
}

_U = sp.Symbol("u")


def function(name: str) -> Function:
    """The library function ``name``; a leaky ReLU is built for its declared slope."""
    slope = leaky_slope(name)
    if slope is not None:
        return Function(name, True, leaky_relu(sp.Rational(slope.numerator, slope.denominator)))
    return FUNCTIONS[name]


def derivative_of(name: str, order: int) -> Callable[[sp.Expr], sp.Expr]:
    """The ``order``-th derivative of an elementwise function, derived by SymPy."""
    fn = function(name)
    assert fn.scalar is not None
    expr = sp.diff(fn.scalar(_U), _U, order)
    return lambda arg: expr.xreplace({_U: arg})
