"""Jupyter notebooks: which Markdown cells are read, and where each of their characters is.

A notebook is JSON. Its Markdown cells are read (each as Jupyter renders it) into one text, the
cells joined by a blank line; a reported place in that text is mapped back to the cell (its
1-based position among all the notebook's cells, and the line in it) and to the line and column
of the ``.ipynb`` file holding that character of the cell's source, escapes counted as written.

Which cells give math: with a template (the notebook as distributed), a cell identical to one
of the template's cells is a prompt and is not read; when the submission has Otter-Grader's
``<!-- BEGIN QUESTION -->``/``<!-- END QUESTION -->`` markers, only the cells between them are
read; when it has nbgrader's solution cells (metadata ``nbgrader.solution``), only those. A
cell not read for math still gives its step labels (a prompt's `**1.**` heads the answer after
it) and its macro definitions.
"""

from __future__ import annotations

import bisect
import json
import re
from array import array
from dataclasses import dataclass, field

_SPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:Infinity|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|true|false|null|NaN")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_BEGIN = re.compile(r"<!--\s*BEGIN\s+QUESTION\s*-->", re.IGNORECASE)
_END = re.compile(r"<!--\s*END\s+QUESTION\s*-->", re.IGNORECASE)


@dataclass(frozen=True)
class Piece:
    """One JSON string of a cell's source, as written in the file (one line of the file: a JSON
    string holds no raw line break)."""

    line: int  # file line of its first character (after the opening quote)
    column: int  # and its column
    raw: str  # the string as written, escapes and all


@dataclass(frozen=True)
class Cell:
    """A Markdown cell of a notebook."""

    number: int  # 1-based among all the notebook's cells (code cells too)
    text: str
    solution: bool = False  # nbgrader's `solution: true`
    pieces: tuple[Piece, ...] = ()


@dataclass(frozen=True)
class Place:
    line: int  # in the .ipynb file
    column: int
    cell: int
    line_in_cell: int


@dataclass
class CellMap:
    """From a line and column of the joined cells to the cell and to the .ipynb file."""

    numbers: tuple[int, ...]
    first_lines: tuple[int, ...]  # line of the joined text where each cell begins
    pieces: tuple[tuple[Piece, ...], ...]
    _columns: dict[int, tuple[list[int], array, array]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, cells: list[Cell]) -> CellMap:
        firsts, line = [], 1
        for cell in cells:
            firsts.append(line)
            line += _normal(cell.text).count("\n") + 2  # a blank line joins the cells
        return cls(tuple(c.number for c in cells), tuple(firsts), tuple(c.pieces for c in cells))

    def place(self, line: int, column: int) -> Place | None:
        """Where a place of the joined text is; None before the first cell or where the file
        does not say (a cell given as text, not read from a file)."""
        k = bisect.bisect_right(self.first_lines, line) - 1
        if k < 0 or line < 1:
            return None
        in_cell = line - self.first_lines[k] + 1
        at = self._file(k, in_cell, column)
        if at is None:
            return None
        return Place(at[0], at[1], self.numbers[k], in_cell)

    def _file(self, k: int, line: int, column: int) -> tuple[int, int] | None:
        if not self.pieces[k]:
            return None
        if k not in self._columns:
            self._columns[k] = _positions(self.pieces[k])
        starts, which, index = self._columns[k]
        if line > len(starts):
            return None
        i = min(starts[line - 1] + max(column - 1, 0), len(which) - 1)
        if i < 0:
            return None
        piece = self.pieces[k][which[i]]
        return piece.line, piece.column + index[i]


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decoded(raw: str):
    """(character, index in ``raw``) of a JSON string's content, as ``json.loads`` reads it."""
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch != "\\":
            yield ch, i
            i += 1
        elif raw[i + 1] != "u":
            yield _ESCAPES[raw[i + 1]], i
            i += 2
        else:
            code = int(raw[i + 2 : i + 6], 16)
            low = raw[i + 8 : i + 12] if raw.startswith("\\u", i + 6) else ""
            if 0xD800 <= code < 0xDC00 and low and 0xDC00 <= int(low, 16) < 0xE000:
                yield chr(0x10000 + ((code - 0xD800) << 10) + int(low, 16) - 0xDC00), i
                i += 12
            else:
                yield chr(code), i
                i += 6


def _positions(pieces: tuple[Piece, ...]) -> tuple[list[int], array, array]:
    """Per character of the cell's text (line ends made `\\n` as the reader makes them): which
    piece and where in it; and where each line of the cell starts."""
    which, index, chars = array("i"), array("i"), []
    after_cr = False
    for n, piece in enumerate(pieces):
        for ch, i in _decoded(piece.raw):
            if ch == "\n" and after_cr:  # CRLF is read as one `\n` (at the CR)
                after_cr = False
                continue
            after_cr = ch == "\r"
            chars.append("\n" if after_cr else ch)
            which.append(n)
            index.append(i)
    starts = [0] + [i + 1 for i, ch in enumerate(chars) if ch == "\n"]
    return starts, which, index


