"""Example superscripts (verifier/parse/examples.py): where a batch model declares
`example = "(i)"`, Ng's `y^{(i)}`, `a^{[2](i)}`, `dZ^{[2](i)}`, `x^{(i)T}` are example i of a
batch matrix (a column here), a lower-case name the matrix's where the model has no such name.
Only a letter in round brackets is an example: `^{(2)}` stays a layer."""

from __future__ import annotations

import pytest

from verifier.api import check_text
from verifier.parse import tree as t
from verifier.parse.examples import split_example
from verifier.parse.parser import parse_math
from verifier.parse.scripts import unwrap
from verifier.parse.show import show

from .conftest import ROOT, E, F, P, W, checker_of

DATA = "tests/data/example_superscripts.toml"
CE = r"\left( y^{(i)} \log a^{[2](i)} + (1 - y^{(i)}) \log (1 - a^{[2](i)}) \right)"
SUM = r"\frac{1}{m} \sum_{i=1}^{m}"

CLAIMS = [
    # (claim, verdict): each true claim has a false variant beside it
    (rf"J = -{SUM} {CE}", P),
    (rf"J = -\sum_{{i=1}}^{{m}} {CE}", F),  # the mean's 1/m dropped
    (rf"J = -{SUM} {CE.replace('a^{[2](i)}', 'a^{[1](i)}', 1)}", F),  # a hidden column: h×1
    (r"dZ^{[2](i)} = a^{[2](i)} - y^{(i)}", P),  # a left side with the example free
    (r"dZ^{[2](i)} = a^{[2](i)}", F),
    (rf"db^{{[2]}} = {SUM} dZ^{{[2](i)}}", P),
    (r"db^{[2]} = \sum_{i=1}^{m} dZ^{[2](i)}", F),
    (rf"db^{{[1]}} = {SUM} dA^{{[1](i)}}", F),  # dA for dZ
    (rf"dW^{{[1]}} = {SUM} dZ^{{[1](i)}} x^{{(i)T}}", P),  # the transpose of example i
    (rf"dW^{{[1]}} = {SUM} dZ^{{[1](i)}} (x^{{(i)}})^T", P),
    (rf"dW^{{[1]}} = {SUM} dZ^{{[1](i)}} X^{{(i)T}}", P),  # the matrix's own name
    (r"dW^{[1]} = \frac{1}{m} \sum_{j=1}^{m} dZ^{[1](j)} x^{(j)T}", P),  # any letter
    (rf"dW^{{[1]}} = {SUM} dZ^{{[1](i)}} a^{{[1](i)T}}", F),  # the layer's own output
    (r"Z^{[1](i)} = W^{[1]} x^{(i)} + b^{[1]}", P),
    (r"Z^{[1](i)} = W^{[1]} x^{(i)}", F),
    # an example index must be summed or on both sides; a number in brackets is a layer
    (r"db^{[1]} = \frac{1}{m} dZ^{[1](i)}", E),
    (r"y^{(2)} = 1", E),
    (r"W^{(i)} = 0", E),  # W is no batch matrix
    (rf"dW^{{[1]}} = {SUM} dZ^{{[1](i)}} x^{{(i)}}", W),  # shapes do not fit: read as outer
]


def _verdicts(path: str, claim: str):
    result = check_text(f"1: $${claim}$$\n", "s.md", checker=checker_of(path))
    return result.claims


@pytest.mark.parametrize(("claim", "verdict"), CLAIMS)
def test_example_superscripts(claim, verdict):
    (result,) = _verdicts(DATA, claim)
    assert result.verdict is verdict, result.message


@pytest.fixture(scope="module")
def undeclared(tmp_path_factory) -> str:
    text = (ROOT / DATA).read_text().replace(', example = "(i)"', "")
    path = tmp_path_factory.mktemp("undeclared") / "a.toml"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("claim", [rf"J = -{SUM} {CE}", r"Z^{[1](i)} = W^{[1]} x^{(i)} + b^{[1]}"])
def test_without_the_declaration_no_superscript_is_an_example(undeclared, claim):
    (result,) = _verdicts(undeclared, claim)
    assert result.verdict is E, result.message


@pytest.mark.parametrize(
    ("written", "rest", "letter", "after"),
    [
        ("y^{(i)}", "y", "i", None),
        ("a^{[2](i)}", "a^{[2]}", "i", None),
        ("x^{(j)T}", "x", "j", "T"),  # what follows the example acts on it
        ("a^{[1](i)T}", "a^{[1]}", "i", "T"),
        ("a^{[1](i)2}", "a^{[1]}", "i", "2"),
        ("A^{(i)[2]}", "A^{[2]}", "i", None),  # a layer after it stays on the name
        ("y^{(2)}", None, None, None),  # a layer
        ("y^{(ij)}", None, None, None),  # not one letter
        ("y^{[i]}", None, None, None),  # square brackets are layers
    ],
)
def test_split_example(written, rest, letter, after):
    (node,) = parse_math(written).pieces[0].exprs
    found = split_example(node)
    if rest is None:
        assert found is None
        return
    node_rest, got_letter, got_after = found
    (expected,) = parse_math(rest).pieces[0].exprs
    assert got_letter == letter
    assert (got_after and show(got_after)) == after
    assert _shape(node_rest) == _shape(expected)


def _shape(node) -> str:
    """The tree without positions or brace groups, to compare two parses."""
    if isinstance(node, t.RNode):
        node = unwrap(node)
    if isinstance(node, t.RScripted) and not node.sups and not node.subs and not node.primes:
        node = node.base
    if isinstance(node, t.RNode):
        return (
            type(node).__name__
            + "("
            + ",".join(_shape(getattr(node, f)) for f in node.__dataclass_fields__ if f != "pos")
            + ")"
        )
    if isinstance(node, tuple):
        return "(" + ",".join(_shape(x) for x in node) + ")"
    return repr(node)
