"""Nothing recurses on the size of the input: long sums and products are flat or walked in a
loop, what stays recursive is bounded by the nesting limit, and every result pickles. The run
planned a chunk of spans at a time gives the same claims as the whole document at once."""

from __future__ import annotations

import functools
import pickle
import sys
from dataclasses import replace

import pytest

from verifier.api import check_text
from verifier.check.checker import Checker
from verifier.check.claims import chains_of
from verifier.check.compare import Config
from verifier.check.plan import chunk_at, chunks, plan
from verifier.check.supervise import Progress
from verifier.limits import DEFAULT_LIMITS
from verifier.models.assignment import load_assignment
from verifier.models.model import build_model
from verifier.parse import tree as t
from verifier.parse import typed as ty
from verifier.parse.parser import parse_math
from verifier.parse.resolve import Resolver
from verifier.parse.show import show
from verifier.source import read_text

from .conftest import GENEROUS, SLOW

N = 6000  # far beyond Python's default recursion limit of 1000


@functools.cache
def _checker(claim_seconds: float) -> Checker:
    """One per time limit for the whole module: models and truths are built once."""
    limits = replace(DEFAULT_LIMITS, claim_seconds=claim_seconds)
    return Checker(load_assignment("backprop"), Config(prove=False, limits=limits))


def _expr(text: str) -> t.RNode:
    (piece,) = parse_math(text).pieces
    return piece.exprs[0]


@pytest.mark.parametrize(
    ("text", "terms", "ops"),
    [
        ("a+b", 2, ("+",)),
        ("a-b+c", 3, ("-", "+")),
        ("-a+b", 2, ("+",)),
        ("+".join(["z"] * N), N, ("+",) * (N - 1)),
        ("-".join(["z"] * N), N, ("-",) * (N - 1)),
    ],
)
def test_sums_are_flat(text, terms, ops):
    limit = sys.getrecursionlimit()
    node = _expr(text)
    assert isinstance(node, t.RSum) and len(node.terms) == terms and node.ops == ops
    assert show(node).replace(" ", "") == text
    pickle.loads(pickle.dumps(node))  # no RecursionError while pickling
    assert sys.getrecursionlimit() == limit


def _typed(text: str) -> ty.Node:
    table = build_model(load_assignment("backprop"), "network").table
    return Resolver(table).resolve(_expr(text))


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("+".join(["t"] * N), ("n", 1)),
        ("1 - t + t", ("n", 1)),  # a scalar beside a vector acts on every entry
        (" ".join(["E"] * N), ()),  # a product: a left-deep chain, walked along its spine
    ],
)
def test_long_typed_trees_are_walked_without_recursion(text, shape):
    node = _typed(text)
    assert node.shape == shape
    assert ty.canonical(node).count("Var(") == text.count("t") + text.count("E")
    assert not ty.has_derivative(node)


@pytest.mark.parametrize(
    ("rhs", "verdict", "fragment"),
    [
        ("+".join(["z"] * 3500), "fail", "claimed"),  # 3500 z is not σ(z)
        ("-" * 3000 + "z", "error", "nested too deeply"),
        ("\\log " * 1500 + "z", "error", "nested too deeply"),
        (" ".join(["z"] * 3000), "fail", "claimed"),
        ("-" * 40 + "\\frac{1}{1+e^{-z}}", "pass", "agrees"),  # within the limit: checked
    ],
)
def test_long_formulas_get_a_verdict_and_pickle(rhs, verdict, fragment):
    # a verdict, not a time limit: the 3000-factor product takes about 1.1 s
    result = check_text(f"5: $$g(z) = {rhs}$$", checker=_checker(GENEROUS.claim_seconds))
    (claim,) = result.claims
    assert claim.verdict.value == verdict and fragment in claim.message
    pickle.loads(pickle.dumps(result))


