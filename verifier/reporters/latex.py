"""The LaTeX report: a standalone document, optionally compiled to PDF.

One submission gives its metadata, a summary table (step, verdict, claims, points) and every step
with the student's lines typeset, a mark per line, the checker's message, and for each failing
line the true value (typeset from SymPy's LaTeX) and the counterexample. Several submissions give
the class summary (per step: how many earned it, counts per status), an overview, and one section
per submission.

Student text is untrusted (``verifier.reporters.tex_safe``): a line is typeset from its
``display`` (rebuilt from the parse tree) only after an allow-list check; everything else of a
submission, file names included, is escaped and set in ``\\texttt``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import string
import subprocess
from importlib import resources
from pathlib import Path

from verifier.check.grading import INCOMPLETE, MISSING, NO_STEPS, UNREADABLE, ClassSummary, Grade
from verifier.check.verdicts import ClaimResult, FileResult, StepResult, Verdict
from verifier.errors import InputError
from verifier.reporters.class_stats import failure_text, totals_text
from verifier.reporters.tex_safe import (
    breakable_math,
    display_fractions,
    escape_text,
    safe_math,
    sized_delimiters,
    trusted_math,
)

TEMPLATE_NAME = "template.tex"
_REPO_TEMPLATE = Path(__file__).resolve().parents[2] / "report" / TEMPLATE_NAME
SOURCE_LIMIT = 1500  # characters of an unreadable line shown in the report
MESSAGE_LIMIT = 1200
INLINE_MATH_LIMIT = 300  # a `quoted` formula in a message longer than this stays text
COMPILE_SECONDS = 180.0
AUXILIARY = (".aux", ".log", ".fls", ".fdb_latexmk", ".out")

STATUS_ORDER = (
    Verdict.PASS.value,
    Verdict.WARN.value,
    INCOMPLETE,
    Verdict.FAIL.value,
    Verdict.ERROR.value,
    Verdict.UNDECIDED.value,
    Verdict.NOTE.value,
    MISSING,
    UNREADABLE,
)


class _Template(string.Template):
    delimiter = "@@"


def load_template() -> str:
    """The report template: package data ``verifier.report``, else the repository's ``report/``."""
    try:
        return resources.files("verifier.report").joinpath(TEMPLATE_NAME).read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        return _REPO_TEMPLATE.read_text(encoding="utf-8")


class LatexReporter:
    """Collects every submission, writes ``path`` at :meth:`finish`, and compiles it if ``pdf``."""

    def __init__(self, path: Path | str, pdf: bool = False, template: str | None = None) -> None:
        self.path = Path(path)
        self.pdf = pdf
        self.template = template
        self.pdf_path: Path | None = None
        self._inputs: list[tuple[str, FileResult | InputError, Grade]] = []
        self._first: FileResult | None = None

    def file_result(self, result: FileResult, grade: Grade) -> None:
        self._first = self._first or result
        self._inputs.append((result.file, result, grade))

    def input_error(self, path: str, error: InputError, grade: Grade) -> None:
        self._inputs.append((path, error, grade))

    def finish(self, summary: ClassSummary) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(self.render(summary), encoding="utf-8")
        if self.pdf:
            self.pdf_path = compile_pdf(self.path)

    def render(self, summary: ClassSummary) -> str:
        """The whole document as a string."""
        many = len(self._inputs) != 1
        first = self._first
        sections = [
            _submission(x, grade, heading=many)
            if isinstance(x, FileResult)
            else _unreadable(path, x, grade)
            for path, x, grade in self._inputs
        ]
        if many:
            title = "Class report"
            subtitle = f"{summary.submissions} submissions"
            if first is not None:
                subtitle += (
                    rf"; assignment \texttt{{{escape_text(first.assignment)}}}, "
                    rf"seed {escape_text(str(first.seed))}; "
                    rf"verify-derivations {escape_text(first.tool_version)}"
                )
            body = [_class_summary(summary), _overview(self._inputs)]
            body += [r"\clearpage" + "\n" + s for s in sections]
        else:
            title = "Derivation report"
            name = self._inputs[0][0] if self._inputs else "no submission"
            subtitle = rf"\texttt{{{escape_text(_shown_path(name))}}}"
            body = sections
        fields = {"title": title, "subtitle": subtitle, "body": "\n".join(body)}
        return _Template(self.template or load_template()).substitute(fields)


