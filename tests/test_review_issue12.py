r"""Hostile review of issue 12 (conditions and cases, definitions, statements, components): one
row per reproduction, with the verdicts the mathematics asks for.

Truths used (backprop, network, numerator layout): the softmax Jacobian
∂y⁽²⁾_i/∂z⁽²⁾_j = y_i(1 - y_i) where i = j and -y_i y_j where i ≠ j; step 2's target
∂E/∂z⁽²⁾_i = y⁽²⁾_i - t_i; ∂E/∂W⁽²⁾ = (y⁽²⁾ - t) y⁽¹⁾ᵀ; g' = g(1 - g).
"""

from __future__ import annotations

import pytest

from verifier.api import check_text
from verifier.check.claims import chains_of
from verifier.check.grading import Grader
from verifier.check.plan import plan
from verifier.limits import DEFAULT_LIMITS
from verifier.source import read_text

from .conftest import E, F, N, P, U, checker_of

BACKPROP = "derivations/backprop.toml"
J = r"\frac{\partial y^{(2)}_i}{\partial z^{(2)}_j}"
DIAG = r"y^{(2)}_i (1 - y^{(2)}_i)"  # true where i = j only
OFF = r"-y^{(2)}_i y^{(2)}_j"  # true where i ≠ j only
DZ = r"\frac{\partial E}{\partial z_i^{(2)}}"
DW = r"\frac{\partial E}{\partial W^{(2)}}"


