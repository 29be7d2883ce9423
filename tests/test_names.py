r"""Names a course declares: decorated (`\hat{y}`), calligraphic (`\mathcal{L}`), words
(`\text{loss}`), typefaces that leave a symbol as it is (`\mathbf{x}` is x where declared).

An undeclared decoration is never silently its base letter: ŷ is the prediction, y the target.
"""

from __future__ import annotations

import pytest

from verifier.api import check_text
from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.check.verdicts import Verdict
from verifier.models.assignment import load_assignment

from .conftest import ROOT

P, F, E = Verdict.PASS, Verdict.FAIL, Verdict.ERROR
DLDZ = r"\frac{\partial \mathcal{L}}{\partial z}"


@pytest.fixture(scope="module")
def hatted() -> Checker:
    return Checker(load_assignment(str(ROOT / "tests" / "data" / "hatted.toml")), Config())


CLAIMS = [
    # (claim in step 1, verdict): truth ∂L/∂z = ŷ - y, ∂L/∂w = (ŷ - y) x^T
    (rf"{DLDZ} = \hat{{y}} - y", P),
    (rf"{DLDZ} = \hat y - y", P),
    (rf"{DLDZ} = ŷ - y", P),
    (rf"{DLDZ} = y - \hat{{y}}", F),
    (rf"{DLDZ} = \hat{{y}} - \hat{{y}} y", F),
    (
        r"\frac{\partial \mathcal{L}}{\partial \hat{y}} = -\frac{y}{\hat{y}} + \frac{1 - y}{1 - \hat{y}}",
        P,
    ),
    (r"\frac{\partial \mathcal{L}}{\partial w} = (\hat{y} - y) \mathbf{x}^T", P),
    (r"\frac{\partial \mathcal{L}}{\partial w} = (\hat{y} - y) x^T", P),  # bold is a typeface here
    (r"\frac{\partial \mathcal{L}}{\partial w} = (y - \hat{y}) \mathbf{x}^T", F),
    (r"\frac{\partial \text{loss}}{\partial z} = \hat{y} - y", P),
    (r"\frac{\partial \text{loss}}{\partial z} = \hat{y}", F),
    # undeclared decorations and names are errors that say how to declare them
    (rf"{DLDZ} = \tilde{{y}} - y", E),
    (rf"{DLDZ} = \hat{{z}} - y", E),
    (rf"{DLDZ} = \mathcal{{Y}} - y", E),
    (rf"{DLDZ} = \text{{pred}} - y", E),
]


@pytest.mark.parametrize(("claim", "verdict"), CLAIMS)
def test_declared_names(hatted, claim, verdict):
    (got,) = check_text(f"1: $${claim}$$", path="s.md", checker=hatted).claims
    assert got.verdict is verdict, got.message


def test_undeclared_decoration_says_how_to_declare(hatted):
    (got,) = check_text(rf"1: $${DLDZ} = \tilde{{y}} - y$$", path="s.md", checker=hatted).claims
    assert "unknown symbol `\\tilde{y}`" in got.message and "lenient" in got.message


def test_a_hat_is_never_silently_its_letter(backprop_checker):
    text = r"1: $$\frac{\partial E}{\partial t} = -\log \hat{y}$$"
    (got,) = check_text(text, path="s.md", checker=backprop_checker).claims
    assert got.verdict is E and "`\\hat{y}`" in got.message


def test_bold_is_a_typeface_in_the_bundled_assignment(backprop_checker):
    text = r"1: $$\frac{\partial E}{\partial \mathbf{x}} = -t (1 - y) \mathbf{W}$$"
    (got,) = check_text(text, path="s.md", checker=backprop_checker).claims
    assert got.verdict is P, got.message
