"""Feedback levels: what each student-facing output shows at verdicts, hints and full.

The leak table runs the command line once per level on the bundled seed (real failures: off by a
sign, wrong values) with every student-facing output at once, and looks in each output for the
true values and counterexamples the instructor's JSON holds. At ``full`` they must be there (so
the search can find them); at ``hints`` and ``verdicts`` never.
"""

from __future__ import annotations

import contextlib
import io
import json
import re

import pytest

from verifier import cli
from verifier.check.verdicts import ClaimResult, FileResult, StepResult, Verdict
from verifier.feedback import FULL, HINTS, UNDECIDED_TEXT, VERDICTS, hinted, view

from .conftest import SEED

OUTPUTS = ("terminal", "github", "junit", "gradescope", "prairielearn", "latex", "summary")


def _run(tmp, mp: pytest.MonkeyPatch, level: str) -> dict[str, str]:
    """Every student-facing output of one run on the seed at ``level``, by name."""
    mp.setenv("COLUMNS", "1000")  # rich must not fold a number across lines
    summary = tmp / "summary.md"
    mp.setenv("GITHUB_STEP_SUMMARY", str(summary))
    files = {name: tmp / f"out.{name}" for name in ("junit", "gradescope", "prairielearn")}
    args = [str(SEED), "--github", "--feedback", level, "--latex", str(tmp / "r.tex")]
    for name, path in files.items():
        args += [f"--{name}", str(path)]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        cli.main(args)
    lines = buf.getvalue().splitlines()
    out = {name: path.read_text("utf-8") for name, path in files.items()}
    out["github"] = "\n".join(x for x in lines if x.startswith("::"))
    out["terminal"] = "\n".join(x for x in lines if not x.startswith("::"))
    tex = (tmp / "r.tex").read_text("utf-8")
    out["latex"] = tex.split("\\begin{document}", 1)[1]  # the preamble defines \vdtruth
    out["summary"] = summary.read_text("utf-8")
    return out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """Every student-facing output at every level, and the instructor's JSON."""
    got: dict = {}
    with pytest.MonkeyPatch.context() as mp:
        for level in (VERDICTS, HINTS, FULL):
            got[level] = _run(tmp_path_factory.mktemp(level), mp, level)
    got["json"] = _json(tmp_path_factory.mktemp("json"))
    return got


def _json(tmp) -> dict:
    path = tmp / "r.json"
    with contextlib.redirect_stdout(io.StringIO()):
        cli.main([str(SEED), "--json", str(path), "--format", "junit"])
    return json.loads(path.read_text("utf-8"))


def leaks(doc: dict) -> list[str]:
    """What a student must not see below full: each failure's true and claimed numbers (the
    counterexample) and the words our outputs put before a true value."""
    found = {"true value", "vdtruth", "vdcounterexample", "counterexample"}
    for step in doc["steps"]:
        for c in step["claims"]:
            if c["counterexample"]:
                found |= set(
                    re.findall(r"(?:claimed|true) -?([0-9][0-9.]{4,})", c["counterexample"])
                )
    return sorted(found)


def _plain(text: str) -> str:
    """Escapes taken out: backslashes (Markdown, LaTeX), `{}` (LaTeX ligature breaks)."""
    return text.replace("\\", "").replace("{}", "")


# Outputs that show true values at full: every one but the Markdown summary (steps only).
SHOWS_TRUTH = {"terminal", "github", "junit", "gradescope", "prairielearn", "latex"}


@pytest.mark.parametrize("level", [VERDICTS, HINTS])
@pytest.mark.parametrize("output", OUTPUTS)
def test_no_true_value_leaks_below_full(outputs, output, level):
    text = _plain(outputs[level][output]).lower()
    markers = leaks(outputs["json"])
    assert len(markers) > 5  # the seed has failures with counterexamples
    assert [m for m in markers if m.lower() in text] == []


@pytest.mark.parametrize("output", sorted(SHOWS_TRUTH))
def test_full_shows_the_true_values(outputs, output):
    """The false variant of the table above: the same search finds them at full."""
    text = _plain(outputs[FULL][output]).lower()
    numbers = [m for m in leaks(outputs["json"]) if m[0].isdigit()]
    assert any(n in text for n in numbers)
    assert "true value" in text or "vdtruth" in text or "true " in text


