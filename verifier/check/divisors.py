"""Divisions by zero a claim hides: `\\frac{A}{Y}` with Y binary, `\\frac{R * A}{R}` with R a
ReLU's output. SymPy cancels `Y A / Y` to A before any point is evaluated, and a point where a
quotient has no value is left out of the comparison, so agreement elsewhere proves nothing
there: a claim that divides by a quantity that is exactly 0 at a sample point is undecided.

Each divisor is evaluated in Arb at the random points (exact inputs: a binary input's 0 and
max(0, z) at z < 0 are exact zeros, while 1 - σ(z) rounded to 0.0 in float64 is not)."""

from __future__ import annotations

from flint import ctx

from verifier.check.certify import PRECISIONS
from verifier.errors import NotationError
from verifier.models import printing
from verifier.parse import typed as ty

# bits: certify's first working precision, so that the points' evaluators (every node's value
# there) are shared with it; a divisor whose ball still holds 0 is taken as possibly 0
PRECISION = PRECISIONS[0]


def zero_divisor(probe, head, claim, sets: list[int]) -> str:
    """The LaTeX of a divisor of either side (Resolved: a left side may be written too,
    `\\frac{A}{Y} = A`) that may be 0 at one of the random points of dimension sets ``sets`` at
    some index value, or "" when every one is nonzero."""
    divisors = [*_divisors(head.node, ()), *_divisors(claim.node, ())]
    free = {**claim.free, **head.free}
    for n in sets if divisors else ():
        inst, ev, points = probe.instances[n]
        for env in probe.envs(n, free):
            for den, sums in divisors:
                for inner in _bound(ev, sums, env):
                    found = _zero_at(probe, n, den, inner, points)
                    if found is not None:
                        entry, p = found
                        return f"${printing.latex(entry, inst.names)}$ (point {p + 1}, random)"
    return ""


def _divisors(node: ty.Node, sums: tuple) -> list[tuple[ty.Node, tuple]]:
    """(divisor, the sums around it) for each division in ``node``."""
    found = []
    den = _divisor(node)
    if den is not None:
        found.append((den, sums))
    inner = (*sums, node) if isinstance(node, ty.Sum) else sums
    for child in ty.children(node):
        found += _divisors(child, inner if child is getattr(node, "body", None) else sums)
    return found


def _bound(ev, sums: tuple, env: dict) -> list[dict]:
    """``env`` with each value of the indices the sums around a divisor bind (none: itself);
    [] where the sums are too long to go through (the sum's own limit reads them)."""
    envs = [env]
    for s in sums:
        try:
            lo, hi = int(ev.scalar(s.lo, env)), int(ev.scalar(s.hi, env))
        except (NotationError, TypeError, KeyError):
            return []
        envs = [{**e, s.index: k - 1} for e in envs for k in range(lo, hi + 1)]
        if len(envs) > MAX_VALUES:
            return []
    return envs


MAX_VALUES = 4096  # index values a divisor is evaluated at, per point set


def _zero_at(probe, n: int, den: ty.Node, env: dict, points):
    """(an entry of ``den``, the random point) where its Arb ball holds 0, or None."""
    try:
        entries = list(probe.value(n, den, env)[0])
    except (NotationError, KeyError):  # an index bound elsewhere (a condition's): not alone
        return None
    random = points.count - points.structured
    for p in range(random):
        ev = points.evaluator(p, PRECISION)
        for e in entries:
            with ctx.workprec(PRECISION):
                ball = ev(e)
            if ball.is_finite() and ball.contains(0):  # no real value at all: not a divisor's 0
                return e, p
    return None


def _divisor(node: ty.Node) -> ty.Node | None:
    """What ``node`` divides by: a quotient's denominator, a negative power's base (`Y / A`
    entry by entry is `Y ⊙ A^{-1}`); None for a number, which the reader already checks."""
    if isinstance(node, ty.Div):
        den = node.den
    elif isinstance(node, ty.Pow) and _negative(node.exponent):
        den = node.base
    else:
        return None
    return None if isinstance(den, ty.Num | ty.DimValue) else den


def _negative(exponent: ty.Node) -> bool:
    if isinstance(exponent, ty.Neg):
        return True
    return isinstance(exponent, ty.Num) and exponent.value < 0
