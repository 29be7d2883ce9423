"""Typed expressions built and simplified as a course writes them (for :mod:`readable`):
numbers folded into one coefficient, identities and ones vectors dropped, a transpose pushed
through products; sums over an index lifted to vector operations; the chain rule per node."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from fractions import Fraction

from verifier.parse import typed as ty


def _no_form(why: str) -> Exception:
    from verifier.models.readable import NoForm  # the one exception of the readable pass

    return NoForm(why)


def number(value: Fraction) -> ty.Node:
    num = ty.Num(0, (), abs(Fraction(value)))
    return ty.Neg(0, (), num) if value < 0 else num


def as_number(node: ty.Node) -> Fraction | None:
    """The value of a number written as one (`2`, `\\frac{1}{2}`, `-3`), or None."""
    if isinstance(node, ty.Num):
        return Fraction(node.value)
    if isinstance(node, ty.Neg):
        v = as_number(node.body)
        return None if v is None else -v
    if isinstance(node, ty.Div):
        a, b = as_number(node.num), as_number(node.den)
        return None if a is None or b is None or b == 0 else a / b
    return None


def coefficient(node: ty.Node) -> tuple[Fraction, ty.Node | None]:
    """(c, rest) with node = c · rest; rest None for a number (`\\frac{λ}{2} w` → ½, λ w)."""
    value = as_number(node)
    if value is not None:
        return value, None
    if isinstance(node, ty.Neg):
        c, rest = coefficient(node.body)
        return -c, rest
    if isinstance(node, ty.Div):
        c_num, num = coefficient(node.num)
        c_den, den = coefficient(node.den)
        if den is None:
            return c_num / c_den, num
        return c_num / c_den, ty.Div(
            0, node.shape, ty.Num(0, (), Fraction(1)) if num is None else num, den
        )
    if isinstance(node, ty.Mul) and node.kind == "scale":
        cl, rl = coefficient(node.left)
        cr, rr = coefficient(node.right)
        if rl is None or rr is None:
            return cl * cr, rr if rl is None else rl
        return cl * cr, ty.Mul(0, node.shape, rl, rr, "scale")
    return Fraction(1), node


def times(a: ty.Node, b: ty.Node) -> ty.Node:
    """a · b where one of them is a scalar; numbers gathered in front."""
    ca, ra = coefficient(a)
    cb, rb = coefficient(b)
    c = ca * cb
    if ra is None or rb is None:
        rest = rb if ra is None else ra
    elif ty.is_scalar(ra.shape) or ty.is_scalar(rb.shape):
        scalar, other = (ra, rb) if ty.is_scalar(ra.shape) else (rb, ra)
        rest = ty.Mul(0, other.shape, scalar, other, "scale")
    else:
        raise _no_form("a product of two non-scalars taken as a scaling")
    if c == 0:
        raise _no_form("zero")
    if rest is None:
        return number(c)
    if c == 1:
        return rest
    if c == -1:
        return ty.Neg(0, rest.shape, rest)
    return (
        ty.Mul(0, rest.shape, ty.Num(0, (), abs(c)), rest, "scale")
        if c > 0
        else ty.Neg(0, rest.shape, ty.Mul(0, rest.shape, ty.Num(0, (), -c), rest, "scale"))
    )


def neg(a: ty.Node) -> ty.Node:
    return times(number(Fraction(-1)), a)


def mm(a: ty.Node, b: ty.Node) -> ty.Node:
    if ty.is_scalar(a.shape) or ty.is_scalar(b.shape):
        return times(a, b)
    if isinstance(a, ty.Identity):
        return b
    if isinstance(b, ty.Identity):
        return a
    ca, ra = coefficient(a)
    cb, rb = coefficient(b)
    (sa, oa), (sb, ob) = scalar_factors(ra), scalar_factors(rb)
    if _ones(oa) and _ones(ob) and oa.shape[1] == 1:  # s 1 1ᵀ: a multiple of the ones matrix
        return _scaled(number(ca * cb), *sa, *sb, ty.Ones(0, (oa.shape[0], ob.shape[1])))
    product = ty.Mul(0, (ra.shape[0], rb.shape[1]), ra, rb, "matmul")
    return times(number(ca * cb), product)


def _ones(a: ty.Node) -> bool:
    return isinstance(a, ty.Ones) or (isinstance(a, ty.Transpose) and isinstance(a.body, ty.Ones))


def _drops(ones: ty.Node, other: ty.Node) -> bool:
    """Whether a ones factor drops beside ``other`` in an entrywise product: `\\mathbf{1}`
    as before, its transpose where it has other's shape."""
    return isinstance(ones, ty.Ones) or same_shape(ones.shape, other.shape)


