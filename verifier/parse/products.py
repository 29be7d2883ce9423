"""Typing of products and derivatives: which product a juxtaposition or ``\\cdot`` is."""

from __future__ import annotations

from verifier.errors import NotationError
from verifier.notation import Batch
from verifier.parse import typed as ty

_SYMBOL = {
    "cdot": "\\cdot",
    "times": "\\times",
    "juxt": "juxtaposition",
    "odot": "\\odot",
    "otimes": "\\otimes",
    "circ": "\\circ",
    "ast": "*",
    "*": "*",
}


def _fits(a: ty.Shape, b: ty.Shape) -> bool:
    return len(a) == 2 and len(b) >= 2 and a[1] == b[0]


def _product_shape(a: ty.Shape, b: ty.Shape) -> ty.Shape:
    shape = (a[0], *b[1:])
    if len(shape) == 3 and shape[0] == 1:
        return shape[1:]  # a row vector contracted with a rank-3 derivative
    return () if shape == (1, 1) else shape


def _transposed(node: ty.Node) -> ty.Node:
    return ty.Transpose(node.pos, tuple(reversed(node.shape)), node)


def _fix_identity(
    left: ty.Node, right: ty.Node, batch: Batch | None = None
) -> tuple[ty.Node, ty.Node]:
    """A bare `I`, or the ones vector, takes its size from the factor beside it; in a batch
    model, a ones vector that spreads a vector over the examples (`b \\mathbf{1}^T`,
    `\\mathbf{1} b`) is as long as the batch."""
    if isinstance(left, ty.Identity) and len(right.shape) >= 2:
        left = ty.Identity(left.pos, (right.shape[0], right.shape[0]))
    if isinstance(right, ty.Identity) and len(left.shape) == 2:
        right = ty.Identity(right.pos, (left.shape[1], left.shape[1]))
    if _unsized_ones(left) and left.shape[0] == 1 and len(right.shape) == 2:
        left = _sized(left, (1, right.shape[0]))  # `1^T x`: a row as long as x
    if _unsized_ones(right) and right.shape[1] == 1 and len(left.shape) == 2:
        right = _sized(right, (left.shape[1], 1))  # `W 1`
    if (
        batch is not None
        and _unsized_ones(right)
        and right.shape[0] == 1
        and left.shape[1:] == (1,)
    ):
        right = _sized(right, (1, batch.size))  # `b 1^T`: b on every column
    if batch is not None and _unsized_ones(left) and left.shape[1] == 1 and right.shape[:1] == (1,):
        left = _sized(left, (batch.size, 1))  # `1 b`: b on every row
    return left, right


def _unsized_ones(node: ty.Node) -> bool:
    """The ones vector not yet sized, alone or scaled (`\\frac{1}{N} \\mathbf{1}^T`)."""
    if isinstance(node, ty.Mul) and node.kind == "scale":
        return _unsized_ones(node.right if ty.is_scalar(node.left.shape) else node.left)
    return isinstance(node, ty.Ones) and "?" in node.shape


def _sized(node: ty.Node, shape: ty.Shape) -> ty.Node:
    """An unsized ones vector (alone or scaled) given its size."""
    if isinstance(node, ty.Mul):
        if ty.is_scalar(node.left.shape):
            return ty.Mul(node.pos, shape, node.left, _sized(node.right, shape), "scale")
        return ty.Mul(node.pos, shape, _sized(node.left, shape), node.right, "scale")
    return ty.Ones(node.pos, shape)


def combine(
    left: ty.Node, op: str, right: ty.Node, dot: bool = False, batch: Batch | None = None
) -> tuple[ty.Node, str | None]:
    """The product ``left op right`` and, when notation was ambiguous, the reading taken.
    ``dot``: `\\cdot` between two vectors of one shape is their dot product, not elementwise."""
    pos = left.pos
    left, right = _fix_identity(left, right, batch)
    if op in ("odot", "circ"):
        if left.shape != right.shape:
            raise NotationError(
                f"elementwise product of {ty.show_shape(left.shape)} and {ty.show_shape(right.shape)}",
                right.pos,
            )
        return ty.Mul(pos, left.shape, left, right, "hadamard"), None
    if op == "otimes":
        return _outer(left, right), None
    if ty.is_scalar(left.shape) or ty.is_scalar(right.shape):
        shape = right.shape if ty.is_scalar(left.shape) else left.shape
        return ty.Mul(pos, shape if not ty.is_scalar(shape) else (), left, right, "scale"), None
    if op == "cdot" and left.shape == right.shape and ty.is_vector(left.shape):
        shape = ty.show_shape(left.shape)
        if dot:
            return _dot(left, right), DOT_READING.format(shape=shape)
        reading = f"`\\cdot` between two {shape} vectors read as elementwise"
        return ty.Mul(pos, left.shape, left, right, "hadamard"), reading
    if op == "times" and ty.is_vector(left.shape) and ty.is_vector(right.shape):
        raise NotationError("cross products are not supported", right.pos)
    if _fits(left.shape, right.shape):
        kind = "contract" if len(right.shape) == 3 else "matmul"
        return ty.Mul(pos, _product_shape(left.shape, right.shape), left, right, kind), None
    return _only_reading(left, op, right)


