"""The LaTeX report: escaping, the allow-list for typeset lines, the documents, and compiling.

Student text is untrusted: hostile sources, messages, file names and step ids must reach the .tex
only as escaped text, and the report must still compile. The compiling tests need latexmk or
pdflatex (``.ci/run`` installs them) and are skipped only when neither is on PATH.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.api import check_file
from verifier.check.grading import ClassSummary, Grade, Grader, StepGrade
from verifier.check.verdicts import ClaimResult, FileResult, StepResult, Verdict
from verifier.errors import InputError
from verifier.reporters import latex
from verifier.reporters.latex import LatexReporter, compile_pdf, load_template
from verifier.reporters.tex_safe import (
    breakable_math,
    escape_text,
    safe_math,
    sized_delimiters,
    trusted_math,
)

from .conftest import ROOT, SEED

ENGINE = shutil.which("latexmk") or shutil.which("pdflatex")
needs_tex = pytest.mark.skipif(ENGINE is None, reason="no LaTeX engine (latexmk or pdflatex)")

# What a hostile submission may try, in a source, a display, a message, a file name or a step id.
HOSTILE = [
    r"\input{/etc/passwd}",
    r"\include{/etc/passwd}",
    r"\write18{touch PWNED}",
    r"\immediate\write18{touch PWNED}",
    r"\catcode`\{=12 \catcode`\^^5c=12",
    r"\def\x{PWNED}\x",
    r"\csname input\endcsname{/etc/passwd}",
    r"^^5cinput{/etc/passwd}",
    r"^^5c^^5c ^^M ^^^^005c",
    r"\end{document}",
    r"} \end{vdclaims} \input{/etc/passwd} {",
    "% comment # & $ ~ _ \\\\",
    r"\newcommand{\vdmarkpass}{PWNED}",
    r"\usepackage{shellesc}\ShellEscape{touch PWNED}",
    "\x00 \x1b[31m \x7f 😀 ∂ é \u202e",
]
# Control sequences the reporter itself writes between template fields (escapes included).
EMITTED = {
    *"textbackslash textasciicircum textasciitilde allowbreak dots textup textit texttt".split(),
    *"textless textgreater textbar".split(),
    *"section subsection vdclaim vdsource vdfit vdtruth vdcounterexample begin end".split(),
    *"toprule midrule bottomrule endhead quad hfill par small color textcolor textbf".split(),
    *"clearpage medskip setlength tabcolsep shortstack linewidth Large smallskip bigskip".split(),
    *(f"vdmark{s}" for s in latex.STATUS_ORDER),
    *"times cdot partial checkmark mathsf leq geq neq approx to Rightarrow odot circ".split(),
    *"sum surd infty pm alpha beta gamma delta epsilon zeta eta theta iota kappa lambda".split(),
    *"mu nu xi pi rho sigma tau upsilon phi chi psi omega Delta Sigma Omega Phi".split(),
    *"frac sqrt log ln exp tanh sinh cosh sin cos operatorname top ast left right".split(),
    *"dfrac varepsilon varphi Gamma Theta Lambda Psi bfseries".split(),
    *"rule paragraph raggedright arraybackslash".split(),  # the class summary's own
}
DANGEROUS = re.compile(
    r"\\(input|include|write|immediate|catcode|def|csname|endcsname|newcommand|usepackage|"
    r"ShellEscape|openout|read|x)(?![A-Za-z])|\^\^"
)


def _commands(tex: str) -> set[str]:
    return set(re.findall(r"\\([A-Za-z]+)", tex))


def _body(tex: str) -> str:
    """The document after the template's preamble: what the reporter wrote."""
    return tex.split(r"\begin{document}", 1)[1]


# --- escaping -----------------------------------------------------------------------------


def _check_escaped(out: str) -> None:
    assert out.isascii() or all(ord(c) < 0x100 for c in out)
    assert "^^" not in out
    assert _commands(out) <= EMITTED, _commands(out) - EMITTED
    plain = re.sub(r"\\[{}$&#_%]", "", out)
    assert not set("#&%_") & set(plain), out
    assert re.fullmatch(r"([^\^]|\^\{)*", plain), out  # ^ only as ^{ of a mapped superscript
    depth = 0
    for ch in plain:
        depth += ch == "{"
        depth -= ch == "}"
        assert depth >= 0
    assert depth == 0
    assert "\n" not in out


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_text_leaves_no_command_of_the_input(text):
    out = escape_text(text, code=True)
    _check_escaped(out)
    assert not DANGEROUS.search(out)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_escape_text_of_any_text_is_inert(text):
    _check_escaped(escape_text(text))
    _check_escaped(escape_text(text, limit=20, code=True))


