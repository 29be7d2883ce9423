"""LaTeX of model values in the model's own notation: `y^{(2)}_{3}`, `\\log y`, not SymPy's
internal names (`y2[3]`, `\\log{\\left(y \\right)}`). Used wherever a student or an instructor
reads a value: fail messages, `--truths`, the LaTeX report."""

from __future__ import annotations

import re

import sympy as sp
from sympy.printing.latex import LatexPrinter

from verifier.notation import Quantity, squared_base

_ENTRY = re.compile(r"^(?P<name>.+)\[(?P<index>\d+(?:,\d+)?)\]$")


def entry_label(q: Quantity, index: tuple[int, ...]) -> str:
    """The entry of a quantity as a course writes it, 1-based: `W^{(1)}_{1,2}`, `y_{3}`; a
    label that already has a subscript is bracketed first (`(W_1)_{1,2}`, `(v_c)_{3}`)."""
    label = q.label
    if not index:
        return label
    if q.kind == "family":  # `E_j` at j = 2 is `E_{2}`
        label = label.split("_")[0]
    elif "_" in label:
        label = f"({label})"
    return f"{label}_{{{','.join(str(i) for i in index)}}}"


def names_of(symbols: dict[str, sp.ImmutableMatrix], quantities: dict[str, Quantity]) -> dict:
    """Each SymPy symbol of an instance → its LaTeX in the model's notation. A name whose
    square the model names too (a submission's σ beside the variance σ²) is bracketed, so
    that its powers (`(\\sigma)^{2}`) are not read as the other name."""
    names: dict[sp.Symbol, str] = {}
    squares = {squared_base(k) for k in quantities}
    for key, matrix in symbols.items():
        q = quantities.get(key)
        if q is None:
            continue
        for s in matrix:
            m = _ENTRY.match(s.name)
            index = tuple(int(i) for i in m.group("index").split(",")) if m else ()
            names[s] = entry_label(q, index)
            if key in squares and not index:
                names[s] = f"({names[s]})"
    return names


class _Printer(LatexPrinter):
    """SymPy's printer with a reader's conventions: `\\log y` for a plain argument."""

    def _print_log(self, expr, exp=None):
        arg = expr.args[0]
        inner = self._print(arg)
        text = rf"\log {inner}" if arg.is_Symbol else rf"\log\left({inner}\right)"
        return rf"\left({text}\right)^{{{exp}}}" if exp is not None else text


def latex(value, names: dict[sp.Symbol, str]) -> str:
    """LaTeX of a SymPy value with the instance's symbols named as the model writes them."""
    return _Printer({"symbol_names": names}).doprint(value)
