"""Reading sub- and superscripts: layers ``^{(1)}``, transposes, primes, powers and indices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from verifier.errors import NotationError
from verifier.parse import tree as t

_TRANSPOSE_COMMANDS = {"\\top", "\\intercal"}


@dataclass(frozen=True)
class Superscript:
    layer: int | None = None
    transpose: bool = False
    primes: int = 0
    exponent: t.RNode | None = None


def unwrap(node: t.RNode) -> t.RNode:
    """A brace group holding a single expression is that expression."""
    while isinstance(node, t.RSeq) and len(node.pieces) == 1 and len(node.pieces[0].exprs) == 1:
        if node.pieces[0].continuation:
            break
        node = node.pieces[0].exprs[0]
    return node


def named(node: t.RNode, typefaces: frozenset[str] = frozenset()) -> t.RSym | None:
    """The symbol a node names, or None: ``y``; ``\\hat{y}`` as the name ``\\hat{y}``;
    ``\\mathbf{W}`` as ``W`` when the course declares bold a mere typeface; ``\\text{loss}`` and
    ``\\mathrm{loss}`` as ``loss``."""
    node = unwrap(node)
    if isinstance(node, t.RSym):
        return node
    if isinstance(node, t.RText) and node.text.replace(" ", "").isalpha():
        return t.RSym(node.pos, node.text.replace(" ", ""))
    if isinstance(node, t.RDecorated):
        body = named(node.body, typefaces)
        if body is None:
            return None
        if "\\" + node.decoration in typefaces:
            return t.RSym(node.pos, body.name)
        inner = body.name if len(body.name) == 1 or body.name.startswith("\\") else "\\" + body.name
        return t.RSym(node.pos, f"\\{node.decoration}{{{inner}}}")
    return None


def _is_transpose_mark(node: t.RNode) -> bool:
    if isinstance(node, t.RTransposeMark):
        return True
    if isinstance(node, t.RSym) and node.name == "T":
        return True
    if isinstance(node, t.RCmd) and node.name in _TRANSPOSE_COMMANDS:
        return True
    return (
        isinstance(node, t.RProduct)
        and len(node.items) == 2
        and isinstance(node.items[0], t.RCmd)
        and node.items[0].name in ("\\mathsf", "\\mathrm")
        and _is_transpose_mark(unwrap(node.items[1]))
    )


def _layer(node: t.RNode) -> int | None:
    if isinstance(node, t.RParen) and isinstance(node.body, t.RNum) and node.body.text.isdigit():
        return int(node.body.text)
    return None


def read_superscript(node: t.RNode) -> Superscript:
    inner = unwrap(node)
    if _is_transpose_mark(inner):
        return Superscript(transpose=True)
    if isinstance(inner, t.RCmd) and inner.name == "\\prime":
        return Superscript(primes=1)
    layer = _layer(inner)
    if layer is not None:
        return Superscript(layer=layer)
    primed = _primed_layer(inner)  # `g^{(1)'}`, `g^{(1)\prime}`: a layer's g differentiated
    if primed is not None:
        return primed
    if isinstance(inner, t.RProduct) and _layer(inner.items[0]) is not None:
        rest = inner.items[1:]
        if len(rest) == 1 and _is_transpose_mark(unwrap(rest[0])):
            return Superscript(layer=_layer(inner.items[0]), transpose=True)
        if len(rest) == 2 and _is_transpose_mark(t.RProduct(rest[0].pos, tuple(rest))):
            return Superscript(layer=_layer(inner.items[0]), transpose=True)
    return Superscript(exponent=inner)


def _primed_layer(inner: t.RNode) -> Superscript | None:
    if isinstance(inner, t.RScripted) and not (inner.subs or inner.sups) and inner.primes:
        layer = _layer(inner.base)
        return Superscript(layer=layer, primes=inner.primes) if layer is not None else None
    if isinstance(inner, t.RProduct) and _layer(inner.items[0]) is not None:
        rest = inner.items[1:]
        if all(isinstance(r, t.RCmd) and r.name == "\\prime" for r in rest):
            return Superscript(layer=_layer(inner.items[0]), primes=len(rest))
    return None


def read_indices(node: t.RNode) -> tuple[str | int, ...]:
    """``_{uv}``, ``_{u,v}``, ``_j`` and ``_1`` (1-based in the text, 0-based here)."""
    inner = unwrap(node)
    if isinstance(inner, t.RSeq):
        return tuple(i for piece in inner.pieces for e in piece.exprs for i in read_indices(e))
    if isinstance(inner, t.RSym) and len(inner.name) == 1:
        return (inner.name,)
    if isinstance(inner, t.RNum) and inner.text.isdigit():
        if int(inner.text) < 1:
            raise NotationError("indices count from 1", inner.pos)
        return (
            tuple(int(c) - 1 for c in inner.text) if len(inner.text) > 1 else (int(inner.text) - 1,)
        )
    if isinstance(inner, t.RProduct):
        return tuple(i for item in inner.items for i in read_indices(item))
    raise NotationError("cannot read this subscript as indices", node.pos)


def _integer(node: t.RNode) -> int | None:
    node = unwrap(node)
    return int(node.text) if isinstance(node, t.RNum) and node.text.isdigit() else None


def layer_subscript(
    subs: tuple[t.RNode, ...], is_layer: Callable[[int], bool]
) -> tuple[int | None, tuple[t.RNode, ...]]:
    """For a course that writes layers as subscripts: `W_1` is layer 1 and `W_{1,ij}` its
    entry (i, j), while `W_{ij}` stays an entry. ``is_layer(k)`` says whether the symbol has a
    layer k. Returns the layer (or None) and the subscripts left for indices."""
    if not subs:
        return None, subs
    first = subs[0]
    inner = first
    while isinstance(inner, t.RSeq) and len(inner.pieces) == 1 and len(inner.pieces[0].exprs) == 1:
        inner = inner.pieces[0].exprs[0]
    if isinstance(inner, t.RSeq) and len(inner.pieces) >= 2:  # `W_{1,ij}`
        k = _integer(inner.pieces[0].exprs[0]) if len(inner.pieces[0].exprs) == 1 else None
        if k is not None and is_layer(k):
            rest = t.RSeq(inner.pieces[1].pos, inner.pieces[1:])
            return k, (rest, *subs[1:])
    k = _integer(first)
    if k is not None and is_layer(k):
        return k, subs[1:]
    return None, subs


def plain_layer(
    sups: list[Superscript], is_layer: Callable[[int], bool]
) -> tuple[int | None, list[Superscript]]:
    """For a course that writes layers as plain superscripts: `W^2`, `a^{1}` is layer k when
    the symbol has a layer k (a power of it is then written `(a^1)^2`). Returns the layer (or
    None) and the superscripts left."""
    for n, sup in enumerate(sups):
        k = _integer(sup.exponent) if sup.exponent is not None else None
        if k is not None and is_layer(k):
            return k, sups[:n] + sups[n + 1 :]
    return None, sups
