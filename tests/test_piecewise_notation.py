"""Piecewise notation written out (issue 13): `\\max(0, z)` as ReLU, `|z|` with derivative
sign(z), the indicator `\\mathbb{1}(z > 0)` in its spellings, and a leaky ReLU with a declared
slope. Every true claim has a false variant; a ball across a kink never certifies."""

from __future__ import annotations

import numpy as np
import pytest
from flint import arb

from verifier.api import check_claim
from verifier.check import kinks
from verifier.check.numeric import ARB, FLOAT
from verifier.check.verdicts import Verdict
from verifier.models.assignment import load_assignment
from verifier.models.model import build_model
from verifier.parse.bars import CLOSE_BAR, OPEN_BAR, pair_bars

from .conftest import ROOT, checker_of
from .finite_differences import mismatches

P, F, E = Verdict.PASS, Verdict.FAIL, Verdict.ERROR
DATA = "tests/data/piecewise_notation.toml"
DZ = r"\frac{\partial E}{\partial z} = "
MAX, ABS, LEAKY = "1", "2", "3"  # the steps of the max, abs and leaky models

CLAIMS = [
    # a = max(0, z): ReLU written out, and its derivative as an indicator
    (MAX, r"a = \max(0, z)", P),
    (MAX, r"a = \max\{0, z\}", P),
    (MAX, r"a = max(0,z)", P),
    (MAX, r"a = \max(z, 0)", P),
    (MAX, r"a = \operatorname{max}(0, z)", P),
    (MAX, r"a = z", F),
    (MAX, r"a = |z|", F),
    (MAX, DZ + r"(y - t)(v \odot \mathbb{1}(z > 0))^T", P),
    (MAX, DZ + r"(y - t)(v \odot \mathbb{1}\{z > 0\})^T", P),
    (MAX, DZ + r"(y - t)(v \odot \mathbf{1}[z > 0])^T", P),
    (MAX, DZ + r"(y - t)(v \odot \mathbb{1}_{z > 0})^T", P),
    (MAX, DZ + r"(y - t)(v \odot \mathbb{1}(0 < z))^T", P),
    (MAX, DZ + r"(y - t)(v \odot \mathbb{1}\left\{z \geq 0\right\})^T", P),
    (MAX, DZ + r"(y - t) v^T", F),  # dZ = dA: the mask forgotten
    (MAX, DZ + r"(y - t)(v \odot \mathbb{1}(z < 0))^T", F),  # the other side
    (MAX, DZ + r"(y - t)(v \odot \mathbb{1}_{0 > z})^T", F),
    # a = |z|: its derivative is sign(z)
    (ABS, r"a = |z|", P),
    (ABS, r"a = \lvert z \rvert", P),
    (ABS, r"a = \left| z \right|", P),
    (ABS, r"a = \max(0, z)", F),
    (ABS, r"a = |W x| + |b|", F),  # |·| is not additive
    (ABS, DZ + r"(y - t)(v \odot \text{sign}(z))^T", P),
    (ABS, DZ + r"(y - t)(v \odot (2 \mathbb{1}(z > 0) - 1))^T", P),
    (ABS, DZ + r"(y - t) v^T", F),
    (ABS, DZ + r"(y - t)(v \odot \mathbb{1}(z > 0))^T", F),
    # a = f(z), f = leaky_relu(0.01)
    (LEAKY, r"a = \max(0, z) - 0.01 \max(0, -z)", P),
    (LEAKY, r"a = \max(0, z)", F),
    (LEAKY, DZ + r"(y - t)(v \odot f'(z))^T", P),
    (LEAKY, DZ + r"(y - t)(v \odot (\mathbb{1}(z > 0) + 0.01 \mathbb{1}(z < 0)))^T", P),
    (LEAKY, DZ + r"(y - t)(v \odot \mathbb{1}(z > 0))^T", F),  # the slope forgotten
    (LEAKY, DZ + r"(y - t) v^T", F),
    # what is not read is an error, never a guess
    (MAX, r"a = \max(1, z)", E),
    (MAX, r"a = \max(0.01 z, z)", E),
    (MAX, r"a = \max(0, z, b)", E),
    (MAX, r"a = \mathbb{1}(z = 0)", E),
    (MAX, r"a = \mathbb{1}(z \neq 0)", E),
    (MAX, r"a = (z > 0)", E),  # a comparison without the indicator
    (MAX, r"a = (z, b)", E),
    (MAX, r"a = \mathbb{1}(z > x)", E),  # h×1 compared with d×1
]


@pytest.mark.parametrize(("step", "claim", "verdict"), CLAIMS)
def test_piecewise_claims(step, claim, verdict):
    result = check_claim(claim, step, checker=checker_of(DATA))
    assert result.verdict is verdict, result.message


def test_a_pass_says_the_points_were_kept_off_the_kinks():
    message = check_claim(r"a = |z|", ABS, checker=checker_of(DATA)).message
    assert "points kept at least 2^-6 from the kink" in message


@pytest.mark.parametrize("model", ["max", "abs", "leaky"])
def test_every_new_kink_is_registered_and_both_sides_met(model):
    probe = checker_of(DATA).probe(model)
    for inst, _, points in probe.instances:
        args = kinks.arguments(inst)
        assert len(args) >= inst.dims["h"]  # each entry of z (leaky: z and -z)
        assert points.kinks == len(args) and points.one_sided == ()


@pytest.mark.parametrize(
    ("ball", "holds", "sign"),
    [
        (arb(0.5), [0.5], 1),
        (arb(-0.5), [0.5], -1),
        (arb(0, 1e-9), [0, 1e-9 / 2], None),  # across the kink: |·| encloses, sign has no value
        (arb(0), [0], None),
    ],
)
def test_abs_and_sign_balls_at_a_kink_are_rigorous(ball, holds, sign):
    value = ARB.magnitude(ball)
    assert all(value.contains(arb(v)) for v in holds)
    if sign is None:
        with pytest.raises(ValueError):
            ARB.sign(ball)
    else:
        assert ARB.sign(ball) == arb(sign)


def test_float_sign_has_no_value_at_the_kink():
    assert np.isnan(FLOAT.sign(np.array([0.0])))[0]
    assert list(FLOAT.sign(np.array([-2.0, 3.0]))) == [-1.0, 1.0]


@pytest.mark.parametrize(
    ("text", "paired"),
    [
        ("|z|", f"{OPEN_BAR}z{CLOSE_BAR}"),
        ("|a| + |b|", f"{OPEN_BAR}a{CLOSE_BAR} + {OPEN_BAR}b{CLOSE_BAR}"),
        ("p(o|c)", "p(o|c)"),  # one bar in its brackets: a conditional
        ("|p(o|c)|", f"{OPEN_BAR}p(o|c){CLOSE_BAR}"),
        (r"\|x\|", r"\|x\|"),  # a norm is no pair of bars
        ("|x", "|x"),
    ],
)
def test_bars_are_paired_per_bracket_level(text, paired):
    assert pair_bars(text) == paired


@pytest.mark.parametrize("model", ["max", "abs", "leaky"])
def test_derived_gradients_agree_with_finite_differences(model):
    built = build_model(load_assignment(str(ROOT / DATA)), model)
    assert mismatches(built, "E", seed=5) == []
