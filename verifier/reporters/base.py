"""The reporter interface: every output is a reporter handed the same results."""

from __future__ import annotations

from typing import Protocol

from verifier.check.verdicts import FileResult
from verifier.errors import InputError


class Reporter(Protocol):
    def file_result(self, result: FileResult) -> None: ...

    def input_error(self, error: InputError) -> None: ...

    def finish(self) -> None: ...
