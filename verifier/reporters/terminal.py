"""The terminal report (rich): one table per step, then a summary."""

from __future__ import annotations

import contextlib
import os
import secrets

from rich.console import Console
from rich.table import Table
from rich.text import Text

from verifier.check.grading import NO_STEPS, ClassSummary, Grade
from verifier.check.verdicts import ClaimResult, FileResult, Verdict
from verifier.errors import InputError
from verifier.reporters.class_stats import bar, failure_text, totals_text

MARKS = {
    Verdict.PASS: ("✓", "green"),
    Verdict.WARN: ("!", "yellow"),
    Verdict.FAIL: ("✗", "bold red"),
    Verdict.ERROR: ("E", "red"),
    Verdict.UNDECIDED: ("?", "magenta"),
    Verdict.NOTE: ("i", "cyan"),
}


class TerminalReporter:
    def __init__(self, console: Console, note: str | None = None, detailed: bool = True) -> None:
        self.console = console
        self.note = note
        self.detailed = detailed  # one table per step; several files get a line each

    def file_result(self, result: FileResult, grade: Grade) -> None:
        with _no_workflow_commands(self.console):
            self._file_result(result, grade)

    def _file_result(self, result: FileResult, grade: Grade) -> None:
        if self.detailed:
            self._details(result, grade)
        counts = {v: sum(1 for x in result.claims if x.verdict is v) for v in Verdict}
        summary = ", ".join(f"{n} {v.value}" for v, n in counts.items() if n)
        mark, style = MARKS[result.verdict]
        status = result.verdict.value
        if grade.status == NO_STEPS:  # never "pass, 0/7": nothing was graded
            (mark, style), status = MARKS[Verdict.FAIL], "no step found"
        points = f"; {_num(grade.total)}/{_num(grade.max_total)} points" if grade.steps else ""
        flag = " — flagged for a person to look at" if grade.flagged else ""
        self.console.print(
            Text(
                f"{result.file}: {mark} {status} — {len(result.claims)} claims "
                f"in {len(result.steps)} steps: {summary}{points}{flag}",
                style=style,
            ),
            soft_wrap=True,
        )
        if grade.status == NO_STEPS:
            self.console.print(Text(f"{result.file}: {grade.message}"), soft_wrap=True)

    def _details(self, result: FileResult, grade: Grade) -> None:
        c = self.console
        if self.note:
            c.print(self.note)
        c.print(
            f"[bold]{result.file}[/] — assignment [cyan]{result.assignment}[/] "
            f"(sha256 {result.assignment_sha256[:12]}…), seed {result.seed}"
        )
        grades = {g.id: g for g in grade.steps}
        for step in result.steps:
            c.print(self._step_table(step, grades.get(step.id)))
        for g in grade.steps:
            if g.status in ("missing", "incomplete"):
                note = f": {g.note}" if g.note else ""
                c.print(Text(f"Step {g.id}: {g.status}{note}", style="yellow"), soft_wrap=True)
        for claim in result.claims:
            if claim.verdict is Verdict.ERROR:
                self._error_detail(result.file, claim)

    def _step_table(self, step, grade) -> Table:
        mark, style = MARKS[step.verdict]
        title = f"Step {step.id}: {mark} {step.verdict.value}"
        if grade is not None:
            shown = f" ({grade.status})" if grade.status != step.verdict.value else ""
            title += f"{shown} — {_num(grade.points)}/{_num(grade.max_points)}"
        table = Table(title=Text(title, style=style), title_justify="left", expand=True)
        table.add_column("line", justify="right", no_wrap=True)
        table.add_column("", no_wrap=True)
        table.add_column("claim", ratio=2, overflow="fold")
        table.add_column("reason", ratio=3, overflow="fold")
        for claim in step.claims:
            table.add_row(
                claim.where.removeprefix("line "),
                Text(MARKS[claim.verdict][0], style=MARKS[claim.verdict][1]),
                Text(claim.source),
                Text(claim.message),
            )
        return table

    def _error_detail(self, file: str, claim: ClaimResult) -> None:
        line, col = claim.error_at or (claim.line, claim.column)
        cell = f" ({claim.where})" if claim.cell is not None else ""
        self.console.print(
            Text(f"{file}:{line}:{col}{cell}: {claim.message}", style="red"), soft_wrap=True
        )
        try:
            with open(file, encoding="utf-8") as fh:
                text = fh.read().split("\n")[line - 1]
        except (OSError, IndexError, UnicodeDecodeError):
            return
        self.console.print(Text("  " + text, style="dim"), soft_wrap=True)
        self.console.print(Text("  " + " " * (col - 1) + "^", style="red"), soft_wrap=True)

    def input_error(self, path: str, error: InputError, grade: Grade) -> None:
        self.console.print(Text(str(error), style="bold red"), soft_wrap=True)

    def finish(self, summary: ClassSummary) -> None:
        if self.detailed or summary.submissions < 2:
            return
        table = Table(
            title=f"Class summary: {summary.submissions} submissions", title_justify="left"
        )
        table.add_column("step")
        table.add_column("earned", justify="right")
        table.add_column("verdicts")
        table.add_column("most common failure", overflow="fold")
        for sid in summary.steps:
            row = summary.counts.get(sid, {})
            rest = ", ".join(f"{n} {k}" for k, n in sorted(row.items()) if k != "earned")
            earned = f"{row.get('earned', 0)}/{summary.submissions}"
            table.add_row(sid, earned, rest, Text(failure_text(summary, sid)))
        self.console.print(table)
        self.console.print(Text(f"Totals: {totals_text(summary)}"), soft_wrap=True)
        bins = summary.histogram()
        most = max((n for _, n in bins), default=0)
        width = max(len(label) for label, _ in bins)
        for label, n in bins:
            self.console.print(Text(f"  {label:>{width}} │{bar(n, most)} {n}"), soft_wrap=True)


@contextlib.contextmanager
def _no_workflow_commands(console: Console):
    """On GitHub Actions, a student's line printed here must not act as a workflow command
    (`::add-mask::`, `::stop-commands::`): commands are paused while the report prints."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        yield
        return
    token = secrets.token_hex(16)
    console.print(f"::stop-commands::{token}", markup=False, highlight=False, soft_wrap=True)
    try:
        yield
    finally:
        console.print(f"::{token}::", markup=False, highlight=False, soft_wrap=True)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
