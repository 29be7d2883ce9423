"""Truth-building time of one bundled assignment, in a fresh interpreter.

    python benchmarks/bench_truths.py NAME      (a worker of run.py; JSON out)

``load``: reading and validating the assignment (its models built, every step target read), as a
run does once before the first submission. ``truths``: every derivative of every model derived
and written as ``--truths`` prints it (readable forms confirmed by the checker).
"""

from __future__ import annotations

import json
import sys
import time


def run(name: str) -> dict:
    from verifier.check.checker import Checker
    from verifier.check.compare import Config
    from verifier.models.assignment import load_assignment
    from verifier.truths import truths

    start = time.perf_counter()
    assignment = load_assignment(name)
    Checker(assignment, Config()).validate()
    load = time.perf_counter() - start
    start = time.perf_counter()
    lines = list(truths(assignment))
    return {
        "name": name,
        "models": len(assignment.models),
        "load": load,
        "truths": time.perf_counter() - start,
        "lines": len(lines),
        "longest": max((len(line) for line in lines), default=0),
    }


if __name__ == "__main__":
    json.dump(run(sys.argv[1]), sys.stdout)
