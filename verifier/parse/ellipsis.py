"""Terms elided with `\\cdots`: `a_1 + a_2 + \\cdots + a_n` is read as Σ_{k=1}^n a_k, and
`y_1 \\\\ \\vdots \\\\ y_n` in a matrix as the vector of the y_k.

The pattern is read from the written terms, never guessed: the first and the last term may
differ only where the first holds a whole number (its position) and the last holds one same
bound in each such place; every other written term must be the pattern at its own position.
Anything else is an error that says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace

from verifier.errors import NotationError
from verifier.parse import tree as t
from verifier.parse.scripts import unwrap

# Letters tried, in order, for the index of the sum or vector a pattern becomes.
_INDEX_LETTERS = "kjilmpqrsuvabc"

_SHAPE = "elided terms need terms that differ only in an index (`a_1 + a_2 + \\cdots + a_n`): "


@dataclass(frozen=True)
class Progression:
    """``template`` with ``index`` in each place the terms differ, running ``lo``..``hi``."""

    template: t.RNode
    index: str
    lo: int
    hi: t.RNode


def is_ellipsis(node: t.RNode) -> bool:
    return isinstance(unwrap(node), t.REllipsis)


def progression(
    first: t.RNode,
    last: t.RNode,
    before: Sequence[t.RNode],
    after: Sequence[t.RNode],
    taken: frozenset[str],
    pos: int,
    index: str = "",
) -> Progression:
    """The pattern of ``first, *before, …, *after, last`` (``before`` follows ``first``;
    ``after`` precedes ``last``); ``taken`` are names the index may not be, unless ``index``
    gives it (a matrix's last row runs over the same column index as its first)."""
    index = index or _fresh_index(taken | _names(first) | _names(last))
    hole = t.RSym(first.pos, index)
    template, places = _template(first, last, hole)
    if not places:
        raise NotationError(_SHAPE + "the terms around it are the same", pos)
    starts = {_whole(a) for a, _ in places}
    if None in starts or len(starts) != 1:
        raise NotationError(_SHAPE + "the first term has no index number where they differ", pos)
    ends = {_key(b) for _, b in places}
    if len(ends) != 1:
        raise NotationError(_SHAPE + "the last term's index differs from place to place", pos)
    (lo,) = starts
    if isinstance(unwrap(template), t.RSym) and unwrap(template).name == index:
        raise NotationError(_SHAPE + "the terms are numbers (`1 + 2 + \\cdots + d`)", pos)
    hi = unwrap(places[0][1])
    for k, term in enumerate(before, start=1):
        _check(term, template, index, t.RNum(term.pos, str(lo + k)), pos)
    for k, term in enumerate(reversed(after), start=1):
        _check(term, template, index, _minus(hi, k), pos)
    return Progression(template, index, lo, hi)


def same(a: t.RNode, b: t.RNode) -> bool:
    """Whether two raw trees say the same, wherever they were written."""
    return _key(a) == _key(b)


def _check(term: t.RNode, template: t.RNode, index: str, at: t.RNode, pos: int) -> None:
    if _key(term) != _key(_substitute(template, index, at)):
        raise NotationError(
            _SHAPE + "a term written beside the dots does not follow the pattern", term.pos
        )


def _minus(hi: t.RNode, k: int) -> t.RNode:
    """``hi - k`` as the grammar reads it (`n-1`), or the number when ``hi`` is one."""
    whole = _whole(hi)
    if whole is not None:
        return t.RNum(hi.pos, str(whole - k))
    return t.RSum(hi.pos, (hi, t.RNum(hi.pos, str(k))), ("-",))


def _fresh_index(used: frozenset[str] | set[str]) -> str:
    for letter in _INDEX_LETTERS:
        if letter not in used:
            return letter
    raise NotationError("no letter is left for the index of the elided terms", None)


def _names(node: t.RNode) -> set[str]:
    return {n.name for n in _walk(node) if isinstance(n, t.RSym)}


def _walk(node: object) -> Iterator[object]:
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, tuple):
            stack.extend(item)
        elif isinstance(item, t.RNode):
            stack.extend(getattr(item, f.name) for f in fields(item) if f.name != "pos")