def test_escape_text_cuts_long_text_and_says_so():
    out = escape_text("q" * 5000, limit=100)
    assert out.count("q") == 100
    assert "4900 more characters" in out


def test_escape_text_breaks_ligatures_and_long_runs():
    assert escape_text("--") == "-{}-"
    assert escape_text("``a''") == "`{}`a'{}'"
    assert r"\allowbreak" in escape_text("a" * 40)


# --- the allow-list of typeset lines ------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_math_refuses_hostile_displays(text):
    assert safe_math(text) is None
    assert safe_math(r"\frac{\partial E}{\partial t} = " + text) is None


@pytest.mark.parametrize(
    "display",
    [
        r"\mathrm{x}",  # \mathrm{input} is shown as \input by the parser's show(): refuse both
        r"\input",
        r"\operatorname{di ag}",
        r"\operatorname{\input}",
        r"x^",
        r"x}{",
        r"{x",
        "x \\\\ y",
        r"\left( x \right)",
        "x & y",
        "",
        None,
        "x" * 5000,
    ],
)
def test_safe_math_refuses_what_is_not_allowed(display):
    assert safe_math(display) is None


def test_safe_math_keeps_the_parsers_notation():
    seed = [
        r"\frac{\partial E}{\partial t} = \log (\frac{1}{1 + e^{-Wx}})",
        r"\frac{\partial E}{\partial z_i^{(2)}} = \sum_{j = 1}^n \frac{\partial E_j}{\partial y_j^{(2)}}",
        r"\frac{\partial y^{(1)}}{\partial z^{(1)}} = \operatorname{diag} (y^{(1)} \cdot (1 - y^{(1)}))",
        r"\frac{\partial E}{\partial W^{(2)}} = (y^{(2)} - t) y^{(1) T} \odot \sigma'",
    ]
    for display in seed:
        assert safe_math(display) == display


def test_safe_math_separates_double_scripts():
    assert safe_math("y^{(1)}^T") == "y^{(1)}{}^T"
    assert safe_math("x_i_j") == "x_i{}_j"
    assert safe_math("x^2'") == "x^2{}'"
    assert safe_math("x^{a^b^c}") == "x^{a^b{}^c}"
    assert safe_math("y_j^{(2)}") == "y_j^{(2)}"


def test_delimiters_and_break_points():
    assert sized_delimiters(r"\log (\frac{1}{2}) (a)") == r"\log \left(\frac{1}{2}\right) (a)"
    assert sized_delimiters(r"(\frac{1}{2}]") == r"(\frac{1}{2}]"  # unmatched: unchanged
    assert breakable_math(r"a b \log y") == r"a \allowbreak b \allowbreak \log y"
    assert breakable_math(r"\operatorname{diag} (y)") == r"\operatorname{diag} \allowbreak (y)"


def test_trusted_math_still_refuses_primitives():
    assert trusted_math(r"- \log{\left(y \right)}") == r"- \log{\left(y \right)}"
    assert trusted_math(r"\left[\begin{matrix}a & b\end{matrix}\right]") is not None
    for bad in (
        r"\input{x}",
        r"x \write18{y}",
        "^^5c",
        r"\def\a{}",
        "x}",
        "% c",
        r"\end{document}",
    ):
        assert trusted_math(bad) is None


# --- documents ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_graded(backprop_checker):
    result = check_file(str(SEED), checker=backprop_checker)
    return result, Grader(backprop_checker).grade(result)


def _summary(*grades: Grade) -> ClassSummary:
    summary = ClassSummary([s.id for s in grades[0].steps])
    for g in grades:
        summary.add(g)
    return summary


def _render(inputs, summary) -> str:
    reporter = LatexReporter(Path("unused.tex"))
    for item in inputs:
        if isinstance(item[0], FileResult):
            reporter.file_result(*item)
        else:
            reporter.input_error(*item)
    return reporter.render(summary)


