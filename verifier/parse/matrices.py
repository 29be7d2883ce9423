"""Matrix literals in the typed pass: `\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}` (and
`bmatrix`, `Bmatrix`, `matrix`, `smallmatrix`), with entries written out or elided:

    \\begin{pmatrix} y_1 \\\\ \\vdots \\\\ y_n \\end{pmatrix}          the column of the y_k
    \\begin{bmatrix} x_1 & \\cdots & x_d \\end{bmatrix}                a row
    \\begin{bmatrix} W_{11} & \\cdots & W_{1d} \\\\ \\vdots & \\ddots & \\vdots \\\\
                     W_{h1} & \\cdots & W_{hd} \\end{bmatrix}           a matrix, from its corners

Entries are scalars. An elided pattern is read as :mod:`verifier.parse.ellipsis` reads a sum's,
and must run from index 1 to a dimension (or a number) that its entries index exactly.
"""

from __future__ import annotations

from verifier.errors import NotationError
from verifier.parse import tree as t
from verifier.parse import typed as ty
from verifier.parse.ellipsis import is_ellipsis, progression, same
from verifier.parse.sums import ANY_RANGE

Cell = t.RNode | None


class MatrixReading:
    """The Resolver's methods for matrix literals (a mixin: it uses the Resolver's state)."""

    def _matrix(self, node: t.RMatrix) -> ty.Node:
        width = max((len(row) for row in node.rows), default=0)
        if width == 0:
            raise NotationError("an empty matrix", node.pos)
        rows = [(*row, *(None,) * (width - len(row))) for row in node.rows]
        if not any(cell is not None and is_ellipsis(cell) for row in rows for cell in row):
            return self._written(rows, node.pos)
        if width == 1:
            column = [row[0] for row in rows]
            return self._tabulated(self._line(column, node.pos), None, node.pos)
        if len(rows) == 1:
            return self._tabulated(None, self._line(list(rows[0]), node.pos), node.pos)
        return self._corners(rows, node.pos)

    def _written(self, rows: list[tuple[Cell, ...]], pos: int) -> ty.Node:
        entries = []
        for row in rows:
            for cell in row:
                if cell is None:
                    raise NotationError("a matrix with an empty cell is not read", pos)
                entries.append(self._entry_of(cell))
        return ty.Matrix(pos, (len(rows), len(rows[0])), tuple(entries))

    def _entry_of(self, cell: t.RNode) -> ty.Node:
        value = self.resolve(cell)
        if not ty.is_scalar(value.shape):
            raise NotationError(
                f"a matrix's entries are scalars; this one is a {ty.show_shape(value.shape)}",
                cell.pos,
            )
        return value

    def _line(self, cells: list[Cell], pos: int, index: str = ""):
        """The progression of one row or one column: written cells, one run of dots."""
        while cells and cells[-1] is None:  # a row shorter than the longest one
            cells = cells[:-1]
        marks = [k for k, cell in enumerate(cells) if cell is not None and is_ellipsis(cell)]
        if None in cells or len(marks) != 1 or marks[0] in (0, len(cells) - 1):
            raise NotationError(
                "dots in a matrix stand between written entries, once per row or column "
                "(`y_1 \\\\ \\vdots \\\\ y_n`)",
                pos,
            )
        k = marks[0]
        return progression(
            cells[0], cells[-1], cells[1:k], cells[k + 1 : -1], self._taken(), pos, index
        )

    def _corners(self, rows: list[tuple[Cell, ...]], pos: int) -> ty.Node:
        """A matrix with dots in both directions: its first and last rows are written (each
        with its dots), the rows between are dots only; the pattern comes from the corners."""
        if any(cell is not None and not is_ellipsis(cell) for row in rows[1:-1] for cell in row):
            raise NotationError(
                "in a matrix with dots both ways, write the first and last rows and only dots "
                "between them",
                pos,
            )
        top = self._line(list(rows[0]), pos)
        bottom = self._line(list(rows[-1]), pos, top.index)
        if not same(top.hi, bottom.hi):
            raise NotationError("the first and last rows of the matrix end differently", pos)
        down = progression(top.template, bottom.template, [], [], self._taken(top.index), pos)
        return self._tabulated(down, top, pos)

    def _taken(self, *more: str) -> frozenset[str]:
        return frozenset(self.table.known_names()) | frozenset(self.table.dims) | set(more)

    def _tabulated(self, down, across, pos: int) -> ty.Node:
        """The Tabulate node of a row pattern ``down`` and a column pattern ``across``."""
        body_raw = (down or across).template
        self._ranges.append({})
        body = self._entry_of(body_raw)
        inner = self._ranges.pop()
        rows = self._extent(down, inner, pos) if down else 1
        cols = self._extent(across, inner, pos) if across else 1
        for name, dim in inner.items():
            self._bind(name, dim, "the matrix", pos)
        return ty.Tabulate(
            pos, (rows, cols), down.index if down else "", across.index if across else "", body
        )

    def _extent(self, run, inner: dict[str, ty.Dim], pos: int) -> ty.Dim:
        """How far a pattern's index runs: from 1 to what its entries index."""
        hi = self.resolve(run.hi)
        size: ty.Dim | None = None
        if isinstance(hi, ty.Num) and hi.value.denominator == 1:
            size = int(hi.value)
        elif isinstance(hi, ty.DimValue):
            fixed = self.table.dims.get(hi.name)
            size = fixed if fixed is not None else hi.name
        used = inner.pop(run.index, None)
        if size is None or run.lo != 1:
            raise NotationError(
                "the entries of a matrix run from index 1 to a dimension (`y_1 … y_n`)", pos
            )
        if used is None or used == ANY_RANGE:
            raise NotationError("the dots of a matrix must run over an index of its entries", pos)
        if used != size:
            raise NotationError(f"the matrix runs 1..{size} but its entries index {used}", pos)
        return size


# The index a slice runs over: no student can write it, so it never meets one of theirs.
_ALONG = "#along"


def slice_of(var: ty.Var, side: str, index: str | int, pos: int) -> ty.Node:
    """Column ``index`` of a matrix, or the vector whose transpose is its row ``index``
    (`u_w^T` is row w of U): a column vector either way, as vectors are."""
    rows, cols = var.shape
    if side == "column":
        entry = ty.Entry(pos, ty.SCALAR, var, (_ALONG, index))
        return ty.Tabulate(pos, (rows, 1), _ALONG, "", entry)
    entry = ty.Entry(pos, ty.SCALAR, var, (index, _ALONG))
    return ty.Tabulate(pos, (cols, 1), _ALONG, "", entry)
