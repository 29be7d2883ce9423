"""Implied (Einstein) summation, an assignment option (`notation.summation = "einstein"`,
tests/data/einstein.toml): an index written in two factors of a product is summed; in one
factor it is free; in three it is an error. Without the option nothing is summed unasked."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.api import check_claim
from verifier.check.verdicts import Verdict

P, W, F, E = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR
EINSTEIN = str(Path(__file__).parent / "data" / "einstein.toml")


def _d(of: str, at: str) -> str:
    return rf"\frac{{\partial {of}}}{{\partial {at}}}"


CLAIMS = [
    # (claim, verdicts allowed)
    (r"z_i = W_{ij} x_j", (P,)),
    (r"z_i = W_{ij} x_j + 1", (F,)),
    (r"z_i = 2 W_{ij} x_j", (F,)),
    (r"z_i = W_{ji} x_j", (E,)),  # j runs over n in W_{ji}, over d in x
    (r"E = -t_k \log y_k", (P,)),
    (r"E = t_k \log y_k", (F,)),
    (r"E = -\sum_{k=1}^n t_k \log y_k", (P,)),  # an explicit sum is not summed again
    (r"E = -t_k \log y_j", (E,)),  # nothing repeated: free indices differ
    (r"1 = t_k t_k", (P,)),  # t one-hot
    (r"2 = t_k t_k", (F,)),
    (r"1 = t_k t_k t_k", (E,)),  # three factors: not the convention
    # the chain rule written with the convention
    (_d("E", "z_i") + " = " + _d("E", "y_k") + _d("y_k", "z_i"), (P,)),
    # the softmax Jacobian is symmetric: ∂y_i/∂z_k for ∂y_k/∂z_i is no mistake
    (_d("E", "z_i") + " = " + _d("E", "y_k") + _d("y_i", "z_k"), (P,)),
    (_d("E", "z_i") + " = " + _d("E", "y_k") + _d("y_k", "z_k"), (F,)),
    (_d("E", "W_{ij}") + " = " + _d("E", "z_k") + _d("z_k", "W_{ij}"), (P,)),
    (_d("E", "W_{ij}") + " = " + _d("E", "z_k") + _d("z_k", "W_{ji}"), (E,)),
    (_d("E", "W_{ij}") + " = (y_i - t_i) x_j", (P,)),  # a sum is one factor: i stays free
    (_d("E", "W_{ij}") + " = (y_i + t_i) x_j", (F,)),
    # i in both factors is summed under the convention: Σ_i (∂E/∂z_i) x_j is not ∂E/∂W_ij
    (_d("E", "W_{ij}") + " = " + _d("E", "z_i") + _d("z_i", "W_{ij}"), (F, E)),
]


@pytest.mark.parametrize(("latex", "verdicts"), CLAIMS)
def test_implied_summation(latex, verdicts):
    result = check_claim(latex, step="1", assignment=EINSTEIN)
    assert result.verdict in verdicts, result.message


@pytest.mark.parametrize(
    "latex",
    [r"z_i = W_{ij} x_j", r"E = -t_k \log y_k"],
)
def test_without_the_option_nothing_is_summed(tmp_path, latex):
    """The same claims in a course without the convention: the repeated index stays free,
    so the claim is not read as a sum (never a pass)."""
    plain = tmp_path / "plain.toml"
    plain.write_text(Path(EINSTEIN).read_text().replace('summation = "einstein"', ""))
    result = check_claim(latex, step="1", assignment=str(plain))
    assert result.verdict not in (P, W), result.message