# --- one submission ---------------------------------------------------------------------------


def _submission(result: FileResult, grade: Grade, heading: bool) -> str:
    shown = escape_text(_shown_path(result.file))
    steps = {s.id: s for s in result.steps}
    grades = {g.id: g for g in grade.steps}
    order = [g.id for g in grade.steps] + [s.id for s in result.steps if s.id not in grades]
    out = [
        rf"\section*{{\texttt{{{shown}}}}}" if heading else "",
        _metadata(result, grade),
        r"\subsection*{Summary}",
        _step_table(order, steps, grades),
    ]
    for step_id in order:
        out.append(_step(step_id, steps.get(step_id), grades.get(step_id)))
    return "\n".join(out)


def _metadata(result: FileResult, grade: Grade) -> str:
    rows = [
        ("Submission", rf"\texttt{{{escape_text(_shown_path(result.file))}}}"),
        ("Assignment", rf"\texttt{{{escape_text(result.assignment)}}}"),
        ("SHA-256", rf"\texttt{{\small {escape_text(result.assignment_sha256)}}}"),
        ("Seed", escape_text(str(result.seed))),
        ("Tool", rf"verify-derivations {escape_text(result.tool_version)}"),
        (
            "Result",
            rf"{_headline(result.verdict.value, grade)}"
            rf"\quad {_points(grade.total)} of {_points(grade.max_total)} points"
            + (r" \quad (flagged for a person to look at)" if grade.flagged else ""),
        ),
    ]
    lines = [r"\begin{tabular}{@{}>{\bfseries}l p{0.78\linewidth}@{}}"]
    lines += [f"{k} & {v} \\\\" for k, v in rows]
    lines.append(r"\end{tabular}")
    return "\n".join(lines)


def _step_table(order: list[str], steps: dict[str, StepResult], grades: dict) -> str:
    lines = [
        r"\begin{longtable}{@{}l l l r@{}}",
        r"\toprule Step & Verdict & Claims & Points \\ \midrule \endhead",
    ]
    for step_id in order:
        step, g = steps.get(step_id), grades.get(step_id)
        status = g.status if g is not None else step.verdict.value
        flag = " (flagged)" if g is not None and g.flagged else ""
        points = f"{_points(g.points)}/{_points(g.max_points)}" if g is not None else "--"
        lines.append(
            rf"{escape_text(step_id)} & {_mark(status)}~{escape_text(status)}{flag} & "
            rf"{_claim_counts(step)} & {points} \\"
        )
    lines += [r"\bottomrule", r"\end{longtable}"]
    return "\n".join(lines)


def _claim_counts(step: StepResult | None) -> str:
    if step is None:
        return "--"
    counts = {v: sum(c.verdict is v for c in step.claims) for v in Verdict}
    parts = [f"{n}\\,{_mark(v.value)}" for v, n in counts.items() if n]
    return f"{len(step.claims)}" + (r" \quad " + r"\ ".join(parts) if parts else "")


def _step(step_id: str, step: StepResult | None, g) -> str:
    status = g.status if g is not None else step.verdict.value
    head = rf"Step {escape_text(step_id)}\hfill {_mark(status)}~{escape_text(status)}"
    if g is not None:
        head += rf"\quad {_points(g.points)}/{_points(g.max_points)}"
    out = [rf"\subsection*{{{head}}}"]
    if g is not None and g.flagged:
        out.append(r"{\small\textcolor{vdundecided}{Flagged: a person should look at this step.}}")
    if g is not None and g.note:
        out.append(rf"{{\small\color{{vdnote}}{_message(g.note)}\par}}")
    if step is None:
        if status == MISSING:
            out.append(r"{\small\color{vdnote}This step is not in the submission.\par}")
        return "\n".join(out)
    out.append(r"\begin{vdclaims}")
    out += [_claim(c) for c in step.claims]
    out.append(r"\end{vdclaims}")
    return "\n".join(out)


