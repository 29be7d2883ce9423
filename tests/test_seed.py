"""Every claim of the bundled student solution, with the verdict worked out by hand.

The seed is evidence, not an answer key: each row says why the line is right or wrong.
Model 1: E = -t log G(Wx), W a 1×d row, x a d×1 column, t a scalar, G the sigmoid.
Model 2: z1 = W1 x, y1 = G(z1), z2 = W2 y1, y2 = softmax(z2), E = -Σ_j t_j log y2_j, t one-hot.
Layout: numerator (∂E/∂(column) is a row; ∂E/∂W has W's shape).
"""

from __future__ import annotations

import pytest

from verifier.api import check_file
from verifier.check.verdicts import Verdict

from .conftest import SEED

P, W, F = Verdict.PASS, Verdict.WARN, Verdict.FAIL

# (line, column of the right-hand side, verdict, a phrase the message must contain)
CLAIMS = [
    # m = 1: the neuron has one output (a constant of the neuron model).
    (11, 8, P, "agrees"),
    # E = -t·log y = -t·log G(Wx) = -t·log(1/(1+e^{-Wx})): restating the definitions.
    (13, 7, P, "agrees"),
    (13, 25, P, "agrees"),
    (13, 48, P, "agrees"),
    # ∂E/∂t = -log G(Wx); the student dropped the minus sign.
    (17, 35, F, "off by a sign"),
    # ∂E/∂x = -t (1/G) ∂G(Wx)/∂x: the chain rule, true as written.
    (19, 35, P, "agrees"),
    # = -t (1+e^{-Wx}) W G (1-G) = -t W (1-G): true.
    (21, 5, P, "agrees"),
    # = tW e^{-Wx}/(1+e^{-Wx}) = tW(1-G): the minus sign is lost again.
    (23, 5, F, "off by a sign"),
    # Step 2: the network's definitions restated, then ∂E/∂z_i = Σ_j ∂E_j/∂y_j ∂y_j/∂z_i
    # (E_j depends on z only through y_j): all true.
    (27, 13, P, "agrees"),
    (27, 38, P, "agrees"),
    (29, 13, P, "agrees"),
    (29, 44, P, "agrees"),
    (31, 7, P, "agrees"),
    (33, 43, P, "agrees"),
    # Step 3: ∂E/∂z2 = (y2 - t)^T needs Σ_j t_j = 1, which one-hot t gives: true as a row.
    (35, 65, P, "agrees"),
    (36, 24, P, "agrees"),  # z2 = W2 y1 restated
    (36, 96, P, "agrees"),  # ∂z2/∂y1 = W2 (n×h Jacobian)
    (38, 41, P, "agrees"),  # chain rule: (1×n)(n×h)
    (38, 126, P, "agrees"),  # (y2 - t)^T W2: a 1×h row, true
    # Step 4: ∂E/∂W2_uv = ∂E/∂z2 · ∂z2/∂W2_uv = (y2_u - t_u) y1_v, and the outer product.
    (40, 49, P, "agrees"),
    (40, 139, P, "agrees"),
    (42, 51, P, "agrees"),
    # Step 5: g'(z) = e^{-z}/(1+e^{-z})^2, but the student wrote e^{z} in the numerator.
    (46, 55, F, "false"),
    # The next three are true; the first of them follows a false line.
    (46, 87, P, "line before it is false"),
    (46, 138, P, "agrees"),
    (46, 205, P, "agrees"),
    # ∂y1/∂z1 = ∂g(z1)/∂z1: the h×h diagonal Jacobian, true.
    (48, 75, P, "agrees"),
    # g(z1)·(1-g(z1)) and y1·(1-y1): `\cdot` between vectors read as elementwise, and the
    # vector stands for the diagonal Jacobian; true under those readings, so warn.
    (48, 122, W, "diagonal Jacobian"),
    (48, 158, W, "diagonal Jacobian"),
    # diag(y1·(1-y1)): the Jacobian itself; only the `\cdot` reading is lenient.
    (48, 192, W, "elementwise"),
    # Step 6: ∂E/∂z1 = ∂E/∂y1 ∂y1/∂z1 (1×h)(h×h) and its value; the `\cdot` in diag warns.
    (54, 41, P, "agrees"),
    (54, 126, W, "elementwise"),
    # Step 7: Z^{(1)} for z^{(1)} is accepted with a warning (the assignment allows it).
    # ∂E/∂z1 · ∂z1/∂W1 contracts a 1×h row with the h×(h×d) derivative: the chain rule, true.
    (60, 41, W, "`Z^{(1)}` read as `z^{(1)}`"),
    # ∂E/∂z1 · x is (1×h)(d×1), ill-formed; the only fitting reading is the outer product
    # (∂E/∂z1)^T x^T, which is the true h×d gradient.
    (60, 127, W, "outer product"),
    # Index form: δ_u x_v with δ = ∂E/∂z1; the inner W_{ui} is W^{(1)} (allowed in step 7).
    (62, 46, W, "agrees"),
    (62, 141, W, "`W` read as `W^{(1)}`"),
    (62, 246, W, "agrees"),
]

STEPS = {"1": F, "2": P, "3": P, "4": P, "5": F, "6": W, "7": W}


@pytest.fixture(scope="module")
def seed_result(backprop_checker):
    return check_file(str(SEED), checker=backprop_checker)


def test_every_claim_is_pinned(seed_result):
    assert [(c.line, c.column) for c in seed_result.claims] == [(r[0], r[1]) for r in CLAIMS]


@pytest.mark.parametrize(("line", "column", "verdict", "phrase"), CLAIMS)
def test_seed_claim(seed_result, line, column, verdict, phrase):
    claim = next(c for c in seed_result.claims if (c.line, c.column) == (line, column))
    assert claim.verdict is verdict, claim.message
    assert phrase in claim.message


@pytest.mark.parametrize(("step", "verdict"), STEPS.items())
def test_seed_step(seed_result, step, verdict):
    assert next(s for s in seed_result.steps if s.id == step).verdict is verdict


def test_failures_show_truth_and_counterexample(seed_result):
    dEdt = next(c for c in seed_result.claims if c.line == 17)
    assert dEdt.truth == r"-\log y"  # in the model's notation, not SymPy's
    assert "claimed" in dEdt.counterexample and "true" in dEdt.counterexample


def test_seed_file_verdict(seed_result):
    assert seed_result.verdict is F
    assert seed_result.seed == 0 and len(seed_result.assignment_sha256) == 64