def scalar_factors(node: ty.Node) -> tuple[list[ty.Node], ty.Node]:
    """(scalars, rest) with node = the scalars' product times rest (`\\frac{1}{N} \\mathbf{1}`
    → [\\frac{1}{N}], 1): a multiple of the ones vector is found behind a symbol."""
    if (
        isinstance(node, ty.Mul)
        and node.kind == "scale"
        and ty.is_scalar(node.left.shape) != ty.is_scalar(node.right.shape)
    ):
        scalar, other = (
            (node.left, node.right) if ty.is_scalar(node.left.shape) else (node.right, node.left)
        )
        found, rest = scalar_factors(other)
        return [scalar, *found], rest
    return [], node


def _scaled(*factors: ty.Node) -> ty.Node:
    out = factors[-1]
    for f in reversed(factors[:-1]):
        out = times(f, out)
    return out


def had(a: ty.Node, b: ty.Node) -> ty.Node:
    if ty.is_scalar(a.shape) or ty.is_scalar(b.shape):
        return times(a, b)
    ca, ra = coefficient(a)
    cb, rb = coefficient(b)
    (sa, oa), (sb, ob) = scalar_factors(ra), scalar_factors(rb)
    if _ones(oa) and _drops(oa, rb):
        return _scaled(number(ca * cb), *sa, rb)
    if _ones(ob) and _drops(ob, ra):
        return _scaled(number(ca * cb), *sb, ra)
    return times(number(ca * cb), ty.Mul(0, ra.shape, ra, rb, "hadamard"))


def times_diag(d: ty.Node, g: ty.Node) -> ty.Node:
    """diag(d) g for a column d (a scaling or a Hadamard product otherwise); diag(d) 1 = d."""
    c, rest = coefficient(g)
    if isinstance(d, ty.Ones):
        return g
    scalars, core = scalar_factors(rest) if rest is not None else ([], rest)
    if _ones(core) and _drops(core, d):
        return _scaled(number(c), *scalars, d)
    if ty.is_scalar(d.shape) or ty.is_scalar(g.shape):
        return times(d, g)
    if ty.is_vector(d.shape) and d.shape[1] == 1 and g.shape[0] == d.shape[0]:
        return mm(ty.Diag(0, (d.shape[0], d.shape[0]), d), g)
    return had(g, d)


def T(a: ty.Node) -> ty.Node:
    """The transpose, pushed through products and scalings (never into a sum's terms)."""
    if ty.is_scalar(a.shape) or symmetric(a):
        return a
    if isinstance(a, ty.Transpose):
        return a.body
    if isinstance(a, ty.Ones) and ty.is_matrix(a.shape):  # the ones matrix, turned
        return ty.Ones(0, a.shape[::-1])
    if isinstance(a, ty.Neg):
        return ty.Neg(0, a.shape[::-1], T(a.body))
    if isinstance(a, ty.Mul) and a.kind == "scale":
        return times(a.left, T(a.right))
    if isinstance(a, ty.Mul) and a.kind == "matmul":
        return mm(T(a.right), T(a.left))
    return ty.Transpose(0, a.shape[::-1], a)


def symmetric(a: ty.Node) -> bool:
    """Whether ``a`` is its own transpose by its form: diag(·), I, b bᵀ and sums of them."""
    if isinstance(a, ty.Diag | ty.Identity):
        return True
    if isinstance(a, ty.Add):
        return all(symmetric(t) for t in a.terms)
    if isinstance(a, ty.Neg):
        return symmetric(a.body)
    if isinstance(a, ty.Mul) and a.kind == "matmul" and isinstance(a.right, ty.Transpose):
        return ty.canonical(a.left) == ty.canonical(a.right.body)
    return False


