"""A Markdown summary appended to a file at the end of a run (``$GITHUB_STEP_SUMMARY``).

One submission: a table of its steps (verdict, points). Several: a row per submission, then the
class summary: for each step, how many submissions earned it, how many got each status and the
most common failing message; the totals' mean, median and histogram. Cells
are escaped (``|``, line breaks, ``<``) so no file name or note can break a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from verifier.check.grading import NO_STEPS, UNREADABLE, ClassSummary, Grade
from verifier.check.verdicts import FileResult
from verifier.errors import InputError
from verifier.reporters.class_stats import bar, failure_text, totals_text

# Columns of the class summary, in this order; any other status follows, sorted.
STATUS_ORDER = (
    "pass",
    "warn",
    "incomplete",
    "missing",
    "fail",
    "error",
    "undecided",
    "note",
    UNREADABLE,
)


def cell(text: str) -> str:
    """``text`` made safe for one table cell."""
    text = " ".join(text.splitlines())
    return text.replace("|", "\\|").replace("<", "&lt;")


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Markdown table lines; every cell escaped."""
    lines = ["| " + " | ".join(cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


def points(earned: float, available: float) -> str:
    return f"{earned:g}/{available:g}"


@dataclass(frozen=True)
class _Row:
    file: str
    verdict: str  # the file's verdict, or "unreadable"
    grade: Grade
    message: str = ""


class MarkdownSummaryReporter:
    """Collects grades and appends one Markdown summary to ``path`` at :meth:`finish`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.rows: list[_Row] = []

    def file_result(self, result: FileResult, grade: Grade) -> None:
        verdict = NO_STEPS if grade.status == NO_STEPS else result.verdict.value
        self.rows.append(_Row(result.file, verdict, grade, grade.message))

    def input_error(self, path: str, error: InputError, grade: Grade) -> None:
        self.rows.append(_Row(path, UNREADABLE, grade, grade.message or str(error)))

    def finish(self, summary: ClassSummary) -> None:
        if not self.rows:
            return
        lines = self._one(self.rows[0]) if len(self.rows) == 1 else self._several(summary)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n\n")

    def _one(self, row: _Row) -> list[str]:
        g = row.grade
        title = f"### verify-derivations: {cell(row.file)} — {row.verdict}"
        if row.verdict in (UNREADABLE, NO_STEPS):
            return [title, "", cell(row.message)]
        rows = [
            [
                s.id,
                s.status + (" (flagged)" if s.flagged else ""),
                points(s.points, s.max_points),
                s.note,
            ]
            for s in g.steps
        ]
        rows.append(["**total**", "", f"**{points(g.total, g.max_total)}**", ""])
        return [title, "", *table(["step", "verdict", "points", "note"], rows)]

    def _several(self, summary: ClassSummary) -> list[str]:
        steps = list(summary.steps) or [s.id for s in self.rows[0].grade.steps]
        header = ["submission", "verdict", "points", *(f"step {s}" for s in steps)]
        rows = []
        for row in self.rows:
            by_id = {s.id: s for s in row.grade.steps}
            statuses = [
                (by_id[s].status + (" ⚑" if by_id[s].flagged else "")) if s in by_id else ""
                for s in steps
            ]
            total = points(row.grade.total, row.grade.max_total)
            rows.append([row.file, row.verdict, total, *statuses])
        lines = [f"### verify-derivations: {len(self.rows)} submissions", ""]
        lines += table(header, rows)
        lines += ["", "#### Class summary", ""]
        lines += class_table(summary)
        lines += ["", f"**Totals:** {cell(totals_text(summary))}.", ""]
        bins = summary.histogram()
        most = max((n for _, n in bins), default=0)
        lines += table(["total", "submissions", ""], [[b, str(n), bar(n, most)] for b, n in bins])
        if any(row.grade.flagged for row in self.rows):
            lines += ["", "⚑ undecided: a person should look at this step."]
        return lines


def class_table(summary: ClassSummary) -> list[str]:
    """Per step: submissions that earned it, then a count per status that occurs."""
    seen = {k for row in summary.counts.values() for k in row if k != "earned"}
    statuses = [s for s in STATUS_ORDER if s in seen] + sorted(seen - set(STATUS_ORDER))
    rows = []
    for step in summary.steps:
        counts = summary.counts.get(step, {})
        earned = f"{counts.get('earned', 0)}/{summary.submissions}"
        failure = failure_text(summary, step)
        rows.append([step, earned, *(str(counts.get(s, 0)) for s in statuses), failure])
    return table(["step", "earned", *statuses, "most common failure"], rows)
