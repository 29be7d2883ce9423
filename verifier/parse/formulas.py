"""Functions of several arguments an assignment defines once (`formulas`):
`\\text{CE}(y, \\hat{y}) = -\\sum_i y_i \\log \\hat{y}_i`. Read with the grammar, never evaluated
as text; definitions and claims apply them (`L = \\text{CE}(t, y^{(2)})`). At each call the right
side is typed anew with the parameters taking the arguments' shapes, so an argument of a shape
the right side cannot use is an error there; the arguments keep their order."""

from __future__ import annotations

from dataclasses import dataclass, replace

from verifier.errors import NotationError
from verifier.notation import Quantity, SymbolTable, symbol_key
from verifier.parse import tree as t
from verifier.parse import typed as ty
from verifier.parse.parser import parse_math
from verifier.parse.scripts import named, unwrap
from verifier.parse.show import show


@dataclass(frozen=True)
class Formula:
    key: str  # `\\CE`, `H`: as a declared name is keyed
    written: str  # `\\text{CE}`, for messages
    params: tuple[str, ...]  # the parameters' keys, in order
    shown_params: tuple[str, ...]  # as written
    body: t.RNode
    earlier: tuple[str, ...]  # formulas declared before it, which its right side may apply


def read_formula(text: str, table: SymbolTable) -> Formula:
    """``NAME(a, b) = body`` as declared; raises NotationError saying what is wrong."""
    seq = parse_math(text)
    if len(seq.pieces) != 1 or seq.pieces[0].rels != ("=",):
        raise NotationError("a formula is written `NAME(a, b) = …`, one equation", 0)
    left, body = seq.pieces[0].exprs
    items = left.items if isinstance(left, t.RProduct) else ()
    if len(items) != 2 or not isinstance(items[1], t.RArguments | t.RParen):
        raise NotationError("a formula's left side is its name and its parameters: `H(a, b)`", 0)
    head = named(items[0], table.typefaces)
    if head is None:
        raise NotationError(f"`{show(items[0])}` cannot name a formula", items[0].pos)
    key = symbol_key(head.name)
    if key in table.quantities or key in table.functions or key in table.dims:
        raise NotationError(f"`{show(items[0])}` is already declared", items[0].pos)
    if key in table.formulas:
        raise NotationError(f"formula `{show(items[0])}` is defined twice", items[0].pos)
    raw = items[1].items if isinstance(items[1], t.RArguments) else (items[1].body,)
    params = [named(p, table.typefaces) for p in raw]
    if any(p is None for p in params):
        bad = next(r for r, p in zip(raw, params, strict=True) if p is None)
        raise NotationError(f"a parameter is a name, not `{show(bad)}`", bad.pos)
    keys = tuple(symbol_key(p.name) for p in params)
    if len(set(keys)) != len(keys):
        raise NotationError("each parameter of a formula is a different name", raw[0].pos)
    return Formula(key, show(items[0]), keys, keys, body, tuple(table.formulas))


def formula_at(node: t.RNode, table: SymbolTable) -> Formula | None:
    """The formula ``node`` names (`\\text{CE}`, `\\mathrm{CE}`, `H`), or None."""
    if not table.formulas:
        return None
    symbol = named(node, table.typefaces)
    found = table.formulas.get(symbol_key(symbol.name)) if symbol is not None else None
    return found if isinstance(found, Formula) else None


MAX_CALLS = 256  # formula applications read in one expression, nested ones included


class CallReading:
    """The Resolver's method for a formula's call (a mixin: it uses the Resolver's state)."""

    def call_unit(self, items: tuple[t.RNode, ...], i: int) -> tuple[ty.Node, int] | None:
        formula = formula_at(items[i], self.table)
        if formula is None:
            return None
        nxt = unwrap(items[i + 1]) if i + 1 < len(items) else None
        if not isinstance(nxt, t.RArguments | t.RParen):
            raise NotationError(
                f"`{formula.written}` needs its arguments: "
                f"`{formula.written}({', '.join(formula.shown_params)})`",
                items[i].pos,
            )
        raw = nxt.items if isinstance(nxt, t.RArguments) else (nxt.body,)
        return self.call(formula, raw, items[i].pos), i + 2

    def call(self, formula: Formula, raw: tuple[t.RNode, ...], pos: int) -> ty.Node:
        # a formula applying another twice, nested k deep, is 2^k calls: bounded, never a hang
        self._calls = getattr(self, "_calls", 0) + 1
        if self._calls > MAX_CALLS:
            raise NotationError(
                f"formulas are applied more than {MAX_CALLS} times in one expression", pos
            )
        if len(raw) != len(formula.params):
            raise NotationError(
                f"`{formula.written}` takes {len(formula.params)} arguments, not {len(raw)}", pos
            )
        args = tuple(self.resolve(a) for a in raw)
        for a in args:
            if len(a.shape) > 2:
                raise NotationError(f"`{formula.written}` of a rank-3 derivative", a.pos)
        quantities = {
            p: Quantity(p, a.shape, "leaf", s)
            for p, a, s in zip(formula.params, args, formula.shown_params, strict=True)
        }
        earlier = {k: self.table.formulas[k] for k in formula.earlier}
        table = replace(
            self.table,
            quantities=quantities,
            families={},
            locals={},
            lenient={},
            slices={},
            hot={},
            d_notation="",
            d_inputs="",
            formulas=earlier,
        )
        reader = type(self)(table, self._max_depth, self.dot)
        reader._calls = self._calls
        try:
            body = reader.resolve(formula.body)
        except NotationError as exc:
            shapes = ", ".join(ty.show_shape(a.shape) for a in args)
            raise NotationError(f"`{formula.written}` of ({shapes}): {exc.message}", pos) from None
        if reader.free_indices:
            raise NotationError(
                f"`{formula.written}`: index `{next(iter(reader.free_indices))}` runs free on "
                "the right side",
                pos,
            )
        self.readings += reader.readings
        self._calls = reader._calls
        return ty.Call(
            pos, body.shape, formula.key, args, ty.Body(formula.key, formula.params, body)
        )
