"""The terminal report (rich): one table per step, then a summary."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from verifier.check.verdicts import ClaimResult, FileResult, Verdict
from verifier.errors import InputError

MARKS = {
    Verdict.PASS: ("✓", "green"),
    Verdict.WARN: ("!", "yellow"),
    Verdict.FAIL: ("✗", "bold red"),
    Verdict.ERROR: ("E", "red"),
    Verdict.UNDECIDED: ("?", "magenta"),
}


class TerminalReporter:
    def __init__(self, console: Console, note: str | None = None) -> None:
        self.console = console
        self.note = note

    def file_result(self, result: FileResult) -> None:
        c = self.console
        if self.note:
            c.print(self.note)
        c.print(
            f"[bold]{result.file}[/] — assignment [cyan]{result.assignment}[/] "
            f"(sha256 {result.assignment_sha256[:12]}…), seed {result.seed}"
        )
        for step in result.steps:
            mark, style = MARKS[step.verdict]
            table = Table(
                title=Text(f"Step {step.id}: {mark} {step.verdict.value}", style=style),
                title_justify="left",
                show_lines=False,
                expand=True,
            )
            table.add_column("line", justify="right", no_wrap=True)
            table.add_column("", no_wrap=True)
            table.add_column("claim", ratio=2, overflow="fold")
            table.add_column("reason", ratio=3, overflow="fold")
            for claim in step.claims:
                table.add_row(
                    str(claim.line),
                    Text(MARKS[claim.verdict][0], style=MARKS[claim.verdict][1]),
                    Text(claim.source),
                    Text(claim.message),
                )
            c.print(table)
        for claim in result.claims:
            if claim.verdict is Verdict.ERROR:
                self._error_detail(result.file, claim)
        counts = {v: sum(1 for x in result.claims if x.verdict is v) for v in Verdict}
        summary = ", ".join(f"{n} {v.value}" for v, n in counts.items() if n)
        mark, style = MARKS[result.verdict]
        c.print(
            Text(
                f"{result.file}: {mark} {result.verdict.value} — {len(result.claims)} claims "
                f"in {len(result.steps)} steps: {summary}",
                style=style,
            )
        )

    def _error_detail(self, file: str, claim: ClaimResult) -> None:
        line, col = claim.error_at or (claim.line, claim.column)
        self.console.print(
            Text(f"{file}:{line}:{col}: {claim.message}", style="red"), soft_wrap=True
        )
        try:
            with open(file, encoding="utf-8") as fh:
                text = fh.read().split("\n")[line - 1]
        except (OSError, IndexError, UnicodeDecodeError):
            return
        self.console.print(Text("  " + text, style="dim"), soft_wrap=True)
        self.console.print(Text("  " + " " * (col - 1) + "^", style="red"), soft_wrap=True)

    def input_error(self, error: InputError) -> None:
        self.console.print(Text(str(error), style="bold red"))

    def finish(self) -> None:
        pass
