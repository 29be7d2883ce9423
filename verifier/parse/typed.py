"""Typed expression tree: the meaning the typed pass gave to a formula.

Shapes are tuples of dimensions, each a dimension name (``"h"``) or an integer. A scalar is
``()``; a column vector ``(k, 1)``; a row vector ``(1, k)``; a matrix ``(p, q)``; the derivative
of a vector with respect to a matrix has rank 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from verifier.notation import Dim, Shape

SCALAR: Shape = ()


def is_scalar(shape: Shape) -> bool:
    return shape == () or shape == (1, 1)


def is_vector(shape: Shape) -> bool:
    return len(shape) == 2 and (shape[0] == 1) != (shape[1] == 1)


def vector_length(shape: Shape) -> Dim:
    return shape[1] if shape[0] == 1 else shape[0]


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
    """Component of a vector or matrix; indices are index names or 0-based integers."""

    var: Var
    indices: tuple[str | int, ...]


@dataclass(frozen=True)
class Apply(Node):
    func: str  # library name: sigmoid, softmax, tanh, exp, log, ...
    arg: Node
    order: int = 0  # derivative order from primes


@dataclass(frozen=True)
class Add(Node):
    left: Node
    right: Node
    sign: int  # +1 or -1


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


def canonical(node: Node) -> str:
    """The node as text without positions: equal meanings written alike compare equal."""
    fields = []
    for name, value in vars(node).items():
        if name == "pos":
            continue
        fields.append(canonical(value) if isinstance(value, Node) else repr(value))
    return f"{type(node).__name__}({', '.join(fields)})"


def has_derivative(node: Node) -> bool:
    """Whether a derivative is left unevaluated anywhere in the expression."""
    if isinstance(node, Deriv):
        return True
    return any(has_derivative(v) for v in vars(node).values() if isinstance(v, Node))
