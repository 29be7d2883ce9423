"""Matrix literals (issue 12): entries written out, or elided with `\\vdots`, `\\cdots` and
`\\ddots` in a pattern read from the written entries. Each true row has false variants."""

from __future__ import annotations

import pytest

from verifier.api import check_claim
from verifier.check.verdicts import Verdict

P, W, F, E = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR


def _d(of: str, at: str) -> str:
    return rf"\frac{{\partial {of}}}{{\partial {at}}}"


DW1 = _d("E", "W^{(1)}")  # step 7, an h×d matrix in any layout


def _grid(first: str, last_col: str, last_row: str, last: str, env: str = "bmatrix") -> str:
    return (
        rf"\begin{{{env}}} {first} & \cdots & {last_col} \\ \vdots & \ddots & \vdots \\ "
        rf"{last_row} & \cdots & {last} \end{{{env}}}"
    )


E11, E1D = _d("E", "W^{(1)}_{11}"), _d("E", "W^{(1)}_{1d}")
EH1, EHD = _d("E", "W^{(1)}_{h1}"), _d("E", "W^{(1)}_{hd}")

CLAIMS = [
    # (step, claim, verdicts allowed)
    (
        "5",
        r"y^{(2)} - t = \begin{pmatrix} y^{(2)}_1 - t_1 \\ \vdots \\ y^{(2)}_n - t_n \end{pmatrix}",
        (P,),
    ),
    (
        "5",
        r"y^{(2)} - t = \begin{pmatrix} y^{(2)}_1 - t_1 \\ ⋮ \\ y^{(2)}_n - t_n \end{pmatrix}",
        (P,),
    ),
    (
        "5",
        r"y^{(2)} - t = \begin{pmatrix} y^{(2)}_1 - t_1 \\ \vdots \\ y^{(2)}_n + t_n \end{pmatrix}",
        (E,),
    ),
    (
        "5",
        r"y^{(2)} + t = \begin{pmatrix} y^{(2)}_1 - t_1 \\ \vdots \\ y^{(2)}_n - t_n \end{pmatrix}",
        (F,),
    ),
    (
        "5",
        r"y^{(2)} - t = \begin{pmatrix} y^{(2)}_1 - t_1 & \cdots & y^{(2)}_n - t_n \end{pmatrix}",
        (F,),
    ),  # a row
    (
        "5",
        r"(y^{(2)} - t)^T = \begin{bmatrix} y^{(2)}_1 - t_1 & \cdots & y^{(2)}_n - t_n \end{bmatrix}",
        (P,),
    ),
    ("5", r"x = \begin{bmatrix} x_1 \\ x_2 \\ \vdots \\ x_d \end{bmatrix}", (P,)),
    ("5", r"x = \begin{bmatrix} x_1 \\ x_3 \\ \vdots \\ x_d \end{bmatrix}", (E,)),
    (
        "5",
        r"y^{(2)} = \begin{bmatrix} y^{(2)}_1 \\ \vdots \\ y^{(2)}_h \end{bmatrix}",
        (E,),
    ),  # n, not h
    ("5", r"y^{(2)} = \begin{bmatrix} y^{(2)}_1 \\ \vdots \\ y^{(2)}_{n-1} \end{bmatrix}", (E,)),
    ("5", r"x = \begin{bmatrix} x_1 \\ \vdots \end{bmatrix}", (E,)),
    # an elided matrix from its corners (numerator layout: ∂E/∂W has W's shape, h×d)
    ("7", DW1 + " = " + _grid(E11, E1D, EH1, EHD), (P,)),
    ("7", DW1 + " = " + _grid(E11, E1D, EH1, EHD, "pmatrix"), (P,)),
    ("7", DW1 + " = " + _grid(E11 + " & " + _d("E", "W^{(1)}_{12}"), E1D, EH1, EHD), (P,)),
    ("7", DW1 + " = " + _grid(E11 + " & " + _d("E", "W^{(1)}_{21}"), E1D, EH1, EHD), (E,)),
    (
        "7",
        DW1
        + " = "
        + _grid(E11, _d("E", "W^{(1)}_{1h}"), _d("E", "W^{(1)}_{d1}"), _d("E", "W^{(1)}_{dh}")),
        (E,),
    ),
    ("7", DW1 + " = " + _grid(E11, E1D, EH1, _d("E", "W^{(1)}_{dh}")), (E,)),
    (
        "7",
        DW1 + " = " + _grid("W^{(1)}_{11}", "W^{(1)}_{1d}", "W^{(1)}_{h1}", "W^{(1)}_{hd}"),
        (F,),
    ),
    (
        "7",
        "W^{(1)} = " + _grid("W^{(1)}_{11}", "W^{(1)}_{1d}", "W^{(1)}_{h1}", "W^{(1)}_{hd}"),
        (P,),
    ),
    (
        "7",
        "W^{(1)T} = " + _grid("W^{(1)}_{11}", "W^{(1)}_{1d}", "W^{(1)}_{h1}", "W^{(1)}_{hd}"),
        (F,),
    ),
    # written out: fixed sizes, checked as they are
    ("1", r"\begin{pmatrix} 1 & 2 \end{pmatrix} \begin{pmatrix} 3 \\ 4 \end{pmatrix} = 11", (P,)),
    ("1", r"\begin{pmatrix} 1 & 2 \end{pmatrix} \begin{pmatrix} 3 \\ 4 \end{pmatrix} = 10", (F,)),
    (
        "1",
        r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}^T = \begin{bmatrix} 1 & 3 \\ 2 & 4 \end{bmatrix}",
        (P,),
    ),
    (
        "1",
        r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}^T = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}",
        (F,),
    ),
    ("1", r"\begin{pmatrix} 1 & 2 \\ 3 \end{pmatrix} = 0", (E,)),  # an empty cell
    ("1", r"\begin{pmatrix} 1 ; 2 \end{pmatrix} = 0", (E,)),
    ("1", r"\begin{vmatrix} 1 & 2 \\ 3 & 4 \end{vmatrix} = -2", (E,)),  # determinants: not read
    ("5", r"x = \begin{pmatrix} x \end{pmatrix}", (E,)),  # entries are scalars
]


@pytest.mark.parametrize(("step", "latex", "verdicts"), CLAIMS)
def test_matrix_literal(step, latex, verdicts):
    from .test_oracle import checker

    result = check_claim(latex, step=step, checker=checker())
    assert result.verdict in verdicts, result.message
