"""Matrix forms of the definitions :func:`lifting.lift` and :func:`lifting.vectorize` leave alone (for
:mod:`readable`): sums over two indices (`L_i = -\\sum_c Y_{ic} \\log P_{ic}` is the column
-(Y ⊙ log P) 1), families with two indices, a vector broadcast over a batch written with the
ones vector (`X W + b` is X W + 1 b), and common factors taken out of a form's sums
(`\\frac{1}{N} P - \\frac{1}{N} Y` is \\frac{1}{N}(P - Y)).

Like every rule of the readable pass, nothing here is trusted: a form built from these is shown
only once the checker confirms it."""

from __future__ import annotations

from fractions import Fraction

from verifier.models import algebra as al
from verifier.models import lifting
from verifier.models.model import Model
from verifier.notation import Batch
from verifier.parse import typed as ty


def _no_form(why: str) -> Exception:
    from verifier.models.readable import NoForm

    return NoForm(why)


def vector_form(rhs: ty.Node, indices: tuple[str, ...]) -> ty.Node:
    """A definition's right side as a matrix expression: a family over one index is a column
    (its entry i the right side at i), over two indices a matrix (entry (i, k))."""
    if len(indices) == 2:
        return _sums(lift2(rhs, *indices))
    if len(indices) == 1:
        return _column(rhs, indices[0])
    return _sums(rhs)


def _column(node: ty.Node, index: str) -> ty.Node:
    """A column whose entry i is ``node`` at ``index`` = i, through sums over a second index."""
    if index not in ty.index_counts(node):
        return _sums(node)
    if isinstance(node, ty.Sum):
        return _sum_of_rows(node, index)
    found = lifting.entrywise(
        node, lambda n: _column(n, index), lambda n: index in ty.index_counts(n)
    )
    return found if found is not None else _sums(lift2(node, index, ""))


def _sum_of_rows(node: ty.Sum, index: str) -> ty.Node:
    """Σ_k body(i, k) as a column over i: M 1 where M_{ik} = body (or Mᵀ 1 where body is
    written M_{ki}, in the orientation of its first entry)."""
    if not as_one(node.lo):
        raise _no_form("a sum that does not start at 1")
    product = _contraction(node.body, index, node.index)
    if product is not None:
        return product
    if _first_order(node.body, index, node.index) == (node.index, index):
        m = lift2(node.body, node.index, index)
        return al.T(al.mm(al.T(_ones(m.shape[0])), m))
    m = lift2(node.body, index, node.index)
    return al.mm(m, _ones(m.shape[1]))


def _contraction(body: ty.Node, index: str, k: str) -> ty.Node | None:
    """Σ_k c M_{ik} v_k as the column c M v (`\\sum_k X_{ik} w_k` is X w), or None."""
    factors = _factors(body)
    if factors is None:
        return None
    matrix = [f for f in factors if isinstance(f, ty.Entry) and set(f.indices) == {index, k}]
    vector = [f for f in factors if isinstance(f, ty.Entry) and f.indices == (k,)]
    rest = [f for f in factors if not ty.index_counts(f)]
    if len(matrix) != 1 or len(vector) != 1 or len(rest) + 2 != len(factors):
        return None
    (m,), (v,) = matrix, vector
    if len(m.indices) != 2 or not isinstance(m.var, ty.Var) or not isinstance(v.var, ty.Var):
        return None
    if not ty.is_vector(v.var.shape):
        return None
    left = m.var if m.indices == (index, k) else al.T(m.var)
    column = v.var if v.var.shape[1] == 1 else al.T(v.var)
    return al._scaled(*rest, al.mm(left, column))


def _factors(node: ty.Node) -> list[ty.Node] | None:
    """The factors of a product of scalars (entries and numbers), or None."""
    if isinstance(node, ty.Mul) and node.kind in ("scale", "hadamard"):
        left, right = _factors(node.left), _factors(node.right)
        return None if left is None or right is None else left + right
    return [node] if ty.is_scalar(node.shape) else None


def _sums(node: ty.Node) -> ty.Node:
    """Each sum over two indices of the whole matrix (Σ_i Σ_k body) written 1ᵀ M 1."""

    def visit(n: ty.Node) -> ty.Node:
        if isinstance(n, ty.Sum) and isinstance(n.body, ty.Sum):
            inner = n.body
            if not (as_one(n.lo) and as_one(inner.lo)):
                raise _no_form("a sum that does not start at 1")
            m = lift2(inner.body, n.index, inner.index)
            return al.mm(al.mm(al.T(_ones(m.shape[0])), m), _ones(m.shape[1]))
        return al.rebuild(n, visit)

    return visit(node)


def as_one(node: ty.Node) -> bool:
    return al.as_number(node) == 1