ROWS = [
    # --- negated conditions (false passes, fixed): `unless i = j` holds where i ≠ j ---------
    # DIAG is false where i ≠ j; it passed "where i = j"
    (rf"5: $${J} = {DIAG} \quad \text{{unless }} i = j$$", BACKPROP, [E]),
    (rf"5: $${J} = {DIAG} \quad \text{{except when }} i = j$$", BACKPROP, [E]),
    (rf"5: $${J} = {DIAG} \quad \text{{if not }} i = j$$", BACKPROP, [E]),
    (rf"5: $${J} = {DIAG} \quad \text{{except }} i = j$$", BACKPROP, [E]),
    # true as written (OFF where i ≠ j); it failed "where i = j": now said, not misread
    (rf"5: $${J} = {OFF} \quad \text{{unless }} i = j$$", BACKPROP, [E]),
    # in prose: the condition is said to be unread, and the claim is checked as written
    (rf"5: Unless $i = j$, we have¶$${J} = {DIAG}$$", BACKPROP, [E, F]),
    (rf"5: Except for $i = j$:¶$${J} = {DIAG}$$", BACKPROP, [E, F]),
    (rf"5: When not $i = j$:¶$${J} = {DIAG}$$", BACKPROP, [E, F]),
    # a sentence that ends before the condition does not negate it
    (rf"5: This is not hard. For $i = j$:¶$${J} = {DIAG}$$", BACKPROP, [P]),
    # --- conditions that held -----------------------------------------------------------
    (rf"5: $${J} = 0 \quad i \neq i$$", BACKPROP, [U]),  # holds nowhere: never a pass
    (rf"5: $${J} = 7 \quad i = i$$", BACKPROP, [F]),  # holds everywhere
    (rf"5: $${J} = 0 \quad i = 0$$", BACKPROP, [E]),  # indices are 1-based
    (rf"5: $${J} = 0 \quad i = 99999999999999999999999$$", BACKPROP, [U]),
    (rf"5: $${J} = {OFF} \quad i < j < i$$", BACKPROP, [U]),
    (rf"5: $${J} = {OFF} \quad i = j = 1$$", BACKPROP, [F]),
    (rf"5: $${J} = 0 \quad 1 = 2$$", BACKPROP, [F, F]),  # numbers only: a claim, not a condition
    # cases: a row without a condition is a claim everywhere; `otherwise` first has nothing
    (rf"5: $${J} = \begin{{cases}} {DIAG} & i = j \\ {OFF} \end{{cases}}$$", BACKPROP, [P, F]),
    (
        rf"5: $${J} = \begin{{cases}} {OFF} & \text{{otherwise}} \\ {DIAG} & i = j \end{{cases}}$$",
        BACKPROP,
        [E, P],
    ),
    # two `otherwise` rows: the second holds nowhere
    (
        rf"5: $${J} = \begin{{cases}} {DIAG} & i = j \\ {OFF} & \text{{otherwise}} \\ 0 & "
        r"\text{otherwise} \end{cases}$$",
        BACKPROP,
        [P, P, U],
    ),
    # `otherwise` does not reach a chain of another display
    (
        rf"5: $${J} = {DIAG} \quad i = j$$ $${J} = {OFF} \quad \text{{otherwise}}$$",
        BACKPROP,
        [P, E],
    ),
    # a second condition in a row is not dropped: both hold (i = j and j = 1), so the
    # `otherwise` row covers i = j ≠ 1, where -y_i y_j is false
    (
        rf"5: $${J} = \begin{{cases}} {DIAG} & i = j, j = 1 \\ {OFF} & \text{{otherwise}} "
        r"\end{cases}$$",
        BACKPROP,
        [P, F],
    ),
    # a cases followed by more in its row is reported, never read in part
    (
        rf"5: $${J} = \begin{{cases}} {DIAG} & i = j \\ {OFF} & i \neq j \end{{cases}} = 5$$",
        BACKPROP,
        [E],
    ),
    # an error inside a row points at the row (column 105 is `\foo`)
    (
        rf"5: $${J} = \begin{{cases}} {DIAG} & i = j \\ \foo{{x}} & i \neq j \end{{cases}}$$",
        BACKPROP,
        [P, E],
    ),
    # --- definitions that held ----------------------------------------------------------
    (r"3: $$\hat y := y^{(2)} + 1$$ $$\hat y = y^{(2)}$$", BACKPROP, [N, F]),
    (r"3: $$\mathbf{E} := 5$$", BACKPROP, [F]),  # a typeface of a model name: a claim
    (r"3: $$\text{E} := 5$$", BACKPROP, [F]),
    (r"7: $$W := 2W^{(1)}$$", BACKPROP, [F]),  # the step's lenient W is a model name
    (r"3: $$\delta := \delta + 1$$", BACKPROP, [E]),  # no recursion
    (r"3: $$\delta := 1$$ $$\delta := \delta + 1$$ $$\delta = 2$$", BACKPROP, [N, N, P]),
    (r"3: $$L := 2E$$ $$\frac{\partial L}{\partial z^{(2)}} = (y^{(2)} - t)^T$$", BACKPROP, [N, F]),
    (
        r"3: $$\delta := 2 z^{(2)}$$ $$\frac{\partial E}{\partial \delta} = (y^{(2)} - t)^T$$",
        BACKPROP,
        [N, E],
    ),
    (r"3: $$\delta := y^{(2)} - t$$ $$\delta_1 = y^{(2)}_1 - t_1 + 1$$", BACKPROP, [N, F]),
    (r"1: $$\delta := 7$$¶3: $$E = E + \delta - 7$$", BACKPROP, [N, E]),  # another model's step
    (r"3: $$n := 5$$", BACKPROP, [N]),  # a varying dimension: a statement
    (r"1: $$m := 2$$", BACKPROP, [F]),  # a declared constant: checked
    # --- components that held ------------------------------------------------------------
    (r"3: $$\frac{\partial E}{\partial z^{(2)}_i} = [t - y^{(2)}]_i$$", BACKPROP, [F]),
    (r"3: $$\frac{\partial E}{\partial z^{(2)}_i} = (y^{(2)} - t)_{i}^2$$", BACKPROP, [F]),
    (
        r"3: $$\frac{\partial E}{\partial W^{(2)}_{ij}} = (y^{(1)} \otimes (y^{(2)} - t))_{ji}$$",
        BACKPROP,
        [P],
    ),
    (r"5: $$(g(z) + x_1)' = g(z)(1-g(z))$$", BACKPROP, [E]),
    # --- fixed after the review ------------------------------------------------------------
    # a dimension bounds an index in a condition (`1 \le i \le n`: every i)
    (rf"2: $${DZ} = y^{{(2)}}_i - t_i \quad 1 \le i \le n$$", BACKPROP, [P]),
    (rf"2: $${DZ} = y^{{(2)}}_i \quad 1 \le i \le n$$", BACKPROP, [F]),
    (rf"2: $${DZ} = y^{{(2)}}_i - t_i \quad i < n$$", BACKPROP, [P]),
    # `i = 1, \ldots, n` is the range 1 ≤ i ≤ n
    (rf"2: $${DZ} = y^{{(2)}}_i - t_i, \quad i = 1, \ldots, n$$", BACKPROP, [P]),
    (rf"2: $${DZ} = y^{{(2)}}_i - t_i \quad i = 1, 2, \dots, n$$", BACKPROP, [P]),
    (rf"2: $${DZ} = y^{{(2)}}_i, \quad i = 1, \ldots, n$$", BACKPROP, [F]),
    # a prose condition ends at the next paragraph of prose after a claim used it
    (
        rf"5: For the case $i = j$:¶$${J} = {DIAG}$$¶Now in general:¶$${J} = {DIAG}$$",
        BACKPROP,
        [P, F],
    ),
    # "Let $q = 3$" defines q (a note), it is no condition
    (
        r"5: Let $q = 3$.¶$$\frac{\partial g(z)}{\partial z} = g(z)(1-g(z)) q - 2 g(z)(1-g(z))$$",
        BACKPROP,
        [N, P],
    ),
]


