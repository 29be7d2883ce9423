"""The CI reporters: JUnit XML, GitHub workflow commands, the Markdown step summary.

Hand-made results (tables of verdicts, hostile text) and the real results of the bundled seed.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from verifier.api import check_file
from verifier.check.grading import ClassSummary, Grade, Grader, StepGrade
from verifier.check.verdicts import ClaimResult, FileResult, StepResult, Verdict
from verifier.errors import InputError, Location
from verifier.reporters.github import GithubReporter, escape_data, escape_property
from verifier.reporters.junit import NAME_CHARS, JUnitReporter
from verifier.reporters.markdown_summary import MarkdownSummaryReporter

from .conftest import SEED

P, W, F, E, U = (Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR, Verdict.UNDECIDED)
NASTY = 'a, b: 100% sure\nnext line\r<x> & "q" | ]]> \x00\x1b \udcff'


def claim(verdict: Verdict, line: int = 1, column: int = 1, **kw) -> ClaimResult:
    defaults = {
        "source": f"E_{line} = {verdict.value}",
        "message": f"{verdict.value} at line {line}",
    }
    if verdict is F:
        defaults |= {"truth": r"-\log y", "counterexample": "at t=1: claimed 2, true -2"}
    return ClaimResult(line, column, verdict=verdict, **(defaults | kw))


def result(*steps: list[ClaimResult], file: str = "sub.md") -> FileResult:
    return FileResult(
        file,
        "backprop",
        "0" * 64,
        0,
        "0.1.0",
        tuple(StepResult(str(i + 1), tuple(cs)) for i, cs in enumerate(steps)),
    )


def grade_of(res: FileResult, notes: dict[str, tuple[str, str]] | None = None) -> Grade:
    """Each step's status is its verdict (or from ``notes``: id → (status, note))."""
    steps = []
    for s in res.steps:
        status, note = (notes or {}).get(s.id, (s.verdict.value, ""))
        earned = 1.0 if status in ("pass", "warn") else 0.0
        steps.append(StepGrade(s.id, status, earned, 1.0, status == "undecided", note))
    return Grade(res.file, "graded", tuple(steps))


def unreadable(path: str, steps: list[str]) -> Grade:
    return Grade(path, "unreadable", tuple(StepGrade(s, "unreadable", 0.0, 1.0) for s in steps))


def summary_of(grades: list[Grade]) -> ClassSummary:
    summary = ClassSummary([s.id for s in grades[0].steps])
    for g in grades:
        summary.add(g)
    return summary


def run(reporter, results: list[FileResult | tuple[str, InputError]]) -> None:
    """Feed a reporter as the command line does: one call per submission, then finish."""
    grades = []
    for item in results:
        if isinstance(item, FileResult):
            grades.append(grade_of(item))
            reporter.file_result(item, grades[-1])
        else:
            grades.append(unreadable(item[0], ["1", "2"]))
            reporter.input_error(item[0], item[1], grades[-1])
    reporter.finish(summary_of(grades))


@pytest.fixture(scope="module")
def seed(backprop_checker) -> tuple[FileResult, Grade]:
    res = check_file(str(SEED), checker=backprop_checker)
    return res, Grader(backprop_checker).grade(res)


# ---------------------------------------------------------------- JUnit


def junit(results) -> ET.Element:
    out = io.StringIO()
    run(JUnitReporter(out), results)
    return ET.fromstring(out.getvalue())


@pytest.mark.parametrize(
    ("steps", "failures", "errors"),
    [
        ([[P]], 0, 0),
        ([[P, W], [W]], 0, 0),
        ([[F]], 1, 0),
        ([[E], [U]], 0, 2),
        ([[P, F, E], [U, W, F], [P]], 2, 2),
        ([[]], 0, 0),
    ],
)
def test_junit_counts_match_the_verdicts(steps, failures, errors):
    res = result(
        *[[claim(v, line=10 * i + j + 1) for j, v in enumerate(s)] for i, s in enumerate(steps)]
    )
    root = junit([res])
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert suite.get("name") == "sub.md"
    assert len(cases) == int(suite.get("tests")) == len(res.claims)
    assert suite.get("failures") == str(failures) and suite.get("errors") == str(errors)
    assert len(suite.findall("testcase/failure")) == failures
    assert len(suite.findall("testcase/error")) == errors
    assert root.get("tests") == str(len(res.claims))
    for case, (step, c) in zip(
        cases, [(s.id, c) for s in res.steps for c in s.claims], strict=True
    ):
        assert case.get("classname") == f"step {step}"
        assert case.get("name").startswith(f"line {c.line}:")
        assert case.get("line") == str(c.line)
        kinds = [child.tag for child in case]
        assert (
            kinds
            == {
                P: [],
                W: ["system-out"],
                F: ["failure"],
                E: ["error"],
                U: ["error"],
            }[c.verdict]
        )