@pytest.mark.parametrize(
    ("output", "hint"),
    [(o, "off by a sign") for o in ("terminal", "github", "junit", "gradescope", "prairielearn")],
)
def test_hints_keep_the_hint(outputs, output, hint):
    assert hint in _plain(outputs[HINTS][output])
    assert hint not in _plain(outputs[VERDICTS][output])  # verdicts only: no hint


def test_instructor_json_keeps_everything(outputs):
    claims = [c for s in outputs["json"]["steps"] for c in s["claims"]]
    assert any(c["truth"] and c["counterexample"] for c in claims)


# --- the view itself ------------------------------------------------------------------------

F = Verdict.FAIL
FAILS = [
    # message as the decider writes it → what hints keep
    (
        "false (off by a sign): true value -\\log y; at d=2; claimed 1, true -1",
        "false (off by a sign)",
    ),
    (
        "false (off by a constant factor 1/2): true value 2x; at d=2",
        "false (off by a constant factor 1/2)",
    ),
    ("false (transposed): true value W^T; at d=2", "false (transposed)"),
    (
        "where i ≠ j: false (off by a sign): true value y_i; at …",
        "where i ≠ j: false (off by a sign)",
    ),
    ("false: true value \\frac{1}{y}; at d=2, h=3", "false"),
    (
        "false: the right side is h×1 but the left side is 1×h",
        "false: the right side is h×1 but the left side is 1×h",
    ),
    # unknown forms fall back to the verdict alone, whatever they hold
    ("false (a new hint 42): true value 42", "false"),
    ("something new: true value 42", "false"),
]


@pytest.mark.parametrize(("message", "kept"), FAILS)
def test_hints_of_a_failure(message, kept):
    claim = ClaimResult(3, 1, "E = 1", F, message, truth="42", counterexample="claimed 1, true 42")
    got = hinted(claim)
    assert got.message == kept
    assert got.truth is None and got.counterexample is None
    assert "true value" not in got.message and "42" not in got.message


@pytest.mark.parametrize(
    ("verdict", "message", "kept"),
    [
        (Verdict.PASS, "agrees at 36 points over 3 shapes (seed 0)", True),
        (Verdict.WARN, "true in the other layout (the transpose of the expected result)", True),
        (Verdict.ERROR, "unknown symbol `q`; did you mean `y`?", True),
        (Verdict.NOTE, "a statement about the setting", True),
        # the residual names claim − truth, an internal error may print anything: never kept
        (Verdict.UNDECIDED, "the residual claim − truth = $x - 1$ is not 0", False),
        (Verdict.UNDECIDED, "internal error while checking: TypeError: -log(y)", False),
    ],
)
def test_hints_of_other_verdicts(verdict, message, kept):
    got = hinted(ClaimResult(1, 1, "a = b", verdict, message, truth="x"))
    assert (got.message == message) is kept
    assert got.truth is None
    if not kept:
        assert got.message == UNDECIDED_TEXT


def _result() -> FileResult:
    claims = (
        ClaimResult(4, 2, "a = b", Verdict.PASS, "agrees"),
        ClaimResult(9, 5, "c = d", F, "false (off by a sign): true value -d; at …", "-d", "x"),
    )
    return FileResult("s.md", "a", "0" * 64, 0, "0.1.0", (StepResult("1", claims),))


@pytest.mark.parametrize(
    ("level", "lines", "verdict"),
    [(VERDICTS, [4], F), (HINTS, [4, 9], F), (FULL, [4, 9], F)],
)
def test_view_levels(level, lines, verdict):
    got = view(_result(), level)
    (step,) = got.steps
    assert [c.line for c in step.claims] == lines  # verdicts: one line, where the step starts
    assert step.verdict is verdict  # the step's verdict is never changed
    shown = " ".join(c.message + (c.truth or "") + (c.counterexample or "") for c in step.claims)
    assert ("-d" in shown) is (level == FULL)
    assert ("off by a sign" in shown) is (level != VERDICTS)
