"""The class summaries (terminal, Markdown, LaTeX): the totals' mean, median and histogram, and per
step the most common failing message, at the feedback level of the run; the CSV's reasons."""

from __future__ import annotations

import csv

import pytest

from verifier.cli import main

DT = r"\frac{\partial E}{\partial t}"
DX = r"\frac{\partial E}{\partial x}"
CLASS = {  # three submissions of step 1 only: 1, 0 and 0 points out of 7
    "a.md": f"1: $${DT} = -\\log y$$\n\n$${DX} = -t(1 - G(Wx)) W$$",
    "b.md": f"1: $${DT} = \\log y$$",
    "c.md": f"1: $${DT} = \\log y$$\n\n$${DT} = 2$$",
}
TRUTH = "true value -\\log y"  # the readable truth (verifier/check/readable.py)


def _run(tmp_path, monkeypatch, capsys, level: str) -> dict[str, str]:
    folder = tmp_path / "class"
    folder.mkdir()
    for name, text in CLASS.items():
        (folder / name).write_text(text, "utf-8")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("COLUMNS", "200")
    latex, grades = tmp_path / "c.tex", tmp_path / "g.csv"
    args = [str(folder), "--no-proof", "--feedback", level, "--latex", str(latex)]
    main([*args, "--csv", str(grades)])
    return {
        "terminal": capsys.readouterr().out,
        "markdown": summary.read_text("utf-8"),
        "latex": latex.read_text("utf-8"),
        "csv": grades.read_text("utf-8"),
    }


# (output, what the totals say, a histogram bar of 2 submissions at 0 points)
TOTALS = [
    ("terminal", "mean 0.33, median 0 of 7 points over 3 submissions", "0 │" + "█" * 30 + " 2"),
    ("markdown", "mean 0.33, median 0 of 7 points over 3 submissions", "| 0 | 2 | " + "█" * 30),
    ("latex", "mean 0.33, median 0 of 7 points over 3 submissions", r"0 & \rule{0.400\linewidth}"),
]


@pytest.mark.parametrize(("output", "totals", "bar"), TOTALS)
def test_the_class_summary_has_the_totals(tmp_path, monkeypatch, capsys, output, totals, bar):
    shown = _run(tmp_path, monkeypatch, capsys, "full")[output]
    assert totals in shown and bar in shown
    assert "1 │" + "█" * 15 + " 1" in shown or output != "terminal"  # half as long: 1 of 2


# (feedback level, whether the true value may show in the most common failure)
LEVELS = [("full", True), ("hints", False), ("verdicts", False)]


@pytest.mark.parametrize(("level", "truth_shown"), LEVELS)
@pytest.mark.parametrize("output", ["terminal", "markdown", "latex"])
def test_the_most_common_failure_at_the_runs_feedback_level(
    tmp_path, monkeypatch, capsys, level, truth_shown, output
):
    shown = _run(tmp_path, monkeypatch, capsys, level)
    text = shown[output].replace(r"\textbackslash{}", "\\").replace("{}", "")
    expected = {
        "full": f"false (off by a sign): {TRUTH} (×2)",
        "hints": "false (off by a sign) (×2)",
    }
    common = expected.get(level, "step 1: fail (×2)")
    head, count = common.removesuffix(")").split(" (×")
    times = rf"($\times${count})" if output == "latex" else f"(×{count})"
    assert f"{head} {times}" in text
    assert (TRUTH in text) == truth_shown
    assert TRUTH in shown["csv"]  # the CSV is the instructor's: every level keeps everything


def test_the_csv_reason_is_the_first_failing_line(tmp_path, monkeypatch, capsys):
    rows = list(csv.DictReader(_run(tmp_path, monkeypatch, capsys, "verdicts")["csv"].splitlines()))
    reasons = {r["file"].rsplit("/", 1)[-1]: r["step_1_reason"] for r in rows}
    assert reasons["a.md"] == ""
    assert reasons["b.md"].startswith("line 1: false (off by a sign): " + TRUTH)
    assert reasons["c.md"].startswith("line 1: false (off by a sign)")  # the first of two
    assert {r["step_2_reason"] for r in rows} == {"not in the submission"}
