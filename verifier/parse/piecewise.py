"""Piecewise notation in the typed pass: `\\max(0, z)` (ReLU), `|z|`, and the indicator
`\\mathbb{1}(z > 0)` (also `\\mathbb{1}\\{z > 0\\}`, `\\mathbf{1}[z > 0]`, `\\mathbb{1}_{z > 0}`), each
entry by entry on a vector. A comparison or an argument list anywhere else is an error."""

from __future__ import annotations

from fractions import Fraction

from verifier.errors import NotationError
from verifier.notation import BUILTIN_COMMANDS
from verifier.parse import tree as t
from verifier.parse import typed as ty
from verifier.parse.application import apply
from verifier.parse.scripts import unwrap

_ONES = {"mathbf", "mathbb", "boldsymbol", "bm", "pmb", "vec"}
# 𝟙(a > b) is the step of a − b; 𝟙(a < b) of b − a. `≥` and `≤` differ from them only at the
# kink, where no point is used.
_ABOVE = {">", "\\gt", "\\geq", "\\ge", "\\geqslant", "≥"}
_BELOW = {"<", "\\lt", "\\leq", "\\le", "\\leqslant", "≤"}


def is_ones(node: t.RNode) -> bool:
    """`\\mathbb{1}`, `\\mathbf{1}`: the ones vector, or the indicator before a condition."""
    node = unwrap(node)
    if not isinstance(node, t.RDecorated) or node.decoration not in _ONES:
        return False
    body = unwrap(node.body)
    return isinstance(body, t.RNum) and body.text == "1"


def indicator_script(node: t.RNode) -> tuple[t.RNode, str, t.RNode] | None:
    """`\\mathbb{1}_{z > 0}`: the comparison in the subscript, or None."""
    if not isinstance(node, t.RScripted) or not is_ones(node.base) or len(node.subs) != 1:
        return None
    sub = node.subs[0]
    if not isinstance(sub, t.RSeq) or len(sub.pieces) != 1:
        return None
    chain = sub.pieces[0]
    if len(chain.exprs) != 2 or chain.continuation or node.sups or node.primes:
        return None
    return chain.exprs[0], chain.rels[0], chain.exprs[1]


class PiecewiseReading:
    """The Resolver's methods for piecewise notation (a mixin: it uses the Resolver's state)."""

    def piecewise_unit(self, items: tuple[t.RNode, ...], i: int) -> tuple[ty.Node, int] | None:
        """`\\max(0, z)` or `\\mathbb{1}(z > 0)` at ``items[i]``, with where it ends; or None."""
        item, nxt = items[i], items[i + 1] if i + 1 < len(items) else None
        if is_ones(item) and isinstance(nxt, t.RCompare):
            return self.indicator(nxt.left, nxt.rel, nxt.right, item.pos), i + 2
        if isinstance(item, t.RFunc) and BUILTIN_COMMANDS.get(item.name) == "max":
            if not isinstance(nxt, t.RArguments):
                raise NotationError("`\\max` is read only as `\\max(0, z)`, ReLU", item.pos)
            return self.maximum(nxt, item.pos), i + 2
        return None

    def indicator(self, left: t.RNode, rel: str, right: t.RNode, pos: int) -> ty.Node:
        a, b = self.resolve(left), self.resolve(right)
        if rel in _BELOW:
            a, b = b, a
        elif rel not in _ABOVE:
            raise NotationError(
                f"the indicator reads `>`, `<`, `\\geq` or `\\leq`, not `{rel}`", pos
            )
        return apply("step", 0, self._difference(a, b, pos), pos, self.table.batch)

    def _difference(self, a: ty.Node, b: ty.Node, pos: int) -> ty.Node:
        if _zero(b):
            return a
        if _zero(a):
            return ty.Neg(pos, b.shape, b)
        if a.shape != b.shape:
            raise NotationError(
                f"the indicator compares a {ty.show_shape(a.shape)} with a "
                f"{ty.show_shape(b.shape)}: compare two of one shape, or with 0",
                pos,
            )
        return ty.Add(pos, a.shape, (a, b), (1, -1))

    def maximum(self, node: t.RArguments, pos: int) -> ty.Node:
        """`\\max(0, z)` or `\\max(z, 0)`: ReLU, entry by entry. Nothing else is guessed at."""
        args = [self.resolve(a) for a in node.items]
        others = [a for a in args if not _zero(a)]
        if len(args) != 2 or len(others) != 1:
            raise NotationError(
                "`\\max` is read only as `\\max(0, z)`, ReLU (entry by entry on a vector)", pos
            )
        return apply("relu", 0, others[0], pos, self.table.batch)

    def _magnitude(self, node: t.RMagnitude) -> ty.Node:
        return apply("abs", 0, self.resolve(node.body), node.pos, self.table.batch)

    def _compare(self, node: t.RCompare) -> ty.Node:
        raise NotationError(
            f"a comparison in brackets (`{node.rel}`) is read only as the indicator's argument, "
            "`\\mathbb{1}(z > 0)`",
            node.pos,
        )

    def _arguments(self, node: t.RArguments) -> ty.Node:
        raise NotationError(
            "a list in brackets is read only as the arguments of `\\max` or of a function the "
            "assignment defines (`formulas`)",
            node.pos,
        )


def _zero(node: ty.Node) -> bool:
    return isinstance(node, ty.Num) and node.value == Fraction(0)
