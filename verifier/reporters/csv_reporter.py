"""CSV for a grade book: one row per submission, each step's verdict, points and reason (its
first failing line and message, in full: the CSV is the instructor's), the total."""

from __future__ import annotations

import csv
from pathlib import Path

from verifier import __version__
from verifier.check.grading import ClassSummary, Grade, reason, steps_by_id
from verifier.check.verdicts import FileResult
from verifier.errors import InputError
from verifier.models.assignment import Assignment


class CsvReporter:
    def __init__(self, path: Path, assignment: Assignment, seed: int) -> None:
        self.path = path
        self.assignment = assignment
        self.seed = seed
        self.rows: list[list[str]] = []

    def header(self) -> list[str]:
        steps = [s.id for s in self.assignment.steps]
        cols = [
            c for sid in steps for c in (f"step_{sid}", f"step_{sid}_points", f"step_{sid}_reason")
        ]
        return ["file", "status", *cols, "total", "max_total", "flagged",
                "tool_version", "assignment", "assignment_sha256", "seed"]  # fmt: skip

    def file_result(self, result: FileResult, grade: Grade) -> None:
        by_id = steps_by_id(result, self.assignment)
        self._row(grade, [reason(by_id.get(s.id), s) for s in grade.steps])

    def input_error(self, path: str, error: InputError, grade: Grade) -> None:
        self._row(grade, ["" for _ in grade.steps])  # the status says it: unreadable

    def _row(self, grade: Grade, reasons: list[str]) -> None:
        cells = [
            c
            for s, why in zip(grade.steps, reasons, strict=True)
            for c in (s.status, _num(s.points), " ".join(why.split()))
        ]
        self.rows.append([
            grade.file, grade.status, *cells, _num(grade.total), _num(grade.max_total),
            "yes" if grade.flagged else "no", __version__, self.assignment.name,
            self.assignment.sha256, str(self.seed),
        ])  # fmt: skip

    def finish(self, summary: ClassSummary) -> None:
        with self.path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow([_cell(c) for c in self.header()])
            writer.writerows([_cell(c) for c in row] for row in self.rows)


# A spreadsheet runs a cell starting with one of these as a formula (`=HYPERLINK(…)` in a file
# name): such a cell is written with a leading `'`, which spreadsheets show as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
