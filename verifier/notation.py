"""The notation a course declares, as data the reader consumes: symbol names and shapes, layer
conventions, spellings accepted with a warning, and the functions notation can name.

Both the reader (``verifier.parse``) and the models (``verifier.models``) import this module; it
imports neither, so what a formula may say is decided in one place, below both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from fractions import Fraction


class One(int):
    """The size 1 of a matrix's axis that a named dimension gave (`W` declared `["m", "d"]`
    with the constant m = 1). It counts as 1 in every size computation, so `W x` is still a
    scalar, but a shape holding it stays a matrix: its entries take two indices and
    ∂(scalar)/∂W has W's shape in either layout, where a row vector's gradient would turn."""

    def __new__(cls) -> One:
        return super().__new__(cls, 1)

    def __repr__(self) -> str:  # canonical text tells a 1×d matrix from a row vector
        return "One()"

    def __str__(self) -> str:  # messages show the size
        return "1"

    __format__ = int.__format__

    def __reduce__(self):
        return (One, ())


Dim = str | int  # a dimension name ("h") or a size (an int, or One for a matrix's axis)
Shape = tuple[Dim, ...]  # () scalar, (k, 1) column, (1, k) row, (p, q) matrix


def is_unit(dim: Dim) -> bool:
    """A literal size 1, which makes a shape a vector (One does not)."""
    return dim == 1 and not isinstance(dim, One)


def symbol_key(base: str, layer: int | None = None) -> str:
    """Canonical key of a symbol: ``W`` with layer 1 is ``W^{(1)}``; ``sigma`` is ``\\sigma``;
    a decorated name keeps its decoration (``\\hat{y}``, ``\\mathcal{L}``)."""
    plain = len(base) == 1 or base.startswith("\\") or "(" in base  # `p(o|c)` as written
    name = base if plain else "\\" + base
    return f"{name}^{{({layer})}}" if layer is not None else name


def subscripted_key(key: str, indices: tuple[str | int, ...]) -> str:
    """The key of a name that carries its subscript (`v_c`, `b_y`, `a_{h1}`, `E_T`): the course
    declares it as one symbol. Numbers are written 1-based, as in the text."""
    sub = "".join(str(i + 1) if isinstance(i, int) else i for i in indices)
    return f"{key}_{{{sub}}}"


def squared_key(key: str) -> str:
    """The key of a quantity the course names as a square (`\\sigma^2`, Ioffe and Szegedy's
    variance): a name of its own, not a power of `\\sigma`."""
    return f"{key}^{{2}}"


_SQUARED = re.compile(r"(.+?)\^\{2\}(_\{[^{}]*\}|_\*)?")


def squared_base(key: str) -> str | None:
    """The name a squared name squares (`\\sigma` for `\\sigma^{2}`, `\\sigma_{B}` for
    `\\sigma^{2}_{B}`, `s` for the family `s^{2}_*`), or None."""
    m = _SQUARED.fullmatch(key)
    if m is None:
        return None
    return m.group(1) + (m.group(2) if m.group(2) and m.group(2) != "_*" else "")


@dataclass(frozen=True)
class Quantity:
    key: str
    shape: Shape
    kind: str  # "leaf" (sampled input), "free" (a free variable), "node" (defined), "family"
    display: str = ""

    @property
    def label(self) -> str:
        return self.display or self.key


@dataclass(frozen=True)
class Batch:
    """A model of a batch of examples, as the assignment declares it: which axis of a matrix
    counts examples (``rows``: X is N×D, `XW + b`; ``columns``: X is D×m, `WX + b`), the
    dimension that counts them, and whether a vector added to a matrix is broadcast over the
    examples (`XW + b` with b a 1×C row added to every row)."""

    axis: str  # "rows" or "columns"
    size: str  # the dimension counting examples
    broadcast: bool = False
    example: str = ""  # "(i)": `V^{(i)}` is example i of V (Ng's notation), where declared

    def per_example(self, shape: Shape) -> bool:
        """Whether a matrix of ``shape`` holds one example per row (or column) as declared."""
        return len(shape) == 2 and shape[0 if self.axis == "rows" else 1] == self.size

    @property
    def each(self) -> str:
        return "row" if self.axis == "rows" else "column"


@dataclass(frozen=True)
class Lenient:
    """A spelling the assignment accepts with a warning (``Z^{(1)}`` for ``z^{(1)}``)."""

    target: str


@dataclass
class SymbolTable:
    dims: dict[str, int | None] = field(default_factory=dict)  # None: varies per dimension set
    quantities: dict[str, Quantity] = field(default_factory=dict)
    families: dict[str, Quantity] = field(default_factory=dict)  # base key -> family node
    functions: dict[str, str] = field(default_factory=dict)  # notation key -> library name
    lenient: dict[str, Lenient] = field(default_factory=dict)
    layout: str = "numerator"
    # typefaces that do not change a symbol in this course (`\\mathbf` makes `\\mathbf{x}` x)
    typefaces: frozenset[str] = frozenset()
    subscript_layers: bool = False  # `W_1` is W^{(1)} in this course
    plain_layers: bool = False  # `W^1` is W^{(1)} in this course (powers of it: `(W^1)^2`)
    transpose_marks: frozenset[str] = frozenset()  # `^t`, `'` as transposes where declared
    # names a submission defines (`\\theta := U v_c`): key -> the typed node they stand for
    locals: dict[str, object] = field(default_factory=dict)
    d_notation: str = ""  # the loss `dW` differentiates (`J`: dW is ∂J/∂W); "" when not used
    # where the course differentiates another loss by its inputs (Ng: dZ is ∂𝓛/∂Z, dW ∂J/∂W)
    d_inputs: str = ""
    elementwise: bool = False  # `a * b` and `(a)^2` act entry by entry (numpy's notation)
    einstein: bool = False  # an index written in two factors of a product is summed
    batch: Batch | None = None  # examples as rows or columns of matrices, where declared
    # `u_w` is column w of U: name -> (matrix key, "column" or "row")
    slices: dict[str, tuple[str, str]] = field(default_factory=dict)
    hot: dict[str, str] = field(default_factory=dict)  # index letter -> its one-hot input
    # functions of several arguments the assignment defines (`\\text{CE}(y, \\hat{y}) = …`):
    # key -> verifier.models.formulas.Formula
    formulas: dict[str, object] = field(default_factory=dict)

    def with_lenient(self, extra: dict[str, Lenient]) -> SymbolTable:
        return replace(self, lenient={**self.lenient, **extra})

    def with_locals(self, defined: dict[str, object]) -> SymbolTable:
        return replace(self, locals=dict(defined)) if defined else self

    def dim(self, name: str) -> Dim:
        value = self.dims[name]
        return value if value is not None else name

    def known_names(self) -> list[str]:
        return [*self.quantities, *self.functions, *self.dims, *self.formulas]

    def names_word(self, word: str) -> bool:
        """Whether ``word`` as written (`t`, `loss`, `sigma`) names something declared."""
        known = set(self.known_names()) | set(self.families)
        return word in known or symbol_key(word) in known


# --- the functions notation can name --------------------------------------------------------
@dataclass(frozen=True)
class LibraryFunction:
    """A function of the library by name; its SymPy meaning lives in ``verifier.models``."""

    name: str
    elementwise: bool  # acts on each entry (sigmoid); else on a whole vector (softmax)
    latex: str


LIBRARY: dict[str, LibraryFunction] = {
    f.name: f
    for f in (
        LibraryFunction("sigmoid", True, r"\sigma"),
        LibraryFunction("tanh", True, r"\tanh"),
        LibraryFunction("exp", True, r"\exp"),
        LibraryFunction("log", True, r"\log"),
        LibraryFunction("identity", True, r"\mathrm{id}"),
        LibraryFunction("softplus", True, "softplus"),
        LibraryFunction("relu", True, r"\mathrm{relu}"),  # its derivative: 𝟙(z > 0)
        LibraryFunction("abs", True, r"\lvert\cdot\rvert"),  # its derivative: sign(z)
        LibraryFunction("sign", True, r"\operatorname{sign}"),
        LibraryFunction("step", True, r"\mathbb{1}"),  # 𝟙(z > 0), as `\mathbb{1}(z > 0)` reads
        LibraryFunction("softmax", False, r"\mathrm{softmax}"),
    )
}

# Leaky ReLU with its declared slope for negative arguments: `f = "leaky_relu(0.01)"`.
LEAKY = re.compile(r"leaky_relu\(\s*(0?\.[0-9]+|[0-9]+/[0-9]+)\s*\)")


def library(name: str) -> LibraryFunction | None:
    """The library function a typed tree names, a leaky ReLU's slope included, or None."""
    if LEAKY.fullmatch(name):
        return LibraryFunction(name, True, r"\mathrm{leaky}")
    return LIBRARY.get(name)


def leaky_slope(name: str) -> Fraction | None:
    """The slope of `leaky_relu(0.01)` (as a fraction, 1/100), or None for another name."""
    m = LEAKY.fullmatch(name)
    try:
        return Fraction(m.group(1)) if m else None
    except ZeroDivisionError:  # `leaky_relu(1/0)`: refused by the loader
        return None


# "Any smooth function" (`g = "smooth"` in [functions]): a typed tree names the abstract `g` as
# "smooth:g", so two declared functions stay apart; `g'`, `g''` are its derivatives.
SMOOTH = "smooth"
SMOOTH_PREFIX = "smooth:"


def function_name(declared: str, key: str) -> str:
    """The name a typed tree gives the function declared as ``declared`` under ``key``."""
    return SMOOTH_PREFIX + key if declared == SMOOTH else declared


# Commands that always name a function, whatever the assignment says.
BUILTIN_COMMANDS = {
    "log": "log",
    "ln": "log",
    "exp": "exp",
    "tanh": "tanh",
    "softmax": "softmax",
    "sigmoid": "sigmoid",
    "relu": "relu",
    "ReLU": "relu",
    "sign": "sign",
    "sgn": "sign",
    "max": "max",  # read only as `\\max(0, z)`: ReLU
}
