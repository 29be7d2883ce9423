"""Example superscripts, where a batch model declares them (`example = "(i)"`, Ng's notation):
`Y^{(i)}`, `A^{[2](i)}`, `dZ^{[2](i)}`, `x^{(i)T}` name example i of a batch matrix.

Only a letter in round brackets is an example: `^{(2)}` stays layer 2, as everywhere. The
example is taken off the raw tree before it is typed, so that the rest reads as it always
does; the resolver then takes that example (a column or a row) of what the rest is."""

from __future__ import annotations

import dataclasses

from verifier.parse import tree as t
from verifier.parse.scripts import read_superscript, unwrap


def split_example(node: t.RNode) -> tuple[t.RScripted, str, t.RNode | None] | None:
    """(``node`` without its example superscript, the example's letter, what follows the
    example in its superscript: `T` in `x^{(i)T}`, `2` in `a^{[1](i)2}`, both of example i),
    or None."""
    if not isinstance(node, t.RScripted):
        return None
    for k, sup in enumerate(node.sups):
        inner = unwrap(sup)
        after: t.RNode | None = None
        if letter_of(inner) is not None:
            rest: tuple[t.RNode, ...] = ()
        elif isinstance(inner, t.RProduct):
            marks = [j for j, item in enumerate(inner.items) if letter_of(item) is not None]
            if len(marks) != 1:
                continue
            at = marks[0]
            trailing = inner.items[at + 1 :]
            after = _product(inner, trailing) if trailing else None
            kept = inner.items[:at]
            if after is not None and read_superscript(after).layer is not None:
                kept, after = kept + trailing, None  # `A^{(i)[2]}`: the layer stays on A
            rest = () if not kept else (_product(inner, kept),)
            inner = inner.items[at]
        else:
            continue
        sups = node.sups[:k] + rest + node.sups[k + 1 :]
        return dataclasses.replace(node, sups=sups), str(letter_of(inner)), after
    return None


def _product(inner: t.RProduct, items: tuple[t.RNode, ...]) -> t.RNode:
    return items[0] if len(items) == 1 else dataclasses.replace(inner, items=items)


def letter_of(node: t.RNode) -> str | None:
    """`(i)`: the letter, or None."""
    inner = unwrap(node)
    if not (isinstance(inner, t.RParen) and inner.opener == "("):
        return None
    body = unwrap(inner.body)
    return body.name if isinstance(body, t.RSym) and len(body.name) == 1 else None


def renamed(node: t.RScripted, name: str) -> t.RScripted:
    """``node`` with its base symbol named ``name`` (`a^{[2]}` as `A^{[2]}`)."""
    return dataclasses.replace(node, base=dataclasses.replace(node.base, name=name))
