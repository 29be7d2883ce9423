"""Placing claims in steps (issue 11 §3): without any label, by the targets they state; a
submission where no step is found says what was looked for, and is never a quiet pass."""

from __future__ import annotations

import json

import pytest

from verifier.api import check_text
from verifier.check.grading import NO_STEPS, Grader
from verifier.check.verdicts import Verdict
from verifier.cli import main

from .conftest import ROOT

SEED = ROOT / "derivations" / "examples" / "backprop_seed.md"
DEDT = r"\frac{\partial E}{\partial t}"
DEDW2 = r"\frac{\partial E}{\partial W^{(2)}}"
DEDZ2 = r"\frac{\partial E}{\partial z^{(2)}}"

PLACED = [
    # (unlabelled submission, step of each claim in order): targets name the steps
    (f"${DEDT} = -\\log y$\n\n${DEDZ2} = (y^{{(2)}} - t)^T$", ["1", "3"]),
    # work before a target statement belongs to that target's step
    (f"$z^{{(2)}} = W^{{(2)}} y^{{(1)}}$\n\n${DEDZ2} = (y^{{(2)}} - t)^T$", ["3", "3"]),
    # work after the last target belongs to the last
    (f"${DEDZ2} = (y^{{(2)}} - t)^T$\n\n$z^{{(2)}} = W^{{(2)}} y^{{(1)}}$", ["3", "3"]),
    # a line only the neuron model reads stays with the neuron step before it
    (f"${DEDT} = -\\log y$\n\n$y = G(Wx)$\n\n${DEDZ2} = (y^{{(2)}} - t)^T$", ["1", "1", "3"]),
    # a false line is graded where it is placed, never left out
    (f"${DEDT} = \\log y$\n\n${DEDZ2} = (y^{{(2)}} - t)^T$", ["1", "3"]),
    # a continuation row stays with the chain it continues
    (f"$${DEDZ2} = (y^{{(2)}} - t)^T$$\n$$= (t - y^{{(2)}})^T$$", ["3", "3"]),
    # nothing states a target: unlabelled, as before
    (r"$\frac{\partial E}{\partial y} = -\frac{t}{y}$", ["(unlabelled 0)"]),
]


@pytest.mark.parametrize(("text", "steps"), PLACED)
def test_unlabelled_claims_are_placed_by_targets(backprop_checker, text, steps):
    result = check_text(text, "a.md", checker=backprop_checker)
    assert [s.id for s in result.steps for _ in s.claims] == steps


def test_a_labelled_submission_is_not_moved(backprop_checker):
    text = f"${DEDZ2} = (y^{{(2)}} - t)^T$\n\n4: ${DEDT} = -\\log y$"
    result = check_text(text, "a.md", checker=backprop_checker)
    assert [s.id for s in result.steps] == ["(unlabelled 0)", "4"]


def test_false_placed_line_fails_its_step(backprop_checker):
    text = f"${DEDT} = \\log y$\n\n${DEDZ2} = (y^{{(2)}} - t)^T$"
    grade = Grader(backprop_checker).grade(check_text(text, "a.md", checker=backprop_checker))
    status = {s.id: s.status for s in grade.steps}
    assert status["1"] == Verdict.FAIL.value


def test_the_seed_without_labels_reads_as_with_them(backprop_checker):
    """Every claim of the seed lands in the step its label gives it, with the same verdict."""
    labelled = SEED.read_text(encoding="utf-8")
    bare = "\n".join(
        line.split(":", 1)[1] if line[:1].isdigit() and line[1:2] == ":" else line
        for line in labelled.splitlines()
    )
    assert bare != labelled

    def placed(text):
        result = check_text(text, "a.md", checker=backprop_checker)
        return [(c.line, c.verdict, s.id) for s in result.steps for c in s.claims]

    assert placed(bare) == placed(labelled)


def test_no_step_found_is_not_a_pass(backprop_checker):
    text = "My answer:\n\n$\\frac{\\partial E}{\\partial y} = -\\frac{t}{y}$\n"
    result = check_text(text, "a.md", checker=backprop_checker)
    assert result.verdict is Verdict.PASS  # the one claim is true ...
    grade = Grader(backprop_checker).grade(result)
    assert grade.status == NO_STEPS  # ... but nothing was graded
    assert "`1`" in grade.message and DEDT in grade.message


@pytest.mark.parametrize(
    ("fmt", "phrase"),
    [
        ("terminal", "no step found"),
        ("json", '"status": "no steps"'),
        ("github", "::error"),
        ("junit", 'name="no step found"'),
    ],
)
def test_no_step_found_exits_1_even_when_missing_steps_are_allowed(tmp_path, capsys, fmt, phrase):
    path = tmp_path / "answer.md"
    path.write_text("$\\frac{\\partial E}{\\partial y} = -\\frac{t}{y}$\n", encoding="utf-8")
    code = main([str(path), "--allow-missing", "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert phrase in out
    assert "no step found" in err
    if fmt == "json":
        assert json.loads(out)["grade"]["message"].startswith("no step")