def _claim(claim: ClaimResult) -> str:
    math = safe_math(claim.display)
    if math is not None:
        formula = rf"\vdfit{{{sized_delimiters(math)}}}{{{breakable_math(math)}}}"
    else:
        formula = rf"\vdsource{{{escape_text(claim.source, SOURCE_LIMIT, code=True)}}}"
    message = claim.message
    extra = ""
    if claim.verdict is Verdict.FAIL:
        if claim.truth and ": true value " in message:
            message = message.split(": true value ", 1)[0]
        elif claim.counterexample and claim.counterexample in message:
            message = message.replace(claim.counterexample, "").rstrip("; ")
        if claim.truth:
            truth = trusted_math(claim.truth)
            if truth is not None and r"\begin{matrix}" in truth:
                truth = display_fractions(truth)
            shown = (
                rf"\vdfit{{{truth}}}{{{breakable_math(truth)}}}"
                if truth is not None
                else rf"\vdsource{{{escape_text(claim.truth, SOURCE_LIMIT, code=True)}}}"
            )
            extra += rf"\vdtruth{{{shown}}}"
        if claim.counterexample:
            extra += rf"\vdcounterexample{{{escape_text(claim.counterexample, MESSAGE_LIMIT)}}}"
    where = f"l.\\,{claim.line}"
    if claim.cell is not None:  # a notebook: the cell and its line, not the .ipynb file's
        where = rf"\shortstack[r]{{cell\,{claim.cell}\\l.\,{claim.line_in_cell}}}"
    return (
        rf"\vdclaim{{{_mark(claim.verdict.value)}}}{{{where}}}"
        rf"{{{formula}}}{{{_message(message, MESSAGE_LIMIT)}}}{{{extra}}}"
    )


def _unreadable(path: str, error: InputError, grade: Grade) -> str:
    shown = escape_text(_shown_path(path))
    return "\n".join(
        [
            rf"\section*{{\texttt{{{shown}}}}}",
            rf"{_mark(UNREADABLE)}~\textbf{{Unreadable}} \quad "
            rf"{_points(grade.total)} of {_points(grade.max_total)} points\par",
            rf"\vdsource{{{escape_text(str(error), MESSAGE_LIMIT, code=True)}}}",
        ]
    )


# --- the class ------------------------------------------------------------------------------


def _class_summary(summary: ClassSummary) -> str:
    present = [s for s in STATUS_ORDER if any(s in row for row in summary.counts.values())]
    cols = (
        "l r " + " ".join("c" for _ in present) + r" >{\raggedright\arraybackslash}p{0.3\linewidth}"
    )
    head = " & ".join(rf"\shortstack{{{_mark(s)}\\ {s}}}" for s in present)
    lines = [
        r"\section*{Class summary}",
        rf"{summary.submissions} submissions"
        + (f", {summary.unreadable} unreadable" if summary.unreadable else "")
        + r". Per step: how many submissions earned its points, and the status of each.\par",
        r"\medskip",
        r"{\small\setlength{\tabcolsep}{4pt}",
        rf"\begin{{longtable}}{{@{{}}{cols}@{{}}}}",
        rf"\toprule Step & Earned{' & ' + head if head else ''} & Most common failure \\ "
        r"\midrule \endhead",
    ]
    for step_id in summary.steps:
        row = summary.counts.get(step_id, {})
        cells = [escape_text(step_id), f"{row.get('earned', 0)}/{summary.submissions}"]
        cells += [str(row.get(s, 0)) if row.get(s) else r"\textcolor{vdnote}{0}" for s in present]
        cells.append(escape_text(failure_text(summary, step_id), MESSAGE_LIMIT))
        lines.append(" & ".join(cells) + r" \\")
    lines += [r"\bottomrule", r"\end{longtable}}", _histogram(summary)]
    return "\n".join(lines)


def _histogram(summary: ClassSummary) -> str:
    """The totals: mean and median, and a bar per bin (a rule as long as its count)."""
    bins = summary.histogram()
    most = max((n for _, n in bins), default=0) or 1
    lines = [
        rf"\paragraph{{Totals}} {escape_text(totals_text(summary))}.\par\smallskip",
        r"{\small\begin{tabular}{@{}r l@{}}",
    ]
    for label, n in bins:
        length = 0.4 * n / most
        lines.append(rf"{escape_text(label)} & \rule{{{length:.3f}\linewidth}}{{1.2ex}}\,{n} \\")
    lines.append(r"\end{tabular}}")
    return "\n".join(lines)


