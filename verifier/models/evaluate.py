"""Typed tree → SymPy value at one model instance. Every value is a matrix (a scalar is 1×1);
the derivative of a vector with respect to a matrix is a :class:`Tensor3`."""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from verifier.errors import NotationError
from verifier.limits import DEFAULT_LIMITS, Limits
from verifier.models import abstract
from verifier.models.functions import derivative_of, function
from verifier.notation import is_unit
from verifier.parse import typed as ty

Env = dict[str, int]


@dataclass(frozen=True)
class Tensor3:
    """Rank-3 value: ``slices[i]`` is ∂(entry i)/∂(matrix), a matrix of the matrix's shape."""

    slices: tuple[sp.ImmutableMatrix, ...]

    def __iter__(self):
        return (e for m in self.slices for e in m)

    def __add__(self, other: Tensor3) -> Tensor3:  # the terms of a `\\sum` of derivatives
        if not isinstance(other, Tensor3):
            raise NotationError("cannot add a rank-3 derivative to a matrix", None)
        return Tensor3(tuple(a + b for a, b in zip(self.slices, other.slices, strict=True)))


class _Bound:
    """A model instance with a formula's parameters bound: they shadow the model's names."""

    def __init__(self, inst, values: dict) -> None:
        self._inst = inst
        self.symbols = {**inst.symbols, **values}

    def __getattr__(self, name: str):
        return getattr(self._inst, name)


def _scalar(value: sp.Expr) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix([[value]])


MEMO = 4_000  # products kept per evaluator


