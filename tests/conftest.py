"""Shared fixtures: one checker per assignment for the whole session (models are built once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.models.assignment import load_assignment

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "derivations" / "examples" / "backprop_seed.md"


@pytest.fixture(scope="session")
def backprop_checker() -> Checker:
    return Checker(load_assignment("backprop"), Config())
