"""What the class summaries (terminal, Markdown, LaTeX) say of the totals and of each step's
most common failure, as plain text each reporter escapes for its own format."""

from __future__ import annotations

from verifier.check.grading import ClassSummary

BAR_WIDTH = 30  # characters of the longest bar


def totals_text(summary: ClassSummary) -> str:
    """`mean 4.2, median 4 of 7 points over 25 submissions (2 unreadable, counted as 0)`."""
    text = (
        f"mean {_num(summary.mean)}, median {_num(summary.median)} of {_num(summary.max_total)} "
        f"points over {summary.submissions} submissions"
    )
    if summary.unreadable:
        text += f" ({summary.unreadable} unreadable, counted as 0)"
    return text


def bar(count: int, most: int, width: int = BAR_WIDTH) -> str:
    """A bar of ``count`` out of ``most`` (any count above 0 shows at least one block)."""
    if most <= 0 or count <= 0:
        return ""
    return "█" * max(1, round(width * count / most))


def failure_text(summary: ClassSummary, step: str) -> str:
    """The step's most common failing message and how many had it, or empty."""
    common = summary.common_failure(step)
    return f"{common[0]} (×{common[1]})" if common else ""


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}".rstrip("0").rstrip(".")
