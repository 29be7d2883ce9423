"""Which reporters a run feeds, from the command line: one on stdout, any number to files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from rich.console import Console

from verifier.check.grading import ClassSummary, Grade
from verifier.check.verdicts import FileResult
from verifier.errors import InputError
from verifier.feedback import FULL, Redacting
from verifier.models.assignment import Assignment


class Fanout:
    """Hands every result to every reporter, in order."""

    def __init__(self, reporters: list) -> None:
        self.reporters = reporters

    def file_result(self, result: FileResult, grade: Grade) -> None:
        for r in self.reporters:
            r.file_result(result, grade)

    def input_error(self, path: str, error: InputError, grade: Grade) -> None:
        for r in self.reporters:
            r.input_error(path, error, grade)

    def finish(self, summary: ClassSummary) -> None:
        for r in self.reporters:
            r.finish(summary)


GRADERS = ("gradescope", "prairielearn")  # outputs that describe exactly one submission


def for_a_grader(args) -> bool:
    """Whether the run writes a grader's results file, which must exist whatever the input:
    an unusable submission is then its unreadable result (exit 1), not exit 2 with no file."""
    return args.format in GRADERS or any(getattr(args, g) for g in GRADERS)


def build(
    args, console: Console, assignment: Assignment, several: bool, note: str | None
) -> Fanout:
    """The run's reporters. Student-facing ones are handed results at ``--feedback``'s level;
    the JSON and the CSV (instructors') everything."""
    if args.pdf and not args.latex:
        raise InputError("--pdf compiles the LaTeX report: give --latex OUT.tex too")
    if args.github and args.format in ("json", "junit", *GRADERS):
        # annotations in the middle of a JSON or XML document would break both
        raise InputError(f"--github shares stdout: with --format {args.format} write it to a file")
    if several and for_a_grader(args):
        raise InputError("a grader's results.json describes one submission: give one file")
    level = args.feedback
    student = [_stdout(args.format, console, several, note)]
    instructor = []
    if args.format == "json":
        instructor, student = student, []
    if args.github and args.format != "github":
        from verifier.reporters.github import GithubReporter

        student.append(GithubReporter(sys.stdout))
    for option, make in (("junit", _junit_file), *_GRADER_FILES):
        target = getattr(args, option)
        if target:
            student.append(make(Path(target)))
    for option, make in (("json", _json_file), ("csv", _csv_file)):
        target = getattr(args, option)
        if target:
            instructor.append(make(Path(target), assignment, args))
    if args.latex:
        from verifier.reporters.latex import LatexReporter

        student.append(LatexReporter(Path(args.latex), pdf=args.pdf))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        from verifier.reporters.markdown_summary import MarkdownSummaryReporter

        student.append(MarkdownSummaryReporter(Path(summary_file)))
    if level != FULL:
        student = [Redacting(r, level) for r in student]
    return Fanout([*student, *instructor])


def _stdout(fmt: str, console: Console, several: bool, note: str | None):
    if fmt == "json":
        from verifier.reporters.json_reporter import JsonReporter

        return JsonReporter(sys.stdout)
    if fmt == "junit":
        from verifier.reporters.junit import JUnitReporter

        return JUnitReporter(sys.stdout)
    if fmt == "github":
        from verifier.reporters.github import GithubReporter

        return GithubReporter(sys.stdout)
    if fmt == "gradescope":
        from verifier.reporters.gradescope import GradescopeReporter

        return GradescopeReporter(sys.stdout)
    if fmt == "prairielearn":
        from verifier.reporters.prairielearn import PrairieLearnReporter

        return PrairieLearnReporter(sys.stdout)
    from verifier.reporters.terminal import TerminalReporter

    return TerminalReporter(console, note, detailed=not several)


class _Closing:
    """A reporter writing to a file it opens itself and closes at the end."""

    def __init__(self, path: Path, make) -> None:
        self.fh = path.open("w", encoding="utf-8")
        self.inner = make(self.fh)

    def file_result(self, result: FileResult, grade: Grade) -> None:
        self.inner.file_result(result, grade)

    def input_error(self, path: str, error: InputError, grade: Grade) -> None:
        self.inner.input_error(path, error, grade)

    def finish(self, summary: ClassSummary) -> None:
        self.inner.finish(summary)
        self.fh.close()


def _json_file(path: Path, assignment: Assignment, args):
    from verifier.reporters.json_reporter import JsonReporter

    return _Closing(path, JsonReporter)


def _csv_file(path: Path, assignment: Assignment, args):
    from verifier.reporters.csv_reporter import CsvReporter

    return CsvReporter(path, assignment, args.seed)


def _junit_file(path: Path):
    from verifier.reporters.junit import JUnitReporter

    return _Closing(path, JUnitReporter)


def _gradescope_file(path: Path):
    from verifier.reporters.gradescope import GradescopeReporter

    return _Closing(path, GradescopeReporter)


def _prairielearn_file(path: Path):
    from verifier.reporters.prairielearn import PrairieLearnReporter

    return _Closing(path, PrairieLearnReporter)


_GRADER_FILES = (("gradescope", _gradescope_file), ("prairielearn", _prairielearn_file))
