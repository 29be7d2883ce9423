"""What an assignment can now declare, end to end: families of two indices and over examples, a
definition that is a derivative (a named δ), a constant as a sum bound, a 1×d weight matrix kept
a matrix; and what stays refused: a function of a whole vector applied to a matrix.

Every construct has true claims that pass and false ones that fail, and its derived truths are
cross-checked against central finite differences (``tests/finite_differences.py``), as are the
bundled models'."""

from __future__ import annotations

import pytest

from verifier.api import check_claim
from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.check.verdicts import Verdict
from verifier.errors import NotationError
from verifier.models.assignment import load_assignment
from verifier.models.evaluate import Evaluator
from verifier.models.instance import Instance
from verifier.models.model import build_model
from verifier.notation import One
from verifier.parse import typed as ty

from .conftest import ROOT
from .finite_differences import mismatches, node_mismatches

DATA = ROOT / "tests" / "data"
P, W, F, E = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR


def checker_for(path, layout: str | None = None, tmp_path=None) -> Checker:
    if layout is not None:  # the same file in the other layout
        text = path.read_text("utf-8").replace('layout = "numerator"', f'layout = "{layout}"')
        path = tmp_path / path.name
        path.write_text(text, encoding="utf-8")
    checker = Checker(load_assignment(str(path)), Config(isolate=False))
    checker.validate()
    return checker


@pytest.fixture(scope="module")
def families() -> Checker:
    return checker_for(DATA / "families.toml")


@pytest.fixture(scope="module")
def named_delta() -> Checker:
    return checker_for(DATA / "named_delta.toml")


@pytest.fixture(scope="module")
def constants() -> Checker:
    return checker_for(DATA / "constants.toml")


@pytest.mark.parametrize(
    ("step", "claim", "verdict"),
    [
        ("1", r"z_{ik} = W_{ik} x_k", P),
        ("1", r"z_{ki} = W_{ki} x_i", P),  # the same family, its indices named the other way
        ("1", r"z_{ik} = 2 W_{ik} x_k", F),
        ("1", r"z_{ik} = W_{ik} x_1", F),
        ("1", r"z_{12} = W_{12} x_2", P),
        ("1", r"z_{21} = W_{12} x_2", F),  # h ≠ d: the transposed entry is another number
        ("1", r"z_{ik} = z_{ki}", E),  # i runs over h on the left, over d on the right
        ("1", r"z_k = W_{ik} x_k", E),  # a matrix family takes two indices
        ("1", r"\frac{\partial E}{\partial z_{ik}} = 2 z_{ik}", P),
        ("1", r"\frac{\partial E}{\partial z_{ik}} = z_{ik}", F),
        ("1", r"\frac{\partial E}{\partial W_{ik}} = 2 W_{ik} x_k^2", P),
        ("1", r"\frac{\partial E}{\partial W_{ik}} = 2 W_{ik} x_k", F),
        ("1", r"\frac{\partial E}{\partial x_k} = 2 \sum_{i=1}^h W_{ik} z_{ik}", P),
        ("1", r"\frac{\partial E}{\partial x_k} = 2 \sum_{i=1}^h W_{ik} z_{ki}", E),
        ("2", r"L = \frac{1}{N} \sum_{i=1}^N L_i", P),
        ("2", r"L = \sum_{i=1}^N L_i", F),
        ("2", r"\frac{\partial L}{\partial w} = \frac{2}{N} (X w - y)^T X", P),
        ("2", r"\frac{\partial L}{\partial w} = \frac{1}{N} (X w - y)^T X", F),
        ("2", r"\frac{\partial L}{\partial w} = \frac{2}{N} X^T (X w - y)", W),  # the other layout
        ("2", r"\frac{\partial L_i}{\partial y_i} = -2 (\sum_{k=1}^D X_{ik} w_k - y_i)", P),
        ("2", r"\frac{\partial L_i}{\partial y_i} = 2 (\sum_{k=1}^D X_{ik} w_k - y_i)", F),
    ],
)
def test_families_of_two_indices_and_over_examples(families, step, claim, verdict):
    result = check_claim(claim, step=step, checker=families)
    assert result.verdict is verdict, result.message


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        (r"\delta^{(1)} = (y - t)^T", P),  # a row: δ is ∂C/∂s⁽²⁾ in numerator layout
        (r"\delta^{(1)} = (t - y)^T", F),
        (r"\delta^{(1)} = y - t", F),  # δ was defined a row; a column is another shape
        (r"\delta^{(1)}_j = y_j - t_j", P),
        (r"\delta^{(1)}_j = t_j - y_j", F),
        (r"\frac{\partial C}{\partial W} = \delta^{(1)T} x^T", P),
        (r"\frac{\partial C}{\partial W} = -\delta^{(1)T} x^T", F),
        (r"g_{ik} = \delta^{(1)}_i x_k", P),  # a family of derivatives: ∂C/∂W_ik
        (r"g_{ik} = \delta^{(1)}_k x_i", E),
        (r"g_{ik} = -\delta^{(1)}_i x_k", F),
        # derivatives of δ go through its definition: the softmax Hessian
        (r"\frac{\partial \delta^{(1)}}{\partial s^{(2)}} = \text{diag}(y) - y y^T", P),
        (r"\frac{\partial \delta^{(1)}}{\partial s^{(2)}} = \text{diag}(y)", F),
        (r"\frac{\partial \delta^{(1)}}{\partial x} = (\text{diag}(y) - y y^T) W", P),
        (r"\frac{\partial \delta^{(1)}}{\partial x} = W", F),
        (r"\frac{\partial C}{\partial \delta^{(1)}} = 0 \delta^{(1)}", P),  # C is before δ
    ],
)
def test_a_definition_that_is_a_derivative(named_delta, claim, verdict):
    result = check_claim(claim, step="1", checker=named_delta)
    assert result.verdict is verdict, result.message


