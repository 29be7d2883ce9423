"""Functions of several arguments an assignment defines once (`formulas`, issue 13):
`\\text{CE}(y, \\hat{y})`, `\\text{BCE}`, `\\text{MSE}`, and `H(A, Y)` applying CE. Definitions
and claims apply them; arguments swapped fail (never pass), wrong shapes or counts are errors."""

from __future__ import annotations

import pytest

from verifier.api import check_claim
from verifier.check.verdicts import Verdict
from verifier.models.assignment import load_assignment
from verifier.models.model import build_model

from .conftest import ROOT, checker_of
from .finite_differences import mismatches

P, F, E = Verdict.PASS, Verdict.FAIL, Verdict.ERROR
DATA = "tests/data/losses.toml"
SOFTMAX, LOGISTIC, REGRESSION = "1", "2", "3"
DZ = r"\frac{\partial L}{\partial z} = "

CLAIMS = [
    (SOFTMAX, r"L = \text{CE}(t, y)", P),
    (SOFTMAX, r"L = \mathrm{CE}(t, y)", P),
    (SOFTMAX, r"L = \operatorname{CE}(t, y)", P),
    (SOFTMAX, r"L = -\sum_k t_k \log y_k", P),
    (SOFTMAX, r"L = \text{CE}(y, t)", F),  # arguments swapped
    (SOFTMAX, r"L = H(y, t)", P),  # H(A, Y) = CE(Y, A)
    (SOFTMAX, r"L = H(t, y)", F),
    (SOFTMAX, r"L = \text{BCE}(t, y)", F),  # another loss
    (SOFTMAX, DZ + "(y - t)^T", P),
    (SOFTMAX, DZ + "(t - y)^T", F),
    (SOFTMAX, r"\frac{\partial \text{CE}(t, y)}{\partial z} = (y - t)^T", P),
    (SOFTMAX, r"\frac{\partial \text{CE}(y, t)}{\partial z} = (y - t)^T", F),
    (LOGISTIC, r"L = \text{BCE}(t, y)", P),
    (LOGISTIC, r"L = \text{BCE}(y, t)", F),
    (LOGISTIC, DZ + "(y - t)^T", P),
    (LOGISTIC, DZ + "(t - y)^T", F),
    (REGRESSION, r"L = \frac{1}{n} \text{MSE}(t, z)", P),
    (REGRESSION, r"L = \frac{1}{n} \text{MSE}(z, t)", P),  # MSE is symmetric: truly equal
    (REGRESSION, r"L = \text{MSE}(t, z)", F),
    (REGRESSION, r"\frac{\partial L}{\partial W} = \frac{1}{n} (z - t) x^T", P),
    (REGRESSION, r"\frac{\partial L}{\partial W} = (z - t) x^T", F),
    # argument shapes and counts
    (SOFTMAX, r"L = \text{CE}(t, x)", E),  # n×1 and d×1
    (SOFTMAX, r"L = \text{CE}(t, W)", E),
    (SOFTMAX, r"L = \text{CE}(t)", E),
    (SOFTMAX, r"L = \text{CE}(t, y, y)", E),
    (SOFTMAX, r"L = \text{CE}", E),
]


@pytest.mark.parametrize(("step", "claim", "verdict"), CLAIMS)
def test_formula_claims(step, claim, verdict):
    result = check_claim(claim, step, checker=checker_of(DATA))
    assert result.verdict is verdict, result.message


@pytest.mark.parametrize(
    ("claim", "phrase"),
    [
        (r"L = \text{CE}(t, x)", r"`\text{CE}` of (n×1, d×1)"),
        (r"L = \text{CE}(t)", r"`\text{CE}` takes 2 arguments, not 1"),
    ],
)
def test_a_call_that_does_not_fit_says_why(claim, phrase):
    result = check_claim(claim, SOFTMAX, checker=checker_of(DATA))
    assert phrase in result.message, result.message


@pytest.mark.parametrize(
    ("model", "loss"), [("softmax", "L"), ("logistic", "L"), ("regression", "L")]
)
def test_derived_gradients_agree_with_finite_differences(model, loss):
    built = build_model(load_assignment(str(ROOT / DATA)), model)
    assert mismatches(built, loss, seed=11) == []