def add(*parts: ty.Node) -> ty.Node:
    """A flat sum, its positive terms first (`y - t`, not `-t + y`)."""
    flat: list[tuple[ty.Node, int]] = []
    for p in parts:
        if isinstance(p, ty.Add):
            flat += list(zip(p.terms, p.signs, strict=True))
        else:
            flat.append((p, 1))
    merged: dict[str, list] = {}  # like terms gathered: `½ r + ½ r` is r
    for term, sign in flat:
        c, rest = coefficient(term)
        key = "" if rest is None else ty.canonical(rest)
        merged.setdefault(key, [Fraction(0), rest])[0] += sign * c
    terms = []
    for c, rest in merged.values():
        if c != 0:
            node = number(abs(c)) if rest is None else times(number(abs(c)), rest)
            terms.append((node, 1 if c > 0 else -1))
    if not terms:
        raise _no_form("zero")
    terms.sort(key=lambda ts: ts[1] < 0)
    if len(terms) == 1:
        node, sign = terms[0]
        return node if sign > 0 else ty.Neg(0, node.shape, node)
    if terms[0][1] < 0:
        return ty.Neg(0, terms[0][0].shape, add(*[t for t, _ in terms]))
    shape = next((t.shape for t, _ in terms if not ty.is_scalar(t.shape)), terms[0][0].shape)
    return ty.Add(0, shape, tuple(t for t, _ in terms), tuple(s for _, s in terms))


def entry(node: ty.Node, index: str) -> ty.Node:
    """Entry ``index`` of a vector, taken into its sums and scalings (`y_i - t_i`); a scalar
    added to a vector is added to each entry."""
    if ty.is_scalar(node.shape):
        return node
    if isinstance(node, ty.Var):
        return ty.Entry(0, (), node, (index,))
    if isinstance(node, ty.Transpose):
        return entry(node.body, index)
    if isinstance(node, ty.Add):
        parts = [entry(t, index) for t in node.terms]
        return add(*[p if s > 0 else neg(p) for p, s in zip(parts, node.signs, strict=True)])
    if isinstance(node, ty.Neg):
        return neg(entry(node.body, index))
    if isinstance(node, ty.Mul) and node.kind == "scale" and ty.is_scalar(node.left.shape):
        return times(node.left, entry(node.right, index))
    if isinstance(node, ty.Mul) and node.kind == "hadamard":
        return times(entry(node.left, index), entry(node.right, index))
    if isinstance(node, ty.Mul) and node.kind == "matmul" and isinstance(node.left, ty.Diag):
        return times(entry(node.left.body, index), entry(node.right, index))
    if isinstance(node, ty.Div):  # by a scalar, or entry by entry
        return ty.Div(0, (), entry(node.num, index), entry(node.den, index))
    if isinstance(node, ty.Ones):
        return number(Fraction(1))
    if isinstance(node, ty.Apply) and not node.axis and node.func != "softmax":
        return ty.Apply(0, (), node.func, entry(node.arg, index), node.order)
    if (
        isinstance(node, ty.Mul)
        and node.kind == "matmul"
        and isinstance(node.left, ty.Var | ty.Transpose)
    ):
        matrix = node.left.body if isinstance(node.left, ty.Transpose) else node.left
        if isinstance(matrix, ty.Var) and node.right.shape[1:] == (1,):
            side = "column" if isinstance(node.left, ty.Transpose) else "row"
            from verifier.parse.matrices import slice_of  # row i of Mᵀ is column i of M

            return mm(T(slice_of(matrix, side, index, 0)), node.right)
    return ty.Entry(0, (), node, (index,))


def _distributed(node: ty.Node, part) -> ty.Node | None:
    """``part`` (a linear map: an entry, a column) taken into the sums, negations and scalings
    of ``node``; None where ``node`` is none of them."""
    if isinstance(node, ty.Add):
        parts = [part(t) for t in node.terms]
        return add(*[p if s > 0 else neg(p) for p, s in zip(parts, node.signs, strict=True)])
    if isinstance(node, ty.Neg):
        return neg(part(node.body))
    if isinstance(node, ty.Mul) and node.kind == "scale" and ty.is_scalar(node.left.shape):
        return times(node.left, part(node.right))
    return None


