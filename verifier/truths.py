"""`--truths`: every derivable quantity of an assignment's models, in LaTeX, for instructors."""

from __future__ import annotations

from collections.abc import Iterator

import sympy as sp

from verifier.check.compare import Config, Probe
from verifier.errors import NotationError
from verifier.models import printing
from verifier.models.assignment import Assignment
from verifier.models.evaluate import Tensor3
from verifier.models.model import build_model
from verifier.notation import SMOOTH
from verifier.parse import typed as ty
from verifier.parse.products import derivative_shape


def truths(assignment: Assignment) -> Iterator[str]:
    for name in assignment.models:
        model = build_model(assignment, name)
        probe = Probe(model, Config())
        dims = ", ".join(f"{k}={v}" for k, v in model.dimension_sets[0].items())
        yield f"% model {name}: {model.spec.description} (shown at {dims})"
        smooth = [k for k, v in assignment.functions.items() if v == SMOOTH]
        if smooth:
            yield f"% {', '.join(smooth)}: any smooth function (a prime marks a derivative)"
        loss = model.loss
        table = model.table
        names = probe.instances[0][0].names
        for d in model.definitions:
            yield f"{_label(table, d.key)} = {printing.latex(_defined(probe, d.key), names)}"
        quantities = [q for q in table.quantities.values() if q.kind != "family" and q.key != loss]
        pairs = [(loss, q.key) for q in quantities] if loss else []
        for d in model.definitions:
            if not d.indices and not ty.has_derivative(d.rhs):  # a named δ has no parents
                pairs += [(d.key, p) for p in _parents(d.rhs) if p != d.key]
        for num, wrt in dict.fromkeys(pairs):
            a, b = _var(table, num), _var(table, wrt)
            try:
                shape = derivative_shape(a.shape, b.shape, table.layout, 0)
            except NotationError:  # no derivative of this shape pair (a matrix by a vector)
                continue
            value = _value(probe, ty.Deriv(0, shape, a, b))
            yield (
                rf"\frac{{\partial {_label(table, num)}}}{{\partial {_label(table, wrt)}}} = "
                f"{printing.latex(value, names)}"
            )


def _label(table, key: str) -> str:
    return table.quantities[key].label


def _var(table, key: str) -> ty.Var:
    return ty.Var(0, table.quantities[key].shape, key)


def _value(probe: Probe, node: ty.Node):
    value = probe.instances[0][1].value(node, {})
    if isinstance(value, Tensor3):  # ∂(vector)/∂(matrix): one matrix per entry of the vector
        return sp.Tuple(*value.slices)
    return value[0, 0] if getattr(value, "shape", None) == (1, 1) else value


def _defined(probe: Probe, key: str):
    """A definition's value in the nodes before it (a named δ shows the derivative it is)."""
    inst = probe.instances[0][0]
    value = inst.symbols[key].applyfunc(lambda s: inst.defs[s])
    return value[0, 0] if value.shape == (1, 1) else value


def _parents(node: ty.Node) -> list[str]:
    return [n.key for n in ty.walk(node) if isinstance(n, ty.Var)]
