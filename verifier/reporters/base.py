"""The reporter interface: every output is a reporter handed the same results.

A run calls ``file_result`` (or ``input_error`` for a submission that cannot be read) once per
submission, in input order, then ``finish`` once. Reporters never compute verdicts or grades:
they are handed them (``verifier.check.verdicts``, ``verifier.check.grading``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from verifier.check.grading import ClassSummary, Grade
from verifier.check.verdicts import ClaimResult, FileResult, StepResult, Verdict
from verifier.errors import InputError


class Reporter(Protocol):
    def file_result(self, result: FileResult, grade: Grade) -> None: ...

    def input_error(self, path: str, error: InputError, grade: Grade) -> None: ...

    def finish(self, summary: ClassSummary) -> None: ...


def to_show(step: StepResult | None) -> Iterator[tuple[ClaimResult, str, str]]:
    """Each claim of a step a grader's feedback lists (every one that is not a pass or a note),
    with where it is and the counterexample when the message does not already say it."""
    for claim in step.claims if step else ():
        if claim.verdict in (Verdict.PASS, Verdict.NOTE):
            continue
        where = claim.where if claim.line else "the file"
        shown = claim.counterexample and claim.counterexample not in claim.message
        yield claim, where, claim.counterexample if shown else ""
