"""Gradescope's ``run_autograder``: grades the one submission under ``/autograder/submission``.

The assignment is the file packed beside ``autograder.json`` and is pinned by its SHA-256; the
installed tool must be the version that was packed. Whatever happens, a valid
``results/results.json`` is written: a PDF, no file, several candidate files or an unreadable file
score 0 with a message saying what to submit; a misconfigured autograder says so (and that it is
not about the submission). The run's log (stdout: the full, unredacted JSON report) is for the
instructor (``stdout_visibility`` hidden). ``VERIFY_DERIVATIONS_AUTOGRADER_ROOT`` replaces
``/autograder`` (for tests).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from verifier import __version__

ROOT_VARIABLE = "VERIFY_DERIVATIONS_AUTOGRADER_ROOT"
CONFIG = "autograder.json"
SUFFIXES = (".md", ".markdown", ".tex", ".ipynb")  # as verifier.batch reads them
WHAT_TO_SUBMIT = "submit your solution as one Markdown, LaTeX or notebook file (.md, .tex, .ipynb)"


def root() -> Path:
    return Path(os.environ.get(ROOT_VARIABLE, "/autograder"))


def candidates(submission: Path) -> tuple[list[Path], list[Path]]:
    """Files that could be the solution, and PDFs, under ``submission`` (links leading out of it
    are skipped, as in a class folder)."""
    inside = submission.resolve()
    files = [
        f
        for f in sorted(submission.rglob("*"))
        if f.is_file() and f.resolve().is_relative_to(inside) and not _hidden(f, submission)
    ]
    return (
        [f for f in files if f.suffix.lower() in SUFFIXES],
        [f for f in files if f.suffix.lower() == ".pdf"],
    )


def _hidden(f: Path, base: Path) -> bool:
    """macOS and editors leave ``.DS_Store``, ``__MACOSX/`` and ``._x.md``: never the solution."""
    return any(p.startswith((".", "__MACOSX")) for p in f.relative_to(base).parts)


def problem(found: list[Path], pdfs: list[Path], base: Path) -> str | None:
    """Why the submission cannot be graded as it stands, or None."""
    if len(found) == 1:
        return None
    if len(found) > 1:
        names = ", ".join(str(f.relative_to(base)) for f in found[:6])
        return f"several files could be the solution ({names}): {WHAT_TO_SUBMIT}"
    if pdfs:
        return (
            f"the submission is a PDF ({pdfs[0].name}); this assignment is checked from the "
            f"source of your solution, not its PDF: {WHAT_TO_SUBMIT}"
        )
    return f"no solution file was found in the submission: {WHAT_TO_SUBMIT}"


def write(results: Path, document: dict) -> None:
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")


def misconfigured(reason: str) -> dict:
    """A valid results file for an autograder that could not run: not the student's fault."""
    return {
        "score": 0.0,
        "output": (
            "The autograder could not grade this submission: it is misconfigured "
            f"({reason}). This is not about your work; please tell your instructor."
        ),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
    }


def run(base: Path) -> int:
    """Grade ``base/submission`` into ``base/results/results.json``; the CLI's exit code."""
    from verifier import cli
    from verifier.check.checker import Checker
    from verifier.check.compare import Config
    from verifier.check.grading import Grader
    from verifier.models.assignment import load_assignment
    from verifier.reporters import gradescope

    results = base / "results" / "results.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.unlink(missing_ok=True)
    config = json.loads((base / "source" / CONFIG).read_text("utf-8"))
    if config["tool_version"] != __version__:
        write(results, misconfigured(f"verify-derivations {__version__} is installed, "
                                     f"{config['tool_version']} was packed"))  # fmt: skip
        return 2
    assignment_file = base / "source" / config["assignment"]
    submission = base / "submission"
    found, pdfs = candidates(submission) if submission.is_dir() else ([], [])
    why = problem(found, pdfs, submission)
    if why is not None:
        assignment = load_assignment(str(assignment_file))
        if assignment.sha256 != config["assignment_sha256"]:
            write(results, misconfigured("the assignment file is not the one packed"))
            return 2
        grade = Grader(Checker(assignment, Config())).unreadable(str(submission), why)
        write(results, gradescope.results(None, grade, 0.0, why))
        print(f"run_autograder: {why}")
        return 1
    code = cli.main(
        [
            str(found[0]),
            "--assignment", str(assignment_file),
            "--assignment-sha256", config["assignment_sha256"],
            "--feedback", config["feedback"],
            "--gradescope", str(results),
            "--format", "json",  # the instructor's log, everything in it
            "--allow-missing",
        ]
    )  # fmt: skip
    if not results.is_file():  # the assignment or the tool refused to run: exit 2
        write(results, misconfigured(f"verify-derivations exited with {code}; see its log"))
    return code


def main() -> int:
    base = root()
    try:
        return run(base)
    except Exception as exc:  # still a results file: Gradescope shows nothing without one
        write(base / "results" / "results.json", misconfigured(f"{type(exc).__name__}: {exc}"))
        print(f"run_autograder: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
