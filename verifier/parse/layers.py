"""Generic layers (a model of depth L declared with a layer index): `W^{[l]}`, `a^{l-1}`,
`g^{l+1\\prime}`, `\\delta^L` read at one depth L and one layer l.

A raw tree is rewritten, before it is typed, into the concrete layers `W^{(2)}` the model of
that depth has: positions are kept, so every message still points at what was written. A layer
the model lacks there (`W^{l+1}` at l = L, `z^{l}` at l = 0) makes the whole instance absent:
the claim says nothing at that layer."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator, Mapping

from verifier.errors import NotationError
from verifier.parse import tree as t
from verifier.parse.examples import letter_of, split_example
from verifier.parse.scripts import named, unwrap
from verifier.parse.sums import sum_lower


class Absent(Exception):
    """A layer the claim names does not exist at this depth and layer."""


# A layer written with the index: the letter and the offset (`l-1` is ("l", -1)).
Generic = tuple[str, int]


@dataclasses.dataclass(frozen=True)
class Layers:
    """How one depth and layer read: ``env`` gives each letter its value (`l`, `L`);
    ``exists(name, k)`` says whether the symbol `name` has a layer k, ``layered(name)`` whether
    it has any; ``bare`` reads `W^l` as a layer (plain layers) beside `W^{(l)}` and `W^{[l]}`;
    ``subscript`` reads `W_l` (subscript layers); the widths' letter ``widths`` reads its first
    subscript as a layer (`n_l`, `n_{l-1}`, `n_L`: that layer's width)."""

    env: Mapping[str, int]
    exists: Callable[[str, int], bool]
    layered: Callable[[str], bool]
    bare: bool = False
    subscript: bool = False
    deepest: int = 0  # the largest depth declared: `W^{(3)}` names a layer some depth has
    widths: str = ""

    @property
    def letters(self) -> frozenset[str]:
        return frozenset(self.env)


def generic(node: t.RNode, letters: frozenset[str], bare: bool) -> Generic | None:
    """The generic layer ``node`` writes: `(l)`, `[l-1]`, `(L)`; with ``bare`` also `l`,
    `l+1`, `L`."""
    node = unwrap(node)
    if isinstance(node, t.RParen) and node.opener in "([":
        return generic(node.body, letters, True)
    if not bare:
        return None
    if isinstance(node, t.RSym) and node.name in letters:
        return node.name, 0
    if isinstance(node, t.RNum) and node.text.isdigit():
        return "", int(node.text)  # a concrete layer: `W^{[2]}` at every depth that has it
    if (
        isinstance(node, t.RSum)
        and len(node.terms) == 2
        and isinstance(node.terms[0], t.RSym)
        and node.terms[0].name in letters
        and isinstance(node.terms[1], t.RNum)
        and node.terms[1].text.isdigit()
    ):
        step = int(node.terms[1].text)
        return node.terms[0].name, step if node.ops[0] == "+" else -step
    return None


def letters_in(node: object, layers: Layers) -> set[str]:
    """The index letters ``node`` uses in layer positions (`W^{[l]}` uses l)."""
    found: set[str] = set()
    for scripted in _scripted(node):
        if named(scripted.base) is None:
            continue
        scripts = [(s, layers.bare) for s in scripted.sups]
        if _subscript_layer(named(scripted.base).name, layers) and scripted.subs:
            scripts.append((scripted.subs[0], True))
        for script, bare in scripts:
            layer = generic(_layer_part(script), layers.letters, bare)
            if layer is not None:
                found.add(layer[0])
    return found


def _subscript_layer(name: str, layers: Layers) -> bool:
    return layers.subscript or (bool(layers.widths) and name == layers.widths)


def bound_letters(node: object, letters: frozenset[str]) -> set[str]:
    """The letters a chain binds itself: each sum's index (`\\sum_{l=1}^{m}`) and each
    example superscript's (`dZ^{[l](i)}`, but `W^{(l)}` is a layer); the layer letters
    ``letters`` must be none of them."""
    found = set()
    for scripted in _scripted(node):
        example = split_example(scripted)
        if example is not None and not _layer_first(scripted, example[1], letters):
            found.add(example[1])
    for big in _sums(node):
        with contextlib.suppress(NotationError):  # an unreadable index: the resolver says so
            found.add(sum_lower(big.subs[0])[0] if len(big.subs) == 1 else "")
    return found - {""}


def _layer_first(node: t.RScripted, letter: str, letters: frozenset[str]) -> bool:
    """Whether `(letter)` opens the first superscript as a layer does (`W^{(l)}`)."""
    first = unwrap(node.sups[0]) if node.sups else None
    if isinstance(first, t.RProduct) and first.items:
        first = first.items[0]
    return letter in letters and first is not None and letter_of(first) == letter


def _sums(node: object) -> Iterator[t.RBigSum]:
    return _nodes(node, t.RBigSum)


def _scripted(node: object) -> Iterator[t.RScripted]:
    return _nodes(node, t.RScripted)


def _nodes(node: object, kind: type) -> Iterator:
    """Every node of ``kind`` in a raw tree, parents first."""
    if isinstance(node, kind):
        yield node
    if isinstance(node, t.RNode):
        for f in dataclasses.fields(node):
            yield from _nodes(getattr(node, f.name), kind)
    elif isinstance(node, tuple):
        for item in node:
            yield from _nodes(item, kind)


def _layer_part(script: t.RNode) -> t.RNode:
    """The part of a script that may hold a layer: `[l]` in `^{[l]T}`, `l` in `^{l\\prime}`
    and `^{l'}`, `l+1` in `^{l+1\\prime}`."""
    inner = unwrap(script)
    if isinstance(inner, t.RProduct) and inner.items:
        return inner.items[0]
    if isinstance(inner, t.RScripted) and not (inner.subs or inner.sups) and inner.primes:
        return inner.base
    if isinstance(inner, t.RSum) and len(inner.terms) == 2:
        last = inner.terms[1]
        if isinstance(last, t.RProduct) and _primes(last.items[1:]):
            return t.RSum(inner.pos, (inner.terms[0], last.items[0]), inner.ops)
    return inner


def _primes(items: tuple[t.RNode, ...]) -> bool:
    return bool(items) and all(isinstance(i, t.RCmd) and i.name == "\\prime" for i in items)


def at_layer(node: t.RNode, layers: Layers, head: bool = False) -> t.RNode:
    """``node`` with every generic layer made concrete; :class:`Absent` where a layer it
    names does not exist. With ``head`` (the name a definition introduces: `\\delta^l`) that
    symbol need not exist yet."""
    symbol = named(node.base) if isinstance(node, t.RScripted) else None
    if head and symbol is not None:
        return _symbol(node, symbol.name, layers, True)
    return _rewrite(node, layers)


def _rewrite(node: object, layers: Layers) -> object:
    if isinstance(node, tuple):
        return tuple(_rewrite(item, layers) for item in node)
    if not isinstance(node, t.RNode):
        return node
    if isinstance(node, t.RScripted):
        symbol = named(node.base)
        if symbol is not None:
            return _symbol(node, symbol.name, layers, False)
    changes = {
        f.name: _rewrite(getattr(node, f.name), layers)
        for f in dataclasses.fields(node)
        if f.name != "pos"
    }
    return dataclasses.replace(node, **changes)


def _symbol(node: t.RScripted, name: str, layers: Layers, head: bool) -> t.RScripted:
    sups = tuple(_script(s, name, layers, head, sup=True) for s in node.sups)
    subs = tuple(_rewrite(s, layers) for s in node.subs)
    if _subscript_layer(name, layers) and subs:  # `W_l`, `n_{l-1}`: the first is the layer
        subs = (_script(node.subs[0], name, layers, head, sup=False), *subs[1:])
    return dataclasses.replace(node, sups=sups, subs=subs)


def _script(script: t.RNode, name: str, layers: Layers, head: bool, sup: bool) -> t.RNode:
    part = _layer_part(script)
    layer = generic(part, layers.letters, layers.bare or not sup)
    if layer is None:
        return _rewrite(script, layers)
    if not head and not layers.layered(name):
        return script  # not a layered name: read as written (an error, or a power)
    k = layers.env[layer[0]] + layer[1] if layer[0] else layer[1]
    if not layer[0] and k > layers.deepest:
        return script  # a power (`a^{7}` in plain layers): no depth has that layer
    if k < 0 or not (head or layers.exists(name, k)):
        raise Absent(f"`{name}` has no layer {k}")
    pos = part.pos
    concrete: t.RNode = t.RParen(pos, t.RNum(pos, str(k)), "(") if sup else t.RNum(pos, str(k))
    return _replace_part(script, concrete)


def _replace_part(script: t.RNode, concrete: t.RNode) -> t.RNode:
    """``script`` with its layer part (see :func:`_layer_part`) replaced by ``concrete``."""
    inner = unwrap(script)
    if isinstance(inner, t.RProduct) and inner.items:
        return dataclasses.replace(inner, items=(concrete, *inner.items[1:]))
    if isinstance(inner, t.RScripted) and not (inner.subs or inner.sups) and inner.primes:
        return dataclasses.replace(inner, base=concrete)
    if isinstance(inner, t.RSum) and len(inner.terms) == 2:
        last = inner.terms[1]
        if isinstance(last, t.RProduct) and _primes(last.items[1:]):
            return t.RProduct(inner.pos, (concrete, *last.items[1:]))
    return concrete
