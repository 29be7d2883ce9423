"""What a student may see: the feedback level of a run, applied to results before any
student-facing reporter is handed them.

* ``verdicts``: each step's verdict and points; no claim of it is singled out (which line is
  wrong is a hint), so each step shows as one line standing for the whole step.
* ``hints``: every claim with its verdict, and for a false one only the hint (off by a sign, by
  a constant factor, transposed; the shapes that differ); no true value, no counterexample.
* ``full``: everything the checker says.

Redaction is a whitelist: a message is kept at ``hints`` only when its form is known to hold no
true value (a pass, a warn, a note, an error about the student's own text, or a failure whose
hint is one of the known ones); anything else is replaced by the verdict alone. The CSV and the
JSON (instructors' outputs) are never redacted.
"""

from __future__ import annotations

import re
from dataclasses import replace

from verifier.check.verdicts import ClaimResult, FileResult, StepResult, Verdict

VERDICTS, HINTS, FULL = "verdicts", "hints", "full"
LEVELS = (VERDICTS, HINTS, FULL)

# A failure's message as the decider writes it: "[where C: ]false[ (hint)]: true value …";
# only the part before the true value is kept, and only with a known hint.
_HINTED = re.compile(
    r"(?P<kept>(?:where [^\n]*?: )?false"
    r"(?: \((?:off by a sign|off by a constant factor [0-9./-]+|transposed)\))?)"
    r": true value "
)
# The shapes of the two sides differ: both shapes are the hint.
_SHAPES = re.compile(
    r"(?:where [^\n]*?: )?false: the right side is [\w×]+ but the left side is [\w×]+"
)
UNDECIDED_TEXT = "undecided: the checker could not decide this line; a person will look at it"


def view(result: FileResult, level: str) -> FileResult:
    """``result`` as a student may see it at ``level``."""
    if level == FULL:
        return result
    if level == HINTS:
        steps = tuple(StepResult(s.id, tuple(hinted(c) for c in s.claims)) for s in result.steps)
    elif level == VERDICTS:
        steps = tuple(StepResult(s.id, (_step_only(s),)) for s in result.steps if s.claims)
    else:
        raise ValueError(f"unknown feedback level {level!r}")
    return replace(result, steps=steps)


def hinted(claim: ClaimResult) -> ClaimResult:
    """The claim with no true value or counterexample, its message cut to the hint."""
    return replace(claim, message=_hint_message(claim), truth=None, counterexample=None, proof=None)


def _hint_message(claim: ClaimResult) -> str:
    verdict, message = claim.verdict, claim.message
    if verdict in (Verdict.PASS, Verdict.WARN, Verdict.NOTE, Verdict.ERROR):
        return message  # agreement notes, readings, and what is wrong with the text read
    if verdict is Verdict.FAIL:
        found = _HINTED.match(message)
        if found:
            return found.group("kept")
        if _SHAPES.fullmatch(message):
            return message
        return "false"
    return UNDECIDED_TEXT  # its reasons may name the residual claim − truth


def _step_only(step: StepResult) -> ClaimResult:
    """One line standing for the step: its verdict, at the step's first claim."""
    first = min(step.claims, key=lambda c: (c.line, c.column))
    verdict = step.verdict
    counts = f"{len(step.claims)} claim{'s' if len(step.claims) != 1 else ''}"
    return ClaimResult(
        first.line,
        first.column,
        f"step {step.id} ({counts})",
        verdict,
        f"step {step.id}: {verdict.value}",
        cell=first.cell,
        line_in_cell=first.line_in_cell,
    )


class Redacting:
    """A reporter handed results as a student may see them at ``level``."""

    def __init__(self, inner, level: str) -> None:
        self.inner = inner
        self.level = level

    def file_result(self, result: FileResult, grade) -> None:
        self.inner.file_result(view(result, self.level), grade)

    def input_error(self, path: str, error, grade) -> None:
        self.inner.input_error(path, error, grade)

    def finish(self, summary) -> None:
        self.inner.finish(summary)
