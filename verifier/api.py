"""Public Python API; the command line calls exactly this."""

from __future__ import annotations

from verifier import __version__
from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.check.runner import check_document, check_path
from verifier.check.verdicts import ClaimResult, FileResult, StepResult, Verdict
from verifier.errors import InputError
from verifier.models.assignment import Assignment, load_assignment
from verifier.source import Document, MathSpan, Step, read_text
from verifier.submission import notebook_text, read_template

__all__ = [
    "Assignment",
    "ClaimResult",
    "Config",
    "FileResult",
    "StepResult",
    "Verdict",
    "check_claim",
    "check_file",
    "check_text",
    "load_assignment",
    "read_template",
]


def _checker(assignment: Assignment | str | None, config: Config | None) -> Checker:
    """A checker whose assignment is checked whole first: a faulty one raises an
    AssignmentError naming what is wrong before any claim is read."""
    checker = Checker(_assignment(assignment), config or Config())
    checker.validate()
    return checker


def _result(doc: Document, checker: Checker) -> FileResult:
    a = checker.assignment
    steps = tuple(check_document(checker, doc))
    return FileResult(doc.path, a.name, a.sha256, checker.config.seed, __version__, steps)


def check_file(
    path: str,
    assignment: Assignment | str | None = None,
    config: Config | None = None,
    checker: Checker | None = None,
) -> FileResult:
    """Verify a submission (Markdown, LaTeX or a notebook, read as the command line reads it:
    a notebook template goes in ``Config(template=read_template(path))``). Raises
    :class:`InputError` if it is unusable."""
    checker = checker or _checker(assignment, config)
    outcome = check_path(checker, path)  # read under the file's clock, like the checking
    if isinstance(outcome, InputError):
        raise outcome
    return outcome


def check_text(
    text: str,
    path: str = "<text>",
    assignment: Assignment | str | None = None,
    config: Config | None = None,
    checker: Checker | None = None,
) -> FileResult:
    """Verify a submission given as a string; ``path`` chooses by its suffix: LaTeX, Markdown,
    or for `.ipynb` a notebook's JSON (or a cell's Markdown, read as Jupyter renders it)."""
    checker = checker or _checker(assignment, config)
    limit = checker.config.limits.max_file_bytes
    if len(text.encode("utf-8")) > limit:
        raise InputError(f"{path}:1:1: text of more than {limit} bytes")
    notebook = path.lower().endswith(".ipynb") and text.lstrip().startswith("{")
    doc = notebook_text(path, text, checker.config.template) if notebook else read_text(path, text)
    if not doc.spans:
        raise InputError(f"{path}:1:1: no math found")
    return _result(doc, checker)


def check_claim(
    latex: str,
    step: str | None = None,
    assignment: Assignment | str | None = None,
    config: Config | None = None,
    checker: Checker | None = None,
) -> ClaimResult:
    """Check one equation ``lhs = rhs`` (LaTeX, no `$`) against a step's model of the assignment."""
    checker = checker or _checker(assignment, config)
    doc = Document("<claim>", f"$${latex}$$", [Step(step, -1, [MathSpan(latex, 2)])])
    steps = check_document(checker, doc)
    claims = [c for s in steps for c in s.claims]
    if len(claims) == 1:
        return claims[0]
    message = "expected exactly one equation `lhs = rhs`"
    return ClaimResult(1, 1, latex, Verdict.ERROR, message)


def _assignment(assignment: Assignment | str | None) -> Assignment:
    return assignment if isinstance(assignment, Assignment) else load_assignment(assignment)
