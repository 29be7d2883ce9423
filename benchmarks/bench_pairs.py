"""The scalar pairs of pairs.toml, checked in-process by one tool; a worker of run.py.

    python benchmarks/bench_pairs.py TOOL [--every K]     TOOL: one of TOOLS below

Prints JSON: one record per pair (accepted, seconds, what the tool said). Each tool runs in its
own fresh interpreter, so neither warms SymPy's caches for the other. One warm-up check on an
expression outside the table precedes the timed ones (imports, model building, first fork).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tomllib
from pathlib import Path

PAIRS_FILE = Path(__file__).resolve().parent / "pairs.toml"
# Our configurations: keyword arguments of Config.
OURS = {"ours": {}, "ours-no-proof": {"prove": False}, "ours-in-process": {"isolate": False}}
TOOLS = [*OURS, "math-verify"]


def load_pairs(every: int = 1) -> list[dict]:
    """The pairs (every K-th one), each with its quantity's fields merged in."""
    data = tomllib.loads(PAIRS_FILE.read_text(encoding="utf-8"))
    pairs = []
    for pair in data["pair"][::every]:
        quantity = data["quantity"][pair["quantity"]]
        pairs.append({**pair, "step": quantity["step"], "gold": quantity["gold"]})
    return pairs


def _ours(options: dict):
    from verifier.api import check_claim
    from verifier.check.checker import Checker
    from verifier.check.compare import Config
    from verifier.models.assignment import load_assignment

    checker = Checker(load_assignment("backprop"), Config(**options))
    check_claim("y = G(Wx)", step="1", checker=checker)  # warm-up: not in the table
    check_claim("g(z) = \\frac{1}{1+e^{-z}}", step="5", checker=checker)

    def check(pair: dict) -> tuple[bool, str]:
        result = check_claim(pair["ours"], step=pair["step"], checker=checker)
        accepted = result.verdict.value in ("pass", "warn")
        return accepted, f"{result.verdict.value}: {result.message}"

    return check


def _math_verify():
    from math_verify import parse, verify

    verify(parse("$x^2 + 2x$"), parse("$x(x+2)$"))  # warm-up: not in the table

    def check(pair: dict) -> tuple[bool, str]:
        gold = parse(f"${pair['gold']}$")
        answer = parse(f"${pair['answer']}$")
        accepted = bool(verify(gold, answer))
        return accepted, f"parsed answer as {answer[0] if answer else 'nothing'}"

    return check


def run(tool: str, every: int) -> list[dict]:
    check = _math_verify() if tool == "math-verify" else _ours(OURS[tool])
    records = []
    for pair in load_pairs(every):
        start = time.perf_counter()
        accepted, said = check(pair)
        seconds = time.perf_counter() - start
        records.append({"id": pair["id"], "accepted": accepted, "seconds": seconds, "said": said})
    return records


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("tool", choices=TOOLS)
    parser.add_argument("--every", type=int, default=1)
    args = parser.parse_args()
    json.dump(run(args.tool, args.every), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
