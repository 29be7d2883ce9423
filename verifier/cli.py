"""Command line: ``verify-derivations [FILE] [--format json] [--assignment NAME|FILE]``."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from rich.console import Console

from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.check.verdicts import Verdict
from verifier.errors import InputError
from verifier.models.assignment import bundled_names, load_assignment
from verifier.options import LIMIT_FLAGS, build_parser, limits_of
from verifier.submission import read_template

__all__ = ["LIMIT_FLAGS", "build_parser", "main"]

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["gradescope-package"]:  # a command of its own; `./gradescope-package` is a file
        return _package(argv[1:])
    args = build_parser().parse_args(argv)
    console = Console(stderr=False, highlight=False)
    try:
        return _run(args, console)
    except BrokenPipeError:  # `verify-derivations … | head`: the reader has gone, say nothing
        _quiet_stdout()
        return EXIT_FAILED
    except InputError as exc:
        _complain(str(exc))
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        _complain("interrupted")
        return EXIT_UNUSABLE
    except Exception as exc:  # a bug of ours: one line, unless --debug asks for the traceback
        if args.debug:
            raise
        _complain(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)")
        return EXIT_UNUSABLE


def _package(argv: list[str]) -> int:
    from verifier import gradescope_package

    try:
        return gradescope_package.main(argv)
    except InputError as exc:
        _complain(str(exc))
        return EXIT_UNUSABLE


def _quiet_stdout() -> None:
    """Point stdout at /dev/null: Python's own flush at exit would raise on the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())


def _complain(message: str) -> None:
    Console(stderr=True, highlight=False).print(
        f"verify-derivations: {message}", style="bold red", markup=False, soft_wrap=True
    )


def _run(args: argparse.Namespace, console: Console) -> int:
    from verifier import batch, outputs  # after argument parsing: --help stays fast
    from verifier.check.grading import NO_STEPS, ClassSummary, Grader, failing_messages
    from verifier.feedback import view

    if args.list:
        for name in bundled_names():
            console.print(
                f"{name}: {load_assignment(name).title}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        return EXIT_OK
    assignment = load_assignment(args.assignment)
    pinned = args.assignment_sha256
    if pinned and pinned.lower() != assignment.sha256:
        raise InputError(
            f"assignment {assignment.name} has SHA-256 {assignment.sha256}, not the pinned {pinned}"
        )
    config = Config(
        seed=args.seed,
        points=args.points,
        prove=not args.no_proof,
        limits=limits_of(args),
        template=read_template(args.template) if args.template else frozenset(),
    )
    checker = Checker(assignment, config)
    checker.validate()  # a faulty assignment is one line and exit 2, before any submission
    if args.truths:
        from verifier.truths import truths

        for line in truths(assignment, checker):
            console.print(line, markup=False, highlight=False, soft_wrap=True)
        return EXIT_OK
    paths, note = _paths(args, assignment)
    if note and args.format != "terminal":
        print(note, file=sys.stderr)
    several = len(paths) > 1
    reporter = outputs.build(args, console, assignment, several, note)
    grader = Grader(checker, strict=args.strict)
    summary = ClassSummary([s.id for s in assignment.steps])
    worst = EXIT_OK
    incomplete: list[tuple[str, list[str]]] = []  # submissions with steps missing or incomplete
    with _progress(len(paths)) as tick:
        for path, outcome in batch.run(assignment, config, paths, args.jobs, tick, checker):
            if isinstance(outcome, InputError):
                if not several and not outputs.for_a_grader(args):
                    raise outcome  # the only input is unusable: exit 2
                grade = grader.unreadable(path, str(outcome))
                reporter.input_error(path, outcome, grade)
                failures = {}
                worst = max(worst, EXIT_FAILED)
            else:
                grade = grader.grade(outcome)
                reporter.file_result(outcome, grade)
                shown = view(outcome, args.feedback)  # the class summary is student-facing
                failures = failing_messages(shown, grade, assignment)
                worst = max(worst, _exit_code(outcome.verdict, args.strict))
                absent = _absent(grade)
                if grade.status == NO_STEPS:  # nothing graded: never accepted as "missing"
                    print(f"verify-derivations: {path}: no step found (exit 1)", file=sys.stderr)
                    worst = max(worst, EXIT_FAILED)
                elif absent:
                    incomplete.append((path, absent))
            summary.add(grade, failures)
    reporter.finish(summary)
    if incomplete and not args.allow_missing:
        _say_missing(incomplete)
        worst = max(worst, EXIT_FAILED)
    return worst


def _absent(grade) -> list[str]:
    from verifier.check.grading import INCOMPLETE, MISSING

    return [s.id for s in grade.steps if s.status in (MISSING, INCOMPLETE)]


def _say_missing(incomplete: list[tuple[str, list[str]]]) -> None:
    """Exit 1 when steps the assignment asks for are missing or incomplete (a CI run on a
    submission with one step of seven must not be green); one line says why."""
    if len(incomplete) == 1:
        path, ids = incomplete[0]
        what = f"{path}: steps missing or incomplete: {', '.join(ids)}"
    else:
        what = f"{len(incomplete)} submissions have steps missing or incomplete"
    print(f"verify-derivations: {what} (exit 1; --allow-missing to accept)", file=sys.stderr)


def _paths(args: argparse.Namespace, assignment) -> tuple[list[str], str | None]:
    from verifier import batch

    if args.paths:
        return batch.expand(args.paths), None
    if assignment.example is None:
        raise InputError(f"assignment {assignment.name} bundles no example; give a FILE")
    path = str(assignment.example)
    note = (
        f"No file given: verifying the bundled example solution of assignment "
        f"'{assignment.name}' ({path}), a real student's work with real mistakes."
    )
    return [path], note


@contextlib.contextmanager
def _progress(total: int):
    """A progress bar on stderr when it is a terminal and there is more than one file."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("checking", total=total)
        yield lambda: bar.advance(task)


def _exit_code(verdict: Verdict, strict: bool) -> int:
    if verdict in (Verdict.FAIL, Verdict.ERROR, Verdict.UNDECIDED):
        return EXIT_FAILED
    return EXIT_FAILED if strict and verdict is Verdict.WARN else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