class Evaluator:
    def __init__(self, instance, limits: Limits = DEFAULT_LIMITS, memo: bool = False) -> None:
        self.inst = instance
        self.limits = limits
        # a probe's claims share parts (a readable truth's form repeats the one below it):
        # products without an index are kept, by meaning, for the instance's lifetime
        self._memo: dict[str, object] | None = {} if memo else None

    def value(self, node: ty.Node, env: Env):
        if self._memo is not None and isinstance(node, ty.Mul) and not ty.index_counts(node):
            key = ty.canonical(node)
            if key not in self._memo:
                if len(self._memo) > MEMO:  # a long run of submissions: bounded
                    self._memo.clear()
                self._memo[key] = self._mul(node, env)
            return self._memo[key]
        return getattr(self, "_" + type(node).__name__.lower())(node, env)

    def scalar(self, node: ty.Node, env: Env) -> sp.Expr:
        v = self.value(node, env)
        if isinstance(v, Tensor3) or v.shape != (1, 1):
            raise NotationError("expected a scalar here", node.pos)
        return v[0, 0]

    def _var(self, node: ty.Var, env: Env):
        return self.inst.symbols[node.key]

    def _dimvalue(self, node: ty.DimValue, env: Env):
        return _scalar(sp.Integer(self.inst.dims[node.name]))

    def _num(self, node: ty.Num, env: Env):
        value = sp.Rational(node.value.numerator, node.value.denominator)
        self._check_size(value, node.pos)
        return _scalar(value)

    def _check_size(self, value: sp.Expr, pos: int) -> None:
        """Huge literals (`10^{10^{10}}`) would make SymPy compute for ever: refused."""
        digits = self.limits.max_number_digits
        if value.is_Rational and max(abs(value.p), abs(value.q)) >= 10**digits:
            raise NotationError(f"number with more than {digits} digits", pos)

    def _eulere(self, node: ty.EulerE, env: Env):
        return _scalar(sp.E)

    def index(self, index: str | int, env: Env) -> int:
        return env[index] if isinstance(index, str) else index

    def _entry(self, node: ty.Entry, env: Env):
        var = node.var
        m = self.inst.symbols[var.key] if isinstance(var, ty.Var) else self.value(var, env)
        idx = [self.index(i, env) for i in node.indices]
        if len(idx) == 1:
            if not 0 <= idx[0] < len(m):
                raise NotationError(f"index {idx[0] + 1} is outside `{_name(var)}`", node.pos)
            return _scalar(m[idx[0]])
        if not (0 <= idx[0] < m.rows and 0 <= idx[1] < m.cols):
            raise NotationError(
                f"index ({idx[0] + 1},{idx[1] + 1}) is outside `{_name(var)}`", node.pos
            )
        return _scalar(m[idx[0], idx[1]])

    def _apply(self, node: ty.Apply, env: Env):
        arg = self.value(node.arg, env)
        key = abstract.key_of(node.func)
        if key is not None:  # an abstract g: opaque, its derivatives by order
            return arg.applyfunc(abstract.smooth(key, node.order))
        fn = function(node.func)
        if fn.elementwise:
            f = derivative_of(node.func, node.order) if node.order else fn.scalar
            return arg.applyfunc(f)
        if node.axis:  # each example of a batch: every row, or every column
            return _per_example(arg, fn.vector, node.axis)
        _need_vector(arg, node.func, node.pos)
        out = fn.vector(list(arg))
        return sp.ImmutableMatrix(arg.rows, arg.cols, out)

    def _call(self, node: ty.Call, env: Env):
        """A formula's right side, its parameters bound to the arguments' values."""
        values = {}
        for key, arg in zip(node.body.params, node.args, strict=True):
            value = self.value(arg, env)
            if isinstance(value, Tensor3):
                raise NotationError(f"`{node.func}` of a rank-3 derivative", arg.pos)
            values[key] = value
        return Evaluator(_Bound(self.inst, values), self.limits).value(node.body.node, {})

    def _add(self, node: ty.Add, env: Env):
        values = [self.value(term, env) for term in node.terms]
        if all(isinstance(v, Tensor3) for v in values):
            slices = zip(*(v.slices for v in values), strict=True)
            return Tensor3(tuple(_signed_sum(ms, node.signs) for ms in slices))
        if any(isinstance(v, Tensor3) for v in values):
            raise NotationError("cannot add a rank-3 derivative to a matrix", node.pos)
        shape = _sum_size(values)
        # a scalar beside a vector acts on every entry, and a vector the typed pass broadcasts
        # over a batch (a row over the rows) on every row; the sum is taken entry by entry at
        # once (one n-ary SymPy Add, not a chain of n binary ones)
        entries = [
            [
                sign * v[r if v.rows > 1 else 0, c if v.cols > 1 else 0]
                for v, sign in zip(values, node.signs, strict=True)
            ]
            for r in range(shape[0])
            for c in range(shape[1])
        ]
        return sp.ImmutableMatrix(shape[0], shape[1], [sp.Add(*terms) for terms in entries])

    def _neg(self, node: ty.Neg, env: Env):
        v = self.value(node.body, env)
        return Tensor3(tuple(-m for m in v.slices)) if isinstance(v, Tensor3) else -v

    def _mul(self, node: ty.Mul, env: Env):
        # `a b c d …` is a left-deep chain as long as the product: walked down its left
        # spine in a loop, so a long product never meets Python's recursion limit
        spine = [node]
        while isinstance(spine[-1].left, ty.Mul):
            spine.append(spine[-1].left)
        value = self.value(spine[-1].left, env)
        for mul in reversed(spine):
            value = _product(mul.kind, value, self.value(mul.right, env))
        return value

    def _div(self, node: ty.Div, env: Env):
        num, den = self.value(node.num, env), self.scalar(node.den, env)
        return (
            Tensor3(tuple(m / den for m in num.slices)) if isinstance(num, Tensor3) else num / den
        )

    def _pow(self, node: ty.Pow, env: Env):
        if not ty.is_scalar(node.shape):  # entrywise, in a course that declares it
            values = self.value(node.base, env)
            k = self.scalar(node.exponent, env)
            if not k.is_Integer or abs(k) > 16:
                raise NotationError("an entrywise power takes a small whole exponent", node.pos)
            return sp.ImmutableMatrix(values.applyfunc(lambda e: e**k))
        base, exponent = self.scalar(node.base, env), self.scalar(node.exponent, env)
        size = _digits(base, exponent)
        if size >= self.limits.max_number_digits:
            # base^exponent would be computed exactly by SymPy: refused before it is
            raise NotationError(f"number with about {size:.3g} digits", node.pos)
        if exponent.is_number and abs(exponent) > 10**4:
            raise NotationError("exponent too large", node.exponent.pos)
        return _scalar(base**exponent)

    def _transpose(self, node: ty.Transpose, env: Env):
        v = self.value(node.body, env)
        if isinstance(v, Tensor3):
            raise NotationError("cannot transpose a rank-3 derivative", node.pos)
        return v.T

    def _diag(self, node: ty.Diag, env: Env):
        v = self.value(node.body, env)
        _need_vector(v, "diag", node.pos)
        return sp.ImmutableMatrix(sp.diag(*list(v)))

    def _identity(self, node: ty.Identity, env: Env):
        if not isinstance(node.shape[0], int) and node.shape[0] not in self.inst.dims:
            raise NotationError("cannot tell the size of I here", node.pos)
        (k,) = self.inst.concrete(node.shape[:1])
        return sp.ImmutableMatrix(sp.eye(k))

    def _ones(self, node: ty.Ones, env: Env):
        if any(d == "?" for d in node.shape):
            raise NotationError("cannot tell the length of the ones vector here", node.pos)
        rows, cols = self.inst.concrete(node.shape)
        return sp.ImmutableMatrix(sp.ones(rows, cols))

    def _delta(self, node: ty.Delta, env: Env):
        return _scalar(sp.Integer(int(self.index(node.i, env) == self.index(node.j, env))))

    def _matrix(self, node: ty.Matrix, env: Env):
        rows, cols = node.shape
        return sp.ImmutableMatrix(rows, cols, [self.scalar(e, env) for e in node.entries])

    def _tabulate(self, node: ty.Tabulate, env: Env):
        rows, cols = self.inst.concrete(node.shape)
        if rows * cols > self.limits.max_sum_terms:
            raise NotationError(
                f"a matrix of {rows * cols} entries; the limit is {self.limits.max_sum_terms}",
                node.pos,
            )
        entries = [
            self.scalar(node.body, {**env, **_bound(node.row, r), **_bound(node.col, c)})
            for r in range(rows)
            for c in range(cols)
        ]
        return sp.ImmutableMatrix(rows, cols, entries)

    def _sum(self, node: ty.Sum, env: Env):
        lo, hi = self.scalar(node.lo, env), self.scalar(node.hi, env)
        if not (lo.is_Integer and hi.is_Integer):
            raise NotationError("the limits of a sum must be integers", node.pos)
        if hi - lo + 1 > self.limits.max_sum_terms:
            raise NotationError(
                f"sum of {hi - lo + 1} terms; the limit is {self.limits.max_sum_terms}", node.pos
            )
        lo, hi = int(lo), int(hi)
        terms = [self.value(node.body, {**env, node.index: k - 1}) for k in range(lo, hi + 1)]
        if not terms:
            return _scalar(sp.Integer(0))
        total = terms[0]
        for term in terms[1:]:
            total = total + term
        return total if isinstance(total, Tensor3) else sp.ImmutableMatrix(total)

    def _deriv(self, node: ty.Deriv, env: Env):
        num = self.value(node.num, env)
        if isinstance(num, Tensor3):
            raise NotationError("cannot differentiate a rank-3 derivative", node.pos)
        wrt = self.value(node.wrt, env)
        targets = frozenset(wrt)
        for s in targets:
            if self.inst.kinds.get(s) is None:
                raise NotationError(
                    "can only differentiate with respect to a model quantity", node.pos
                )
        grads = [self.inst.derivatives(e, targets) for e in num]
        return _layout(num, wrt, grads, node, node.layout or self.inst.model.table.layout)


