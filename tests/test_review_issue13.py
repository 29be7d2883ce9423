r"""Hostile review of issue 13 (abstract activations, ReLU and piecewise notation, the hinge
loss, formulas of several arguments, batches, layout "variable", generic depth): one row per
probe, with the verdicts the mathematics allows. Rows marked xfail misbehave today; each
reason says what happens and why.

Truths used: relu.toml has z = W x + b, a = relu(z), y = v^T a, E = (y - t)^2 / 2, so
∂E/∂z = (y - t)(v ⊙ 𝟙(z > 0))^T; ReLU's derivative at z = 0.005 is 1, so an indicator whose
threshold is moved off 0 (`𝟙(z - 0.01 > 0)`) is false there, and a = relu(z) ≥ 0 everywhere, so
`𝟙(a ≥ 0)` is 1 everywhere (the mask forgotten). hinge.toml: L = Σ_{j≠y} max(0, s_j - s_y + 1).
"""

from __future__ import annotations

import json
import os
import string
import subprocess
import sys
import textwrap

import pytest

from verifier.api import check_text
from verifier.check.verdicts import Verdict

from .conftest import ROOT, checker_of

P, W, F, E, U, N = (
    Verdict.PASS,
    Verdict.WARN,
    Verdict.FAIL,
    Verdict.ERROR,
    Verdict.UNDECIDED,
    Verdict.NOTE,
)
NOT_PASS = {F, E, U}  # a false line: anything but pass, warn or note
RELU = "tests/data/relu.toml"
PIECEWISE = "tests/data/piecewise_notation.toml"
HINGE = "tests/data/hinge.toml"
ABSTRACT = "tests/data/abstract.toml"
LAYERED = "tests/data/layered_activations.toml"
LOSSES = "tests/data/losses.toml"
ROWS_B = "tests/data/batch_rows.toml"
COLS_B = "tests/data/batch_columns.toml"
VARIABLE = "tests/data/variable_layout.toml"
DEPTH = "tests/data/generic_depth.toml"

