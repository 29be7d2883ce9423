"""Conditions and cases (issue 12): a conditional claim is checked only where its condition
holds; a wrong case fails; a condition that (almost) never holds is undecided, never a pass; a
step's target is stated by conditional claims only when their conditions cover every case."""

from __future__ import annotations

import pytest

from verifier.api import check_text
from verifier.check.conditions import read_condition
from verifier.check.grading import Grader
from verifier.check.verdicts import Verdict

P, W, F, E, U = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR, Verdict.UNDECIDED
J = r"\frac{\partial y^{(2)}_i}{\partial z^{(2)}_j}"  # softmax Jacobian: y_i (δ_ij - y_j)
DIAG = r"y^{(2)}_i (1 - y^{(2)}_i)"
OFF = r"-y^{(2)}_i y^{(2)}_j"

CLAIMS = [
    # (step 5 text, ¶ for a paragraph break; verdict of each claim in order)
    (rf"$${J} = {DIAG} \quad i = j$$", [P]),
    (rf"$${J} = {DIAG} \quad \text{{if }} i = j$$", [P]),
    (rf"$${J} = {OFF} \quad i \neq j$$", [P]),
    (rf"$${J} = {OFF} \quad i < j$$", [P]),
    (rf"$${J} = {OFF} \quad i = j$$", [F]),  # the wrong case
    (rf"$${J} = {DIAG} \quad i \neq j$$", [F]),
    (rf"$${J} = {DIAG}$$", [F]),  # without its condition: false at i ≠ j
    (rf"$${J} = 0 \quad i = 9$$", [U]),  # never holds at the model's sizes: undecided
    (rf"$${J} = 0 \quad i = 5$$", [U]),  # holds at one dimension set only (n = 5)
    # `t_j = 1` (t is the model's input) is a statement of its own, not a condition on indices
    (rf"$${J} = {DIAG} \quad t_j = 1$$", [F, Verdict.NOTE]),
    (rf"$${J} = {DIAG} \quad \text{{if }} y_j = 1$$", [E]),  # a condition on values: not read
    (rf"$${J} = {DIAG} \quad k = 1$$", [E]),  # k is no index of the left side
    # cases: each row is a conditional claim; `otherwise` is none of the rows before it
    (rf"$${J} = \begin{{cases}} {DIAG} & i = j \\ {OFF} & i \neq j \end{{cases}}$$", [P, P]),
    (
        rf"$${J} = \begin{{cases}} {DIAG} & i = j \\ {OFF} & \text{{otherwise}} \end{{cases}}$$",
        [P, P],
    ),
    (rf"$${J} = \begin{{cases}} {DIAG} & i = j \\ {DIAG} & i \neq j \end{{cases}}$$", [P, F]),
    (
        rf"$${J} = \begin{{cases}} {OFF} & i = j \\ {OFF} & \text{{otherwise}} \end{{cases}}$$",
        [F, P],
    ),
    (
        rf"$${J} = \begin{{cases}} {DIAG} & \text{{if }} i = j, \\ {OFF} & \text{{if }} i \neq j. \end{{cases}}$$",
        [P, P],
    ),
    # a condition alone in prose holds for the claims after it that carry its indices
    (rf"For the case $i = j$:¶$${J} = {DIAG}$$", [P]),
    (rf"For the case $i = j$:¶$${J} = {OFF}$$", [F]),
    (rf"For $i = j$:¶$${J} = {DIAG}$$¶For $i \neq j$:¶$${J} = {OFF}$$", [P, P]),
    (rf"For $i = j$:¶$${J} = {DIAG}$$¶Otherwise, $\text{{otherwise}}$:¶$${J} = {OFF}$$", [P, P]),
    (r"For $i = j$:¶$$E = -\sum_j t_j \log y^{(2)}_j$$", [P]),  # no i: not restricted
    (rf"$$i = j$$¶$${J} = {DIAG}$$", [E, F]),  # displayed alone: said, and not applied
]


@pytest.mark.parametrize(("text", "verdicts"), CLAIMS)
def test_conditional_claims(backprop_checker, text, verdicts):
    text = text.replace("¶", "\n\n")  # a paragraph break
    result = check_text("5: " + text, "a.md", checker=backprop_checker)
    assert [c.verdict for c in result.claims] == verdicts, [c.message for c in result.claims]


def test_the_condition_is_in_the_message_and_the_truth_is_shown_where_it_holds(backprop_checker):
    (claim,) = check_text(
        rf"5: $${J} = {DIAG} \quad i \neq j$$", "a.md", checker=backprop_checker
    ).claims
    assert claim.message.startswith(r"where i \neq j: false")
    assert "e^{z^{(2)}_{1}} e^{z^{(2)}_{2}}" in claim.truth  # at i = 1, j = 2, not i = j = 1
    assert claim.condition is not None and claim.condition.text == r"i \neq j"


DZ = r"\frac{\partial E}{\partial z_i^{(2)}}"  # step 2's target: y_i - t_i
COVERAGE = [
    # (step 2 text, whether the target is stated)
    (rf"$${DZ} = y^{{(2)}}_i - t_i$$", True),
    (rf"$${DZ} = y^{{(2)}}_i - t_i \quad i = 1$$", False),  # one case of n
    (
        rf"$${DZ} = y^{{(2)}}_i - t_i \quad i = 1$$ $${DZ} = y^{{(2)}}_i - t_i \quad i \neq 1$$",
        True,
    ),
    (rf"$${DZ} = y^{{(2)}}_i - t_i \quad i = 1$$ $${DZ} = y^{{(2)}}_i - t_i \quad i > 2$$", False),
    (
        rf"$${DZ} = \begin{{cases}} y^{{(2)}}_i - t_i & i = 1 \\ y^{{(2)}}_i - t_i & \text{{otherwise}} \end{{cases}}$$",
        True,
    ),
]


@pytest.mark.parametrize(("text", "stated"), COVERAGE)
def test_conditional_claims_state_a_target_only_when_they_cover_it(backprop_checker, text, stated):
    result = check_text("2: " + text, "a.md", checker=backprop_checker)
    assert all(c.verdict is P for c in result.claims), [c.message for c in result.claims]
    step = next(s for s in Grader(backprop_checker).grade(result).steps if s.id == "2")
    assert (step.status == P.value) is stated, step


@pytest.mark.parametrize(
    ("members", "env", "holds"),
    [
        ([("", "i"), ("=", "j")], {"i": 0, "j": 0}, True),
        ([("", "i"), ("\\neq", "j")], {"i": 0, "j": 0}, False),
        ([("", "1"), ("\\le", "i"), ("<", "j")], {"i": 0, "j": 1}, True),  # 1-based numbers
        ([("", "1"), ("\\le", "i"), ("<", "j")], {"i": 1, "j": 1}, False),
        ([("", "i"), ("=", "2")], {"i": 1}, True),
        ([("", "i"), ("<", "n")], {"i": 2}, False),  # i = 3 (1-based) is not below n = 3
        ([("", "i"), ("\\le", "n")], {"i": 2}, True),
    ],
)
def test_read_condition(members, env, holds):
    assert read_condition(members, "…").holds(env, {"n": 3}) is holds
