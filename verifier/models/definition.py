"""One definition of a model, read with the submissions' grammar and typed against the symbols
declared so far: a node (`z = W x`), a node with a name of its own (`E_T = …`), a family of
scalars with one or two indices (`E_j = …`, `z_{ik} = …`), or a derivative of the model (a
named δ, `\\delta = \\frac{\\partial E}{\\partial z}`).

A definition is trusted to say exactly what it means: a reading the typed pass would take with
a warning in a submission (a factor transposed to make a product fit, `G Wx` applied to W only,
`\\cdot` between vectors) is refused here, as is an index left running free."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.errors import NotationError
from verifier.models.names import key_of_node
from verifier.notation import One, Quantity, SymbolTable, subscripted_key
from verifier.parse import typed as ty
from verifier.parse.parser import parse_math
from verifier.parse.resolve import ANY_RANGE, Resolver
from verifier.parse.scripts import unwrap
from verifier.parse.show import show

# Relations that define: `=` and the definition signs (`:=`, `\\coloneqq`, `\\triangleq`, ...).
_DEFINES = {"=", ":=", "≔", "≜", "≝", "≡", "\\coloneqq", "\\coloneq", "\\triangleq", "\\equiv"}
MAX_FAMILY_INDICES = 2  # entries of a vector or of a matrix


@dataclass(frozen=True)
class Definition:
    key: str  # the node defined (a family's key for `E_j = ...`)
    indices: tuple[str, ...]  # a family's indices: ("j",) for E_j, ("i", "k") for z_{ik}
    rhs: ty.Node
    source: str
    number: int = 0  # 1-based place in the model's list, for messages


def read_definition(table: SymbolTable, source: str, number: int) -> Definition:
    """The definition, its node entered in ``table``; a NotationError says why it cannot be."""
    seq = parse_math(source)
    if len(seq.pieces) != 1 or len(seq.pieces[0].exprs) != 2:
        raise NotationError("a definition is `node = expression`", 0)
    chain = seq.pieces[0]
    if chain.rels and chain.rels[0] not in _DEFINES:
        raise NotationError(f"a definition is `node = expression`, not `{chain.rels[0]}`", 0)
    lhs, rhs_raw = chain.exprs
    key, indices = key_of_node(unwrap(lhs), show(lhs), table)
    resolver = Resolver(table)
    rhs = resolver.resolve(rhs_raw)
    if resolver.readings:
        raise NotationError(
            f"the right side reads only with a guess ({resolver.readings[0]}): "
            "a definition must say exactly what it means",
            0,
        )
    free = dict(resolver.free_indices)
    if not any(isinstance(i, str) and i in free for i in indices):
        # `E`, or a name that carries its subscript (`E_T`, `a_{h1}`): one node
        named_key = subscripted_key(key, indices) if indices else key
        written = source[: source.index(chain.rels[0])].strip() if chain.rels else show(lhs)
        return _node(table, named_key, rhs, free, source, number, written)
    return _family(table, key, indices, rhs, free, source, number)


def _node(
    table: SymbolTable,
    key: str,
    rhs: ty.Node,
    free: dict[str, ty.Dim],
    source: str,
    number: int,
    written: str = "",  # as the course writes it, for messages (`A^{[1]}`, `\text{loss}`)
) -> Definition:
    if free:
        names = "".join(sorted(free))
        family = f"{key}_{names}" if len(names) == 1 else f"{key}_{{{names}}}"
        raise NotationError(
            f"index {', '.join(sorted(free))} runs free on the right side: sum over it, or write "
            f"it on the left to define a family (`{family} = …`)",
            0,
        )
    if "?" in rhs.shape:  # a bare I: nothing beside it tells its size
        raise NotationError("cannot tell the size of `I` here: write the identity as a product", 0)
    if len(rhs.shape) > 2:
        raise NotationError(
            f"the right side is a {ty.show_shape(rhs.shape)} array of rank 3: a node is a scalar, "
            "a vector or a matrix",
            0,
        )
    _not_declared(table, key)
    shape = () if ty.is_scalar(rhs.shape) else rhs.shape
    table.quantities[key] = Quantity(key, shape, "node", written)
    return Definition(key, (), rhs, source, number)


def _family(
    table: SymbolTable,
    key: str,
    indices: tuple[str | int, ...],
    rhs: ty.Node,
    free: dict[str, ty.Dim],
    source: str,
    number: int,
) -> Definition:
    """`E_j = …` or `z_{ik} = …`: a scalar for every value of the indices, which the right
    side's own subscripts give a range (j over n where E_j uses y_j)."""
    written = f"{key}_{{{''.join(str(i + 1) if isinstance(i, int) else i for i in indices)}}}"
    if len(indices) > MAX_FAMILY_INDICES:
        raise NotationError(
            f"`{written}`: a family has one or two indices (`E_j`, `z_{{ik}}`), not {len(indices)}",
            0,
        )
    letters = [i for i in indices if isinstance(i, str) and i in free]
    if len(letters) != len(indices) or len(set(letters)) != len(letters):
        raise NotationError(
            f"`{written}`: each index of a family is a different letter that runs on the right "
            "side (a name such as `E_T` uses none of them)",
            0,
        )
    extra = sorted(set(free) - set(letters))
    if extra:
        raise NotationError(
            f"index {extra[0]} runs free on the right side but is not an index of `{written}`", 0
        )
    dims = [free[i] for i in letters]
    if ANY_RANGE in dims:
        index = letters[dims.index(ANY_RANGE)]
        raise NotationError(f"cannot tell how far {index} runs: only δ uses it", 0)
    if not ty.is_scalar(rhs.shape):
        raise NotationError(
            f"each entry of the family `{written}` must be a scalar, "
            f"not a {ty.show_shape(rhs.shape)}",
            0,
        )
    if key in table.families:
        raise NotationError(f"the family `{key}` is defined twice", 0)
    if key in table.formulas:
        raise NotationError(f"`{key}` is already a formula of the assignment", 0)
    if key in table.quantities:  # `y_j` would read the family, never y's own entries again
        raise NotationError(f"`{key}` is already declared: the family `{written}` would hide it", 0)
    # a family of two indices is a matrix whatever its sizes: z_{ik} keeps both indices
    shape = (dims[0], 1) if len(dims) == 1 else tuple(One() if d == 1 else d for d in dims)
    display = f"{key}_{letters[0]}" if len(letters) == 1 else f"{key}_{{{''.join(letters)}}}"
    family = Quantity(f"{key}_*", shape, "family", display=display)
    table.families[key] = family
    table.quantities[family.key] = family
    return Definition(family.key, tuple(letters), rhs, source, number)


def _not_declared(table: SymbolTable, key: str) -> None:
    if key in table.formulas:  # `H = …` beside the formula `H(A, Y)`: one name, one meaning
        raise NotationError(f"`{key}` is already a formula of the assignment", 0)
    known = table.quantities.get(key)
    if known is None:
        return
    what = {"leaf": "an input", "free": "a variable", "node": "defined"}.get(known.kind, "declared")
    raise NotationError(f"`{known.label}` is already {what}: a node is defined once", 0)
