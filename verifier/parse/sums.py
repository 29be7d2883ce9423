"""Sums in the typed pass: flat sums of terms (`a + b - c`, a bare `I` or ones vector sized by
the term beside it) and `\\sum` (its index, bounds and body; `\\sum_{i \\neq k}`)."""

from __future__ import annotations

from fractions import Fraction

from verifier.errors import NotationError
from verifier.notation import Batch, SymbolTable
from verifier.parse import tree as t
from verifier.parse import typed as ty
from verifier.parse.ellipsis import Progression, is_ellipsis, progression
from verifier.parse.scripts import unwrap

ANY_RANGE = "?"  # an index seen only in δ: its range comes from elsewhere


class SumReading:
    """The Resolver's methods for sums (a mixin: it uses the Resolver's own state)."""

    def _sum(self, node: t.RSum) -> ty.Node:
        """A flat sum, typed term by term from the left, as ``(a + b) + c`` would be."""
        raw_terms, ops = _signed_sum_bodies(node.terms, node.ops)
        if any(is_ellipsis(term) for term in raw_terms):
            return self._elided(raw_terms, ops, node.pos)
        first = self.resolve(raw_terms[0])
        terms, signs, shape = [first], [1], first.shape
        for op, raw in zip(ops, raw_terms[1:], strict=True):
            right, sign = self.resolve(raw), 1 if op == "+" else -1
            left = terms[0] if len(terms) == 1 else ty.Add(node.pos, shape, (), ())
            shape, fixed_left, fixed_right = _sum_shape(
                left, right, sign, node.pos, self.table.batch
            )
            if len(terms) == 1:
                terms[0] = fixed_left
            terms.append(fixed_right)
            signs.append(sign)
        return ty.Add(node.pos, shape, tuple(terms), tuple(signs))

    def _elided(self, terms: list[t.RNode], ops: list[str], pos: int) -> ty.Node:
        """`a_1 + a_2 + \\cdots + a_n` (every term of the sum in the pattern, one sign
        throughout: `-a_1 - \\cdots - a_n` is −Σ a_k) as Σ_{k=1}^n a_k."""
        marks = [k for k, term in enumerate(terms) if is_ellipsis(term)]
        first_sign = "-" if isinstance(terms[0], t.RNeg) else "+"
        signs = [first_sign, *ops]
        if len(marks) != 1 or marks[0] in (0, len(terms) - 1) or len(set(signs)) != 1:
            raise NotationError(
                "`\\cdots` is read in a sum whose terms all follow one pattern with one sign "
                "(`a_1 + a_2 + \\cdots + a_n`)",
                pos,
            )
        written = [terms[0].body if first_sign == "-" else terms[0], *terms[1:]]
        mark = marks[0]
        run = progression(
            written[0],
            written[-1],
            written[1:mark],
            written[mark + 1 : -1],
            frozenset(self.table.known_names()) | frozenset(self.table.dims),
            terms[mark].pos,
        )
        total = self._summation(_bigsum_of(run, pos), (run.template,))
        return ty.Neg(pos, total.shape, total) if first_sign == "-" else total

    def _implied(self, items: tuple[t.RNode, ...], pos: int) -> ty.Node:
        """Einstein's convention, where a course declares it: an index written in two
        factors of a product (`W_{ij} x_j`) is summed over its range; once in one factor it
        stays free; anything else is an error, never a guess."""
        self._ranges.append({})
        operands = self._operands(items, pos)
        inner = self._ranges.pop()
        counts = [ty.index_counts(node) for _, node in operands]
        result = self._combined(operands)
        for index in list(inner):
            factors = sum(1 for c in counts if c[index])
            if factors == 1 or index in self._summed:  # `\\sum_k t_k y_k`: summed once
                continue
            if factors != 2:
                raise NotationError(
                    f"index {index} is written in {factors} factors of a product: with summation "
                    "implied, an index is in one factor (free) or in two (summed)",
                    pos,
                )
            dim = inner.pop(index)
            if dim == ANY_RANGE:
                raise NotationError(f"cannot tell how far {index} runs", pos)
            self.implied.add(index)
            one = ty.Num(pos, ty.SCALAR, Fraction(1))
            result = ty.Sum(pos, result.shape, index, one, _dim_node(dim, pos), result)
        for name, dim in inner.items():
            self._bind(name, dim, "the product", pos)
        return result

    def _bigsum(self, node: t.RBigSum) -> ty.Node:
        raise NotationError("`\\sum` without a body", node.pos)

    def _skipping(self, index: str, skipped: t.RNode, body: ty.Node, pos: int) -> ty.Node:
        other = _skip_term(skipped)
        if other == index:
            raise NotationError(f"`\\sum_{{{index} \\neq {index}}}` skips every term", pos)
        if isinstance(other, str):
            self._ranges[-2].setdefault(other, ANY_RANGE)  # k ranges where it is used
        one = ty.Num(pos, ty.SCALAR, Fraction(1))
        keep = ty.Add(pos, ty.SCALAR, (one, ty.Delta(pos, ty.SCALAR, index, other)), (1, -1))
        return ty.Mul(pos, body.shape, keep, body, "scale")

    def _summation(self, op: t.RBigSum, body_items: tuple[t.RNode, ...]) -> ty.Node:
        if not body_items:
            raise NotationError("`\\sum` without a body", op.pos)
        if len(op.subs) != 1:
            raise NotationError("write the summation index as `\\sum_{j=1}^n` or `\\sum_j`", op.pos)
        index, lo, skipped = sum_lower(op.subs[0])
        self._ranges.append({})
        self._summed.append(index)
        try:
            body = self._items(body_items, body_items[0].pos)
        finally:
            self._summed.pop()
        if skipped is not None:  # Σ_{i≠k} f_i is Σ_i (1 − δ_ik) f_i
            body = self._skipping(index, skipped, body, op.pos)
        inner = self._ranges.pop()
        used = inner.pop(index, None)
        for name, dim in inner.items():
            self._bind(name, dim, "the sum", op.pos)
        lo_node = self.resolve(lo) if lo is not None else ty.Num(op.pos, ty.SCALAR, Fraction(1))
        if op.sups:
            hi_node = self.resolve(op.sups[0])
        elif used is not None and used != ANY_RANGE:
            hi_node = _dim_node(used, op.pos)
        else:  # unused, or used only in δ, which takes its range from the sum
            raise NotationError(
                f"cannot tell how far {index} runs: write `\\sum_{{{index}=1}}^n`", op.pos
            )
        if used not in (None, ANY_RANGE) and isinstance(hi_node, ty.DimValue | ty.Num):
            lo_one = isinstance(lo_node, ty.Num) and lo_node.value == 1
            if _limit(hi_node, self.table) != str(used) or not lo_one:
                raise NotationError(
                    f"{index} runs {_limit(lo_node)}..{_limit(hi_node)} here "
                    f"but indexes {used} entries",
                    op.pos,
                )
        return ty.Sum(op.pos, body.shape, index, lo_node, hi_node, body)


