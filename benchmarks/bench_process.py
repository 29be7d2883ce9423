"""Whole-process timings: each figure is the wall clock of `python -m verifier.cli` runs."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import run_cli


def _timed(args: list[str]) -> tuple[float, int, bytes]:
    done = run_cli(args)
    if done.returncode not in (0, 1):
        raise RuntimeError(
            f"verifier.cli {' '.join(args)}: exit {done.returncode}\n{done.stderr!r}"
        )
    return done.seconds, done.returncode, done.stdout


def seed_runs(runs: int) -> dict:
    """The bundled seed (no file argument), ``--format json``; exit 1 is expected."""
    baseline = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sympy, numpy"], check=True)
        baseline.append(time.perf_counter() - start)
    times, codes = [], set()
    for _ in range(runs):
        seconds, code, _ = _timed(["--format", "json"])
        times.append(seconds)
        codes.add(code)
    return {"times": times, "baseline": baseline, "exit codes": sorted(codes)}


def batch_loop(paths: list[Path]) -> dict:
    """One process per submission, one after the other (what `--jobs 1` would do)."""
    times = [_timed(["--format", "json", str(p)])[0] for p in paths]
    return {"total": sum(times), "times": times, "n": len(paths)}


def batch_jobs(directory: Path, n: int, jobs: int) -> dict:
    """A directory of ``n`` submissions in one CLI call with ``--jobs`` (when the CLI has it)."""
    try:
        seconds, _, _ = _timed(["--jobs", str(jobs), "--format", "json", str(directory)])
    except RuntimeError as exc:
        return {"error": str(exc).splitlines()[0], "n": n}
    return {"total": seconds, "n": n}


def pair_runs(pairs: list[dict]) -> list[dict]:
    """Each pair's claim alone in a one-step Markdown file, verified by a fresh process."""
    records = []
    with tempfile.TemporaryDirectory(prefix="bench-pairs-") as tmp:
        for pair in pairs:
            path = Path(tmp) / f"{pair['id']}.md"
            path.write_text(f"{pair['step']}:\n\n$${pair['ours']}$$\n", encoding="utf-8")
            seconds, _, out = _timed(["--format", "json", str(path)])
            claims = [c for s in json.loads(out)["steps"] for c in s["claims"]]
            verdict = claims[0]["verdict"] if len(claims) == 1 else f"{len(claims)} claims"
            records.append({"id": pair["id"], "seconds": seconds, "verdict": verdict})
    return records
