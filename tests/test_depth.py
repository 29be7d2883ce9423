"""Generic depth (issue 13): a network of L layers declared once with a layer index. A claim
written with `l`, `l-1`, `l+1`, `L` is checked at every depth and every layer where its symbols
exist; one true only at the last layer fails, naming the depth and layer where it breaks."""

from __future__ import annotations

import numpy as np
import pytest

from verifier.api import check_text
from verifier.check import numeric as nm
from verifier.check.grading import Grader
from verifier.check.verdicts import Verdict
from verifier.models.assignment import load_assignment
from verifier.models.instance import Instance
from verifier.models.model import build_model

from .conftest import ROOT, checker_of
from .finite_differences import derived_gradient, numeric_gradient, point

P, W, F, E, N = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR, Verdict.NOTE
DEPTH = "tests/data/generic_depth.toml"
DEFINE = r"$$\delta^l := \frac{\partial J}{\partial z^l}$$"
RECURSION = r"\delta^l = \left((W^{l+1})^T \delta^{l+1}\right) \circ g^{l\prime}(z^l)"
LAST = r"\delta^L = (a^L - y) \circ g^{L\prime}(z^L)"

CLAIMS = [
    # (step, claim, verdict, said) — each true claim has a false variant beside it
    ("1", RECURSION, P, "L = 4 (l = 1, 2, 3)"),
    ("1", r"\delta^l = (W^{l+1})^T \delta^{l+1}", F, "false at L = 2, l = 1"),  # g' dropped
    ("1", r"\delta^l = (W^{l+1})^T (\delta^{l+1} \circ g^{l+1\prime}(z^{l+1}))", F, "l = 1"),
    ("1", r"\delta^l = ((W^{l+1})^T \delta^{l+1}) \circ g^{l+1\prime}(z^l)", F, "l = 1"),
    ("1", LAST, P, "L = 2; L = 3; L = 4"),
    ("1", r"\delta^L = a^L - y", F, "false at L = 2"),  # g' dropped
    ("1", r"\delta^L = (a^L - y) \circ g^{L-1\prime}(z^L)", F, "false at L = 2"),
    # the last layer's formula for every l: the widths differ, so it does not even fit
    ("1", r"\delta^l = (a^l - y) \circ g^{l\prime}(z^l)", E, "at L = 2, l = 1: cannot subtract"),
    ("1", r"\frac{\partial J}{\partial W^l} = \delta^l (a^{l-1})^T", P, "L = 3 (l = 1, 2, 3)"),
    ("1", r"\frac{\partial J}{\partial W^l} = 2 \delta^l (a^{l-1})^T", F, "false at L = 2, l = 1"),
    ("1", r"\frac{\partial J}{\partial b^l} = \delta^l", P, "L = 2 (l = 1, 2)"),
    ("1", r"\frac{\partial J}{\partial b^l} = \delta^{l+1}", F, "false at L = 2, l = 1: the right"),
    ("1", r"\frac{\partial J}{\partial a^{l-1}} = (W^l)^T \delta^l", P, "L = 4 (l = 1, 2, 3, 4)"),
    ("1", r"\frac{\partial J}{\partial a^{l-1}} = (W^l)^T \delta^{l-1}", F, "at L = 2, l = 2"),
    ("1", r"a^0 = x", P, "L = 2; L = 3; L = 4"),
    ("1", r"a^0 = y", F, "false at L = 2"),
    # square: every layer of one width, so the last layer's formula is well-formed, and false
    ("2", r"\delta^l = (a^l - y) \circ g^{l\prime}(z^l)", F, "false at L = 2, l = 1"),
    ("2", RECURSION, P, "L = 3 (l = 1, 2)"),
    ("2", r"\delta^l = (W^{l+1})^T \delta^{l+1} \circ g^{l+1\prime}(z^{l+1})", F, "l = 1"),
    ("2", r"\frac{\partial J}{\partial W^l} = \delta^l (a^{l-1})^T", P, "l = 1, 2"),
    ("2", r"\frac{\partial J}{\partial W^l} = \delta^l (a^l)^T", F, "false at L = 2, l = 1"),
    # a concrete layer is that layer at every depth that has it
    ("2", r"\frac{\partial J}{\partial a^{[3]}} = a^{[3]} - y", F, "false at L = 4"),
    ("2", r"\frac{\partial J}{\partial a^{[2]}} = (W^{[3]})^T \delta^{[3]}", P, "L = 3; L = 4"),
]


