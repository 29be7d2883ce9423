"""PrairieLearn's external-grader results.json: the schema written from its documentation, the
score, an unreadable submission costing no attempt, and the 1 MB cap."""

from __future__ import annotations

import contextlib
import io
import json
from importlib import resources

import jsonschema
import pytest

from verifier import cli
from verifier.check.grading import Grade, StepGrade
from verifier.check.verdicts import ClaimResult, FileResult, StepResult, Verdict
from verifier.reporters.prairielearn import MAX_BYTES, PrairieLearnReporter, fit, results

from .test_gradescope import submissions

SCHEMA = json.loads(
    resources.files("verifier").joinpath("schemas/prairielearn.schema.json").read_text("utf-8")
)


def validate(document: dict) -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(document)


def run_cli(args: list[str]) -> tuple[int, str]:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = cli.main(args)
    return code, buf.getvalue()


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, dict]:
    tmp = tmp_path_factory.mktemp("pl")
    out = {}
    for kind, path in submissions(tmp).items():
        code, stdout = run_cli([str(path), "--format", "prairielearn"])
        assert code in (0, 1)  # an unusable submission is a result here, never exit 2
        out[kind] = json.loads(stdout)
    return out


# kind → gradable, score, points of the 7 tests
EXPECTED = {
    "seed": (True, 4 / 7, [0, 1, 1, 1, 0, 1, 0]),
    "correct": (True, 1.0, [1] * 7),
    "unreadable": (False, None, None),
    "pdf": (False, None, None),
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_results_are_valid_and_scored(written, kind):
    doc = written[kind]
    validate(doc)
    gradable, score, points = EXPECTED[kind]
    assert doc["gradable"] is gradable
    assert doc.get("score") == (pytest.approx(score) if score is not None else None)
    if points is None:
        assert doc["format_errors"] and "tests" not in doc  # no attempt is counted
    else:
        assert [t["points"] for t in doc["tests"]] == points
        assert all(t["max_points"] == 1 for t in doc["tests"])


def test_a_failing_step_says_which_line(written):
    (step1,) = [t for t in written["seed"]["tests"] if t["name"] == "Step 1"]
    assert step1["message"].startswith("fail")
    assert "line 17" in step1["output"] and "off by a sign" in step1["output"]


@pytest.mark.parametrize(
    "document",
    [
        {"gradable": True},  # gradable needs a score
        {"score": 1.5},
        {"score": -0.1},
        {"gradable": False, "message": "x"},  # not gradable: say why in format_errors
        {"score": 1, "tests": [{"name": "a", "points": 1}]},
        {"score": 1, "extra": 1},
    ],
)
def test_the_schema_refuses_what_the_documentation_does_not_allow(document):
    with pytest.raises(jsonschema.ValidationError):
        validate(document)


def _huge(claims: int, chars: int) -> tuple[FileResult, Grade]:
    source = "E = " + "x + " * (chars // 4)
    cs = tuple(
        ClaimResult(k + 1, 1, source, Verdict.FAIL, "false (off by a sign)") for k in range(claims)
    )
    steps = (StepResult("1", cs), StepResult("2", cs[:1]))
    result = FileResult("big.md", "a", "0" * 64, 0, "0.1.0", steps)
    grade = Grade("big.md", "graded", (StepGrade("1", "fail", 0, 1), StepGrade("2", "fail", 0, 1)))
    return result, grade


@pytest.mark.parametrize(("claims", "chars"), [(10, 100), (400, 5000), (3000, 19000)])
def test_results_stay_under_one_megabyte(claims, chars):
    result, grade = _huge(claims, chars)
    out = io.StringIO()
    reporter = PrairieLearnReporter(out)
    reporter.file_result(result, grade)
    reporter.finish(None)
    text = out.getvalue()
    assert len(text.encode("utf-8")) <= MAX_BYTES
    doc = json.loads(text)
    validate(doc)
    full = results(result, grade)
    cut = any("more characters cut" in t["output"] for t in doc["tests"])
    over = len(json.dumps(full, indent=2, ensure_ascii=False).encode()) + 1 > MAX_BYTES
    assert cut is over  # cut only when needed, and then said
    assert [t["points"] for t in doc["tests"]] == [0, 0]  # the grade is never cut


def test_fit_leaves_a_small_document_alone():
    result, grade = _huge(3, 10)
    doc = results(result, grade)
    assert fit(json.loads(json.dumps(doc))) == doc


def test_several_submissions_are_refused(tmp_path):
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("1: $$x = 1$$\n")
    code, _ = run_cli([str(tmp_path), "--format", "prairielearn"])
    assert code == 2
