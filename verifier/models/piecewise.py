"""Piecewise functions: ReLU and the indicator of a positive argument (its derivative off the
kink). Opaque SymPy functions, so no rewrite ever picks a branch for a symbolic argument; they
are evaluated per point (float64 and Arb), and sample points are kept off their kinks
(``verifier.check.numeric``)."""

from __future__ import annotations

import sympy as sp


class Step(sp.Function):
    """𝟙(u > 0): ReLU's derivative where it has one; its own derivative is 0 off the kink."""

    nargs = 1

    @classmethod
    def eval(cls, u):
        if u.is_positive:
            return sp.Integer(1)
        if u.is_nonpositive:
            return sp.Integer(0)
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.Integer(0)

    def _latex(self, printer, exp=None) -> str:
        text = rf"\mathbb{{1}}\left({printer._print(self.args[0])} > 0\right)"
        return rf"\left({text}\right)^{{{exp}}}" if exp is not None else text


class Relu(sp.Function):
    """max(0, u)."""

    nargs = 1

    @classmethod
    def eval(cls, u):
        if u.is_nonnegative:
            return u
        if u.is_nonpositive:
            return sp.Integer(0)
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return Step(self.args[0])

    def _latex(self, printer, exp=None) -> str:
        text = rf"\mathrm{{relu}}\left({printer._print(self.args[0])}\right)"
        return rf"\left({text}\right)^{{{exp}}}" if exp is not None else text


class Sign(sp.Function):
    """sign(u): |u|'s derivative where it has one; its own derivative is 0 off the kink."""

    nargs = 1

    @classmethod
    def eval(cls, u):
        if u.is_positive:
            return sp.Integer(1)
        if u.is_negative:
            return sp.Integer(-1)
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.Integer(0)

    def _latex(self, printer, exp=None) -> str:
        text = rf"\operatorname{{sign}}\left({printer._print(self.args[0])}\right)"
        return rf"\left({text}\right)^{{{exp}}}" if exp is not None else text


class Magnitude(sp.Function):
    """|u|, kept opaque (SymPy's Abs would rewrite and differentiate through complex parts)."""

    nargs = 1

    @classmethod
    def eval(cls, u):
        if u.is_nonnegative:
            return u
        if u.is_nonpositive:
            return -u
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return Sign(self.args[0])

    def _latex(self, printer, exp=None) -> str:
        text = rf"\left|{printer._print(self.args[0])}\right|"
        return rf"\left({text}\right)^{{{exp}}}" if exp is not None else text


def leaky_relu(slope: sp.Rational):
    """Leaky ReLU with ``slope`` for negative arguments: relu(u) − slope·relu(−u), so its kinks
    and derivative (𝟙(u > 0) + slope·𝟙(−u > 0)) are ReLU's own."""
    return lambda u: Relu(u) - slope * Relu(-u)


PIECEWISE = (
    Step,
    Relu,
    Sign,
    Magnitude,
)  # functions whose arguments' kinks the sample points avoid
