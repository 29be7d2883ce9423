"""GitHub Actions workflow commands, so verdicts show on the submitted file's lines in a PR.

One command a line, written as each result arrives: ``::error`` for fail, error and undecided,
``::warning`` for warn, nothing for pass; a step the grade marks incomplete or missing gets a
``::notice`` (no claim is wrong, yet it earns nothing). Everything from the submission is
escaped per GitHub's rules, so no text of it can end a command or start another.
"""

from __future__ import annotations

from typing import TextIO

from verifier.check.grading import INCOMPLETE, MISSING, NO_STEPS, ClassSummary, Grade
from verifier.check.verdicts import ClaimResult, FileResult, Verdict
from verifier.errors import InputError

LEVELS = {
    Verdict.FAIL: "error",
    Verdict.ERROR: "error",
    Verdict.UNDECIDED: "error",
    Verdict.WARN: "warning",
    Verdict.NOTE: "notice",
}


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as :func:`escape_data`, and ``:`` and ``,`` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: object) -> str:
    """``::level k=v,…::message``, escaped; properties that are None are left out."""
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


def annotation_message(claim: ClaimResult) -> str:
    """The claim's reason, then its counterexample on the next line when not already in it."""
    message = claim.message
    if claim.counterexample and claim.counterexample not in message:
        message += f"\ncounterexample: {claim.counterexample}"
    return message


class GithubReporter:
    """Writes workflow commands to ``out`` (stdout in a workflow step) as results arrive."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def file_result(self, result: FileResult, grade: Grade) -> None:
        lines = []
        for step in result.steps:
            for claim in step.claims:
                level = LEVELS.get(claim.verdict)
                if level is None:
                    continue
                line, col = claim.error_at or (claim.line, claim.column)
                lines.append(
                    command(
                        level,
                        annotation_message(claim),
                        file=result.file,
                        line=line,
                        col=col,
                        title=f"Step {step.id}: {claim.verdict.value}",
                    )
                )
        if grade.status == NO_STEPS:  # one error, not a notice per step
            lines.append(command("error", grade.message, file=result.file, title="no step found"))
            self._write(lines)
            return
        for s in grade.steps:
            if s.status in (INCOMPLETE, MISSING):
                reason = s.note or f"the submission has no step {s.id}"
                message = f"step {s.id} earns no points: {reason}"
                lines.append(
                    command("notice", message, file=result.file, title=f"Step {s.id}: {s.status}")
                )
        self._write(lines)

    def input_error(self, path: str, error: InputError, grade: Grade) -> None:
        at = error.location
        line, col = (at.line, at.column) if at is not None else (None, None)
        self._write([command("error", str(error), file=path, line=line, col=col)])

    def finish(self, summary: ClassSummary) -> None:
        self.out.flush()

    def _write(self, lines: list[str]) -> None:
        for line in lines:
            self.out.write(line + "\n")
        self.out.flush()
