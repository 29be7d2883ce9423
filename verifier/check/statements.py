"""Statements about the setting, not derivation claims (issue 12): `n = 10` where the model lets
n vary, `t_j = 1` where t is one-hot. They get the verdict `note`: shown, never graded.

Everything else stays a claim: a declared constant equated to a number (`m = 1`) is checked,
as is a dimension of one value in every set (a generic depth's `n_L = 1`), and so is any statement about a model node (`y_j = 1` is false)."""

from __future__ import annotations

from verifier.models.model import Model
from verifier.parse import typed as ty

# Assumptions under which an entry equal to 0 or 1 describes the input rather than claims a value.
_ZERO_ONE = {"one-hot", "binary"}


def statement(model: Model, left: ty.Node, right: ty.Node) -> str | None:
    """Why ``left = right`` is a statement about the setting, or None when it is a claim."""
    for a, b in ((left, right), (right, left)):
        if not isinstance(b, ty.Num):
            continue
        size = b.value.denominator == 1 and b.value >= 1  # a dimension is a whole number ≥ 1
        varies = isinstance(a, ty.DimValue) and model.table.dims.get(a.name, 0) is None
        values = sorted({dims[a.name] for dims in model.dimension_sets}) if varies else []
        if len(values) > 1 and size:  # one value in every set (Ng's n_L = 1) is fixed: checked
            shown = ", ".join(str(v) for v in values)
            return (
                f"a statement about the setting: `{a.name}` is a dimension this assignment lets "
                f"vary (checked at {shown}), so `{a.name} = {b.value}` is not checked"
            )
        kind = _assumed(model, a)
        if kind in _ZERO_ONE and b.value in (0, 1):
            label = model.table.quantities[a.var.key].label
            return (
                f"a statement about the input `{label}` ({kind} in this assignment): "
                "not a claim, not checked"
            )
    return None


def _assumed(model: Model, node: ty.Node) -> str | None:
    """The assumption on the input whose entry ``node`` is, if any."""
    if not isinstance(node, ty.Entry) or not isinstance(node.var, ty.Var):
        return None
    q = model.table.quantities.get(node.var.key)
    if q is None or q.kind != "leaf":
        return None
    return model.assumptions.get(q.key)
