"""Batches and conventions (issue 13): a batch of examples as rows (CS231n: X is N×D,
`XW + b`, a softmax of each row, the cross-entropy averaged over N) or as columns (Ng: X is n×m,
`W X + b`, a sigmoid output, the binary cross-entropy averaged over m); assumptions per
example; layout "variable" (a gradient has the variable's shape) for row and column courses.
Every true claim has a false variant that must not pass."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from verifier.api import check_claim
from verifier.check.compare import assumption_cases
from verifier.check.numeric import draw
from verifier.check.verdicts import Verdict
from verifier.models.assignment import load_assignment
from verifier.models.instance import Instance
from verifier.models.model import build_model

from .conftest import ROOT, checker_of
from .finite_differences import mismatches

P, F, E, W, N = Verdict.PASS, Verdict.FAIL, Verdict.ERROR, Verdict.WARN, Verdict.NOTE
U = Verdict.UNDECIDED
ROWS, COLUMNS = "tests/data/batch_rows.toml", "tests/data/batch_columns.toml"
VARIABLE = "tests/data/variable_layout.toml"


def D(num: str, wrt: str) -> str:
    return rf"\frac{{\partial {num}}}{{\partial {wrt}}}"


# CS231n: Z = X W1 + b1, H = relu(Z), S = H W2 + b2, P = softmax of each row, L the mean CE
ROW_CLAIMS = [
    (D("L", "S") + r" = \frac{1}{N}(P - Y)", P),
    (D("L", "S") + r" = P - Y", F),  # the 1/N forgotten
    (D("L", "S_{ic}") + r" = \frac{1}{N}(P_{ic} - Y_{ic})", P),
    (D("L", "S_{ic}") + r" = P_{ic} - Y_{ic}", F),
    (D("L", "S") + r" = \frac{P - Y}{N}", P),
    (D("L", "S") + r" = \frac{P - Y}{P}", E),  # division by a matrix: products are not entrywise
    (D("L", "W^{(2)}") + r" = \frac{1}{N} H^T (P - Y)", P),
    (D("L", "W^{(2)}") + r" = H^T (P - Y)", F),
    (D("L", "W^{(2)}") + r" = \frac{1}{N} (P - Y)^T H", F),  # transposed: no layout excuses it
    (D("L", "b^{(2)}") + r" = \frac{1}{N} \mathbf{1}^T (P - Y)", P),
    (D("L", "b^{(2)}") + r" = \mathbf{1}^T (P - Y)", F),
    (D("L", "b^{(2)}") + r" = \frac{1}{N} (P - Y) \mathbf{1}", F),  # summed over the wrong axis
    (D("L", "b^{(2)}_c") + r" = \frac{1}{N} \sum_{i=1}^N (P_{ic} - Y_{ic})", P),
    (D("L", "b^{(2)}_c") + r" = \frac{1}{N} \sum_{k=1}^C (P_{ck} - Y_{ck})", E),  # wrong axis
    (D("L", "H") + r" = \frac{1}{N} (P - Y) W^{(2)T}", P),
    (D("L", "H") + r" = \frac{1}{N} W^{(2)} (P - Y)^T", F),
    (D("L", "W^{(1)}") + r" = \frac{1}{N} X^T (((P - Y) W^{(2)T}) \odot f'(Z))", P),
    (D("L", "W^{(1)}") + r" = \frac{1}{N} X^T ((P - Y) W^{(2)T})", F),  # ReLU's mask forgotten
    (r"P_{ic} = \frac{e^{S_{ic}}}{\sum_{k=1}^C e^{S_{ik}}}", P),  # softmax of each row
    (r"P_{ic} = \frac{e^{S_{ic}}}{\sum_{k=1}^N e^{S_{kc}}}", F),  # softmax over the wrong axis
    (r"P = \text{softmax}(H W^{(2)} + b^{(2)})", P),
    (r"P = \text{softmax}(S^T)^T", E),  # S^T has no row per example
    (r"S = H W^{(2)} + b^{(2)}", P),  # a row broadcast over the rows, as declared
    (r"S = H W^{(2)} + \mathbf{1} b^{(2)}", P),
    (r"S = H W^{(2)} + \frac{1}{N} \mathbf{1} b^{(2)}", F),
    (r"S = H W^{(2)}", F),
    (r"S = H W^{(2)} + b^{(2)T}", E),  # a column is not broadcast over rows
    (r"L = -\frac{1}{N} \sum_{i=1}^N \sum_{c=1}^C Y_{ic} \log P_{ic}", P),
    (r"L = -\sum_{i=1}^N \sum_{c=1}^C Y_{ic} \log P_{ic}", F),
    (r"\sum_{c=1}^C Y_{ic} = 1", P),  # Y one-hot in each row
    (r"\sum_{i=1}^N Y_{ic} = 1", F),
]

# Ng: Z1 = W1 X + b1, A1 = tanh(Z1), Z2 = W2 A1 + b2, A2 = sigma(Z2); J = (1/m) Σ L_i, the
# summed loss \mathcal{L} = Σ L_i, whose ∂/∂Z2 is Ng's per-example dZ2
COLUMN_CLAIMS = [
    (D(r"\mathcal{L}", "Z^{[2]}") + r" = A^{[2]} - Y", P),
    (D(r"\mathcal{L}", "Z^{[2]}") + r" = Y - A^{[2]}", F),
    (r"dZ^{[2]} = \frac{1}{m} (A^{[2]} - Y)", P),  # d-notation: ∂J/∂Z2, J averaged
    (r"dZ^{[2]} = A^{[2]} - Y", F),
    (r"dW^{[2]} = \frac{1}{m} (A^{[2]} - Y) A^{[1]T}", P),
    (r"dW^{[2]} = (A^{[2]} - Y) A^{[1]T}", F),  # the 1/m forgotten
    (r"dW^{[2]} = \frac{1}{m} A^{[1]} (A^{[2]} - Y)^T", F),  # transposed product
    (r"db^{[2]} = \frac{1}{m} \sum_{i=1}^m (A^{[2]}_i - Y_i)", P),
    (r"db^{[2]} = \sum_{i=1}^m (A^{[2]}_i - Y_i)", F),
    (r"dZ^{[1]} = W^{[2]T} dZ^{[2]} * (1 - (A^{[1]})^2)", P),
    (r"dZ^{[1]} = W^{[2]T} dZ^{[2]}", F),
    # `/` and \frac of same-shape matrices divide entry by entry, as numpy's `Y / A` does
    (r"dA^{[2]} = -\frac{1}{m}\left(\frac{Y}{A^{[2]}} - \frac{1 - Y}{1 - A^{[2]}}\right)", P),
    (r"dA^{[2]} = -\frac{1}{m}\left(\frac{Y}{A^{[2]}} + \frac{1 - Y}{1 - A^{[2]}}\right)", F),
    (r"dA^{[2]} = -\frac{1}{m}\left(\frac{Y}{1 - A^{[2]}} - \frac{1 - Y}{A^{[2]}}\right)", F),
    # by the binary Y: no value at any point, never a pass
    (r"dA^{[2]} = -\frac{1}{m}\left(\frac{A^{[2]}}{Y} - \frac{1 - A^{[2]}}{1 - Y}\right)", U),
    (r"dA^{[2]} = -\frac{1}{m} (Y / A^{[2]} - (1 - Y) / (1 - A^{[2]}))", P),
    (r"dA^{[2]} = -\frac{1}{m} (Y / A^{[2]} - 1 - Y / (1 - A^{[2]}))", F),
    (r"dA^{[2]} = \frac{A^{[2]} - Y}{m A^{[2]} * (1 - A^{[2]})}", P),
    (r"dA^{[2]} = \frac{A^{[2]} - Y}{m A^{[2]}}", F),
    (
        r"dA^{[2]} = \frac{1}{m} \cdot \frac{1}{1 - A^{[2]}} - \frac{1}{m} \cdot \frac{Y}{A^{[2]} * (1 - A^{[2]})}",
        P,
    ),
    (r"dA^{[2]} = \frac{1}{m} \cdot \frac{1}{1 - A^{[2]}}", F),
    (r"dA^{[2]} = \frac{Y}{Z^{[1]}}", E),  # shapes that do not divide entry by entry
    (r"dW^{[1]} = dZ^{[1]} X^T", P),
    (r"dW^{[1]} = X dZ^{[1]T}", F),
    (r"db^{[1]} = dZ^{[1]} \mathbf{1}", P),  # summed over the examples, no np.sum
    (r"db^{[1]} = \mathbf{1}^T dZ^{[1]}", F),  # over the wrong axis
    (r"db^{[1]} = \frac{1}{m} " + D(r"\mathcal{L}", "Z^{[1]}") + r" \mathbf{1}", P),
    (r"db^{[1]} = " + D(r"\mathcal{L}", "Z^{[1]}") + r" \mathbf{1}", F),
    (r"Z^{[1]} = W^{[1]} X + b^{[1]} \mathbf{1}^T", P),
    (r"Z^{[1]} = W^{[1]} X + b^{[1]}", P),  # broadcast over the columns, as declared
    (r"Z^{[1]} = W^{[1]} X", F),
    (r"Z^{[1]} = W^{[1]} X + b^{[1]T}", E),
    (r"A^{[1]} = \tanh(W^{[1]} X + b^{[1]})", P),  # elementwise on a matrix
    (r"A^{[1]} = \sigma(W^{[1]} X + b^{[1]})", F),
    (r"J = -\frac{1}{m} \sum_{i=1}^m (Y_i \log A^{[2]}_i + (1 - Y_i) \log(1 - A^{[2]}_i))", P),
    (r"J = -\sum_{i=1}^m (Y_i \log A^{[2]}_i + (1 - Y_i) \log(1 - A^{[2]}_i))", F),
    (r"J = -\frac{1}{m} (Y \log A^{[2]T} + (1 - Y) \log(1 - A^{[2]})^T)", P),
    (r"Y_1 = 1", N),  # binary targets: a statement about the input
    (r"Y_1 = 2", F),
]

# layout = "variable": step 1 a row course (h = x W + b), step 2 a column course (z = W x + b)
VARIABLE_CLAIMS = [
    ("1", D("E", "x") + r" = (h - t) W^T", P),  # 1×d, as x
    ("1", D("E", "x") + r" = W (h - t)^T", F),  # its transpose: no layout excuses it
    ("1", D("E", "b") + r" = h - t", P),
    ("1", D("E", "b") + r" = (h - t)^T", F),
    ("1", D("E", "W") + r" = x^T (h - t)", P),
    ("1", D("E", "W") + r" = (h - t)^T x", F),
    ("1", D("h", "x") + r" = W^T", P),  # a Jacobian by a row: out × in
    ("1", D("h", "x") + r" = W", W),  # Jacobians keep the other layout's warning
    ("1", D("h", "x") + r" = x", F),
    ("1", D("E", "x") + " = " + D("E", "h") + " " + D("h", "x"), P),
    ("1", D("E", "x") + " = " + D("h", "x") + " " + D("E", "h"), F),  # the order of a column course
    ("2", D("E", "x") + r" = W^T (z - t)", P),  # d×1, as x
    ("2", D("E", "x") + r" = (z - t)^T W", F),
    ("2", D("E", "W") + r" = (z - t) x^T", P),
    ("2", D("E", "W") + r" = x (z - t)^T", F),
    ("2", D("z", "x") + r" = W^T", P),  # a Jacobian by a column: in × out
    ("2", D("E", "x") + " = " + D("z", "x") + " " + D("E", "z"), P),
    ("2", D("E", "b") + r" = z - t", P),
    ("2", D("E", "b") + r" = z + t", F),
]


@pytest.mark.parametrize(("claim", "verdict"), ROW_CLAIMS)
def test_examples_as_rows(claim, verdict):
    result = check_claim(claim, "1", checker=checker_of(ROWS))
    assert result.verdict is verdict, result.message


@pytest.mark.parametrize(("claim", "verdict"), COLUMN_CLAIMS)
def test_examples_as_columns(claim, verdict):
    result = check_claim(claim, "1", checker=checker_of(COLUMNS))
    assert result.verdict is verdict, result.message


@pytest.mark.parametrize(("step", "claim", "verdict"), VARIABLE_CLAIMS)
def test_variable_layout(step, claim, verdict):
    result = check_claim(claim, step, checker=checker_of(VARIABLE))
    assert result.verdict is verdict, result.message


# (claim, what its error says): what a batch model still refuses in a claim
ERRORS = [
    (ROWS, r"P = \text{softmax}(S^T)^T", "examples are the rows of this model"),
    (ROWS, r"S = H W^{(2)} + b^{(2)T}", "broadcasting adds a 1×C to every row"),
    (COLUMNS, r"Z^{[1]} = W^{[1]} X + b^{[1]T}", "broadcasting adds a h×1 to every column"),
    (VARIABLE, r"h = x W + b + W", "cannot add a d×k to a 1×k"),  # no batch: no broadcast
]


@pytest.mark.parametrize(("path", "claim", "says"), ERRORS)
def test_what_a_batch_refuses_is_said(path, claim, says):
    result = check_claim(claim, "1", checker=checker_of(path))
    assert result.verdict is E and says in result.message, result.message


def _points(path: str):
    model = build_model(load_assignment(str(ROOT / path)), "net")
    inst = Instance(model, model.dimension_sets[0])
    return model, inst, draw(inst, 6, np.random.default_rng(0))


def test_one_hot_holds_per_row_and_every_position_is_hot_in_every_row():
    _, inst, points = _points(ROWS)
    y = inst.symbols["Y"]
    values = np.stack([points.floats[s] for s in y], axis=1).reshape(points.count, *y.shape)
    assert ((values == 0) | (values == 1)).all()
    assert (values.sum(axis=2) == 1).all()  # one hot entry in each row at each point
    for r in range(y.rows):
        assert set(values[:, r, :].argmax(axis=1)) == set(range(y.cols))
    assert len(set(points.cases)) > 1


def test_the_exact_check_covers_every_combination_of_hot_positions():
    _, inst, _ = _points(ROWS)
    y = inst.symbols["Y"]
    cases = assumption_cases(inst)
    assert len(cases) == y.cols**y.rows
    hot = {tuple(tuple(c[y[r, k]] for k in range(y.cols)) for r in range(y.rows)) for c in cases}
    rows = [tuple(int(k == j) for k in range(y.cols)) for j in range(y.cols)]
    assert hot == set(itertools.product(rows, repeat=y.rows))


@pytest.mark.parametrize(
    ("kind", "check"),
    [
        ("binary", lambda v: set(np.unique(v)) == {0.0, 1.0}),
        ("(0, 1)", lambda v: ((v > 0) & (v < 1)).all() and v.min() < 0.01 and v.max() > 0.99),
        ("(-2, -1)", lambda v: ((v > -2) & (v < -1)).all()),
        ("positive", lambda v: (v > 0).all()),
    ],
)
def test_entrywise_assumptions_are_sampled_inside(tmp_path, kind, check):
    text = (ROOT / COLUMNS).read_text().replace('Y = "binary"', f'Y = "{kind}"')
    path = tmp_path / "a.toml"
    path.write_text(text)
    model = build_model(load_assignment(str(path)), "net")
    inst = Instance(model, model.dimension_sets[0])
    points = draw(inst, 6, np.random.default_rng(0))
    values = np.stack([points.floats[s] for s in inst.symbols["Y"]])
    assert check(values)


def test_sum_to_one_holds_per_column(tmp_path):
    text = (ROOT / COLUMNS).read_text().replace('Y = [1, "m"]', 'Y = ["h", "m"]')
    text = text.replace('Y = "binary"', 'Y = "sum-to-one"')
    text = text.replace(
        '"L_i = -(Y_i \\\\log A^{[2]}_i + (1 - Y_i) \\\\log(1 - A^{[2]}_i))"',
        '"L_i = Y_{1i} A^{[2]}_i"',
    )
    path = tmp_path / "a.toml"
    path.write_text(text)
    model = build_model(load_assignment(str(path)), "net")
    inst = Instance(model, model.dimension_sets[0])
    points = draw(inst, 6, np.random.default_rng(0))
    y = inst.symbols["Y"]
    values = np.stack([points.floats[s] for s in y], axis=1).reshape(points.count, *y.shape)
    assert (values.sum(axis=1) == 1).all()  # exactly, in each column at each point
    assert not (values.sum(axis=2) == 1).all()


@pytest.mark.parametrize(
    ("path", "model", "loss"),
    [
        (ROWS, "net", "L"),
        (COLUMNS, "net", "J"),
        (VARIABLE, "rows", "E"),
        (VARIABLE, "columns", "E"),
    ],
)
def test_derived_truths_agree_with_finite_differences(path, model, loss):
    built = build_model(load_assignment(str(ROOT / path)), model)
    assert mismatches(built, loss) == []
