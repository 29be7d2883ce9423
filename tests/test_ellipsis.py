"""Elided terms (issue 12): `a_1 + a_2 + \\cdots + a_n` is Σ_k a_k when every written term
follows one pattern; anything else is an error, never a guess. Each true row has false
variants that must not pass."""

from __future__ import annotations

import pytest

from verifier.api import check_claim
from verifier.check.verdicts import Verdict

P, W, F, E = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR

CLAIMS = [
    # (step, claim, verdicts allowed)
    ("5", r"E = -(t_1 \log y^{(2)}_1 + \cdots + t_n \log y^{(2)}_n)", (P,)),
    ("5", r"E = -(t_1 \log y^{(2)}_1 + t_2 \log y^{(2)}_2 + \ldots + t_n \log y^{(2)}_n)", (P,)),
    ("5", r"E = - t_1 \log y^{(2)}_1 - \dots - t_n \log y^{(2)}_n", (P,)),  # one sign throughout
    ("5", r"E = - t_1 \log y^{(2)}_1 - … - t_n \log y^{(2)}_n", (P,)),  # typed as Unicode
    (
        "5",
        r"E = -(t_1 \log y^{(2)}_1 + \cdots + t_{n-1} \log y^{(2)}_{n-1} + t_n \log y^{(2)}_n)",
        (P,),
    ),
    ("5", r"E = -(t_1 \log y^{(2)}_1 + \cdots + t_n \log y^{(2)}_1)", (F,)),  # the last term wrong
    ("5", r"E = -(t_1 \log y^{(2)}_1 + \cdots + t_{n-1} \log y^{(2)}_{n-1})", (F,)),  # one short
    ("5", r"E = t_1 \log y^{(2)}_1 + \cdots + t_n \log y^{(2)}_n", (F,)),  # the sign
    ("5", r"\mathbf{1}^T y^{(2)} = y^{(2)}_1 + \cdots + y^{(2)}_n", (P,)),
    ("5", r"\mathbf{1}^T y^{(2)} = y^{(2)}_1 + \cdots + y^{(2)}_n + 1", (E,)),  # a term outside
    ("5", r"x^T x = x_1^2 + \cdots + x_d^2", (P,)),
    ("5", r"x^T x = x_1^2 + \cdots + x_d^3", (E,)),  # the terms differ beyond the index
    # a written term between must follow the pattern at its own position
    ("5", r"x^T x = x_1^2 + x_3^2 + \cdots + x_d^2", (E,)),
    ("5", r"x^T x = x_1^2 + \cdots + x_{d-2}^2 + x_d^2", (E,)),
    ("5", r"x^T x = x_1^2 + \cdots + x_1^2", (E,)),  # nothing varies
    ("5", r"x^T x = x_1^2 + \cdots + x_h^2", (E,)),  # x has d entries, not h
    ("5", r"x^T x = x_2^2 + \cdots + x_d^2", (E,)),  # a partial sum is not read
    ("5", r"x^T x = x_1^2 - \cdots + x_d^2", (E,)),  # signs differ
    ("5", r"x^T x = \cdots", (E,)),
    ("5", r"x^T x = x_1^2 + \cdots", (E,)),
]


@pytest.mark.parametrize(("step", "latex", "verdicts"), CLAIMS)
def test_elided_sum(step, latex, verdicts):
    from .test_oracle import checker

    result = check_claim(latex, step=step, checker=checker())
    assert result.verdict in verdicts, result.message
