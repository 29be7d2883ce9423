"""An index naming the hot position of a one-hot input (`hot = { o = "y" }`): a side about
`u_o` is read as Σ_o y_o (…), which is its value at the hot position at every point (y is
one-hot), so `lhs(o) = rhs(o)` holds exactly where it holds at each point's hot position."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from verifier.check.conditions import Comparison, Condition, Value
from verifier.check.decide import Resolved
from verifier.errors import NotationError
from verifier.notation import SymbolTable
from verifier.parse import typed as ty


def at_hot(table: SymbolTable, side: Resolved) -> Resolved:
    """``side`` with each hot index it leaves free taken at the hot position."""
    node, free = side.node, dict(side.free)
    for letter, vector in table.hot.items():
        if letter not in free:
            continue
        dim = free.pop(letter)
        q = table.quantities[vector]
        pick = ty.Entry(node.pos, ty.SCALAR, ty.Var(node.pos, q.shape, q.key), (letter,))
        body = ty.Mul(node.pos, node.shape, pick, node, "scale")
        one = ty.Num(node.pos, ty.SCALAR, Fraction(1))
        hi = (
            ty.Num(node.pos, ty.SCALAR, Fraction(dim))
            if isinstance(dim, int)
            else ty.DimValue(node.pos, ty.SCALAR, dim)
        )
        node = ty.Sum(node.pos, node.shape, letter, one, hi, body)
    return replace(side, node=node, free=free)


def hot_condition(table: SymbolTable, condition: Condition) -> Condition:
    """`w \\neq o` with o the hot position of y is the condition on values `y_w \\neq 1`."""
    if not table.hot or not condition.indices & set(table.hot):
        return condition
    comparisons = tuple(_on_values(table, c, condition.source) for c in condition.comparisons)
    others = tuple(hot_condition(table, o) for o in condition.otherwise)
    return replace(condition, comparisons=comparisons, otherwise=others)


def _on_values(table: SymbolTable, c: Comparison, source: str) -> Comparison:
    hot = [t for t in (c.left, c.right) if isinstance(t, str) and t in table.hot]
    if not hot:
        return c
    (other,) = [t for t in (c.left, c.right) if t is not hot[0]] or [hot[0]]
    if len(hot) > 1 or isinstance(other, Value) or c.rel not in ("=", "\\neq", "\\ne", "≠"):
        raise NotationError(
            f"`{hot[0]}` is where `{table.hot[hot[0]]}` is 1: compare it with an index by "
            f"`=` or `\\neq` ({source})",
            None,
        )
    label = table.quantities[table.hot[hot[0]]].label
    index = other if isinstance(other, str) else str(other + 1)
    return Comparison(Value(f"{label}_{{{index}}}"), c.rel, Value("1"))