def cells_of(data: dict, text: str | None) -> list[Cell]:
    """The Markdown cells of a notebook read by ``json.loads``; with its JSON ``text``, where
    each cell's source is in the file. ``data["cells"]`` is a list of objects (checked)."""
    pieces = source_pieces(text) if text is not None else {}
    out = []
    for n, cell in enumerate(data["cells"]):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        found = tuple(pieces.get(n, ()))
        if "".join(ch for p in found for ch, _ in _decoded(p.raw)) != source:
            found = ()  # never a wrong place: without one, the cell is reported without a file line
        out.append(Cell(n + 1, source, _solution(cell), found))
    return out


def _solution(cell: dict) -> bool:
    meta = cell.get("metadata")
    grader = meta.get("nbgrader") if isinstance(meta, dict) else None
    return isinstance(grader, dict) and grader.get("solution") is True


def source_pieces(text: str) -> dict[int, list[Piece]]:
    """Per cell index, the JSON strings of its ``source`` as they are in ``text`` (valid JSON:
    it has been read by ``json.loads``, whose choice among repeated keys, the last, is kept)."""
    found: dict[int, list[Piece]] = {}
    stack: list[list] = []  # [is_object, key or index, expecting a key]
    line, line_start, pos = 1, 0, 0
    while True:
        end = _SPACE.match(text, pos).end()
        newline = text.rfind("\n", pos, end)
        if newline >= 0:  # only whitespace between tokens holds line breaks
            line += text.count("\n", pos, end)
            line_start = newline + 1
        pos = end
        if pos >= len(text):
            return found
        ch = text[pos]
        if ch in "{[":
            stack.append([ch == "{", None if ch == "{" else 0, ch == "{"])
            pos += 1
        elif ch in "}]":
            stack.pop()
            pos += 1
        elif ch == ",":
            top = stack[-1]
            top[2] = top[0]
            if not top[0]:
                top[1] += 1
            pos += 1
        elif ch == ":":
            stack[-1][2] = False
            pos += 1
        elif ch == '"':
            value, after = json.decoder.scanstring(text, pos + 1)
            if stack and stack[-1][0] and stack[-1][2]:
                stack[-1][1] = value
                _reset(found, stack)
            else:
                _record(
                    found, stack, Piece(line, pos + 1 - line_start + 1, text[pos + 1 : after - 1])
                )
            pos = after
        else:
            pos = _SCALAR.match(text, pos).end()


def _path(stack: list[list]) -> tuple:
    return tuple(frame[1] for frame in stack)


def _reset(found: dict[int, list[Piece]], stack: list[list]) -> None:
    """A repeated key replaces what came before it (as ``json.loads`` keeps the last)."""
    path = _path(stack)
    if path == ("cells",):
        found.clear()
    elif len(path) == 3 and path[0] == "cells" and path[2] == "source":
        found.pop(path[1], None)


def _record(found: dict[int, list[Piece]], stack: list[list], piece: Piece) -> None:
    path = _path(stack)
    if len(path) in (3, 4) and path[0] == "cells" and path[2] == "source":
        found.setdefault(path[1], []).append(piece)


def read_math(cells: list[Cell], template: frozenset[str] = frozenset()) -> list[bool]:
    """Which cells give math: not the template's own cells; only Otter's question regions, or
    only nbgrader's solution cells, when the submission has them."""
    keep = [_normal(c.text) not in template for c in cells]
    regions = _regions(cells)
    if regions is not None:
        keep = [k and r for k, r in zip(keep, regions, strict=True)]
    elif any(c.solution for c in cells):
        keep = [k and c.solution for k, c in zip(keep, cells, strict=True)]
    return keep


def _regions(cells: list[Cell]) -> list[bool] | None:
    """Cells from one holding `<!-- BEGIN QUESTION -->` to one holding `<!-- END QUESTION -->`
    (None: no marker)."""
    inside, out, seen = False, [], False
    for cell in cells:
        begins, ends = _BEGIN.search(cell.text), _END.search(cell.text)
        seen = seen or bool(begins or ends)
        if begins and (not ends or ends.start() < begins.start()):
            inside = True
            out.append(True)
            continue
        out.append(inside or bool(begins))
        if ends:
            inside = False
    return out if seen else None


def template_cells(path: str, text: str) -> frozenset[str]:
    """The Markdown cells' texts of the distributed notebook (its JSON ``text``)."""
    data = json.loads(text)
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        raise ValueError("not a Jupyter notebook (no list of cells)")
    out = set()
    for cell in cells:
        source = cell.get("source", "")
        if cell.get("cell_type") == "markdown":
            out.add(_normal("".join(source) if isinstance(source, list) else str(source)))
    return frozenset(out)
