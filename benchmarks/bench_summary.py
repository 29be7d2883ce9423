"""Raw measurements → the figures of the report and the verdict on each target."""

from __future__ import annotations

from bench_common import median, p95

SEED_TARGET = 2.0  # s, whole process
SPEED_TARGET = 3.0  # our median per scalar claim at least this many times faster than math-verify's
CLASS_SIZE, CLASS_TARGET = 200, 60.0  # submissions, s with 2 jobs


def pair_summary(pairs: list[dict], records: list[dict]) -> dict:
    """Accuracy, false accepts and rejects, timing, and every pair the tool got wrong."""
    by_id = {r["id"]: r for r in records}
    wrong, correct, false_accepts, false_rejects = [], 0, 0, 0
    for pair in pairs:
        record = by_id[pair["id"]]
        if record["accepted"] == pair["equal"]:
            correct += 1
            continue
        if record["accepted"]:
            false_accepts += 1
        else:
            false_rejects += 1
        wrong.append(
            {
                "id": pair["id"],
                "what": "false accept" if record["accepted"] else "false reject",
                "ours": pair["ours"],
                "answer": pair["answer"],
                "note": pair.get("note", ""),
                "said": record["said"],
            }
        )
    times = [r["seconds"] for r in records]
    return {
        "n": len(pairs),
        "correct": correct,
        "false_accepts": false_accepts,
        "false_rejects": false_rejects,
        "median": median(times),
        "p95": p95(times),
        "times": times,
        "wrong": wrong,
    }


def consistency(seed_verdicts: list[str], files: list[dict], manifest: dict) -> list[str]:
    """Generated files whose accepted claims differ from the seed's in more places than the
    mutations and corrections it received (each changes exactly one claim's value)."""
    accepted = [v in ("pass", "warn") for v in seed_verdicts]
    problems = []
    for record in files:
        name = record["file"].rsplit("/", 1)[-1]
        if name not in manifest:
            continue
        done = manifest[name]
        mine = [v in ("pass", "warn") for v in record["verdicts"]]
        if len(mine) != len(accepted):
            problems.append(f"{name}: {len(mine)} claims, the seed has {len(accepted)} ({done})")
            continue
        changed = sum(a != b for a, b in zip(accepted, mine, strict=True))
        expected = len(done["mutations"]) + len(done["corrections"])
        if changed != expected:
            problems.append(f"{name}: {changed} claims changed, expected {expected} ({done})")
    return problems


def _status(ok: bool) -> str:
    return "met" if ok else "missed"


def targets(fig: dict) -> list[dict]:
    out = []
    seed = fig["seed_median"]
    out.append(
        {
            "key": "seed",
            "target": f"bundled seed, whole process ≤ {SEED_TARGET:g} s",
            "value": f"{seed:.2f} s (median of {len(fig['seed']['times'])})",
            "status": _status(seed <= SEED_TARGET),
        }
    )
    ours, mv = fig["pairs"]["ours"], fig["pairs"]["math-verify"]
    ratio = mv["median"] / ours["median"]
    out.append(
        {
            "key": "speed",
            "target": f"per scalar claim ≥ {SPEED_TARGET:g}× faster than math-verify (median)",
            "value": f"{ratio:.2f}× (ours {ours['median'] * 1e3:.1f} ms, "
            f"math-verify {mv['median'] * 1e3:.1f} ms)",
            "status": _status(ratio >= SPEED_TARGET),
        }
    )
    out.append(
        {
            "key": "false accepts",
            "target": "0 false accepts (ours, default config)",
            "value": f"{ours['false_accepts']} of {ours['n']} pairs",
            "status": _status(ours["false_accepts"] == 0),
        }
    )
    out.append(_class_target(fig))
    return out


def _class_target(fig: dict) -> dict:
    target = f"class of {CLASS_SIZE} submissions ≤ {CLASS_TARGET:g} s with 2 jobs"
    jobs2 = fig["batch"].get("jobs2")
    if jobs2 and "total" in jobs2:
        total = jobs2["total"] * CLASS_SIZE / jobs2["n"]
        scaled = (
            ""
            if jobs2["n"] == CLASS_SIZE
            else f" (scaled linearly from {jobs2['n']} submissions, start-up included)"
        )
        return {
            "key": "class",
            "target": target,
            "value": f"{total:.1f} s{scaled}",
            "status": _status(total <= CLASS_TARGET),
        }
    # No --jobs yet. Estimate: today's in-process time per file, perfectly split over 2 jobs.
    per_file = fig["batch"]["api_per_file"]
    estimate = per_file * CLASS_SIZE / 2
    value = (
        f"n/a until the CLI supports --jobs; estimate {estimate:.0f} s "
        f"({CLASS_SIZE} × {per_file:.2f} s in-process per file ÷ 2, a perfect split)"
    )
    return {
        "key": "class",
        "target": target,
        "value": value,
        "status": "n/a (estimate misses)" if estimate > CLASS_TARGET else "n/a (estimate meets)",
    }
