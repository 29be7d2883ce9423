"""Where an assumption holds: on a whole vector, or on each example of a batch matrix (each row
where examples are rows, each column where they are columns)."""

from __future__ import annotations

import sympy as sp

from verifier.models.model import Model
from verifier.parse import typed as ty


def groups(model: Model, key: str, matrix: sp.ImmutableMatrix) -> list[list[int]]:
    """Flat (row-major) positions in ``matrix`` of each group of entries an assumption on the
    input ``key`` holds on: one group for a vector, one per example for a batch matrix."""
    shape = model.table.quantities[key].shape
    batch = model.table.batch
    rows, cols = matrix.shape
    if not (ty.is_matrix(shape) and batch is not None and batch.per_example(shape)):
        return [list(range(rows * cols))]
    if batch.axis == "rows":
        return [[r * cols + c for c in range(cols)] for r in range(rows)]
    return [[r * cols + c for r in range(rows)] for c in range(cols)]
