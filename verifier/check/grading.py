"""Grading: step verdicts → points, per the assignment's steps, targets and points.

A step whose lines are all true but never state one of its targets (as an expression in model
quantities, unless the step says otherwise) is ``incomplete``; an expected step that is absent is
``missing``. pass earns the step's points, warn too unless strict; undecided earns none but is
flagged for a person to look at.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from verifier.check import depth
from verifier.check.checker import Checker
from verifier.check.verdicts import ClaimResult, FileResult, StepResult, Verdict
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
        return self.checker.target_keys(step_id)

    def grade(self, result: FileResult) -> Grade:
        by_id = steps_by_id(result, self.checker.assignment)
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
        if spec.model in self.checker.assignment.depths:
            return False  # conditional claims about generic layers are not combined
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
    claims whose conditions together cover every index value (``covers``), or, for a generic
    layer, in true claims that between them state it at every depth and layer."""
    true = [  # `dZ = dZ` is true and states nothing
        c
        for c in step.claims
        if c.verdict in (Verdict.PASS, Verdict.WARN)
        and (c.closed_form or not spec.closed_form)
        and not c.circular
    ]
    stating = [c for c in true if c.head == key]
    if any(c.condition is None for c in stating):
        return True
    if bool(stating) and covers([c.condition for c in stating]):
        return True
    wanted = depth.head_layers(key)
    found = [depth.head_layers(c.head) for c in true if c.condition is None]
    return bool(wanted) and wanted <= set().union(*found)


def steps_by_id(result: FileResult, assignment) -> dict[str, StepResult]:
    """The result's steps under the assignment's ids: a label the course uses (`(b)`,
    `Problem 2`) names its step."""
    by_id: dict[str, StepResult] = {}
    for s in result.steps:
        spec = assignment.step(s.id)
        key = spec.id if spec else s.id
        by_id[key] = StepResult(key, by_id[key].claims + s.claims) if key in by_id else s
    return by_id


FAILING = (Verdict.FAIL, Verdict.ERROR, Verdict.UNDECIDED)


def first_failing(step: StepResult | None, status: str) -> ClaimResult | None:
    """The step's first line that is not true (fail, error, undecided; a warn in a warn step)."""
    bad = (*FAILING, Verdict.WARN) if status == Verdict.WARN.value else FAILING
    return next((c for c in step.claims if c.verdict in bad), None) if step else None


def reason(step: StepResult | None, grade: StepGrade) -> str:
    """Why a step stands as it does, on one line: its first failing line and that line's
    message; an incomplete step's note; nothing for a step that earned its points."""
    claim = first_failing(step, grade.status)
    if claim is not None:
        return f"{claim.where}: {claim.message}"
    if grade.status == MISSING:
        return "not in the submission"
    return grade.note


def message_kind(message: str) -> str:
    """A message less what is particular to one submission (the point, the values there), so
    that the same mistake counts as one: `false (off by a sign): true value - \\log y`."""
    return re.split(r"; (?:at |point )", message, maxsplit=1)[0]


@dataclass
class ClassSummary:
    """Per step: how many submissions earned it, what the others got, and the most common
    failing message; the totals, for their mean, median and histogram."""

    steps: list[str]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    submissions: int = 0
    unreadable: int = 0
    totals: list[float] = field(default_factory=list)  # an unreadable submission's is 0
    max_total: float = 0.0
    failures: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, grade: Grade, failures: dict[str, str] | None = None) -> None:
        """One submission; ``failures``: per step, its first failing line's message."""
        self.submissions += 1
        self.unreadable += grade.status == UNREADABLE
        self.totals.append(grade.total)
        self.max_total = max(self.max_total, grade.max_total)
        for s in grade.steps:
            row = self.counts.setdefault(s.id, {})
            row[s.status] = row.get(s.status, 0) + 1
            if s.points > 0:
                row["earned"] = row.get("earned", 0) + 1
        for sid, message in (failures or {}).items():
            self.failures.setdefault(sid, Counter())[message_kind(message)] += 1

    @property
    def mean(self) -> float:
        return statistics.fmean(self.totals) if self.totals else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.totals) if self.totals else 0.0

    def common_failure(self, step: str) -> tuple[str, int] | None:
        """The step's most common failing message (the first met among equals), and how many
        submissions had it."""
        counter = self.failures.get(step)
        return counter.most_common(1)[0] if counter else None

    def histogram(self) -> list[tuple[str, int]]:
        """(bin, submissions) over 0 … the most points: one bin per whole total when there are at
        most 10 points and every total is whole, else 10 bins [a, b) (the last closed)."""
        top = self.max_total
        if top <= 10 and all(float(t).is_integer() for t in self.totals):
            return [(_num(k), self.totals.count(k)) for k in range(int(top) + 1)]
        width = top / 10
        counts = [0] * 10
        for t in self.totals:
            counts[min(int(t * 10 // top), 9)] += 1  # t * 10 // top: exact on a bin's edge
        return [(f"{_num(k * width)}–{_num((k + 1) * width)}", n) for k, n in enumerate(counts)]


def failing_messages(result: FileResult, grade: Grade, assignment) -> dict[str, str]:
    """Per step of the grade that has one, its first failing line's message (as given: a
    student-facing caller hands the result as the student may see it)."""
    by_id = steps_by_id(result, assignment)
    out = {}
    for g in grade.steps:
        claim = first_failing(by_id.get(g.id), g.status)
        if claim is not None and claim.verdict in FAILING:
            out[g.id] = claim.message
    return out


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.3g}"
