"""JSON output, documented by ``verifier/schemas/result.schema.json``."""

from __future__ import annotations

import json
from typing import TextIO

from verifier.check.grading import ClassSummary, Grade
from verifier.check.verdicts import FileResult
from verifier.errors import InputError

# Raised when a field of verifier/schemas/result.schema.json changes meaning or goes away.
SCHEMA_VERSION = 2  # 2: a notebook's line is the .ipynb file's; cell, line_in_cell


def result_to_dict(result: FileResult) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "file": result.file,
        "verdict": result.verdict.value,
        "tool_version": result.tool_version,
        "assignment": result.assignment,
        "assignment_sha256": result.assignment_sha256,
        "seed": result.seed,
        "steps": [
            {
                "id": step.id,
                "verdict": step.verdict.value,
                "claims": [
                    {
                        "line": c.line,
                        "column": c.column,
                        "cell": c.cell,
                        "line_in_cell": c.line_in_cell,
                        "source": c.source,
                        "verdict": c.verdict.value,
                        "message": c.message,
                        "truth": c.truth,
                        "counterexample": c.counterexample,
                        "model": c.model,
                        "proof": c.proof,
                        "display": c.display,
                        "condition": c.condition.text if c.condition else None,
                    }
                    for c in step.claims
                ],
            }
            for step in result.steps
        ],
    }


def grade_to_dict(grade: Grade) -> dict:
    return {
        "status": grade.status,
        "message": grade.message,
        "total": grade.total,
        "max_total": grade.max_total,
        "flagged": grade.flagged,
        "steps": [
            {
                "id": s.id,
                "status": s.status,
                "points": s.points,
                "max_points": s.max_points,
                "flagged": s.flagged,
                "note": s.note,
            }
            for s in grade.steps
        ],
    }


class JsonReporter:
    """One JSON document; a list when several files are checked."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.documents: list[dict] = []

    def file_result(self, result: FileResult, grade: Grade) -> None:
        self.documents.append({**result_to_dict(result), "grade": grade_to_dict(grade)})

    def input_error(self, path: str, error: InputError, grade: Grade) -> None:
        self.documents.append(
            {
                "schema_version": SCHEMA_VERSION,
                "file": path,
                "verdict": "unreadable",
                "error": str(error),
                "grade": grade_to_dict(grade),
            }
        )

    def finish(self, summary: ClassSummary) -> None:
        doc = self.documents[0] if len(self.documents) == 1 else self.documents
        json.dump(doc, self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")
