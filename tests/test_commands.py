"""Messages for commands without a reading (issue 11 §4): "did you mean" offers only spellings
that would be read, and never turns a real LaTeX command into a different one."""

from __future__ import annotations

import pytest

from verifier.api import check_text
from verifier.check.verdicts import Verdict
from verifier.parse.commands import latex_commands, readable, unknown_command

from .conftest import ROOT

MESSAGES = [
    # (command, commands the course declares, phrases the message has, phrases it must not have)
    (r"\frca", (), ["unknown command `\\frca`", "did you mean `\\frac`?"], []),
    (r"\hatt", (), ["did you mean `\\hat`?"], ["\\right", "\\text"]),
    (r"\rigt", (), ["did you mean `\\right`"], []),
    (r"\partail", (), ["did you mean `\\partial`?"], []),
    (r"\tiems", (), ["did you mean `\\times`"], []),
    (r"\oplus", (), ["`\\oplus` is not read by this tool"], ["did you mean", "\\odot"]),
    (r"\langle", (), ["is not read by this tool"], ["did you mean"]),
    (r"\cdotp", (), ["is not read by this tool"], ["\\cdot`"]),
    (r"\hat", (), ["`\\hat` cannot be read here"], ["did you mean"]),
    (r"\softmax", (), ["\\newcommand", '[functions] "\\\\softmax"'], ["did you mean"]),
    (r"\sofmax", [r"\softmax"], ["did you mean `\\softmax`?"], []),
    (r"\sigmoid", (), ["\\newcommand"], ["\\sigma"]),
]


@pytest.mark.parametrize(("name", "declared", "has", "lacks"), MESSAGES)
def test_unknown_command_message(name, declared, has, lacks):
    message = unknown_command(name, declared)
    assert all(p in message for p in has), message
    assert not any(p in message for p in lacks), message


def test_every_suggestion_is_readable():
    """A suggestion is a command the grammar reads, so following it leads somewhere."""
    for name in sorted(latex_commands() - readable()):
        assert "did you mean" not in unknown_command(name)


DECLARED = """
[functions]
"\\\\softmax" = "softmax"
"""

CLAIMS = [
    # (step 3 claim with the course's `\softmax` declared, verdict): ∂E/∂z⁽²⁾ = (y⁽²⁾ - t)ᵀ
    (r"\frac{\partial E}{\partial z^{(2)}} = (\softmax(z^{(2)}) - t)^T", Verdict.PASS),
    (r"\frac{\partial E}{\partial z^{(2)}} = (\softmax(z^{(2)}) + t)^T", Verdict.FAIL),
    (r"\frac{\partial E}{\partial z^{(2)}} = (\softmax - t)^T", Verdict.ERROR),
]


@pytest.fixture(scope="module")
def with_softmax(tmp_path_factory):
    text = (ROOT / "derivations" / "backprop.toml").read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("a") / "softmax.toml"
    path.write_text(text.replace("[functions]\n", DECLARED.lstrip(), 1), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("claim", "verdict"), CLAIMS)
def test_declared_command_function(with_softmax, claim, verdict):
    (result,) = check_text(f"3: ${claim}$", "a.md", with_softmax).claims
    assert result.verdict is verdict, result.message


BARS = [
    # (formula, phrase): a bar outside a conditional name is said plainly
    (r"|x = 1", "or in pairs as an absolute value"),  # one bar: no conditional, no pair
    (r"\|x\| = 1", "norms `\\|x\\|` are not supported"),
    (r"x \mid y = 1", "read only in a conditional"),
]


@pytest.mark.parametrize(("formula", "phrase"), BARS)
def test_bars_outside_a_conditional(formula, phrase):
    (result,) = check_text(
        f"5: ${formula}$", "a.md", str(ROOT / "derivations" / "backprop.toml")
    ).claims
    assert result.verdict is Verdict.ERROR and phrase in result.message, result.message
