"""Where each character of an expanded formula comes from in the file.

A formula whose macros were expanded is no slice of the file: its characters are runs copied
from the file (the offset advances with the character) or written by a macro (every character
of the run sits at the invocation). Errors found in such a text are located through this map, so
that every reported line and column still points into the original file.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    """Runs of a text: run k starts at text position ``starts[k]`` (the first at 0), comes from
    file offset ``files[k]``, and advances with the text when ``copied[k]`` (else every
    character of it is at ``files[k]``). ``end`` is the file offset just past the text's source."""

    starts: tuple[int, ...]
    files: tuple[int, ...]
    copied: tuple[bool, ...]
    end: int

    def at(self, i: int) -> int:
        """File offset of text position ``i`` (past the text: as its last run continues)."""
        k = max(bisect.bisect_right(self.starts, i) - 1, 0)
        return self.files[k] + (max(i - self.starts[k], 0) if self.copied[k] else 0)

    def slice(self, a: int, b: int) -> Origin:
        """The map of ``text[a:b]``, positions counted from ``a``."""
        k = max(bisect.bisect_right(self.starts, a) - 1, 0)
        starts, files, copied = [0], [self.at(a)], [self.copied[k]]
        for j in range(k + 1, len(self.starts)):
            if self.starts[j] >= b:
                break
            starts.append(self.starts[j] - a)
            files.append(self.files[j])
            copied.append(self.copied[j])
        return Origin(tuple(starts), tuple(files), tuple(copied), self.at(b))

    def then(self, length: int, gap: int, other: Origin) -> Origin:
        """This map (of a text ``length`` long), ``gap`` characters copied from the file right
        after ``end``, then ``other``: the map of the texts joined."""
        starts = [*self.starts, length]
        files = [*self.files, self.end]
        copied = [*self.copied, True]
        shift = length + gap
        starts += [s + shift for s in other.starts]
        return Origin(tuple(starts), (*files, *other.files), (*copied, *other.copied), other.end)


def identity(start: int, length: int) -> Origin:
    """The map of a text copied from the file at ``start`` as it is."""
    return Origin((0,), (start,), (True,), start + length)


class OriginBuilder:
    """Collects an expanded text piece by piece, with the map of where each piece comes from."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.starts: list[int] = []
        self.files: list[int] = []
        self.copied: list[bool] = []

    def add(self, text: str, at: int, copied: bool) -> None:
        if not text:
            return
        if self.starts and self.copied[-1] == copied:
            last = self.files[-1] + (self.length - self.starts[-1] if copied else 0)
            if last == at:  # the same run goes on
                self.parts.append(text)
                self.length += len(text)
                return
        self.starts.append(self.length)
        self.files.append(at)
        self.copied.append(copied)
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)

    def origin(self, start: int, end: int) -> Origin:
        """The map; an empty text sits at ``start``, and its source ends at ``end``."""
        if not self.starts:
            return Origin((0,), (start,), (False,), end)
        return Origin(tuple(self.starts), tuple(self.files), tuple(self.copied), end)
