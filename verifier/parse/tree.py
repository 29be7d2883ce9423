"""Raw syntax tree: what the grammar read, before any meaning is given to juxtaposition.

Every node carries ``pos``, its offset in the math text, so errors point at the right column.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RNode:
    pos: int


@dataclass(frozen=True)
class RSym(RNode):
    name: str  # a letter, a Greek name such as "sigma", or a \mathrm{...} word


@dataclass(frozen=True)
class RDecorated(RNode):
    """``\\hat{y}``, ``\\mathbf{W}``, ``\\mathcal{L}``: a decoration or typeface on a body."""

    decoration: str  # hat, mathbf, mathcal, ...
    body: RNode


@dataclass(frozen=True)
class RText(RNode):
    """``\\text{loss}`` inside a formula: a declared name, or prose that cannot be read."""

    text: str


@dataclass(frozen=True)
class RNum(RNode):
    text: str


@dataclass(frozen=True)
class RTransposeMark(RNode):
    pass


@dataclass(frozen=True)
class RCmd(RNode):
    name: str  # an unknown command, reported by the typed pass


@dataclass(frozen=True)
class REllipsis(RNode):
    """`\\cdots`, `\\vdots`, `\\ddots`, `…`: terms left out, read from the terms around them."""

    mark: str


@dataclass(frozen=True)
class RMatrix(RNode):
    """``\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}``: rows of cells, None where empty."""

    rows: tuple[tuple[RNode | None, ...], ...]


@dataclass(frozen=True)
class RSeq(RNode):
    """Content of braces or of a whole math span: pieces split by separators."""

    pieces: tuple[RChain, ...]


@dataclass(frozen=True)
class RChain(RNode):
    """``a = b = c``; ``continuation`` when it starts with ``=`` and extends the previous chain.
    ``rels`` are the relations as written, one before each expression but the first (one
    before each expression of a continuation)."""

    exprs: tuple[RNode, ...]
    continuation: bool
    rels: tuple[str, ...] = ()


@dataclass(frozen=True)
class RScripted(RNode):
    base: RNode
    subs: tuple[RNode, ...]
    sups: tuple[RNode, ...]
    primes: int


@dataclass(frozen=True)
class RGiven(RNode):
    """``(o|c)``: the argument list of a conditional such as ``p(o|c)``."""

    left: RNode
    right: RNode


@dataclass(frozen=True)
class RParen(RNode):
    body: RNode
    opener: str


@dataclass(frozen=True)
class RFrac(RNode):
    num: RNode
    den: RNode


@dataclass(frozen=True)
class RSqrt(RNode):
    body: RNode


@dataclass(frozen=True)
class RFunc(RNode):
    name: str  # log, ln, exp, tanh, diag, softmax, ...


@dataclass(frozen=True)
class RMulOp(RNode):
    op: str  # cdot, times, odot, circ, ast, "*", "/"


@dataclass(frozen=True)
class RBigSum(RNode):
    subs: tuple[RNode, ...]
    sups: tuple[RNode, ...]


@dataclass(frozen=True)
class RPartial(RNode):
    pass


@dataclass(frozen=True)
class RNabla(RNode):
    """``\\nabla_W``: the gradient with respect to ``subs``, acting on what follows."""

    subs: tuple[RNode, ...]


@dataclass(frozen=True)
class RProduct(RNode):
    items: tuple[RNode, ...]


@dataclass(frozen=True)
class RSum(RNode):
    """``a + b - c`` as one flat node: a long sum must not become a deep tree (recursion)."""

    terms: tuple[RNode, ...]
    ops: tuple[str, ...]  # "+" or "-" before each term after the first


@dataclass(frozen=True)
class RNeg(RNode):
    body: RNode


@dataclass(frozen=True)
class RArguments(RNode):
    """``(0, z)``, ``\\{0, z\\}``: the arguments of a function of several (`\\max`, `\\text{CE}`)."""

    items: tuple[RNode, ...]


@dataclass(frozen=True)
class RCompare(RNode):
    """``(z > 0)``: a comparison in brackets, read only as the indicator's argument."""

    left: RNode
    rel: str
    right: RNode


@dataclass(frozen=True)
class RMagnitude(RNode):
    """``|z|``, ``\\lvert z \\rvert``, ``\\left| z \\right|``: the absolute value."""

    body: RNode
