"""Sample points off the kinks of piecewise functions (ReLU, 𝟙(z > 0)), with every side met.

A point where the argument of a piecewise application of the model is within ``MARGIN`` of its
kink is dropped: float64 would screen it on the wrong side, and a step has no value there. Each
argument (every entry of z in relu(z)) must take both signs at every dimension set, so a claim
that forgets a branch (`dZ = dA` without ReLU's mask) meets a point where it is wrong; where a
side is missing, twice as many random points are drawn, up to ``ROUNDS`` times. Certification
stays rigorous whatever the margin: a ball across a kink never agrees (``numeric._Arb``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import sympy as sp

from verifier.check.numeric import FLOAT, PointSet, SympyNumeric
from verifier.models import printing
from verifier.models.instance import Instance
from verifier.models.piecewise import PIECEWISE

MARGIN = 2.0**-6
ROUNDS = 4


def arguments(instance: Instance) -> list[sp.Expr]:
    """The arguments of every piecewise application in the model's definitions, in order."""
    found: dict[sp.Expr, None] = {}
    for s in instance.order:
        for application in sorted(instance.defs[s].atoms(*PIECEWISE), key=sp.default_sort_key):
            found[application.args[0]] = None
    return list(found)


def off_kinks(
    instance: Instance, count: int, rng: np.random.Generator, draw: Callable[..., PointSet]
) -> PointSet:
    points = draw(instance, count, rng)
    args = arguments(instance)
    if not args:
        return points
    for attempt in range(1, ROUNDS + 1):
        keep, one_sided = _off(points, args)
        if not one_sided or attempt == ROUNDS:
            break
        points = draw(instance, count * 2**attempt, rng)
    names = [printing.latex(a, instance.names) for a in one_sided]
    return _subset(points, keep, len(args), tuple(names))


def _off(points: PointSet, args: list[sp.Expr]) -> tuple[np.ndarray, list[sp.Expr]]:
    """Which points are off every kink, and the arguments with a side no kept point meets."""
    ev = SympyNumeric(points.floats, FLOAT)
    with np.errstate(all="ignore"):
        values = [np.broadcast_to(np.asarray(ev(a), dtype=float), (points.count,)) for a in args]
    keep = np.ones(points.count, dtype=bool)
    for v in values:
        keep &= np.abs(v) >= MARGIN  # nan is dropped too
    one_sided = [a for a, v in zip(args, values, strict=True) if not _both(v[keep])]
    return keep, one_sided


def _both(v: np.ndarray) -> bool:
    return bool((v > 0).any() and (v < 0).any())


def _subset(points: PointSet, keep: np.ndarray, kinks: int, one_sided: tuple[str, ...]):
    structured = int(keep[points.count - points.structured :].sum())
    return replace(
        points,
        floats={s: np.ascontiguousarray(v[keep]) for s, v in points.floats.items()},
        count=int(keep.sum()),
        structured=structured,
        cases=tuple(c for c, k in zip(points.cases, keep, strict=True) if k),
        kinks=kinks,
        one_sided=one_sided,
        _arb={},
    )