def _ones(length: ty.Dim) -> ty.Node:
    return ty.Ones(0, (length, 1))


def _first_order(node: ty.Node, a: str, b: str) -> tuple[str, str] | None:
    """The order in which the first entry of a matrix by both indices writes them."""
    for n in ty.walk(node):
        if isinstance(n, ty.Entry) and set(n.indices) == {a, b} and len(n.indices) == 2:
            return tuple(n.indices)
    return None


def lift2(node: ty.Node, row: str, col: str) -> ty.Node:
    """A matrix whose entry (r, c) is ``node`` at ``row`` = r, ``col`` = c (`Y_{ic} \\log
    P_{ic}` → Y ⊙ log P); ``col`` "" for a column over ``row`` alone."""
    counts = ty.index_counts(node)
    if row not in counts and (not col or col not in counts):
        if not ty.is_scalar(node.shape):
            raise _no_form("a vector beside entries")
        return node
    if isinstance(node, ty.Entry) and isinstance(node.var, ty.Var):
        return _entry(node, row, col)
    found = lifting.entrywise(node, lambda n: lift2(n, row, col), lambda n: _has(n, row, col))
    if found is None:
        raise _no_form(f"no matrix form of a {type(node).__name__} over {row}, {col}")
    return found


def _has(node: ty.Node, row: str, col: str) -> bool:
    counts = ty.index_counts(node)
    return row in counts or (bool(col) and col in counts)


def _entry(node: ty.Entry, row: str, col: str) -> ty.Node:
    var, indices = node.var, node.indices
    if not col and indices == (row,) and ty.is_vector(var.shape):
        return var if var.shape[1] == 1 else al.T(var)
    if indices == (row, col) and len(var.shape) == 2:
        return var
    if indices == (col, row) and len(var.shape) == 2:
        return al.T(var)
    raise _no_form(f"no matrix form of an entry by {indices}")


# --- broadcasting over a batch, written out -------------------------------------------------
def spread(node: ty.Node, batch: Batch | None) -> ty.Node:
    """A vector added to a batch matrix written as spread over the examples with the ones
    vector: `X W + b` (rows) is X W + 1 b, `W A + b` (columns) is W A + b 1ᵀ, so that the
    chain rule gives b the sum of its adjoint over the examples (1ᵀ G, G 1)."""
    if batch is None or not batch.broadcast:
        return node

    def visit(n: ty.Node) -> ty.Node:
        n = al.rebuild(n, visit)
        if not isinstance(n, ty.Add) or len(n.shape) != 2:
            return n
        terms = tuple(_spread_term(t, n.shape, batch) for t in n.terms)
        return ty.Add(n.pos, n.shape, terms, n.signs)

    return visit(node)


def _spread_term(term: ty.Node, shape: ty.Shape, batch: Batch) -> ty.Node:
    if ty.is_scalar(term.shape) or tuple(term.shape) == tuple(shape):
        return term
    if batch.axis == "rows" and term.shape == (1, shape[1]):
        return al.mm(_ones(shape[0]), term)
    if batch.axis == "columns" and term.shape == (shape[0], 1):
        return al.mm(term, al.T(_ones(shape[1])))
    raise _no_form("a term of another shape in a sum")


# --- tidying a finished form ------------------------------------------------------------------
def gathered(node: ty.Node) -> ty.Node:
    """The form with a factor common to a sum's terms taken out (`\\frac{1}{N}(P - Y)`) and
    carried to the front of the products around it, by rebuilding bottom-up."""

    def visit(n: ty.Node) -> ty.Node:
        n = al.rebuild(n, visit)
        if isinstance(n, ty.Add):
            n = expanded(n)
            return _factored(n) if isinstance(n, ty.Add) else n
        if isinstance(n, ty.Mul) and n.kind in ("matmul", "hadamard"):
            (sl, left), (sr, right) = al.scalar_factors(n.left), al.scalar_factors(n.right)
            product = al.mm(left, right) if n.kind == "matmul" else al.had(left, right)
            return al._scaled(*sl, *sr, product)
        if isinstance(n, ty.Mul) and n.kind == "scale":
            return al.times(n.left, n.right)
        if isinstance(n, ty.Transpose):
            return al.T(n.body)
        return n

    return visit(node)


def _factored(n: ty.Add) -> ty.Node:
    """A sum whose terms share a number or a scalar factor, that factor times the rest."""
    split = []
    for term, sign in zip(n.terms, n.signs, strict=True):
        c, rest = al.coefficient(term)
        if rest is None:
            return n
        scalars, core = al.scalar_factors(rest)
        split.append((c * sign, {ty.canonical(f): f for f in scalars}, core))
    numbers = {abs(c) for c, _, _ in split}
    number = numbers.pop() if len(numbers) == 1 else Fraction(1)
    shared = [f for k, f in split[0][1].items() if all(k in fs for _, fs, _ in split)]
    if number == 1 and not shared:
        return n
    keys = {ty.canonical(f) for f in shared}
    parts = []
    for c, fs, core in split:
        rest = [f for k, f in fs.items() if k not in keys]
        parts.append(al.times(al.number(c / number), al._scaled(*rest, core)))
    return al._scaled(al.number(number), *shared, al.add(*parts))


