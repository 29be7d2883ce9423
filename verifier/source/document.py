"""A submission as steps of math spans, each span with its offset in the file."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MathSpan:
    text: str
    start: int  # offset of text[0] in the file


@dataclass
class Step:
    id: str | None
    offset: int
    spans: list[MathSpan] = field(default_factory=list)


@dataclass
class Document:
    path: str
    text: str
    steps: list[Step]

    def __post_init__(self) -> None:
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def location(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a file offset."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_text(self, line: int) -> str:
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return self.text[start:end]

    @property
    def spans(self) -> list[MathSpan]:
        return [s for step in self.steps for s in step.spans]


# Environments whose markers are layout only: blanked (same length) so offsets stay true.
_LAYOUT_ENVS = r"aligned|align\*?|equation\*?|gather\*?|gathered|split|multline\*?|eqnarray\*?"
_ENV_MARK = re.compile(r"\\(begin|end)\s*\{(" + _LAYOUT_ENVS + r")\}")


def blank_layout(text: str) -> str:
    return _ENV_MARK.sub(lambda m: " " * len(m.group(0)), text)


_DELIMS = (("$$", "$$"), ("\\[", "\\]"), ("$", "$"))
_ENV_OPEN = re.compile(r"\\begin\s*\{(equation\*?|align\*?|gather\*?|multline\*?|eqnarray\*?)\}")


def find_math(text: str, start: int, end: int) -> list[MathSpan]:
    """Math spans between ``start`` and ``end``: ``$…$``, ``$$…$$``, ``\\[…\\]`` and display
    environments. An unclosed delimiter ends the scan (its text is prose)."""
    spans: list[MathSpan] = []
    i = start
    while i < end:
        ch = text[i]
        if ch == "\\" and text.startswith("\\$", i):
            i += 2
            continue
        env = _ENV_OPEN.match(text, i) if ch == "\\" else None
        if env:
            close = text.find(f"\\end{{{env.group(1)}}}", env.end(), end)
            if close < 0:
                break
            spans.append(MathSpan(blank_layout(text[env.end() : close]), env.end()))
            i = close + len(env.group(1)) + 6
            continue
        for opener, closer in _DELIMS:
            if text.startswith(opener, i):
                body = i + len(opener)
                close = _find_closer(text, closer, body, end)
                if close < 0:
                    return spans
                spans.append(MathSpan(blank_layout(text[body:close]), body))
                i = close + len(closer)
                break
        else:
            i += 1
    return spans


def _find_closer(text: str, closer: str, i: int, end: int) -> int:
    while True:
        j = text.find(closer, i, end)
        if j < 0 or text[j - 1] != "\\" or closer.startswith("\\"):
            return j
        i = j + 1


# A step label at the start of a block: `1:`, `2.`, `**3:**`, `Step 4`, `## 5`.
STEP_LABEL = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*(?:(?:Step|Part|Question|Q)[ \t]*)?"
    r"(\d{1,3}[a-z]?)[ \t]*(?:[:.)]|\*\*|__|$|[ \t])",
    re.IGNORECASE,
)