def test_template_loads_and_has_its_fields():
    template = load_template()
    for field in ("@@{title}", "@@{subtitle}", "@@{body}"):
        assert field in template
    assert r"\documentclass" in template
    # Only packages of texlive-latex-base and texlive-latex-recommended.
    used = set(re.findall(r"\\usepackage(?:\[[^]]*\])?\{([^}]*)\}", template))
    allowed = {"fontenc", "lmodern", "geometry", "amsmath,amssymb", "graphicx", "xcolor"}
    assert used <= allowed | {"array,longtable,booktabs"}


def test_seed_report_has_summary_marks_truths_and_counterexamples(seed_graded):
    result, grade = seed_graded
    tex = _render([(result, grade)], _summary(grade))
    body = _body(tex)
    assert "Derivation report" in tex
    assert result.assignment_sha256 in body.replace(r"\allowbreak{}", "")
    assert r"Step & Verdict & Claims & Points" in body
    for step in result.steps:
        assert rf"\subsection*{{Step {step.id}" in body
    fails = [c for c in result.claims if c.verdict is Verdict.FAIL]
    assert fails and body.count(r"\vdtruth{") == len(fails)
    assert r"\vdtruth{\vdfit{-\log y}" in body  # the model's own notation
    assert body.count(r"\vdcounterexample{") == len(fails)
    assert body.count(r"\vdclaim{") == len(result.claims)
    assert r"\vdmarkincomplete{}~incomplete" in body  # step 7 never states its target
    assert "4 of 7 points" in body
    assert r"\vdsource" not in body  # every seed line is typeset from its parse
    assert not DANGEROUS.search(body)


def _hostile_result() -> tuple[FileResult, Grade]:
    claims = []
    for i, text in enumerate(HOSTILE, start=1):
        claims.append(
            ClaimResult(i, 1, text, Verdict.ERROR, f"unknown command `{text}` {text}", display=text)
        )
        claims.append(
            ClaimResult(
                i,
                2,
                text,
                Verdict.FAIL,
                f"false: true value {text}; {text}",
                truth=text,
                counterexample=text,
                display=text,
            )
        )
    name = "we$ird_#%&{}~^^5c\\input{x}.md"
    steps = (StepResult(r"\write18{x}", tuple(claims)),)
    result = FileResult(name, r"\input{a}", "^^5c" * 16, 0, r"\def", steps)
    grade = Grade(name, "graded", (StepGrade(r"\write18{x}", "error", 0.0, 1.0, note=HOSTILE[0]),))
    return result, grade


def test_hostile_text_never_reaches_the_document_as_tex():
    result, grade = _hostile_result()
    error = InputError(r"x.md:1:1: \input{/etc/passwd} ^^5c %")
    summary = ClassSummary([r"\write18{x}"])
    summary.add(grade)
    bad = Grade("x.md", "unreadable", (StepGrade(r"\write18{x}", "unreadable", 0.0, 1.0),))
    summary.add(bad)
    tex = _render([(result, grade), (r"\input{/etc/passwd}.md", error, bad)], summary)
    body = _body(tex)
    assert not DANGEROUS.search(body), DANGEROUS.search(body)
    assert _commands(body) <= EMITTED, _commands(body) - EMITTED
    assert "Class summary" in body


def test_several_inputs_give_the_class_summary(seed_graded, backprop_checker, tmp_path):
    result, grade = seed_graded
    empty = tmp_path / "empty.md"
    empty.write_text("")
    grader = Grader(backprop_checker)
    with pytest.raises(InputError) as caught:
        check_file(str(empty), checker=backprop_checker)
    bad = grader.unreadable(str(empty), str(caught.value))
    summary = _summary(grade, grade, bad)
    tex = _render([(result, grade), (result, grade), (str(empty), caught.value, bad)], summary)
    body = _body(tex)
    assert "Class report" in tex
    assert "3 submissions, 1 unreadable" in body
    # Step 2: the seed earns it twice of three; step 1: nobody (the seed fails it).
    assert re.search(r"^2 & 2/3 & ", body, re.MULTILINE)
    assert re.search(r"^1 & 0/3 & ", body, re.MULTILINE)
    assert body.count(r"\clearpage") == 3
    assert "Unreadable" in body


# --- compiling ----------------------------------------------------------------------------


def _pdf_pages(pdf: Path) -> int:
    """Pages of a PDF: poppler's pdfinfo when installed, else the page tree's /Count."""
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE).group(1))
    data = pdf.read_bytes()
    chunks = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        with contextlib.suppress(zlib.error):
            chunks.append(zlib.decompress(m.group(1)))
    counts = [
        int(c)
        for chunk in chunks
        for c in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", chunk)
    ]
    return max(counts, default=0)


