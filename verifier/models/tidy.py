"""Tidying a readable form (:mod:`verifier.models.readable`): each scalar part collected and
simplified as a course would on the board (`(1 - y) \\hat{y} - y (1 - \\hat{y})` is
`\\hat{y} - y`; `\\sqrt{s}^{2}` is `s`; `\\frac{1}{2} \\frac{1}{\\sqrt{s}} \\frac{1}{s}` is
`\\frac{1}{2 s^{3/2}}`), and `\\mathbf{1}^T \\text{diag}(a) b` written `a^T b`.

SymPy does the algebra on our own typed tree (never on input text); every quantity, function
application and non-scalar product is an opaque symbol to it. A tidied form is a candidate like
any other: the checker confirms it before it is shown."""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from verifier.models import algebra as al
from verifier.parse import typed as ty

MAX_OPS = 200  # operations in one scalar part beyond which it is not simplified


def tidy(node: ty.Node) -> ty.Node:
    """``node`` with its scalar parts simplified."""
    node = _rewrite(al.rebuild(node, tidy))
    if ty.is_scalar(node.shape) and _algebraic(node):
        return _Scalar().simplify(node)
    return node


def _algebraic(node: ty.Node) -> bool:
    """Whether SymPy has arithmetic to do here (a bare quantity or product has none)."""
    return isinstance(node, ty.Add | ty.Neg | ty.Div | ty.Pow) or (
        isinstance(node, ty.Mul) and node.kind == "scale"
    )


def _rewrite(node: ty.Node) -> ty.Node:
    """`1ᵀ diag(a) b` → `aᵀ b`; `1ᵀ diag(a)` → `aᵀ`; `diag(a) 1` → `a`; scalars out of a
    matrix product and gathered into one factor."""
    if isinstance(node, ty.Div) and not ty.is_scalar(node.den.shape):  # `\frac{1}{m} \frac{Y}{A}`
        scalar, rest = _scaled(node.num)
        if scalar is not None:
            return al.times(scalar, ty.Div(0, node.shape, rest, node.den))
    if isinstance(node, ty.Mul) and node.kind == "scale":
        outer, inner = _scaled(node)
        more, rest = _scaled(inner)
        if outer is not None and more is not None:
            return al.times(tidy(al.times(outer, more)), rest)
    if not (isinstance(node, ty.Mul) and node.kind == "matmul"):
        return node
    left, right = node.left, node.right
    if isinstance(left, ty.Diag) and isinstance(right, ty.Ones):
        return left.body
    for i, side in enumerate((left, right)):
        scalar, rest = _scaled(side)
        if scalar is not None:
            product = al.mm(rest, right) if i == 0 else al.mm(left, rest)
            return _rewrite(al.times(scalar, _rewrite(product)))
    row_ones = isinstance(left, ty.Ones) and left.shape[0] == 1
    if not (row_ones or (isinstance(left, ty.Transpose) and isinstance(left.body, ty.Ones))):
        return node
    if isinstance(right, ty.Diag):
        return al.T(right.body)
    if (
        isinstance(right, ty.Mul)
        and right.kind == "matmul"
        and isinstance(right.left, ty.Diag)
        and right.left.body.shape[1:] == (1,)
    ):
        return al.mm(al.T(right.left.body), right.right)
    return node


def _scaled(node: ty.Node) -> tuple[ty.Node | None, ty.Node]:
    """(s, rest) with node = s · rest for a scalar s that is no number, else (None, node)."""
    scale = isinstance(node, ty.Mul) and node.kind == "scale"
    if scale and ty.is_scalar(node.left.shape) and not ty.is_scalar(node.right.shape):
        return node.left, node.right
    if isinstance(node, ty.Div) and not ty.is_scalar(node.num.shape):
        return ty.Div(0, (), ty.Num(0, (), Fraction(1)), node.den), node.num
    return None, node


