"""What a model declares besides its definitions: dimensions and constants, the shapes of its
inputs and variables, the functions' names, spellings accepted with a warning, assumptions.

The schema checks each value alone; here they are checked together (a shape names a declared
dimension, a name is declared once, an assumption is on an input). Each check raises a
NotationError that ``verifier.models.model`` turns into one line naming what is at fault."""

from __future__ import annotations

import math
import re

from verifier.errors import NotationError
from verifier.models.assignment import Assignment, ModelSpec
from verifier.models.names import key_of, name_of
from verifier.models.refuse import about, shown
from verifier.notation import (
    Batch,
    Lenient,
    One,
    Quantity,
    Shape,
    SymbolTable,
    leaky_slope,
    squared_base,
)
from verifier.parse import typed as ty
from verifier.parse.formulas import read_formula

# Entries of one quantity at any dimension set. Dimensions are at most 8 (schema): an 8×8
# matrix has 64; constants and literal sizes have no maximum in the schema, and a quantity of
# millions of entries would make every SymPy value of the model unusable, so it is refused.
MAX_ENTRIES = 256
VECTOR_ASSUMPTIONS = ("one-hot", "sum-to-one")  # a property of a whole vector


def declare(assignment: Assignment, spec: ModelSpec, origin: str) -> SymbolTable:
    """The model's symbol table before its definitions: dimensions, functions, inputs."""
    with about(origin, spec.name, "dimensions"):
        _check_dimensions(spec)
    dims: dict[str, int | None] = {d: None for ds in spec.dimensions for d in ds}
    dims.update(spec.constants)
    table = SymbolTable(
        dims=dims,
        layout=assignment.layout,
        typefaces=assignment.typefaces,
        subscript_layers=assignment.subscript_layers,
        plain_layers=assignment.plain_layers,
        transpose_marks=assignment.transpose_marks,
        elementwise=assignment.elementwise,
        einstein=assignment.einstein,
    )
    with about(origin, spec.name, "batch"):
        table.batch = batch_of(spec)
    functions = assignment.functions if spec.functions is None else spec.functions
    for text, library_name in functions.items():
        with about(origin, spec.name, f"function {shown(text)}"):
            _check_slope(library_name)
            table.functions[_function_key(text, table)] = library_name
    if assignment.d_notation or assignment.d_inputs:
        with about(origin, spec.name, "notation.d"):
            table.d_notation = (
                key_of(assignment.d_notation, table)[0] if assignment.d_notation else ""
            )
            table.d_inputs = key_of(assignment.d_inputs, table)[0] if assignment.d_inputs else ""
    for kind, what, symbols in (
        ("leaf", "input", spec.inputs),
        ("free", "variable", spec.variables),
    ):
        for text, declared in symbols.items():
            with about(origin, spec.name, f"{what} {shown(text)}"):
                key = name_of(text, table)
                _check_new_name(table, key)
                shape = shape_of(declared, spec)
                table.quantities[key] = Quantity(key, shape, kind, text)
    for side, names in (("column", spec.columns), ("row", spec.rows)):  # definitions use them
        for name, matrix in names.items():
            with about(origin, spec.name, f"{side}s {shown(name)}"):
                table.slices[_new_letter(table, name)] = (_matrix_key(table, matrix), side)
    for n, text in enumerate(assignment.formulas, 1):
        with about(origin, spec.name, f"formula {n} {shown(text)}"):
            formula = read_formula(text, table)
            table.formulas[formula.key] = formula
    return table


def _check_slope(name: str) -> None:
    """A leaky ReLU's slope for negative arguments is between 0 and 1 (0 is ReLU itself)."""
    if not name.startswith("leaky_relu"):
        return
    slope = leaky_slope(name)
    if slope is None or not 0 < slope < 1:
        raise NotationError(f"`{name}`: the slope of a leaky ReLU is a number between 0 and 1", 0)


def finish(spec: ModelSpec, table: SymbolTable, origin: str) -> dict[str, str]:
    """After the definitions (which spellings and `d` may name): lenient spellings, the loss of
    d-notation, and the assumptions, keyed as the model's quantities are."""
    with about(origin, spec.name, "lenient"):
        table.lenient = lenient_spellings(table, spec.lenient)
    with about(origin, spec.name, "notation.d"):
        _check_d_notation(table)
    for q in [q for q in table.quantities.values() if squared_base(q.key) is not None]:
        with about(origin, spec.name, f"name {shown(q.label)}"):
            _check_square(table, q.key)
    with about(origin, spec.name, "notation.transpose"):
        if "t" in table.transpose_marks and ("t" in table.quantities or "t" in table.dims):
            raise NotationError("`t` is also a name of this model, so `x^t` is ambiguous", 0)
    assumptions = {}
    for text, kind in spec.assumptions.items():
        with about(origin, spec.name, f"assumption on {shown(text)}"):
            assumptions[_assumed(table, text, kind)] = kind
    for letter, vector in spec.hot.items():
        with about(origin, spec.name, f"hot {shown(letter)}"):
            table.hot[_new_letter(table, letter)] = _one_hot_key(table, vector, assumptions)
    return assumptions