def depends(model: Model, of: str, by: str) -> bool:
    """Whether ``of`` is computed from ``by`` by the model's definitions as declared (not their
    readable forms, which may be missing): where not, its derivative is 0."""
    rhs = {d.key: d.rhs for d in model.definitions}
    stack, seen = [of], set()
    while stack:
        key = stack.pop()
        if key == by:
            return True
        if key in seen or key not in rhs:
            continue
        seen.add(key)
        stack += [n.key for n in ty.walk(rhs[key]) if isinstance(n, ty.Var)]
    return False


# --- transposes out of entrywise operations --------------------------------------------------
def untranspose(node: ty.Node) -> ty.Node:
    """A transpose taken out of what acts entry by entry (`\\log A^T` → (\\log A)^T, `1 - A^T`
    → (1 - A)^T), so that a function of a node is seen as one (a row indexed like a column)."""

    def visit(n: ty.Node) -> ty.Node:
        n = al.rebuild(n, visit)
        if isinstance(n, ty.Apply) and isinstance(n.arg, ty.Transpose) and not n.axis:
            if n.func == "softmax":
                return n
            body = n.arg.body
            return al.T(ty.Apply(0, body.shape, n.func, body, n.order))
        if isinstance(n, ty.Add) and _all_turned(n.terms):
            terms = tuple(t if ty.is_scalar(t.shape) else t.body for t in n.terms)
            shape = next(t.shape for t in terms if not ty.is_scalar(t.shape))
            return al.T(ty.Add(0, shape, terms, n.signs))
        if isinstance(n, ty.Mul) and n.kind == "hadamard" and _all_turned((n.left, n.right)):
            return al.T(al.had(al.T(n.left), al.T(n.right)))
        return n

    return visit(node)


def _all_turned(nodes) -> bool:
    wide = [t for t in nodes if not ty.is_scalar(t.shape)]
    return bool(wide) and all(isinstance(t, ty.Transpose) for t in wide)


# --- a sum of entrywise products, multiplied out --------------------------------------------
Monomial = tuple[Fraction, tuple[str, ...], dict[str, ty.Node]]


def expanded(node: ty.Add) -> ty.Node:
    """An entrywise sum multiplied out and its like terms gathered, where that is shorter
    (`(1 - y) \\odot a - y \\odot (1 - a)` is a - y); otherwise the sum as it is."""
    try:
        monomials = _monomials(node)
    except ValueError:
        return node
    gathered: dict[tuple[str, ...], list] = {}
    for c, keys, nodes in monomials:
        entry = gathered.setdefault(keys, [Fraction(0), nodes])
        entry[0] += c
    terms = [_product(c, nodes, keys) for keys, (c, nodes) in gathered.items() if c != 0]
    if not terms:
        return node
    shorter = al.add(*terms)
    return shorter if _size(shorter) < _size(node) else node


def _size(node: ty.Node) -> int:
    return sum(1 for _ in ty.walk(node))


def _monomials(node: ty.Node) -> list[Monomial]:
    if (c := al.as_number(node)) is not None:
        return [(c, (), {})]
    if isinstance(node, ty.Add):
        out = []
        for term, sign in zip(node.terms, node.signs, strict=True):
            out += [(sign * c, k, n) for c, k, n in _monomials(term)]
        return out
    if isinstance(node, ty.Neg):
        return [(-c, k, n) for c, k, n in _monomials(node.body)]
    if isinstance(node, ty.Mul) and node.kind in ("scale", "hadamard"):
        left, right = _monomials(node.left), _monomials(node.right)
        if len(left) * len(right) > 16:
            raise ValueError("too many terms")
        return [
            (cl * cr, tuple(sorted(kl + kr)), {**nl, **nr})
            for cl, kl, nl in left
            for cr, kr, nr in right
        ]
    key = ty.canonical(node)
    return [(Fraction(1), (key,), {key: node})]


def _product(c: Fraction, nodes: dict[str, ty.Node], keys: tuple[str, ...]) -> ty.Node:
    factors = [nodes[k] for k in keys]
    factors.sort(key=lambda f: not ty.is_scalar(f.shape))  # scalars first: `\frac{1}{m} a`
    out = al.number(c)
    for f in factors:
        out = al.had(out, f) if not ty.is_scalar(out.shape) else al.times(out, f)
    return out
