"""Sums over an index as vector operations, for :mod:`readable`: `\\sum_j -t_j \\log y_j` is
1ᵀ(-t ⊙ log y), `\\sum_k \\log \\sigma(-u_k^T v)` over a matrix's declared columns a sum over Nᵀv."""

from __future__ import annotations

from verifier.models import algebra as al
from verifier.parse import typed as ty


def lift(node: ty.Node, index: str, length) -> ty.Node:
    """A column whose entry i is ``node`` at ``index`` = i (`-t_j \\log y_j` → -t ⊙ log y)."""
    if index not in ty.index_counts(node):
        return node
    if isinstance(node, ty.Entry) and node.indices == (index,) and isinstance(node.var, ty.Var):
        shape = length(index, node.var)
        return node.var if node.var.shape == shape else al.T(node.var)
    if isinstance(node, ty.Entry) and isinstance(node.var, ty.Var) and _along(node, index):
        length(index, node.var)  # `Y_{1i}` of a Y with one row; refused for a wider one
        return node.var if node.indices[0] == index else al.T(node.var)
    if isinstance(node, ty.Mul) and node.kind == "matmul" and ty.is_scalar(node.shape):
        return _lift_inner(node, index)
    found = entrywise(node, lambda n: lift(n, index, length), lambda n: index in ty.index_counts(n))
    if found is None:
        raise al._no_form(f"no vector form of a {type(node).__name__} over {index}")
    return found


def entrywise(node: ty.Node, part, has) -> ty.Node | None:
    """``part`` (a lift over one index or two) taken through the entry-by-entry operations of
    ``node``: sums, negation, products entry by entry, elementwise functions, a quotient or a
    power whose other side ``has`` no index lifted; None for anything else."""
    if isinstance(node, ty.Add):
        lifted = [part(t) for t in node.terms]
        return al.add(*[t if s > 0 else al.neg(t) for t, s in zip(lifted, node.signs, strict=True)])
    if isinstance(node, ty.Neg):
        return al.neg(part(node.body))
    if isinstance(node, ty.Mul) and node.kind in ("scale", "hadamard"):
        return al.had(part(node.left), part(node.right))
    if isinstance(node, ty.Apply) and not node.axis and node.func != "softmax":
        arg = part(node.arg)
        return ty.Apply(0, arg.shape, node.func, arg, node.order)
    if isinstance(node, ty.Div) and not has(node.den):
        num = part(node.num)
        return ty.Div(0, num.shape, num, node.den)
    if isinstance(node, ty.Pow) and not has(node.exponent):
        base = part(node.base)
        return ty.Pow(0, base.shape, base, node.exponent)
    return None


def _along(node: ty.Entry, index: str) -> bool:
    """`Y_{1i}` (or `y_{i1}`): an entry along one axis of a matrix, the other held at 1."""
    return len(node.indices) == 2 and index in node.indices and 0 in node.indices


def slice_parts(node: ty.Node) -> tuple[ty.Var, str, str | int] | None:
    """(M, side, index) where ``node`` is column (or row) ``index`` of M as a column
    (:func:`verifier.parse.matrices.slice_of`), else None."""
    if not (isinstance(node, ty.Tabulate) and node.col == "" and isinstance(node.body, ty.Entry)):
        return None
    if not isinstance(node.body.var, ty.Var) or len(node.body.indices) != 2:
        return None
    first, second = node.body.indices
    if first == node.row:
        return node.body.var, "column", second
    if second == node.row:
        return node.body.var, "row", first
    return None


def _lift_inner(node: ty.Mul, index: str) -> ty.Node:
    """u_kᵀ v over k, u_k column k of M: the column Mᵀv (row k of M: M v)."""
    pairs = ((node.left, node.right), (node.right, node.left))
    for a, b in pairs:
        body = a.body if isinstance(a, ty.Transpose) else a
        found = slice_parts(body)
        if found is None or found[2] != index or index in ty.index_counts(b):
            continue
        matrix, side, _ = found
        other = b if b.shape[1:] == (1,) else al.T(b)
        return al.mm(al.T(matrix) if side == "column" else matrix, other)
    raise al._no_form(f"no vector form of a product over {index}")


def vectorize(node: ty.Node, length) -> ty.Node:
    """Each sum over an index written as 1ᵀ(the lifted summand)."""

    def visit(n: ty.Node) -> ty.Node:
        if isinstance(n, ty.Sum):
            body = lift(n.body, n.index, length)
            if ty.is_scalar(body.shape) or n.lo != ty.Num(n.lo.pos, (), 1):
                raise al._no_form("a sum that is no sum of a vector's entries")
            return al.mm(al.T(al.ones_like(body)), body)
        return al.rebuild(n, visit)

    return visit(node)
