"""Whole submissions checked in one process with one checker (the API, no per-file start-up).

    python benchmarks/bench_files.py FILE...                 (a worker of run.py; JSON out)

For each file: seconds for ``check_file`` and whether each claim was accepted (pass or warn).
"""

from __future__ import annotations

import json
import sys
import time


def run(paths: list[str]) -> list[dict]:
    from verifier.api import check_file
    from verifier.check.checker import Checker
    from verifier.check.compare import Config
    from verifier.models.assignment import load_assignment

    checker = Checker(load_assignment("backprop"), Config())
    records = []
    for path in paths:
        start = time.perf_counter()
        result = check_file(path, checker=checker)
        seconds = time.perf_counter() - start
        verdicts = [c.verdict.value for s in result.steps for c in s.claims]
        records.append({"file": path, "seconds": seconds, "verdicts": verdicts})
    return records


if __name__ == "__main__":
    json.dump(run(sys.argv[1:]), sys.stdout)
