"""Piecewise functions: ReLU and the indicator of a positive argument (its derivative off the
kink). Opaque SymPy functions, so no rewrite ever picks a branch for a symbolic argument; they
are evaluated per point (float64 and Arb), and sample points are kept off their kinks
(``verifier.check.numeric``)."""

from __future__ import annotations

import sympy as sp


class _Piecewise(sp.Function):
    """One argument, kept opaque; ``shown`` is its LaTeX with %s for the argument."""

    nargs = 1
    shown = "%s"

    def _latex(self, printer, exp=None) -> str:
        text = self.shown % printer._print(self.args[0])
        return rf"\left({text}\right)^{{{exp}}}" if exp is not None else text


class Step(_Piecewise):
    """𝟙(u > 0): ReLU's derivative where it has one; its own derivative is 0 off the kink."""

    shown = r"\mathbb{1}\left(%s > 0\right)"

    @classmethod
    def eval(cls, u):
        if u.is_positive:
            return sp.Integer(1)
        if u.is_nonpositive:
            return sp.Integer(0)
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.Integer(0)


class Relu(_Piecewise):
    """max(0, u)."""

    shown = r"\mathrm{relu}\left(%s\right)"

    @classmethod
    def eval(cls, u):
        if u.is_nonnegative:
            return u
        if u.is_nonpositive:
            return sp.Integer(0)
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return Step(self.args[0])


class Sign(_Piecewise):
    """sign(u): |u|'s derivative where it has one; its own derivative is 0 off the kink."""

    shown = r"\operatorname{sign}\left(%s\right)"

    @classmethod
    def eval(cls, u):
        if u.is_positive:
            return sp.Integer(1)
        if u.is_negative:
            return sp.Integer(-1)
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.Integer(0)


class Magnitude(_Piecewise):
    """|u|, kept opaque (SymPy's Abs would rewrite and differentiate through complex parts)."""

    shown = r"\left|%s\right|"

    @classmethod
    def eval(cls, u):
        if u.is_nonnegative:
            return u
        if u.is_nonpositive:
            return -u
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return Sign(self.args[0])


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
