"""Dimensions used as values (`\\frac{1}{m}`, `(d-2)(d-3)(d-5)`).

A dimension that only sizes vectors is checked at the model's dimension sets. One that enters a
formula as a number is a variable of the claim: a claim rational of degree k in it (numerator
degree + denominator degree, read from the typed tree) is checked at k + 2 distinct values of
it, so a polynomial such as (d-2)(d-3)(d-5) cannot vanish at all of them; several such
dimensions are checked on the grid of their values. A dimension used any other way (inside a
function, in an exponent) makes the claim ``undecided``: no finite set of values is sound.
"""

from __future__ import annotations

import itertools

from verifier.parse import typed as ty

OTHER = -1  # the degree of a dimension used inside a function or an exponent
MAX_SETS = 24  # extra dimension sets one claim may ask for


def degrees(node: ty.Node) -> dict[str, int]:
    """Degree of the expression in each dimension it uses as a value (OTHER if not rational)."""
    if isinstance(node, ty.DimValue):
        return {node.name: 1}
    if isinstance(node, ty.Sum):  # the bounds size the sum; only the body is a value
        return degrees(node.body)
    if isinstance(node, ty.Apply):
        return _other(degrees(node.arg))
    if isinstance(node, ty.Call):  # the right side's own, and the arguments' inside it
        found = degrees(node.body.node)
        for arg in node.args:
            found = _combine(found, _other(degrees(arg)), max)
        return found
    if isinstance(node, ty.Pow):
        base, exponent = degrees(node.base), degrees(node.exponent)
        if exponent:
            return _combine(_other(exponent), _other(base), max)
        k = _integer(node.exponent)
        if k is None:
            return _other(base)
        return {d: OTHER if v == OTHER else v * abs(k) for d, v in base.items()}
    children = ty.children(node)
    if isinstance(node, ty.Deriv):
        children = [node.num]
    found: dict[str, int] = {}
    additive = isinstance(node, ty.Add)
    for child in children:
        found = _combine(found, degrees(child), max if additive else _plus)
    return found


def _integer(node: ty.Node) -> int | None:
    if isinstance(node, ty.Num) and node.value.denominator == 1:
        return int(node.value)
    if isinstance(node, ty.Neg):
        k = _integer(node.body)
        return None if k is None else -k
    return None


def _other(found: dict[str, int]) -> dict[str, int]:
    return dict.fromkeys(found, OTHER)


def _plus(a: int, b: int) -> int:
    return OTHER if OTHER in (a, b) else a + b


def _combine(a: dict[str, int], b: dict[str, int], how) -> dict[str, int]:
    out = dict(a)
    for d, v in b.items():
        if d not in out:
            out[d] = v
        elif OTHER in (out[d], v):
            out[d] = OTHER
        else:
            out[d] = how(out[d], v)
    return out


def varying(sets: list[dict[str, int]]) -> set[str]:
    """Dimensions that take more than one value over the model's sets (not constants)."""
    names = set().union(*sets) if sets else set()
    return {d for d in names if len({s[d] for s in sets}) > 1}


def plan(sets: list[dict[str, int]], used: dict[str, int]) -> list[dict[str, int]] | str:
    """Extra dimension sets for a claim's value dimensions, or why the claim is undecided."""
    used = {d: k for d, k in used.items() if d in varying(sets)}
    if any(k == OTHER for k in used.values()):
        names = ", ".join(sorted(d for d, k in used.items() if k == OTHER))
        return (
            f"the dimension {names} is used inside a function or an exponent: no finite set "
            "of dimension values can decide the claim"
        )
    needs = {d: k + 2 for d, k in used.items() if k > 0}
    needs = {d: k for d, k in needs.items() if len({s[d] for s in sets}) < k}
    if not needs:  # the model's own sets already give every dimension enough values
        return []
    grids = []
    for d in sorted(needs):
        values = sorted({s[d] for s in sets})
        while len(values) < needs[d]:
            values.append(values[-1] + 1)
        grids.append([(d, v) for v in values])
    extra = []
    for combo in itertools.product(*grids):
        dims = {**sets[0], **dict(combo)}
        if dims not in sets and dims not in extra:
            extra.append(dims)
    if len(extra) > MAX_SETS:
        return f"the claim would need {len(extra)} more dimension sets (its degree in dimensions)"
    return extra
