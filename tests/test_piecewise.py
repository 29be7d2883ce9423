"""Piecewise functions (issue 13): ReLU, its derivative 𝟙(z > 0), points off the kinks with
every side met, and rigorous balls at a kink. Every true claim has a false variant (a forgotten
mask must fail)."""

from __future__ import annotations

import numpy as np
import pytest
from flint import arb

from verifier.api import check_claim
from verifier.check import kinks
from verifier.check.numeric import ARB, FLOAT, SympyNumeric, draw
from verifier.check.verdicts import Verdict
from verifier.models.assignment import load_assignment
from verifier.models.instance import Instance
from verifier.models.model import build_model

from .conftest import ROOT, checker_of
from .finite_differences import mismatches

P, F, E = Verdict.PASS, Verdict.FAIL, Verdict.ERROR
RELU = "tests/data/relu.toml"
DZ, DW = r"\frac{\partial E}{\partial z}", r"\frac{\partial E}{\partial W}"

CLAIMS = [
    (r"\frac{\partial E}{\partial a} = (y - t) v^T", P),
    (r"\frac{\partial E}{\partial a} = (y - t) (v \odot f'(z))^T", F),  # no mask before f
    (DZ + r" = (y - t) (v \odot f'(z))^T", P),
    (DZ + r" = (y - t) v^T", F),  # dZ = dA: the mask forgotten
    (DZ + r" = (y - t) (v \odot f(z))^T", F),  # f for f'
    (DW + r" = (y - t) (v \odot f'(z)) x^T", P),
    (DW + r" = (y - t) v x^T", F),
    (r"\frac{\partial E}{\partial b} = (y - t) (v \odot \mathrm{relu}'(z))^T", P),
    (r"\frac{\partial E}{\partial b} = (y - t) (v \odot z)^T", F),
    (r"\frac{\partial f(u)}{\partial u} = f'(u)", P),
    (r"\frac{\partial \mathrm{relu}(u)}{\partial u} = \operatorname{ReLU}'(u)", P),
    (r"f'(u) = 1", F),  # true only on one side
    (r"f(u) = u", F),
    (r"a = \text{relu}(z)", P),
    (r"a = z", F),
]


@pytest.mark.parametrize(("claim", "verdict"), CLAIMS)
def test_relu_claims(claim, verdict):
    result = check_claim(claim, "1", checker=checker_of(RELU))
    assert result.verdict is verdict, result.message


def test_a_pass_says_the_points_were_kept_off_the_kinks():
    claim = DZ + r" = (y - t) (v \odot f'(z))^T"
    message = check_claim(claim, "1", checker=checker_of(RELU)).message
    assert "points kept at least 2^-6 from the kink" in message
    assert "each side of each met at every dimension set" in message


def test_every_side_of_every_kink_is_met_at_every_dimension_set_off_the_margin():
    probe = checker_of(RELU).probe("net")
    for inst, _, points in probe.instances:
        args = kinks.arguments(inst)
        assert len(args) == inst.dims["h"]  # each entry of z
        ev = SympyNumeric(points.floats, FLOAT)
        for a in args:
            v = np.broadcast_to(ev(a), (points.count,))
            assert (np.abs(v) >= kinks.MARGIN).all()
            assert (v > 0).any() and (v < 0).any()
        assert points.kinks == len(args) and points.one_sided == ()
        assert points.count >= 3


def test_a_side_no_point_can_reach_is_said(tmp_path):
    """relu((z - 1)^2), written expanded so SymPy cannot see it is never negative: the
    negative side is never met, and the note says so instead of claiming every side."""
    text = (ROOT / RELU).read_text().replace('"a = f(z)"', '"a = f(z \\\\odot z - 2 z + 1)"')
    path = tmp_path / "square.toml"
    path.write_text(text)
    model = build_model(load_assignment(str(path)), "net")
    inst = Instance(model, model.dimension_sets[0])
    points = kinks.off_kinks(inst, 6, np.random.default_rng(0), draw)
    assert len(points.one_sided) == inst.dims["h"]
    claim = r"\frac{\partial E}{\partial y} = y - t"
    result = check_claim(claim, "1", assignment=str(path))
    assert "no point reached one side of $" in result.message, result.message
    # a side no point met passes only with an exact proof; agreement alone is undecided
    assert result.verdict == Verdict.UNDECIDED or "proved exactly" in result.message


@pytest.mark.parametrize(
    ("ball", "relu_holds", "step"),
    [
        (arb(0.5), [0.5], 1),
        (arb(-0.5), [0], 0),
        (arb(0, 1e-9), [0, 1e-9 / 2], None),  # across the kink: no step value
        (arb(0), [0], None),  # exactly at the kink: no step value either
    ],
)
def test_balls_at_a_kink_are_rigorous(ball, relu_holds, step):
    value = ARB.relu(ball)
    assert all(value.contains(arb(v)) for v in relu_holds)
    if step is None:
        with pytest.raises(ValueError):
            ARB.step(ball)
    else:
        assert ARB.step(ball) == arb(step)


def test_float_step_has_no_value_at_the_kink():
    assert np.isnan(FLOAT.step(np.array([0.0])))[0]
    assert list(FLOAT.step(np.array([-1.0, 1.0]))) == [0.0, 1.0]


def test_derived_gradients_agree_with_finite_differences():
    """Off the kinks (the random points of finite_differences are rarely within 10^-6)."""
    model = build_model(load_assignment(str(ROOT / RELU)), "net")
    assert mismatches(model, "E", seed=3) == []
