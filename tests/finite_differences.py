"""A numpy cross-check of derived truths: central finite differences of a model's scalar
definitions, compared with the derivative SymPy derives through the model's definitions.

It shares nothing with the derivation but the model's forward values (each definition, in order,
evaluated in float64): an error in the chain rule over definitions, in the layout of a
derivative, or in a family's or a derivative definition's values shows as a difference.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from verifier.check import numeric as nm
from verifier.check.numeric import FLOAT, SympyNumeric
from verifier.models import examples
from verifier.models.declare import assumed_range
from verifier.models.evaluate import Evaluator
from verifier.models.instance import Instance
from verifier.models.model import Model
from verifier.parse import typed as ty
from verifier.parse.products import derivative_shape

STEP = 1e-6
TOLERANCE = 1e-5  # relative to 1 + |value|: the central difference is O(STEP²) + rounding


def point(inst: Instance, rng: np.random.Generator) -> dict[sp.Symbol, float]:
    """Values for every input and free variable: one-hot inputs hot at a random place (in
    each example of a batch matrix), positive ones in (0.5, 1.5), binary ones 0 or 1, those
    in a range (low, high) inside it, others in (-1, 1)."""
    values: dict[sp.Symbol, float] = {}
    for key, matrix in inst.symbols.items():
        if inst.kinds[matrix[0]] not in ("leaf", "free"):
            continue
        kind = inst.model.assumptions.get(key) or ""
        for group in examples.groups(inst.model, key, matrix):
            hot = group[rng.integers(len(group))] if kind == "one-hot" else None
            for i in group:
                values[matrix[i]] = _value(kind, i == hot, rng)
    return values


def smooth_instances(model: Model, rng: np.random.Generator) -> dict[sp.Symbol, float]:
    """The parameters of one random instance of each abstract smooth g of the model (none drawn
    for a model without one, so its points stay as they were)."""
    values: dict[sp.Symbol, float] = {}
    for key, kind in model.table.functions.items():
        if kind == "smooth":
            family = int(rng.integers(3))
            drawn = nm._instances(key, 3, rng)
            values.update({s: float(v[family]) for s, v in drawn.items()})
    return values


def _value(kind: str, hot: bool, rng: np.random.Generator) -> float:
    if kind == "one-hot":
        return float(hot)
    if kind == "binary":
        return float(rng.integers(2))
    if kind == "positive":
        return rng.uniform(0.5, 1.5)
    if kind.startswith("("):
        low, high = assumed_range(kind)
        return low + (high - low) * rng.uniform(0.1, 0.9)
    return rng.uniform(-1, 1)


def forward(
    inst: Instance, values: dict[sp.Symbol, float], hold: frozenset[sp.Symbol] = frozenset()
) -> dict[sp.Symbol, float]:
    """Every node's value at the point: the definitions in order, in float64; the nodes in
    ``hold`` keep the value given (a derivative by a node holds what comes before it fixed)."""
    out = dict(values)
    ev = SympyNumeric(out, FLOAT)
    for s in inst.order:
        if s not in hold:
            out[s] = float(ev(inst.defs[s]))
    return out


def numeric_gradient(
    inst: Instance, num: sp.Symbol, wrt: sp.ImmutableMatrix, values: dict[sp.Symbol, float]
) -> np.ndarray:
    """∂num/∂(each entry of wrt), in wrt's entry order, by central differences; wrt may be an
    input or a node."""
    base, hold = forward(inst, values), frozenset(wrt)
    grads = []
    for w in wrt:
        up, down = dict(base), dict(base)
        up[w] += STEP
        down[w] -= STEP
        grads.append((forward(inst, up, hold)[num] - forward(inst, down, hold)[num]) / (2 * STEP))
    return np.array(grads)


def derived_gradient(
    inst: Instance, num_key: str, wrt_key: str, values: dict[sp.Symbol, float]
) -> np.ndarray:
    """The truth the checker compares claims with, ∂num/∂wrt in the course's layout, at the
    point; flattened in wrt's entry order (a gradient of a scalar lists wrt's entries)."""
    table = inst.model.table
    num, wrt = (ty.Var(0, table.quantities[k].shape, k) for k in (num_key, wrt_key))
    shape = derivative_shape(num.shape, wrt.shape, table.layout, 0)
    value = Evaluator(inst).value(ty.Deriv(0, shape, num, wrt), {})
    ev = SympyNumeric(forward(inst, values), FLOAT)
    return np.array([float(ev(e)) for e in value])


def mismatches(model: Model, num_key: str, seed: int = 0) -> list[str]:
    """Every input at which the derived ∂num/∂input differs from the finite differences, at
    every dimension set of the model (empty when all agree)."""
    rng = np.random.default_rng(seed)
    found = []
    for dims in model.dimension_sets:
        inst = Instance(model, dims)
        values = point(inst, rng) | smooth_instances(model, rng)
        (num,) = inst.symbols[num_key]
        for key, q in model.table.quantities.items():
            if q.kind not in ("leaf", "free"):
                continue
            numeric = numeric_gradient(inst, num, inst.symbols[key], values)
            derived = derived_gradient(inst, num_key, key, values)
            if not np.allclose(derived, numeric, rtol=TOLERANCE, atol=TOLERANCE):
                found.append(f"∂{num_key}/∂{key} at {dims}: {derived} vs {numeric}")
    return found


def node_mismatches(model: Model, node_key: str, num_key: str, wrt_key: str) -> list[str]:
    """A derivative definition (`δ = ∂num/∂wrt`): δ's values against finite differences."""
    rng = np.random.default_rng(1)
    found = []
    for dims in model.dimension_sets:
        inst = Instance(model, dims)
        values = point(inst, rng)
        (num,) = inst.symbols[num_key]
        numeric = numeric_gradient(inst, num, inst.symbols[wrt_key], values)
        at = forward(inst, values)
        defined = np.array([at[s] for s in inst.symbols[node_key]])
        if not np.allclose(defined, numeric, rtol=TOLERANCE, atol=TOLERANCE):
            found.append(f"{node_key} at {dims}: {defined} vs {numeric}")
    return found