def _sum_size(values: list[sp.ImmutableMatrix]) -> tuple[int, int]:
    """The size of a sum whose terms the typed pass let broadcast: the largest along each axis
    (a 1×C row beside an N×C matrix), 1×1 when every term is a scalar."""
    rows, cols = max(v.rows for v in values), max(v.cols for v in values)
    if any(v.rows not in (1, rows) or v.cols not in (1, cols) for v in values):
        raise NotationError("cannot add values of different sizes", None)
    return rows, cols


def _bound(index: str, value: int) -> Env:
    return {index: value} if index else {}


def _per_example(value: sp.ImmutableMatrix, fn, axis: str) -> sp.ImmutableMatrix:
    """``fn`` of each row (``axis`` "rows") or of each column of ``value``."""
    if axis == "columns":
        return _per_example(value.T, fn, "rows").T
    return sp.ImmutableMatrix([fn(list(value.row(r))) for r in range(value.rows)])


def _need_vector(value, name: str, pos: int) -> None:
    """A function of a whole vector never takes a matrix's entries as one long vector (the
    typed pass refuses it first; this guards the values themselves)."""
    if isinstance(value, Tensor3) or (value.rows > 1 and value.cols > 1):
        raise NotationError(f"{name} of a matrix is not supported", pos)


def _name(node: ty.Node) -> str:
    return node.key if isinstance(node, ty.Var) else "the expression"


