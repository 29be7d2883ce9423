"""The figures as a plain table (stdout) and as a latency plot; bench_markdown.py writes RESULTS.md."""

from __future__ import annotations

from pathlib import Path

from bench_common import median, p95

LABELS = {
    "ours": "verify-derivations (default: numeric + proof)",
    "ours-no-proof": "verify-derivations (Config(prove=False))",
    "ours-in-process": "verify-derivations (Config(isolate=False))",
    "math-verify": "math-verify (parse + verify)",
}


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def rows(fig: dict) -> list[tuple[str, str]]:
    seed, batch, claims = fig["seed"], fig["batch"], fig["claims"]
    rows = [
        (
            f"bundled seed, whole process (median of {len(seed['times'])})",
            f"{fig['seed_median']:.2f} s (min {min(seed['times']):.2f}, max {max(seed['times']):.2f})",
        ),
        ("  python + import sympy, numpy alone", f"{median(seed['baseline']):.2f} s"),
    ]
    for name, records in claims.items():
        if not records:
            continue
        times = [r["seconds"] for r in records]
        rows.append(
            (
                f"check_claim per claim, {name} ({len(times)} claims)",
                f"median {_ms(median(times))}, p95 {_ms(p95(times))}",
            )
        )
        for key, label in (
            ("certify_seconds", "Arb certification"),
            ("residual_seconds", "residual check"),
        ):
            spent = [r[key] for r in records if key in r]
            if spent:
                rows.append(
                    (f"  of which {label}", f"median {_ms(median(spent))}, p95 {_ms(p95(spent))}")
                )
    if fig.get("truths"):
        slowest = max(fig["truths"], key=lambda t: t["load"] + t["truths"])
        rows.append(
            (
                f"truth building, slowest of {len(fig['truths'])} bundled assignments",
                f"{slowest['name']}: load {slowest['load']:.2f} s, --truths "
                f"{slowest['truths']:.2f} s",
            )
        )
    n = batch["n"]
    for key, label in (("jobs1", "--jobs 1"), ("jobs2", "--jobs 2")):
        rows.append((f"batch of {n} submissions, {label}", _batch_value(batch.get(key), n)))
    if batch.get("loop"):
        times = batch["loop"]["times"]
        rows.append(
            (
                f"  one process per submission ({len(times)} files)",
                f"median {median(times):.2f} s per file",
            )
        )
    api = batch["api"]
    rows.append(
        (
            f"  in-process API, one checker ({len(api)} files)",
            f"median {median([r['seconds'] for r in api]):.2f} s per file",
        )
    )
    return rows


def _batch_value(entry: dict | None, n: int) -> str:
    if entry is None:
        return "n/a until the CLI supports --jobs"
    if "error" in entry:
        return f"error: {entry['error']}"
    how = f", {entry['how']}" if entry.get("how") else ""
    return f"{entry['total']:.1f} s ({entry['total'] / n:.2f} s per submission{how})"


def pair_rows(fig: dict) -> list[list[str]]:
    rows = []
    for tool, s in fig["pairs"].items():
        rows.append(
            [
                LABELS[tool],
                f"{s['correct']}/{s['n']} ({100 * s['correct'] / s['n']:.0f}%)",
                str(s["false_accepts"]),
                str(s["false_rejects"]),
                _ms(s["median"]),
                _ms(s["p95"]),
            ]
        )
    cli = [r["seconds"] for r in fig["pairs_cli"]]
    rows.append(
        [
            f"verify-derivations, whole process per claim ({len(cli)} pairs)",
            "",
            "",
            "",
            _ms(median(cli)),
            _ms(p95(cli)),
        ]
    )
    return rows


PAIR_HEAD = ["tool", "accuracy", "false accepts", "false rejects", "median", "p95"]


def text_table(fig: dict) -> str:
    lines = [f"verify-derivations benchmarks ({fig['mode']}, {fig['date']})", ""]
    figures = rows(fig)
    width = max(len(k) for k, _ in figures)
    lines += [f"{k.ljust(width)}  {v}" for k, v in figures]
    n = fig["pairs"]["ours"]["n"]
    lines += ["", f"scalar pairs ({n}), timed in-process per pair:"]
    table = [PAIR_HEAD, *pair_rows(fig)]
    widths = [max(len(r[i]) for r in table) for i in range(len(PAIR_HEAD))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in table]
    lines += ["", "targets:"]
    lines += [f"  {t['status'].upper():<22} {t['target']}: {t['value']}" for t in fig["targets"]]
    for tool, s in fig["pairs"].items():
        if tool != "ours" and same_as_default(fig, tool):
            lines.append(f"  {tool}: the same pairs wrong as ours")
            continue
        for w in s["wrong"]:
            lines.append(f"  {tool} {w['what']}: {w['id']} {w['note']}".rstrip())
    if fig["consistency"]:
        lines += ["", "consistency problems:", *(f"  {p}" for p in fig["consistency"])]
    lines += ["", *leftover_lines(fig)]
    return "\n".join(lines)


def same_as_default(fig: dict, tool: str) -> bool:
    """A configuration of ours that got exactly the default's pairs wrong, in the same way."""
    if not tool.startswith("ours"):
        return False
    wrong = fig["pairs"][tool]["wrong"]
    default = fig["pairs"]["ours"]["wrong"]
    return [(w["id"], w["what"]) for w in wrong] == [(w["id"], w["what"]) for w in default]


def leftover_lines(fig: dict) -> list[str]:
    runs = fig["leftovers"]
    if not runs:
        return ["No process was left running after the process that started it had exited."]
    out = [
        f"{len(runs)} run(s) left processes running after the process that started them had "
        "exited (found holding its output; killed by the harness; not counted in its time):"
    ]
    return out + [f"  {r['command']}: pids {', '.join(map(str, r['pids']))}" for r in runs]


def _ecdf(axis, times: list[float], label: str) -> None:
    xs = sorted(t * 1e3 for t in times)
    axis.step(xs, [(i + 1) / len(xs) for i in range(len(xs))], where="post", label=label)


def plot(fig: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    for tool, summary in fig["pairs"].items():
        _ecdf(left, summary["times"], LABELS[tool])
    _ecdf(left, [r["seconds"] for r in fig["pairs_cli"]], "verify-derivations, whole process")
    left.set_title(f"Scalar pairs ({fig['pairs']['ours']['n']}): time per pair")
    for name, records in fig["claims"].items():
        if records:
            _ecdf(right, [r["seconds"] for r in records], f"{name} ({len(records)} claims)")
    right.set_title("check_claim per claim: seed and generated solutions")
    for axis in (left, right):
        axis.set(xscale="log", xlabel="ms (log scale)", ylabel="fraction of checks ≤ x")
        axis.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        axis.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        axis.xaxis.set_minor_formatter(NullFormatter())
        axis.legend(fontsize=8, loc="lower right")
        axis.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
