"""A model: its symbol table and its definitions, read with the same grammar as submissions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.errors import AssignmentError, NotationError
from verifier.models.assignment import Assignment, ModelSpec
from verifier.notation import Lenient, Quantity, SymbolTable, subscripted_key, symbol_key
from verifier.parse import tree as t
from verifier.parse import typed as ty
from verifier.parse.parser import parse_math
from verifier.parse.resolve import Resolver
from verifier.parse.scripts import (
    Superscript,
    layer_subscript,
    named,
    plain_layer,
    read_indices,
    read_superscript,
    unwrap,
)
from verifier.parse.words import given_name


@dataclass(frozen=True)
class Definition:
    key: str  # the node defined (a family's key for `E_j = ...`)
    index: str | None  # the family index, e.g. "j"
    rhs: ty.Node
    source: str


@dataclass(frozen=True)
class Model:
    name: str
    spec: ModelSpec
    table: SymbolTable
    definitions: tuple[Definition, ...]

    @property
    def dimension_sets(self) -> list[dict[str, int]]:
        return [{**self.spec.constants, **dims} for dims in self.spec.dimensions]


def name_of(text: str, table: SymbolTable | None = None) -> str:
    """The key a declaration gives the symbol it names: a subscript is part of a declared name
    (`v_c`, `b_y`, `E_T` are symbols of their own), a layer is read as the course writes it."""
    key, indices = key_of(text, table)
    return subscripted_key(key, indices) if indices else key


def key_of(text: str, table: SymbolTable | None = None) -> tuple[str, tuple[str | int, ...]]:
    """The canonical key and indices of a symbol written in LaTeX (``W^{(1)}``, ``E_j``,
    ``\\hat{y}``, ``\\mathcal{L}``, ``\\text{loss}``; ``W_1`` in a course with subscript
    layers), read with the notation ``table`` declares."""
    faces = table.typefaces if table else frozenset()
    raw = unwrap(parse_math(text))
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
        if all(s.layer is not None for s in sups) and len(sups) <= 1:
            layer = sups[0].layer if sups else None
            subs = raw.subs
            if table is not None and table.subscript_layers and layer is None:
                layer, subs = layer_subscript(subs, lambda k: True)  # a declaration says so
            indices = tuple(i for s in subs for i in read_indices(s))
            return symbol_key(base.name, layer), indices
    raise NotationError(f"`{text}` is not a symbol name", 0)


def _shape(spec: list[str | int], constants: dict[str, int]) -> ty.Shape:
    shape = tuple(constants.get(d, d) if isinstance(d, str) else d for d in spec)
    return () if shape in ((), (1, 1)) else shape


def build_model(assignment: Assignment, name: str) -> Model:
    spec = assignment.models[name]
    try:
        return _build(assignment, spec)
    except NotationError as exc:
        raise AssignmentError(f"{assignment.path}: model {name}: {exc.message}") from None


def _build(assignment: Assignment, spec: ModelSpec) -> Model:
    dims: dict[str, int | None] = {d: None for ds in spec.dimensions for d in ds}
    dims.update(spec.constants)
    table = SymbolTable(
        dims=dims,
        layout=assignment.layout,
        typefaces=assignment.typefaces,
        subscript_layers=assignment.subscript_layers,
        plain_layers=assignment.plain_layers,
        transpose_marks=assignment.transpose_marks,
        elementwise=assignment.elementwise,
    )
    table.functions = {_function_key(k, table): v for k, v in assignment.functions.items()}
    if assignment.d_notation:
        table.d_notation = key_of(assignment.d_notation, table)[0]
    for kind, symbols in (("leaf", spec.inputs), ("free", spec.variables)):
        for text, shape in symbols.items():
            key = name_of(text, table)
            table.quantities[key] = Quantity(key, _shape(shape, spec.constants), kind, text)
    table.lenient = {name_of(k, table): Lenient(name_of(v, table)) for k, v in spec.lenient.items()}
    definitions = []
    for source in spec.definitions:
        definitions.append(_definition(table, source))
    _check_d_notation(table)
    if "t" in table.transpose_marks and ("t" in table.quantities or "t" in table.dims):
        raise NotationError("notation.transpose: `t` is also a name of this model", 0)
    return Model(spec.name, spec, table, tuple(definitions))


def _function_key(text: str, table: SymbolTable) -> str:
    """A declared function is a symbol (`G`, `g`) or a command of the course (`\\softmax`)."""
    command = text.strip()
    return command if re.fullmatch(r"\\[A-Za-z]+", command) else key_of(text, table)[0]


def _check_d_notation(table: SymbolTable) -> None:
    """`dW` cannot mean ∂J/∂W where `d` is also a dimension or a quantity of the model."""
    if not table.d_notation:
        return
    if "d" in table.dims or "d" in table.quantities:
        raise NotationError("notation.d: `d` is also a name of this model, so `dW` is ambiguous", 0)
    if table.d_notation not in table.quantities:
        raise NotationError(f"notation.d: `{table.d_notation}` is not a quantity of this model", 0)


def _definition(table: SymbolTable, source: str) -> Definition:
    seq = parse_math(source)
    if len(seq.pieces) != 1 or len(seq.pieces[0].exprs) != 2:
        raise NotationError(f"a definition is `node = expression`: {source!r}", 0)
    lhs, rhs_raw = seq.pieces[0].exprs
    key, indices = key_of_raw(lhs, source, table)
    if key in (table.families if indices else table.quantities):
        raise NotationError(f"`{key}` is defined twice", lhs.pos)
    resolver = Resolver(table)
    rhs = resolver.resolve(rhs_raw)
    if indices and (len(indices) > 1 or indices[0] not in resolver.free_indices):
        key, indices = subscripted_key(key, indices), ()  # `E_T = …`: a name, not a family
        if key in table.quantities:
            raise NotationError(f"`{key}` is defined twice", lhs.pos)
    if indices:
        (index,) = indices
        dim = resolver.free_indices.get(index)
        if dim is None or not ty.is_scalar(rhs.shape):
            raise NotationError(f"`{source}`: a family must be a scalar indexed by {index}", 0)
        family = Quantity(f"{key}_*", (dim, 1), "family", display=f"{key}_{index}")
        table.families[key] = family
        table.quantities.setdefault(family.key, family)
        return Definition(family.key, str(index), rhs, source)
    shape = () if ty.is_scalar(rhs.shape) else rhs.shape
    written = source[lhs.pos : source.index("=")].strip()  # shown as the course writes it
    table.quantities[key] = Quantity(key, shape, "node", written)
    return Definition(key, None, rhs, source)


def key_of_raw(
    node: t.RNode, source: str, table: SymbolTable | None = None
) -> tuple[str, tuple[str | int, ...]]:
    start = node.pos
    return key_of(source[start : source.index("=")].strip(), table)
