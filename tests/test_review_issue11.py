r"""Hostile review of issue 11/12 (declared notation, macros, placement by targets, components,
statements): one row per reproduction, with the verdict the mathematics asks for; every row
was wrong when it was found (a false pass, a false note, or a correct step losing its points).

Truths used: backprop step 3 (network, numerator layout): ∂z⁽²⁾_i/∂y⁽¹⁾_j = W⁽²⁾_ij,
∂E/∂W⁽²⁾ = (y⁽²⁾ - t) y⁽¹⁾ᵀ; step 1 (neuron): m = 1 is a constant, d varies.
review_marks: a = W x, so ∂a_1/∂x_2 = W_12.
"""

from __future__ import annotations

import re

import pytest

from verifier.api import check_text
from verifier.check.grading import Grader
from verifier.check.verdicts import Verdict

from .conftest import checker_of

P, W, F, E, N = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR, Verdict.NOTE
BACKPROP = "derivations/backprop.toml"
MARKS = "tests/data/review_marks.toml"
SKIPGRAM = "tests/data/skipgram.toml"
TEX = "\\documentclass{article}\n\\begin{document}\n\\def\\x{2}\n"  # \x renders as 2
DZ12 = r"\frac{\partial z^{(2)}_1}{\partial y^{(1)}_2}"  # = W^{(2)}_{12}
DW12 = r"\frac{\partial E}{\partial W^{(2)}_{12}}"  # = ((y - t) y^{(1)T})_{12}
DA12 = r"\frac{\partial a_1}{\partial x_2}"  # = W_{12}


ROWS = [
    # --- an entry of a transposed expression: `(A)^T_{ij}` renders as `A^T_{ij}` -------------
    # (W^T)_{12} = W_{21}; read as W_{12} it passed for ∂z_1/∂y_2 = W_{12} (false pass, fixed)
    (f"3: $${DZ12} = (W^{{(2)}})^T_{{12}}$$", "s.md", BACKPROP, F),
    (f"3: $${DZ12} = (W^{{(2)}})^T_{{21}}$$", "s.md", BACKPROP, P),
    (f"3: $${DZ12} = (W^{{(2)}})_{{12}}^T$$", "s.md", BACKPROP, F),  # the same, scripts swapped
    (f"3: $${DZ12} = {{W^{{(2)}}}}^T_{{12}}$$", "s.md", BACKPROP, F),
    (f"3: $${DZ12} = W^{{(2)T}}_{{12}}$$", "s.md", BACKPROP, F),  # already right before
    (f"3: $${DW12} = ((y - t) y^{{(1)T}})^T_{{12}}$$", "s.md", BACKPROP, F),
    (f"3: $${DW12} = ((y - t) y^{{(1)T}})^T_{{21}}$$", "s.md", BACKPROP, P),
    (f"3: $${DW12} = ((y - t) \\otimes y^{{(1)}})^T_{{12}}$$", "s.md", BACKPROP, F),
    # with i, j free: the transpose's entry ji is the entry ij (was an `error`, fixed)
    (
        r"3: $$\frac{\partial z^{(2)}_i}{\partial y^{(1)}_j} = (W^{(2)})^T_{ji}$$",
        "s.md",
        BACKPROP,
        P,
    ),
    # declared marks: `W^t_{12}` is (W^t)_{12} = W_{21}, as `W^T_{12}` and `W'_{12}` already were
    (f"1: $${DA12} = W^t_{{12}}$$", "s.md", MARKS, F),  # was a false pass (fixed)
    (f"1: $${DA12} = W^t_{{21}}$$", "s.md", MARKS, P),
    (f"1: $${DA12} = W^T_{{12}}$$", "s.md", MARKS, F),
    (f"1: $${DA12} = W'_{{12}}$$", "s.md", MARKS, F),
    (f"1: $${DA12} = (W)^t_{{12}}$$", "s.md", MARKS, F),
    (f"1: $${DA12} = (W)'_{{21}}$$", "s.md", MARKS, P),
    # --- .tex: each cell of an alignment is a group, so a `\def` in it ends at `&` or `\\` -----
    # renders "m = 2" (the cell's \def{1} is gone): a false pass before (fixed)
    (TEX + "1: \\begin{align}\\def\\x{1} m &= \\x \\end{align}\n", "s.tex", BACKPROP, F),
    (TEX + "1: \\begin{align}\\def\\x{1} \\\\ m &= \\x \\end{align}\n", "s.tex", BACKPROP, F),
    (
        TEX + "1: \\begin{align}m &= 1 \\def\\x{1} \\\\ m &= \\x \\end{align}\n",
        "s.tex",
        BACKPROP,
        F,
    ),
    (TEX + "1: $$\\begin{aligned}\\def\\x{1} m &= \\x\\end{aligned}$$\n", "s.tex", BACKPROP, F),
    (
        TEX
        + "1: \\begin{equation}\\begin{split}\\def\\x{1} m &= \\x \\end{split}\\end{equation}\n",
        "s.tex",
        BACKPROP,
        F,
    ),
    # what held: a \def in the same cell, or \gdef, reaches the use
    (TEX + "1: \\begin{align}\\def\\x{1} m = \\x \\end{align}\n", "s.tex", BACKPROP, P),
    (TEX + "1: \\begin{align}\\gdef\\x{1} \\\\ m &= \\x \\end{align}\n", "s.tex", BACKPROP, P),
    (TEX + "1: \\begin{equation}\\def\\x{1} m = \\x \\end{equation}\n", "s.tex", BACKPROP, P),
    # --- statements (`note`): only what can be true of the setting is a note -----------------
    # a dimension is a positive integer: `d = 0` and `d = 5/2` are false of any setting
    ("1: $$d = 0$$", "s.md", BACKPROP, F),
    ("1: $$d = 2.5$$", "s.md", BACKPROP, F),
    ("1: $$V = 10.5$$", "s.md", SKIPGRAM, F),
    # a chain of statements claims its members equal: t_j = 1 = 0 says 1 = 0 (both were notes)
    ("3: $$t_j = 1 = 0$$", "s.md", BACKPROP, F),
    ("1: $$d = 2 = 3$$", "s.md", BACKPROP, F),
    # what held: other values stay claims
    ("1: $$d = -1$$", "s.md", BACKPROP, F),
    ("3: $$t_j = 0.5$$", "s.md", BACKPROP, F),
    ("3: $$t_j^2 = 1$$", "s.md", BACKPROP, F),
    ("3: $$y_j = 1$$", "s.md", BACKPROP, F),
    ("1: $$m = 2$$", "s.md", BACKPROP, F),
    # --- readings that held -----------------------------------------------------------------
    (r"3: $$E = \sum_j - - t_j \log y_j$$", "s.md", BACKPROP, F),
    (r"3: $$E = \sum_j -t_j \log y_j$$", "s.md", BACKPROP, P),
    (r"3: $$E = -t \cdot (y \odot \log y)$$", "s.md", BACKPROP, F),
    (r"3: $$\frac{\partial E}{\partial z^{(2)}_i} = \log(y)_i$$", "s.md", BACKPROP, F),
    (r"3: $$\frac{\partial E}{\partial z^{(2)}_i} = (y - t)_1$$", "s.md", BACKPROP, F),
    (r"5: $$(\frac{1}{1+e^{-z}})' = g(z)$$", "s.md", BACKPROP, F),
    (r"5: $$((\frac{1}{1+e^{-z}})')' = g(z)(1-g(z))$$", "s.md", BACKPROP, F),
]


