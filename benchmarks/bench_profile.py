"""Where the time goes: pyinstrument profiles, for the report of a missed target.

    python benchmarks/bench_profile.py seed|claims [--every K]    (a worker of run.py; JSON out)

`seed`: import the package and check the bundled seed with ``check_file``, in one process.
`claims`: ``check_claim`` over the scalar pairs. Both check in-process (``isolate=False``) so the
profile sees the checking itself rather than a parent waiting for its forked child; the proofs
still run in their own worker process, so the parent's wait for them shows as waiting.
"""

from __future__ import annotations

import argparse
import json
import sys

from pyinstrument import Profiler
from pyinstrument.renderers import ConsoleRenderer


def _seed() -> None:
    from verifier.api import check_file
    from verifier.check.compare import Config
    from verifier.models.assignment import bundled_dir

    check_file(str(bundled_dir() / "examples" / "backprop_seed.md"), config=Config(isolate=False))


def _claims(every: int) -> None:
    from bench_pairs import load_pairs

    from verifier.api import check_claim
    from verifier.check.checker import Checker
    from verifier.check.compare import Config
    from verifier.models.assignment import load_assignment

    checker = Checker(load_assignment("backprop"), Config(isolate=False))
    for pair in load_pairs(every):
        check_claim(pair["ours"], step=pair["step"], checker=checker)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["seed", "claims"])
    parser.add_argument("--every", type=int, default=1)
    args = parser.parse_args()
    profiler = Profiler(interval=0.002)
    profiler.start()
    _seed() if args.what == "seed" else _claims(args.every)
    profiler.stop()
    options = {"filter_threshold": 0.05, "show_regex": r".*[/\\]verifier[/\\].*"}
    tree = ConsoleRenderer(processor_options=options)
    flat = ConsoleRenderer(flat=True, processor_options={"filter_threshold": 0.02})
    out = {
        "seconds": profiler.last_session.duration,
        "tree": profiler.output(tree),
        "flat": profiler.output(flat),
    }
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
