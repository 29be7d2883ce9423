"""The library of classic derivations (issue 14): every bundled assignment loads, its example
solution earns every point, each planted mistake fails on its own line and nowhere else, its
derived truths agree with central finite differences, and `--list` names it."""

from __future__ import annotations

import pytest

from verifier.api import check_file
from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.check.grading import Grader
from verifier.check.verdicts import Verdict
from verifier.cli import main
from verifier.models.assignment import bundled_names, load_assignment
from verifier.models.model import build_model

from .conftest import GENEROUS, ROOT
from .finite_differences import mismatches

LIBRARY = ROOT / "tests" / "data" / "library"
EXAMPLES = ROOT / "derivations" / "examples"

# (assignment, its example solution)
SOLUTIONS = [
    ("logistic_regression", "logistic_regression_solution.md"),
    ("linear_regression", "linear_regression_solution.md"),
    ("softmax_regression", "softmax_regression_solution.md"),
    ("word2vec", "word2vec_solution.md"),
    ("two_layer_relu", "two_layer_relu_solution.md"),
    ("multiclass_svm", "multiclass_svm_solution.md"),
    ("ng_deep", "ng_deep_solution.md"),
    ("batchnorm", "batchnorm_solution.md"),
    ("rnn_bptt", "rnn_bptt_solution.md"),
]

# (assignment, solution with one planted mistake, the line it is on): the example solution
# with that one line changed, so every other claim keeps its verdict
MISTAKES = [
    ("logistic_regression", "logistic_regression_sign.md", 12),  # y - ŷ for ŷ - y
    ("logistic_regression", "logistic_regression_chain.md", 16),  # ∂ŷ/∂w for ∂L/∂w
    ("linear_regression", "linear_regression_factor.md", 12),  # 2λw: the ½ forgotten
    ("linear_regression", "linear_regression_mean.md", 12),  # the 1/N forgotten
    ("softmax_regression", "softmax_regression_jacobian.md", 8),  # p_k(1 - y_k)
    ("softmax_regression", "softmax_regression_target.md", 14),  # y dropped: p_c x_d
    ("word2vec", "word2vec_case.md", 18),  # ŷ_w v_c for every w, o included
    ("word2vec", "word2vec_negative.md", 37),  # -σ(u_k^T v_c) v_c: the sign
    ("two_layer_relu", "two_layer_relu_mean.md", 12),  # the 1/N of the mean forgotten
    ("two_layer_relu", "two_layer_relu_mask.md", 24),  # ReLU's mask forgotten
    ("multiclass_svm", "multiclass_svm_self.md", 14),  # the class y counted in its own sum
    ("multiclass_svm", "multiclass_svm_indicator.md", 26),  # the margin's indicator forgotten
    ("ng_deep", "ng_deep_mean.md", 33),  # the 1/m of the mean forgotten in ∂J/∂W
    ("ng_deep", "ng_deep_activation.md", 41),  # g^{[l]}'(Z^{[l]}) dropped from the recursion
    ("batchnorm", "batchnorm_power.md", 38),  # (σ² + ε)^{-1/2} for ^{-3/2}
    ("batchnorm", "batchnorm_constants.md", 59),  # μ and σ² held constant: γ dy_i / √(σ² + ε)
    ("rnn_bptt", "rnn_bptt_direct.md", 37),  # h^{(2)}'s own output's term forgotten
    ("rnn_bptt", "rnn_bptt_state.md", 51),  # h^{(t)} for h^{(t-1)} in ∇_W L
]

# every model of every bundled assignment, found as the package ships them
BUNDLED_MODELS = [(n, m) for n in bundled_names() for m in load_assignment(n).models]


def _graded(name: str, path):
    checker = Checker(load_assignment(name), Config(limits=GENEROUS))
    result = check_file(str(path), checker=checker)
    return result, Grader(checker).grade(result)


@pytest.mark.parametrize(("name", "solution"), SOLUTIONS)
def test_the_example_solution_earns_every_point(name, solution):
    result, grade = _graded(name, EXAMPLES / solution)
    assert load_assignment(name).example == EXAMPLES / solution
    assert all(c.verdict is Verdict.PASS for c in result.claims), [
        (c.line, c.verdict.value, c.message) for c in result.claims if c.verdict is not Verdict.PASS
    ]
    assert grade.total == grade.max_total > 0


@pytest.mark.parametrize(("name", "solution", "line"), MISTAKES)
def test_a_planted_mistake_fails_on_its_line(name, solution, line):
    result, grade = _graded(name, LIBRARY / solution)
    failing = {c.line for c in result.claims if c.verdict is Verdict.FAIL}
    assert failing == {line}
    others = [c for c in result.claims if c.line != line]
    assert all(c.verdict is Verdict.PASS for c in others)
    assert grade.total < grade.max_total


@pytest.mark.parametrize(("name", "model"), BUNDLED_MODELS)
def test_every_bundled_model_agrees_with_finite_differences(name, model):
    built = build_model(load_assignment(name), model)
    assert mismatches(built, built.loss) == []


def test_the_library_is_listed_with_titles(capsys):
    assert main(["--list"]) == 0
    out = capsys.readouterr().out
    for name in bundled_names():
        assert f"{name}: {load_assignment(name).title}" in " ".join(out.split())
    assert {n for n, _ in SOLUTIONS} <= set(bundled_names())
