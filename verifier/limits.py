"""Bounds on the work one submission may cause. Student files are untrusted input."""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 2_000_000
    max_claim_chars: int = 20_000  # per math span
    max_depth: int = 200  # nesting of (), [], {}
    claim_seconds: float = 5.0  # wall clock per claim: then the claim is undecided
    file_seconds: float = 120.0  # wall clock per file: the claims not reached are undecided
    memory_mb: int = 2048  # address space a checking process may add to what it has
    max_sum_terms: int = 10_000  # terms of one written-out sum
    max_number_digits: int = 100  # of a literal, and of a power of literals


DEFAULT_LIMITS = Limits()

# Python frames per bracket level in the parser, typed pass and evaluator, with room to spare:
# the nesting limit (default 200) must be reachable without a RecursionError.
_FRAMES_PER_LEVEL = 40


@contextlib.contextmanager
def deep_recursion(limits: Limits = DEFAULT_LIMITS):
    """Raise Python's recursion limit for the nesting the limits allow, then restore it."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 1000 + limits.max_depth * _FRAMES_PER_LEVEL))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def nesting_depth(text: str) -> tuple[int, int]:
    """Deepest bracket nesting and the offset where it is first reached."""
    depth = deepest = at = 0
    escaped = False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif ch in "([{":
            depth += 1
            if depth > deepest:
                deepest, at = depth, i
        elif ch in ")]}":
            depth -= 1
    return deepest, at
