"""Grading: step verdicts → points, per the assignment's steps, targets and points.

A step whose lines are all true but never state one of its targets (as an expression in model
quantities, unless the step says otherwise) is ``incomplete``; an expected step that is absent is
``missing``. pass earns the step's points, warn too unless strict; undecided earns none but is
flagged for a person to look at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verifier.check.checker import Checker
from verifier.check.verdicts import FileResult, StepResult, Verdict
from verifier.parse import typed as ty

INCOMPLETE, MISSING, UNREADABLE = "incomplete", "missing", "unreadable"
NO_STEPS = "no steps"  # a submission in which no step of the assignment was found


@dataclass(frozen=True)
class StepGrade:
    id: str
    status: str  # a verdict's value, or incomplete / missing
    points: float
    max_points: float
    flagged: bool = False  # undecided: a person should look
    note: str = ""


@dataclass(frozen=True)
class Grade:
    file: str
    status: str  # "graded", "unreadable" or "no steps"
    steps: tuple[StepGrade, ...]
    message: str = ""

    @property
    def total(self) -> float:
        return sum(s.points for s in self.steps)

    @property
    def max_total(self) -> float:
        return sum(s.max_points for s in self.steps)

    @property
    def flagged(self) -> bool:
        return any(s.flagged for s in self.steps)


class Grader:
    """Grades results of one assignment; targets are resolved once."""

    def __init__(self, checker: Checker, strict: bool = False) -> None:
        self.checker = checker
        self.strict = strict

    def targets(self, step_id: str) -> list[tuple[str, str]]:
        """(LaTeX, canonical form) of each target of a step."""
        return [(text, ty.head_key(r.node, r.free)) for text, r in self.checker.targets(step_id)]

    def grade(self, result: FileResult) -> Grade:
        by_id: dict[str, StepResult] = {}
        for s in result.steps:  # a label the course uses (`(b)`, `Problem 2`) names its step
            spec = self.checker.assignment.step(s.id)
            key = spec.id if spec else s.id
            by_id[key] = StepResult(key, by_id[key].claims + s.claims) if key in by_id else s
        steps = [self._step(spec, by_id.get(spec.id)) for spec in self.checker.assignment.steps]
        if steps and all(s.status == MISSING for s in steps):
            return Grade(result.file, NO_STEPS, tuple(steps), self.looked_for())
        return Grade(result.file, "graded", tuple(steps))

    def looked_for(self) -> str:
        """Why no step was found: the labels and the targets that were looked for."""
        steps = self.checker.assignment.steps
        labels = ", ".join(", ".join(f"`{x}`" for x in (s.id, *s.labels)) for s in steps[:8]) + (
            ", …" if len(steps) > 8 else ""
        )
        targets = [t for s in steps for t in s.targets][:3]
        stated = ", ".join(f"`{t}`" for t in targets) + (", …" if targets else "")
        return (
            f"no step of the assignment was found: a step starts with its label at the start "
            f"of a line (`1:`, `Step 1`, `## 1`, `Problem 1`, `(a)`), and this assignment's "
            f"are {labels}"
            + (f"; nor does any claim state a step's target ({stated})" if targets else "")
        )

    def _covers(self, spec, target: str, conditions: list) -> bool:
        """Whether some condition holds at every index value of the target, at every
        dimension set (`i = j` and `i \\neq j` together do)."""
        resolved = dict(self.checker.targets(spec.id))[target]
        names = ty.free_names(resolved.node, resolved.free)  # as the claims' conditions are
        probe = self.checker.probe(spec.model)
        return all(
            any(c.sure(env, probe.instances[n][0].dims, conditions) for c in conditions)
            for n in range(probe.base)
            for env in (
                {names.get(k, k): v for k, v in e.items()} for e in probe.envs(n, resolved.free)
            )
        )

    def unreadable(self, path: str, message: str) -> Grade:
        steps = tuple(
            StepGrade(s.id, UNREADABLE, 0.0, s.points) for s in self.checker.assignment.steps
        )
        return Grade(path, UNREADABLE, steps, message)

    def _step(self, spec, step: StepResult | None) -> StepGrade:
        if step is None:
            return StepGrade(spec.id, MISSING, 0.0, spec.points)
        verdict = step.verdict
        if verdict in (Verdict.FAIL, Verdict.ERROR, Verdict.UNDECIDED):
            flagged = verdict is Verdict.UNDECIDED
            return StepGrade(spec.id, verdict.value, 0.0, spec.points, flagged)
        unstated = [
            text
            for text, key in self.targets(spec.id)
            if not _states(step, key, spec, lambda cs, t=text: self._covers(spec, t, cs))
        ]
        if unstated:
            note = "never states " + ", ".join(f"`{t}`" for t in unstated)
            if spec.closed_form:
                note += " as an expression without derivatives"
            return StepGrade(spec.id, INCOMPLETE, 0.0, spec.points, note=note)
        full = verdict in (Verdict.PASS, Verdict.NOTE)  # notes state nothing to lose points on
        earned = spec.points if full or not self.strict else 0.0
        return StepGrade(spec.id, verdict.value, earned, spec.points)


def _states(step: StepResult, key: str, spec, covers) -> bool:
    """Whether the step states the target ``key``: in one true claim, or in true conditional
    claims whose conditions together cover every index value (``covers``)."""
    stating = [
        c
        for c in step.claims
        if c.verdict in (Verdict.PASS, Verdict.WARN)
        and c.head == key
        and (c.closed_form or not spec.closed_form)
    ]
    if any(c.condition is None for c in stating):
        return True
    return bool(stating) and covers([c.condition for c in stating])


@dataclass
class ClassSummary:
    """Per step: how many submissions earned it, and what the others got."""

    steps: list[str]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    submissions: int = 0
    unreadable: int = 0

    def add(self, grade: Grade) -> None:
        self.submissions += 1
        self.unreadable += grade.status == UNREADABLE
        for s in grade.steps:
            row = self.counts.setdefault(s.id, {})
            row[s.status] = row.get(s.status, 0) + 1
            if s.points > 0:
                row["earned"] = row.get("earned", 0) + 1
