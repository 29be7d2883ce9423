"""Readable truths: each derivative of a model written with the model's own names and matrix
operations (`(y^{(2)} - t) y^{(1)T}`, `\\text{diag}(y^{(1)} \\odot (1 - y^{(1)})) W^{(2)T} …`),
by reverse-mode differentiation of its definitions.

A form built here is only a candidate: nothing here is trusted. The checker confirms each one
against the truth before it is shown (:mod:`verifier.check.readable`); a wrong rule costs a
readable form, never a wrong one. The rules are tables: :data:`ELEMENTWISE` (a function's
derivative written with the name of the node it defines) and :data:`LOG_OF` (log after
softmax or the sigmoid, where the quotient cancels: softmax with cross-entropy gives y − t)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from verifier.models import algebra as al
from verifier.models import batch_forms, chain, lifting
from verifier.models.model import Model
from verifier.models.tidy import tidy
from verifier.notation import SMOOTH_PREFIX
from verifier.parse import typed as ty
from verifier.parse.products import derivative_shape


class NoForm(Exception):
    """No readable form of this derivative (a rule is missing): the entrywise truth is shown."""


# f(a) defines y: f'(a) written with y (`y ⊙ (1 − y)`), or with f itself where y is unnamed.
ELEMENTWISE: dict[str, Callable[[ty.Node, ty.Node], ty.Node]] = {
    "sigmoid": lambda y, a: al.had(y, al.one_minus(y)),
    "tanh": lambda y, a: al.one_minus(al.had(y, y)),
    "exp": lambda y, a: y,
    "identity": lambda y, a: al.ones_like(y),
    "relu": lambda y, a: ty.Apply(0, a.shape, "step", a, 0),  # written 𝟙(a > 0)
}

# log f(a) where y = f(a): the adjoint g of log y gives a's adjoint (as an elementwise factor on
# g, or the whole adjoint); softmax's needs the sum 1ᵀg, which is -1 for -t with t one-hot.
LOG_OF: dict[str, Callable[[ty.Node, ty.Node, Callable], ty.Node]] = {
    "sigmoid": lambda g, y, total: al.had(g, al.one_minus(y)),
    "softmax": lambda g, y, total: al.add(g, al.neg(al.times(total(g), y))),
}
LOG_OF_ONE_MINUS = {"sigmoid": lambda g, y: al.neg(al.had(g, y))}  # log(1 − σ(a))


class Readable:
    """Candidate forms of the derivatives of one model."""

    def __init__(self, model: Model, logs: bool = True) -> None:
        self.model = model
        self.logs_on = logs  # off: a node seen only through a log rule gets its own adjoint
        self.table = model.table
        self.rhs: dict[str, ty.Node] = {}
        self.hidden: set[str] = set()  # nodes seen only through a log rule: no adjoint of theirs
        self.virtual: dict[str, tuple[str, str, ty.Node, ty.Node]] = {}
        self.logs: dict[str, ty.Node] = {}  # each log rule's node: the log it stands for
        for d in model.definitions:
            if ty.has_derivative(d.rhs):
                continue
            try:
                self.rhs[d.key] = self._virtualize(self._vector_form(d.rhs, d.indices))
            except NoForm:
                continue

    def _vector_form(self, rhs: ty.Node, indices: tuple[str, ...]) -> ty.Node:
        """A definition as vector operations; sums over two indices and a vector broadcast
        over a batch by :mod:`batch_forms`."""
        try:
            body = lifting.lift(rhs, indices[0], self._length) if len(indices) == 1 else rhs
            if len(indices) > 1:
                raise NoForm("a family with two indices")
            node = lifting.vectorize(body, self._length)
        except NoForm:
            node = batch_forms.vector_form(rhs, indices)
        return batch_forms.untranspose(batch_forms.spread(node, self.table.batch))

    def _length(self, index: str, node: ty.Node) -> ty.Shape:
        """The column shape an index runs over where it subscripts ``node``."""
        shape = node.shape
        if ty.is_vector(shape):
            return (ty.vector_length(shape), 1)
        sets = self.model.dimension_sets
        one = [d for d in shape if d == 1 or all(s.get(d) == 1 for s in sets)]  # `n_L = 1`
        if len(shape) == 2 and len(one) == 1:
            return (shape[1] if shape[0] in one else shape[0], 1)
        raise NoForm(f"index {index} of a matrix")

    # --- log rules: a log of a sigmoid or softmax node is a node of its own -----------------
    def _origin(self, key: str) -> str:
        """The node a chain of renames (`y = y^{(2)}`) stands for."""
        while isinstance(self.rhs.get(key), ty.Var):
            key = self.rhs[key].key
        return key

    def _virtualize(self, node: ty.Node) -> ty.Node:
        if not self.logs_on:
            return node

        def visit(n: ty.Node) -> ty.Node:
            found = self._log_rule(n)
            if found is not None:
                return found
            return al.rebuild(n, visit)

        return visit(node)

    def _log_rule(self, n: ty.Node) -> ty.Node | None:
        if not (isinstance(n, ty.Apply) and n.func == "log" and n.order == 0):
            return None
        arg, kind = n.arg, "log"
        if isinstance(arg, ty.Add) and al.is_one_minus(arg):
            arg, kind = arg.terms[1], "log1m"
        table = LOG_OF if kind == "log" else LOG_OF_ONE_MINUS
        if isinstance(arg, ty.Var):  # a node: f' is written with its name
            origin = self._origin(arg.key)
            fn, y = self.rhs.get(origin), ty.Var(0, arg.shape, origin)
        else:  # `\log \sigma(u^T v)`: written with the application itself
            origin, fn, y = ty.canonical(arg), arg, arg
        if not (isinstance(fn, ty.Apply) and fn.func in table and fn.order == 0):
            return None
        if fn.axis and not self._per_example(fn):
            return None
        key = f"{kind}:{origin}"
        self.virtual[key] = (kind, fn.func, y, fn.arg)
        self.logs[key] = n
        if isinstance(arg, ty.Var):
            self.hidden |= {arg.key, origin}
        return ty.Var(0, n.shape, key)

    def _per_example(self, fn: ty.Apply) -> bool:
        """Whether a function of each example is applied along the batch's examples, so that a
        rule with a sum (softmax's 1ᵀg) holds example by example."""
        batch = self.table.batch
        return batch is not None and fn.axis == batch.axis and batch.per_example(fn.shape)

    # --- reverse mode --------------------------------------------------------------------
    def adjoint(self, of: str, by: str, seed: ty.Node, stops: bool = False) -> ty.Node:
        """∂(of)/∂(by) composed with ``seed`` (the adjoint of ``of``), by's shape. With
        ``stops``, the adjoint of each node that uses ``by`` is left as its derivative
        (∂L/∂h^{(1)} = W^T diag(…) ∂L/∂h^{(2)} + …): one step of the chain rule."""
        memo: dict[str, ty.Node | None] = {}

        if by in self.hidden and self._through_log(of):  # its uses there went to a log rule
            return Readable(self.model, logs=False).adjoint(of, by, seed, stops)
        if stops:
            memo |= {k: self._derivative_of(of, k) for k in self._consumers(by) if k != of}

        def adj(key: str) -> ty.Node | None:
            if key == of:
                return seed
            if key in memo:
                return memo[key]
            memo[key] = None  # definitions are acyclic: this only guards the recursion
            parts: list[ty.Node] = []
            for n in self._consumers(key):
                upstream = adj(n)
                if upstream is not None:
                    parts += self._back(n, upstream, key)
            memo[key] = al.add(*parts) if parts else None
            return memo[key]

        found = adj(by)
        if found is None:
            raise NoForm(f"{of} does not depend on {by}")
        return found

    def _derivative_of(self, of: str, key: str) -> ty.Node:
        """∂(of)/∂(key) for a scalar ``of`` as the course writes it, in key's shape."""
        if key not in self.table.quantities:  # a log rule's node has no name to write
            raise NoForm(f"{key} has no derivative to write")
        var = ty.Var(0, self.table.quantities[key].shape, key)
        shape = derivative_shape((), var.shape, self.table.layout, 0)
        node = ty.Deriv(0, shape, ty.Var(0, (), of), var)
        return node if al.same_shape(shape, var.shape) else al.T(node)

    def _through_log(self, key: str) -> bool:
        """Whether ``key`` is computed through a log rule's node."""
        stack, seen = [key], set()
        while stack:
            k = stack.pop()
            if k in self.virtual:
                return True
            if k in seen or k not in self.rhs:
                continue
            seen.add(k)
            stack += [n.key for n in ty.walk(self.rhs[k]) if isinstance(n, ty.Var)]
        return False

    def _consumers(self, key: str) -> list[str]:
        out = [n for n, rhs in self.rhs.items() if al.mentions(rhs, key)]
        out += [v for v, (_, _, _, arg) in self.virtual.items() if al.mentions(arg, key)]
        return out

    def _back(self, node: str, g: ty.Node, key: str) -> list[ty.Node]:
        if node in self.virtual:
            kind, func, y, arg = self.virtual[node]
            if kind == "log":
                inner = LOG_OF[func](g, y, self._total)
            else:
                inner = LOG_OF_ONE_MINUS[func](g, y)
            return chain.back(arg, inner, key, self._named)
        return chain.back(self.rhs[node], g, key, self._named)

    def _named(self, n: ty.Apply, g: ty.Node) -> ty.Node:
        """The adjoint of an elementwise function's argument (f' written with its node's name
        where the application is a definition's whole right side)."""
        named = next((k for k, rhs in self.rhs.items() if rhs == n and k != "#head"), None)
        y = ty.Var(0, n.shape, named) if named else n
        if n.func == "softmax" and not n.axis and named:
            jac = al.add(ty.Diag(0, (n.shape[0], n.shape[0]), y), al.neg(al.mm(y, al.T(y))))
            return al.mm(jac, g)
        if n.func == "log" and not n.order and ty.is_scalar(n.shape):
            return al.quotient(g, n.arg)
        if n.func == "log" and not n.order and g.shape == n.arg.shape:  # g ⊘ a, entry by entry
            return ty.Div(0, g.shape, g, n.arg)
        if n.func.startswith(SMOOTH_PREFIX) and not n.axis:  # g'(z): its prime
            return al.times_diag(ty.Apply(0, n.arg.shape, n.func, n.arg, n.order + 1), g)
        if n.func not in ELEMENTWISE or n.axis or n.order:
            raise NoForm(f"no rule for {n.func}")
        return al.times_diag(ELEMENTWISE[n.func](y, n.arg), g)

    def _total(self, g: ty.Node) -> ty.Node:
        """1ᵀg, simplified where g is a multiple of an input that sums to one."""
        coefficient, rest = al.coefficient(g)
        scalars, rest = al.scalar_factors(rest) if rest is not None else ([], rest)
        if isinstance(rest, ty.Var) and self.model.assumptions.get(rest.key) in (
            "one-hot",
            "sum-to-one",
        ):  # in a batch, each example's sum (the assumption holds per example)
            return (
                al.times(al.number(coefficient), al.add(*scalars))
                if scalars
                else al.number(coefficient)
            )
        raise NoForm("the sum of an adjoint")

    # --- derivatives as a course writes them -----------------------------------------------
    def derivative(self, head: ty.Deriv, stops: bool = False) -> list[ty.Node]:
        """Candidates for the derivative ``head`` (of its shape, in the course's layout), the
        likelier first: an entry's (`∂E/∂z_i`) is the entry of the whole derivative's."""
        wrt = head.wrt
        index, part = None, lifting.slice_parts(wrt)
        if isinstance(wrt, ty.Entry) and isinstance(wrt.var, ty.Var) and len(wrt.indices) <= 2:
            wrt, index = wrt.var, wrt.indices
        if part is not None:  # `u_k`, column k of N: that column of ∂J/∂N
            wrt = part[0]
        if not isinstance(wrt, ty.Var) or not isinstance(head.num, ty.Var | ty.Apply):
            raise NoForm("a derivative by something other than a quantity")
        if isinstance(head.num, ty.Var) and not batch_forms.depends(
            self.model, head.num.key, wrt.key
        ):
            return [ty.Num(0, (), Fraction(0))]  # `\frac{\partial E}{\partial z} = 0`
        num = head.num.key if isinstance(head.num, ty.Var) else self._temporary(head.num)
        try:
            grad = self._gradient(num, head.num.shape, wrt.key, stops)
        finally:
            self.rhs.pop("#head", None)
        grad = batch_forms.gathered(self._restore(grad))
        if part is not None:
            grad = al.column(tidy(grad), part[1], part[2])
        if index is not None:
            if not ty.is_scalar(head.num.shape):
                raise NoForm("an entry of a Jacobian")
            if len(index) == 2:  # ∂L/∂W_{cd}: entry (c, d) of the gradient, W's shape
                return [al.entry2(tidy(grad), *index)]
            if not ty.is_vector(grad.shape):
                raise NoForm("one index of a matrix")
            return [al.entry(tidy(grad), index[0])]
        candidates = [grad, al.T(grad)]
        turned = self.table.layout == "numerator" and head.layout != "variable"
        if turned and not ty.is_matrix(wrt.shape):  # numerator layout: ∂(row)/∂(column)
            candidates.reverse()
        return [c for c in candidates if al.same_shape(c.shape, head.shape)]

    def _restore(self, node: ty.Node) -> ty.Node:
        """A log rule's node written as the log it stands for (∂E/∂t = -\\log y)."""
        if isinstance(node, ty.Var) and node.key in self.logs:
            return self.logs[node.key]
        return al.rebuild(node, self._restore)

    def _temporary(self, num: ty.Node) -> str:
        """A left side such as `g(z)` differentiated as a node of its own."""
        self.rhs["#head"] = self._virtualize(self._vector_form(num, ()))
        return "#head"

    def _gradient(self, num: str, shape: ty.Shape, wrt: str, stops: bool) -> ty.Node:
        if ty.is_scalar(shape):
            return self.adjoint(num, wrt, al.number(Fraction(1)), stops)
        if stops:
            raise NoForm("one step of the chain rule is written for a scalar only")
        if ty.is_vector(shape) and shape[1] == 1:
            return self.adjoint(num, wrt, ty.Identity(0, (shape[0], shape[0])))
        raise NoForm("no readable form of a derivative of this rank")