def _claims(text: str, step: str):
    result = check_text(f"## {step}\n\n{DEFINE}\n\n{text}\n", checker=checker_of(DEPTH))
    return [c for s in result.steps for c in s.claims]


@pytest.mark.parametrize(("step", "claim", "verdict", "said"), CLAIMS)
def test_generic_claims_hold_at_every_depth_and_layer(step, claim, verdict, said):
    note, result = _claims(f"$${claim}$$", step)
    assert note.verdict is N, note.message
    assert result.verdict is verdict, result.message
    assert said in result.message, result.message


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [(r"\delta^l = W^{l+5} a^l", E), (r"\delta^l = q^l", E)],
)
def test_a_claim_no_layer_has_is_an_error(claim, verdict):
    (_, result) = _claims(f"$${claim}$$", "1")
    assert result.verdict is verdict, result.message


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (r"$$\frac{\partial J}{\partial W^l} = \delta^l (a^{l-1})^T$$", "pass"),
        (r"$$\frac{\partial J}{\partial W^l} = \delta^l (a^{l-1})^T \cdot 2$$", "fail"),
        (r"$$\frac{\partial J}{\partial b^l} = \delta^l$$", "incomplete"),
        (r"$$\frac{\partial J}{\partial W^{[2]}} = \delta^{[2]} (a^{[1]})^T$$", "incomplete"),
    ],
)
def test_a_generic_target_is_stated_by_a_generic_claim(text, status):
    checker = checker_of(DEPTH)
    result = check_text(f"## 1\n\n{DEFINE}\n\n{text}\n", checker=checker)
    (step,) = [s for s in Grader(checker).grade(result).steps if s.id == "1"]
    assert step.status == status, step


@pytest.mark.parametrize("model", ["mlp", "square"])
def test_derived_gradients_agree_with_finite_differences_at_every_depth(model):
    """At every depth, with each layer's g fixed to a point's instance, ∂J/∂(each input)
    derived through the opaque g' equals numpy's central differences."""
    assignment = load_assignment(str(ROOT / DEPTH))
    rng = np.random.default_rng(11)
    for name in assignment.concrete(model):
        built = build_model(assignment, name)
        for dims in built.dimension_sets:
            inst = Instance(built, dims)
            values = point(inst, rng)
            family = int(rng.integers(3))
            for key in built.table.functions:
                drawn = nm._instances(key, 3, rng)
                values.update({s: float(v[family]) for s, v in drawn.items()})
            (loss,) = inst.symbols["J"]
            for wrt in [k for k, q in built.table.quantities.items() if q.kind == "leaf"]:
                numeric = numeric_gradient(inst, loss, inst.symbols[wrt], values)
                derived = derived_gradient(inst, "J", wrt, values)
                assert np.allclose(derived, numeric, rtol=1e-5, atol=1e-5), (name, dims, wrt)


# Ng's network (derivations/ng_deep.toml): ReLU hidden layers, the output layer's own sigmoid
# (`g^{[L]}` over `g^{[l]}`), one output unit (`widths = { n_L = 1 }`), binary cross-entropy;
# dV is ∂𝓛/∂V with 𝓛 the summed loss, J = 𝓛/m
NG = "derivations/ng_deep.toml"
NG_CLAIMS = [
    ("1", r"dA^{[L]} = -\left(\frac{Y}{A^{[L]}} - \frac{1 - Y}{1 - A^{[L]}}\right)", P),
    ("1", r"dA^{[L]} = \frac{Y}{A^{[L]}} - \frac{1 - Y}{1 - A^{[L]}}", F),
    ("1", r"dZ^{[L]} = A^{[L]} - Y", P),
    ("1", r"dZ^{[L]} = (A^{[L]} - Y) * g^{[L]\prime}(Z^{[L]})", F),  # σ' twice
    ("1", r"dZ^{[L]} = dA^{[L]} * g^{[L]\prime}(Z^{[L]})", P),  # g^{[L]} is the sigmoid
    ("1", r"dZ^{[L]} = dA^{[L]} * g^{[L-1]\prime}(Z^{[L]})", F),  # the hidden layers' ReLU
    # σ' written out: at a point where A^{[L]} is 1.0 in float64 the truth overflows, and the
    # point is left out, not taken for a kink the claim has no value at
    ("1", r"dZ^{[L]} = dA^{[L]} * A^{[L]} * (1 - A^{[L]})", P),
    ("1", r"dZ^{[L]} = dA^{[L]} * A^{[L]}", F),
    ("2", r"dZ^{[l]} = dA^{[l]} * g^{[l]\prime}(Z^{[l]})", P),
    ("2", r"dZ^{[l]} = dA^{[l]} * A^{[l]} * (1 - A^{[l]})", F),  # the sigmoid at every layer
    ("2", r"dZ^{[l]} = \left(W^{[l+1]T} dZ^{[l+1]}\right) * g^{[l]\prime}(Z^{[l]})", P),
    ("2", r"dZ^{[l]} = W^{[l+1]T} dZ^{[l+1]}", F),  # the ReLU's mask dropped
    ("2", r"\frac{\partial J}{\partial W^{[l]}} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}", P),
    ("2", r"\frac{\partial J}{\partial W^{[l]}} = dZ^{[l]} A^{[l-1]T}", F),
    ("2", r"\frac{\partial J}{\partial b^{[l]}} = \frac{1}{m} dZ^{[l]} \mathbf{1}", P),
    ("2", r"\frac{\partial J}{\partial b^{[l]}} = \frac{1}{m} dZ^{[l]}", F),  # not summed
    ("2", r"dA^{[l-1]} = W^{[l]T} dZ^{[l]}", P),
    ("2", r"dA^{[l-1]} = W^{[l]T} dA^{[l]}", F),
]


