"""Definitions a student makes (issue 12): a name the model does not know, defined with `:=`
(or `=` after "Let", "where", ...), stands for its right side in later claims; a definition
never redefines a model name, and a definition used later is checked as what it stands for."""

from __future__ import annotations

import pytest

from verifier.api import check_text
from verifier.check.grading import Grader
from verifier.check.verdicts import Verdict

from .test_flat import GOOD, SLOW, _checker

N, P, W, F, E = Verdict.NOTE, Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR
DZ2 = r"\frac{\partial E}{\partial z^{(2)}}"  # step 3: (y - t)^T
DW2 = r"\frac{\partial E}{\partial W^{(2)}}"  # step 4: (y - t) y^{(1)T}

CLAIMS = [
    # (text, one paragraph per ¶; verdicts in order)
    (rf"Let $\delta = y^{{(2)}} - t$.¶$${DZ2} = \delta^T$$", [N, P]),
    (rf"Let $\delta = y^{{(2)}} - t$.¶$${DZ2} = -\delta^T$$", [N, F]),  # used, it is checked
    (rf"where $\delta = y^{{(2)}} + t$¶$${DZ2} = \delta^T$$", [N, F]),  # a wrong definition
    (rf"$$\delta := y^{{(2)}} - t$$¶$${DW2} = \delta y^{{(1)T}}$$", [N, P]),
    (rf"$$\delta \coloneqq y^{{(2)}} - t$$¶$${DW2} = \delta y^{{(1)T}}$$", [N, P]),
    (rf"$$\delta \triangleq y^{{(2)}} - t$$¶$${DW2} = \delta_i y^{{(1)}}_j$$", [N, E]),
    # the rest of a defining chain is checked against the definition
    (rf"$$\delta := {DZ2} = (y^{{(2)}} - t)^T$$", [N, P]),
    (rf"$$\delta := {DZ2} = (y^{{(2)}} + t)^T$$", [N, F]),
    # a model name is never defined by a student: a claim, checked
    (r"$$z^{(2)} := 5$$", [F]),
    (r"Let $z^{(2)} = W^{(2)} y^{(1)}$.", [P]),
    # plain `=` with an unknown name and no "let": an error, as before
    (rf"$$\delta = y^{{(2)}} - t$$¶$${DZ2} = \delta^T$$", [E, E]),
    # defined again: later claims use the last definition
    (rf"$$\delta := t$$¶$$\delta := y^{{(2)}} - t$$¶$${DZ2} = \delta^T$$", [N, N, P]),
    # an entry of a defined vector
    (r"$$\delta := y^{(2)} - t$$¶$$\delta_1 = y^{(2)}_1 - t_1$$", [N, P]),
    (r"$$\delta := y^{(2)} - t$$¶$$\delta_1 = y^{(2)}_1 + t_1$$", [N, F]),
    # in prose: "Denote A by B", "write A as B"
    (rf"Denote $y^{{(2)}} - t$ by $\delta$.¶$${DZ2} = \delta^T$$", [N, P]),
    (rf"Denote $y^{{(2)}} + t$ by $\delta$.¶$${DZ2} = \delta^T$$", [N, F]),
    (rf"We write $y^{{(2)}} - t$ as $\delta$, so $${DZ2} = \delta^T$$", [N, P]),
    (r"Denote $y^{(2)} - t$ by $z^{(2)}$.", [F]),  # a model name: a claim (z := y - t), false
    # a definition with a free index is not read
    (r"$$\delta := y^{(2)}_j - t_j$$", [E]),
]


@pytest.mark.parametrize(("text", "verdicts"), CLAIMS)
def test_definitions(backprop_checker, text, verdicts):
    result = check_text("3: " + text.replace("¶", "\n\n"), "a.md", checker=backprop_checker)
    assert [c.verdict for c in result.claims] == verdicts, [c.message for c in result.claims]


def test_a_definition_of_the_target_does_not_state_it(backprop_checker):
    """`δ := ∂E/∂W` then `∂E/∂W = δ` is true, but states no closed form of the target."""
    text = f"4: $$\\delta := {DW2}$$\n\n$${DW2} = \\delta$$\n"
    result = check_text(text, "a.md", checker=backprop_checker)
    assert [c.verdict for c in result.claims] == [N, P]
    step = next(s for s in Grader(backprop_checker).grade(result).steps if s.id == "4")
    assert step.status == "incomplete"


def test_a_replacement_child_knows_the_names_defined_before():
    """The child is killed on a slow claim; the next one still reads δ."""
    text = (
        f"5: $$\\delta := {GOOD}$$\n\n$$g(z) = {SLOW}$$\n\n$$g(z) = \\delta$$\n\n"
        f"$$g(z) = 2 \\delta$$\n"
    )
    result = check_text(text, checker=_checker(1.0))
    assert [c.verdict.value for c in result.claims] == ["note", "undecided", "pass", "fail"]


def test_an_unlabelled_definition_that_fits_two_models_asks_for_a_label(backprop_checker):
    (claim,) = check_text("$$\\delta := y$$\n", "a.md", checker=backprop_checker).claims
    assert claim.verdict is E and "fits several models" in claim.message, claim.message


THROUGH = [
    # (step 3 text, verdicts): a derivative by a defined name, through the model's computation
    (
        r"Let $\theta = W^{(2)} y^{(1)}$.¶$$\frac{\partial E}{\partial \theta} = (y^{(2)} - t)^T$$",
        [N, P],
    ),
    (
        r"Let $\theta = W^{(2)} y^{(1)}$.¶$$\frac{\partial E}{\partial \theta} = (y^{(2)} + t)^T$$",
        [N, F],
    ),
    (
        r"Let $\theta = W^{(2)} y^{(1)}$.¶$$\frac{\partial E}{\partial \theta_i} = y^{(2)}_i - t_i$$",
        [N, P],
    ),
    (
        r"Let $\theta = W^{(2)} y^{(1)}$.¶$$\frac{\partial \theta}{\partial y^{(1)}} = W^{(2)}$$",
        [N, P],
    ),
    # written another way than the model computes it: no meaning, an error
    (r"Let $\theta = 2 W^{(2)} y^{(1)}$.¶$$\frac{\partial E}{\partial \theta} = 0$$", [N, E]),
    (r"Let $\theta = y^{(1)T} W^{(2)T}$.¶$$\frac{\partial E}{\partial \theta} = 0$$", [N, E]),
]


@pytest.mark.parametrize(("text", "verdicts"), THROUGH)
def test_a_derivative_by_a_defined_name(backprop_checker, text, verdicts):
    result = check_text("3: " + text.replace("¶", "\n\n"), "a.md", checker=backprop_checker)
    assert [c.verdict for c in result.claims] == verdicts, [c.message for c in result.claims]


@pytest.mark.parametrize("text", [r"3: $\text{err} := y^{(2)} - t$", r"3: $$\text{err} := y - t$$"])
def test_a_word_defined_is_said_to_be_prose(backprop_checker, text):
    """`\\text{err}` is prose unless the course declares it: the definition is an error that
    says how to name it, not a silent nothing."""
    (claim,) = check_text(text, "a.md", checker=backprop_checker).claims
    assert claim.verdict is Verdict.ERROR
    assert "a definition names a symbol" in claim.message
