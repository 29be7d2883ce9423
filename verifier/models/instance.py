"""A model at one dimension set: SymPy symbols for every quantity and the definitions as
substitutions, so that derivatives through intermediate nodes come out of ``sympy.diff``."""

from __future__ import annotations

import itertools
import re
from functools import cached_property

import sympy as sp

from verifier.errors import NotationError
from verifier.models.model import Definition, Model
from verifier.models.printing import names_of
from verifier.parse import typed as ty


def _safe(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "", key.replace("^{(", "")) or "q"


class Instance:
    """Symbols are named like ``W1[1,2]`` (1-based); node symbols stand for their definitions."""

    def __init__(self, model: Model, dims: dict[str, int]) -> None:
        from verifier.models.evaluate import Evaluator  # evaluate needs Instance's type only

        self.model = model
        self.dims = dims
        self.symbols: dict[str, sp.ImmutableMatrix] = {}
        self.kinds: dict[sp.Symbol, str] = {}
        self.defs: dict[sp.Symbol, sp.Expr] = {}
        self.order: list[sp.Symbol] = []
        # the nodes each node depends on, grown with every definition: a later definition may
        # be a derivative (a named δ), taken while the instance is still being built
        self.ancestors: dict[sp.Symbol, frozenset[sp.Symbol]] = {}
        self._partials: dict[tuple[sp.Symbol, sp.Symbol], sp.Expr] = {}
        self._adjoints: dict[sp.Expr, dict[sp.Symbol, sp.Expr]] = {}
        self._names: dict[str, str] = {}  # symbol name -> the key it stands for
        for key, q in model.table.quantities.items():
            if q.kind in ("leaf", "free"):
                self.symbols[key] = self._matrix(key, q.shape, q.kind)
        evaluator = Evaluator(self)
        for d in model.definitions:
            try:
                self._define(d, evaluator)
            except NotationError as exc:
                raise model.refusal(d, f"{exc.message} (at {_dims_text(dims)})") from None

    def _define(self, d: Definition, evaluator) -> None:
        q = self.model.table.quantities[d.key]
        symbols = self._matrix(d.key, q.shape, "node")
        if not d.indices:
            flat = list(evaluator.value(d.rhs, {}))
        else:  # a family: the right side at every value of its indices, row by row
            sizes = (symbols.rows, symbols.cols)[: len(d.indices)]
            envs = itertools.product(*(range(n) for n in sizes))
            flat = [evaluator.value(d.rhs, dict(zip(d.indices, e, strict=True)))[0] for e in envs]
        for s, v in zip(symbols, flat, strict=True):
            if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
                raise NotationError(
                    f"it has no value ({v} in SymPy): a division by zero or the log of 0?", 0
                )
            self.defs[s] = v
            self.order.append(s)
            found: set[sp.Symbol] = set()
            for f in v.free_symbols:
                found.add(f)
                found |= self.ancestors.get(f, frozenset())
            self.ancestors[s] = frozenset(found)
        self.symbols[d.key] = symbols

    def concrete(self, shape: ty.Shape) -> tuple[int, ...]:
        return tuple(d if isinstance(d, int) else self.dims[d] for d in shape)

    def _matrix(self, key: str, shape: ty.Shape, kind: str) -> sp.ImmutableMatrix:
        rows, cols = (*self.concrete(shape), 1, 1)[:2] if shape else (1, 1)
        name = self._unique(_safe(key), key)
        syms = [
            [
                sp.Symbol(  # 1-based, like every index a student or a message writes
                    f"{name}[{i + 1},{j + 1}]"
                    if ty.is_matrix(shape)  # W[1,2] even for a 1×d matrix: as its entries read
                    else f"{name}[{max(i, j) + 1}]",
                    real=True,
                )
                for j in range(cols)
            ]
            for i in range(rows)
        ]
        if shape == ():
            syms = [[sp.Symbol(name, real=True)]]
        matrix = sp.ImmutableMatrix(syms)
        for s in matrix:
            self.kinds[s] = kind
        return matrix

    @cached_property
    def names(self) -> dict[sp.Symbol, str]:
        """Each symbol's LaTeX as the model writes it (`y^{(2)}_{3}`), for messages."""
        return names_of(self.symbols, self.model.table.quantities)

    def _unique(self, name: str, key: str) -> str:
        """A name no other quantity's symbols have: SymPy symbols of the same name are the same
        symbol, so `W^{(1)}` and `W_1` (both `W1`) would silently be one variable."""
        found, n = name, 1
        while self._names.setdefault(found, key) != key:
            n += 1
            found = f"{name}_{n}"  # `_safe` names have no `_`: no clash with another key's
        return found

    def _partial(self, node: sp.Symbol, wrt: sp.Symbol) -> sp.Expr:
        key = (node, wrt)
        if key not in self._partials:
            self._partials[key] = sp.diff(self.defs[node], wrt)
        return self._partials[key]

    def derivatives(self, expr: sp.Expr, targets: frozenset[sp.Symbol]) -> dict[sp.Symbol, sp.Expr]:
        """∂expr/∂target for each target, every other independent quantity held fixed.

        The chain rule runs backwards over the definitions (SymPy differentiates each one), so
        results stay in terms of node symbols: compact, and exact once nodes are substituted.
        """
        adjoint = self._adjoints.get(expr)
        if adjoint is None:
            if len(self._adjoints) > 64:  # a long run of submissions: bounded
                self._adjoints.clear()
            adjoint = self._adjoints[expr] = self._backward(expr)
        return {t: adjoint.get(t, sp.Integer(0)) for t in targets}

    def _backward(self, expr: sp.Expr) -> dict[sp.Symbol, sp.Expr]:
        """The adjoint of every quantity of the model in one backward pass, kept for the next
        target (∂J/∂W^{(1)} and ∂J/∂X share it): a node's adjoint is complete before it is
        passed on (reverse order), and only the nodes that use a quantity add to its adjoint,
        so each is what a pass for that target alone gives."""
        live = self.kinds.keys()
        adjoint: dict[sp.Symbol, sp.Expr] = {}
        for s in expr.free_symbols & live:
            adjoint[s] = sp.diff(expr, s)
        for node in reversed(self.order):
            weight = adjoint.get(node)
            if weight is None or weight == 0:
                continue
            for s in self.defs[node].free_symbols & live:
                adjoint[s] = adjoint.get(s, 0) + weight * self._partial(node, s)
        return adjoint

    def leaves(self) -> list[sp.Symbol]:
        return [s for s, kind in self.kinds.items() if kind in ("leaf", "free")]


def _dims_text(dims: dict[str, int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in dims.items())
