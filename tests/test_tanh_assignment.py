"""The `tanh_mse` assignment: it loads, its truth is the textbook backprop, and every claim of
its example solution has the verdict worked out by hand.

Model: z1 = W1 x + b1, y1 = tanh(z1), z2 = W2 y1 + b2, y = z2, E = Σ_j ½(y_j - t_j)².
Hand results (numerator layout): ∂E/∂y = ∂E/∂z2 = ∂E/∂b2 = (y - t)^T (1×n);
∂y1/∂z1 = diag(1 - y1⊙y1); δ1 := ∂E/∂z1 = ∂E/∂b1 = (y - t)^T W2 diag(1 - y1⊙y1) (1×h);
∂E/∂W2 = (y - t) y1^T (n×h); ∂E/∂W1 = δ1^T x^T (h×d).
"""

from __future__ import annotations

import numpy as np
import pytest

from verifier.api import check_file
from verifier.check.checker import Checker
from verifier.check.compare import Config, Probe
from verifier.check.verdicts import Verdict
from verifier.models.assignment import bundled_names, load_assignment
from verifier.models.model import build_model
from verifier.parse.parser import parse_math
from verifier.parse.resolve import Resolver
from verifier.truths import truths

from .conftest import ROOT

SOLUTION = ROOT / "derivations" / "examples" / "tanh_mse_solution.md"
P, W, F, E = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR


def bug(line: int, verdict: Verdict, reason: str):
    return pytest.param(line, verdict, marks=pytest.mark.xfail(reason=reason, strict=True))


# (line, verdict): one claim per line of the solution.
CLAIMS = [
    # Step 1: the forward pass and the loss restated from the definitions.
    (13, P),  # z1 = W1 x + b1
    (16, P),  # y1 = f(z1), f = tanh
    (17, P),  # = tanh(z1)
    (21, P),  # y = z2 (linear output)
    (22, P),  # = W2 y1 + b2
    (23, P),  # = W2 tanh(W1 x + b1) + b2
    (26, P),  # E = Σ_j E_j
    (27, P),  # = Σ_j ½(y_j - t_j)²
    (28, P),  # = ½(y - t)^T(y - t): the inner product is Σ_j (y_j - t_j)²
    (33, F),  # (y - t)^T(y - t) = 2E: the ½ is dropped
    # Step 2: output layer.
    (39, P),  # ∂E/∂y_j = ∂E_j/∂y_j: only E_j depends on y_j
    (40, P),  # d/dy_j ½(y_j - t_j)² = y_j - t_j
    (45, F),  # 2(y_j - t_j): twice the truth
    (49, P),  # ∂E/∂y = (y - t)^T, a 1×n row
    (54, F),  # Σ_j (y_j - t_j) is a scalar, the truth a 1×n row
    (55, P),  # = (y - t)^T: true again after the false line
    (59, P),  # ∂y/∂z2 = I: the identity, sized n×n by the left side
    (61, P),  # chain rule: (1×n)(n×n)
    (62, P),  # (y - t)^T I = (y - t)^T
    (63, P),  # = (y - t)^T
    (67, F),  # (t - y)^T: off by a sign
    # Step 3: back through W2.
    (71, P),  # ∂z2/∂y1 = W2 (n×h Jacobian)
    (73, P),  # chain rule: (1×n)(n×h)
    (74, P),  # = (y - t)^T W2, 1×h
    (79, W),  # W2^T (y - t): h×1, the transpose of the 1×h truth
    # Step 4: the tanh derivative.
    (85, P),  # tanh z = (e^z - e^-z)/(e^z + e^-z)
    (88, P),  # f'(z) = ∂/∂z of the same quotient
    (89, P),  # quotient rule: ((e^z + e^-z)² - (e^z - e^-z)²)/(e^z + e^-z)²
    (90, P),  # = 1 - tanh² z
    (91, P),  # = 1 - f(z) f(z)
    (96, P),  # 1 - f(z)^2: the square of f(z)
    (98, P),  # 1 - \tanh^2(z): the power of a function is the power of its value
    (100, P),  # (a + b)² - (a - b)² = 4ab = 4 e^z e^-z = 4
    (105, P),  # ∂y1/∂z1 = diag(f'(z1)), h×h
    (106, P),  # f'(z1) = 1 - y1⊙y1
    (107, W),  # (1 - y1)·(1 + y1) = 1 - y1⊙y1 only with `\cdot` read elementwise
    (111, W),  # the h-vector of the diagonal stands for the h×h Jacobian
    (115, F),  # y1⊙(1 - y1) is the sigmoid's derivative, not tanh's
    # Step 5: δ1 and the first bias.
    (119, P),  # chain rule: (1×h)(h×h)
    (120, P),  # (y - t)^T W2 diag(1 - y1⊙y1)
    (121, P),  # a row times a diagonal = elementwise product, transposed to a row
    (125, F),  # (y - t)^T W2: the tanh Jacobian is dropped
    (127, P),  # chain rule through z1 = W1 x + b1
    (128, P),  # ∂z1/∂b1 = I_h, so ∂E/∂b1 = δ1
    # Step 6: second-layer parameters.
    (134, P),  # (∂E/∂z2)^T y1^T: (n×1)(1×h), entries (y_u - t_u) y1_v
    (135, P),  # = (y - t) y1^T
    (139, W),  # y1 (y - t)^T: the h×n transpose
    (141, P),  # ∂z2/∂b2 = I_n, so ∂E/∂b2 = ∂E/∂z2
    (142, P),  # = (y - t)^T
    (146, W),  # y - t: the n×1 column, the transpose of the 1×n truth
    # Step 7: first-layer weights, h×d.
    (150, P),  # δ1^T x^T, entries δ1_u x_v
    (151, P),  # δ1^T = (W2^T (y - t)) ⊙ (1 - y1⊙y1)
    (152, P),  # diag(1 - y1⊙y1) W2^T (y - t) is the same h×1 column
    (157, W),  # (1×h)(d×1) does not fit; the only fitting reading δ1^T x^T is true
    (162, F),  # h×1 without x^T, the truth is h×d
    # Step 8: index form.
    (166, P),  # E depends on W2 only through y
    (167, P),  # ∂y_j/∂W2_uv = δ_ju y1_v
    (168, P),  # the δ picks j = u
    (173, E),  # swapped: v (over h) indexes the n-vector y, u (over n) the h-vector y1
    (177, P),  # z1_i = Σ_k W1_ik x_k + b1_i, so ∂z1_i/∂W1_uv = δ_iu x_v
    (179, P),  # z1_u written out as a sum
    (180, P),  # ∂z_u/∂W_uv = x_v: a right side may omit an index it does not depend on
    (182, P),  # only z1_u depends on W1_uv
    (183, P),  # ∂z1_u/∂W1_uv = x_v
    (184, P),  # δ1_u = Σ_j (y_j - t_j) W2_ju (1 - y1_u²)
    (189, E),  # the sum over j is dropped: j is free on the right only
    (193, F),  # 1 - y1_u instead of 1 - y1_u²
    (195, P),  # ∂E/∂b1_u = δ1_u
]

