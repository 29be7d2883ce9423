"""`\\begin{cases}` as rows of conditional claims about one left side.

    f = \\begin{cases} a & i = j \\\\ b & \\text{otherwise} \\end{cases}

renders as two claims, each with its condition; it is read as the formula

    f = a \\quad \\text{if } i = j \\\\ f = b \\quad \\text{otherwise}

whose characters map back to where they are written (the repeated left side to the left side, a
row's `&` to the `\\quad \\text{if }` that replaces it), so that every error still points into the file.
Only a `cases` that ends its row and follows the row's first `=` is read this way; anything
else is left as written (and reported by the reader)."""

from __future__ import annotations

import re

from verifier.source.document import MathSpan
from verifier.source.origin import OriginBuilder, identity

_BEGIN = re.compile(r"\\begin\s*\{cases\}")
_END = re.compile(r"\\end\s*\{cases\}")
_ROW_END = re.compile(r"\\\\")


def read_cases(span: MathSpan) -> MathSpan:
    """``span`` with each `cases` environment written as rows of conditional claims."""
    if "cases" not in span.text:
        return span
    text, origin = span.text, span.origin or identity(span.start, len(span.text))
    out = OriginBuilder()
    pos = 0
    for begin in _BEGIN.finditer(text):
        if begin.start() < pos:
            continue
        found = _rows(text, begin)
        if found is None:
            continue
        row_start, equals, rows, end = found
        out.add(text[pos:equals], origin.at(pos), True)  # up to the `=` before the cases
        head = (row_start, _first_equals(text, row_start, equals))
        for k, (a, b, amp) in enumerate(rows):
            if k or head[1] != equals:  # a new row: `\\ f =`
                out.add(" \\\\ ", origin.at(a), False)
                out.add(text[head[0] : head[1]], origin.at(head[0]), True)
            out.add("= ", origin.at(equals), False)
            out.add(text[a:amp], origin.at(a), True)
            if amp < b:
                # the second column is a condition, even on values (`t_j = 1`)
                written = text[amp + 1 : b].lstrip()
                said = written.startswith("\\text") or written.startswith("\\mbox")
                out.add(" \\quad " if said else " \\quad \\text{if } ", origin.at(amp), False)
                out.add(text[amp + 1 : b], origin.at(amp + 1), True)
        pos = end
    if pos == 0:
        return span
    out.add(text[pos:], origin.at(pos), True)
    return MathSpan(
        out.text(),
        span.start,
        span.display,
        span.block,
        out.origin(span.start, origin.end),
        span.problem,
    )


def _rows(text: str, begin: re.Match) -> tuple[int, int, list[tuple[int, int, int]], int] | None:
    """(start of the row, the `=` before the cases, rows as (start, end, `&`), end of the
    environment); None when the cases is not the end of a row after an `=`."""
    end = _END.search(text, begin.end())
    if end is None or _BEGIN.search(text, begin.end(), end.start()):
        return None  # unclosed or nested: left as written
    before = text[: begin.start()].rstrip()
    if not before.endswith("="):
        return None
    equals = len(before) - 1
    row_start = _row_start(text, equals)
    after = text[end.end() :]
    following = _ROW_END.search(after)
    tail = after[: following.start()] if following else after
    if tail.strip(" \t\n.,;"):
        return None  # something follows the cases in its row
    rows = []
    body_start = begin.end()
    for part in _split(text, body_start, end.start()):
        a, b = part
        if not text[a:b].strip():
            continue
        amp = _top_level(text, a, b, "&")
        rows.append((a, b, b if amp is None else amp))
    return (row_start, equals, rows, end.end()) if rows else None


def _split(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The rows of a cases body: `\\\\` at brace depth 0."""
    out, start, depth, i = [], a, 0, a
    while i < b:
        ch = text[i]
        if ch == "\\" and text.startswith("\\\\", i) and depth == 0:
            out.append((start, i))
            i += 2
            start = i
            continue
        if ch == "\\":
            i += 2
            continue
        depth += ch == "{"
        depth -= ch == "}"
        i += 1
    out.append((start, b))
    return out


def _top_level(text: str, a: int, b: int, char: str) -> int | None:
    depth, i = 0, a
    while i < b:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == char and depth == 0:
            return i
        depth += ch == "{"
        depth -= ch == "}"
        i += 1
    return None


def _row_start(text: str, at: int) -> int:
    """Where the row holding position ``at`` starts: after the last `\\\\` before it."""
    k = text.rfind("\\\\", 0, at)
    return 0 if k < 0 else k + 2


def _first_equals(text: str, start: int, default: int) -> int:
    """The row's first `=` at brace depth 0 (its head ends there)."""
    found = _top_level(text, start, default + 1, "=")
    return default if found is None else found
