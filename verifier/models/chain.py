"""The chain rule, node by node, for :mod:`readable`: the contributions to a quantity's
adjoint from one definition whose adjoint is known (products, quotients, powers, a scalar added
to every entry, functions through ``named``)."""

from __future__ import annotations

from fractions import Fraction

from verifier.models import algebra as al
from verifier.parse import typed as ty


def back(node: ty.Node, g: ty.Node, key: str, named) -> list[ty.Node]:
    """The contributions to the adjoint of ``key`` from ``node`` whose adjoint is ``g``;
    ``named`` gives an elementwise function's argument its adjoint."""
    if not al.mentions(node, key):
        return []
    if isinstance(node, ty.Var):
        return [g]
    if isinstance(node, ty.Add):
        out = []
        for term, sign in zip(node.terms, node.signs, strict=True):
            part = g if sign > 0 else al.neg(g)
            if not al.mentions(term, key):
                continue
            if ty.is_scalar(term.shape) and not ty.is_scalar(node.shape):
                part = al.total(part)  # a scalar added to every entry gets their sum
            out += back(term, part, key, named)
        return out
    if isinstance(node, ty.Neg):
        return back(node.body, al.neg(g), key, named)
    if isinstance(node, ty.Transpose):
        return back(node.body, al.T(g), key, named)
    if isinstance(node, ty.Mul):
        return _back_product(node, g, key, named)
    if isinstance(node, ty.Div) and ty.is_scalar(node.den.shape):
        return _back_quotient(node, g, key, named)
    if isinstance(node, ty.Pow) and node.exponent == ty.Num(node.exponent.pos, (), 2):
        return back(
            node.base, al.times(al.number(Fraction(2)), al.times_diag(node.base, g)), key, named
        )
    if isinstance(node, ty.Pow) and ty.is_scalar(node.base.shape):
        p = al.as_number(node.exponent)
        if p is None or al.mentions(node.exponent, key):
            raise al._no_form("a power whose exponent is no number")
        return back(
            node.base, al.times(al.number(p), al.times(al.power(node.base, p - 1), g)), key, named
        )
    if isinstance(node, ty.Apply):
        return back(node.arg, named(node, g), key, named)
    raise al._no_form(f"no rule for a {type(node).__name__}")


def _back_quotient(node: ty.Div, g: ty.Node, key: str, named) -> list[ty.Node]:
    """a / b for a scalar b: a gets g / b, b gets -⟨g, a⟩ / b²."""
    out = back(node.num, al.quotient(g, node.den), key, named)
    if al.mentions(node.den, key):
        out += back(
            node.den, al.neg(al.quotient(al.inner(g, node.num), al.power(node.den, 2))), key, named
        )
    return out


def _back_product(node: ty.Mul, g: ty.Node, key: str, named) -> list[ty.Node]:
    left, right = node.left, node.right
    if node.kind == "matmul":
        return back(left, al.mm(g, al.T(right)), key, named) + back(
            right, al.mm(al.T(left), g), key, named
        )
    if node.kind == "hadamard":
        return back(left, al.times_diag(right, g), key, named) + back(
            right, al.times_diag(left, g), key, named
        )
    if node.kind == "scale":
        scalar, other = (left, right) if ty.is_scalar(left.shape) else (right, left)
        if ty.is_scalar(other.shape):
            return back(scalar, al.times(g, other), key, named) + back(
                other, al.times(g, scalar), key, named
            )
        return back(scalar, al.inner(g, other), key, named) + back(
            other, al.times(scalar, g), key, named
        )
    raise al._no_form(f"no rule for a {node.kind} product")