@pytest.mark.parametrize(
    ("claim", "verdict", "message"),
    [
        (r"E = \sum_{c=1}^{C} x_c^2 + \sum_{k=1}^d v_k", P, ""),
        (r"E = \sum_{c=1}^{3} x_c^2 + \sum_{k=1}^d v_k", P, ""),  # C is 3
        (r"E = \sum_{c=1}^{C} x_c^2 + \sum_{k=1}^C v_k", E, "k runs 1..C here but indexes d"),
        (r"E = \sum_{c=1}^{d} x_c^2 + \sum_{k=1}^d v_k", E, "c runs 1..d here but indexes 3"),
        (r"E = \sum_{c=1}^{2} x_c^2 + \sum_{k=1}^d v_k", E, "c runs 1..2 here but indexes 3"),
        (r"\frac{\partial E}{\partial x} = 2 x^T", P, ""),
        (r"\frac{\partial E}{\partial x} = x^T", F, "off by a constant factor"),
        (r"E = x^T x + C", F, ""),
    ],
)
def test_a_constant_is_a_sum_bound(constants, claim, verdict, message):
    result = check_claim(claim, step="1", checker=constants)
    assert result.verdict is verdict and message in result.message, result.message


# (layout, step, claim, verdict): W is a 1×d matrix (m = 1), w a 1×d row (a literal 1)
ROW_MATRIX = [
    ("numerator", "1", r"\frac{\partial E}{\partial W} = (y - t) x^T", P),
    ("numerator", "1", r"\frac{\partial E}{\partial W} = (t - y) x^T", F),
    ("numerator", "1", r"\frac{\partial E}{\partial W_{1k}} = (y - t) x_k", P),
    ("numerator", "1", r"\frac{\partial E}{\partial W_{1k}} = (t - y) x_k", F),
    ("numerator", "1", r"\frac{\partial E}{\partial x} = (y - t) W", P),
    # one index on the one row of a 1×d matrix, as students write it: W_k is W_{1k}
    ("numerator", "1", r"\frac{\partial E}{\partial W_k} = (y - t) x_k", P),
    ("numerator", "1", r"\frac{\partial E}{\partial W_k} = (t - y) x_k", F),
    ("numerator", "1", r"W_{k1} = W_k", E),  # W has no k-th row
    ("numerator", "2", r"\frac{\partial E}{\partial w} = (y - t) x^T", P),
    ("numerator", "2", r"\frac{\partial E}{\partial w_k} = (y - t) x_k", P),
    # the issue: in denominator layout the matrix's gradient came out a column
    ("denominator", "1", r"\frac{\partial E}{\partial W} = (y - t) x^T", P),
    ("denominator", "1", r"\frac{\partial E}{\partial W} = (t - y) x^T", F),
    ("denominator", "1", r"\frac{\partial E}{\partial W} = (y - t) x", W),  # the transpose
    ("denominator", "1", r"\frac{\partial E}{\partial x} = (y - t) W^T", P),
    ("denominator", "2", r"\frac{\partial E}{\partial w} = (y - t) x", P),  # a row's: a column
    ("denominator", "2", r"\frac{\partial E}{\partial w} = (y - t) x^T", W),
]


