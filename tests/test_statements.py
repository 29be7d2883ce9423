"""Statements about the setting get the verdict `note` (issue 12): never graded, never a fail
that zeroes a correct step. Everything else stays a claim, checked."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from verifier.api import check_text
from verifier.check.grading import Grader
from verifier.check.verdicts import Verdict
from verifier.cli import main

N, P, F = Verdict.NOTE, Verdict.PASS, Verdict.FAIL

STATEMENTS = [
    # (step, statement, verdict): backprop varies d, h, n; m = 1 is a constant; t is one-hot
    ("3", "n = 10", N),  # a varying dimension equated to a number
    ("3", "10 = n", N),
    ("3", "h = 3", N),
    ("1", "m = 1", P),  # a declared constant: checked
    ("1", "m = 2", F),
    ("3", "t_j = 1", N),  # an input entry, one-hot: 0 or 1 describes it
    ("3", "t_k = 0", N),
    ("3", "t_j = 2", F),  # never an entry of a one-hot vector: checked, false
    ("3", "t_j = -1", F),
    ("3", "y^{(2)}_j = 1", F),  # a model node: a claim
    ("3", r"\sum_{j=1}^n t_j = 1", P),  # a fact that can be checked is checked
    ("3", r"\sum_{j=1}^n t_j = 2", F),
    ("3", "n = n + 1", F),  # not a number on the other side: a claim
]


@pytest.mark.parametrize(("step", "text", "verdict"), STATEMENTS)
def test_statement(backprop_checker, step, text, verdict):
    (claim,) = check_text(f"{step}: ${text}$", "a.md", checker=backprop_checker).claims
    assert claim.verdict is verdict, claim.message


CORRECT_STEP = r"""3: With $n = 10$ classes and $t_j = 1$ for the correct class:

$$\frac{\partial E}{\partial z^{(2)}} = (y^{(2)} - t)^T \qquad
\frac{\partial E}{\partial y^{(1)}} = (y^{(2)} - t)^T W^{(2)}$$
"""


def test_a_note_never_costs_a_correct_step(backprop_checker):
    result = check_text(CORRECT_STEP, "a.md", checker=backprop_checker)
    assert [c.verdict for c in result.claims].count(N) == 2
    grade = Grader(backprop_checker, strict=True).grade(result)
    step3 = next(s for s in grade.steps if s.id == "3")
    assert step3.status == P.value and step3.points == step3.max_points


@pytest.mark.parametrize("fmt", ["json", "github", "junit", "terminal"])
def test_notes_in_every_output(tmp_path, capsys, fmt):
    path = tmp_path / "a.md"
    path.write_text("3: with $n = 10$ classes\n", encoding="utf-8")
    code = main([str(path), "--allow-missing", "--format", fmt])
    out, _ = capsys.readouterr()
    assert code == 0  # a note changes no exit code
    phrase = {"json": '"verdict": "note"', "github": "::notice", "junit": "note: a statement"}
    assert phrase.get(fmt, "1 note") in out
    if fmt == "json":
        schema = json.loads(
            resources.files("verifier").joinpath("schemas/result.schema.json").read_text()
        )
        jsonschema.validate(json.loads(out), schema)
