"""Derivatives written without `\\frac`: ``\\partial E / \\partial W`` inline, the gradient
``\\nabla_W E``, and the d-notation of courses such as Ng's (``dW^{[2]}`` for ∂J/∂W^{[2]}, where
the assignment names J). Each is recognised on the factors of a product, before they are typed.
"""

from __future__ import annotations

from verifier.parse import tree as t


def _unit(node: t.RNode) -> bool:
    return not isinstance(node, t.RMulOp | t.RPartial | t.RBigSum | t.RNabla | t.RFunc)


def inline_fraction(items: tuple[t.RNode, ...], i: int) -> tuple[t.RNode, t.RNode, int] | None:
    """``∂ A / ∂ B`` from ``items[i]``: (A, B, index after it), or None."""
    window = items[i : i + 5]
    if len(window) < 5:
        return None
    first, num, slash, second, den = window
    if (
        isinstance(first, t.RPartial)
        and _unit(num)
        and isinstance(slash, t.RMulOp)
        and slash.op == "/"
        and isinstance(second, t.RPartial)
        and _unit(den)
    ):
        return num, den, i + 5
    return None


def d_notation(items: tuple[t.RNode, ...], i: int) -> tuple[t.RNode, int] | None:
    """``dW^{[2]}`` from ``items[i]``: (the variable, index after it), or None. The `d` must
    touch its variable, as in the notation (`d W` with a space is d times W)."""
    if i + 1 >= len(items):
        return None
    d, var = items[i], items[i + 1]
    if not (isinstance(d, t.RSym) and d.name == "d"):
        return None
    base = var.base if isinstance(var, t.RScripted) else var
    if isinstance(base, t.RSym | t.RDecorated) and base.pos == d.pos + 1:
        return var, i + 2
    return None


def _touching_d(items: tuple[t.RNode, ...], k: int) -> bool:
    """``items[k]`` is a `d` that touches the variable after it (`dE`, not `d E`)."""
    if k + 1 >= len(items):
        return False
    d, var = items[k], items[k + 1]
    base = var.base if isinstance(var, t.RScripted) else var
    return isinstance(d, t.RSym) and d.name == "d" and getattr(base, "pos", -1) == d.pos + 1


def inline_d_fraction(items: tuple[t.RNode, ...], i: int) -> tuple[t.RNode, t.RNode, int] | None:
    """``dA/dB`` from ``items[i]``: the derivative of A by B, as `\\frac{dA}{dB}` reads (never
    a ratio of two d-notation gradients, nor d·A/d·B where `d` is a dimension)."""
    window = items[i : i + 5]
    if len(window) < 5 or not (_touching_d(items, i) and _touching_d(items, i + 3)):
        return None
    slash = window[2]
    if isinstance(slash, t.RMulOp) and slash.op == "/" and _unit(window[1]) and _unit(window[4]):
        return window[1], window[4], i + 5
    return None