def _overview(inputs: list[tuple[str, FileResult | InputError, Grade]]) -> str:
    lines = [
        r"\section*{Submissions}",
        r"\begin{longtable}{@{}p{0.6\linewidth} l r@{}}",
        r"\toprule Submission & Verdict & Points \\ \midrule \endhead",
    ]
    for path, x, grade in inputs:
        verdict = x.verdict.value if isinstance(x, FileResult) else UNREADABLE
        flag = " (flagged)" if grade.flagged else ""
        lines.append(
            rf"\texttt{{{escape_text(_shown_path(path))}}} & {_headline(verdict, grade)}{flag} & "
            rf"{_points(grade.total)}/{_points(grade.max_total)} \\"
        )
    lines += [r"\bottomrule", r"\end{longtable}"]
    return "\n".join(lines)


# --- pieces ---------------------------------------------------------------------------------


def _headline(verdict: str, grade: Grade) -> str:
    """A file's mark and verdict; a submission where no step was found is never "pass"."""
    if grade.status == NO_STEPS:
        return rf"{_mark(Verdict.FAIL.value)}~no step found"
    return rf"{_mark(verdict)}~{verdict}"


def _mark(status: str) -> str:
    known = {*STATUS_ORDER}
    return rf"\vdmark{status}{{}}" if status in known else "?"


def _points(x: float) -> str:
    return f"{x:g}"


def _shown_path(path: str) -> str:
    """A path inside the working directory relative to it (the seed report is machine-free)."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _message(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """A message with its `quoted` formulas typeset when they pass the allow-list."""
    text = text if len(text) <= limit else text[:limit] + "…"
    parts = text.split("`")
    if len(parts) % 2 == 0:  # unbalanced quotes: all text
        return escape_text(text)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(escape_text(part))
            continue
        math = safe_math(part, INLINE_MATH_LIMIT)
        out.append(f"${math}$" if math is not None else rf"\texttt{{{escape_text(part)}}}")
    return "".join(out)


# --- compiling --------------------------------------------------------------------------------


def compile_pdf(tex_path: Path | str, timeout: float = COMPILE_SECONDS) -> Path:
    """Compile ``tex_path`` to PDF next to it (latexmk, else pdflatex twice); the PDF's path.

    TeX runs in the file's folder without shell escape, in nonstop mode, with no latexmk rc file
    read, and is killed (with its children) after ``timeout`` seconds. Auxiliary files are removed
    after a success; after a failure the log stays for reading. Raises :class:`InputError` (the
    command line's exit 2) when no engine is installed, when TeX fails, or on timeout.
    """
    tex = Path(tex_path).resolve()
    latexmk, pdflatex = shutil.which("latexmk"), shutil.which("pdflatex")
    tex_flags = ["-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error"]
    if latexmk:
        runs = [[latexmk, "-norc", "-pdf", "-quiet", *tex_flags, tex.name]]
    elif pdflatex:
        runs = [[pdflatex, *tex_flags, tex.name]] * 2
    else:
        raise InputError(f"no LaTeX engine found (latexmk or pdflatex): wrote {tex_path}")
    env = {**os.environ, "shell_escape": "f", "openout_any": "p"}
    for cmd in runs:
        code, output = _run(cmd, tex.parent, env, timeout)
        if code is None:
            raise InputError(f"LaTeX took more than {timeout:g} s on {tex_path}; stopped")
        if code != 0:
            raise InputError(f"LaTeX could not compile {tex_path}: {_tex_error(tex, output)}")
    pdf = tex.with_suffix(".pdf")
    if not pdf.is_file():
        raise InputError(f"LaTeX wrote no PDF for {tex_path}")
    for suffix in AUXILIARY:  # kept only when compiling fails, to read the log
        tex.with_suffix(suffix).unlink(missing_ok=True)
    return pdf


def _run(cmd: list[str], cwd: Path, env: dict, timeout: float) -> tuple[int | None, str]:
    """Exit code (None on timeout) and output; on timeout the whole process group is killed."""
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None, ""
    return proc.returncode, out.decode("utf-8", "replace")


def _tex_error(tex: Path, output: str) -> str:
    """The first TeX error (a line starting with `!`) of the log, else the output's last line."""
    log = tex.with_suffix(".log")
    text = log.read_text("utf-8", "replace") if log.is_file() else output
    found = re.search(r"^! .*$", text, re.MULTILINE)
    if found:
        return f"{found.group(0)} (see {log})"
    tail = [line for line in output.splitlines() if line.strip()]
    return tail[-1] if tail else "unknown error"