DZ = r"\frac{\partial E}{\partial z} = "
DWJ = r"\frac{\partial L}{\partial W_{jm}} = "
DWY = r"\frac{\partial L}{\partial W_{ym}} = "
DELTA = r"1: $$\delta^l := \frac{\partial J}{\partial z^l}$$¶"
THRESHOLD = (
    "the indicator's threshold is moved off the kink, inside the band of 2^-6 the points never "
    "visit: kinks.arguments takes the kinks of the model's definitions only, never the claim's"
)
ONE_SIDED = (
    "at z < 0, a = relu(z) is exactly 0, so the claim's 𝟙(±a …) has no value there (numeric "
    "step/sign give nan, Arb an open ball) and every point with a negative z is dropped: only "
    "the z > 0 side is compared (12 of 42 points), yet the note says each side was met"
)
ROWS = [
    # --- ReLU: the claim's own kinks (false passes) ------------------------------------------
    (RELU, "1: $$" + DZ + r"(y - t) (v \odot \mathbb{1}(z > 0))^T$$", {P}),
    (RELU, "1: $$" + DZ + r"(y - t) (v \odot \mathbb{1}(z \geq 0))^T$$", {P}),
    (RELU, "1: $$" + DZ + r"(y - t) (v \odot \mathbb{1}(W x > -b))^T$$", {P}),
    (RELU, "1: $$" + DZ + r"(y - t) (v \odot \mathbb{1}(W x > b))^T$$", NOT_PASS),
    (RELU, "1: $$" + DZ + r"(y - t) (v \odot \mathbb{1}(z > 0.01))^T$$", {E}),  # scalar side
    # the kink moved at one index only: every index value is looked at, not the first
    (RELU, r"1: $$\frac{\partial E}{\partial z_i} = (y - t) v_i \mathbb{1}(z_i > 0)$$", {P}),
    (
        RELU,
        r"1: $$\frac{\partial E}{\partial z_i} = (y - t) v_i \mathbb{1}(z_i - 0.01 \delta_{i2} > 0)$$",
        NOT_PASS,
    ),
    pytest.param(
        RELU,
        "1: $$" + DZ + r"(y - t) (v \odot \mathbb{1}(z - 0.01 > 0))^T$$",
        NOT_PASS,
    ),
    pytest.param(
        RELU,
        "1: $$" + DZ + r"(y - t) (v \odot \mathbb{1}(z + 0.01 > 0))^T$$",
        NOT_PASS,
    ),
    pytest.param(
        RELU,
        "1: $$" + DZ + r"(y - t) (v \odot \mathbb{1}(100 z - 1 > 0))^T$$",
        NOT_PASS,
    ),
    (RELU, r"1: $$f'(u) = \mathbb{1}(u > 0.005)$$", NOT_PASS),  # a free variable: no margin
    (RELU, r"1: $$a = \max(0, z + 0.01)$$", NOT_PASS),
    # --- ReLU: a claim's indicator of a = relu(z), exactly 0 on the negative side ------------
    (RELU, "1: $$" + DZ + r"(y - t) (v \odot \mathbb{1}(a > 0))^T$$", {P, U}),  # true
    (RELU, "1: $$" + DZ + r"(y - t) (v \odot \text{sign}(a))^T$$", {P, U}),  # true
    pytest.param(
        RELU,
        "1: $$" + DZ + r"(y - t) (v \odot \mathbb{1}(a \geq 0))^T$$",
        NOT_PASS,
    ),
    pytest.param(
        RELU,
        "1: $$" + DZ + r"(y - t) (v \odot \mathbb{1}(-a \leq 0))^T$$",
        NOT_PASS,
    ),
    pytest.param(
        RELU,
        "1: $$" + DZ + r"(y - t) (v \odot (1 - \mathbb{1}(-a > 0)))^T$$",
        NOT_PASS,
    ),
    pytest.param(  # right for z > 0, v ⊙ z where z < 0
        RELU,
        "1: $$" + DZ + r"(y - t) (v \odot (\mathbb{1}(z > 0) + \mathbb{1}(a \leq 0) \odot z))^T$$",
        NOT_PASS,
    ),
    (RELU, "1: $$" + DZ + r"(y - t) (v \odot (1 + \text{sign}(a) - \text{sign}(a)))^T$$", {F}),
    (RELU, r"1: $$f(u) = \frac{u + |u|}{2}$$", {P}),
    (RELU, r"1: $$f'(u) = \frac{1 + \text{sign}(u)}{2}$$", {P}),
    (RELU, r"1: $$f'(u) = \text{sign}(u)$$", {F}),
    (RELU, r"1: $$f(u) = |u|$$", {F}),
    # --- piecewise notation ------------------------------------------------------------------
    (PIECEWISE, "1: $$" + DZ + r"(y - t)(v \odot \mathbb{1}_{z > 0})^T$$", {P}),
    pytest.param(
        PIECEWISE,
        "1: $$" + DZ + r"(y - t)(v \odot \mathbb{1}(z - 2^{-7} > 0))^T$$",
        NOT_PASS,
    ),
    pytest.param(
        PIECEWISE,
        "1: $$" + DZ + r"(y - t)(v \odot \mathbb{1}(a \geq 0))^T$$",
        NOT_PASS,
    ),
    (PIECEWISE, r"1: $$a = \max(z, 0)$$", {P}),
    (PIECEWISE, r"1: $$a = \max(0, -z)$$", {F}),
    (PIECEWISE, r"1: $$a = \max(0, z) - \max(0, -z)$$", {F}),
    (PIECEWISE, r"1: $$a = \max(0.01 z, z)$$", {E}),
    (PIECEWISE, r"1: $$|a| = a$$", {P}),
    (PIECEWISE, "2: $$" + DZ + r"(y - t)(v \odot (2\mathbb{1}(z > 0) - 1))^T$$", {P}),
    (PIECEWISE, "2: $$" + DZ + r"(y - t)(v \odot \mathbb{1}(z > 0))^T$$", {F}),
    (PIECEWISE, "2: $$" + DZ + r"(y - t)(v \odot \text{sign}(a))^T$$", {F}),  # a = |z| ≥ 0
    (PIECEWISE, r"2: $$a = \max(0, z) + \max(0, -z)$$", {P}),
    (PIECEWISE, r"2: $$y = v^T |z|$$", {P}),
    (PIECEWISE, r"2: $$y = |v^T z|$$", {F}),
    (
        PIECEWISE,
        "3: $$" + DZ + r"(y - t)(v \odot (\mathbb{1}(z > 0) + 0.01 \mathbb{1}(a < 0)))^T$$",
        # true, but a < 0 (a the leaky ReLU's output) is a kink the points are not kept
        # around: undecided since the fix of THRESHOLD, never a pass by luck
        {P, U},
    ),
    (
        PIECEWISE,
        "3: $$" + DZ + r"(y - t)(v \odot (\mathbb{1}(z > 0) + 0.02 \mathbb{1}(z < 0)))^T$$",
        {F},
    ),
    (PIECEWISE, r"3: $$a = \max(0, z) - 0.01 \max(0, -z)$$", {P}),
    (PIECEWISE, r"3: $$a = \max(0, z)$$", {F}),
    # --- the hinge loss: the margin is a kink of the model, a moved margin is not -------------
    (HINGE, "1: $$" + DWJ + r"\mathbb{1}(s_j + 1 > s_y) x_m \quad \text{for } j \neq y$$", {P}),
    (HINGE, "1: $$" + DWJ + r"\mathbb{1}(s_j - s_y > 0) x_m \quad \text{for } j \neq y$$", {F}),
    pytest.param(
        HINGE,
        "1: $$" + DWJ + r"\mathbb{1}(s_j - s_y + 1.01 > 0) x_m \quad \text{for } j \neq y$$",
        NOT_PASS,
    ),
    pytest.param(
        HINGE,
        "1: $$" + DWJ + r"\mathbb{1}(s_j - s_y + 0.99 > 0) x_m \quad \text{for } j \neq y$$",
        NOT_PASS,
    ),
    pytest.param(
        HINGE,
        "1: $$" + DWY + r"-\sum_{k \neq y} \mathbb{1}(s_k - s_y + 1.001 > 0) x_m$$",
        NOT_PASS,
    ),
    (HINGE, "1: $$" + DWY + r"-\sum_{k} \mathbb{1}(s_k - s_y + 1 > 0) x_m + x_m$$", {P}),
    (HINGE, r"1: $$L = \sum_{j \neq y} \max(0, s_j - s_y + 1.001)$$", {F}),
    (HINGE, r"1: $$L = \sum_{j=1}^C \max(0, s_j - s_y + 1) - 1$$", {P}),
    # --- abstract activations: true for every g, or false -------------------------------------
    (ABSTRACT, r"1: $$\frac{\partial g(u)}{\partial u} = 1 - g(u)^2$$", {F}),  # tanh only
    (ABSTRACT, r"1: $$g''(u) = -2 g(u) g'(u)$$", {F}),  # tanh only
    (ABSTRACT, r"1: $$g(u)^2 + g'(u)^2 = 1$$", {F}),  # sin only
    (ABSTRACT, r"1: $$g'(u) = \frac{g(u + 0.0001) - g(u)}{0.0001}$$", {F}),
    (ABSTRACT, r"1: $$g(0) = 0$$", {F}),
    (ABSTRACT, r"1: $$g(u) = g(-u)$$", {F}),
    (ABSTRACT, r"1: $$\frac{\partial g(2u)}{\partial u} = 2 g'(u)$$", {F}),
    (ABSTRACT, r"1: $$\frac{\partial g(g(u))}{\partial u} = g'(g(u)) g'(u)$$", {P}),
    (ABSTRACT, r"1: $$\frac{\partial g(g(u))}{\partial u} = g'(u) g'(u)$$", {F}),
    (ABSTRACT, r"1: $$\frac{\partial \phi(g(u))}{\partial u} = g'(\phi(u)) \phi'(u)$$", {F}),
    (ABSTRACT, r"1: $$\frac{\partial g''(u)}{\partial u} = g'''(u)$$", {P}),
    (ABSTRACT, r"1: $$\frac{\partial \sqrt{g(u)}}{\partial u} = \frac{g'(u)}{2\sqrt{g(u)}}$$", {P}),
    (ABSTRACT, r"1: $$\frac{\partial E}{\partial r} = (y - t) s(r)(1 - s(r))$$", {F}),
    (ABSTRACT, r"1: $$\frac{\partial E}{\partial z} = (y - t)g'(r) (v \odot \phi'(z))^T$$", {F}),
    (ABSTRACT, r"1: $$\frac{\partial E}{\partial z} = (y - t)\phi'(r) (v \odot g'(a))^T$$", {F}),
    (ABSTRACT, r"1: $$\frac{\partial a}{\partial z} = \text{diag}(g(z))$$", {F}),
    (LAYERED, r"1: $$\frac{\partial E}{\partial z^{(2)}} = g^{(1)\prime}(z^{(2)})$$", {F}),
    (
        LAYERED,
        r"1: $$\frac{\partial E}{\partial z^{(1)}} = g'^{(2)}(z^{(2)}) (v \odot g'^{(1)}(z^{(1)}))^T$$",
        {P},
    ),
    (
        LAYERED,
        r"1: $$\frac{\partial E}{\partial x} = g^{(2)\prime}(z^{(2)}) (v \odot g^{(2)\prime}(z^{(1)}))^T W^{(1)}$$",
        {F},
    ),
    # --- formulas of several arguments ---------------------------------------------------------
    (LOSSES, r"1: $$L = H(y, t)$$", {P}),  # H(A, Y) = CE(Y, A)
    (LOSSES, r"1: $$L = H(t, y)$$", {F}),
    (LOSSES, r"1: $$L = \text{CE}(t, s(W x))$$", {P}),
    (LOSSES, r"1: $$L = \text{CE}(t, z)$$", {F}),
    (LOSSES, r"1: $$L = \text{CE}(2 t, y) - \text{CE}(t, y)$$", {P}),
    (LOSSES, r"1: $$\text{CE}(t, t) = -\sum_i t_i \log y_i$$", {F}),
    (LOSSES, r"1: $$\frac{\partial \text{CE}(y, t)}{\partial z} = (y - t)^T$$", {F}),
    # the right side's bound i is not the claim's free i
    (
        LOSSES,
        r"1: $$\frac{\partial L}{\partial z_i} = y_i - t_i + t_i \text{CE}(t, y) - t_i L$$",
        {P},
    ),
    (
        LOSSES,
        r"1: $$\frac{\partial L}{\partial z_i} = y_i - t_i + y_i \text{CE}(t, y) - t_i L$$",
        {F},
    ),
    (LOSSES, r"2: $$L = \text{BCE}(1 - t, 1 - y)$$", {P}),
    (LOSSES, r"2: $$L = \text{CE}(t, y) + \text{CE}(1 - t, 1 - t)$$", {F}),
    (LOSSES, r"3: $$L = \frac{1}{n} \text{MSE}(z, t)$$", {P}),  # symmetric
    (LOSSES, r"3: $$L = \frac{1}{d} \text{MSE}(z, t)$$", {F}),
    # --- batches: one size, one axis -----------------------------------------------------------
    (ROWS_B, r"1: $$\frac{\partial L}{\partial S} = \frac{1}{2} (P - Y)$$", {F}),  # N = 2 only
    (ROWS_B, r"1: $$\frac{\partial L}{\partial S} = \frac{1}{C} (P - Y)$$", {F}),
    (ROWS_B, r"1: $$P = \text{softmax}(S^T)^T$$", {E, F}),
    (ROWS_B, r"1: $$\sum_{i=1}^N P_{ic} = 1$$", {F}),
    (ROWS_B, r"1: $$\sum_{i=1}^N Y_{ic} = 1$$", {F}),
    (ROWS_B, r"1: $$S = H W^{(2)} + b^{(2)T}$$", {E}),
    (ROWS_B, r"1: $$Z = X W^{(1)} + b^{(2)}$$", {E}),
    (ROWS_B, r"1: $$S = H W^{(2)} + b^{(2)} + b^{(2)}$$", {F}),
    (ROWS_B, r"1: $$\frac{\partial L_i}{\partial S_{jc}} = 0 \quad \text{for } j \neq i$$", {P}),
    (ROWS_B, r"1: $$\frac{\partial L_i}{\partial S_{jc}} = 0$$", {F}),
    (
        ROWS_B,
        r"1: $$\frac{\partial L}{\partial b^{(1)}} = \frac{1}{N} \mathbf{1}^T ((P - Y) W^{(2)T})$$",
        {F},
    ),
    (  # true (H > 0 exactly where Z > 0); H = 0 exactly elsewhere, so too few usable points
        ROWS_B,
        r"1: $$\frac{\partial L}{\partial Z} = \frac{1}{N} ((P - Y) W^{(2)T}) \odot \mathbb{1}(H > 0)$$",
        {P, U},
    ),
    (
        ROWS_B,
        r"1: $$\frac{\partial L}{\partial Z} = \frac{1}{N} ((P - Y) W^{(2)T}) \odot \mathbb{1}(H \geq 0)$$",
        NOT_PASS,
    ),
    (COLS_B, r"1: $$db^{[2]} = \frac{1}{m} (A^{[2]} - Y)$$", {F, E}),
    (COLS_B, r"1: $$db^{[2]} = \frac{1}{m} (A^{[2]} - Y) \mathbf{1}$$", {P}),
    (COLS_B, r"1: $$dZ^{[1]} = W^{[2]T} dZ^{[2]} * (1 - A^{[1]})$$", {F}),
    (COLS_B, r"1: $$Z^{[1]} = W^{[1]} X + \mathbf{1} b^{[1]T}$$", {E}),
    (COLS_B, r"1: $$Z^{[2]} = W^{[2]} A^{[1]} + 2 b^{[2]}$$", {F}),
    (COLS_B, r"1: $$L_i = -\log (1 - A^{[2]}_i) \quad \text{if } Y_i = 1$$", {F}),
    # --- layout "variable": no layout excuses a transposed gradient ----------------------------
    (VARIABLE, r"1: $$\frac{\partial E}{\partial b} = (h - t)^T$$", {F}),
    (VARIABLE, r"1: $$\frac{\partial E}{\partial W} = (h - t)^T x$$", {F}),
    (VARIABLE, r"1: $$h^T = W^T x^T + b^T$$", {P}),
    (VARIABLE, r"1: $$h = x W + b^T$$", {E}),
    (VARIABLE, r"2: $$z = W x + b^T$$", {E}),
    (VARIABLE, r"2: $$\frac{\partial E}{\partial x} = (z - t)^T W$$", {F}),
    # --- generic depth: one layer, one depth ---------------------------------------------------
    (DEPTH, DELTA + r"$$\delta^{L-1} = (W^{L})^T \delta^{L}$$", {F}),
    (
        DEPTH,
        DELTA + r"$$\delta^{l-1} = ((W^{l})^T \delta^{l}) \circ g^{l\prime}(z^{l-1})$$",
        {F},
    ),
    (DEPTH, DELTA + r"$$\delta^{[2]} = (a^{[2]} - y) \circ g^{[2]\prime}(z^{[2]})$$", NOT_PASS),
    (DEPTH, DELTA + r"$$\delta^{l} = (a^{L} - y) \circ g^{L\prime}(z^{L})$$", NOT_PASS),
    (
        DEPTH,
        r"1: $$\frac{\partial J}{\partial W^l} = \frac{\partial J}{\partial z^l} x^T$$",
        NOT_PASS,
    ),
    (DEPTH, r"1: $$\frac{\partial J}{\partial W^1} = \frac{\partial J}{\partial z^1} x^T$$", {P}),
    (DEPTH, r"1: $$z^l = W^l g^{l}(z^{l-1}) + b^l$$", {F}),
    (DEPTH, r"1: $$a^L = g^{L-1}(W^L a^{L-1} + b^L)$$", {F}),
    (DEPTH, r"1: $$\frac{\partial a^l}{\partial z^l} = \text{diag}(g^{l+1\prime}(z^l))$$", {F}),
    (DEPTH, r"1: $$\frac{\partial J}{\partial W^{L+1}} = 0$$", {E}),
    (
        DEPTH,
        r"2: $$\frac{\partial J}{\partial z^{L-1}} = (a^{L-1} - y) \circ g^{L-1\prime}(z^{L-1})$$",
        {F},
    ),
    (DEPTH, r"2: $$\frac{\partial J}{\partial z^{L}} = (a^{L} - y) \circ g^{L\prime}(z^L)$$", {P}),
    # a condition on l: the false variant is not a pass today, the true line is refused
    (
        DEPTH,
        r"2: $$\frac{\partial J}{\partial z^{l}} = (W^{l+1})^T \frac{\partial J}{\partial z^{l+1}} \quad \text{for } l < L$$",
        NOT_PASS,
    ),
    # fixed in session 20 (a condition on layers was read per instance, l already a number)
    (
        DEPTH,
        r"2: $$\frac{\partial J}{\partial z^{l}} = (W^{l+1})^T \frac{\partial J}{\partial z^{l+1}} \circ g^{l\prime}(z^l) \quad \text{for } l < L$$",
        {P},
    ),
    (
        DEPTH,
        r"2: $$\frac{\partial J}{\partial z^{l}} = (a^{l} - y) \circ g^{l\prime}(z^l) \quad \text{for } l = L$$",
        {P},
    ),
]


