"""The cheap hint on a failure ("off by a sign", "off by a constant factor 3", "transposed"),
given only when it is true: screened in float64 at every point, then certified in Arb at the
counterexample point (every entry's ball of claim − hinted value contains 0)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp
from flint import ctx

from verifier.check.numeric import PointSet

MAX_DENOMINATOR = 10**6


def hint(
    points: PointSet,
    p: int,
    prec: int,
    truth: list[sp.Expr],
    claim: list[sp.Expr],
    truth_f: np.ndarray,
    claim_f: np.ndarray,
) -> str | None:
    """A true description of how the claim relates to the truth, or None."""
    axes = tuple(range(1, truth_f.ndim))
    finite = np.isfinite(truth_f).all(axis=axes) & np.isfinite(claim_f).all(axis=axes)
    t, c = truth_f[finite], claim_f[finite]
    if t.size == 0:
        return None
    factor = _factor(t, c)
    if factor is not None and _holds(points, p, prec, truth, claim, lambda i: truth[i] * factor):
        return "off by a sign" if factor == -1 else f"off by a constant factor {_show(factor)}"
    if t.ndim == 3 and t.shape[1] == t.shape[2] > 1 and np.allclose(c, np.swapaxes(t, 1, 2)):
        k = t.shape[1]
        transposed = [truth[(i % k) * k + i // k] for i in range(k * k)]
        if _holds(points, p, prec, truth, claim, lambda i: transposed[i]):
            return "transposed"
    return None


def _factor(t: np.ndarray, c: np.ndarray) -> sp.Rational | None:
    """A rational r, not 0 or 1, with claim = r · truth at every finite point (float64)."""
    mask = t != 0
    if not mask.any() or not np.all(c[~mask] == 0):
        return None
    ratios = c[mask] / t[mask]
    if not np.allclose(ratios, ratios.flat[0], rtol=1e-9, atol=0):
        return None
    r = Fraction(float(ratios.flat[0])).limit_denominator(MAX_DENOMINATOR)
    if r in (0, 1):  # "a factor 0" or "1" is no hint: the claim is 0, or the sides agree
        return None
    return sp.Rational(r.numerator, r.denominator)


def _holds(points: PointSet, p: int, prec: int, truth, claim, expected) -> bool:
    ev = points.evaluator(p, prec)
    with ctx.workprec(prec):
        try:
            return all((ev(c) - ev(expected(i))).contains(0) for i, c in enumerate(claim))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            return False


def _show(r: sp.Rational) -> str:
    """A decimal when it is short and exact (0.0001), else the fraction (1/3)."""
    decimal = f"{float(r):.6g}"
    return decimal if Fraction(decimal) == Fraction(int(r.p), int(r.q)) else f"{r.p}/{r.q}"
