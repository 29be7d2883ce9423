"""The command line's options: flags, their types and checks (a bad value is a usage error)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import NoReturn

from verifier import __version__
from verifier.limits import Limits

EXIT_USAGE = 2


def _positive(kind: type) -> Callable[[str], float | int]:
    """An argparse type: a number above zero (a limit of 0 or less would mean nothing)."""

    def read(text: str) -> float | int:
        value = _number(kind, text)
        if not value > 0 or value != value or value == float("inf"):
            raise argparse.ArgumentTypeError(f"must be a number above 0, not {text!r}")
        return value

    return read


def _non_negative(text: str) -> int:
    value = _number(int, text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text!r}")
    return value


def _number(kind: type, text: str) -> float | int:
    try:
        return kind(text)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise argparse.ArgumentTypeError(f"must be {what}, not {text!r}") from None


# flag, Limits field, type, metavar, help
LIMIT_FLAGS = [
    (
        "--timeout",
        "claim_seconds",
        _positive(float),
        "S",
        "seconds per claim, then it is undecided",
    ),
    ("--file-timeout", "file_seconds", _positive(float), "S", "seconds per file, reading included"),
    ("--memory", "memory_mb", _positive(int), "MB", "memory a checking process may add"),
    ("--max-file-size", "max_file_bytes", _positive(int), "BYTES", "largest submission read"),
    ("--max-claim-chars", "max_claim_chars", _positive(int), "N", "longest formula read"),
    (
        "--max-depth",
        "max_depth",
        _positive(int),
        "N",
        "deepest nesting read (brackets, signs, functions)",
    ),
]


class _Parser(argparse.ArgumentParser):
    """A usage error is one line on stderr and exit 2 (argparse would print the usage too)."""

    def error(self, message: str) -> NoReturn:
        print(f"verify-derivations: usage error: {message} (see --help)", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
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
        choices=["terminal", "json", "junit", "github", "gradescope", "prairielearn"],
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
    out.add_argument("--gradescope", metavar="FILE", help="write Gradescope's results.json")
    out.add_argument(
        "--prairielearn", metavar="FILE", help="write PrairieLearn's external-grader results.json"
    )
    p.add_argument(
        "--feedback",
        choices=["verdicts", "hints", "full"],
        default="full",
        help="what student-facing outputs show: step verdicts only; and each line with hints "
        "(sign, factor, shape); and true values and counterexamples (default). "
        "JSON and CSV keep everything",
    )
    p.add_argument(
        "--template",
        metavar="NOTEBOOK",
        help="the notebook as distributed: its Markdown cells (the prompts) are not read",
    )
    p.add_argument("--jobs", type=_positive(int), default=1, metavar="N", help="worker processes")
    p.add_argument(
        "--assignment-sha256",
        metavar="HEX",
        help="refuse to run unless the assignment file has this SHA-256 (pins the truth in CI)",
    )
    p.add_argument("--strict", action="store_true", help="treat warn as a failure (exit 1)")
    p.add_argument(
        "--allow-missing",
        action="store_true",
        help="missing or incomplete steps do not make the exit code 1",
    )
    p.add_argument(
        "--seed", type=_non_negative, default=0, help="seed of the random points (default 0)"
    )
    p.add_argument(
        "--points", type=_positive(int), default=6, help="random points per dimension set"
    )
    p.add_argument("--no-proof", action="store_true", help="skip the symbolic proof attempts")
    p.add_argument("--truths", action="store_true", help="print every derivable quantity in LaTeX")
    p.add_argument(
        "--list", action="store_true", help="list the bundled assignments with their titles"
    )
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


def limits_of(args: argparse.Namespace) -> Limits:
    return Limits(**{field: getattr(args, field) for _, field, *_ in LIMIT_FLAGS})