@pytest.mark.parametrize(("layout", "step", "claim", "verdict"), ROW_MATRIX)
def test_a_one_row_matrix_stays_a_matrix(tmp_path, layout, step, claim, verdict):
    checker = checker_for(DATA / "row_matrix.toml", layout, tmp_path)
    result = check_claim(claim, step=step, checker=checker)
    assert result.verdict is verdict, result.message


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        (r"y = \text{softmax}(W)", "softmax of a 1×d matrix is not supported"),
        (r"y = \text{diag}(W)", "diag needs a vector, not a 1×d"),
    ],
)
def test_a_one_row_matrix_is_not_read_as_a_vector(tmp_path, claim, message):
    checker = checker_for(DATA / "row_matrix.toml", "numerator", tmp_path)
    result = check_claim(claim, step="1", checker=checker)
    assert result.verdict is E and message in result.message, result.message


def test_the_matrix_keeps_its_shape_in_the_model():
    assignment = load_assignment(str(DATA / "row_matrix.toml"))
    matrix = build_model(assignment, "matrix").table.quantities["W"].shape
    assert matrix == (One(), "d") and ty.is_matrix(matrix) and not ty.is_vector(matrix)
    assert ty.is_vector(build_model(assignment, "row").table.quantities["w"].shape)


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        (r"y^{(2)} = s(W^{(2)})", "softmax of a n×h matrix is not supported"),
        (r"y^{(2)} = s(W^{(2)} W^{(2)T})", "softmax of a n×n matrix is not supported"),
        (r"y^{(2)} = s(y^{(1)T} y^{(1)})", "softmax needs a vector, not a scalar"),
        (r"y^{(2)} = \text{diag}(W^{(1)})", "diag needs a vector, not a h×d"),
        (r"y^{(2)} = G(W^{(1)})", "sigmoid of a matrix is not supported"),
    ],
)
def test_a_function_of_a_whole_vector_refuses_a_matrix(backprop_checker, claim, message):
    result = check_claim(claim, step="3", checker=backprop_checker)
    assert result.verdict is E and message in result.message, result.message


@pytest.mark.parametrize("func", ["softmax", "diag"])
def test_values_of_a_matrix_are_never_flattened(func):
    """Below the typed pass: a hand-built node applying softmax (or diag) to a matrix is
    refused by the evaluator, never computed over the matrix's entries as one vector."""
    model = build_model(load_assignment("backprop"), "network")
    ev = Evaluator(Instance(model, model.dimension_sets[0]))
    matrix = ty.Var(0, ("n", "h"), "W^{(2)}")
    node = ty.Apply(0, ("n", "h"), func, matrix) if func == "softmax" else ty.Diag(0, (), matrix)
    with pytest.raises(NotationError, match=f"{func} of a matrix is not supported"):
        ev.value(node, {})