def _verdict(assignment: str, text: str) -> tuple[Verdict, str]:
    claims = check_text(text.replace("¶", "\n\n"), "s.md", checker=checker_of(assignment)).claims
    last = claims[-1]  # a row's claim is its last: a definition of δ may come first
    return last.verdict, last.message


@pytest.mark.parametrize(("assignment", "text", "allowed"), ROWS)
def test_row(assignment, text, allowed):
    verdict, message = _verdict(assignment, text)
    assert verdict in allowed, (text, verdict, message)


def test_a_one_sided_pass_does_not_claim_both_sides_were_met():
    """Where the claim's values exist only at z > 0 (`𝟙(a > 0)`, a = relu(z)), a pass may not
    say each side of each kink was met: only 12 of the 42 points remain, all with z > 0."""
    verdict, message = _verdict(RELU, "1: $$" + DZ + r"(y - t) (v \odot \mathbb{1}(a > 0))^T$$")
    if verdict is P and "agrees at 12 points" in message:
        pytest.xfail(ONE_SIDED)
    assert verdict is not P or "each side of each met" not in message or "42" in message


MESSAGES = [
    # (assignment, text, a phrase the error must not say: it misleads)
    pytest.param(
        LAYERED,
        r"1: $$\frac{\partial E}{\partial z^{(1)}} = g^{(2)\prime}(z^{(2)}) (v \odot g'(z^{(1)}))^T$$",
        "without an argument",  # fixed since the review: it names the declared g^{(1)}, g^{(2)}
    ),
    # a sum over the layer letter says so (session 20; it said `L` was unknown)
    (
        DEPTH,
        r"1: $$J = \frac{1}{2} \sum_j (a^{L}_j - y_j)^2 + 0 \sum_{l=1}^{L} b^{l}_1$$",
        "unknown symbol `L`",
    ),
]