def test_junit_failure_carries_the_true_value_and_counterexample():
    case = junit([result([claim(F, 7)])]).find("testsuite/testcase")
    failure = case.find("failure")
    assert r"-\log y" in failure.get("message")
    assert "claimed 2, true -2" in failure.get("message")
    assert "true value: -\\log y" in failure.text and "counterexample: at t=1" in failure.text


def test_junit_error_and_undecided_and_warn_text():
    root = junit([result([claim(E, message="cannot parse `\\frca`"), claim(U), claim(W)])])
    errors = root.findall("testsuite/testcase/error")
    assert [e.get("type") for e in errors] == ["error", "undecided"]
    assert errors[0].get("message") == "cannot parse `\\frca`"
    assert root.find("testsuite/testcase/system-out").text == "warning: warn at line 1"


def test_junit_survives_hostile_text():
    long = "x + " * 100
    res = result([claim(F, source=NASTY, message=NASTY, truth=NASTY), claim(P, source=long)])
    root = junit([res])  # parses: no raw NUL, ESC or surrogate reached the XML
    first, second = root.findall("testsuite/testcase")
    assert "\\x00" in first.get("name") and "\\x1b" in first.get("name")
    assert "\n" not in first.get("name")
    assert '<x> & "q" | ]]>' in first.find("failure").text
    assert "a, b: 100% sure\nnext line" in first.find("failure").get("message")
    assert len(second.get("name")) <= len("line 1:1: ") + NAME_CHARS
    assert second.get("name").endswith("…")


def test_junit_unreadable_submission_is_one_error():
    root = junit(
        [result([claim(P)]), ("bad.md", InputError("no math found", Location("bad.md", 3, 1)))]
    )
    good, bad = root.findall("testsuite")
    assert (good.get("name"), bad.get("name")) == ("sub.md", "bad.md")
    assert (bad.get("tests"), bad.get("failures"), bad.get("errors")) == ("1", "0", "1")
    (case,) = bad.findall("testcase")
    assert case.get("line") == "3"
    assert "no math found" in case.find("error").get("message")
    assert (root.get("tests"), root.get("errors")) == ("2", "1")


def test_junit_nothing_is_written_before_finish():
    out = io.StringIO()
    reporter = JUnitReporter(out)
    res = result([claim(F)])
    reporter.file_result(res, grade_of(res))
    assert out.getvalue() == ""
    reporter.finish(summary_of([grade_of(res)]))
    assert out.getvalue().startswith("<?xml")


def test_junit_on_the_seed(seed):
    res, grade = seed
    out = io.StringIO()
    reporter = JUnitReporter(out)
    reporter.file_result(res, grade)
    reporter.finish(summary_of([grade]))
    suite = ET.fromstring(out.getvalue()).find("testsuite")
    verdicts = Counter(c.verdict for c in res.claims)
    absent = [s.id for s in grade.steps if s.status in ("missing", "incomplete")]
    assert absent == ["7"]  # the seed's step 7 never states ∂E/∂W⁽¹⁾ without derivatives
    tests = len(res.claims) + len(absent)
    assert len(suite.findall("testcase")) == tests == int(suite.get("tests"))
    failures = verdicts[F] + len(absent)
    assert int(suite.get("failures")) == failures == len(suite.findall("testcase/failure"))
    assert int(suite.get("errors")) == verdicts[E] + verdicts[U]
    per_step = Counter(case.get("classname") for case in suite.findall("testcase"))
    assert per_step == {f"step {s.id}": len(s.claims) + (s.id in absent) for s in res.steps}
    for case in suite.findall("testcase[failure]"):
        if case.find("failure").get("type") == "incomplete":
            continue
        (c,) = [c for c in res.claims if case.get("name").startswith(f"line {c.line}:{c.column}:")]
        assert c.truth in case.find("failure").get("message")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["points"] == f"{grade.total:g}" and props["assignment"] == "backprop"


# ---------------------------------------------------------------- GitHub


def unescape(text: str) -> str:
    """What the Actions runner does to a command's data or property value."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


COMMAND = re.compile(r"^::(?P<level>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Split one workflow command the way the runner does: level, properties, message."""
    m = COMMAND.match(line)
    assert m, line
    props = {}
    for part in (m["props"] or "").split(","):
        if part:
            key, value = part.split("=", 1)
            props[key] = unescape(value)
    return m["level"], props, unescape(m["data"])


