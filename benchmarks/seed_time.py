"""Whole-process time to verify the bundled seed solution (median of several runs).

    python benchmarks/seed_time.py [--runs 7]

Target: at most 2.0 s on a 2-core machine (python + `import sympy, numpy` alone is ~0.45 s).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

TARGET = 2.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    cmd = [sys.executable, "-m", "verifier.cli", "--format", "json"]
    baseline = [sys.executable, "-c", "import sympy, numpy"]
    times, base = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(baseline, check=True)
        base.append(time.perf_counter() - start)
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            print(done.stderr.decode(), file=sys.stderr)
            return 2
    median = statistics.median(times)
    print(f"python + import sympy, numpy: median {statistics.median(base):.3f} s")
    print(
        f"verify bundled seed:          median {median:.3f} s over {args.runs} runs "
        f"(min {min(times):.3f}, max {max(times):.3f}); target {TARGET} s: "
        f"{'met' if median <= TARGET else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
