"""Generates a class of submissions for the backprop assignment, and the CSV they must grade to.

Each step of each submission is one variant from a table; a variant's status is worked out by
hand (the comment beside it says why), so the expected grade comes from the math, not from the
tool. Labels and notation vary; some steps are missing, some submissions unreadable.

    python -m tests.classgen OUTDIR [N] [SEED]
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

from verifier import __version__
from verifier.models.assignment import load_assignment

D = r"\frac{\partial E}"
DT, DX = rf"{D}{{\partial t}}", rf"{D}{{\partial x}}"
DZ2, DY1 = rf"{D}{{\partial z^{{(2)}}}}", rf"{D}{{\partial y^{{(1)}}}}"
DW2, DZ1, DW1 = (
    rf"{D}{{\partial W^{{(2)}}}}",
    rf"{D}{{\partial z^{{(1)}}}}",
    rf"{D}{{\partial W^{{(1)}}}}",
)
DG = r"\frac{\partial g(z)}{\partial z}"
DJ = r"\frac{\partial y^{(1)}}{\partial z^{(1)}}"
DIAG = r"\text{diag}(y^{(1)} \odot (1 - y^{(1)}))"
DELTA = r"(W^{(2)T} (y^{(2)} - t) \odot y^{(1)} \odot (1 - y^{(1)}))"

# step -> [(status, [formulas])]
VARIANTS: dict[str, list[tuple[str, list[str]]]] = {
    "1": [
        ("pass", [rf"{DT} = -\log G(Wx)", rf"{DX} = -t(1 - G(Wx)) W"]),
        ("pass", [rf"{DT} = \log(1+e^{{-Wx}})", rf"{DX} = -t \left(1 - \sigma(Wx)\right) W"]),
        ("fail", [rf"{DT} = \log G(Wx)", rf"{DX} = -t(1 - G(Wx)) W"]),  # sign of ∂E/∂t
        ("warn", [rf"{DT} = -\log y", rf"{DX} = -t(1 - y) W^T"]),  # a column: the other layout
        # ∂E/∂x only as the chain rule with a derivative left in it
        (
            "incomplete",
            [rf"{DT} = -\log y", rf"{DX} = -\frac{{t}}{{y}} \frac{{\partial G(Wx)}}{{\partial x}}"],
        ),
        ("error", [rf"{DT} = -\frca{{1}}{{y}}"]),  # unknown command
    ],
    "2": [
        (
            "pass",
            [
                r"\frac{\partial E}{\partial z_i^{(2)}} = \sum_{j=1}^n \frac{\partial E_j}{\partial y_j^{(2)}} \frac{\partial y_j^{(2)}}{\partial z_i^{(2)}}"
            ],
        ),
        # the Jacobian factor is dropped: Σ_j -t_j/y_j is not ∂E/∂z_i
        (
            "fail",
            [
                r"\frac{\partial E}{\partial z_i^{(2)}} = \sum_{j=1}^n \frac{\partial E_j}{\partial y_j^{(2)}}"
            ],
        ),
    ],
    "3": [
        ("pass", [rf"{DZ2} = (y^{{(2)}} - t)^T", rf"{DY1} = (y^{{(2)}} - t)^T W^{{(2)}}"]),
        ("warn", [rf"{DZ2} = y^{{(2)}} - t", rf"{DY1} = W^{{(2)T}}(y^{{(2)}} - t)"]),  # columns
        ("fail", [rf"{DZ2} = (y^{{(2)}} + t)^T", rf"{DY1} = (y^{{(2)}} - t)^T W^{{(2)}}"]),
    ],
    "4": [
        ("pass", [rf"{DW2} = (y^{{(2)}} - t) y^{{(1)T}}"]),
        ("pass", [rf"{DW2} = (y^{{(2)}} - t)(y^{{(1)}})^\top"]),
        ("warn", [rf"{DW2} = y^{{(1)}} (y^{{(2)}} - t)^T"]),  # the transpose of the gradient
        ("fail", [rf"{DW2} = (y^{{(2)}} - t) x^T"]),  # n×d, not n×h
    ],
    "5": [
        ("pass", [rf"{DG} = g(z)(1 - g(z))", rf"{DJ} = {DIAG}"]),
        ("pass", [rf"{DG} = \frac{{e^{{-z}}}}{{(1+e^{{-z}})^2}}", rf"{DJ} = {DIAG}"]),
        ("fail", [rf"{DG} = \frac{{e^{{z}}}}{{(1+e^{{-z}})^2}}", rf"{DJ} = {DIAG}"]),  # e^z
    ],
    "6": [
        ("pass", [rf"{DZ1} = (y^{{(2)}} - t)^T W^{{(2)}} {DIAG}"]),
        ("fail", [rf"{DZ1} = (y^{{(2)}} - t)^T W^{{(2)}}"]),  # the activation's Jacobian dropped
    ],
    "7": [
        ("pass", [rf"{DW1} = {DELTA} x^T"]),
        (
            "incomplete",
            [rf"{DW1} = \frac{{\partial E}}{{\partial z^{{(1)}}}}^T x^T"],
        ),  # derivative left
        ("fail", [rf"{DW1} = {DELTA} y^{{(1)T}}"]),  # h×h, not h×d
    ],
}

LABELS = ["{n}:", "**{n}:**", "Step {n}", "## {n}", "### Step {n}: the next part"]
ORDER = ["1", "2", "3", "4", "5", "6", "7"]


def submission(rng: random.Random) -> tuple[str, dict[str, str]]:
    """Markdown text and the status of each step (``missing`` when left out)."""
    parts, status = ["# Homework: backpropagation", ""], {}
    for step in ORDER:
        if rng.random() < 0.1:
            status[step] = "missing"
            continue
        kind, formulas = rng.choice(VARIANTS[step])
        status[step] = kind
        parts += [rng.choice(LABELS).format(n=step), "", "Some prose about this step.", ""]
        for formula in formulas:
            parts += [f"$${formula}$$" if rng.random() < 0.7 else f"We get ${formula}$.", ""]
    return "\n".join(parts), status


def expected_row(path: str, status: dict[str, str], assignment) -> list[str]:
    earned = {"pass": 1, "warn": 1}
    cells, total = [], 0
    for step in ORDER:
        points = earned.get(status[step], 0)
        total += points
        cells += [status[step], str(points)]
    flagged = "no"
    return [path, "graded", *cells, str(total), str(len(ORDER)), flagged, __version__,
            assignment.name, assignment.sha256, "0"]  # fmt: skip


def generate(out: Path, n: int = 25, seed: int = 1) -> list[list[str]]:
    """Write ``n`` submissions (two of them unreadable) and return the expected CSV rows."""
    assignment = load_assignment("backprop")
    rng = random.Random(seed)
    rows = []
    out.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        path = out / f"student_{k:03d}.md"
        if k in (7, 19):  # unreadable: binary junk, an empty file
            path.write_bytes(b"\x00\x01junk" if k == 7 else b"")
            steps = [c for _ in ORDER for c in ("unreadable", "0")]
            rows.append([str(path), "unreadable", *steps, "0", "7", "no", __version__,
                         assignment.name, assignment.sha256, "0"])  # fmt: skip
            continue
        text, status = submission(rng)
        path.write_text(text, encoding="utf-8")
        rows.append(expected_row(str(path), status, assignment))
    return rows


if __name__ == "__main__":
    target = Path(sys.argv[1])
    rows = generate(target, int(sys.argv[2]) if len(sys.argv) > 2 else 25)
    with (target / "expected.csv").open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)
