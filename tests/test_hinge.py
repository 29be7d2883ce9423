"""The multiclass SVM hinge loss (issue 13): L = Σ_j (1 − t_j) max(0, s_j − tᵀs + 1) with a
one-hot t, declared in an assignment; its gradient with the indicator counts. A gradient that
forgets the count on the target's row, or counts the target itself, fails."""

from __future__ import annotations

import pytest

from verifier.api import check_claim
from verifier.check.verdicts import Verdict
from verifier.models.assignment import load_assignment
from verifier.models.model import build_model

from .conftest import ROOT, checker_of
from .finite_differences import mismatches

P, F = Verdict.PASS, Verdict.FAIL
DATA = "tests/data/hinge.toml"
MARGIN_J = r"\mathbb{1}(s_j - t^T s + 1 > 0)"
MARGIN_K = r"\mathbb{1}(s_k - t^T s + 1 > 0)"
COUNT = r" - t_j \sum_k (1 - t_k) " + MARGIN_K
DS, DW = r"\frac{\partial L}{\partial s_j} = ", r"\frac{\partial L}{\partial W_{jm}} = "
DWY = r"\frac{\partial L}{\partial W_{ym}} = "

CLAIMS = [
    # the loss, CS231n's way (y the target's class) and with the one-hot t
    (r"L = \sum_{j \neq y} \max(0, s_j - s_y + 1)", P),
    (r"L = \sum_{j} \max(0, s_j - s_y + 1)", F),  # the target's own term (always 1) counted
    (r"L = \sum_j (1 - t_j) \max(0, s_j - t^T s + 1)", P),
    (r"L = \sum_j \max(0, s_j - t^T s)", F),  # no margin
    # its gradient: a count of the margins violated on the target's row
    (DS + "(1 - t_j)" + MARGIN_J + COUNT, P),
    (DS + "(1 - t_j)" + MARGIN_J, F),  # the count term missing
    (DW + "((1 - t_j)" + MARGIN_J + COUNT + ") x_m", P),
    (DW + "(1 - t_j)" + MARGIN_J + " x_m", F),
    (DW + "((1 - t_j)" + MARGIN_J + COUNT + ") x_m t_j", F),  # only the target's row
    (DWY + r"-\sum_{k \neq y} \mathbb{1}(s_k - s_y + 1 > 0) x_m", P),
    (DWY + r"-\sum_{k} \mathbb{1}(s_k - s_y + 1 > 0) x_m", F),  # counts the target itself
    (DWY + r"-x_m", F),
    (DW + r"\mathbb{1}(s_j - s_y + 1 > 0) x_m \quad \text{for } j \neq y", P),
    (DW + r"x_m \quad \text{for } j \neq y", F),  # the indicator forgotten
]


@pytest.mark.parametrize(("claim", "verdict"), CLAIMS)
def test_hinge_claims(claim, verdict):
    result = check_claim(claim, "1", checker=checker_of(DATA))
    assert result.verdict is verdict, result.message


def test_a_pass_is_checked_on_both_sides_of_every_margin():
    result = check_claim(DS + "(1 - t_j)" + MARGIN_J + COUNT, "1", checker=checker_of(DATA))
    assert "each side of each met at every dimension set" in result.message


def test_derived_gradients_agree_with_finite_differences():
    model = build_model(load_assignment(str(ROOT / DATA)), "svm")
    assert mismatches(model, "L", seed=7) == []
