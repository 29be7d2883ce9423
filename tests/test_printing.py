"""Values shown to people are written in the model's own notation (issue 11 §4): the names an
assignment declares (`A^{[2]}`, `(W_2)_{1,1}`, `\\hat{y}`), not SymPy's (`A2[1]`, `A_{2}`)."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from verifier.api import check_text
from verifier.check.verdicts import Verdict
from verifier.models.printing import entry_label, latex
from verifier.notation import Quantity

from .conftest import ROOT

DATA = ROOT / "tests" / "data"
BACKPROP = ROOT / "derivations" / "backprop.toml"

ENTRIES = [
    # (quantity, index, label as a course writes it)
    (Quantity("W^{(1)}", ("h", "d"), "leaf", "W^{[1]}"), (1, 2), "W^{[1]}_{1,2}"),
    (Quantity("y", ("n", 1), "leaf"), (3,), "y_{3}"),
    (Quantity("y", (), "leaf"), (), "y"),
    (Quantity("W^{(1)}", ("h", "d"), "leaf", "W_1"), (2, 1), "(W_1)_{2,1}"),
    (Quantity("v_{c}", ("d", 1), "leaf", "v_c"), (1,), "(v_c)_{1}"),
    (Quantity("E_*", ("n", 1), "family", "E_j"), (2,), "E_{2}"),
]


@pytest.mark.parametrize(("quantity", "index", "label"), ENTRIES)
def test_entry_label(quantity, index, label):
    assert entry_label(quantity, index) == label


LOGS = [
    # (value, names, LaTeX): `\log y` for a plain argument, brackets otherwise
    (sp.log(sp.Symbol("y")), {}, r"\log y"),
    (-sp.log(sp.Symbol("y2[1]")), {sp.Symbol("y2[1]"): "y^{(2)}_{1}"}, r"- \log y^{(2)}_{1}"),
    (sp.log(1 - sp.Symbol("a")), {}, r"\log\left(1 - a\right)"),
    (sp.log(sp.Symbol("a")) ** 2, {}, r"\left(\log a\right)^{2}"),
]


@pytest.mark.parametrize(("value", "names", "text"), LOGS)
def test_latex(value, names, text):
    assert latex(value, names) == text


TRUTHS = [
    # (assignment, false claim, what its true value must show, what it must not)
    (DATA / "ng.toml", r"1: $dZ^{[2]} = 0$", "A^{[2]}", r"A_\{2\}|[A-Za-z0-9]\[\d"),
    (
        DATA / "subscripts.toml",
        r"1: $\frac{\partial L}{\partial b_2} = z_2^T$",
        "z_2",  # readable: (z_2 - y)^T
        r"z2|[A-Za-z0-9]\[\d",
    ),
    (DATA / "hatted.toml", r"1: $\frac{\partial \mathcal{L}}{\partial z} = 0$", r"\hat{y}", "yhat"),
    (BACKPROP, r"1: $\frac{\partial E}{\partial t} = 0$", r"\log y", r"\\left\(y"),
    (BACKPROP, r"5: $\frac{\partial y^{(1)}_u}{\partial z^{(1)}_u} = 1$", "z^{(1)}_{1}", r"z1"),
]


@pytest.mark.parametrize(("assignment", "text", "shown", "hidden"), TRUTHS)
def test_fail_message_names_the_model_symbols(assignment, text, shown, hidden):
    (claim,) = check_text(text, "a.md", str(assignment)).claims
    assert claim.verdict is Verdict.FAIL, claim.message
    assert shown in claim.truth and shown in claim.message
    assert not re.search(hidden, claim.truth), claim.truth
