"""PrairieLearn's external-grader ``results.json``, documented by
``verifier/schemas/prairielearn.schema.json``.

``score`` is the fraction of the assignment's points earned, in [0, 1]; one test per step (its
points, a message, and the lines that are not a pass in ``output``). An unreadable submission is
``"gradable": false`` with the reason in ``format_errors``, so it costs the student no attempt.
PrairieLearn caps the file at 1 MB: past :data:`MAX_BYTES` the longest outputs are cut, each
saying so, until the document fits.
"""

from __future__ import annotations

import json
from typing import TextIO

from verifier.check.grading import NO_STEPS, ClassSummary, Grade, StepGrade
from verifier.check.verdicts import FileResult, StepResult
from verifier.errors import InputError
from verifier.reporters.base import to_show

MAX_BYTES = 1_000_000  # PrairieLearn's limit on results.json
CUT_NOTE = "\n[… {n} more characters cut to keep results.json under 1 MB]"


def test_output(step: StepResult | None) -> str:
    """Plain text: one line per claim that is not a pass, with what the student may see."""
    lines = []
    for claim, where, counterexample in to_show(step):
        source = " ".join(claim.source.split())
        lines.append(f"{where}: {source}\n  {claim.verdict.value}: {claim.message}")
        if claim.truth:
            lines.append(f"  true value: {claim.truth}")
        if counterexample:
            lines.append(f"  counterexample: {counterexample}")
    return "\n".join(lines)


def _test(g: StepGrade, step: StepResult | None) -> dict:
    message = g.status + (f": {g.note}" if g.note else "")
    if g.flagged:
        message += " (a person will look at this step)"
    return {
        "name": f"Step {g.id}",
        "points": g.points,
        "max_points": g.max_points,
        "message": message,
        "output": test_output(step),
    }


def results(result: FileResult, grade: Grade) -> dict:
    steps = {s.id: s for s in result.steps}
    score = grade.total / grade.max_total if grade.max_total > 0 else 0.0
    message = f"{_num(grade.total)}/{_num(grade.max_total)} points"
    if grade.status == NO_STEPS:
        message += f"; {grade.message}"
    elif grade.flagged:
        message += "; some steps could not be decided: a person will look at them"
    return {
        "gradable": True,
        "score": min(1.0, max(0.0, score)),
        "message": message,
        "tests": [_test(g, steps.get(g.id)) for g in grade.steps],
    }


def unreadable(error: InputError) -> dict:
    """Not gradable: PrairieLearn shows the reason and counts no attempt."""
    return {
        "gradable": False,
        "message": "The submission could not be read; this attempt does not count.",
        "format_errors": [str(error)],
    }


def fit(document: dict, limit: int = MAX_BYTES) -> dict:
    """``document`` with its longest test outputs halved until it serialises (as written)
    under ``limit`` bytes; each cut output says how many characters it left out."""
    tests = document.get("tests", [])
    originals = [t["output"] for t in tests]
    keep = [len(o) for o in originals]
    while _size(document) > limit:
        i = max(range(len(tests)), key=lambda k: keep[k], default=None)
        if i is None or keep[i] == 0:  # a bug of ours: messages alone never come near 1 MB
            raise ValueError("results.json is over 1 MB without any test output")
        keep[i] //= 2
        left_out = len(originals[i]) - keep[i]
        tests[i]["output"] = originals[i][: keep[i]] + CUT_NOTE.format(n=left_out)
    return document


def _size(document: dict) -> int:
    return len(_dumps(document).encode("utf-8")) + 1  # and the final newline


def _dumps(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


class PrairieLearnReporter:
    """Writes one ``results.json`` document to ``out`` at :meth:`finish`."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.document: dict | None = None

    def file_result(self, result: FileResult, grade: Grade) -> None:
        self._set(results(result, grade))

    def input_error(self, path: str, error: InputError, grade: Grade) -> None:
        self._set(unreadable(error))

    def finish(self, summary: ClassSummary) -> None:
        if self.document is not None:
            self.out.write(_dumps(fit(self.document)) + "\n")
        self.out.flush()

    def _set(self, document: dict) -> None:
        if self.document is not None:  # outputs.build refuses several submissions first
            raise ValueError("PrairieLearn results describe one submission")
        self.document = document


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
