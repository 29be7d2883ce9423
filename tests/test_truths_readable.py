"""Readable truths (verifier/models/readable.py, verifier/check/readable.py, verifier/truths.py):
forms in the model's notation, each shown only when the checker confirms it."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.api import check_claim
from verifier.check.checker import Checker, _target
from verifier.check.compare import Config
from verifier.check.verdicts import Verdict
from verifier.errors import AssignmentError
from verifier.models import algebra as al
from verifier.models import readable
from verifier.models.assignment import bundled_names, load_assignment
from verifier.models.writing import write
from verifier.truths import ENTRYWISE, truths

CONFIG = Config(isolate=False)
SEED_WIDTH = 200  # characters: a terminal line


def _lines(name: str) -> tuple[Checker, list[tuple[str, str]]]:
    """The checker and (model, line) of each line of `--truths` on a bundled assignment."""
    checker = Checker(load_assignment(name), CONFIG)
    model, out = "", []
    for line in truths(checker.assignment, checker):
        if line.startswith("% model "):
            model = line.split()[2].rstrip(":")
        out.append((model, line))
    return checker, out


def _derived(checker: Checker, lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The lines that state a derived form (not a comment, a definition or an entrywise truth)."""
    declared = {d for spec in checker.assignment.models.values() for d in spec.definitions}
    return [
        (m, line)
        for m, line in lines
        if not line.startswith("%") and ENTRYWISE not in line and line not in declared
    ]


@pytest.mark.parametrize("name", bundled_names())
def test_every_shown_form_is_confirmed_by_the_checker(name):
    checker, lines = _lines(name)
    derived = _derived(checker, lines)
    steps = {s.model: s.id for s in reversed(checker.assignment.steps)}
    for model, line in derived:
        result = check_claim(line, step=steps[model], checker=checker)
        assert result.verdict is Verdict.PASS, (line, result.message)


@pytest.mark.parametrize(
    ("name", "lhs", "form"),
    [
        ("backprop", r"\frac{\partial E}{\partial W^{(2)}}", r"(y^{(2)} - t) y^{(1)T}"),
        (
            "backprop",
            r"\frac{\partial E}{\partial W^{(1)}}",
            r"\text{diag}(y^{(1)} \odot (1 - y^{(1)})) W^{(2)T} (y^{(2)} - t) x^T",
        ),
        ("backprop", r"\frac{\partial E}{\partial z_i^{(2)}}", r"y^{(2)}_{i} - t_{i}"),
        ("backprop", r"\frac{\partial g(z)}{\partial z}", r"G(z) (1 - G(z))"),
        ("backprop", r"\frac{\partial E}{\partial x}", r"-t (1 - y) W"),
        ("tanh_mse", r"\frac{\partial E}{\partial W^{(2)}}", r"(y - t) y^{(1)T}"),
        ("softmax_regression", r"\frac{\partial L}{\partial W}", r"(p - y) x^T"),
        ("linear_regression", r"\frac{\partial J}{\partial r}", r"\frac{1}{N} r"),
        ("word2vec", r"\frac{\partial J}{\partial U}", r"v_c (\hat{y} - y)^T"),
        # scalar parts tidied: (1 - y) ŷ - y (1 - ŷ) is ŷ - y
        ("logistic_regression", r"\frac{\partial L}{\partial z}", r"\hat{y} - y"),
        ("logistic_regression", r"\frac{\partial L}{\partial w}", r"(\hat{y} - y) x"),
        # a node seen only through a log rule gets its own adjoint (a quotient)
        (
            "logistic_regression",
            r"\frac{\partial L}{\partial \hat{y}}",
            r"\frac{1 - y}{1 - \hat{y}} - \frac{y}{\hat{y}}",
        ),
        # a vector one: no elementwise division is read, so one entry's form
        ("softmax_regression", r"\frac{\partial L}{\partial p_{i}}", r"-\frac{y_{i}}{p_{i}}"),
        # independent: zero
        ("logistic_regression", r"\frac{\partial L}{\partial u}", "0"),
        # a scalar added to every entry gets their sum; ReLU' written as an indicator
        (
            "multiclass_svm",
            r"\frac{\partial L}{\partial s}",
            r"\text{diag}(\mathbb{1}(s + 1 - t^T s > 0)) (1 - t)"
            r" - ((\mathbb{1}(s + 1 - t^T s > 0))^T (1 - t)) t",
        ),
        # a closed form too long for a line: one step of the chain rule
        (
            "rnn_bptt",
            r"\frac{\partial L}{\partial h^{(0)}}",
            r"W^T \text{diag}(1 - h^{(1)} \odot h^{(1)}) \frac{\partial L}{\partial h^{(1)}}",
        ),
    ],
)
def test_truths_are_written_in_the_model_notation(name, lhs, form):
    _, lines = _lines(name)
    assert f"{lhs} = {form}" in [line for _, line in lines]