def _check_square(table: SymbolTable, key: str) -> None:
    """`\\sigma^2` is a name only where `\\sigma` is none: with both, `\\sigma^2` would be
    ambiguous (the variance, or σ squared)."""
    base = squared_base(key)
    assert base is not None
    stem = base.split("_{")[0]  # `\\sigma_B^2` beside a vector σ: σ_B² or (σ_B)²
    names = {*table.quantities, *table.families, *table.dims}
    if base in names or stem in names:
        base = base if base in names else stem
        raise NotationError(
            f"`{base}` is also a name of this model, so `{key}` would be ambiguous (a name or "
            f"the square of `{base}`)",
            0,
        )
    if base in table.functions or base in table.formulas:
        raise NotationError(f"`{base}` is also a function, so `{key}` would be ambiguous", 0)
    if base == "e":  # `e^2` is always read as Euler's number squared
        raise NotationError(f"`{key}` is Euler's number squared, not a name", 0)


def _new_letter(table: SymbolTable, name: str) -> str:
    """A name of a slice or a hot index: one letter the model does not use otherwise."""
    if len(name) != 1 or not name.isalpha():
        raise NotationError(f"`{name}` is not one letter", 0)
    if name in table.quantities or name in table.dims or name in table.functions:
        raise NotationError(f"`{name}` is already a name of this model", 0)
    if name in table.slices or name in table.hot:
        raise NotationError(f"`{name}` is declared twice", 0)
    return name


def _matrix_key(table: SymbolTable, text: str) -> str:
    key = name_of(text, table)
    q = table.quantities.get(key)
    if q is None or q.kind != "leaf" or len(q.shape) != 2 or 1 in q.shape:
        raise NotationError(f"`{text}` is not an input matrix of this model", 0)
    return key


def _one_hot_key(table: SymbolTable, text: str, assumptions: dict[str, str]) -> str:
    key = name_of(text, table)
    if assumptions.get(key) != "one-hot" or not ty.is_vector(table.quantities[key].shape):
        raise NotationError(f"`{text}` is not a one-hot input vector of this model", 0)
    return key


def _check_dimensions(spec: ModelSpec) -> None:
    first = set(spec.dimensions[0])
    for n, dims in enumerate(spec.dimensions[1:], 2):
        if set(dims) != first:
            raise NotationError(
                f"set {n} names {_names(set(dims))} but set 1 names {_names(first)}: "
                "every set gives a value to the same dimensions",
                0,
            )
    both = sorted(first & set(spec.constants))
    if both:
        raise NotationError(f"`{both[0]}` is both a dimension and a constant", 0)
    _check_apart(spec)


def _check_apart(spec: ModelSpec) -> None:
    """Two dimensions that vary but are equal in every set could be confused by a claim (`1/p`
    for `1/m`) and it would pass: refused."""
    pair = confusable(spec.dimensions, spec.drawn)
    if pair is not None:
        raise NotationError(
            f"dimensions `{pair[0]}` and `{pair[1]}` are equal in every dimension set: a claim "
            "that writes one for the other would pass; give them different values in a set",
            0,
        )


def confusable(sets: tuple[dict[str, int], ...], drawn=frozenset()) -> tuple[str, str] | None:
    """Two dimensions (not ``drawn``) that vary across ``sets`` but are equal in each, or None."""
    names = sorted(set(sets[0]) - drawn)
    varying = [d for d in names if len({dims[d] for dims in sets}) > 1]
    for k, a in enumerate(varying):
        for b in varying[k + 1 :]:
            if all(dims[a] == dims[b] for dims in sets):
                return a, b
    return None


def batch_of(spec: ModelSpec) -> Batch | None:
    """The model's batch: its examples counted by a dimension that varies across the sets (a
    constant would let a claim true for one batch size pass)."""
    if not spec.batch:
        return None
    size = str(spec.batch["size"])
    if size in spec.constants:
        raise NotationError(
            f"`{size}` is a constant: the examples are counted by a dimension that varies", 0
        )
    if size not in spec.dimensions[0]:
        raise NotationError(f"`{size}` is not a dimension of this model", 0)
    broadcast = bool(spec.batch.get("broadcast", False))
    return Batch(str(spec.batch["examples"]), size, broadcast, str(spec.batch.get("example", "")))


def _names(names: set[str]) -> str:
    return ", ".join(sorted(names)) or "none"


