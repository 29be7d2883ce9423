"""Gradescope's ``results.json`` (the autograder specification), documented by
``verifier/schemas/gradescope.schema.json``.

One test per step of the assignment: its points, ``status`` set explicitly (Gradescope would show
a 0-point test as passed), and a Markdown ``output`` listing each line that is not a pass with its
message (and, when the feedback level lets them through, its true value and counterexample: this
reporter shows what it is handed). An unreadable submission still gives a valid file: score 0,
every step ``unreadable``, the reason in ``output``. Student text is escaped (``md_safe``).
"""

from __future__ import annotations

import json
import time
from typing import TextIO

from verifier import __version__
from verifier.check.grading import NO_STEPS, UNREADABLE, ClassSummary, Grade, StepGrade
from verifier.check.verdicts import FileResult, StepResult
from verifier.errors import InputError
from verifier.reporters import md_safe
from verifier.reporters.base import to_show

EARNING = ("pass", "warn", "note")  # a step with one of these statuses and all its points passed
SOURCE_LIMIT = 300  # characters of a claim's source shown
MESSAGE_LIMIT = 1500


def test_status(step: StepGrade) -> str:
    """``passed`` only for a step that earned all its points."""
    return "passed" if step.status in EARNING and step.points >= step.max_points else "failed"


def step_output(step: StepResult | None, grade: StepGrade) -> str:
    """The Markdown shown under one test."""
    lines = [f"**{md_safe.text(grade.status)}**: {_num(grade.points)}/{_num(grade.max_points)}"]
    if grade.note:
        lines[0] += f" — {md_safe.text(grade.note)}"
    if grade.flagged:
        lines.append("Undecided: a person will look at this step.")
    if grade.status == "missing":
        lines.append("This step is not in the submission.")
    for claim, where, counterexample in to_show(step):
        source = md_safe.code(md_safe.cut(claim.source, SOURCE_LIMIT))
        message = md_safe.text(md_safe.cut(claim.message, MESSAGE_LIMIT))
        lines.append(f"- {where}: {source} — **{claim.verdict.value}**: {message}")
        if claim.truth:
            lines.append(f"  - true value: {md_safe.code(claim.truth)}")
        if counterexample:
            lines.append(f"  - counterexample: {md_safe.text(counterexample)}")
    return "\n".join(lines)


def results(
    result: FileResult | None, grade: Grade, seconds: float, error: str | None = None
) -> dict:
    """The whole ``results.json`` for one submission."""
    steps = {s.id: s for s in result.steps} if result else {}
    tests = [
        {
            "name": f"Step {g.id}",
            "number": g.id,
            "score": g.points,
            "max_score": g.max_points,
            "status": test_status(g),
            "output": step_output(steps.get(g.id), g),
            "output_format": "md",
            "visibility": "visible",
        }
        for g in grade.steps
    ]
    return {
        "score": grade.total,
        "execution_time": round(seconds, 3),
        "output": summary_output(result, grade, error),
        "output_format": "md",
        "visibility": "visible",
        "stdout_visibility": "hidden",  # the run's log is for the instructor: it is not redacted
        "tests": tests,
    }


def summary_output(result: FileResult | None, grade: Grade, error: str | None) -> str:
    """The Markdown shown above the tests."""
    if result is not None:
        about = (
            f"verify-derivations {md_safe.text(result.tool_version)}, assignment "
            f"{md_safe.code(result.assignment)} (SHA-256 {md_safe.code(result.assignment_sha256)}), "
            f"seed {result.seed}"
        )
    else:
        about = f"verify-derivations {md_safe.text(__version__)}"
    lines = [about, "", f"**Score: {_num(grade.total)}/{_num(grade.max_total)}**"]
    if grade.status == UNREADABLE:
        reason = md_safe.text(md_safe.cut(error or grade.message, MESSAGE_LIMIT))
        lines += ["", f"The submission could not be read: {reason}"]
    elif grade.status == NO_STEPS:
        lines += ["", md_safe.text(grade.message)]
    if grade.flagged:
        lines += ["", "Some steps could not be decided: a person will look at them."]
    return "\n".join(lines)


class GradescopeReporter:
    """Writes one ``results.json`` document to ``out`` at :meth:`finish`."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.started = time.monotonic()  # execution_time only: no verdict looks at a clock
        self.document: dict | None = None

    def file_result(self, result: FileResult, grade: Grade) -> None:
        self._set(results(result, grade, self._elapsed()))

    def input_error(self, path: str, error: InputError, grade: Grade) -> None:
        self._set(results(None, grade, self._elapsed(), str(error)))

    def finish(self, summary: ClassSummary) -> None:
        if self.document is not None:
            json.dump(self.document, self.out, indent=2, ensure_ascii=False)
            self.out.write("\n")
        self.out.flush()

    def _set(self, document: dict) -> None:
        if self.document is not None:  # outputs.build refuses several submissions first
            raise ValueError("Gradescope results describe one submission")
        self.document = document

    def _elapsed(self) -> float:
        return time.monotonic() - self.started


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
