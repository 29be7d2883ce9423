"""Error types of the verifier. Nothing else ever reaches a user as an exception."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in a file: 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class VerifierError(Exception):
    """Base of every error the verifier raises on purpose."""


class NotationError(VerifierError):
    """A claim cannot be read or is ill-formed; ``pos`` is an offset into the math text."""

    def __init__(self, message: str, pos: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


class InputError(VerifierError):
    """The input as a whole is unusable (missing file, no math, bad assignment): exit 2."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class AssignmentError(InputError):
    """An assignment file is malformed."""