@pytest.mark.parametrize(("assignment", "text", "misleading"), MESSAGES)
def test_error_messages_say_what_is_wrong(assignment, text, misleading):
    verdict, message = _verdict(assignment, text)
    assert verdict is E, message
    assert misleading not in message, message


def _nested_formulas(levels: int) -> str:
    """An assignment whose formula k applies formula k-1 twice: 2^levels calls when read."""
    names = [r"\\text{F" + c + "}" for c in string.ascii_uppercase]
    body = [f'"{names[0]}(a, b) = a^T b"'] + [
        f'"{names[k]}(a, b) = {names[k - 1]}(a, b) + {names[k - 1]}(b, a)"'
        for k in range(1, levels + 1)
    ]
    return textwrap.dedent(
        f"""\
        name = "nested"
        formulas = [{", ".join(body)}]
        [models.m]
        dimensions = [{{ n = 2 }}, {{ n = 3 }}]
        inputs = {{ x = ["n", 1], t = ["n", 1] }}
        definitions = ["L = {names[levels]}(x, t)"]
        [[steps]]
        id = "1"
        model = "m"
        """
    )


def test_nested_formulas_load_or_are_refused_in_bounded_time(tmp_path):
    path = tmp_path / "nested.toml"
    path.write_text(_nested_formulas(20))
    code = (
        "from verifier.api import _checker\n"
        "from verifier.models.assignment import AssignmentError\n"
        f"try:\n    _checker({str(path)!r}, None)\nexcept AssignmentError as e:\n    print(e)\n"
    )
    try:
        run = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
    except subprocess.TimeoutExpired:
        pytest.fail("loading did not end within 10 s")
    assert run.returncode == 0, run.stderr[-2000:]
    # fixed since the review: the expansion is bounded (parse/formulas.py MAX_CALLS)
    assert "applied more than" in run.stdout


