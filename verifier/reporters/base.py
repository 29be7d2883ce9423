"""The reporter interface: every output is a reporter handed the same results.

A run calls ``file_result`` (or ``input_error`` for a submission that cannot be read) once per
submission, in input order, then ``finish`` once. Reporters never compute verdicts or grades:
they are handed them (``verifier.check.verdicts``, ``verifier.check.grading``).
"""

from __future__ import annotations

from typing import Protocol

from verifier.check.grading import ClassSummary, Grade
from verifier.check.verdicts import FileResult
from verifier.errors import InputError


class Reporter(Protocol):
    def file_result(self, result: FileResult, grade: Grade) -> None: ...

    def input_error(self, path: str, error: InputError, grade: Grade) -> None: ...

    def finish(self, summary: ClassSummary) -> None: ...
