"""The key a declared name stands for (``W^{(1)}``, ``E_j``, ``\\hat{y}``, ``W_1``)."""

from __future__ import annotations

from dataclasses import replace

from verifier.errors import NotationError
from verifier.notation import SymbolTable, squared_key, subscripted_key, symbol_key
from verifier.parse import tree as t
from verifier.parse.parser import parse_math
from verifier.parse.scripts import (
    Superscript,
    layer_subscript,
    named,
    plain_layer,
    read_indices,
    read_superscript,
    unwrap,
)
from verifier.parse.squares import is_square
from verifier.parse.words import given_name


def name_of(text: str, table: SymbolTable | None = None) -> str:
    """The key a declaration gives the symbol it names: a subscript is part of a declared name
    (`v_c`, `b_y`, `E_T` are symbols of their own), a layer is read as the course writes it."""
    key, indices = key_of(text, table)
    return subscripted_key(key, indices) if indices else key


def key_of(text: str, table: SymbolTable | None = None) -> tuple[str, tuple[str | int, ...]]:
    """The canonical key and indices of a symbol written in LaTeX (``W^{(1)}``, ``E_j``,
    ``\\hat{y}``, ``\\mathcal{L}``, ``\\text{loss}``; ``W_1`` in a course with subscript
    layers), read with the notation ``table`` declares."""
    return key_of_node(unwrap(parse_math(text)), text, table)


def key_of_node(
    raw: t.RNode, text: str, table: SymbolTable | None = None
) -> tuple[str, tuple[str | int, ...]]:
    """As :func:`key_of`, for a symbol already read (the left side of a definition)."""
    faces = table.typefaces if table else frozenset()
    symbol = named(raw, faces)
    if symbol is None and isinstance(raw, t.RProduct):
        symbol = given_name(raw.items)  # `p(o|c)`
    if symbol is not None:
        return symbol_key(symbol.name), ()
    base = named(raw.base, faces) if isinstance(raw, t.RScripted) else None
    if base is not None and not raw.primes:
        sups = [read_superscript(s) for s in raw.sups]
        if table is not None and table.plain_layers and len(sups) == 1:
            k, rest = plain_layer(sups, lambda k: True)  # a declaration says so
            sups = [Superscript(layer=k)] if k is not None and not rest else sups
        if len(sups) == 1 and is_square(sups) and not raw.primes:  # `\sigma^2`: the variance
            key, indices = key_of_node(replace(raw, sups=()), text, table)
            return squared_key(key), indices  # `\sigma_B^2`, `s^2_j`: as `v_c`, `E_j` are
        if all(s.layer is not None for s in sups) and len(sups) <= 1:
            layer = sups[0].layer if sups else None
            subs = raw.subs
            if table is not None and table.subscript_layers and layer is None:
                layer, subs = layer_subscript(subs, lambda k: True)  # a declaration says so
            indices = tuple(i for s in subs for i in read_indices(s))
            return symbol_key(base.name, layer), indices
    raise NotationError(f"`{text.strip()}` is not a symbol name", 0)