STEPS = {"1": F, "2": F, "3": W, "4": F, "5": F, "6": W, "7": F, "8": F}


@pytest.fixture(scope="module")
def result():
    return check_file(str(SOLUTION), checker=Checker(load_assignment("tanh_mse"), Config()))


def _line(row) -> int:
    return row.values[0] if hasattr(row, "values") else row[0]


def test_every_claim_is_pinned(result):
    assert [c.line for c in result.claims] == [_line(r) for r in CLAIMS]


@pytest.mark.parametrize(("line", "verdict"), CLAIMS)
def test_claim(result, line, verdict):
    claim = next(c for c in result.claims if c.line == line)
    assert claim.verdict is verdict, claim.message


@pytest.mark.parametrize(("step", "verdict"), STEPS.items())
def test_step(result, step, verdict):
    assert next(s for s in result.steps if s.id == step).verdict is verdict


def test_assignment_loads():
    a = load_assignment("tanh_mse")
    assert "tanh_mse" in bundled_names()
    assert (a.name, a.layout, a.functions) == ("tanh_mse", "numerator", {"f": "tanh"})
    assert a.example == SOLUTION and a.example.is_file()
    assert [s.id for s in a.steps] == [str(i) for i in range(1, 9)]
    assert {s.model for s in a.steps} == {"network"}
    for dims in a.models["network"].dimensions:
        assert len(set(dims.values())) == len(dims)  # distinct: no coincidental fit


def test_truth_is_textbook_backprop():
    """The tool's truth, built from the TOML alone, equals backprop written in numpy."""
    a = load_assignment("tanh_mse")
    model = build_model(a, "network")
    assert any(line.startswith(r"\frac{\partial E}{\partial W^{(1)}}") for line in truths(a))
    probe = Probe(model, Config())

    def tool(n: int, tex: str) -> np.ndarray:
        node = Resolver(model.table).resolve(parse_math(tex).pieces[0].exprs[0])
        return probe.value(n, node, {})[1]

    for n, (inst, _, points) in enumerate(probe.instances):
        v = {
            k: np.moveaxis(np.array([[points.floats[s] for s in row] for row in m.tolist()]), 2, 0)
            for k, m in inst.symbols.items()
            if inst.kinds[m[0]] == "leaf"
        }
        y1 = np.tanh(v["W^{(1)}"] @ v["x"] + v["b^{(1)}"])
        e = v["W^{(2)}"] @ y1 + v["b^{(2)}"] - v["t"]  # y - t
        d1 = (np.swapaxes(v["W^{(2)}"], 1, 2) @ e) * (1 - y1**2)  # δ1 as a column
        expected = {
            "E": 0.5 * np.swapaxes(e, 1, 2) @ e,
            r"\frac{\partial E}{\partial b^{(2)}}": np.swapaxes(e, 1, 2),
            r"\frac{\partial E}{\partial W^{(2)}}": e @ np.swapaxes(y1, 1, 2),
            r"\frac{\partial E}{\partial b^{(1)}}": np.swapaxes(d1, 1, 2),
            r"\frac{\partial E}{\partial W^{(1)}}": d1 @ np.swapaxes(v["x"], 1, 2),
        }
        for tex, want in expected.items():
            np.testing.assert_allclose(tool(n, tex), want, rtol=1e-9, atol=1e-12, err_msg=tex)
