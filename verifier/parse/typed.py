"""Typed expression tree: the meaning the typed pass gave to a formula.

Shapes are tuples of dimensions, each a dimension name (``"h"``) or an integer. A scalar is
``()``; a column vector ``(k, 1)``; a row vector ``(1, k)``; a matrix ``(p, q)``; the derivative
of a vector with respect to a matrix has rank 3.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from verifier.notation import Dim, Shape, is_unit

SCALAR: Shape = ()


def is_scalar(shape: Shape) -> bool:
    return shape == () or shape == (1, 1)


def is_vector(shape: Shape) -> bool:
    """A column (k, 1) or a row (1, k); a 1×k matrix (`One` in its shape) is not a vector."""
    return len(shape) == 2 and not is_scalar(shape) and (is_unit(shape[0]) or is_unit(shape[1]))


def is_matrix(shape: Shape) -> bool:
    return len(shape) == 2 and not is_scalar(shape) and not is_vector(shape)


def vector_length(shape: Shape) -> Dim:
    return shape[1] if is_unit(shape[0]) else shape[0]


def show_shape(shape: Shape) -> str:
    if shape == ():
        return "scalar"
    return "×".join(str(d) for d in shape)


@dataclass(frozen=True)
class Node:
    pos: int
    shape: Shape


@dataclass(frozen=True)
class Var(Node):
    key: str  # the model quantity, e.g. "W^{(1)}"


@dataclass(frozen=True)
class DimValue(Node):
    name: str


@dataclass(frozen=True)
class Num(Node):
    value: Fraction


@dataclass(frozen=True)
class EulerE(Node):
    pass


@dataclass(frozen=True)
class Entry(Node):
    """Component of a vector or matrix; indices are index names or 0-based integers. ``var`` is
    a model quantity, or any expression whose component is taken (`(y - t)_i`)."""

    var: Node
    indices: tuple[str | int, ...]


@dataclass(frozen=True)
class Apply(Node):
    func: str  # library name: sigmoid, softmax, tanh, exp, log, ...
    arg: Node
    order: int = 0  # derivative order from primes
    axis: str = ""  # a function of a whole vector on a batch: "rows" (each row) or "columns"


@dataclass(frozen=True)
class Add(Node):
    """A flat sum: ``terms[k]`` is added with ``signs[k]`` (+1 or -1; the first is +1)."""

    terms: tuple[Node, ...]
    signs: tuple[int, ...]


@dataclass(frozen=True)
class Neg(Node):
    body: Node


@dataclass(frozen=True)
class Mul(Node):
    left: Node
    right: Node
    kind: str  # scale, matmul, hadamard, contract


@dataclass(frozen=True)
class Div(Node):
    num: Node
    den: Node


@dataclass(frozen=True)
class Pow(Node):
    base: Node
    exponent: Node


@dataclass(frozen=True)
class Transpose(Node):
    body: Node


@dataclass(frozen=True)
class Diag(Node):
    body: Node


@dataclass(frozen=True)
class Deriv(Node):
    num: Node
    wrt: Node  # a Var or an Entry of a model quantity
    layout: str = ""  # "" the course's layout; "variable" for a gradient (∇_W E, dW): W's shape


@dataclass(frozen=True)
class Sum(Node):
    index: str
    lo: Node
    hi: Node
    body: Node


@dataclass(frozen=True)
class Delta(Node):
    i: str | int
    j: str | int


@dataclass(frozen=True)
class Identity(Node):
    pass


@dataclass(frozen=True)
class Ones(Node):
    """The ones vector `\\mathbf{1}`: a column ("?", 1) or a row (1, "?") until a neighbour
    gives its length (`\\mathbf{1}^T x`, `x + \\mathbf{1}`), or `\\mathbf{1}_n`."""


@dataclass(frozen=True)
class Matrix(Node):
    """A matrix written out: ``entries`` row by row, ``shape`` whole numbers."""

    entries: tuple[Node, ...]


@dataclass(frozen=True)
class Tabulate(Node):
    """A matrix from a pattern (`y_1 \\\\ \\vdots \\\\ y_n`): entry (r, c) is ``body`` with
    ``row`` = r and ``col`` = c (an index is "" along a side of length 1)."""

    row: str
    col: str
    body: Node


@dataclass(frozen=True)
class Body:
    """A formula's right side typed for one call's argument shapes: ``node`` over the quantities
    ``params``. Not a child of the call (its parameters are no quantities of the model)."""

    key: str
    params: tuple[str, ...]
    node: Node

    def __repr__(self) -> str:  # canonical text: the call is its formula and its arguments
        return f"Body({self.key})"


@dataclass(frozen=True)
class Call(Node):
    """A function of several arguments the assignment defines (`\\text{CE}(t, y)`)."""

    func: str
    args: tuple[Node, ...]
    body: Body


def children(node: Node) -> list[Node]:
    """The nodes directly below ``node``, in field order (a flat sum's terms included)."""
    out: list[Node] = []
    for value in vars(node).values():
        if isinstance(value, Node):
            out.append(value)
        elif isinstance(value, tuple):
            out += [v for v in value if isinstance(v, Node)]
    return out


def index_counts(node: Node) -> Counter[str]:
    """How often each index letter is written in ``node``, outside the sums and patterns
    that bind it."""
    found: Counter[str] = Counter()
    stack: list[tuple[Node, frozenset[str]]] = [(node, frozenset())]
    while stack:
        current, bound = stack.pop()
        if isinstance(current, Sum):
            bound = bound | {current.index}
        elif isinstance(current, Tabulate):
            bound = bound | {current.row, current.col}
        names = (
            current.indices
            if isinstance(current, Entry)
            else (current.i, current.j)
            if isinstance(current, Delta)
            else ()
        )
        found.update(i for i in names if isinstance(i, str) and i not in bound)
        stack += [(c, bound) for c in children(current)]
    return found


def free_names(node: Node, free) -> dict[str, str]:
    """The free indices renamed in order of first appearance (`#0`, `#1`, …): a left side
    written with k for i (`∂E/∂z_k`) is the same left side."""
    found: dict[str, str] = {}
    for n in walk(node):
        names = n.indices if isinstance(n, Entry) else (n.i, n.j) if isinstance(n, Delta) else ()
        for i in names:
            if isinstance(i, str) and i in free and i not in found:
                found[i] = f"#{len(found)}"
    return found


def head_key(node: Node, free) -> str:
    """A left side as steps' targets are matched: canonical, free indices renamed."""
    return canonical(node, free_names(node, free))


def canonical(node: Node, rename: dict[str, str] | None = None) -> str:
    """The node as text without positions: equal meanings written alike compare equal; with
    ``rename``, index names replaced (see :func:`free_names`).

    Built with an explicit stack, not recursion: a tree's size never meets Python's limit."""
    done: dict[int, str] = {}
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, expanded = stack.pop()
        if id(current) in done:
            continue
        if not expanded:
            stack.append((current, True))
            stack += [(c, False) for c in children(current) if id(c) not in done]
            continue
        done[id(current)] = _canonical_one(current, done, rename or {})
    return done[id(node)]


def _canonical_one(node: Node, done: dict[int, str], rename: dict[str, str]) -> str:
    fields = []
    for name, value in vars(node).items():
        if name == "pos":
            continue
        if rename and isinstance(node, Entry) and name == "indices":
            value = tuple(rename.get(i, i) if isinstance(i, str) else i for i in value)
        elif rename and isinstance(node, Delta) and name in ("i", "j"):
            value = rename.get(value, value)
        if isinstance(value, Node):
            fields.append(done[id(value)])
        elif isinstance(value, tuple) and any(isinstance(v, Node) for v in value):
            fields.append("(" + ", ".join(done[id(v)] for v in value) + ")")
        else:
            fields.append(repr(value))
    return f"{type(node).__name__}({', '.join(fields)})"


def walk(node: Node):
    """Every node of the tree, parents first, left to right, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack += reversed(children(current))


def differentiated(wrt: Node) -> str:
    """The quantity a derivative is taken by: `W`, an entry `W_{ij}`, a column `u_w`."""
    if isinstance(wrt, Tabulate):
        wrt = wrt.body
    return wrt.var.key if isinstance(wrt, Entry) else wrt.key


def holds(node: Node, part: Node) -> bool:
    """Whether ``part`` (as :func:`canonical` writes it) is anywhere in ``node``."""
    key = canonical(part)
    return any(type(n) is type(part) and canonical(n) == key for n in walk(node))


def has_derivative(node: Node) -> bool:
    """Whether a derivative is left unevaluated anywhere in the expression."""
    return any(isinstance(n, Deriv) for n in walk(node))
