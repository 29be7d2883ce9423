"""Command line: ``verify-derivations [FILE] [--format json] [--assignment NAME|FILE]``."""

from __future__ import annotations

import argparse
import contextlib
import sys

from rich.console import Console

from verifier import __version__
from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.check.verdicts import Verdict
from verifier.errors import InputError
from verifier.limits import Limits
from verifier.models.assignment import load_assignment

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2

# flag, Limits field, type, metavar, help
LIMIT_FLAGS = [
    ("--timeout", "claim_seconds", float, "S", "seconds per claim, then it is undecided"),
    ("--file-timeout", "file_seconds", float, "S", "seconds per file"),
    ("--memory", "memory_mb", int, "MB", "memory a checking process may add"),
    ("--max-file-size", "max_file_bytes", int, "BYTES", "largest submission read"),
    ("--max-claim-chars", "max_claim_chars", int, "N", "longest formula read"),
    ("--max-depth", "max_depth", int, "N", "deepest bracket nesting read"),
]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="verify-derivations",
        description="Check every claimed equality of a backpropagation derivation against SymPy.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="submissions (.md, .tex, .ipynb) or folders of them (default: the bundled example)",
    )
    p.add_argument(
        "--assignment", metavar="NAME|FILE", help="bundled assignment name or a .toml file"
    )
    p.add_argument(
        "--format",
        choices=["terminal", "json", "junit", "github"],
        default="terminal",
        help="what goes to stdout",
    )
    out = p.add_argument_group("more outputs (any number, in one run)")
    out.add_argument("--json", metavar="FILE", help="also write JSON to FILE")
    out.add_argument("--junit", metavar="FILE", help="also write JUnit XML to FILE")
    out.add_argument("--github", action="store_true", help="also print GitHub annotations")
    out.add_argument("--latex", metavar="OUT.tex", help="write a LaTeX report")
    out.add_argument("--pdf", action="store_true", help="compile the LaTeX report to PDF")
    out.add_argument("--csv", metavar="FILE", help="one row per submission: verdicts, points")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes")
    p.add_argument(
        "--assignment-sha256",
        metavar="HEX",
        help="refuse to run unless the assignment file has this SHA-256 (pins the truth in CI)",
    )
    p.add_argument("--strict", action="store_true", help="treat warn as a failure (exit 1)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random points (default 0)")
    p.add_argument("--points", type=int, default=6, help="random points per dimension set")
    p.add_argument("--no-proof", action="store_true", help="skip the symbolic proof attempts")
    p.add_argument("--truths", action="store_true", help="print every derivable quantity in LaTeX")
    limits = p.add_argument_group("limits (student files are untrusted)")
    defaults = Limits()
    for flag, field, kind, metavar, what in LIMIT_FLAGS:
        default = getattr(defaults, field)
        limits.add_argument(
            flag, dest=field, type=kind, default=default, metavar=metavar,
            help=f"{what} (default {default})",
        )  # fmt: skip
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(stderr=False, highlight=False)
    try:
        return _run(args, console)
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


def _complain(message: str) -> None:
    Console(stderr=True, highlight=False).print(
        f"verify-derivations: {message}", style="bold red", markup=False, soft_wrap=True
    )


def _limits(args: argparse.Namespace) -> Limits:
    return Limits(**{field: getattr(args, field) for _, field, *_ in LIMIT_FLAGS})


def _run(args: argparse.Namespace, console: Console) -> int:
    from verifier import batch, outputs  # after argument parsing: --help stays fast
    from verifier.check.grading import ClassSummary, Grader

    assignment = load_assignment(args.assignment)
    pinned = args.assignment_sha256
    if pinned and pinned.lower() != assignment.sha256:
        raise InputError(
            f"assignment {assignment.name} has SHA-256 {assignment.sha256}, not the pinned {pinned}"
        )
    if args.truths:
        from verifier.truths import truths

        for line in truths(assignment):
            console.print(line, markup=False, highlight=False, soft_wrap=True)
        return EXIT_OK
    paths, note = _paths(args, assignment)
    config = Config(
        seed=args.seed, points=args.points, prove=not args.no_proof, limits=_limits(args)
    )
    if note and args.format != "terminal":
        print(note, file=sys.stderr)
    several = len(paths) > 1
    reporter = outputs.build(args, console, assignment, several, note)
    grader = Grader(Checker(assignment, config), strict=args.strict)
    summary = ClassSummary([s.id for s in assignment.steps])
    worst = EXIT_OK
    with _progress(len(paths)) as tick:
        for path, outcome in batch.run(assignment, config, paths, args.jobs, tick):
            if isinstance(outcome, InputError):
                if not several:
                    raise outcome  # the only input is unusable: exit 2
                grade = grader.unreadable(path, str(outcome))
                reporter.input_error(path, outcome, grade)
                worst = max(worst, EXIT_FAILED)
            else:
                grade = grader.grade(outcome)
                reporter.file_result(outcome, grade)
                worst = max(worst, _exit_code(outcome.verdict, args.strict))
            summary.add(grade)
    reporter.finish(summary)
    return worst


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
