"""Abstract activations (issue 13): `g = "smooth"` declares any smooth function. A claim must hold
for every g: true chain-rule claims pass (proved with g opaque), a claim true only for one g (the
sigmoid's `g' = g(1 - g)`) fails at a point's random instance."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import sympy as sp

from verifier.api import check_claim
from verifier.check import numeric as nm
from verifier.check.verdicts import Verdict
from verifier.cli import main
from verifier.models import abstract
from verifier.models.assignment import load_assignment
from verifier.models.instance import Instance
from verifier.models.model import build_model

from .conftest import ROOT, checker_of
from .finite_differences import derived_gradient, numeric_gradient, point

P, W, F, E = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR
ABSTRACT = "tests/data/abstract.toml"
DZ = r"\frac{\partial E}{\partial z}"

CLAIMS = [
    # (claim, verdict) — each true claim has a false variant beside it
    (r"\frac{\partial E}{\partial r} = (y - t)\phi'(r)", P),
    (r"\frac{\partial E}{\partial r} = (y - t)\phi(r)(1 - \phi(r))", F),  # the sigmoid's
    (r"\frac{\partial E}{\partial r} = (y - t) g'(r)", F),  # another function's derivative
    (DZ + r" = (y - t)\phi'(r) (v \odot g'(z))^T", P),
    (DZ + r" = (y - t)\phi'(r) v^T", F),  # g' forgotten
    (DZ + r" = (y - t)\phi'(r) (v \odot g(z))^T", F),  # g for g'
    (r"\frac{\partial E}{\partial W} = (y - t)\phi'(r) (v \odot g'(z)) x^T", P),
    (r"\frac{\partial E}{\partial W} = (y - t) (v \odot g'(z)) x^T", F),  # φ' dropped
    (r"\frac{\partial g(u)}{\partial u} = g'(u)", P),
    (r"\frac{\partial g(u)}{\partial u} = g(u)(1 - g(u))", F),  # true only for the sigmoid
    (r"\frac{\partial g(u)}{\partial u} = 1 - g(u)^2", F),  # true only for tanh
    (r"\frac{\partial g(u)}{\partial u} = g''(u)", F),
    (r"\frac{\partial g'(u)}{\partial u} = g''(u)", P),
    (r"\frac{\partial g(2u)}{\partial u} = 2 g'(2u)", P),
    (r"\frac{\partial g(2u)}{\partial u} = g'(2u)", F),
    (r"\frac{\partial \phi(g(u))}{\partial u} = \phi'(g(u)) g'(u)", P),
    (r"\frac{\partial \phi(g(u))}{\partial u} = \phi'(u) g'(u)", F),
    # a declared library function beside them keeps its own meaning
    (r"\frac{\partial s(u)}{\partial u} = s(u)(1 - s(u))", P),
    (r"\frac{\partial s(u)}{\partial u} = s(u)(1 + s(u))", F),
]


@pytest.mark.parametrize(("claim", "verdict"), CLAIMS)
def test_claims_hold_for_every_smooth_function(claim, verdict):
    result = check_claim(claim, "1", checker=checker_of(ABSTRACT))
    assert result.verdict is verdict, result.message


def test_a_pass_says_how_g_was_checked():
    claim = r"\frac{\partial E}{\partial r} = (y - t)\phi'(r)"
    message = check_claim(claim, "1", checker=checker_of(ABSTRACT)).message
    assert "proved exactly" in message  # with g and φ opaque: for every g
    assert "any smooth function" in message and "tanh, sin or softplus" in message


def test_a_failure_names_the_instance_at_its_point():
    claim = r"\frac{\partial g(u)}{\partial u} = g(u)(1 - g(u))"
    message = check_claim(claim, "1", checker=checker_of(ABSTRACT)).message
    assert "point 1 (random; g, \\phi there: a·tanh(b·u + c) + d·u + k)" in message


@pytest.mark.parametrize(
    ("claim", "fragment"),
    [
        (r"\frac{\partial E}{\partial r} = g", "`g` needs an argument"),
        (r"\frac{\partial E}{\partial r} = \phi", "needs an argument"),
        (r"\frac{\partial E}{\partial W} = g(W)", "g of a matrix is not supported"),
    ],
)
def test_misuses_of_an_abstract_function_are_errors(claim, fragment):
    result = check_claim(claim, "1", checker=checker_of(ABSTRACT))
    assert result.verdict is E and fragment in result.message, result.message


def test_every_dimension_set_sees_every_family_with_distinct_instances():
    probe = checker_of(ABSTRACT).probe("net")
    for *_, points in probe.instances:
        params = abstract.parameters("g")
        weights = np.stack([points.floats[params[f"a_{f}"]] for f in abstract.FAMILIES])
        assert ((weights != 0).sum(axis=0) == 1).all()  # one family per point
        assert set(np.argmax(weights != 0, axis=0)) == {0, 1, 2}
        assert len(set(points.floats[params["b_tanh"]])) == points.count


def test_the_same_seed_gives_the_same_instances_and_another_seed_others():
    model = checker_of(ABSTRACT).model("net")
    inst = Instance(model, model.dimension_sets[0])
    key = abstract.parameters("g")["d"]

    def drawn(seed):
        return nm.sample(inst, 6, np.random.default_rng([seed, 0])).floats[key]

    assert (drawn(0) == drawn(0)).all() and not (drawn(0) == drawn(1)).all()


def test_abstract_values_survive_pickling_for_the_proof_worker():
    u = sp.Symbol("u", real=True)
    value = sp.diff(abstract.smooth("g", 0)(2 * u), u)
    assert pickle.loads(pickle.dumps(value)) == value == 2 * abstract.smooth("g", 1)(2 * u)
    assert not abstract.smooth("g", 0)(sp.Integer(0)).is_number  # g(0) has no value alone


@pytest.mark.parametrize("family", range(len(abstract.FAMILIES)))
def test_derived_gradients_agree_with_finite_differences_for_each_family(family):
    """With g and φ fixed to one point's instance, ∂E/∂(each input) derived through the opaque
    g' equals numpy's central differences of the forward values."""
    model = build_model(load_assignment(str(ROOT / ABSTRACT)), "net")
    rng = np.random.default_rng(7)
    for dims in model.dimension_sets:
        inst = Instance(model, dims)
        values = point(inst, rng)
        for key in ("g", r"\phi"):
            drawn = nm._instances(key, 3, rng)
            values.update({s: float(v[family]) for s, v in drawn.items()})
        (loss,) = inst.symbols["E"]
        for wrt in ("x", "W", "v", "t"):
            numeric = numeric_gradient(inst, loss, inst.symbols[wrt], values)
            derived = derived_gradient(inst, "E", wrt, values)
            assert np.allclose(derived, numeric, rtol=1e-5, atol=1e-5), (dims, wrt)


def test_truths_print_abstract_derivatives(capsys):
    code = main(["--assignment", str(ROOT / ABSTRACT), "--truths"])
    out = capsys.readouterr().out
    assert code == 0
    assert "% g, \\phi: any smooth function" in out
    # readable: a smooth function's derivative written with its prime (confirmed as any form)
    assert r"\frac{\partial E}{\partial r} = \phi'(r) (y - t)" in out
    assert r"\frac{\partial a}{\partial z} = \text{diag}(g'(z))" in out


LAYERED = "tests/data/layered_activations.toml"
DZ1 = r"\frac{\partial E}{\partial z^{(1)}}"


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        (r"\frac{\partial E}{\partial z^{(2)}} = g^{(2)\prime}(z^{(2)})", P),
        (r"\frac{\partial E}{\partial z^{(2)}} = g^{(2)'}(z^{(2)})", P),
        (r"\frac{\partial E}{\partial z^{(2)}} = g^{(1)'}(z^{(2)})", F),  # the other layer's
        (r"\frac{\partial E}{\partial z^{(2)}} = g^{(2)}(z^{(2)})", F),
        (DZ1 + r" = g^{(2)'}(z^{(2)}) (v \odot g^{(1)'}(z^{(1)}))^T", P),
        (DZ1 + r" = g^{(2)'}(z^{(2)}) (v \odot g^{(2)'}(z^{(1)}))^T", F),
        (r"\frac{\partial E}{\partial z^{(2)}} = g^{(3)}(z^{(2)})", E),  # no such function
    ],
)
def test_a_layer_can_have_its_own_abstract_activation(claim, verdict):
    result = check_claim(claim, "1", checker=checker_of(LAYERED))
    assert result.verdict is verdict, result.message


def test_a_layers_derivative_prints_with_its_layer():
    claim = r"\frac{\partial E}{\partial z^{(2)}} = g^{(1)'}(z^{(2)})"
    result = check_claim(claim, "1", checker=checker_of(LAYERED))
    assert r"true value g^{(2)\prime}(z^{(2)});" in result.message  # the readable truth
