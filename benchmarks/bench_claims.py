"""Per-claim latency: every claim of the given submissions, each timed through ``check_claim``.

    python benchmarks/bench_claims.py [--no-proof] FILE...       (a worker of run.py; JSON out)

A chain `a = b = c` is split into its claims `a = b`, `a = c` (as the checker reads it), and
each is checked alone against its step, with one checker shared by the whole run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def claims_of(path: Path, max_bytes: int) -> list[tuple[str | None, str]]:
    """``(step id, "lhs = rhs")`` for every claim of a submission."""
    from verifier.check.claims import Chain, chains_of
    from verifier.source import read_document

    doc = read_document(str(path), max_bytes)
    out = []
    for step in doc.steps:
        for item in chains_of(doc, step.spans):
            if isinstance(item, Chain):
                out.extend((step.id, f"{item.head.source} = {p.source}") for p in item.rest)
    return out


def run(paths: list[Path], prove: bool) -> list[dict]:
    from verifier.api import check_claim
    from verifier.check.checker import Checker
    from verifier.check.compare import Config
    from verifier.models.assignment import load_assignment

    spent = _instrument()
    checker = Checker(load_assignment("backprop"), Config(prove=prove))
    # The breakdown needs the work in this process: a second, in-process checker (the first
    # one checks each claim in a forked child, as the CLI does, and its time is the figure).
    inline = Checker(load_assignment("backprop"), Config(prove=prove, isolate=False))
    check_claim("y = G(Wx)", step="1", checker=checker)  # warm-up
    check_claim("z^{(1)} = W^{(1)} x", step="2", checker=checker)
    records = []
    for path in paths:
        for step, claim in claims_of(path, checker.config.limits.max_file_bytes):
            start = time.perf_counter()
            result = check_claim(claim, step=step, checker=checker)
            seconds = time.perf_counter() - start
            spent.update(certify=0.0, residual=0.0)
            check_claim(claim, step=step, checker=inline)
            records.append(
                {
                    "file": path.name,
                    "step": step,
                    "claim": claim,
                    "verdict": result.verdict.value,
                    "seconds": seconds,
                    # of the in-process check: Arb certification of points, the residual check
                    "certify_seconds": spent["certify"],
                    "residual_seconds": spent["residual"],
                }
            )
    return records


def _instrument() -> dict[str, float]:
    """Time spent in certification and in the residual check, summed per claim. Claims are
    checked in this process (``check_claim`` isolates only files), so wrapping works."""
    from verifier.check import compare, decide

    spent = {"certify": 0.0, "residual": 0.0}

    def timed(fn, key):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[key] += time.perf_counter() - start

        return wrapper

    compare.certify = timed(compare.certify, "certify")
    decide.residual = _Residual(decide.residual, timed(decide.residual.check, "residual"))
    return spent


class _Residual:
    """The residual module with its ``check`` timed."""

    def __init__(self, module, check) -> None:
        self._module, self.check = module, check

    def __getattr__(self, name: str):
        return getattr(self._module, name)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-proof", action="store_true")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    json.dump(run(args.files, prove=not args.no_proof), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