def _bigsum_of(run: Progression, pos: int) -> t.RBigSum:
    """`\\sum_{k=lo}^{hi}` for a progression's index."""
    lower = t.RChain(pos, (t.RSym(pos, run.index), t.RNum(pos, str(run.lo))), False, ("=",))
    return t.RBigSum(pos, (t.RSeq(pos, (lower,)),), (run.hi,))


def _skip_term(node: t.RNode) -> str | int:
    """What `\\sum_{i \\neq k}` skips: an index letter or a (1-based) number."""
    inner = unwrap(node)
    if isinstance(inner, t.RSym) and len(inner.name) == 1:
        return inner.name
    if isinstance(inner, t.RNum) and inner.text.isdigit() and int(inner.text) >= 1:
        return int(inner.text) - 1
    raise NotationError("a sum skips an index or a whole number (`i \\neq k`)", node.pos)


def _signed_sum_bodies(
    terms: tuple[t.RNode, ...], ops: tuple[str, ...]
) -> tuple[list[t.RNode], list[str]]:
    """`\\sum_j -a_j b_j` renders as Σ_j (−a_j b_j): a sign straight after a `\\sum` starts
    its body, not a new term (the grammar sees `\\sum_j` − `a_j b_j`)."""
    out, out_ops = [terms[0]], []
    for op, term in zip(ops, terms[1:], strict=True):
        last = out[-1]
        items = last.items if isinstance(last, t.RProduct) else (last,)
        if isinstance(items[-1], t.RBigSum):
            body = t.RNeg(term.pos, term) if op == "-" else term
            out[-1] = t.RProduct(last.pos, (*items, body))
            continue
        out.append(term)
        out_ops.append(op)
    return out, out_ops


def _sum_shape(
    left: ty.Node, right: ty.Node, sign: int, pos: int, batch: Batch | None = None
) -> tuple[ty.Shape, ty.Node, ty.Node]:
    """The shape of ``left ± right`` and the two terms, a bare ``I`` sized by its neighbour;
    in a batch model, a term broadcast over the examples (:func:`_broadcast`)."""
    if left.shape == right.shape or (ty.is_scalar(left.shape) and ty.is_scalar(right.shape)):
        return left.shape, left, right
    if batch is not None:
        shape = _broadcast(left.shape, right.shape, batch)
        if shape is not None:
            return shape, left, right
    for a, b in ((left, right), (right, left)):
        if isinstance(a, ty.Identity) and len(b.shape) == 2 and b.shape[0] == b.shape[1]:
            fixed = ty.Identity(a.pos, b.shape)
            return (b.shape, fixed, b) if a is left else (b.shape, b, fixed)
        # `1 - y` with the ones vector: as long as y (a column by a column, a row by a row)
        if _sized_by(a, b):
            fixed = ty.Ones(a.pos, b.shape)
            return (b.shape, fixed, b) if a is left else (b.shape, b, fixed)
        # `1 - y` with a vector y is elementwise: a convention of the field, silently.
        if ty.is_scalar(a.shape) and ty.is_vector(b.shape):
            return b.shape, left, right
    raise NotationError(
        f"cannot {'add' if sign > 0 else 'subtract'} {_what(right)} "
        f"{'to' if sign > 0 else 'from'} {_what(left)}{_unbroadcast(left, right, batch)}",
        pos,
    )


