"""Function application: which factor names a function, what ``f'``, ``f^2`` and ``f^{-1}`` mean,
and which arguments a library function takes."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from verifier.errors import NotationError
from verifier.notation import (
    BUILTIN_COMMANDS,
    SMOOTH_PREFIX,
    Batch,
    SymbolTable,
    function_name,
    library,
    symbol_key,
)
from verifier.parse import tree as t
from verifier.parse import typed as ty
from verifier.parse.scripts import read_superscript, unwrap
from verifier.parse.show import juxtapose, show


@dataclass(frozen=True)
class Fn:
    """A function as written before its argument: ``g``, ``\\sigma'``, ``\\tanh^2``."""

    name: str  # library name
    written: str  # as written, for messages
    order: int = 0  # derivative order from primes
    power: t.RNode | None = None  # `\\tanh^2(z)` is (tanh z)^2


def function_of(item: t.RNode, table: SymbolTable) -> Fn | None:
    """The function ``item`` names (``\\log``, ``G``, ``g'``, ``\\tanh^2``), or None."""
    base = unwrap(item.base) if isinstance(item, t.RScripted) else item
    layered = False  # `g^{(1)}` declared: its layer is part of its name
    if isinstance(base, t.RFunc):
        name, written = BUILTIN_COMMANDS.get(base.name, base.name), show(base)
    elif isinstance(base, t.RCmd) and base.name in table.functions:  # declared: `\\softmax`
        name, written = function_name(table.functions[base.name], base.name), base.name
    elif isinstance(base, t.RSym):
        key, layered = _declared(base, item, table)
        if key is None:
            return None
        name, written = function_name(table.functions[key], key), key
    else:
        return None
    if not isinstance(item, t.RScripted):
        return Fn(name, written)
    if item.subs:
        if isinstance(base, t.RSym):
            return None  # `g_j`: a symbol, reported as such
        raise NotationError(f"a subscript on `{written}` is not supported", item.pos)
    sups = [read_superscript(s) for s in item.sups]
    if any(s.transpose or (s.layer is not None and not layered) for s in sups):
        return None
    powers = [s.exponent for s in sups if s.exponent is not None]
    if len(powers) > 1:
        raise NotationError(f"two powers on `{written}`", item.pos)
    primes = item.primes + sum(s.primes for s in sups)
    return Fn(name, written, primes, powers[0] if powers else None)


def _declared(base: t.RSym, item: t.RNode, table: SymbolTable) -> tuple[str | None, bool]:
    """The declared key of a function written as a symbol: `g`, or a layer's own `g^{(1)}`;
    and whether the key holds the layer."""
    key, layered = symbol_key(base.name), False
    if isinstance(item, t.RScripted):
        layers = [s.layer for s in map(read_superscript, item.sups) if s.layer is not None]
        if len(layers) == 1:
            key, layered = symbol_key(base.name, layers[0]), True
    found = key in table.functions and key not in table.quantities
    return (key, layered) if found else (None, False)


def apply(name: str, order: int, arg: ty.Node, pos: int, batch: Batch | None = None) -> ty.Node:
    """The library function ``name`` on ``arg``, or why it cannot take it. In a model of a
    batch, elementwise functions take any matrix and softmax acts on each example."""
    if name == "diag":
        if not ty.is_vector(arg.shape):  # a matrix's diagonal is not what diag(·) builds here
            raise NotationError(f"diag needs a vector, not a {ty.show_shape(arg.shape)}", pos)
        k = ty.vector_length(arg.shape)
        return ty.Diag(pos, (k, k), arg)
    fn = library(name)
    shown = name.removeprefix(SMOOTH_PREFIX)
    if shown != name:  # an abstract g acts entry by entry, like sigmoid
        fn = library("sigmoid")
    if fn is None:
        raise NotationError(f"unknown function `{name}`", pos)
    if len(arg.shape) > 2:
        raise NotationError(f"{shown} of a rank-3 derivative is not supported", pos)
    if fn.elementwise:
        # entry by entry is well defined on any matrix; outside a batch model, only a matrix
        # with one row or one column (a 1×d weight matrix) takes it, as it did as a vector
        if ty.is_matrix(arg.shape) and 1 not in arg.shape and batch is None:
            raise NotationError(f"{shown} of a matrix is not supported", pos)
        return ty.Apply(pos, arg.shape, name, arg, order)
    if order:
        raise NotationError(f"write the derivative of {name} as a Jacobian `\\partial`", pos)
    if ty.is_matrix(arg.shape) and batch is not None and batch.per_example(arg.shape):
        return ty.Apply(pos, arg.shape, name, arg, 0, batch.axis)  # softmax of each example
    if ty.is_matrix(arg.shape):
        raise NotationError(_of_matrix(name, arg.shape, batch), pos)
    if not ty.is_vector(arg.shape):
        raise NotationError(f"{name} needs a vector, not a {ty.show_shape(arg.shape)}", pos)
    return ty.Apply(pos, arg.shape, name, arg)


def _of_matrix(name: str, shape: ty.Shape, batch: Batch | None) -> str:
    """Why a function of a whole vector refuses a matrix, 1×d and d×1 matrices included:
    softmax of each row and of each column differ, and only a batch declares which is meant
    (each example), for a matrix with one example per row (or column)."""
    if batch is not None:
        return (
            f"{name} of a {ty.show_shape(shape)} matrix: examples are the {batch.axis} of "
            f"this model ({batch.size} of them), and this matrix has no {batch.each} per example"
        )
    return (
        f"{name} of a {ty.show_shape(shape)} matrix is not supported: it would act on each row "
        "or on each column, and which one is not declared (declare the model's `batch`)"
    )


def check_power(fn: Fn, exponent: ty.Node, pos: int) -> None:
    """``f^k(z)`` is (f(z))^k for a whole k ≥ 1; ``f^{-1}`` would be the inverse function."""
    k = _constant(exponent)
    if k == -1:
        raise NotationError(f"`{fn.written}^{{-1}}`: inverse functions are not supported", pos)
    if k is None or k < 1 or k.denominator != 1:
        raise NotationError(
            f"write the power of `{fn.written}` after its argument, as `({fn.written}(z))^k`", pos
        )


def short_argument(fn: Fn, items: tuple[t.RNode, ...], i: int, j: int) -> str | None:
    """The reading to record when ``items[i]``, applied to ``items[i+1:j]`` without parentheses,
    is followed by more juxtaposed factors: ``G Wx`` is G(W)·x, as TeX reads it, but the student
    may have meant G(Wx)."""
    end = next((k for k in range(j, len(items)) if isinstance(items[k], t.RMulOp)), len(items))
    if end == j:
        return None
    return (
        f"`{fn.written}` applied to `{juxtapose(items[i + 1 : j])}` only; "
        f"write `{fn.written}({juxtapose(items[i + 1 : end])})` to apply it to more"
    )


def _constant(node: ty.Node) -> Fraction | None:
    if isinstance(node, ty.Num):
        return node.value
    if isinstance(node, ty.Neg):
        inner = _constant(node.body)
        return -inner if inner is not None else None
    return None
