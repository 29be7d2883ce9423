"""Reading submissions: steps, math spans and their positions, Markdown and LaTeX."""

from __future__ import annotations

import pytest

from verifier.api import check_file, check_text
from verifier.check.verdicts import Verdict
from verifier.source import read_text

from .conftest import ROOT

P, F = Verdict.PASS, Verdict.FAIL


def test_latex_submission(backprop_checker):
    result = check_file(str(ROOT / "tests" / "data" / "neuron.tex"), checker=backprop_checker)
    got = [(s.id, c.line, c.verdict) for s in result.steps for c in s.claims]
    # the comment's $E = 0$ is not math; -log G is ∂E/∂t; +log G is its sign flip
    assert got == [("1", 5, P), ("1", 7, P), ("1", 8, F), ("5", 12, P), ("5", 14, P)]


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        ("1: $a=b$\n\n2. $c=d$\n", ["1", "2"]),
        ("**3:** $a=b$\n", ["3"]),
        ("Step 4\n\n$a=b$\n", ["4"]),
        ("## 5\n\n$a=b$\n", ["5"]),
        ("## Step 6: the output\n\n$a=b$\n", ["6"]),
        ("$1 = x$ is not a label\n", [None]),
        ("```\n$a=b$\n```\n\n7: $c=d$\n", ["7"]),  # math in code is not read
        # labels as people write them
        ("Problem 2\n\n$a=b$\n", ["2"]),
        ("Exercise 3: $a=b$\n", ["3"]),
        ("**Q2.** $a=b$\n", ["2"]),
        ("Task 4\n\n$a=b$\n", ["4"]),
        ("2(a) $a=b$\n\n(b) $c=d$\n", ["2a", "2b"]),  # a letter alone belongs to its number
        ("Part (a): $a=b$\n\nPart b: $c=d$\n", ["a", "b"]),
        ("## Problem 2a\n\n$a=b$\n", ["2a"]),
        ("Partial results: $a=b$\n", [None]),
    ],
)
def test_step_labels(text, steps):
    assert [s.id for s in read_text("s.md", text).steps] == steps


def test_spans_keep_file_offsets():
    doc = read_text("s.md", "intro\n\n1: $$\\begin{aligned} a &= b \\\\ &= c \\end{aligned}$$\n")
    (span,) = doc.spans
    assert doc.location(span.start + span.text.index("b")) == (3, 27)
    assert "aligned" not in span.text  # layout markers blanked, offsets kept


def test_continuation_line_joins_the_previous_chain(backprop_checker):
    text = "1:\n\n$$\\frac{\\partial E}{\\partial t} = -\\log y$$\n\n$$= \\log y$$\n"
    result = check_text(text, path="s.md", checker=backprop_checker)
    assert [(c.line, c.verdict) for c in result.claims] == [(3, P), (5, F)]
    assert result.claims[1].source.startswith("\\frac{\\partial E}{\\partial t} = ")


def test_unlabelled_claim_goes_to_the_model_whose_symbols_it_uses(backprop_checker):
    result = check_text("$$z^{(1)} = W^{(1)} x$$\n", path="s.md", checker=backprop_checker)
    assert result.claims[0].model == "network" and result.claims[0].verdict is P
    both = check_text("$$E = E$$\n", path="s.md", checker=backprop_checker)
    assert "several models (neuron, network)" in both.claims[0].message


LATEX_LABELS = [
    (r"\section{Problem 2} $a=b$", ["2"]),
    (r"\subsection*{(b)} $a=b$", ["b"]),
    (r"\paragraph{Step 6} $a=b$", ["6"]),
    (r"\textbf{Step 7} $a=b$", ["7"]),
    (r"\item[3.] $a=b$", ["3"]),
    (r"\noindent 1: $a=b$", ["1"]),
    # a line of an align that starts with a digit is math, not a label
    ("1: $a=b$\n\\begin{align*} x &= y \\\\\n0 &= 0 \\end{align*}", ["1"]),
]


@pytest.mark.parametrize(("body", "steps"), LATEX_LABELS)
def test_latex_step_labels(body, steps):
    doc = read_text("s.tex", "\\begin{document}\n" + body + "\n\\end{document}\n")
    assert [s.id for s in doc.steps] == steps


def test_an_assignment_maps_its_own_labels(tmp_path):
    from verifier.check.checker import Checker
    from verifier.check.compare import Config
    from verifier.check.grading import Grader
    from verifier.models.assignment import load_assignment

    text = (ROOT / "derivations" / "backprop.toml").read_text("utf-8")
    text = text.replace('id = "1"\n', 'id = "1"\nlabels = ["(a)", "Part a"]\n', 1)
    path = tmp_path / "labelled.toml"
    path.write_text(text, "utf-8")
    checker = Checker(load_assignment(str(path)), Config(prove=False))
    sub = "Part a: $$\\frac{\\partial E}{\\partial t} = -\\log y$$\n"
    result = check_text(sub, path="s.md", checker=checker)
    (claim,) = result.claims
    assert claim.verdict is P and claim.model == "neuron"
    grade = Grader(checker).grade(result)
    assert grade.steps[0].id == "1" and grade.steps[0].status != "missing"