def _whole(node: t.RNode) -> int | None:
    inner = unwrap(node)
    if isinstance(inner, t.RNum) and inner.text.isdigit():
        return int(inner.text)
    return None


def _key(node: object) -> object:
    """A node's structure without positions; a brace group of one expression is that
    expression (`y_{1}` is `y_1`), and digits side by side one number (`W_{12}`)."""
    if isinstance(node, t.RNode):
        node = unwrap(node)
        digits = _digits_of(node)
        if digits is not None:
            node = t.RNum(node.pos, digits)
        parts = (_key(getattr(node, f.name)) for f in fields(node) if f.name != "pos")
        return (type(node).__name__, *parts)
    if isinstance(node, tuple):
        return tuple(_key(item) for item in node)
    return node


def _digits_of(node: t.RNode) -> str | None:
    """`1 2` as a substituted pattern writes `W_{12}`: the digits, when a product is only
    single digits (the grammar itself reads written digits as one number)."""
    if isinstance(node, t.RProduct) and all(
        isinstance(i, t.RNum) and len(i.text) == 1 and i.text.isdigit() for i in node.items
    ):
        return "".join(i.text for i in node.items)
    return None


def _split_digits(a: t.RNode, b: t.RNode) -> t.RNode:
    """`W_{11}` against `W_{1d}`: the number 11 is the two indices 1 and 1."""
    ua, ub = unwrap(a), unwrap(b)
    if (
        isinstance(ua, t.RNum)
        and ua.text.isdigit()
        and isinstance(ub, t.RProduct)
        and len(ub.items) == len(ua.text)
    ):
        return t.RProduct(ua.pos, tuple(t.RNum(ua.pos, d) for d in ua.text))
    return a


def _template(a: object, b: object, hole: t.RSym) -> tuple[object, list[tuple[t.RNode, t.RNode]]]:
    """``a`` with ``hole`` wherever ``b`` differs, and the differing pairs."""
    if _key(a) == _key(b):
        return a, []
    if isinstance(a, t.RNode) and isinstance(b, t.RNode):
        a, b = _split_digits(a, b), _split_digits(b, a)
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        parts = [_template(x, y, hole) for x, y in zip(a, b, strict=True)]
        return tuple(p for p, _ in parts), [pair for _, pairs in parts for pair in pairs]
    if isinstance(a, t.RNode) and isinstance(b, t.RNode):
        ua, ub = unwrap(a), unwrap(b)
        if type(ua) is type(ub) and _leaves(ua) == _leaves(ub) and not isinstance(ua, t.RNum):
            changes, pairs = {}, []
            for f in fields(ua):
                if f.name == "pos":
                    continue
                part, found = _template(getattr(ua, f.name), getattr(ub, f.name), hole)
                changes[f.name] = part
                pairs += found
            return replace(ua, **changes), pairs
        return hole, [(a, b)]
    return hole, [(a, b)]  # type: ignore[list-item]


def _leaves(node: t.RNode) -> tuple[object, ...]:
    """The fields that are neither nodes nor tuples (names, operators): these must agree."""
    return tuple(
        getattr(node, f.name)
        for f in fields(node)
        if f.name != "pos" and not isinstance(getattr(node, f.name), t.RNode | tuple)
    )


def _substitute(node: object, index: str, value: t.RNode) -> object:
    if isinstance(node, tuple):
        return tuple(_substitute(item, index, value) for item in node)
    if isinstance(node, t.RSym) and node.name == index:
        return value
    if isinstance(node, t.RNode):
        changes = {
            f.name: _substitute(getattr(node, f.name), index, value)
            for f in fields(node)
            if f.name != "pos"
        }
        return replace(node, **changes)
    return node
