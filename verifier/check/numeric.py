"""Numeric probing: SymPy values evaluated at sample points, in float64 (vectorised over the
points, for screening) and in Arb ball arithmetic (python-flint) at one point, where a result
is certified: every ball encloses the exact value, so a ball without 0 proves a difference.

The points are exact: every input is a float64 (a dyadic rational), converted to a ball of
radius 0, so the only error in a ball is the arithmetic's own, which Arb accounts for."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from flint import arb, ctx

from verifier.models import abstract, examples
from verifier.models.declare import assumed_range
from verifier.models.evaluate import Tensor3
from verifier.models.instance import Instance
from verifier.notation import SMOOTH

FLOAT_TOL = 1e-8  # float64 screening only: a verdict never rests on it

# The structured points (README, "How it decides"): zero, ±1, ±2, a small and a large magnitude.
# Entry i of every input takes STRUCTURED[(k + i) % len] at structured point k, so each entry
# meets each value once and the entries of one input differ from each other.
STRUCTURED = (0.0, 1.0, -1.0, 2.0, -2.0, 2.0**-10, -(2.0**-10), 8.0, -8.0)
STRUCTURED_POSITIVE = (1.0, 2.0, 2.0**-10, 8.0, 0.5, 4.0, 2.0**-5, 1.5, 3.0)
RANDOM_RANGE = 1.5  # random points are uniform in (-1.5, 1.5), (0.2, 2) where positive
DYADIC = 2.0**-20  # sum-to-one entries are multiples of this, so the sum is exactly 1
# An open range (low, high): points at these fractions of the way (random: uniform between the
# 4th and 5th), so none is on a bound, and some are near each.
INSIDE = (0.5, 0.25, 0.75, 2.0**-10, 1 - 2.0**-10, 0.125, 0.875, 2.0**-5, 1 - 2.0**-5)


class _Float:
    """float64 arrays over all points at once."""

    exp, log, tanh = staticmethod(np.exp), staticmethod(np.log), staticmethod(np.tanh)
    sin, cos = staticmethod(np.sin), staticmethod(np.cos)

    @staticmethod
    def relu(x):
        return np.maximum(x, 0.0)

    @staticmethod
    def step(x):  # nan at the kink itself: only Arb decides there
        return np.where(x > 0, 1.0, np.where(x < 0, 0.0, math.nan))

    @staticmethod
    def sign(x):  # nan at the kink itself, as the step
        return np.where(x > 0, 1.0, np.where(x < 0, -1.0, math.nan))

    magnitude = staticmethod(np.abs)

    def number(self, expr: sp.Expr):
        return float(expr)

    def power(self, base, exponent_expr: sp.Expr, exponent):
        with np.errstate(all="ignore"):
            return np.power(base, exponent)


class _Arb:
    """Arb balls at one point, at the precision of the enclosing ``ctx.workprec``."""

    @staticmethod
    def exp(x: arb) -> arb:
        return x.exp()

    @staticmethod
    def log(x: arb) -> arb:
        return x.log()

    @staticmethod
    def tanh(x: arb) -> arb:
        return x.tanh()

    @staticmethod
    def relu(x: arb) -> arb:
        """max(0, x); a ball across 0 gives a ball holding every value (ReLU is continuous)."""
        if x > 0:
            return x
        if x < 0:
            return arb(0)
        return x.union(arb(0))

    @staticmethod
    def step(x: arb) -> arb:
        """𝟙(x > 0) where the ball is on one side of 0; a ball across 0 has no value (the
        step is not continuous there): the point is not used."""
        if x > 0:
            return arb(1)
        if x < 0:
            return arb(0)
        raise ValueError("at the kink of a piecewise function")

    @staticmethod
    def sign(x: arb) -> arb:
        """sign(x) off the kink; a ball across 0 has no value, as for the step."""
        if x > 0:
            return arb(1)
        if x < 0:
            return arb(-1)
        raise ValueError("at the kink of a piecewise function")

    @staticmethod
    def magnitude(x: arb) -> arb:
        """|x|: a ball across 0 gives a ball holding every value (|·| is continuous)."""
        if x > 0:
            return x
        if x < 0:
            return -x
        return x.union(-x).union(arb(0))

    @staticmethod
    def sin(x: arb) -> arb:
        return x.sin()

    @staticmethod
    def cos(x: arb) -> arb:
        return x.cos()

    def number(self, expr: sp.Expr) -> arb:
        if expr.is_Rational:
            return arb(int(expr.p)) / int(expr.q)
        if expr.is_Float:  # a binary float is exactly mantissa · 2^exponent
            sign, mantissa, exponent, _ = expr._mpf_
            return arb(-int(mantissa) if sign else int(mantissa)) * arb(2) ** int(exponent)
        if expr is sp.E:
            return arb.const_e()
        if expr is sp.pi:
            return arb.pi()
        raise ValueError(f"cannot evaluate the number {expr} in ball arithmetic")

    def power(self, base: arb, exponent_expr: sp.Expr, exponent: arb) -> arb:
        if exponent_expr.is_Integer:  # exact powering; a negative base is fine
            return base ** int(exponent_expr)
        if exponent_expr == sp.Rational(1, 2):
            return base.sqrt()
        return base**exponent


FLOAT, ARB = _Float(), _Arb()


class SympyNumeric:
    """Evaluates SymPy expressions given values for their symbols, sharing subexpressions."""

    def __init__(self, values: dict[sp.Symbol, object], backend=FLOAT) -> None:
        self.values = values
        self.backend = backend
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
        if expr.is_Add or expr.is_Mul:
            args = [self(a) for a in expr.args]
            total = args[0]
            for a in args[1:]:
                total = total + a if expr.is_Add else total * a
            return total
        if expr.is_Pow:
            return b.power(self(expr.base), expr.exp, self(expr.exp))
        if isinstance(expr, abstract.Smooth):
            return self._smooth(expr)
        fn = type(expr).__name__
        if fn in ("Relu", "Step", "Sign", "Magnitude"):
            return getattr(b, fn.lower())(self(expr.args[0]))
        if fn == "Abs":  # SymPy's own |x| (`\\sqrt{s^4}` of a real s is |s^2|)
            return b.magnitude(self(expr.args[0]))
        if fn in ("exp", "log", "tanh", "sin", "cos"):
            with np.errstate(all="ignore"):
                return getattr(b, fn)(self(expr.args[0]))
        raise ValueError(f"cannot evaluate {fn} numerically")

    def _smooth(self, expr: abstract.Smooth):
        """An abstract g (or g', g'') through the point's own instance of it: its parameters
        are values like the inputs', its derivatives SymPy's."""
        params = abstract.parameters(expr.key).values()
        if any(s not in self.values for s in params):  # no point: g(0) alone has no value
            raise ValueError(f"{expr.key} has no value without a sample point")
        values = {s: self.values[s] for s in params}
        values[abstract.U] = self(expr.args[0])
        return SympyNumeric(values, self.backend)(abstract.instance(expr.key, expr.order))


@dataclass
class PointSet:
    """Sample points of one instance: symbol values in float64 (arrays), and per point in Arb
    at a given precision (node values computed from the exact inputs, cached)."""

    instance: Instance
    floats: dict[sp.Symbol, np.ndarray]
    count: int
    structured: int = 0  # the last ``structured`` points are the structured ones
    cases: tuple[int, ...] = ()  # per point, its assumption case (e.g. the hot position)
    smooth: tuple[str, ...] = ()  # abstract functions, evaluated through a random instance
    kinks: int = 0  # arguments of piecewise functions in the model, points kept off their kinks
    one_sided: tuple[str, ...] = ()  # those (LaTeX) with a side no point reached
    _arb: dict = field(default_factory=dict, repr=False)

    def evaluator(self, p: int, prec: int) -> SympyNumeric:
        """An Arb evaluator at point ``p``; its cache is shared by every claim at that point
        (the truth's subexpressions are evaluated once) and emptied when it grows large."""
        key = (p, prec)
        ev = self._arb.get(key)
        if ev is None:
            nodes = self.instance.defs  # everything else is sampled: inputs, g's parameters
            with ctx.workprec(prec):
                values = {s: arb(float(v[p])) for s, v in self.floats.items() if s not in nodes}
                ev = SympyNumeric(values, ARB)
                for s in self.instance.order:
                    values[s] = ev(self.instance.defs[s])
            ev.cache.clear()
            self._arb[key] = ev
        elif len(ev.cache) > 50_000:
            ev.cache.clear()
        return ev

    def floats_evaluator(self) -> SympyNumeric:
        """The float64 evaluator at every point at once; its cache is shared by every claim
        (a truth's and a readable form's parts are evaluated once), emptied when large."""
        ev = self._arb.get("float")
        if ev is None or len(ev.cache) > 50_000:
            ev = self._arb["float"] = SympyNumeric(self.floats, FLOAT)
        return ev

    def describe(self, p: int) -> str:
        kind = "structured" if p >= self.count - self.structured else "random"
        if self.smooth:  # which instance of g the point evaluates, so a reader can redo it
            params = abstract.parameters(self.smooth[0])
            family = next(f for f in abstract.FAMILIES if self.floats[params[f"a_{f}"]][p])
            kind += f"; {', '.join(self.smooth)} there: a·{family}(b·u + c) + d·u + k"
        return f"point {p + 1} ({kind})"


def sample(instance: Instance, count: int, rng: np.random.Generator) -> PointSet:
    """``count`` random points, then the structured ones; a one-hot input is hot at position
    p mod n at point p, so every hot position is covered at every dimension set. In a model
    with ReLU, points near a kink are dropped and more drawn until each side of every kink
    is met (``verifier.check.kinks``)."""
    from verifier.check.kinks import off_kinks  # kinks evaluates with this module

    return off_kinks(instance, count, rng, draw)


def draw(instance: Instance, count: int, rng: np.random.Generator) -> PointSet:
    """The points as drawn, kinks or not."""
    total = count + len(STRUCTURED)
    values: dict[sp.Symbol, np.ndarray] = {}
    assumptions = instance.model.assumptions
    cases = np.zeros(total, dtype=int)
    for key, matrix in instance.symbols.items():
        if instance.kinds[matrix[0]] not in ("leaf", "free"):
            continue
        kind = assumptions.get(key)
        for shift, group in enumerate(examples.groups(instance.model, key, matrix)):
            block = _block(kind, len(group), count, total, rng, shift)
            if kind == "one-hot":  # the case of a point: its hot positions
                cases = cases * len(group) + block.argmax(axis=1)
            for i, s in zip(group, block.T, strict=True):
                values[matrix[i]] = s
    smooth = smooth_keys(instance)
    for key in smooth:  # drawn after the inputs: other models' points unchanged
        values.update(_instances(key, total, rng))
    ev = SympyNumeric(values, FLOAT)
    with np.errstate(all="ignore"):
        for s in instance.order:
            node = np.asarray(ev(instance.defs[s]), dtype=float)
            values[s] = np.broadcast_to(node, (total,))
    cases_ = tuple(int(c) for c in cases)
    return PointSet(instance, values, total, len(STRUCTURED), cases_, tuple(smooth))


def smooth_keys(instance: Instance) -> list[str]:
    """The abstract functions (`g = "smooth"`) of the instance's model."""
    return [k for k, v in instance.model.table.functions.items() if v == SMOOTH]


def _instances(key: str, total: int, rng: np.random.Generator) -> dict[sp.Symbol, np.ndarray]:
    """Parameters of the random instance of `key` at each point: point p's instance is of
    family p mod 3 (a·tanh, a·sin, a·softplus of b·u + c, plus d·u + k), so every dimension
    set sees every family; |a|, |b| in (0.5, 1.5) keep each instance far from a constant."""
    params = abstract.parameters(key)
    family = np.arange(total) % len(abstract.FAMILIES)
    values = {}
    for i, f in enumerate(abstract.FAMILIES):
        sign = rng.choice([-1.0, 1.0], size=(2, total))
        a, b = sign * rng.uniform(0.5, 1.5, size=(2, total))
        values[params[f"a_{f}"]] = np.where(family == i, a, 0.0)
        values[params[f"b_{f}"]] = b
        values[params[f"c_{f}"]] = rng.uniform(-1.0, 1.0, size=total)
    values[params["d"]] = rng.uniform(-0.5, 0.5, size=total)
    values[params["k"]] = rng.uniform(-1.0, 1.0, size=total)
    return values


def _block(kind: str | None, n: int, count: int, total: int, rng, shift: int = 0) -> np.ndarray:
    """Values of n entries of an input (a vector, or example ``shift`` of a batch matrix) at
    every point (rows), exact float64 numbers. One-hot: hot at position (p + shift) mod n at
    point p, so every position is hot at every dimension set and the examples differ."""
    rows = np.arange(total)
    if kind == "one-hot":
        block = np.zeros((total, n))
        block[rows, (rows + shift) % n] = 1.0
        return block
    if kind == "sum-to-one":
        block = np.zeros((total, n))
        block[rows, (rows + shift) % n] = 1.0  # structured: the corners of the simplex
        drawn = np.floor(rng.dirichlet(np.ones(n), size=count) / DYADIC) * DYADIC
        drawn[:, -1] = 1.0 - drawn[:, :-1].sum(axis=1)  # exact: all multiples of 2^-20
        block[:count] = drawn
        return block
    k = np.arange(total - count)[:, None] + np.arange(n)[None, :]
    if kind == "binary":  # entries 0 or 1: random, then each entry meeting both
        drawn = rng.integers(0, 2, size=(count, n)).astype(float)
        return np.concatenate([drawn, (k % 2).astype(float)])
    if kind is not None and kind.startswith("("):
        low, high = assumed_range(kind)
        drawn = rng.uniform(INSIDE[3], INSIDE[4], size=(count, n))
        fractions = np.concatenate([drawn, np.asarray(INSIDE)[k % len(INSIDE)]])
        return low + (high - low) * fractions  # strictly inside: each fraction is in (0, 1)
    table = STRUCTURED_POSITIVE if kind == "positive" else STRUCTURED
    if kind == "positive":
        drawn = rng.uniform(0.2, 2.0, size=(count, n))
    else:
        drawn = rng.uniform(-RANDOM_RANGE, RANDOM_RANGE, size=(count, n))
    structured = np.asarray(table)[k % len(table)]
    return np.concatenate([drawn, structured])


def shape_of(value) -> tuple[int, ...]:
    if isinstance(value, Tensor3):
        return (len(value.slices), *value.slices[0].shape)
    return tuple(value.shape)


def probe(value, points: PointSet) -> np.ndarray:
    """Float64 values, shape (points, *value shape); nan where undefined."""
    ev = points.floats_evaluator()
    with np.errstate(all="ignore"):  # inf and nan are expected: those points are certified
        cols = [np.broadcast_to(_real(ev(e)), (points.count,)) for e in value]
    return np.stack(cols, axis=1).reshape((points.count, *shape_of(value)))


def _real(v) -> np.ndarray:
    a = np.asarray(v)
    if np.iscomplexobj(a):
        return np.where(a.imag == 0, a.real, math.nan)
    return a.astype(float)


def float_close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per point: 1 where every entry agrees in float64, 0 where one differs, nan where a value
    is not finite. A screen only: 0 and nan are certified in Arb before any verdict."""
    axes = tuple(range(1, a.ndim))
    finite = np.isfinite(a).all(axis=axes) & np.isfinite(b).all(axis=axes)
    with np.errstate(all="ignore"):
        ok = (np.abs(a - b) <= FLOAT_TOL * (1 + np.maximum(np.abs(a), np.abs(b)))).all(axis=axes)
    return np.where(finite, ok.astype(float), math.nan)