def _digits(base: sp.Expr, exponent: sp.Expr) -> float:
    """Digits of base^exponent (numerator or denominator), estimated without computing it:
    (10^{99})^{99} and (10^{-99})^{99} alike. 0 when either is not a number."""
    if not (base.is_number and exponent.is_number) or base == 0:
        return 0.0
    if base.is_Rational:
        magnitude = max(math.log10(abs(int(base.p))), math.log10(int(base.q)))
    else:  # e^{-300} stays symbolic in SymPy: only a large value is a risk
        value = abs(complex(base))
        magnitude = math.log10(value) if value > 1 else 0.0
    return abs(float(exponent)) * magnitude


def _product(kind: str, a, b):
    if kind == "scale":
        if not isinstance(a, Tensor3) and a.shape == (1, 1):
            a, b = b, a
        k = b[0, 0]
        return Tensor3(tuple(m * k for m in a.slices)) if isinstance(a, Tensor3) else a * k
    if kind == "hadamard":
        return sp.ImmutableMatrix(a.multiply_elementwise(b))
    if kind == "contract":
        rows = [
            sum((a[r, k] * b.slices[k] for k in range(a.cols)), sp.zeros(*b.slices[0].shape))
            for r in range(a.rows)
        ]
        return sp.ImmutableMatrix(rows[0]) if len(rows) == 1 else Tensor3(tuple(rows))
    return sp.ImmutableMatrix(a * b)


def _signed_sum(matrices, signs: tuple[int, ...]) -> sp.ImmutableMatrix:
    first = matrices[0]
    return sp.ImmutableMatrix(
        first.rows,
        first.cols,
        [
            sp.Add(*(s * m[k] for m, s in zip(matrices, signs, strict=True)))
            for k in range(len(first))
        ],
    )


def _layout(num, wrt, grads: list[dict], node: ty.Deriv, layout: str):
    """The derivative laid out as the typed pass shaped it. The typed shapes decide, not the
    values' sizes: a 1×d matrix (or a matrix at a dimension set where one of its dimensions
    is 1) keeps the matrix's layout even where its value looks like a row."""
    shape = node.shape
    if len(shape) == 3:
        return Tensor3(tuple(wrt.applyfunc(lambda w, g=g: g[w]) for g in grads))
    if ty.is_scalar(node.num.shape) and (layout == "variable" or shape == node.wrt.shape):
        return wrt.applyfunc(lambda w: grads[0][w])  # a scalar's gradient in wrt's own shape
    if ty.is_scalar(node.wrt.shape):
        return sp.ImmutableMatrix(num.rows, num.cols, [g[wrt[0, 0]] for g in grads])
    jac = sp.ImmutableMatrix([[g[w] for w in wrt] for g in grads])  # out × in
    if layout == "variable":  # composes with gradients in the variable's shape (typed pass)
        return jac if is_unit(node.wrt.shape[0]) else jac.T  # by a row: out × in
    return jac if layout == "numerator" else jac.T