def entry2(node: ty.Node, i: str | int, j: str | int) -> ty.Node:
    """Entry (i, j) of a matrix, taken into sums, scalings and outer products
    (`(p - y) x^T` → (p_c - y_c) x_d)."""
    if isinstance(node, ty.Var):
        return ty.Entry(0, (), node, (i, j))
    if isinstance(node, ty.Transpose):
        return entry2(node.body, j, i)
    found = _distributed(node, lambda n: entry2(n, i, j))
    if found is not None:
        return found
    if isinstance(node, ty.Mul) and node.kind == "hadamard":
        return times(entry2(node.left, i, j), entry2(node.right, i, j))
    if isinstance(node, ty.Div):  # by a scalar, or entry by entry
        den = node.den if ty.is_scalar(node.den.shape) else entry2(node.den, i, j)
        return ty.Div(0, (), entry2(node.num, i, j), den)
    if isinstance(node, ty.Apply) and not node.axis and node.func != "softmax":
        return ty.Apply(0, (), node.func, entry2(node.arg, i, j), node.order)
    if isinstance(node, ty.Mul) and node.kind == "matmul" and node.left.shape[1] == 1:
        return times(entry(node.left, i), entry(T(node.right), j))  # an outer product
    raise _no_form(f"no entry of a {type(node).__name__}")


def column(node: ty.Node, side: str, index: str | int) -> ty.Node:
    """Column (``side`` "column") or row (as a column) ``index`` of a matrix ``node``."""
    found = _distributed(node, lambda n: column(n, side, index))
    if found is not None:
        return found
    if isinstance(node, ty.Mul) and node.kind == "matmul" and node.left.shape[1] == 1:
        a, b = node.left, T(node.right)  # an outer product a bᵀ
        return times(entry(b, index), a) if side == "column" else times(entry(a, index), b)
    raise _no_form(f"no {side} of a {type(node).__name__}")


def quotient(a: ty.Node, b: ty.Node) -> ty.Node:
    """a / b for a scalar b, the number in front (`-\\frac{y}{\\hat{y}}`)."""
    c, rest = coefficient(a)
    if rest is None:
        rest, c = ty.Num(0, (), abs(c)), Fraction(1) if c > 0 else Fraction(-1)
    return times(number(c), ty.Div(0, rest.shape, rest, b))


def power(base: ty.Node, p: Fraction) -> ty.Node:
    """base^p for a scalar base, a negative power written as a quotient."""
    if p == 0:
        return number(Fraction(1))
    if p == 1:
        return base
    if p < 0:
        return quotient(number(Fraction(1)), power(base, -p))
    return ty.Pow(0, (), base, ty.Num(0, (), p))


def inner(a: ty.Node, b: ty.Node) -> ty.Node:
    """The sum of the entries of a ⊙ b: aᵀb for columns, a bᵀ for rows, a · b for scalars."""
    if ty.is_scalar(a.shape) and ty.is_scalar(b.shape):
        return times(a, b)
    if isinstance(b, ty.Ones):
        return total(a)
    if isinstance(a, ty.Ones):
        return total(b)
    if a.shape[1] == 1:
        return mm(T(a), b)
    if a.shape[0] == 1:
        return mm(a, T(b))
    raise _no_form("the sum of the entries of a matrix product")


def total(g: ty.Node) -> ty.Node:
    """The sum of g's entries: 1ᵀg for a column, g 1 for a row."""
    if ty.is_scalar(g.shape):
        return g
    if g.shape[1] == 1:
        return mm(T(ty.Ones(0, g.shape)), g)
    if g.shape[0] == 1:
        return mm(g, T(ty.Ones(0, g.shape)))
    raise _no_form("the sum of a matrix's entries")


def one_minus(y: ty.Node) -> ty.Node:
    return ty.Add(0, y.shape, (ty.Num(0, (), Fraction(1)), y), (1, -1))


def is_one_minus(node: ty.Add) -> bool:
    return len(node.terms) == 2 and node.signs == (1, -1) and as_number(node.terms[0]) == 1


def ones_like(y: ty.Node) -> ty.Node:
    return ty.Ones(0, y.shape)


def same_shape(a: ty.Shape, b: ty.Shape) -> bool:
    return tuple(a) == tuple(b) or (ty.is_scalar(a) and ty.is_scalar(b))


def mentions(node: ty.Node, key: str) -> bool:
    return any(isinstance(n, ty.Var) and n.key == key for n in ty.walk(node))


def rebuild(node: ty.Node, f: Callable[[ty.Node], ty.Node]) -> ty.Node:
    """``node`` with ``f`` applied to each child."""
    changes = {}
    for field in fields(node):
        value = getattr(node, field.name)
        if isinstance(value, ty.Node):
            changes[field.name] = f(value)
        elif isinstance(value, tuple) and any(isinstance(v, ty.Node) for v in value):
            changes[field.name] = tuple(f(v) if isinstance(v, ty.Node) else v for v in value)
    return replace(node, **changes) if changes else node
