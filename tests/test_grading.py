"""Grading a class: step statuses and points, the CSV and the class summary."""

from __future__ import annotations

import pytest

from verifier.api import check_text
from verifier.check.grading import ClassSummary, Grade, Grader, StepGrade, reason
from verifier.check.verdicts import ClaimResult, StepResult, Verdict

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


# --- the class summary ------------------------------------------------------------------------
def _grade(total: float, max_total: float = 7.0, status: str = "graded") -> Grade:
    """A grade of ``total`` points out of ``max_total``, in steps of 1 (the last the rest)."""
    whole, rest = int(total), total - int(total)
    points = [1.0] * whole + ([rest] if rest else [])
    points += [0.0] * (int(max_total) - len(points))
    return Grade(
        "s.md", status, tuple(StepGrade(str(k), "pass", p, 1.0) for k, p in enumerate(points))
    )


# (totals out of 7, mean, median, histogram counts per bin)
TOTALS = [
    ([0, 7], 3.5, 3.5, [1, 0, 0, 0, 0, 0, 0, 1]),
    ([3, 3, 4, 1], 2.75, 3.0, [0, 1, 0, 2, 1, 0, 0, 0]),
    ([7], 7.0, 7.0, [0, 0, 0, 0, 0, 0, 0, 1]),
    # a half point: ten bins of 0.7, the top one closed
    ([0.5, 7, 6.9, 3.5], 4.475, 5.2, [1, 0, 0, 0, 0, 1, 0, 0, 0, 2]),
]


@pytest.mark.parametrize(("totals", "mean", "median", "bins"), TOTALS)
def test_class_summary_totals(totals, mean, median, bins):
    summary = ClassSummary(["0"])
    for t in totals:
        summary.add(_grade(t))
    assert summary.mean == pytest.approx(mean) and summary.median == pytest.approx(median)
    assert [n for _, n in summary.histogram()] == bins
    assert sum(n for _, n in summary.histogram()) == len(totals)


# (first failing messages of each submission for step 1, the most common kind and its count)
FAILURES = [
    (
        [
            "false (off by a sign): true value - \\log y; at m=1, d=2; point 1 (random): claimed 1",
            "false (off by a sign): true value - \\log y; at m=1, d=3; point 2 (random): claimed 4",
            "false: true value - \\log y; at m=1, d=2; point 1 (random): claimed 5",
        ],
        "false (off by a sign): true value - \\log y",
        2,
    ),
    (
        ["unknown symbol `q`", "false; point 1: claimed 2", "unknown symbol `q`"],
        "unknown symbol `q`",
        2,
    ),
    ([], None, None),
]


@pytest.mark.parametrize(("messages", "common", "count"), FAILURES)
def test_the_most_common_failure_counts_one_mistake_once(messages, common, count):
    summary = ClassSummary(["1"])
    for m in messages:
        summary.add(_grade(0, 1), {"1": m})
    summary.add(_grade(1, 1))  # a submission without a failure there counts for nothing
    assert summary.common_failure("1") == ((common, count) if common else None)


# (claims of a step as (verdict, line, message), its grade's status and note, the reason)
REASONS = [
    (
        [("pass", 3, "agrees"), ("fail", 5, "false: x"), ("error", 7, "bad")],
        "fail",
        "",
        "line 5: false: x",
    ),
    ([("error", 4, "unknown `q`"), ("fail", 6, "false")], "fail", "", "line 4: unknown `q`"),
    (
        [("pass", 3, "agrees"), ("warn", 4, "true in the other layout")],
        "warn",
        "",
        "line 4: true in the other layout",
    ),
    ([("pass", 3, "agrees")], "pass", "", ""),
    ([("pass", 3, "agrees")], "incomplete", "never states `x`", "never states `x`"),
    (None, "missing", "", "not in the submission"),
]


@pytest.mark.parametrize(("claims", "status", "note", "expected"), REASONS)
def test_a_steps_reason_is_its_first_failing_line(claims, status, note, expected):
    step = None
    if claims is not None:
        made = tuple(ClaimResult(line, 1, "a = b", Verdict(v), m) for v, line, m in claims)
        step = StepResult("1", made)
    assert reason(step, StepGrade("1", status, 0.0, 1.0, note=note)) == expected
