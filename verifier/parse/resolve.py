"""The typed pass: gives meaning to a raw tree by the shapes of the model's symbols.

Juxtaposition, function application, the scope of ``\\sum`` and the meaning of ``\\cdot`` are
decided here, not in the grammar. Where notation is ambiguous the reading taken is recorded in
``readings`` so the claim can say so.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from verifier.errors import NotationError
from verifier.limits import DEFAULT_LIMITS, deep_recursion
from verifier.notation import BUILTIN_COMMANDS, SymbolTable, subscripted_key, symbol_key
from verifier.parse import tree as t
from verifier.parse import typed as ty
from verifier.parse.aliases import d_notation, inline_d_fraction, inline_fraction
from verifier.parse.application import Fn, apply, check_power, function_of, short_argument
from verifier.parse.commands import did_you_mean, unknown_command
from verifier.parse.derivatives import derivative_parts, is_operator, is_power_of_d
from verifier.parse.examples import renamed, split_example
from verifier.parse.formulas import CallReading
from verifier.parse.matrices import MatrixReading, slice_of
from verifier.parse.piecewise import PiecewiseReading, indicator_script
from verifier.parse.products import combine, derivative_shape
from verifier.parse.scripts import (
    Superscript,
    layer_subscript,
    named,
    plain_layer,
    read_indices,
    read_superscript,
    unwrap,
)
from verifier.parse.show import show
from verifier.parse.squares import squared_name
from verifier.parse.sums import ANY_RANGE, SumReading
from verifier.parse.words import join_words

# Calls of the typed pass per bracket level (paren, product, unit, ...): its own depth bound.
DEPTH_PER_LEVEL = 6


# Commands the grammar reads but no claim can be checked with: said plainly, never guessed at.
# Typefaces that make `1` the ones vector.
_ONES = {"mathbf", "mathbb", "boldsymbol", "bm", "pmb", "vec"}

_UNSUPPORTED = {
    "\\pm": "`\\pm` is not supported: write each sign as its own claim",
    "\\mp": "`\\mp` is not supported: write each sign as its own claim",
}


class Resolver(SumReading, MatrixReading, PiecewiseReading, CallReading):
    """Resolves one formula against a symbol table; create one per formula."""

    def __init__(
        self, table: SymbolTable, max_depth: int = DEFAULT_LIMITS.max_depth, dot: bool = False
    ) -> None:
        self.table = table
        self.dot = dot  # `x \\cdot y` of two vectors is their dot product (a second reading)
        self.readings: list[str] = []
        self._ranges: list[dict[str, ty.Dim]] = [{}]
        self._summed: list[str] = []  # indices of the `\\sum`s around: never summed twice
        self.implied: set[str] = set()  # indices summed by Einstein's convention
        # Signs, functions, sums and derivative operators nest without brackets (`---x`,
        # `\log\log x`); the pass recurses on them, so their depth is bounded like brackets'.
        self._max_depth = max_depth
        self._depth = 0

    @property
    def free_indices(self) -> dict[str, ty.Dim]:
        return self._ranges[0]

    def resolve(self, node: t.RNode) -> ty.Node:
        method = getattr(self, "_" + type(node).__name__[1:].lower())
        if self._depth == 0:  # the outermost call makes room for the depth it allows
            with deep_recursion(replace(DEFAULT_LIMITS, max_depth=self._max_depth)):
                try:
                    return self._nested(node.pos, method, node)
                except RecursionError:  # deeper than the stack allows: never a crash
                    raise NotationError("formula nested too deeply to read", node.pos) from None
        return self._nested(node.pos, method, node)

    def _nested(self, pos: int, method, *args):
        """``method(*args)`` one level deeper; beyond the depth limit, a NotationError."""
        if self._depth >= self._max_depth * DEPTH_PER_LEVEL:
            raise NotationError(
                f"formula nested too deeply (signs, functions, sums, brackets); "
                f"the limit is {self._max_depth} levels",
                pos,
            )
        self._depth += 1
        try:
            return method(*args)
        finally:
            self._depth -= 1

    # --- atoms ---------------------------------------------------------------------------
    def _seq(self, node: t.RSeq) -> ty.Node:
        inner = unwrap(node)
        if inner is node:
            raise NotationError("expected a single expression inside the braces", node.pos)
        return self.resolve(inner)

    def _num(self, node: t.RNum) -> ty.Node:
        return ty.Num(node.pos, ty.SCALAR, Fraction(node.text))

    def _sym(self, node: t.RSym) -> ty.Node:
        return self._symbol(node, (), t.RScripted(node.pos, node, (), (), 0))

    def _decorated(self, node: t.RDecorated) -> ty.Node:
        body = unwrap(node.body)
        if isinstance(body, t.RNum) and body.text == "1" and node.decoration in _ONES:
            return ty.Ones(node.pos, ("?", 1))  # `\\mathbf{1}`, `\\mathbb{1}`: the ones vector
        if "\\" + node.decoration in self.table.typefaces:  # a mere typeface in this course
            if isinstance(body, t.RNum):  # never silently the number
                raise NotationError(f"`\\{node.decoration}` on a number is not read", node.pos)
            return self.resolve(node.body)
        symbol = named(node, self.table.typefaces)
        if symbol is None:
            raise NotationError(f"`\\{node.decoration}` needs a symbol", node.pos)
        return self._symbol(symbol, (), t.RScripted(node.pos, symbol, (), (), 0))

    def _text(self, node: t.RText) -> ty.Node:
        symbol = named(node)
        if symbol is None or not self.table.names_word(symbol.name):
            raise NotationError(
                f"unexpected text `\\text{{{node.text}}}`: prose inside a formula cannot be read",
                node.pos,
            )
        return self._sym(symbol)

    def _scripted(self, node: t.RScripted) -> ty.Node:
        condition = indicator_script(node)  # `\\mathbb{1}_{z > 0}`
        if condition is not None:
            return self.indicator(*condition, node.pos)
        example = self._split_example(node)
        if example is not None:  # `y^{(i)}`, `A^{[2](i)}`, `x^{(i)T}`, `x^{(i)}_j`
            return self._example_entry(node, example)
        symbol = named(node.base, self.table.typefaces)  # `\\hat{y}_i`, `\\mathbf{W}^{(1)}`
        prose = isinstance(unwrap(node.base), t.RText)
        if symbol is not None and (not prose or self.table.names_word(symbol.name)):
            return self._symbol(symbol, node.subs, node)
        base = self.resolve(node.base)
        sups = [read_superscript(s) for s in node.sups]
        if any(s.layer is not None for s in sups):
            raise NotationError("a layer `^{(k)}` belongs on a symbol", node.pos)
        if node.subs and isinstance(base, ty.Var) and not node.primes:  # `(W_1)_{ij}`
            indices = tuple(i for s in node.subs for i in read_indices(s))
            indices, sups = self._entry_of_transpose(indices, sups)  # `(W_1)^T_{ij}`
            label = self.table.quantities[base.key].label
            return self._apply_sups(self._entry(base, indices, node.pos, label), node, sups)
        if isinstance(base, ty.Ones) and len(node.subs) == 1 and not node.primes:
            base = self._ones_of_length(node.subs[0], node.pos)  # `\\mathbf{1}_n`
            return self._apply_sups(base, node, sups)
        if node.primes:
            base = self._prime(base, node.primes, node.pos)
        if node.subs:  # `(y - t)_i`, `[\hat y - y]_i`, `\text{softmax}(z)_i`
            indices = tuple(i for s in node.subs for i in read_indices(s))
            indices, sups = self._entry_of_transpose(indices, sups)  # `((y - t) x^T)^T_{ij}`
            base = self._entry(base, indices, node.pos, show(node.base))
        return self._apply_sups(base, node, sups)

    def _entry_of_transpose(
        self, indices: tuple[str | int, ...], sups: list[Superscript]
    ) -> tuple[tuple[str | int, ...], list[Superscript]]:
        """Indices and superscripts written on one base (`A^T_{ij}`, `A_{ij}^T` render alike):
        an entry of the transpose, (A^T)_{ij} = A_{ji}, whatever the transpose mark (`^T`, a
        declared `^t` or `'`); the entry itself is a scalar, so the mark is used up."""
        sups = [Superscript(transpose=True) if self._is_mark(s) else s for s in sups]
        if indices and any(s.transpose for s in sups):
            if sum(s.transpose for s in sups) % 2:
                indices = tuple(reversed(indices))
            sups = [replace(s, transpose=False) for s in sups]
        return indices, sups

    def _is_mark(self, s: Superscript) -> bool:
        """A declared transpose mark written as an exponent (`x^t`), or a prime where `'` is one."""
        if s.exponent is not None and self._is_transpose_mark(s.exponent):
            return True
        return bool(s.primes) and "'" in self.table.transpose_marks and s.primes == 1

    def _ones_of_length(self, sub: t.RNode, pos: int) -> ty.Node:
        inner = unwrap(sub)
        if isinstance(inner, t.RSym) and inner.name in self.table.dims:
            return ty.Ones(pos, (self.table.dim(inner.name), 1))
        if isinstance(inner, t.RNum) and inner.text.isdigit() and int(inner.text) >= 1:
            return ty.Ones(pos, (int(inner.text), 1))
        raise NotationError("the ones vector's subscript is its length: a dimension", pos)

    def _paren(self, node: t.RParen) -> ty.Node:
        return self.resolve(node.body)

    def _sqrt(self, node: t.RSqrt) -> ty.Node:
        body = self.resolve(node.body)
        self._need_scalar(body, "a square root")
        return ty.Pow(node.pos, ty.SCALAR, body, ty.Num(node.pos, ty.SCALAR, Fraction(1, 2)))

    def _neg(self, node: t.RNeg) -> ty.Node:
        body = self.resolve(node.body)
        return ty.Neg(node.pos, body.shape, body)

    def _cmd(self, node: t.RCmd) -> ty.Node:
        if node.name in _UNSUPPORTED:
            raise NotationError(_UNSUPPORTED[node.name], node.pos)
        if node.name in self.table.functions:
            raise NotationError(f"function `{node.name}` needs an argument", node.pos)
        declared = [k for k in self.table.functions if k.startswith("\\")]
        raise NotationError(unknown_command(node.name, declared), node.pos)

    def _ellipsis(self, node: t.REllipsis) -> ty.Node:
        raise NotationError(
            f"`{node.mark}` is read only between the terms of a sum (`a_1 + \\cdots + a_n`) "
            "or in a matrix",
            node.pos,
        )

    def _transposemark(self, node: t.RTransposeMark) -> ty.Node:
        raise NotationError("a transpose mark belongs in a superscript", node.pos)

    def _func(self, node: t.RFunc) -> ty.Node:
        raise NotationError(f"`{node.name}` needs an argument", node.pos)

    def _mulop(self, node: t.RMulOp) -> ty.Node:
        raise NotationError(f"`{node.op}` needs something on both sides", node.pos)

    def _nabla(self, node: t.RNabla) -> ty.Node:
        raise NotationError("`\\nabla` with nothing to act on", node.pos)

    def _partial(self, node: t.RPartial) -> ty.Node:
        raise NotationError("`\\partial` outside a derivative", node.pos)

    def _given(self, node: t.RGiven) -> ty.Node:
        raise NotationError(
            "a conditional `(a|b)` is read only as part of a declared name such as `p(o|c)`",
            node.pos,
        )

    def _chain(self, node: t.RChain) -> ty.Node:
        raise NotationError("an equation cannot stand inside an expression", node.pos)

    # --- symbols -------------------------------------------------------------------------
    def _symbol(self, sym: t.RSym, subs: tuple[t.RNode, ...], node: t.RScripted) -> ty.Node:
        sups = [read_superscript(s) for s in node.sups]
        layers = [s.layer for s in sups if s.layer is not None]
        if len(layers) > 1:
            raise NotationError("two layer superscripts on one symbol", sym.pos)
        if self.table.subscript_layers and not layers:  # `W_1`, `W_{1,ij}` in such a course
            layer, subs = layer_subscript(subs, lambda k: self._has_layer(sym.name, k))
            layers = [layer] if layer is not None else []
        if self.table.plain_layers and not layers:  # `W^2`, `a^{1}` in such a course
            layer, sups = plain_layer(sups, lambda k: self._has_layer(sym.name, k))
            layers = [layer] if layer is not None else []
        key = symbol_key(sym.name, layers[0] if layers else None)
        if "'" in self.table.transpose_marks:  # `W'`: a transpose in this course
            primes = node.primes + sum(s.primes for s in sups)
            sups = [replace(s, primes=0) for s in sups] + [Superscript(transpose=True)] * primes
        elif node.primes or any(s.primes for s in sups):
            layered = sorted(k for k in self.table.functions if k.startswith(key + "^"))
            if layered:  # `g'(z^{(1)})` where the course declares g^{(1)}, g^{(2)}
                raise NotationError(
                    f"`{key}` is not a function of this model; it declares "
                    f"{', '.join(f'`{k}`' for k in layered)}: write `{layered[0]}'` or "
                    f"`{layered[0]}\\prime`",
                    sym.pos,
                )
            raise NotationError(
                f"`{key}'` without an argument: primes belong on functions", sym.pos
            )
        if key == "e" and "e" not in self.table.quantities:
            return self._euler(sym, subs, sups, node)
        width = self._width(key, subs)
        if width is not None:  # a layer's width: `n_0`, `n_{2}` (`n_l` at layer 2)
            return self._apply_sups(self._lookup(width, sym.pos, ()), node, sups)
        indices = tuple(i for s in subs for i in read_indices(s))
        square = None if layers else squared_name(self.table, key, indices, sups, sym.pos)
        if square is not None:  # `\sigma^2` where the model names the variance so
            name, indices, power, sups = square
            return self._apply_sups(
                self._powered(self._lookup(name, sym.pos, indices), power), node, sups
            )
        named_key = subscripted_key(key, indices) if indices else None
        if named_key in self.table.quantities or named_key in self.table.lenient:
            key, indices = named_key, ()  # `v_c`, `b_y`: the subscript is part of the name
        if key not in self.table.slices:  # `u_w^T` is a row: a slice is a vector, no entry
            indices, sups = self._entry_of_transpose(indices, sups)
        if key == "\\delta" and key not in self.table.quantities and len(indices) == 2:
            for index in indices:  # δ gives no range of its own: the other factors do
                if isinstance(index, str):
                    self._ranges[-1].setdefault(index, ANY_RANGE)
            return ty.Delta(sym.pos, ty.SCALAR, indices[0], indices[1])
        if key == "I" and key not in self.table.quantities and not indices:
            base: ty.Node = ty.Identity(sym.pos, ("?", "?"))
        else:
            base = self._lookup(key, sym.pos, indices)
        return self._apply_sups(base, node, [replace(s, layer=None) for s in sups])  # read

    def _powered(self, base: ty.Node, power: int) -> ty.Node:
        """``base`` to a whole ``power`` (entrywise where the course says so)."""
        if power == 1:
            return base
        return self._raised(base, ty.Num(base.pos, ty.SCALAR, Fraction(power)), base.pos)

    def _raised(self, base: ty.Node, exponent: ty.Node, pos: int) -> ty.Node:
        """base^exponent: entry by entry where the course's products are (`(a)^2`), else the
        power of a scalar."""
        if self.table.elementwise and not ty.is_scalar(base.shape):
            return ty.Pow(pos, base.shape, base, exponent)
        self._need_scalar(base, "a power (use \\odot for elementwise products)")
        return ty.Pow(pos, ty.SCALAR, base, exponent)

    def _width(self, key: str, subs: tuple[t.RNode, ...]) -> str | None:
        """The dimension a name with one numbered subscript is (`n_0` is layer 0's width),
        or None."""
        inner = unwrap(subs[0]) if len(subs) == 1 else None
        named = f"{key}_{inner.text}" if isinstance(inner, t.RNum) else None
        return named if named in self.table.dims else None

    def _has_layer(self, name: str, k: int) -> bool:
        key = symbol_key(name, k)
        return key in self.table.quantities or key in self.table.lenient

    def _euler(
        self, sym: t.RSym, subs: tuple[t.RNode, ...], sups: list[Superscript], node: t.RScripted
    ) -> ty.Node:
        """Euler's number: ``e^{u}`` is exp(u), checked like ``\\exp(u)``; it has no entries."""
        if subs:
            written = "e" + "".join("_" + show(s) for s in subs)
            raise NotationError(
                f"unknown symbol `{written}`: `e` is Euler's number and has no indices", sym.pos
            )
        if sups and sups[0].exponent is not None:
            exponent = self.resolve(sups[0].exponent)
            power = apply("exp", 0, exponent, sym.pos, self.table.batch)  # as `\\exp` reads
            return self._apply_sups(power, node, sups[1:])
        return self._apply_sups(ty.EulerE(sym.pos, ty.SCALAR), node, sups)

    def _lookup(self, key: str, pos: int, indices: tuple[str | int, ...]) -> ty.Node:
        table = self.table
        if key in table.lenient:
            target = table.lenient[key].target
            self.readings.append(f"`{key}` read as `{target}`")
            key = target
        if indices and key in table.families:
            family = table.families[key]
            return self._entry(ty.Var(pos, family.shape, family.key), indices, pos, family.label)
        if key in table.quantities:
            q = table.quantities[key]
            var = ty.Var(pos, q.shape, q.key)
            return self._entry(var, indices, pos, q.label) if indices else var
        if key in table.dims:
            if indices:  # `n_l` where no widths letter is declared
                raise NotationError(f"`{key}` is a dimension, a number: it has no entries", pos)
            return ty.DimValue(pos, ty.SCALAR, key)
        if key in table.slices:  # `u_w`: column w of U, where the course declares it
            return self._slice(key, indices, pos)
        if key in table.locals:  # defined in the submission: it stands for its right side
            local = table.locals[key]
            return self._entry(local, indices, pos, key) if indices else local
        if key in table.functions or key.lstrip("\\") in BUILTIN_COMMANDS:
            raise NotationError(f"function `{key}` needs an argument", pos)
        known = table.known_names()
        hint = did_you_mean(key, known)
        if not hint:
            same = [k for k in known if k.lower() == key.lower()]
            hint = f" — did you mean `{same[0]}`? (symbols are case-sensitive)" if same else ""
        if "{" in key.split("^")[0] or len(key.split("^")[0]) > 2:  # `\\hat{y}`, `\\loss`
            hint += (
                f"; an assignment can declare `{key}` (an input, a definition, or a spelling in "
                f'`lenient`: {{ "{key}" = "…" }})'
            )
        raise NotationError(f"unknown symbol `{key}`{hint}", pos)

    def _entry(self, var: ty.Node, indices: tuple[str | int, ...], pos: int, label: str) -> ty.Node:
        """``label`` names the quantity as the student knows it (``E_j``, not the key ``E_*``)."""
        shape = var.shape
        if ty.is_vector(shape):
            axes: tuple[ty.Dim, ...] = (ty.vector_length(shape),)
        elif len(shape) == 2 and not ty.is_scalar(shape):
            axes = shape
        else:
            raise NotationError(f"`{label}` is a scalar: it has no components", pos)
        if len(axes) == 2 and len(indices) == 1 and 1 in axes:
            # a 1×d matrix (a size 1 a constant gave) read with one index, as its one row is:
            # W_i is W_{1i}
            unit = axes.index(1)
            indices = (0, indices[0]) if unit == 0 else (indices[0], 0)
        if len(indices) != len(axes):
            raise NotationError(
                f"`{label}` ({ty.show_shape(shape)}) needs {len(axes)} index(es), got {len(indices)}",
                pos,
            )
        for index, dim in zip(indices, axes, strict=True):
            if isinstance(index, str):
                self._bind(index, dim, label, pos)
        return ty.Entry(pos, ty.SCALAR, var, indices)

    def _slice(self, key: str, indices: tuple[str | int, ...], pos: int) -> ty.Node:
        matrix, side = self.table.slices[key]
        q = self.table.quantities[matrix]
        if len(indices) != 1:
            raise NotationError(
                f"`{key}` needs one index: `{key}_w` is {side} w of `{q.label}`", pos
            )
        (index,) = indices
        rows, cols = q.shape
        if isinstance(index, str):
            self._bind(index, cols if side == "column" else rows, f"{key}_{index}", pos)
        var = ty.Var(pos, q.shape, q.key)
        return slice_of(var, side, index, pos)

    def _bind(self, index: str, dim: ty.Dim, where: str, pos: int) -> None:
        ranges = self._ranges[-1]
        if dim == ANY_RANGE or ranges.get(index) == ANY_RANGE:
            ranges[index] = ranges[index] if dim == ANY_RANGE and index in ranges else dim
            return
        if index in ranges and ranges[index] != dim:
            raise NotationError(
                f"index {index} runs over {ranges[index]} elsewhere but over {dim} in `{where}`",
                pos,
            )
        ranges[index] = dim

    def _apply_sups(self, base: ty.Node, node: t.RScripted, sups=None) -> ty.Node:
        sups = sups if sups is not None else [read_superscript(s) for s in node.sups]
        result = base
        for s in sups:
            if s.layer is not None:  # `(W)^{(1)}`: nothing is dropped unread
                raise NotationError("a layer superscript belongs on a symbol", node.pos)
            if s.exponent is not None and self._is_transpose_mark(s.exponent):
                s = Superscript(transpose=True)  # `x^t` where declared
            if s.primes:
                result = self._prime(result, s.primes, node.pos)
            elif s.transpose and isinstance(result, ty.Ones):  # a row of ones: still unsized
                result = ty.Ones(node.pos, tuple(reversed(result.shape)))
            elif s.transpose:
                shape = tuple(reversed(result.shape)) if len(result.shape) == 2 else result.shape
                result = ty.Transpose(node.pos, shape, result)
            elif s.exponent is not None:
                exponent = self.resolve(s.exponent)
                self._need_scalar(exponent, "an exponent")
                result = self._raised(result, exponent, node.pos)
        return result

    def _is_transpose_mark(self, exponent: t.RNode) -> bool:
        inner = unwrap(exponent)
        return isinstance(inner, t.RSym) and inner.name in self.table.transpose_marks

    def _prime(self, body: ty.Node, primes: int, pos: int) -> ty.Node:
        """`(\\frac{1}{1+e^{-z}})'`: the derivative by the one variable the expression has."""
        if "'" in self.table.transpose_marks:  # `(Wx)'`: a transpose in this course
            for _ in range(primes):
                body = ty.Transpose(pos, tuple(reversed(body.shape)), body)
            return body
        if primes > 1:
            raise NotationError("higher derivatives are not supported", pos)
        keys = {n.key for n in ty.walk(body) if isinstance(n, ty.Var)}
        free = [k for k in keys if self.table.quantities[k].kind == "free"]
        if len(free) != 1 or len(keys) != 1 or not ty.is_scalar(body.shape):
            raise NotationError(
                "a prime on an expression is read only for a scalar expression of one "
                "variable (write \\frac{d}{dz} otherwise)",
                pos,
            )
        (key,) = free
        wrt = ty.Var(pos, self.table.quantities[key].shape, key)
        return ty.Deriv(pos, ty.SCALAR, body, wrt)

    def _need_scalar(self, node: ty.Node, what: str) -> None:
        if not ty.is_scalar(node.shape):
            raise NotationError(
                f"{what} must be a scalar, not {ty.show_shape(node.shape)}", node.pos
            )

    # --- fractions and derivatives -------------------------------------------------------
    def _frac(self, node: t.RFrac) -> ty.Node:
        parts = derivative_parts(node)
        if parts is not None:
            num_items, den_items = parts
            if not num_items:
                raise NotationError(
                    "write the derivative operator as `\\frac{\\partial f}{\\partial x}`", node.pos
                )
            fn = function_of(num_items[0], self.table) if len(num_items) == 1 else None
            if fn is not None:  # dg/dz: the function itself, at the variable it is taken by
                wrt = self._items(den_items, node.pos)
                return self.derivative(self._power(fn, wrt, node.pos), den_items, node.pos)
            return self.derivative(self._items(num_items, node.num.pos), den_items, node.pos)
        if is_power_of_d(node):
            raise NotationError("higher derivatives are not supported", node.pos)
        num, den = self.resolve(node.num), self.resolve(node.den)
        return self.divide(num, den, node.pos)

    def divide(self, num: ty.Node, den: ty.Node, pos: int) -> ty.Node:
        if ty.is_scalar(den.shape):
            return ty.Div(pos, num.shape, num, den)
        fits = num.shape == den.shape or ty.is_scalar(num.shape)
        if not (self.table.elementwise and fits):
            raise NotationError(f"cannot divide by a {ty.show_shape(den.shape)}", den.pos)
        # numpy's `Y / A` where the course writes products and powers entry by entry: the
        # numerator times the entrywise reciprocal of the denominator
        inverse = ty.Pow(den.pos, den.shape, den, ty.Num(den.pos, ty.SCALAR, Fraction(-1)))
        kind = "scale" if ty.is_scalar(num.shape) else "hadamard"
        return ty.Mul(pos, den.shape, num, inverse, kind)

    def derivative(self, num: ty.Node, den_items: tuple[t.RNode, ...], pos: int) -> ty.Node:
        wrt = self._defined_wrt(den_items, pos) or self._items(den_items, pos)
        if not _variable(wrt):
            raise NotationError(
                "can only differentiate with respect to a variable or one of its entries", wrt.pos
            )
        shape = derivative_shape(num.shape, wrt.shape, self.table.layout, pos)
        return ty.Deriv(pos, shape, num, wrt)

    def _defined_wrt(self, den_items: tuple[t.RNode, ...], pos: int) -> ty.Node | None:
        """`\\partial \\theta` where the submission defined θ: the node itself (a model with
        θ as an intermediate gives the derivative its meaning), not what it stands for."""
        item = den_items[0] if len(den_items) == 1 else None
        subs = item.subs if isinstance(item, t.RScripted) and not item.sups else ()
        base = item.base if subs else item
        symbol = named(base, self.table.typefaces) if base is not None else None
        key = symbol_key(symbol.name) if symbol is not None else None
        if key is None or key not in self.table.locals:
            return None
        var = ty.Var(pos, self.table.locals[key].shape, key)
        if not subs:
            return var
        indices = tuple(i for s in subs for i in read_indices(s))  # `\\partial \\theta_i`
        return self._entry(var, indices, pos, key)

    # --- products ------------------------------------------------------------------------
    def _product(self, node: t.RProduct) -> ty.Node:
        return self._items(node.items, node.pos)

    def _items(self, items: tuple[t.RNode, ...], pos: int) -> ty.Node:
        return self._nested(pos, self._items_here, items, pos)

    def _items_here(self, items: tuple[t.RNode, ...], pos: int) -> ty.Node:
        if self.table.einstein and len(items) > 1:
            return self._implied(items, pos)
        return self._combined(self._operands(items, pos))

    def _operands(self, items: tuple[t.RNode, ...], pos: int) -> list[tuple[str, ty.Node]]:
        """The factors of a product, each with the operator written before it."""
        items = join_words(items, self.table.names_word)
        operands: list[tuple[str, ty.Node]] = []
        op: str | None = None
        i = 0
        while i < len(items):
            item = items[i]
            if isinstance(item, t.RMulOp):
                if op is not None or not operands:
                    raise NotationError(f"`{item.op}` needs something on both sides", item.pos)
                op, i = item.op, i + 1
                continue
            if isinstance(item, t.RBigSum):
                operands.append((op or "juxt", self._summation(item, items[i + 1 :])))
                op, i = None, len(items)
                break
            node, i = self._alias(items, i) or self._unit(items, i)
            operands.append((op or "juxt", node))
            op = None
        if op is not None or not operands:
            raise NotationError(
                f"`{op}` needs something on its right", items[-1].pos if items else pos
            )
        return operands

    def _combined(self, operands: list[tuple[str, ty.Node]]) -> ty.Node:
        result = operands[0][1]
        for op_name, right in operands[1:]:
            result = self._combine(result, op_name, right)
        return result

    def _alias(self, items: tuple[t.RNode, ...], i: int) -> tuple[ty.Node, int] | None:
        """A derivative written without `\\frac` (`∂E/∂W`, `\\nabla_W E`, `dW`), or None."""
        item = items[i]
        fraction = inline_fraction(items, i) or inline_d_fraction(items, i)
        if fraction is not None:
            num, den, j = fraction
            return self.derivative(self.resolve(num), (den,), item.pos), j
        if isinstance(item, t.RNabla):
            if len(item.subs) != 1 or i + 1 >= len(items):
                raise NotationError("write the gradient as `\\nabla_W E`", item.pos)
            rest = items[i + 1 :]  # ∇ acts on the whole product after it, as `∂/∂W` does
            return self.gradient(self._items(rest, rest[0].pos), item.subs[0], item.pos), len(items)
        if not (self.table.d_notation or self.table.d_inputs):
            return None
        if (found := d_notation(items, i)) is not None:
            var, j = found
            example = self._split_example(var)  # `dZ^{[2](i)}`: example i of dZ^{[2]}
            wrt = self.resolve(example[0] if example else var)
            num = self._lookup(self._d_loss(wrt, var.pos), item.pos, ())
            gradient = self._gradient_of(num, wrt, item.pos)
            return (self._example_of(gradient, example, var) if example else gradient), j
        return None

    def _split_example(self, node: t.RNode) -> tuple[t.RScripted, str, t.RNode | None] | None:
        """(the rest, the letter, what follows it) of a superscript example where the course
        declares them;
        a lower-case name is the batch matrix's where the model has no such name (Ng's
        `a^{[2](i)}` is example i of `A^{[2]}`)."""
        batch = self.table.batch
        found = split_example(node) if batch is not None and batch.example else None
        if found is None:
            return None
        rest, letter, after = found
        if letter in self.table.dims or self._has_name(letter):  # `y^{(k)}` with k = 1 declared
            raise NotationError(
                f"`{letter}` names something of this model: an example is an index letter", node.pos
            )
        base = rest.base
        upper = isinstance(base, t.RSym) and not self._has_name(base.name)
        if upper and self._has_name(base.name.upper()):
            rest = renamed(rest, base.name.upper())
        return rest, letter, after

    def _has_name(self, name: str) -> bool:
        """Whether the model or the submission names something with this letter."""
        key = symbol_key(name)
        names = [*self.table.quantities, *self.table.families, *self.table.locals]
        return any(k == key or k.startswith((key + "^", key + "_")) for k in names)

    def _example_entry(self, node: t.RScripted, example: tuple) -> ty.Node:
        """Example i, then its entry where a subscript follows (`x^{(i)}_j`: feature j)."""
        rest = example[0]
        value = self._example_of(self.resolve(replace(rest, subs=())), example, node)
        if not rest.subs:
            return value
        indices = tuple(i for s in rest.subs for i in read_indices(s))
        return self._entry(value, indices, node.pos, show(node))

    def _example_of(self, value: ty.Node, example: tuple, node: t.RNode) -> ty.Node:
        """Example ``example`` of ``value``, as ``node`` writes it (`x^{(i)T}`)."""
        _, letter, after = example
        pos = node.pos
        batch = self.table.batch
        if batch is None or not batch.per_example(value.shape):
            each = batch.each if batch else "example"
            raise NotationError(
                f"`^{{({letter})}}` is an example of a batch matrix (a {each} per example): "
                f"this is a {ty.show_shape(value.shape)}",
                pos,
            )
        self._bind(letter, self.table.dim(batch.size), f"^{{({letter})}}", pos)
        one = slice_of(value, batch.each, letter, pos)
        if after is None:
            return one
        return self._apply_sups(one, node, [read_superscript(after)])

    def _d_loss(self, wrt: ty.Node, pos: int) -> str:
        """The loss `dV` differentiates: the course's one for inputs where V is an input and
        it declares one (Ng's dW is ∂J/∂W, his dZ ∂𝓛/∂Z), else its loss for nodes."""
        while isinstance(wrt, ty.Transpose | ty.Entry):
            wrt = wrt.body if isinstance(wrt, ty.Transpose) else wrt.var
        q = self.table.quantities.get(wrt.key) if isinstance(wrt, ty.Var) else None
        leaf = q is not None and q.kind in ("leaf", "free")
        loss = self.table.d_inputs if leaf and self.table.d_inputs else self.table.d_notation
        if not loss:
            kind = "inputs" if self.table.d_inputs else "nodes"
            raise NotationError(f"d-notation is declared for {kind} only in this course", pos)
        return loss

    def gradient(self, num: ty.Node, wrt_raw: t.RNode, pos: int) -> ty.Node:
        """∇_W E and dW: a scalar's derivative in the variable's own shape, whatever the
        course's layout (a gradient of a column is a column)."""
        return self._gradient_of(num, self.resolve(wrt_raw), pos)

    def _gradient_of(self, num: ty.Node, wrt: ty.Node, pos: int) -> ty.Node:
        flips = 0
        while isinstance(wrt, ty.Transpose):  # `dZ^T` is the transpose of dZ
            wrt, flips = wrt.body, flips + 1
        if not _variable(wrt):
            raise NotationError("a gradient is taken with respect to a variable", wrt.pos)
        if not ty.is_scalar(num.shape):
            raise NotationError("a gradient is of a scalar (use a Jacobian `\\partial`)", pos)
        result: ty.Node = ty.Deriv(pos, wrt.shape, num, wrt, "variable")
        for _ in range(flips):
            result = ty.Transpose(pos, tuple(reversed(result.shape)), result)
        return result

    def _combine(self, left: ty.Node, op: str, right: ty.Node) -> ty.Node:
        if op == "/":
            return self.divide(left, right, left.pos)
        if op in ("*", "ast") and self.table.elementwise:
            op = "odot"  # a course that writes `*` for the elementwise product (numpy's)
        node, reading = combine(left, op, right, self.dot, self.table.batch)
        if reading:
            self.readings.append(reading)
        return node

    def _unit(self, items: tuple[t.RNode, ...], i: int) -> tuple[ty.Node, int]:
        """One operand; a function takes its argument here (``\\log \\sigma(Wx)``)."""
        return self._nested(items[i].pos, self._unit_here, items, i)

    def _unit_here(self, items: tuple[t.RNode, ...], i: int) -> tuple[ty.Node, int]:
        item = items[i]
        special = self.piecewise_unit(items, i) or self.call_unit(items, i)
        if special is not None:
            return special
        fn = function_of(item, self.table)
        if fn is None:
            if is_operator(item):
                rest = items[i + 1 :]
                if not rest:
                    raise NotationError("the derivative operator has nothing to act on", item.pos)
                _, den = derivative_parts(item)
                return self.derivative(self._items(rest, rest[0].pos), den, item.pos), len(items)
            return self.resolve(item), i + 1
        if i + 1 >= len(items):
            raise NotationError(f"`{fn.written}` needs an argument", item.pos)
        nxt = items[i + 1]
        if _paren_of(nxt) is not None:
            arg, j = self.resolve(_paren_of(nxt).body), i + 2
        elif isinstance(nxt, t.RBigSum):  # `\log \sum_w e^{…}`: the log of the whole sum
            arg, j = self._summation(nxt, items[i + 2 :]), len(items)
        elif _is_powered_paren(nxt):  # σ(z)^2 is (σ(z))^2, not σ(z^2)
            arg = self.resolve(_paren_of(nxt.base).body)
            if nxt.primes:  # `σ(z)'`: never dropped
                fn = self._primed_application(fn, arg, nxt)
            applied = self._power(fn, arg, item.pos)
            return self._apply_sups(applied, nxt), i + 2
        elif _is_indexed_paren(nxt):  # softmax(z)_i is (softmax(z))_i, a component
            applied = self._power(fn, self.resolve(_paren_of(nxt.base).body), item.pos)
            indices = tuple(k for s in nxt.subs for k in read_indices(s))
            sups = [read_superscript(s) for s in nxt.sups]
            indices, sups = self._entry_of_transpose(indices, sups)
            component = self._entry(applied, indices, nxt.pos, show(item) + show(nxt.base))
            return self._apply_sups(component, nxt, sups), i + 2
        else:
            arg, j = self._unit(items, i + 1)
            reading = short_argument(fn, items, i, j)
            if reading:
                self.readings.append(reading)
        return self._power(fn, arg, item.pos), j

    def _primed_application(self, fn: Fn, arg: ty.Node, nxt: t.RScripted) -> Fn:
        """`σ(z)'` is σ'(z) when z is a variable of the model (the derivative by it); by
        anything else the prime says no variable, so it is an error."""
        q = self.table.quantities.get(arg.key) if isinstance(arg, ty.Var) else None
        if q is None or q.kind != "free" or fn.power is not None:
            raise NotationError(
                f"a prime after `{fn.written}(…)` is read only on a function of a variable "
                f"of the model: write `{fn.written}'(…)`",
                nxt.pos,
            )
        return replace(fn, order=fn.order + nxt.primes)

    def _power(self, fn: Fn, arg: ty.Node, pos: int) -> ty.Node:
        """``f(z)``, or ``f^k(z)`` read as (f(z))^k."""
        value = apply(fn.name, fn.order, arg, pos, self.table.batch)
        if fn.power is None:
            return value
        exponent = self.resolve(fn.power)
        check_power(fn, exponent, pos)
        self._need_scalar(value, "a power (use \\odot for elementwise products)")
        return ty.Pow(pos, ty.SCALAR, value, exponent)

    # --- sums ----------------------------------------------------------------------------


def _variable(node: ty.Node) -> bool:
    """A quantity, an entry of one, or a column or row of one: what a derivative can be taken
    by."""
    if isinstance(node, ty.Tabulate):
        node = node.body
    return isinstance(node, ty.Var) or (isinstance(node, ty.Entry) and isinstance(node.var, ty.Var))


def _paren_of(node: t.RNode) -> t.RParen | None:
    """``(x)``, or ``{(x)}`` as SymPy prints it (``\\log{\\left(y \\right)}``)."""
    inner = unwrap(node)
    return inner if isinstance(inner, t.RParen) else None


def _is_powered_paren(node: t.RNode) -> bool:
    return isinstance(node, t.RScripted) and _paren_of(node.base) is not None and not node.subs


def _is_indexed_paren(node: t.RNode) -> bool:
    return (
        isinstance(node, t.RScripted)
        and _paren_of(node.base) is not None
        and bool(node.subs)
        and not node.primes
    )
