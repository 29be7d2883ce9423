"""Correct rewrites must pass (or warn, naming the reading); value-changing mutations must not."""

from __future__ import annotations

import pytest

from verifier.api import check_claim
from verifier.check.verdicts import Verdict

P, W, F, E = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR

DEDT = r"\frac{\partial E}{\partial t}"
DGDZ = r"\frac{\partial g(z)}{\partial z}"
DEDZ2 = r"\frac{\partial E}{\partial z^{(2)}}"
DEDY1 = r"\frac{\partial E}{\partial y^{(1)}}"
DEDW2 = r"\frac{\partial E}{\partial W^{(2)}}"
DEDW2UV = r"\frac{\partial E}{\partial W_{uv}^{(2)}}"
DEDZ1 = r"\frac{\partial E}{\partial z^{(1)}}"
D = r"\text{diag}(y^{(1)} \odot (1 - y^{(1)}))"

REWRITES = [
    ("1", rf"{DEDT} = -\log G(Wx)", P),
    ("1", rf"{DEDT} = \log(1 + e^{{-Wx}})", P),
    ("1", r"\frac{\partial E}{\partial x} = -t(1 - G(Wx)) W", P),
    ("1", r"\frac{\partial E}{\partial x} = -t(1 - y) x^T", F),  # x for W: wrong vector
    ("5", rf"{DGDZ} = \frac{{e^{{z}}}}{{(1+e^{{z}})^2}}", P),
    ("5", rf"{DGDZ} = \frac{{e^{{-z}}}}{{(1+e^{{-z}})^2}}", P),
    ("5", rf"{DGDZ} = g(z)(1 - g(z))", P),
    ("5", r"g'(z) = \sigma(z) - \sigma(z)^2", P),
    ("3", rf"{DEDZ2} = (y^{{(2)}} - t)^T", P),
    ("3", rf"{DEDZ2} = y^{{(2)}} - t", W),  # the other layout
    ("3", rf"{DEDY1} = (y^{{(2)}} - t)^T W^{{(2)}}", P),
    ("3", rf"{DEDY1} = W^{{(2)T}} (y^{{(2)}} - t)", W),  # denominator layout
    ("4", rf"{DEDW2} = (y^{{(2)}} - t) y^{{(1)T}}", P),
    ("4", rf"{DEDW2} = (y^{{(2)}} - t) (y^{{(1)}})^\top", P),
    ("4", rf"{DEDW2} = y^{{(1)}} (y^{{(2)}} - t)^T", W),  # transpose of the whole result
    ("4", rf"{DEDW2UV} = (y_u^{{(2)}} - t_u) y_v^{{(1)}}", P),
    ("4", rf"{DEDW2UV} = \sum_j (y_j^{{(2)}} - t_j) \delta_{{ju}} y_v^{{(1)}}", P),
    ("6", rf"{DEDZ1} = (y^{{(2)}} - t)^T W^{{(2)}} {D}", P),
    ("6", rf"{DEDZ1} = ((y^{{(2)}} - t)^T W^{{(2)}}) \odot (y^{{(1)}} \odot (1 - y^{{(1)}}))^T", P),
]

MUTATIONS = [
    ("1", rf"{DEDT} = \log G(Wx)", F, "sign"),  # sign flip
    ("1", rf"{DEDT} = -2\log G(Wx)", F, "factor"),  # constant factor
    ("5", rf"{DGDZ} = g(z)(1 + g(z))", F, ""),  # wrong activation derivative
    ("5", rf"{DGDZ} = g(z)", F, ""),  # dropped factor
    ("5", rf"{DGDZ} = \frac{{e^{{-z}}}}{{(1+e^{{-z}})^3}}", F, ""),  # changed exponent
    ("3", rf"{DEDZ2} = -(y^{{(2)}} - t)^T", F, "sign"),
    ("3", rf"{DEDZ2} = (y^{{(2)}} + t)^T", F, ""),
    ("3", rf"{DEDZ2} = y^{{(2)T}}", F, ""),  # dropped term
    ("4", rf"{DEDW2} = (y^{{(2)}} - t) x^T", F, "n×d"),  # wrong vector: n×d is not n×h
    ("4", rf"{DEDW2UV} = (y_u^{{(2)}} - t_u) y_u^{{(1)}}", E, "index"),  # u runs over n, not h
    ("4", rf"{DEDW2UV} = (y_v^{{(2)}} - t_v) y_u^{{(1)}}", E, "u running over h"),  # swapped
    ("6", rf"{DEDZ1} = (y^{{(2)}} - t)^T W^{{(2)}}", F, ""),  # dropped diag factor
    ("6", rf"{DEDZ1} = (y^{{(2)}} - t)^T W^{{(2)}} \text{{diag}}(y^{{(1)}})", F, ""),
    ("2", r"y^{(1)} = G(z^{(2)})", F, "n×1"),  # wrong node: h×1 vs n×1 cannot be equal
    ("2", r"z^{(2)} = W^{(2)} x", E, ""),  # ill-formed product n×h by d×1
]


@pytest.mark.parametrize(("step", "latex", "verdict"), REWRITES)
def test_rewrite(backprop_checker, step, latex, verdict):
    result = check_claim(latex, step=step, checker=backprop_checker)
    assert result.verdict is verdict, result.message


@pytest.mark.parametrize(("step", "latex", "verdict", "phrase"), MUTATIONS)
def test_mutation_never_passes(backprop_checker, step, latex, verdict, phrase):
    result = check_claim(latex, step=step, checker=backprop_checker)
    assert result.verdict is verdict, result.message
    assert phrase in result.message


def test_transposed_factor_inside_a_product_fails(backprop_checker):
    """W^{(2)T} for W^{(2)} in a well-formed square product is false, not a layout warning."""
    latex = rf"{DEDZ1} = (y^{{(2)}} - t)^T W^{{(2)}} {D}^T"  # diag is symmetric: still true
    assert check_claim(latex, step="6", checker=backprop_checker).verdict is P
    wrong = r"\frac{\partial y^{(1)}}{\partial z^{(1)}} = \text{diag}(y^{(1)}) \mathbf{1}"
    assert check_claim(wrong, step="5", checker=backprop_checker).verdict is not P


def test_constant_factor_hint_is_exact_or_decimal(backprop_checker):
    result = check_claim(r"z = \frac{z}{10000}", step="5", checker=backprop_checker)
    assert "off by a constant factor 0.0001" in result.message


@pytest.mark.parametrize(
    ("latex", "verdict"),
    [
        (r"\frac{dg}{dz} = g(z)(1-g(z))", P),  # the function itself, at the variable
        (r"\frac{\partial g}{\partial z} = g(z)(1-g(z))", P),
        (r"\frac{dg}{dz} = g(z)", F),
        (r"\frac{d\sigma}{dz^{(1)}} = \text{diag}(y^{(1)} \odot (1-y^{(1)}))", P),
    ],
)
def test_derivative_of_a_bare_function(backprop_checker, latex, verdict):
    assert check_claim(latex, step="5", checker=backprop_checker).verdict is verdict
