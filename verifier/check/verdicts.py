"""Verdicts are plain data: the checker makes them, reporters are handed them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from verifier.check.conditions import Condition


class Verdict(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"
    UNDECIDED = "undecided"
    NOTE = "note"  # a statement about the setting (`n = 10`), not a derivation claim

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


# A step's verdict is its worst claim's: fail > error > undecided > warn > pass > note. A note
# never fails a step nor changes the exit code: it is below pass.
_SEVERITY = {
    Verdict.NOTE: -1,
    Verdict.PASS: 0,
    Verdict.WARN: 1,
    Verdict.UNDECIDED: 2,
    Verdict.ERROR: 3,
    Verdict.FAIL: 4,
}


def worst(verdicts: list[Verdict]) -> Verdict:
    return max(verdicts, key=lambda v: v.severity, default=Verdict.PASS)


@dataclass(frozen=True, slots=True)  # slots: a parent may hold 300k of them (a 2 MB file)
class ClaimResult:
    line: int
    column: int
    source: str
    verdict: Verdict
    message: str
    truth: str | None = None  # LaTeX of the true value, for a fail
    counterexample: str | None = None
    model: str | None = None
    display: str | None = None  # the claim as LaTeX rebuilt from its parse (safe to typeset)
    head: str | None = None  # canonical form of the left-hand side, to match step targets
    closed_form: bool = False  # the right-hand side has no derivative left in it
    circular: bool = False  # the right-hand side holds the left side itself (`dZ = dZ`)
    proof: str | None = None  # proved, timeout, too large, unknown, not attempted
    error_at: tuple[int, int] | None = (
        None  # the exact place of an error, when it is not line/column
    )
    condition: Condition | None = None  # where it is claimed (`i \\neq j`), if not everywhere
    cell: int | None = None  # in a notebook: the cell (1-based among all cells); line is the file's
    line_in_cell: int | None = None

    @property
    def where(self) -> str:
        """Where a person finds it: `cell 3, line 2` in a notebook, else `line 7`."""
        if self.cell is not None:
            return f"cell {self.cell}, line {self.line_in_cell}"
        return f"line {self.line}"


@dataclass(frozen=True)
class StepResult:
    id: str
    claims: tuple[ClaimResult, ...]

    @property
    def verdict(self) -> Verdict:
        return worst([c.verdict for c in self.claims])


@dataclass(frozen=True)
class FileResult:
    file: str
    assignment: str
    assignment_sha256: str
    seed: int
    tool_version: str
    steps: tuple[StepResult, ...] = field(default_factory=tuple)

    @property
    def verdict(self) -> Verdict:
        return worst([s.verdict for s in self.steps])

    @property
    def claims(self) -> list[ClaimResult]:
        return [c for s in self.steps for c in s.claims]