@pytest.mark.parametrize(("step", "claim", "verdict"), NG_CLAIMS)
def test_ngs_network_has_its_own_output_layer(step, claim, verdict):
    (result,) = _claims_in(NG, f"$${claim}$$", step)
    assert result.verdict is verdict, result.message


def _claims_in(path: str, text: str, step: str):
    result = check_text(f"## {step}\n\n{text}\n", checker=checker_of(path))
    return [c for s in result.steps for c in s.claims]


@pytest.mark.parametrize("top", [2, 3, 4])
def test_ngs_output_layer_is_one_sigmoid_unit(top):
    built = build_model(load_assignment(str(ROOT / NG)), f"deep (L = {top})")
    kinds = [built.table.functions[f"g^{{({k})}}"] for k in range(1, top + 1)]
    assert kinds == ["relu"] * (top - 1) + ["sigmoid"]
    assert all(dims[f"n_{top}"] == 1 for dims in built.dimension_sets)
    assert all(dims[f"n_{top - 1}"] > 1 for dims in built.dimension_sets)


# Conditions on layers (`\text{for } l < L`): a claim is checked at the depths and layers where
# its condition holds; numbers are layer numbers as written, `L - 1` the layer below the last.
RELU_MASK = r"dZ^{[l]} = dA^{[l]} * \mathbb{1}(Z^{[l]} > 0)"
SIGMOID_RULE = r"dZ^{[l]} = dA^{[l]} * A^{[l]} * (1 - A^{[l]})"
LAYER_CONDITIONS = [
    # (claim, verdict, said): the ReLU's mask holds at hidden layers, σ' at the last only
    (rf"{RELU_MASK} \quad \text{{for }} l < L", P, "L = 4 (l = 1, 2, 3)"),
    (rf"{RELU_MASK} \quad \text{{for }} l \le L - 1", P, "L = 3 (l = 1, 2)"),
    (rf"{RELU_MASK} \quad \text{{for }} 1 \le l < L", P, "L = 2 (l = 1)"),
    (rf"{RELU_MASK} \quad \text{{for }} l = L-1", P, "L = 3 (l = 2); L = 4 (l = 3)"),
    (rf"{RELU_MASK} \quad l = 1", P, "L = 2 (l = 1); L = 3 (l = 1)"),
    (rf"{RELU_MASK} \quad l = 1, \ldots, L-1", P, "L = 4 (l = 1, 2, 3)"),  # a range
    # a list or a range in words holds at more than its first value: refused, never l = 1
    (rf"{RELU_MASK} \quad \text{{for }} l = 1, 2", E, "list or range of values"),
    (rf"{RELU_MASK} \quad \text{{for }} l = 1 \text{{ to }} L - 1", E, "list or range"),
    (rf"{RELU_MASK} \quad \text{{for }} l \leq L", F, "false at L = 2, l = 2"),
    (rf"{RELU_MASK} \quad \text{{for }} l = L", F, "false at L = 2, l = 2"),
    (rf"{SIGMOID_RULE} \quad \text{{for }} l = L", P, "L = 2 (l = 2)"),
    (rf"{SIGMOID_RULE} \quad \text{{for }} l < L", F, "false at L = 2, l = 1"),
    (rf"{SIGMOID_RULE} \quad \text{{for }} l \neq 1", F, "false at L = 3, l = 2"),
    # a condition that holds nowhere, or compares a layer with something else, is no pass
    (rf"{SIGMOID_RULE} \quad \text{{for }} l > L", E, "where `l > L` holds"),
    (rf"{RELU_MASK} \quad \text{{for }} l < m", E, "compared with a layer"),
    (rf"{RELU_MASK} \quad \text{{for }} l < L, i = 1", E, "layers and on other things"),
    (rf"{RELU_MASK} \quad \text{{for }} l = i", E, "`i` is compared with a layer"),
]


