"""Shared fixtures: one checker per assignment for the whole session (models are built once)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.check.verdicts import Verdict
from verifier.models.assignment import load_assignment

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "derivations" / "examples" / "backprop_seed.md"
# A right side of `g(z) = …` no machine decides within the tests' time limits: a double sum of
# 10^8 terms (a single sum of one index-free product is evaluated once and is fast).
SLOW = r"\sum_{j=1}^{9999} \sum_{k=1}^{9999} \frac{\partial (g(z) g(z) g(z))}{\partial z}"


@pytest.fixture(scope="session")
def backprop_checker() -> Checker:
    return Checker(load_assignment("backprop"), Config())


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
    checker = Checker(load_assignment(str(ROOT / assignment)), Config())
    checker.validate()
    return checker