def github(results) -> list[str]:
    out = io.StringIO()
    run(GithubReporter(out), results)
    return out.getvalue().splitlines()


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"),
        ("x: y, z", "x: y, z", "x%3A y%2C z"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_github_escaping(text, data, prop):
    assert escape_data(text) == data
    assert escape_property(text) == prop
    assert unescape(data) == text == unescape(prop)


@pytest.mark.parametrize(
    ("verdict", "level"),
    [(P, None), (W, "warning"), (F, "error"), (E, "error"), (U, "error")],
)
def test_github_level_per_verdict(verdict, level):
    lines = github([result([claim(verdict, line=12, column=5)])])
    if level is None:
        assert lines == []
        return
    (line,) = lines
    got, props, message = parse_command(line)
    assert got == level
    assert props == {
        "file": "sub.md",
        "line": "12",
        "col": "5",
        "title": f"Step 1: {verdict.value}",
    }
    assert message.startswith(f"{verdict.value} at line 12")


def test_github_escapes_message_and_file():
    file = "hw, week 3: v100%.md"
    lines = github([result([claim(F, line=4, message=NASTY)], file=file)])
    (line,) = lines  # the newline in the message did not start a second line
    assert "\n" not in line and "\r" not in line
    _, props, message = parse_command(line)
    assert props["file"] == file and props["line"] == "4"
    assert message.startswith(NASTY)
    assert message.endswith("counterexample: at t=1: claimed 2, true -2")
    assert "file=hw%2C week 3%3A v100%25.md," in line


def test_github_points_at_the_exact_place_of_an_error():
    (line,) = github([result([claim(E, line=3, column=9, error_at=(4, 2))])])
    _, props, _ = parse_command(line)
    assert (props["line"], props["col"]) == ("4", "2")


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ({}, []),
        ({"2": ("incomplete", "never states `W`")}, [("step 2: incomplete", "never states `W`")]),
        (
            {"1": ("missing", ""), "2": ("incomplete", "x")},
            [("step 1: missing", "has no step 1"), ("step 2: incomplete", "x")],
        ),
        ({"1": ("fail", ""), "2": ("undecided", "")}, []),  # their lines already fail
    ],
)
def test_junit_fails_a_testcase_per_missing_or_incomplete_step(statuses, expected):
    res = result([claim(P, line=1)], [claim(P, line=5)])
    grade = grade_of(res, statuses)
    out = io.StringIO()
    reporter = JUnitReporter(out)
    reporter.file_result(res, grade)
    reporter.finish(summary_of([grade]))
    suite = ET.fromstring(out.getvalue()).find("testsuite")
    absent = [c for c in suite.findall("testcase") if c.get("classname") and ":" in c.get("name")
              and not c.get("name").startswith("line")]  # fmt: skip
    assert [c.get("name") for c in absent] == [name for name, _ in expected]
    for case, (_, reason) in zip(absent, expected, strict=True):
        assert reason in case.find("failure").get("message")
    assert int(suite.get("tests")) == len(res.claims) + len(expected)
    assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))


def test_github_notices_incomplete_and_missing_steps():
    res = result([claim(P)], [claim(W)])
    out = io.StringIO()
    grade = grade_of(res, {"2": ("incomplete", "never states `W`")})
    grade = Grade(res.file, "graded", (*grade.steps, StepGrade("3", "missing", 0.0, 1.0)))
    GithubReporter(out).file_result(res, grade)
    commands = [parse_command(line) for line in out.getvalue().splitlines()]
    assert [(lvl, p.get("title")) for lvl, p, _ in commands] == [
        ("warning", "Step 2: warn"),
        ("notice", "Step 2: incomplete"),
        ("notice", "Step 3: missing"),
    ]
    assert "never states `W`" in commands[1][2]


def test_github_unreadable_submission():
    lines = github([("bad,1.md", InputError("bad,1.md: not UTF-8\nat byte 7"))])
    (line,) = lines
    level, props, message = parse_command(line)
    assert (level, props) == ("error", {"file": "bad,1.md"})
    assert message == "bad,1.md: not UTF-8\nat byte 7"


def test_github_unreadable_submission_with_a_place():
    (line,) = github([("bad.md", InputError("formula too long", Location("bad.md", 9, 3)))])
    assert parse_command(line)[1] == {"file": "bad.md", "line": "9", "col": "3"}


def test_github_writes_as_results_arrive():
    out = io.StringIO()
    reporter = GithubReporter(out)
    res = result([claim(F, line=2)])
    reporter.file_result(res, grade_of(res))
    assert out.getvalue().startswith("::error file=sub.md,line=2,")


def test_github_on_the_seed(seed):
    res, grade = seed
    out = io.StringIO()
    GithubReporter(out).file_result(res, grade)
    commands = [parse_command(line) for line in out.getvalue().splitlines()]
    on_lines = [(lvl, p) for lvl, p, _ in commands if "line" in p]
    flagged = [c for c in res.claims if c.verdict is not P]
    assert len(on_lines) == len(flagged) > 0
    for (level, props), c in zip(on_lines, flagged, strict=True):
        assert props["file"] == res.file and props["line"] == str(c.line)
        assert level == ("warning" if c.verdict is W else "error")
    notices = [p["title"] for lvl, p, _ in commands if lvl == "notice"]
    assert notices == [
        f"Step {s.id}: {s.status}" for s in grade.steps if s.status in ("incomplete", "missing")
    ]