def shape_of(declared: list[str | int], spec: ModelSpec) -> Shape:
    """The declared shape: constants put in (a named dimension of size 1 keeps a matrix a
    matrix: `["m", "d"]` with m = 1 is 1×d, unlike the row `[1, "d"]`)."""
    if len(declared) == 1:
        raise NotationError(
            f'a shape is [] (scalar), ["d", 1] (column), [1, "d"] (row) or ["h", "d"] '
            f"(matrix), not {declared}",
            0,
        )
    known = {d for dims in spec.dimensions for d in dims}
    shape: list[str | int] = []
    for d in declared:
        if isinstance(d, int):
            shape.append(d)
        elif d in spec.constants:
            shape.append(One() if spec.constants[d] == 1 else spec.constants[d])
        elif d in known:
            shape.append(d)
        else:
            raise NotationError(f"`{d}` is neither a dimension nor a constant of this model", 0)
    _check_size(declared, spec)
    return () if ty.is_scalar(tuple(shape)) else tuple(shape)


def _check_size(declared: list[str | int], spec: ModelSpec) -> None:
    for dims in spec.dimensions:
        values = {**spec.constants, **dims}
        sizes = [d if isinstance(d, int) else values[d] for d in declared]
        if math.prod(sizes) > MAX_ENTRIES:
            at = ", ".join(f"{k}={v}" for k, v in values.items())
            raise NotationError(
                f"{' × '.join(map(str, sizes))} entries at {at}: the limit is {MAX_ENTRIES}", 0
            )


def _check_new_name(table: SymbolTable, key: str) -> None:
    if key in table.quantities:
        raise NotationError(f"`{table.quantities[key].label}` is declared twice", 0)
    if key in table.dims:
        raise NotationError(f"`{key}` is also a dimension of this model", 0)
    if key in table.functions:
        raise NotationError(f"`{key}` is also declared a function in [functions]", 0)
    if key in table.formulas:
        raise NotationError(f"`{key}` is also a formula of the assignment", 0)


def lenient_spellings(table: SymbolTable, spellings: dict[str, str]) -> dict[str, Lenient]:
    """Spellings accepted with a warning: another name for a symbol of the model, never the
    name of a symbol itself (`x` read as `W` would silently change a claim's meaning)."""
    found = {}
    for written, meant in spellings.items():
        key, target = name_of(written, table), name_of(meant, table)
        if key in table.quantities or key in table.families or key in table.dims:
            raise NotationError(f"`{written}` is a name of the model, not another spelling", 0)
        if target not in table.quantities and target not in table.families:
            raise NotationError(f"`{written}` is read as `{meant}`, which the model lacks", 0)
        found[key] = Lenient(target)
    return found


def _function_key(text: str, table: SymbolTable) -> str:
    """A declared function is a symbol (`G`, `g`) or a command of the course (`\\softmax`)."""
    command = text.strip()
    return command if re.fullmatch(r"\\[A-Za-z]+", command) else key_of(text, table)[0]


def _check_d_notation(table: SymbolTable) -> None:
    """`dW` cannot mean ∂J/∂W where `d` is also a dimension or a quantity of the model."""
    losses = [k for k in (table.d_notation, table.d_inputs) if k]
    if not losses:
        return
    if "d" in table.dims or "d" in table.quantities:
        raise NotationError("`d` is also a name of this model, so `dW` is ambiguous", 0)
    for loss in losses:
        if loss not in table.quantities:
            raise NotationError(f"`{loss}` is not a quantity of this model", 0)
        if not table.quantities[loss].shape == ():
            raise NotationError(f"`{loss}` is not a scalar: `dW` is a gradient of a loss", 0)


def _assumed(table: SymbolTable, text: str, kind: str) -> str:
    key = name_of(text, table)
    q = table.quantities.get(key)
    if q is None:
        raise NotationError(f"`{text}` is not a symbol of this model", 0)
    if q.kind not in ("leaf", "free"):
        raise NotationError(
            f"`{text}` is not an input or a variable: only those are sampled, so only they take "
            "assumptions",
            0,
        )
    if kind in VECTOR_ASSUMPTIONS and not ty.is_vector(q.shape):
        batch = table.batch
        if batch is None or not batch.per_example(q.shape):
            raise NotationError(_not_per_example(kind, text, q.shape, batch), 0)
    if kind.startswith("("):
        low, high = assumed_range(kind)
        if not low < high:
            raise NotationError(f"the range {kind} is empty: write it (low, high)", 0)
    return key


def _not_per_example(kind: str, text: str, shape: Shape, batch) -> str:
    where = (
        "declare the model's `batch` for one per row or per column"
        if batch is None
        else f"examples are the {batch.axis} of this model, and it has no {batch.each} per example"
    )
    return (
        f"{kind} is an assumption on a vector or on each example of a batch, and `{text}` is a "
        f"{ty.show_shape(shape)} ({where})"
    )


def assumed_range(kind: str) -> tuple[float, float]:
    """The bounds of an open range `(0, 1)` (the schema has checked its form)."""
    low, high = kind.strip("() ").split(",")
    return float(low), float(high)