def test_the_seed_targets_fit_a_terminal():
    checker, lines = _lines("backprop")
    targets = {(s.model, t) for s in checker.assignment.steps for t in s.targets}
    shown = [line for m, line in lines if (m, line.split(" = ")[0]) in targets]
    assert len(shown) == len(targets)
    assert all(len(line) <= SEED_WIDTH and ENTRYWISE not in line for line in shown), shown
    assert all(len(line) <= SEED_WIDTH for _, line in lines)


@pytest.mark.parametrize("name", bundled_names())
def test_renames_are_not_shown(name):
    _, lines = _lines(name)
    assert not [line for _, line in lines if line in ("y = y^{(2)}", "y = z^{(2)}", "y = y")]


# --- a wrong rule: its form is never shown ------------------------------------------------------
WRONG = [
    # (table, key, wrong rule, assignment, left side it would give a form for)
    (
        readable.ELEMENTWISE,
        "sigmoid",
        lambda y, a: y,
        "backprop",
        r"\frac{\partial E}{\partial W^{(1)}}",
    ),
    (
        readable.ELEMENTWISE,
        "tanh",
        lambda y, a: al.had(y, y),
        "tanh_mse",
        r"\frac{\partial E}{\partial W^{(1)}}",
    ),
    (
        readable.LOG_OF,
        "softmax",
        lambda g, y, total: al.add(g, al.times(total(g), y)),
        "softmax_regression",
        r"\frac{\partial L}{\partial W}",
    ),
    (
        readable.LOG_OF,
        "sigmoid",
        lambda g, y, total: al.times(g, y),
        "logistic_regression",
        r"\frac{\partial L}{\partial z}",
    ),
]


@pytest.mark.parametrize(("table", "key", "wrong", "name", "lhs"), WRONG)
def test_a_form_the_checker_refutes_is_not_shown(monkeypatch, table, key, wrong, name, lhs):
    _, right = _lines(name)
    (shown,) = [line for _, line in right if line.startswith(f"{lhs} = ")]
    assert ENTRYWISE not in shown
    monkeypatch.setitem(table, key, wrong)
    checker, lines = _lines(name)
    (line,) = [line for _, line in lines if line.startswith(f"{lhs} = ")]
    assert line != shown
    step = next((s for s in checker.assignment.steps if lhs in s.targets), None)
    step = step or checker.assignment.steps[-1]
    model = checker.model(step.model)
    head = _target(checker.table(step.model, step.id), lhs)
    wrong_forms = [write(f, model.table) for f in readable.Readable(model).derivative(head.node)]
    assert wrong_forms
    # the truth entrywise, or a form that needs no wrong rule (one step of the chain rule)
    assert line.split(" = ", 1)[1] not in wrong_forms
    if ENTRYWISE not in line:
        result = check_claim(line, step=step.id, checker=checker)
        assert result.verdict is Verdict.PASS, result.message


