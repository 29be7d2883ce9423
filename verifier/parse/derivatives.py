"""Which fractions are derivatives: ``\\frac{\\partial E}{\\partial x}`` and ``\\frac{dE}{dx}``.

The differential ``d`` (italic or ``\\mathrm{d}``) is read as such only when the denominator is
``d`` followed by something, so ``\\frac{d}{h}`` stays a division by a dimension.
"""

from __future__ import annotations

from collections.abc import Callable

from verifier.parse import tree as t
from verifier.parse.scripts import unwrap

Parts = tuple[tuple[t.RNode, ...], tuple[t.RNode, ...]]


def _is_partial(node: t.RNode) -> bool:
    return isinstance(node, t.RPartial)


def _is_d(node: t.RNode) -> bool:
    return isinstance(node, t.RSym) and node.name == "d"


def _after(node: t.RNode, is_mark: Callable[[t.RNode], bool]) -> tuple[t.RNode, ...] | None:
    """``∂ X`` → the items of X; ``()`` for the mark alone; None when it does not start so."""
    inner = unwrap(node)
    if is_mark(inner):
        return ()
    if isinstance(inner, t.RProduct) and is_mark(inner.items[0]):
        return inner.items[1:]
    return None


def derivative_parts(frac: t.RFrac) -> Parts | None:
    """The items after the marks in numerator and denominator; None for a plain fraction."""
    num, den = _after(frac.num, _is_partial), _after(frac.den, _is_partial)
    if num is not None and den is not None:
        return num, den
    num, den = _after(frac.num, _is_d), _after(frac.den, _is_d)
    if num is not None and den:
        return num, den
    return None


def is_operator(node: t.RNode) -> bool:
    """``\\frac{\\partial}{\\partial z}`` or ``\\frac{d}{dz}``: acts on the factors after it."""
    parts = derivative_parts(node) if isinstance(node, t.RFrac) else None
    return parts is not None and parts[0] == ()


def is_power_of_d(frac: t.RFrac) -> bool:
    """``\\frac{d^2 E}{dz^2}``: a higher derivative, which must not pass for a division."""
    first = unwrap(frac.num)
    if isinstance(first, t.RProduct):
        first = first.items[0]
    powered = isinstance(first, t.RScripted) and _is_d(unwrap(first.base)) and bool(first.sups)
    return powered and bool(_after(frac.den, _is_d))
