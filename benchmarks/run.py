"""Speed and accuracy of verify-derivations, side by side with math-verify, in one run.

    python benchmarks/run.py            # full run: prints the table, writes RESULTS.md and latency.png
    python benchmarks/run.py --quick    # reduced run in well under a minute: prints the table only

Needs the bench extra: pip install -e '.[bench]'. The measurements run in fresh interpreters
(workers bench_*.py) and CLI processes; this script itself never imports the checker.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import bench_process as proc
from bench_common import HERE, LEFTOVERS, cli_supports_jobs, machine, median, versions, worker
from bench_markdown import markdown
from bench_pairs import TOOLS, load_pairs
from bench_report import plot, text_table
from bench_summary import consistency, pair_summary, targets
from generate import SEED_FILE, generate


def bundled() -> list[str]:
    """The bundled assignments, by their files (this script never imports the checker)."""
    return sorted(p.stem for p in (HERE.parent / "derivations").glob("*.toml"))


@dataclass(frozen=True)
class Sizes:
    seed_runs: int
    pair_every: int  # every K-th pair of pairs.toml
    variants: bool  # also time ours with Config(prove=False) and Config(isolate=False)
    cli_pairs: int  # pairs also timed as a whole process
    claim_files: int  # generated solutions whose claims are timed one by one
    batch: int  # generated submissions through the CLI
    api_files: int  # generated submissions checked in-process
    loop: int  # with --jobs available: generated submissions also run one process each
    profiles: bool


FULL = Sizes(7, 1, True, 10**6, 20, 200, 40, 20, True)
QUICK = Sizes(3, 3, False, 2, 0, 3, 1, 0, False)


def measure(sizes: Sizes, tmp: Path) -> dict:
    fig: dict = {"seed": proc.seed_runs(sizes.seed_runs)}
    fig["seed_median"] = median(fig["seed"]["times"])
    pairs = load_pairs(sizes.pair_every)
    every = str(sizes.pair_every)
    tools = TOOLS if sizes.variants else ["ours", "math-verify"]
    fig["pairs"] = {
        t: pair_summary(pairs, worker("bench_pairs.py", t, "--every", every)) for t in tools
    }
    fig["pairs_cli"] = proc.pair_runs(pairs[: sizes.cli_pairs])
    n = max(sizes.batch, sizes.claim_files, sizes.api_files)
    paths, manifest = generate(n, tmp / "class")
    generated = [str(p) for p in paths[: sizes.claim_files]]
    claims = worker("bench_claims.py", str(SEED_FILE), *generated)
    fig["claims"] = {
        "seed": [r for r in claims if r["file"] == SEED_FILE.name],
        "generated": [r for r in claims if r["file"] != SEED_FILE.name],
    }
    fig["batch"] = _batch(paths[: sizes.batch], tmp / "class", n == sizes.batch, sizes.loop)
    api = worker("bench_files.py", str(SEED_FILE), *map(str, paths[: sizes.api_files]))
    fig["batch"]["api"] = api[1:]
    fig["batch"]["api_per_file"] = median([r["seconds"] for r in api[1:]])
    fig["consistency"] = consistency(api[0]["verdicts"], api[1:], manifest)
    fig["truths"] = [worker("bench_truths.py", name) for name in bundled()]
    fig["targets"] = targets(fig)
    fig["leftovers"] = LEFTOVERS
    fig["profiles"] = {}
    if sizes.profiles:
        status = {t["key"]: t["status"] for t in fig["targets"]}
        if status["seed"] != "met" or status["class"] != "met":
            fig["profiles"]["seed"] = worker("bench_profile.py", "seed")
        if status["speed"] != "met":
            fig["profiles"]["claims"] = worker("bench_profile.py", "claims", "--every", every)
    return fig


def _batch(paths: list[Path], directory: Path, whole_directory: bool, loop: int) -> dict:
    batch: dict = {"n": len(paths), "jobs": cli_supports_jobs()}
    if batch["jobs"] and whole_directory:
        batch["jobs1"] = proc.batch_jobs(directory, len(paths), 1)
        batch["jobs2"] = proc.batch_jobs(directory, len(paths), 2)
        if loop:
            batch["loop"] = proc.batch_loop(paths[:loop])
    else:
        loop = proc.batch_loop(paths)
        batch["jobs1"] = {**loop, "how": "a loop of single-file runs"}
        batch["jobs2"] = None
    return batch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="reduced run; prints only")
    parser.add_argument("--write", action="store_true", help="write RESULTS.md even with --quick")
    parser.add_argument("--note", default="", help="a sentence for RESULTS.md about this run")
    parser.add_argument("--save-raw", type=Path, help="also save every measurement as JSON")
    parser.add_argument("--from-raw", type=Path, help="re-render a saved run, measure nothing")
    args = parser.parse_args()
    if args.from_raw:
        fig = json.loads(args.from_raw.read_text(encoding="utf-8"))
    else:
        fig = run(args.quick, args.note)
    if args.save_raw:
        args.save_raw.write_text(json.dumps(fig), encoding="utf-8")
    print(text_table(fig))
    print(f"\n({fig['elapsed']:.0f} s in all)")
    if args.write or fig["mode"] == "full":
        plot(fig, HERE / "latency.png")
        (HERE / "RESULTS.md").write_text(markdown(fig, "latency.png"), encoding="utf-8")
        print("wrote benchmarks/RESULTS.md and benchmarks/latency.png")
    return 0


def run(quick: bool, note: str) -> dict:
    start = time.perf_counter()
    info = {"machine": machine(), "versions": versions()}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        fig = measure(QUICK if quick else FULL, Path(tmp))
    fig.update(info)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    fig["machine"]["load average at end (1, 5, 15 min)"] = load
    fig["mode"] = "quick" if quick else "full"
    fig["date"] = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    fig["note"] = note
    fig["elapsed"] = time.perf_counter() - start
    return fig


if __name__ == "__main__":
    sys.exit(main())