CLI = "import sys; from verifier.cli import main; sys.exit(main(sys.argv[1:]))"
SUBMISSIONS = [
    (
        DEPTH,
        DELTA + r"$$\delta^l = \left((W^{l+1})^T \delta^{l+1}\right) \circ g^{l\prime}(z^l)$$¶"
        r"$$\frac{\partial J}{\partial W^l} = \delta^l (a^{l-1})^T \cdot 2$$",
    ),
    (
        RELU,
        "1: $$" + DZ + r"(y - t) (v \odot \mathbb{1}(a > 0))^T$$¶"
        r"$$f(u) = \frac{u + |u|}{2}$$¶$$" + DZ + r"(y - t) v^T$$",
    ),
]


def _args(assignment: str, source) -> list[str]:
    options = ["--format", "json", "--no-proof", "--allow-missing"]
    return ["--assignment", str(ROOT / assignment), *options, str(source)]


@pytest.mark.parametrize(("assignment", "text"), SUBMISSIONS)
def test_verdicts_do_not_depend_on_the_hash_seed(tmp_path, assignment, text):
    """The same file, assignment and seed under two PYTHONHASHSEED values: the same JSON
    verdicts and messages (abstract instances and kept points are drawn per run)."""
    source = tmp_path / "s.md"
    source.write_text(text.replace("¶", "\n\n"))
    outputs = []
    for seed in ("0", "4242"):
        run = subprocess.run(
            [sys.executable, "-c", CLI, *_args(assignment, source)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        claims = [c for s in json.loads(run.stdout)["steps"] for c in s["claims"]]
        outputs.append([(c["verdict"], c["message"]) for c in claims])
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) >= 2