@pytest.mark.parametrize(("text", "path", "assignment", "expected"), ROWS)
def test_row(text, path, assignment, expected):
    claims = check_text(text, path, checker=checker_of(assignment)).claims
    worst = max(claims, key=lambda c: [N, P, W, Verdict.UNDECIDED, E, F].index(c.verdict))
    assert worst.verdict is expected, [(c.source, c.verdict, c.message) for c in claims]


# --- placement by targets (no labels): a correct line must not cost another step its points --
S1 = "$$\\frac{\\partial E}{\\partial t} = -\\log y$$\n\n$$\\frac{\\partial E}{\\partial x} = -t(1-y)W$$\n\n"
NEURON_DW = "$$\\frac{\\partial E}{\\partial W} = -t(1-y)x^T$$\n\n"  # true of the neuron (step 1)
S7 = (
    r"$$\frac{\partial E}{\partial W^{(1)}} = \text{diag}(y^{(1)} \odot (1 - y^{(1)}))"
    r" W^{(2)T} (y^{(2)} - t) x^T$$"
    "\n"
)

PLACED = [
    # labelled, every line true: steps 1 and 7 earn their points
    ("1:\n" + S1 + NEURON_DW + "7:\n" + S7, {"1": 1.0, "7": 1.0}),
    (S1 + S7, {"1": 1.0, "7": 1.0}),
    # the same without labels: the neuron's ∂E/∂W reads as step 7's target only through step
    # 7's lenient `W` = W^{(1)}: that states nothing, so it stays with step 1
    (S1 + NEURON_DW + S7, {"1": 1.0, "7": 1.0}),
    # one display stating targets of two steps is cut where the second chain starts
    (
        "$$\\frac{\\partial E}{\\partial t} = -\\log y \\quad "
        "\\frac{\\partial E}{\\partial z^{(2)}} = (y^{(2)} - t)^T$$\n\n"
        "$$\\frac{\\partial E}{\\partial x} = -t(1-y)W$$\n\n"
        "$$\\frac{\\partial E}{\\partial y^{(1)}} = (y^{(2)} - t)^T W^{(2)}$$\n",
        {"1": 1.0, "3": 1.0},
    ),
]


@pytest.mark.parametrize(("text", "points"), PLACED)
def test_placed(text, points):
    c = checker_of(BACKPROP)
    grade = Grader(c).grade(check_text(text, "s.md", checker=c))
    got = {s.id: s.points for s in grade.steps if s.id in points}
    assert got == points, [(s.id, s.status, s.note) for s in grade.steps]


def test_rows_are_minimal():
    """Each row is one formula (or one alignment) after its label: a reproduction, not a file."""
    for text, *_ in [r.values if hasattr(r, "values") else r for r in ROWS]:
        assert len(re.findall(r"\$\$|\\begin\{(?:align|equation)\}", text)) <= 2