DOT_READING = (
    "`\\cdot` between two {shape} vectors read as a dot product (the only reading that fits)"
)


def _dot(left: ty.Node, right: ty.Node) -> ty.Node:
    """x · y of two vectors of one shape: xᵀy for columns, x yᵀ for rows."""
    if left.shape[1] == 1:
        left = ty.Transpose(left.pos, tuple(reversed(left.shape)), left)
    else:
        right = ty.Transpose(right.pos, tuple(reversed(right.shape)), right)
    return ty.Mul(left.pos, ty.SCALAR, left, right, "matmul")


def _outer(left: ty.Node, right: ty.Node) -> ty.Node:
    """a ⊗ b of two vectors: the column a times the row b (n×m); nothing else is read."""
    if not (ty.is_vector(left.shape) and ty.is_vector(right.shape)):
        raise NotationError(
            f"`\\otimes` of a {ty.show_shape(left.shape)} and a {ty.show_shape(right.shape)}: "
            "only the outer product of two vectors is read",
            right.pos,
        )
    if left.shape[1] != 1:  # a row: its column
        left = ty.Transpose(left.pos, tuple(reversed(left.shape)), left)
    if right.shape[0] != 1:  # a column: its row
        right = ty.Transpose(right.pos, tuple(reversed(right.shape)), right)
    shape = (left.shape[0], right.shape[1])
    return ty.Mul(left.pos, shape, left, right, "matmul")


def _only_reading(left: ty.Node, op: str, right: ty.Node) -> tuple[ty.Node, str]:
    """An ill-formed product is read another way only when exactly one reading fits."""
    candidates = []
    for ta, tb in ((True, False), (False, True), (True, True)):
        a = _transposed(left) if ta and len(left.shape) == 2 else left
        b = _transposed(right) if tb and len(right.shape) == 2 else right
        if (ta and a is left) or (tb and b is right):
            continue
        if _fits(a.shape, b.shape):
            candidates.append((a, b, ta, tb))
    product = (
        f"{_SYMBOL.get(op, op)} of a {ty.show_shape(left.shape)} and a {ty.show_shape(right.shape)}"
    )
    what = f"{product}: the shapes do not fit"
    if not candidates:
        raise NotationError(what, right.pos)
    if len(candidates) > 1:  # guessing between readings would be unsound: name them all
        options = " or ".join(
            f"with {_marks(ta, tb)} transposed ({ty.show_shape(_product_shape(a.shape, b.shape))})"
            for a, b, ta, tb in candidates
        )
        raise NotationError(
            f"{product} is ambiguous: it fits {options}; write the transpose you mean", right.pos
        )
    a, b, ta, tb = candidates[0]
    kind = "contract" if len(b.shape) == 3 else "matmul"
    shape = _product_shape(a.shape, b.shape)
    outer = (
        " (an outer product)"
        if ty.is_vector(a.shape) and a.shape[1] == 1 and b.shape[0] == 1
        else ""
    )
    reading = f"{what}; read with {_marks(ta, tb)} transposed{outer}, the only reading that fits"
    return ty.Mul(left.pos, shape, a, b, kind), reading


def derivative_shape(num: ty.Shape, wrt: ty.Shape, layout: str, pos: int) -> ty.Shape:
    """Shape of ∂num/∂wrt. Numerator layout: ∂(scalar)/∂(vector) is a row, Jacobians are
    out×in; denominator layout transposes both. ∂(scalar)/∂(matrix) has the matrix's shape.
    Variable layout (row-vector courses and others): a gradient has the variable's shape, and
    a Jacobian composes with such gradients (out×in by a row, in×out by a column)."""
    if ty.is_scalar(wrt):
        return num
    if ty.is_vector(wrt):
        k = ty.vector_length(wrt)
        if layout == "variable":
            layout = "numerator" if ty.is_unit(wrt[0]) else "denominator"
        if ty.is_scalar(num):
            return (1, k) if layout == "numerator" else (k, 1)
        if ty.is_vector(num):
            m = ty.vector_length(num)
            return (m, k) if layout == "numerator" else (k, m)
    elif len(wrt) == 2:
        if ty.is_scalar(num):
            return wrt
        if ty.is_vector(num):
            return (ty.vector_length(num), *wrt)
    raise NotationError(
        f"derivative of a {ty.show_shape(num)} with respect to a {ty.show_shape(wrt)} is not supported",
        pos,
    )


def _marks(left: bool, right: bool) -> str:
    return " and ".join(
        s for s, flag in (("the left factor", left), ("the right factor", right)) if flag
    )