def _broadcast(a: ty.Shape, b: ty.Shape, batch: Batch) -> ty.Shape | None:
    """The shape of a sum of a matrix and what a batch model lets stand beside it: a scalar
    (on every entry, as beside a vector); and, where the course declares broadcasting, a vector
    on every example (a 1×C row on each row of an N×C matrix when examples are rows, a C×1
    column on each column of a C×m one when they are columns). None for anything else."""
    for m, v in ((a, b), (b, a)):
        if not ty.is_matrix(m):
            continue
        if ty.is_scalar(v):
            return m
        if batch.broadcast and batch.per_example(m) and v == _one_example(m, batch):
            return m
    return None


def _one_example(matrix: ty.Shape, batch: Batch) -> ty.Shape:
    """The vector a batch matrix broadcasts: one row of it, or one column."""
    return (1, matrix[1]) if batch.axis == "rows" else (matrix[0], 1)


def _unbroadcast(left: ty.Node, right: ty.Node, batch: Batch | None) -> str:
    """Why a vector beside a matrix was not broadcast, when a course might have meant it."""
    matrix = next((n.shape for n in (left, right) if ty.is_matrix(n.shape)), None)
    vector = next((n.shape for n in (left, right) if ty.is_vector(n.shape)), None)
    if matrix is None or vector is None or batch is None:
        return ""
    if not batch.broadcast:
        return " (broadcasting over examples is not declared: the model's `batch.broadcast`)"
    if not batch.per_example(matrix):
        return f" (broadcasting is over examples, and this matrix has no {batch.each} per example)"
    return (
        f" (broadcasting adds a {ty.show_shape(_one_example(matrix, batch))} to every {batch.each})"
    )


def _sized_by(ones: ty.Node, other: ty.Node) -> bool:
    """Whether an unsized ones vector takes ``other``'s length in a sum."""
    return (
        isinstance(ones, ty.Ones)
        and "?" in ones.shape
        and ty.is_vector(other.shape)
        and (ones.shape[1] == 1) == (other.shape[1] == 1)
    )


def _what(node: ty.Node) -> str:
    """A term of a sum in a message; a bare ``I`` has no size of its own to show."""
    if isinstance(node, ty.Identity) and "?" in node.shape:  # not yet sized by a neighbour
        return "the identity `I`"
    if isinstance(node, ty.Ones) and "?" in node.shape:
        return "the ones vector"
    return f"a {ty.show_shape(node.shape)}"


def _limit(node: ty.Node, table: SymbolTable | None = None) -> str:
    """A sum's bound as text; with ``table``, a constant as its value (`C` is 3 where the
    assignment declares `constants = { C = 3 }`, and sizes hold 3, not C)."""
    if isinstance(node, ty.Num):
        return str(node.value)
    if isinstance(node, ty.DimValue):
        value = table.dims.get(node.name) if table is not None else None
        return str(value) if value is not None else node.name
    return "…"


def _dim_node(dim: ty.Dim, pos: int) -> ty.Node:
    if isinstance(dim, int):
        return ty.Num(pos, ty.SCALAR, Fraction(dim))
    return ty.DimValue(pos, ty.SCALAR, dim)


_NOT_EQUAL = {"\\neq", "\\ne", "≠"}


def sum_lower(node: t.RNode) -> tuple[str, t.RNode | None, t.RNode | None]:
    """The index, its lower bound (`j=1`) and the value it skips (`i \\neq k`)."""
    inner = node
    if isinstance(inner, t.RSeq) and len(inner.pieces) == 1:
        piece = inner.pieces[0]
        exprs = piece.exprs
        if len(exprs) == 2 and isinstance(exprs[0], t.RSym):
            rel = piece.rels[0].strip() if piece.rels else "="
            if rel in _NOT_EQUAL:
                return exprs[0].name, None, exprs[1]
            if rel != "=":
                raise NotationError(f"a sum's index with `{rel}` is not read", node.pos)
            return exprs[0].name, exprs[1], None
        inner = unwrap(inner)
    if isinstance(inner, t.RSym) and len(inner.name) == 1:
        return inner.name, None, None
    raise NotationError("cannot read the summation index", node.pos)
