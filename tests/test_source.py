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
