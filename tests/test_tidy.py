"""Tidying readable forms (verifier/models/tidy.py): scalar parts simplified with SymPy on our
typed tree, `1ᵀ diag(a) b` as `aᵀ b`; the value never changes (each row is checked equal)."""

from __future__ import annotations

import pytest
import sympy as sp

from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.models.assignment import load_assignment
from verifier.models.tidy import tidy
from verifier.models.writing import write
from verifier.parse.parser import parse_member
from verifier.parse.resolve import Resolver

CHECKERS: dict[str, Checker] = {}


def _node(name: str, text: str):
    """The checker, model and typed tree of ``text`` read in the assignment's last model."""
    if name not in CHECKERS:
        CHECKERS[name] = Checker(load_assignment(name), Config(isolate=False))
    checker = CHECKERS[name]
    model = checker.model(list(checker.assignment.models)[-1])
    return checker, model, Resolver(model.table, 40).resolve(parse_member(text))


@pytest.mark.parametrize(
    ("name", "text", "tidied"),
    [
        # products expanded and like terms gathered
        ("logistic_regression", r"(1 - y) \hat{y} - y (1 - \hat{y})", r"\hat{y} - y"),
        ("logistic_regression", r"\frac{1}{2} \hat{y} + \frac{1}{2} \hat{y}", r"\hat{y}"),
        ("logistic_regression", r"-(y - \hat{y})", r"\hat{y} - y"),
        # powers of one base combined, a number's denominator into the fraction
        (
            "batchnorm",
            r"\frac{1}{2} \frac{1}{\sqrt{\epsilon}} \frac{1}{\epsilon}",
            r"\frac{1}{2 \epsilon^{\frac{3}{2}}}",
        ),
        ("batchnorm", r"(\sqrt{\sigma^2 + \epsilon})^2", r"\sigma^2 + \epsilon"),
        ("batchnorm", r"\sqrt{\epsilon} \sqrt{\epsilon}", r"\epsilon"),
        # a name written as a square keeps its own brackets under a power
        (
            "batchnorm",
            r"\frac{1}{\sqrt{\sigma^2}} \frac{1}{\sigma^2}",
            r"\frac{1}{(\sigma^2)^{\frac{3}{2}}}",
        ),
        # a sum of entries through a diagonal is an inner product
        ("batchnorm", r"\mathbf{1}_N^T \text{diag}(x - \mu) g", r"(x - \mu)^T g"),
        # scalars gathered out of a matrix product
        ("batchnorm", r"x^T (\frac{\gamma}{N} g)", r"\frac{\gamma x^T g}{N}"),
        ("batchnorm", r"\mathbf{1}_N^T \text{diag}(x - \mu)", r"(x - \mu)^T"),
        ("batchnorm", r"\text{diag}(x - \mu) \mathbf{1}_N", r"x - \mu"),
        # nothing to do: left as it is
        ("logistic_regression", r"w^T x", r"w^T x"),
        ("backprop", r"W^{(2)T} (y^{(2)} - t)", r"W^{(2)T} (y^{(2)} - t)"),
    ],
)
def test_tidy(name, text, tidied):
    checker, model, node = _node(name, text)
    out = tidy(node)
    assert write(out, model.table) == tidied
    probe = checker.probe(list(checker.assignment.models)[-1])
    before, after = probe.value(0, node, {})[0], probe.value(0, out, {})[0]
    assert sp.simplify(sp.Matrix(before) - sp.Matrix(after)) == sp.zeros(*sp.Matrix(before).shape)
