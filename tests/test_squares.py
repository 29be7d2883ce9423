"""Names written as squares (verifier/parse/squares.py): an assignment that declares `\\sigma^2`
reads `\\sigma^2` (and `\\sigma^{2}`) as that name everywhere, derivatives by it included; an
even power of σ is a power of the name, anything else needing σ itself is an error. Every true
row has a false variant beside it that must not pass."""

from __future__ import annotations

import pytest

from verifier.api import check_claim, check_text
from verifier.check.verdicts import Verdict
from verifier.models.assignment import load_assignment

from .conftest import checker_of

P, F, E, U = Verdict.PASS, Verdict.FAIL, Verdict.ERROR, Verdict.UNDECIDED
BN = "derivations/batchnorm.toml"  # σ² = (1/N) Σ (x_i − μ)², x̂_i = (x_i − μ)/√(σ² + ε)
SQUARES = "tests/data/squares.toml"  # σ_B² a name with its subscript, s² a family s²_j

DSIGMA = r"-\frac{\gamma}{2} (\sigma^2 + \epsilon)^{-3/2} \sum_{i=1}^N dy_i (x_i - \mu)"
BN_CLAIMS = [
    (r"\sigma^2 = \frac{1}{N} \sum_{i=1}^N (x_i - \mu)^2", P),
    (r"\sigma^2 = \frac{1}{N - 1} \sum_{i=1}^N (x_i - \mu)^2", F),
    (r"\sigma^{2} = \frac{1}{N} \sum_{i=1}^N x_i^2 - \mu^2", P),  # braced: the same name
    (r"\sigma^{2} = \frac{1}{N} \sum_{i=1}^N x_i^2", F),
    (r"\frac{\partial \ell}{\partial \sigma^2} = " + DSIGMA, P),
    (r"\frac{\partial \ell}{\partial \sigma^2} = " + DSIGMA.replace("-3/2", "-1/2"), F),
    (r"\frac{\partial \ell}{\partial \sigma^{2}} = " + DSIGMA, P),
    (r"\frac{\partial \ell}{\partial \sigma^{2}} = -" + DSIGMA, F),
    (r"d\sigma^2 = " + DSIGMA, P),  # d-notation: ∂ℓ/∂σ², not (dσ)²
    (r"d\sigma^2 = " + DSIGMA.replace(r"\gamma", r"\beta"), F),
    (r"\hat{x}_i = (x_i - \mu) (\sigma^2 + \epsilon)^{-1/2}", P),
    (r"\hat{x}_i = (x_i - \mu) (\sigma^2 + \epsilon)^{1/2}", F),
    # an even power of σ is a power of the name
    (r"\sigma^4 = (\sigma^2)^2", P),
    (r"\sigma^4 = \sigma^2", F),
    (r"\sigma^{-2} = \frac{1}{\sigma^2}", P),
    (r"\sigma^{-2} = \sigma^2", F),
    (r"(\sigma^2)^2 = \sigma^2 \sigma^2", P),
    (r"(\sigma^2)^2 = 2 \sigma^2", F),
    # σ itself is no name of the model: odd and fractional powers, σ alone
    (r"\sigma^3 = \sigma^2 \sigma", E),
    (r"\sigma^{1/2} = 1", E),
    (r"\sigma = \sqrt{\sigma^2}", E),
    (r"\frac{\partial \ell}{\partial \sigma} = 0", E),
]


@pytest.mark.parametrize(("claim", "verdict"), BN_CLAIMS)
def test_the_variance_is_named_sigma_squared(claim, verdict):
    result = check_claim(claim, "3", checker=checker_of(BN))
    assert result.verdict is verdict, result.message


SQUARE_CLAIMS = [
    (r"\sigma_B^2 = \frac{1}{N} \sum_{i=1}^N (x_i - \mu_B)^2", P),  # the name with its subscript
    (r"\sigma^2_B = \frac{1}{N} \sum_{i=1}^N (x_i - \mu_B)^2", P),  # either order of scripts
    (r"\sigma_B^2 = \frac{1}{N} \sum_{i=1}^N (x_i - \mu_B)", F),
    (r"\frac{\partial J}{\partial \sigma_B^2} = 1", P),
    (r"\frac{\partial J}{\partial \sigma_B^2} = 2", F),
    (r"s^2_j = \frac{1}{N} \sum_{i=1}^N (X_{ij} - m_j)^2", P),  # an entry of the family s²
    (r"s^2_j = \frac{1}{N} \sum_{i=1}^N X_{ij}^2", F),
    (r"s^2_j = \frac{1}{N} \sum_{i=1}^N X_{ij}^2 - m_j^2", P),
    (r"s_j^4 = (s^2_j)^2", P),
    (r"s_j^4 = s^2_j", F),
    (r"\sigma^2 = \sigma_B^2", E),  # σ² alone is no name here
]


@pytest.mark.parametrize(("claim", "verdict"), SQUARE_CLAIMS)
def test_a_squared_name_with_a_subscript(claim, verdict):
    result = check_claim(claim, "1", checker=checker_of(SQUARES))
    assert result.verdict is verdict, result.message


@pytest.mark.parametrize(
    ("definition", "claim", "verdict", "said"),
    [
        # σ defined in the submission beside the model's σ²: `\sigma^2` is ambiguous
        (r"\sigma := \sqrt{\sigma^2 + \epsilon}", r"\hat{x}_i = \frac{x_i - \mu}{\sigma}", P, ""),
        (
            r"\sigma := \sqrt{\sigma^2 + \epsilon}",
            r"\hat{x}_i = \frac{x_i - \mu}{\sigma^2}",
            E,
            "ambiguous",
        ),
        # a submission never names a square: `\sigma^2 := …` is a claim, checked
        (r"t := 1", r"\sigma^2 := \frac{1}{N} \sum_{i=1}^N (x_i - \mu)^2", P, ""),
        (r"t := 1", r"\sigma^2 := \frac{1}{N} \sum_{i=1}^N x_i^2", F, ""),
    ],
)
def test_a_square_beside_a_submissions_own_names(definition, claim, verdict, said):
    text = f"## 3\n\n$${definition}$$\n\n$${claim}$$\n"
    result = check_text(text, checker=checker_of(BN))
    last = [c for s in result.steps for c in s.claims][-1]
    assert last.verdict is verdict, last.message
    assert said in last.message


INPUT = """name = "sq"
layout = "denominator"
[models.m]
dimensions = [{ N = 3 }, { N = 4 }]
inputs = { x = ["N", 1], "\\\\sigma^2" = [] }
definitions = ["J = \\\\sum_{i=1}^N \\\\frac{x_i^2}{\\\\sigma^2}"]
assumptions = { "\\\\sigma^2" = "positive" }
[[steps]]
id = "1"
model = "m"
"""


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        (r"\frac{\partial J}{\partial \sigma^2} = -\frac{1}{\sigma^4} \sum_{i=1}^N x_i^2", P),
        (r"\frac{\partial J}{\partial \sigma^2} = -\frac{1}{\sigma^2} \sum_{i=1}^N x_i^2", F),
    ],
)
def test_an_input_named_as_a_square_takes_assumptions(tmp_path, claim, verdict):
    path = tmp_path / "sq.toml"
    path.write_text(INPUT, encoding="utf-8")
    assignment = load_assignment(str(path))
    assert assignment.models["m"].assumptions == {"\\sigma^2": "positive"}
    result = check_claim(claim, "1", assignment=assignment)
    assert result.verdict is verdict, result.message