def test_names_that_print_alike_are_different_symbols(tmp_path):
    """`W^{(1)}` and `W_1` are both `W1` to SymPy unless the instance tells them apart: a
    false claim about one passed while they were the same symbol."""
    path = tmp_path / "alias.toml"
    path.write_text(
        'name = "alias"\n[models.m]\ndimensions = [{ n = 2 }]\n'
        'inputs = { "W^{(1)}" = [], W_1 = [] }\ndefinitions = ["E = W^{(1)} + 2 W_1"]\n'
        '[[steps]]\nid = "1"\nmodel = "m"\n',
        encoding="utf-8",
    )
    checker = checker_for(path)
    assert check_claim(r"\frac{\partial E}{\partial W_1} = 2", "1", checker=checker).verdict is P
    assert check_claim(r"\frac{\partial E}{\partial W_1} = 3", "1", checker=checker).verdict is F
    assert (
        check_claim(r"\frac{\partial E}{\partial W^{(1)}} = 1", "1", checker=checker).verdict is P
    )


# --- derived truths against central finite differences ---------------------------------------
LOSSES = [
    ("backprop", "neuron", "E"),
    ("backprop", "network", "E"),
    ("tanh_mse", "network", "E"),
    (str(DATA / "families.toml"), "pairs", "E"),
    (str(DATA / "families.toml"), "examples", "L"),
    (str(DATA / "named_delta.toml"), "softmax", "C"),
    (str(DATA / "constants.toml"), "classes", "E"),
    (str(DATA / "row_matrix.toml"), "matrix", "E"),
    (str(DATA / "row_matrix.toml"), "row", "E"),
    (str(DATA / "hatted.toml"), "logreg", r"\loss"),
    (str(DATA / "ng.toml"), "net", "J"),
]


@pytest.mark.parametrize(("assignment", "model", "loss"), LOSSES)
def test_derived_gradients_agree_with_finite_differences(assignment, model, loss):
    built = build_model(load_assignment(assignment), model)
    assert built.loss == loss
    assert mismatches(built, loss) == []


@pytest.mark.parametrize(
    ("node", "num", "wrt"), [(r"\delta^{(1)}", "C", "s^{(2)}"), ("g_*", "C", "W")]
)
def test_derivative_definitions_agree_with_finite_differences(node, num, wrt):
    model = build_model(load_assignment(str(DATA / "named_delta.toml")), "softmax")
    assert node_mismatches(model, node, num, wrt) == []


def test_a_wrong_derivative_is_caught_by_finite_differences(monkeypatch):
    """The cross-check can fail: with δ's values negated, it reports every dimension set."""
    model = build_model(load_assignment(str(DATA / "named_delta.toml")), "softmax")
    original = Instance.__init__

    def negated(self, model, dims):
        original(self, model, dims)
        for s in self.symbols[r"\delta^{(1)}"]:
            self.defs[s] = -self.defs[s]

    monkeypatch.setattr(Instance, "__init__", negated)
    found = node_mismatches(model, r"\delta^{(1)}", "C", "s^{(2)}")
    assert len(found) == len(model.dimension_sets)


def test_the_loss_is_the_last_scalar_definition():
    model = build_model(load_assignment(str(DATA / "named_delta.toml")), "softmax")
    assert model.loss == "C"  # not δ, defined after it
    assert isinstance(model.definitions[-2].rhs, ty.Deriv)


@pytest.mark.parametrize(
    ("step", "claim", "verdict", "message"),
    [
        ("1", r"\frac{\partial E}{\partial t} = \log(\log(1))", E, "not a real number (zoo"),
        ("3", r"E = \sqrt{-1}", E, "not a real number (I"),
        ("3", r"E = \frac{1}{x^T x - x^T x}", E, "not a real number (zoo"),
        (
            "3",
            r"E = \log(\frac{\partial z^{(2)}}{\partial W^{(2)}})",
            E,
            "log of a rank-3 derivative",
        ),
        # a sum of rank-3 derivatives is one (it raised TypeError): compared by its shape
        (
            "3",
            r"\frac{\partial z^{(2)}}{\partial x} = \sum_{k=1}^d \frac{\partial z^{(2)}}{\partial W^{(2)}}",
            F,
            "n×n×h",
        ),
    ],
)
def test_values_without_a_number_are_errors_not_internal_errors(
    backprop_checker, step, claim, verdict, message
):
    """Found by fuzzing claims against the new models (these were internal errors before)."""
    result = check_claim(claim, step=step, checker=backprop_checker)
    assert result.verdict is verdict and message in result.message, result.message