@pytest.mark.parametrize(("claim", "verdict", "said"), LAYER_CONDITIONS)
def test_a_condition_on_layers_selects_where_a_claim_is_checked(claim, verdict, said):
    result, *unread = _claims_in(NG, f"$${claim}$$", "2")  # a list's values are unread text
    assert all(u.verdict is E for u in unread)
    assert result.verdict is verdict, result.message
    assert said in result.message, result.message


REST = (
    r"$$dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}$$ $$db^{[l]} = \frac{1}{m} dZ^{[l]} \mathbf{1}$$"
    r" $$dA^{[l-1]} = W^{[l]T} dZ^{[l]}$$"
)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # hidden layers under a condition, the last layer written with L: every layer stated
        (rf"$${RELU_MASK} \quad \text{{for }} l < L$$ $$dZ^{{[L]}} = A^{{[L]}} - Y$$", "pass"),
        (
            rf"$${RELU_MASK} \quad \text{{for }} l < L$$ "
            rf"$${SIGMOID_RULE} \quad \text{{for }} l = L$$",
            "pass",
        ),
        # said once in prose, it holds for every claim after it with l: dW, db, dA below L only
        (rf"For $l < L$:\n\n$${RELU_MASK}$$\n\n$$dZ^{{[L]}} = A^{{[L]}} - Y$$\n\n", "incomplete"),
        # the last layer never stated
        (rf"$${RELU_MASK} \quad \text{{for }} l < L$$", "incomplete"),
        (
            rf"$${RELU_MASK} \quad \text{{for }} l = L-1$$ $$dZ^{{[L]}} = A^{{[L]}} - Y$$",
            "incomplete",
        ),
    ],
)
def test_claims_under_layer_conditions_together_state_a_generic_target(text, status):
    checker = checker_of(NG)
    result = check_text(f"## 2\n\n{text} {REST}\n", checker=checker)
    (step,) = [s for s in Grader(checker).grade(result).steps if s.id == "2"]
    assert step.status == status, step


# A layer's width (`width = "n"`): `n_L`, `n_l`, `n_{l+1}`, `n_0` are the widths of those layers
# at each depth and layer (Ng's n_L = 1 output unit; hidden widths drawn 2 … 4)
CE = r"\left(Y_{ji} \log A^{[L]}_{ji} + (1 - Y_{ji}) \log(1 - A^{[L]}_{ji})\right)"
DW = r"dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}"
WIDTHS = [
    ("1", rf"J = -\frac{{1}}{{m}} \sum_{{i=1}}^m \sum_{{j=1}}^{{n_L}} {CE}", P),
    (
        "1",
        rf"J = -\frac{{1}}{{m}} \sum_{{i=1}}^m \sum_{{j=1}}^{{n_{{L-1}}}} {CE}",
        E,
    ),  # Y has 1 row
    ("2", rf"{DW} \sum_{{k=1}}^{{n_L}} 1", P),  # n_L = 1
    ("2", rf"{DW} \sum_{{k=1}}^{{n_{{l+1}}}} 1", F),  # a hidden width is 2 … 4
    ("2", rf"{DW} + 0 \sum_{{k=1}}^{{n_{{l-1}}}} 1", P),
    ("2", rf"{DW} \sum_{{k=1}}^{{n_0}} 1", F),
    ("2", r"n_{l}^2 = n_l n_l", P),
]


@pytest.mark.parametrize(("step", "claim", "verdict"), WIDTHS)
def test_a_layers_width_reads_at_each_depth_and_layer(step, claim, verdict):
    (result,) = _claims_in(NG, f"$${claim}$$", step)
    assert result.verdict is verdict, result.message