# ---------------------------------------------------------------- Markdown summary


def cells(row: str) -> list[str]:
    """A table row's cells, split on the unescaped pipes as GitHub does."""
    assert row.startswith("| ") and row.endswith(" |"), row
    return [c.strip() for c in re.split(r"(?<!\\)\|", row[1:-1])]


def tables(text: str) -> list[list[list[str]]]:
    found, current = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            if current is None:
                current = []
                found.append(current)
            if not line.startswith("|---"):
                current.append(cells(line))
        else:
            current = None
    return found


def markdown(tmp_path, results, before: str = "") -> str:
    path = tmp_path / "summary.md"
    path.write_text(before, encoding="utf-8")
    run(MarkdownSummaryReporter(path), results)
    return path.read_text(encoding="utf-8")


def test_markdown_one_submission(tmp_path):
    res = result([claim(P)], [claim(F)], [claim(U)])
    text = markdown(tmp_path, [res], before="# earlier step\n")
    assert text.startswith("# earlier step\n")  # appended, not overwritten
    (table,) = tables(text)
    assert table[0] == ["step", "verdict", "points", "note"]
    assert table[1:4] == [
        ["1", "pass", "1/1", ""],
        ["2", "fail", "0/1", ""],
        ["3", "undecided (flagged)", "0/1", ""],
    ]
    assert table[4][2] == "**1/3**"


def test_markdown_appends_on_every_run(tmp_path):
    path = tmp_path / "summary.md"
    for _ in range(2):
        run(MarkdownSummaryReporter(path), [result([claim(P)])])
    text = path.read_text(encoding="utf-8")
    assert text.count("### verify-derivations") == 2 and len(tables(text)) == 2


def test_markdown_escapes_cells(tmp_path):
    res = result([claim(W)], file="a|b.md")
    path = tmp_path / "summary.md"
    grade = grade_of(res, {"1": ("incomplete", "never states `|x|`\nas <b>closed</b>")})
    reporter = MarkdownSummaryReporter(path)
    reporter.file_result(res, grade)
    reporter.finish(summary_of([grade]))
    text = path.read_text(encoding="utf-8")
    assert "a\\|b.md" in text
    (table,) = tables(text)
    assert all(len(row) == 4 for row in table)
    assert table[1][3] == "never states `\\|x\\|` as &lt;b>closed&lt;/b>"


def test_markdown_several_submissions_and_class_summary(tmp_path):
    results = [
        result([claim(P)], [claim(F)], file="alice.md"),
        result([claim(P)], [claim(W)], file="bob|smith.md"),
        ("carol.md", InputError("carol.md: no math found")),
    ]
    text = markdown(tmp_path, results)
    submissions, summary, histogram = tables(text)
    assert submissions[0] == ["submission", "verdict", "points", "step 1", "step 2"]
    assert submissions[1:] == [
        ["alice.md", "fail", "1/2", "pass", "fail"],
        ["bob\\|smith.md", "warn", "2/2", "pass", "warn"],
        ["carol.md", "unreadable", "0/2", "unreadable", "unreadable"],
    ]
    header = ["step", "earned", "pass", "warn", "fail", "unreadable", "most common failure"]
    assert summary[0] == header
    assert summary[1:] == [
        ["1", "2/3", "2", "0", "0", "1", ""],
        ["2", "1/3", "0", "1", "1", "1", ""],
    ]
    bar = "█" * 30
    assert histogram[1:] == [["0", "1", bar], ["1", "1", bar], ["2", "1", bar]]
    assert "**Totals:** mean 1, median 1 of 2 points over 3 submissions (1 unreadable" in text


def test_markdown_one_unreadable_submission(tmp_path):
    text = markdown(tmp_path, [("bad.md", InputError("bad.md: not UTF-8 | binary"))])
    assert "bad.md — unreadable" in text and "not UTF-8 \\| binary" in text


def test_markdown_on_the_seed(tmp_path, seed):
    res, grade = seed
    path = tmp_path / "summary.md"
    reporter = MarkdownSummaryReporter(path)
    reporter.file_result(res, grade)
    reporter.finish(summary_of([grade]))
    (table,) = tables(path.read_text(encoding="utf-8"))
    rows = {row[0]: row for row in table[1:-1]}
    assert {k: v[1] for k, v in rows.items()} == {s.id: s.status for s in grade.steps}
    assert table[-1][2] == f"**{grade.total:g}/{grade.max_total:g}**"
