"""Numeric probing: SymPy values evaluated at random points, in float64 (vectorised over the
points) and, where float64 cannot be trusted, in mpmath at high precision."""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp

from verifier.models.evaluate import Tensor3
from verifier.models.instance import Instance

MP_DIGITS = 50
FLOAT_TOL = 1e-8
MP_TOL = 1e-30


class _Backend:
    """float64 arrays over all points at once, or mpmath numbers at one point."""

    def __init__(self, mp: bool) -> None:
        self.mp = mp
        if mp:
            self.exp, self.log, self.tanh = mpmath.exp, mpmath.log, mpmath.tanh
        else:
            self.exp, self.log, self.tanh = np.exp, np.log, np.tanh

    def number(self, expr: sp.Expr):
        if self.mp:
            if expr.is_Rational:
                return mpmath.mpf(int(expr.p)) / int(expr.q)
            return mpmath.mpf(sp.Float(expr, MP_DIGITS + 10))
        return float(expr)

    def power(self, base, exponent):
        if self.mp:
            return mpmath.power(base, exponent)
        with np.errstate(all="ignore"):
            return np.power(base, exponent)


class SympyNumeric:
    """Evaluates SymPy expressions given values for their symbols, sharing subexpressions."""

    def __init__(self, values: dict[sp.Symbol, object], mp: bool) -> None:
        self.values = values
        self.backend = _Backend(mp)
        self.cache: dict[sp.Expr, object] = {}

    def __call__(self, expr: sp.Expr):
        hit = self.cache.get(expr)
        if hit is None:
            hit = self.cache[expr] = self._eval(expr)
        return hit

    def _eval(self, expr: sp.Expr):
        b = self.backend
        if expr.is_Symbol:
            return self.values[expr]
        if expr.is_Number or expr.is_NumberSymbol:
            return b.number(expr)
        if expr.is_Add:
            args = [self(a) for a in expr.args]
            total = args[0]
            for a in args[1:]:
                total = total + a
            return total
        if expr.is_Mul:
            args = [self(a) for a in expr.args]
            total = args[0]
            for a in args[1:]:
                total = total * a
            return total
        if expr.is_Pow:
            return b.power(self(expr.base), self(expr.exp))
        fn = type(expr).__name__
        if fn in ("exp", "log", "tanh"):
            with np.errstate(all="ignore"):
                return getattr(b, fn)(self(expr.args[0]))
        raise ValueError(f"cannot evaluate {fn} numerically")


@dataclass(frozen=True)
class PointSet:
    """Random points for one instance: symbol values in float64 (arrays) and per point."""

    instance: Instance
    floats: dict[sp.Symbol, np.ndarray]
    count: int

    def mp_values(self, p: int) -> dict[sp.Symbol, object]:
        leaves = set(self.instance.leaves())
        with mpmath.workdps(MP_DIGITS):
            values = {s: mpmath.mpf(float(v[p])) for s, v in self.floats.items() if s in leaves}
            ev = SympyNumeric(values, mp=True)
            for s in self.instance.order:
                values[s] = ev(self.instance.defs[s])
        return values


def sample(instance: Instance, count: int, rng: np.random.Generator) -> PointSet:
    values: dict[sp.Symbol, np.ndarray] = {}
    assumptions = instance.model.spec.assumptions
    for key, matrix in instance.symbols.items():
        if instance.kinds[matrix[0]] not in ("leaf", "free"):
            continue
        kind = assumptions.get(key)
        n = len(matrix)
        if kind == "one-hot":
            hot = rng.integers(0, n, size=count)
            block = np.zeros((count, n))
            block[np.arange(count), hot] = 1.0
        elif kind == "sum-to-one":
            block = rng.dirichlet(np.ones(n), size=count)
        elif kind == "positive":
            block = rng.uniform(0.2, 2.0, size=(count, n))
        else:
            block = rng.uniform(-1.5, 1.5, size=(count, n))
        for i, s in enumerate(matrix):
            values[s] = block[:, i]
    ev = SympyNumeric(values, mp=False)
    for s in instance.order:
        values[s] = np.broadcast_to(np.asarray(ev(instance.defs[s]), dtype=float), (count,))
    return PointSet(instance, values, count)


def flat(value) -> list[sp.Expr]:
    return list(value)


def shape_of(value) -> tuple[int, ...]:
    if isinstance(value, Tensor3):
        return (len(value.slices), *value.slices[0].shape)
    return tuple(value.shape)


def probe(value, points: PointSet) -> np.ndarray:
    """Float64 values, shape (points, *value shape); nan where undefined."""
    ev = SympyNumeric(points.floats, mp=False)
    cols = [np.broadcast_to(_real(ev(e)), (points.count,)) for e in flat(value)]
    return np.stack(cols, axis=1).reshape((points.count, *shape_of(value)))


def _real(v) -> np.ndarray:
    a = np.asarray(v)
    if np.iscomplexobj(a):
        return np.where(a.imag == 0, a.real, math.nan)
    return a.astype(float)


def probe_mp(value, points: PointSet, p: int, values: dict | None = None) -> np.ndarray:
    """High-precision values at point ``p``: an object array of mpf, or nan where not real."""
    values = values or points.mp_values(p)
    with mpmath.workdps(MP_DIGITS):
        ev = SympyNumeric(values, mp=True)
        out = []
        for e in flat(value):
            try:
                v = ev(e)
            except (ZeroDivisionError, ValueError):
                v = mpmath.nan
            out.append(v if isinstance(v, mpmath.mpf) else mpmath.nan)
    return np.array(out, dtype=object).reshape(shape_of(value))


def mp_close(a: np.ndarray, b: np.ndarray) -> bool | None:
    """True/False at high precision; None when a value is not a finite real number."""
    with mpmath.workdps(MP_DIGITS):
        for x, y in zip(a.ravel(), b.ravel(), strict=True):
            if not (mpmath.isfinite(x) and mpmath.isfinite(y)):
                return None
            if abs(x - y) > MP_TOL * (1 + max(abs(x), abs(y))):
                return False
    return True


def float_close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per point: True where every entry agrees, False where one differs, nan where undefined."""
    axes = tuple(range(1, a.ndim))
    finite = np.isfinite(a).all(axis=axes) & np.isfinite(b).all(axis=axes)
    with np.errstate(all="ignore"):
        ok = (np.abs(a - b) <= FLOAT_TOL * (1 + np.maximum(np.abs(a), np.abs(b)))).all(axis=axes)
    return np.where(finite, ok.astype(float), math.nan)
