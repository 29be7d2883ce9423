"""Shared fixtures: one checker per assignment for the whole session (models are built once)."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from verifier.api import check_text
from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.check.verdicts import Verdict
from verifier.limits import DEFAULT_LIMITS
from verifier.models.assignment import load_assignment

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "derivations" / "examples" / "backprop_seed.md"
# A right side of `g(z) = …` no machine decides within the tests' time limits: a double sum of
# 10^8 terms (a single sum of one index-free product is evaluated once and is fast).
SLOW = r"\sum_{j=1}^{9999} \sum_{k=1}^{9999} \frac{\partial (g(z) g(z) g(z))}{\partial z}"
# For tests of verdicts, not of limits: a claim's time limit far above any claim's time, so that
# no verdict depends on how fast or how loaded the machine is. The heaviest claims (the first
# over Ng's deep network or word2vec in a checking process, which builds the truths it needs)
# took up to 1.2 s on an idle 2-core machine and 1.5 s on a loaded one: the default limit of
# 5 s is less than 5 times that. The tests of the limits set their own.
GENEROUS = replace(DEFAULT_LIMITS, claim_seconds=60.0)


@pytest.fixture(scope="session")
def backprop_checker() -> Checker:
    return Checker(load_assignment("backprop"), Config(limits=GENEROUS))


# the verdicts as the review tables write them
P, W, F, E, N, U = (
    Verdict.PASS,
    Verdict.WARN,
    Verdict.FAIL,
    Verdict.ERROR,
    Verdict.NOTE,
    Verdict.UNDECIDED,
)


@cache
def checker_of(assignment: str) -> Checker:
    """A validated checker of an assignment path relative to the repository, made once."""
    checker = Checker(load_assignment(str(ROOT / assignment)), Config(limits=GENEROUS))
    checker.validate()
    return checker


def assert_claims(checker: Checker, step: str, text: str, verdicts: list) -> None:
    """The claims of ``text`` (¶ a paragraph break) in step ``step``: one per entry of
    ``verdicts``, each with a verdict in its entry, and no message a traceback (review tables)."""
    body = text.replace("¶", "\n\n")
    result = check_text(f"## {step}\n\n{body}\n", "s.md", checker=checker)
    claims = [c for s in result.steps for c in s.claims]
    assert all("Traceback" not in c.message for c in claims), claims
    got = [(c.verdict, c.source, c.message) for c in claims]
    assert len(claims) == len(verdicts), got
    assert all(c.verdict in allowed for c, allowed in zip(claims, verdicts, strict=True)), got
