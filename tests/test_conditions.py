"""Conditions and cases (issue 12): a conditional claim is checked only where its condition
holds; a wrong case fails; a condition that (almost) never holds is undecided, never a pass; a
step's target is stated by conditional claims only when their conditions cover every case."""

from __future__ import annotations

import numpy as np
import pytest

from verifier.api import check_text
from verifier.check.conditions import read_condition
from verifier.check.grading import Grader
from verifier.check.verdicts import Verdict

P, W, F, E, U = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR, Verdict.UNDECIDED
J = r"\frac{\partial y^{(2)}_i}{\partial z^{(2)}_j}"  # softmax Jacobian: y_i (δ_ij - y_j)
DIAG = r"y^{(2)}_i (1 - y^{(2)}_i)"
DY = r"\frac{\partial E}{\partial y^{(2)}_j}"  # -t_j / y_j
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
    # two conditions in a row both hold
    (rf"$${J} = y^{{(2)}}_1 (1 - y^{{(2)}}_1) \quad i = j, j = 1$$", [P]),
    (rf"$${J} = y^{{(2)}}_1 (1 - y^{{(2)}}_1) \quad i = j$$", [F]),
    (rf"$${J} = y^{{(2)}}_1 (1 - y^{{(2)}}_1) \quad i = j, j = 2$$", [F]),
    # a condition after an inline claim, joined by a conditional word, is that claim's
    (rf"${J} = {OFF}$ for $i \neq j$.", [P]),
    (rf"${J} = {DIAG}$ for $i \neq j$.", [F]),
    (rf"${J} = {DIAG}$ when $i = j$, and ${J} = {OFF}$ if $i \neq j$.", [P, P]),
    (rf"$${J} = 0 \quad i = 9$$", [U]),  # never holds at the model's sizes: undecided
    (rf"$${J} = 0 \quad i = 5$$", [U]),  # holds at one dimension set only (n = 5)
    # `t_j = 1` (t is the model's input) is a statement of its own, not a condition on indices
    (rf"$${J} = {DIAG} \quad t_j = 1$$", [F, Verdict.NOTE]),
    # conditions on values select sample points (t one-hot: t_j = 1 at the hot position)
    (rf"$${J} = {DIAG} \quad \text{{if }} y_j = 1$$", [U]),  # a softmax output is never 1
    (rf"$${DY} = -\frac{{1}}{{y^{{(2)}}_j}} \quad \text{{if }} t_j = 1$$", [P]),
    (rf"$${DY} = \frac{{1}}{{y^{{(2)}}_j}} \quad \text{{if }} t_j = 1$$", [F]),
    (rf"$${DY} = -\frac{{1}}{{y^{{(2)}}_j}}$$", [F]),  # without its condition
    (rf"$${DY} = 0 \quad \text{{if }} t_j = 0$$", [P]),
    (rf"$${DY} = 0 \quad \text{{if }} t_j = 1$$", [F]),  # the wrong case
    (rf"$${DY} = 0 \quad \text{{if }} 0 = t_j$$", [P]),
    (
        rf"$${DY} = \begin{{cases}} -\frac{{1}}{{y^{{(2)}}_j}} & t_j = 1 \\ 0 & \text{{otherwise}} \end{{cases}}$$",
        [P, P],
    ),
    (
        rf"$${DY} = \begin{{cases}} -\frac{{1}}{{y^{{(2)}}_j}} & t_j = 1 \\ 1 & \text{{otherwise}} \end{{cases}}$$",
        [P, F],
    ),
    (rf"$${DY} = 0 \quad \text{{if }} y^{{(2)}}_j > 2$$", [U]),  # holds at no point
    (rf"$${DY} = 0 \quad \text{{if }} t_k = 1$$", [E]),  # k is no index of the claim
    (rf"$${DY} = 0 \quad \text{{if }} W^{{(1)}} = 1$$", [E]),  # a matrix is no value
    (rf"$${J} = {DIAG} \quad k = 1$$", [E]),  # k is no index of the left side
    (rf"$${J} = {OFF} \quad i = j + 1$$", [P]),  # a letter plus a number: i ≠ j
    (rf"$${J} = {DIAG} \quad i = j + 1$$", [F]),
    (rf"$${J} = {DIAG} \quad i = j + 0$$", [P]),
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
    # on values: one case is not the target; a case and its `otherwise` are
    (rf"$${DZ} = y^{{(2)}}_i - 1 \quad \text{{if }} t_i = 1$$", False),
    (
        rf"$${DZ} = \begin{{cases}} y^{{(2)}}_i - 1 & t_i = 1 \\ y^{{(2)}}_i & \text{{otherwise}} \end{{cases}}$$",
        True,
    ),
    # two cases on values cover everything only as a case and its `otherwise` (not proved
    # otherwise: t_i = 1 and t_i = 0 cover a one-hot t, but that is the assumption's doing)
    (
        rf"$${DZ} = y^{{(2)}}_i - 1 \quad \text{{if }} t_i = 1$$ $${DZ} = y^{{(2)}}_i \quad \text{{if }} t_i = 0$$",
        False,
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
        # a letter plus a number: `j + 1`, `n - 1` (i ≤ n - 1 is i < n)
        ([("", "i"), ("=", "j + 1")], {"i": 1, "j": 0}, True),
        ([("", "i"), ("=", "j+1")], {"i": 1, "j": 1}, False),
        ([("", "i"), ("\\le", "n - 1")], {"i": 2}, False),
        ([("", "i"), ("\\le", "n-1")], {"i": 1}, True),
    ],
)
def test_read_condition(members, env, holds):
    assert read_condition(members, "…").holds(env, {"n": 3}) is holds


@pytest.mark.parametrize(
    ("members", "values", "held"),
    [
        # (condition, the value of `a_1` at three points, where it holds)
        ([("", "a_1"), ("=", "1")], [1.0, 0.0, 1.0], [True, False, True]),
        ([("", "a_1"), ("\\neq", "1")], [1.0, 0.0, 1.0], [False, True, False]),
        ([("", "a_1"), (">", "0.5")], [0.7, 0.5, 0.5 + 1e-12], [True, False, False]),  # margin
        ([("", "a_1"), ("\\ge", "0.5")], [0.7, 0.5, 0.5 - 1e-12], [True, True, False]),
        ([("", "a_1"), ("<", "0.5")], [float("nan"), 0.2, 0.9], [False, True, False]),  # no value
    ],
)
def test_a_condition_on_values_holds_point_by_point(members, values, held):
    condition = read_condition(members, "…")
    assert condition.holds({}, {})  # at index level it may hold: the points decide

    def at(value):
        return np.array(values) if value.text == "a_1" else np.full(3, float(value.text))

    assert list(condition.at_points({}, {}, at)) == held
