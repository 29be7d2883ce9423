"""Readable truths (verifier/models/readable.py, verifier/check/readable.py, verifier/truths.py):
forms in the model's notation, each shown only when the checker confirms it."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.api import check_claim
from verifier.check.checker import Checker, _target
from verifier.check.claims import chains_of
from verifier.check.compare import Config
from verifier.check.verdicts import Verdict
from verifier.errors import AssignmentError
from verifier.models import algebra as al
from verifier.models import readable
from verifier.models.assignment import bundled_names, load_assignment
from verifier.models.writing import write
from verifier.source import Document, MathSpan, Step
from verifier.truths import ENTRYWISE, truths

CONFIG = Config(isolate=False)
SEED_WIDTH = 200  # characters: a terminal line


def _lines(name: str) -> tuple[Checker, list[tuple[str, str]]]:
    """The checker and (model, line) of each line of `--truths` on a bundled assignment."""
    checker = Checker(load_assignment(name), CONFIG)
    model, out = "", []
    for line in truths(checker.assignment, checker):
        if line.startswith("% model "):
            model = line.removeprefix("% model ").split(": ")[0]  # `deep (L = 2)`: one depth
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


def _check_in(checker: Checker, model: str, line: str) -> Verdict:
    """The verdict of a claim read as a submission's line, in one concrete model (one depth of
    a generic network: a form written with its layers holds at that depth only)."""
    steps = {s.model: s.id for s in reversed(checker.assignment.steps)}
    generic = next((g for g in checker.assignment.depths if model.startswith(f"{g} (")), None)
    step = steps[generic or model]
    if generic is None:
        return check_claim(line, step=step, checker=checker)
    doc = Document("<claim>", f"$${line}$$", [Step(step, -1, [MathSpan(line, 2)])])
    (chain,) = chains_of(doc, doc.steps[0].spans, checker.config.limits, checker.is_symbol(step))
    ((_, result),) = checker.check_in(doc, step, chain, 0, model)
    return result


@pytest.mark.parametrize("name", bundled_names())
def test_every_shown_form_is_confirmed_by_the_checker(name):
    checker, lines = _lines(name)
    derived = _derived(checker, lines)
    for model, line in derived:
        result = _check_in(checker, model, line)
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
]


@pytest.mark.parametrize(("table", "key", "wrong", "name", "lhs"), WRONG)
def test_a_form_the_checker_refutes_is_not_shown(monkeypatch, table, key, wrong, name, lhs):
    _, right = _lines(name)
    assert [line for _, line in right if line.startswith(f"{lhs} = ") and ENTRYWISE not in line]
    monkeypatch.setitem(table, key, wrong)
    _, lines = _lines(name)
    (line,) = [line for _, line in lines if line.startswith(f"{lhs} = ")]
    assert ENTRYWISE in line  # the truth entrywise, never the wrong rule's form


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