class _Scalar:
    """One scalar expression taken to SymPy and back."""

    def __init__(self) -> None:
        self.atoms: dict[sp.Symbol, ty.Node] = {}
        self.names: dict[str, sp.Symbol] = {}

    def simplify(self, node: ty.Node) -> ty.Node:
        try:
            e = self.to_sympy(node)
        except _Opaque:
            return node
        if sp.count_ops(e) > MAX_OPS:  # expanding a large one could take long: left as it is
            return node
        forms = [e, sp.factor_terms(sp.expand(e)), sp.factor_terms(e)]
        best = min(forms, key=lambda f: (sp.count_ops(f), len(str(f))))
        try:
            return self.from_sympy(best)
        except _Opaque:
            return node

    # --- to SymPy ---------------------------------------------------------------------
    def to_sympy(self, n: ty.Node) -> sp.Expr:
        if isinstance(n, ty.Num):
            return sp.Rational(Fraction(n.value).numerator, Fraction(n.value).denominator)
        if isinstance(n, ty.Neg):
            return -self.to_sympy(n.body)
        if isinstance(n, ty.Add):
            return sp.Add(*[s * self.to_sympy(t) for t, s in zip(n.terms, n.signs, strict=True)])
        if isinstance(n, ty.Mul) and n.kind == "scale" and ty.is_scalar(n.right.shape):
            return self.to_sympy(n.left) * self.to_sympy(n.right)
        if isinstance(n, ty.Div) and ty.is_scalar(n.num.shape):
            return self.to_sympy(n.num) / self.to_sympy(n.den)
        if isinstance(n, ty.Pow) and al.as_number(n.exponent) is not None:
            p = al.as_number(n.exponent)
            return self.to_sympy(n.base) ** sp.Rational(p.numerator, p.denominator)
        if not ty.is_scalar(n.shape):
            raise _Opaque(type(n).__name__)
        return self._atom(n)

    def _atom(self, n: ty.Node) -> sp.Symbol:
        key = ty.canonical(n)
        if key not in self.names:
            positive = isinstance(n, ty.DimValue)  # a dimension is a count: N > 0
            symbol = sp.Symbol(f"a{len(self.names)}", positive=positive)
            self.names[key], self.atoms[symbol] = symbol, n
        return self.names[key]

    # --- back to a typed tree -----------------------------------------------------------
    def from_sympy(self, e: sp.Expr) -> ty.Node:
        if e.is_Rational:
            return al.number(Fraction(int(e.p), int(e.q)))
        if e.is_Symbol:
            return self.atoms[e]
        if e.is_Add:
            return al.add(*[self.from_sympy(t) for t in _ordered(e.args)])
        if e.is_Mul or e.is_Pow:
            return self._product(e)
        raise _Opaque(type(e).__name__)

    def _product(self, e: sp.Expr) -> ty.Node:
        """c · num / den, the number's numerator and denominator into the fraction."""
        c, factors = e.as_coeff_mul()
        up: list[ty.Node] = []
        down: list[ty.Node] = []
        for f in _ordered(factors):
            base, exp = f.as_base_exp()
            if not exp.is_Rational:
                raise _Opaque("a symbolic exponent")
            (down if exp < 0 else up).append(self._power(base, abs(exp)))
        c = Fraction(int(c.p), int(c.q))
        num = _product([al.number(Fraction(abs(c.numerator))), *up])
        if down or c.denominator != 1:  # built here: al.times would take the number out again
            num = ty.Div(0, (), num, _product([al.number(Fraction(c.denominator)), *down]))
        return num if c > 0 else ty.Neg(0, (), num)

    def _power(self, base: sp.Expr, exp: sp.Rational) -> ty.Node:
        node = self.from_sympy(base)
        if exp == 1:
            return node
        return ty.Pow(0, (), node, ty.Num(0, (), Fraction(int(exp.p), int(exp.q))))


class _Opaque(Exception):
    """Something SymPy's form cannot be written back as (left as it was)."""


def _ordered(args) -> list[sp.Expr]:
    return sorted(args, key=sp.default_sort_key)


def _product(factors: list[ty.Node]) -> ty.Node:
    out = factors[0]
    for f in factors[1:]:
        out = al.times(out, f)
    return out
