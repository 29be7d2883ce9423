"""Certified agreement at one point, in Arb ball arithmetic.

At a point, each entry's difference claim − truth is enclosed twice: as the difference of the
two balls, and as the ball of the SymPy residual ``claim - truth`` (SymPy cancels common terms
exactly, so ``-log y + 10^{-99} x - (-log y)`` is evaluated as ``10^{-99} x``). Then

* a ball without 0 proves the two sides differ there: a certified counterexample;
* a ball with 0 and radius ≤ 2^-P0 · (|claim| + |truth|) is agreement at that point;
* otherwise the working precision is raised, up to the cap; still open → ``unknown``.

There is no absolute tolerance: a difference of 10^{-400} is a difference.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from flint import arb, ctx

from verifier.check.numeric import PointSet

P0 = 256  # target precision (bits) of an agreement, fixed below every working precision
PRECISIONS = (320, 640, 1280, 2560)  # working precisions, raised while undecided; last = cap
AGREE, DIFFER, UNDEFINED, UNKNOWN = "agree", "differ", "undefined", "unknown"
_ERRORS = (ValueError, ZeroDivisionError, OverflowError, TypeError)


@dataclass(frozen=True)
class AtPoint:
    status: str  # agree, differ, undefined (a value is not a finite real), unknown (at the cap)
    entry: int = -1  # flat index of the first differing entry
    claimed: str = ""
    true: str = ""
    prec: int = 0


def certify(
    points: PointSet,
    p: int,
    truth: list[sp.Expr],
    claim: list[sp.Expr],
    residual: list[sp.Expr],
    defined: bool = False,
) -> AtPoint:
    """Compare entry by entry at point ``p``, raising the precision while undecided. With
    ``defined`` (float64 found finite values there) a non-finite ball is also retried: it can
    come from too little precision (log of a ball straddling 0), not from the point."""
    result = AtPoint(UNKNOWN)
    for prec in PRECISIONS:
        ev = points.evaluator(p, prec)
        with ctx.workprec(prec):
            result = _at(ev, truth, claim, residual, prec)
        if result.status == AGREE or result.status == DIFFER:
            return result
        if result.status == UNDEFINED and not defined:
            return result
    return result


def _at(ev, truth, claim, residual, prec: int) -> AtPoint:
    try:
        t_balls = [ev(e) for e in truth]
        c_balls = [ev(e) for e in claim]
    except _ERRORS:
        return AtPoint(UNDEFINED, prec=prec)
    if not all(b.is_finite() for b in (*t_balls, *c_balls)):
        return AtPoint(UNDEFINED, prec=prec)
    status = AGREE
    for i, (t, c, r) in enumerate(zip(t_balls, c_balls, residual, strict=True)):
        enclosures = [c - t, *_ball(ev, r)]
        if any(not d.contains(0) for d in enclosures):
            d = next(d for d in enclosures if not d.contains(0))
            return AtPoint(DIFFER, i, *show_pair(c, t, d), prec=prec)
        radius = min(d.rad() for d in enclosures)
        if not radius <= (c.abs_upper() + t.abs_upper()) * 2.0**-P0:
            status = UNKNOWN
    return AtPoint(status, prec=prec)


def _ball(ev, expr: sp.Expr) -> list[arb]:
    """The residual's own enclosure, when it evaluates to a finite ball."""
    try:
        b = ev(expr)
    except _ERRORS:
        return []
    return [b] if b.is_finite() else []


def show(x: arb, digits: int = 6) -> str:
    """A value as text that never shows a nonzero number as 0."""
    if x.is_exact() and x.is_integer():
        return str(x.unique_fmpz())
    if x.contains(0):
        return "0" if x.is_zero() else f"≈0 (|value| ≤ {x.abs_upper().str(3, radius=False)})"
    return x.mid().str(digits, radius=False)


def show_pair(claimed: arb, true: arb, difference: arb) -> tuple[str, str]:
    """Claimed and true value; where six digits print them alike, the certified difference
    is added, so the text always shows that they differ."""
    c, t = show(claimed), show(true)
    if c == t:
        c = f"{c} (claimed − true = {show(difference, 3)})"
    return c, t