@pytest.mark.parametrize(
    ("spans", "groups"),
    [
        (["a = b", "c = d"], [1, 1]),
        (["a = b", "= c"], [2]),  # a continuation stays with its chain
        (["a = b", "  ", "= c"], [3]),  # an empty span between does not break the chain
        (["a = b", "\\quad = c"], [2]),  # a separator first: could be a continuation
        (["a = b", "& = c"], [2]),
        # a span that opens with a sign may continue the one before: kept with it (planning is
        # conservative; the reader decides that `-e = f` is an equation of its own)
        (["a = b", "(c) = d", "-e = f"], [1, 2]),
    ],
)
def test_chunks_never_split_a_chain(spans, groups):
    text = "1: " + " ".join(f"$${s}$$" for s in spans)
    doc = read_text("s.md", text)
    (step,) = [s for s in doc.steps if s.spans]
    assert [len(g) for g in chunks(doc, step)] == groups


@pytest.mark.parametrize(
    "text",
    [
        "5: $$g(z) = z$$ $$= z$$ $$ $$ $$= 2z$$ $$g(z) = 1$$",
        "1: $$E = t$$ 2: $$= y$$ $$E = 1 \\quad = 2$$ $$\\text{so} = 3$$",
        "$$= z$$ 5: $$a = b$$ $$(c) = d$$ $$= e$$",
        # what the reader carries from span to span: a displayed chain continued after inline
        # prose math, an operator row, a stray display, a prose `=` join, a condition
        "1: $$E = t$$\n\nwriting $y = G(Wx)$ for short\n\n$$= y$$\n\n$$+ 5$$\n\n$$5$$",
        "1: $E$ = $t$ and $$E = t \\quad i = j$$\n\n$$+ 1$$\n\n$$x = y$$\n\n$$- 1 = 2$$",
        "1: $$E = t$$\n\nprose\n\n$$- 1$$\n\n$$\\frac{d}{dt} E$$\n\n$$= 1$$",
    ],
)
def test_planning_by_chunks_gives_the_claims_of_the_whole(text):
    doc = read_text("s.md", text)
    whole = [item for step in doc.steps for item in chains_of(doc, step.spans, DEFAULT_LIMITS)]
    assert [u.item for u in plan(doc, DEFAULT_LIMITS)] == whole


GOOD = r"\frac{1}{1+e^{-z}}"


@pytest.mark.parametrize(
    ("text", "verdicts"),
    [
        # killed on the chain's first claim: the replacement resumes inside the same chunk
        (f"5: $$g(z) = {SLOW}$$ $$= {GOOD}$$", ["undecided", "pass"]),
        (f"5: $$g(z) = {GOOD} = {SLOW} = {GOOD}$$", ["pass", "undecided", "pass"]),
        (
            f"5: $$g(z) = {SLOW}$$ $$g(z) = {GOOD}$$ $$g(z) = {SLOW}$$ $$g(z) = {GOOD}$$",
            ["undecided", "pass", "undecided", "pass"],
        ),
    ],
)
def test_a_killed_child_is_resumed_at_the_next_claim(text, verdicts):
    result = check_text(text, checker=_checker(1.0))
    assert [c.verdict.value for c in result.claims] == verdicts
    assert all("time limit" in c.message for c in result.claims if c.verdict.value != "pass")


def test_a_chunk_never_planned_is_named_and_skipped():
    """A child killed while it plans a chunk: that chunk is one undecided entry at its first
    span, and the next child starts after it, even if it too dies before saying anything."""
    doc = read_text("s.md", "5: $$g(z) = 1$$\n\n$$g(z) = 2$$\n\n$$g(z) = 3$$\n")
    progress = Progress("s.md", DEFAULT_LIMITS)
    progress.keep(doc)
    progress.take(("next", chunk_at(doc, 0, 0)))
    steps = [n for n, s in enumerate(doc.steps) if s.spans]
    first = progress.culprit()
    assert first == (steps[0], 0, 0)
    cursor = progress.undecided_chunk(first[2], "time limit")
    assert (cursor.step, cursor.chunk, cursor.unit) == (steps[0], 1, 1)
    second = progress.culprit()  # the next child said nothing: found from the packed document
    assert second == (steps[0], 1, 1)
    progress.undecided_chunk(second[2], "time limit")
    (step,) = progress.assemble()
    assert [(c.line, c.verdict.value, c.source) for c in step.claims] == [
        (1, "undecided", "g(z) = 1"),
        (3, "undecided", "g(z) = 2"),
    ]
