"""The cheap hint on a failure ("off by a sign", "off by a constant factor 3", "transposed"),
given only when it is true: the candidate is read from the certified balls at the
counterexample, then every entry's ball of claim − hinted value must contain 0 (and be finite)
at the counterexample and at the random points (float64 is not trusted here: at the large
structured points 1 − y rounds to 0)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp
from flint import ctx

from verifier.check.numeric import PointSet

MAX_DENOMINATOR = 10**6
_ERRORS = (ValueError, ZeroDivisionError, OverflowError, TypeError)


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
    where = [p, *(q for q in range(points.count - points.structured) if q != p)]
    factor = _factor(points, p, prec, truth, claim)
    if factor is not None and _holds(points, where, prec, claim, [t * factor for t in truth]):
        return "off by a sign" if factor == -1 else f"off by a constant factor {_show(factor)}"
    shape = truth_f.shape[1:]
    if len(shape) == 2 and shape[0] == shape[1] > 1:
        k = shape[0]
        transposed = [truth[(i % k) * k + i // k] for i in range(k * k)]
        if _holds(points, where, prec, claim, transposed):
            return "transposed"
    return None


def _factor(points: PointSet, p: int, prec: int, truth, claim) -> sp.Rational | None:
    """claim/truth at the counterexample, as a short rational; None for 0 or 1 (no hint)."""
    ev = points.evaluator(p, prec)
    with ctx.workprec(prec):
        try:
            for t, c in zip(truth, claim, strict=True):
                tb = ev(t)
                if tb.is_finite() and not tb.contains(0):
                    ratio = ev(c) / tb
                    if not ratio.is_finite():
                        return None
                    r = Fraction(float(ratio.mid())).limit_denominator(MAX_DENOMINATOR)
                    return None if r in (0, 1) else sp.Rational(r.numerator, r.denominator)
        except _ERRORS:
            return None
    return None


def _holds(points: PointSet, where: list[int], prec: int, claim, expected) -> bool:
    """Every entry of claim − expected is a finite ball containing 0, at every point of
    ``where`` where the values are defined (at least two of them)."""
    checked = 0
    for q in where:
        ev = points.evaluator(q, prec)
        with ctx.workprec(prec):
            try:
                balls = [ev(c) - ev(e) for c, e in zip(claim, expected, strict=True)]
            except _ERRORS:
                continue
        if not all(b.is_finite() for b in balls):
            continue
        if not all(b.contains(0) for b in balls):
            return False
        checked += 1
    return checked >= 2


def _show(r: sp.Rational) -> str:
    """A decimal when it is short and exact (0.0001), else the fraction (1/3)."""
    decimal = f"{float(r):.6g}"
    return decimal if Fraction(decimal) == Fraction(int(r.p), int(r.q)) else f"{r.p}/{r.q}"
