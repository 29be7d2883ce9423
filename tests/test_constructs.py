"""Constructs found in real derivations (the issue 11 corpus), each with false variants that must
not pass: a sign straight after `\\sum` starts its body; `\\cdot` between two vectors beside a
scalar is their dot product."""

from __future__ import annotations

import pytest

from verifier.api import check_claim
from verifier.check.verdicts import Verdict

P, W, F, E = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR
DZ2I = r"\frac{\partial E}{\partial z^{(2)}_i}"  # step 2: y_i - t_i (t one-hot)

CLAIMS = [
    # (step, claim, verdicts allowed)
    # Σ_j (−t_j/y_j) y_j (δ_ij − y_i) = −t_i + y_i Σ_j t_j = y_i − t_i
    (
        "2",
        DZ2I + r" = \sum_{j=1}^n -\frac{t_j}{y^{(2)}_j} y^{(2)}_j (\delta_{ij} - y^{(2)}_i)",
        (P, W),
    ),
    (
        "2",
        DZ2I + r" = \sum_{j=1}^n -\frac{t_j}{y^{(2)}_j} y^{(2)}_j (\delta_{ij} + y^{(2)}_i)",
        (F,),
    ),
    (
        "2",
        DZ2I + r" = \sum_{j=1}^n \frac{t_j}{y^{(2)}_j} y^{(2)}_j (\delta_{ij} - y^{(2)}_i)",
        (F,),
    ),
    # the sign belongs to the body only: Σ_j (−t_j) + 1 = 0 for a one-hot t
    ("5", r"\sum_{j=1}^n - t_j + 1 = 0", (P, W)),
    ("5", r"\sum_{j=1}^n - t_j + 1 = 2", (F,)),
    ("5", r"2 \sum_{j=1}^n - t_j = -2", (P, W)),
    ("5", r"-\sum_{j=1}^n t_j = -1", (P, W)),
    # `\cdot` between two vectors inside a sum beside a scalar: the dot product, said so
    ("5", r"x^T x + 1 = x \cdot x + 1", (W,)),
    ("5", r"x^T x + 1 = x \cdot x + 2", (F,)),
    ("5", r"x^T x + 1 = 2 x \cdot x + 1", (F,)),
    ("5", r"y^{(1)T} y^{(1)} - 1 = y^{(1)} \cdot y^{(1)} - 1", (W,)),
    # beside a vector `\cdot` stays elementwise; two readings never rescue a false claim
    ("5", r"x \odot x = x \cdot x", (W,)),
    ("5", r"x \odot x + 1 = x \cdot x", (F, E)),
]


@pytest.mark.parametrize(("step", "latex", "verdicts"), CLAIMS)
def test_construct(step, latex, verdicts):
    from .test_oracle import checker

    result = check_claim(latex, step=step, checker=checker())
    assert result.verdict in verdicts, result.message
