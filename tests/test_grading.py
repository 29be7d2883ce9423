"""Grading a class: step statuses and points, the CSV and the class summary."""

from __future__ import annotations

import pytest

from verifier.api import check_text
from verifier.check.grading import Grader

from .conftest import SEED

DT, DX = r"\frac{\partial E}{\partial t}", r"\frac{\partial E}{\partial x}"


@pytest.fixture(scope="module")
def grader(backprop_checker):
    return Grader(backprop_checker)


@pytest.mark.parametrize(
    ("text", "status", "points"),
    [
        (f"1: $${DT} = -\\log y$$ $${DX} = -t(1-y) W$$", "pass", 1),
        (f"1: $${DT} = -\\log y$$ $${DX} = -t(1-y) W^T$$", "warn", 1),  # other layout
        (f"1: $${DT} = \\log y$$ $${DX} = -t(1-y) W$$", "fail", 0),
        (f"1: $${DT} = -\\log y$$", "incomplete", 0),  # ∂E/∂x never stated
        # stated, but only as the chain rule: a derivative is left on the right
        (f"1: $${DT} = -\\log y$$ $${DX} = {DX}$$", "incomplete", 0),
        ("2: $$y = y^{(2)}$$", "missing", 0),  # no step 1 at all
    ],
)
def test_step_status(grader, backprop_checker, text, status, points):
    grade = grader.grade(check_text(text, path="s.md", checker=backprop_checker))
    step1 = grade.steps[0]
    assert (step1.status, step1.points) == (status, points)


def test_strict_warn_earns_nothing(backprop_checker):
    text = f"1: $${DT} = -\\log y$$ $${DX} = -t(1-y) W^T$$"
    grade = Grader(backprop_checker, strict=True).grade(
        check_text(text, path="s.md", checker=backprop_checker)
    )
    assert (grade.steps[0].status, grade.steps[0].points) == ("warn", 0)


def test_seed_grade(grader, backprop_checker):
    from verifier.api import check_file

    grade = grader.grade(check_file(str(SEED), checker=backprop_checker))
    # steps 1 and 5 fail; step 7 states ∂E/∂W1 only with ∂E/∂Z1 left in it: incomplete
    assert [s.status for s in grade.steps] == [
        "fail", "pass", "pass", "pass", "fail", "warn", "incomplete"
    ]  # fmt: skip
    assert (grade.total, grade.max_total) == (4, 7)


# The class of 25 generated submissions, run with --jobs 2 beside crashing and malformed files,
# is tests/test_class_run.py::test_class_with_crashing_and_malformed_files.