@needs_tex
def test_seed_report_compiles_to_a_pdf(seed_graded, tmp_path):
    result, grade = seed_graded
    out = tmp_path / "seed_report.tex"
    reporter = LatexReporter(out, pdf=True)
    reporter.file_result(result, grade)
    reporter.finish(_summary(grade))
    pdf = reporter.pdf_path
    assert pdf == out.with_suffix(".pdf") and pdf.read_bytes().startswith(b"%PDF")
    assert _pdf_pages(pdf) >= 2
    assert not out.with_suffix(".aux").exists()  # auxiliary files are cleaned up
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf),
                str(tmp_path / "page"),
            ],
            check=True,
        )
        (png,) = tmp_path.glob("page*.png")
        assert png.stat().st_size > 10_000


@needs_tex
def test_committed_seed_report_compiles(tmp_path):
    tex = tmp_path / "seed_report.tex"
    shutil.copy(ROOT / "report" / "seed_report.tex", tex)
    assert _pdf_pages(compile_pdf(tex)) >= 2


@needs_tex
def test_hostile_report_compiles_and_runs_nothing(backprop_checker, tmp_path):
    source = tmp_path / "hostile.md"
    source.write_text(
        "1:\n\n"
        + "\n\n".join(
            rf"$$\frac{{\partial E}}{{\partial t}} = {h}$$" for h in HOSTILE if "\x00" not in h
        )
        + "\n\n$$E = -t \\log y^{(1)}^T$$\n\n$$\\frac{\\partial E}{\\partial t} = \\log y$$\n",
        encoding="utf-8",
    )
    result = check_file(str(source), checker=backprop_checker)
    grade = Grader(backprop_checker).grade(result)
    fake, fake_grade = _hostile_result()
    summary = ClassSummary([s.id for s in grade.steps])
    summary.add(grade)
    out = tmp_path / "out" / "class.tex"
    reporter = LatexReporter(out, pdf=True)
    reporter.file_result(result, grade)
    reporter.file_result(fake, fake_grade)
    reporter.finish(summary)
    assert _pdf_pages(reporter.pdf_path) >= 2
    assert not list(tmp_path.rglob("PWNED*"))
    assert not DANGEROUS.search(_body(out.read_text()))


def test_no_engine_is_an_input_error_after_writing_the_tex(seed_graded, tmp_path, monkeypatch):
    monkeypatch.setattr(latex.shutil, "which", lambda name: None)
    result, grade = seed_graded
    out = tmp_path / "r.tex"
    reporter = LatexReporter(out, pdf=True)
    reporter.file_result(result, grade)
    with pytest.raises(InputError, match=r"no LaTeX engine found \(latexmk or pdflatex\): wrote"):
        reporter.finish(_summary(grade))
    assert out.is_file()


def test_a_hanging_engine_is_stopped(tmp_path, monkeypatch):
    engine = tmp_path / "latexmk"
    engine.write_text("#!/bin/sh\nsleep 60\n")
    engine.chmod(0o755)
    monkeypatch.setattr(
        latex.shutil, "which", lambda name: str(engine) if name == "latexmk" else None
    )
    tex = tmp_path / "r.tex"
    tex.write_text("x")
    with pytest.raises(InputError, match="took more than"):
        compile_pdf(tex, timeout=1)


def test_a_failing_compile_names_the_tex_error(tmp_path):
    if ENGINE is None:
        pytest.skip("no LaTeX engine")
    tex = tmp_path / "bad.tex"
    tex.write_text("\\documentclass{article}\\begin{document}\\undefinedthing\\end{document}\n")
    with pytest.raises(InputError, match="Undefined control sequence"):
        compile_pdf(tex, timeout=60)


@needs_tex
def test_report_compiles_without_latin_modern(seed_graded, tmp_path):
    """Debian's lmodern is only recommended by texlive-base: the template falls back to CM/OT1."""
    result, grade = seed_graded
    fake, fake_grade = _hostile_result()
    template = load_template().replace("lmodern.sty", "no-such-package-here.sty")
    out = tmp_path / "ot1.tex"
    reporter = LatexReporter(out, pdf=True, template=template)
    reporter.file_result(result, grade)
    reporter.file_result(fake, fake_grade)
    reporter.finish(_summary(grade))
    assert _pdf_pages(reporter.pdf_path) >= 3