@pytest.mark.parametrize(("text", "assignment", "verdicts"), ROWS)
def test_row(text, assignment, verdicts):
    text = text.replace("¶", "\n\n")  # a paragraph break
    claims = check_text(text, "s.md", checker=checker_of(assignment)).claims
    assert [c.verdict for c in claims] == verdicts, [
        (c.source, c.verdict, c.message) for c in claims
    ]


def test_an_error_inside_a_cases_row_points_at_it():
    text = rf"5: $${J} = \begin{{cases}} {DIAG} & i = j \\ \foo{{x}} & i \neq j \end{{cases}}$$"
    claims = check_text(text, "s.md", checker=checker_of(BACKPROP)).claims
    assert (claims[1].line, claims[1].column) == (1, text.index(r"\foo") + 1)


DZK = r"\frac{\partial E}{\partial z_k^{(2)}}"
STATED = [
    # (step text, whether step 2's target is stated)
    # a definition of the derivative itself states nothing
    (rf"2: $$\delta := {DZ}$$ $${DZ} = \delta$$", False),
    # covered by two conditions: stated
    (
        rf"2: $${DZ} = y^{{(2)}}_i - t_i \quad i = 1$$ $${DZ} = y^{{(2)}}_i - t_i \quad i \neq 1$$",
        True,
    ),
    # a negated condition is no cover
    (rf"2: $${DZ} = y^{{(2)}}_i - t_i \quad \text{{unless }} i = 1$$", False),
    # a target written with another index letter (k for i) is stated, conditions renamed too
    (rf"2: $${DZK} = y^{{(2)}}_k - t_k$$", True),
    (
        rf"2: $${DZK} = y^{{(2)}}_k - t_k \quad k = 1$$ $${DZK} = y^{{(2)}}_k - t_k \quad k > 1$$",
        True,
    ),
    (
        rf"2: $${DZK} = y^{{(2)}}_k - t_k \quad k = 1$$ $${DZK} = y^{{(2)}}_k - t_k \quad k > 2$$",
        False,
    ),
]


@pytest.mark.parametrize(("text", "stated"), STATED)
def test_stated(text, stated):
    c = checker_of(BACKPROP)
    grade = Grader(c).grade(check_text(text, "s.md", checker=c))
    (step,) = [s for s in grade.steps if s.id == "2"]
    assert (step.points == step.max_points) is stated, step


@pytest.mark.parametrize(
    "text",
    [
        f"5: Unless $i = j$, we have\n\n$${J} = {DIAG}$$\n\n$${J} = {OFF}$$",
        f"5: For $i = j$:\n\n$${J} = {DIAG}$$\n\nExcept for $i = j$:\n\n$${J} = {OFF}$$",
    ],
)
def test_planning_by_chunks_gives_the_claims_of_the_whole(text):
    doc = read_text("s.md", text)
    whole = [item for step in doc.steps for item in chains_of(doc, step.spans, DEFAULT_LIMITS)]
    assert [u.item for u in plan(doc, DEFAULT_LIMITS)] == whole
