"""The SymPy truth against an independent numpy implementation and finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from verifier.models.evaluate import Evaluator
from verifier.models.model import build_model
from verifier.parse.parser import parse_math
from verifier.parse.resolve import Resolver


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def network_loss(x, W1, W2, t, y1=None):
    """E of the two-layer network; with ``y1`` given, E as a function of that node."""
    if y1 is None:
        y1 = sigmoid(W1 @ x)
    z2 = W2 @ y1
    y2 = np.exp(z2) / np.exp(z2).sum()
    return float(-(t * np.log(y2)).sum())


def numeric_gradient(f, a, h=1e-6):
    g = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        step = np.zeros_like(a)
        step[idx] = h
        g[idx] = (f(a + step) - f(a - step)) / (2 * h)
    return g


@pytest.fixture(scope="module")
def network(backprop_checker):
    probe = backprop_checker.probe("network")
    return probe, backprop_checker.model("network")


def truth(network, n, latex, env=None):
    probe, model = network
    node = Resolver(model.table).resolve(parse_math(latex).pieces[0].exprs[0])
    return probe.value(n, node, env or {})[1]  # float values, shape (points, ...)


def leaves(network, n, p):
    probe, _ = network
    inst, _, points = probe.instances[n]
    get = {
        k: np.array([[points.floats[s][p] for s in row] for row in m.tolist()])
        for k, m in inst.symbols.items()
        if k in ("x", "W^{(1)}", "W^{(2)}", "t")
    }
    return get["x"], get["W^{(1)}"], get["W^{(2)}"], get["t"]


@pytest.mark.parametrize("n", [0, 1, 2])
@pytest.mark.parametrize(
    ("latex", "reference"),
    [
        (
            r"\frac{\partial E}{\partial W^{(1)}}",
            lambda x, W1, W2, t: numeric_gradient(lambda A: network_loss(x, A, W2, t), W1),
        ),
        (
            r"\frac{\partial E}{\partial W^{(2)}}",
            lambda x, W1, W2, t: numeric_gradient(lambda A: network_loss(x, W1, A, t), W2),
        ),
        (
            r"\frac{\partial E}{\partial x}",  # numerator layout: a row
            lambda x, W1, W2, t: numeric_gradient(lambda a: network_loss(a, W1, W2, t), x).T,
        ),
        (
            r"\frac{\partial E}{\partial y^{(1)}}",  # E as a function of the node y1
            lambda x, W1, W2, t: (
                numeric_gradient(lambda a: network_loss(x, W1, W2, t, y1=a), sigmoid(W1 @ x)).T
            ),
        ),
        (r"\frac{\partial z^{(2)}}{\partial y^{(1)}}", lambda x, W1, W2, t: W2),
        (
            r"\frac{\partial y^{(1)}}{\partial z^{(1)}}",
            lambda x, W1, W2, t: np.diag((sigmoid(W1 @ x) * (1 - sigmoid(W1 @ x))).ravel()),
        ),
    ],
)
def test_network_truth(network, n, latex, reference):
    values = truth(network, n, latex)
    for p in range(values.shape[0]):
        expected = reference(*leaves(network, n, p))
        np.testing.assert_allclose(
            values[p].reshape(expected.shape), expected, rtol=1e-6, atol=1e-8
        )


def test_one_hot_targets_are_sampled(network):
    for n in range(3):
        t = leaves(network, n, 0)[3]
        assert sorted(t.ravel()) == [0.0] * (t.size - 1) + [1.0]


def test_dimension_sets_differ(network):
    _, model = network
    sets = [tuple(d.values()) for d in model.dimension_sets]
    assert len(set(sets)) == len(sets) and all(len(set(s)) == len(s) for s in sets)


def test_evaluator_is_pure_sympy(network):
    probe, model = network
    inst = probe.instances[0][0]
    ev = Evaluator(inst)
    node = Resolver(model.table).resolve(
        parse_math(r"\frac{\partial E}{\partial t}").pieces[0].exprs[0]
    )
    value = ev.value(node, {})
    assert value.shape == (1, inst.dims["n"])  # numerator layout: a row
    # symbols are named 1-based (y[1] .. y[n]), like the indices in every message (issue 10)
    assert {str(s) for s in value.free_symbols} <= {f"y[{i}]" for i in range(1, inst.dims["n"] + 1)}


def test_neuron_model_builds_with_constant_m(backprop_checker):
    model = build_model(backprop_checker.assignment, "neuron")
    assert model.table.quantities["W"].shape == (1, "d")


@pytest.mark.parametrize("name", ["backprop", "tanh_mse"])
def test_bundled_assignments_match_the_schema(name):
    """Bundled files skip validation at start-up, so the suite validates them."""
    import tomllib

    from verifier.models.assignment import _validate, find_assignment

    path = find_assignment(name)
    _validate(tomllib.loads(path.read_text(encoding="utf-8")), path)