@pytest.mark.parametrize(("table", "key", "wrong", "name", "lhs"), WRONG)
def test_a_fail_message_never_shows_a_refuted_form(monkeypatch, table, key, wrong, name, lhs):
    checker = Checker(load_assignment(name), CONFIG)
    steps = checker.assignment.steps
    step = next((s for s in steps if lhs in s.targets), steps[0])
    head = _target(checker.table(step.model, step.id), lhs)
    monkeypatch.setitem(table, key, wrong)
    model = checker.model(step.model)
    forms = [write(f, model.table) for f in readable.Readable(model).derivative(head.node)]
    assert forms  # the wrong rule does give a form
    result = check_claim(f"{lhs} = 0", step=step.id, checker=checker)
    assert result.verdict is Verdict.FAIL
    assert not any(form in result.message for form in forms), result.message


@pytest.mark.parametrize(
    ("name", "step", "claim", "verdict", "truth"),
    [
        (
            "backprop",
            "4",
            r"\frac{\partial E}{\partial W^{(2)}} = (y^{(2)} - t) y^{(1)T}",
            "pass",
            None,
        ),
        (
            "backprop",
            "4",
            r"\frac{\partial E}{\partial W^{(2)}} = (t - y^{(2)}) y^{(1)T}",
            "fail",
            r"(y^{(2)} - t) y^{(1)T}",
        ),
        ("backprop", "2", r"\frac{\partial E}{\partial z_i^{(2)}} = y_i - t_i", "pass", None),
        (
            "backprop",
            "2",
            r"\frac{\partial E}{\partial z_i^{(2)}} = y_i + t_i",
            "fail",
            r"y^{(2)}_{i} - t_{i}",
        ),
        ("softmax_regression", None, r"\frac{\partial L}{\partial z} = y - p", "fail", "p - y"),
        # an entry (c, d) of a matrix gradient
        (
            "softmax_regression",
            "2",
            r"\frac{\partial L}{\partial W_{cd}} = p_c x_d",
            "fail",
            r"x_{d} (p_{c} - y_{c})",
        ),
        # a column of a matrix the course names (u_k of N)
        (
            "word2vec",
            "c",
            r"\frac{\partial J}{\partial u_k} = -(1 - \sigma(-u_k^T v_c)) v_c",
            "fail",
            r"(1 - \sigma(-u_{k}^T v_c)) v_c",
        ),
        (
            "word2vec",
            "c",
            r"\frac{\partial J}{\partial u_k} = (1 - \sigma(-u_k^T v_c)) v_c",
            "pass",
            None,
        ),
        # a scalar's quotient rule
        (
            "logistic_regression",
            "1",
            r"\frac{\partial L}{\partial \hat{y}} = \frac{y}{\hat{y}} - \frac{1 - y}{1 - \hat{y}}",
            "fail",
            r"\frac{1 - y}{1 - \hat{y}} - \frac{y}{\hat{y}}",
        ),
    ],
)
def test_fail_messages_show_the_readable_truth(name, step, claim, verdict, truth):
    checker = Checker(load_assignment(name), CONFIG)
    step = step or checker.assignment.steps[0].id
    result = check_claim(claim, step=step, checker=checker)
    assert result.verdict.value == verdict, result.message
    if truth is not None:
        assert result.truth == truth
        assert f"true value {truth};" in result.message


@pytest.mark.parametrize(
    ("target", "refused"),
    [
        (r"\\frac{\\partial E}{\\partial W^{(2)}}", False),
        (r"\\frac{\\partial E}{\\partial q}", True),
        (r"\\frac{\\partial E}{\\partial W^{(2)}} = 0", True),
    ],
)
def test_truths_refuse_an_assignment_whose_targets_cannot_be_read(tmp_path: Path, target, refused):
    source = Path(load_assignment("backprop").path).read_text(encoding="utf-8")
    source = source.replace(
        r'targets = ["\\frac{\\partial E}{\\partial W^{(2)}}"]', f'targets = ["{target}"]'
    )
    path = tmp_path / "a.toml"
    path.write_text(source.replace('example = "examples/backprop_seed.md"\n', ""), encoding="utf-8")
    if refused:
        with pytest.raises(AssignmentError, match="target"):
            list(truths(load_assignment(str(path))))
    else:
        assert any(
            line.startswith(r"\frac{\partial E}{\partial W^{(2)}} = ")
            for line in truths(load_assignment(str(path)))
        )
