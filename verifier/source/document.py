"""A submission as steps of math spans, each span with its offset in the file."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from verifier.source.notebook import CellMap
from verifier.source.origin import Origin


@dataclass(frozen=True)
class MathSpan:
    text: str
    start: int  # offset of text[0] in the file
    display: bool = False  # `$$…$$`, `\[…\]`, a display environment or a ```math fence
    block: int = 0  # which labelled block of its step it sits in (chains never cross blocks)
    origin: Origin | None = None  # where each character comes from, once macros are expanded
    problem: tuple[int, str] | None = None  # (file offset, why): it cannot be read as it renders

    def at(self, i: int) -> int:
        """File offset of ``text[i]``."""
        return self.start + i if self.origin is None else self.origin.at(i)

    @property
    def end(self) -> int:
        """File offset just past what ``text`` was read from."""
        return self.start + len(self.text) if self.origin is None else self.origin.end


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
    cells: CellMap | None = None  # a notebook's: from the joined cells to each cell and the file

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


# Environments whose markers are layout only inside math: blanked (same length) so offsets stay
# true. The column argument of `alignedat{2}` is layout too. (`array` is no layout: its columns
# are cells of a matrix, which is not read.)
_LAYOUT_ENVS = (
    r"aligned|alignedat|align\*?|alignat\*?|equation\*?|gather\*?|gathered|split|multline\*?"
    r"|multlined|eqnarray\*?|flalign\*?|subequations"
)
_ENV_MARK = re.compile(r"\\(begin|end)\s*\{(" + _LAYOUT_ENVS + r")\}")
_ENV_ARGUMENT = re.compile(r"\s*\{[^{}]*\}")
_TAKES_ARGUMENT = {"alignedat", "alignat", "alignat*"}


def blank_layout(text: str) -> str:
    out, pos = [], 0
    for m in _ENV_MARK.finditer(text):
        if m.start() < pos:
            continue
        end = m.end()
        if m.group(1) == "begin" and m.group(2) in _TAKES_ARGUMENT:
            arg = _ENV_ARGUMENT.match(text, end)
            end = arg.end() if arg else end
        out += [text[pos : m.start()], " " * (end - m.start())]
        pos = end
    return "".join([*out, text[pos:]])


def escaped(text: str, i: int) -> bool:
    """Whether ``text[i]`` is escaped: an odd run of backslashes before it (`\\\\$` is not)."""
    run = 0
    while i - run - 1 >= 0 and text[i - run - 1] == "\\":
        run += 1
    return run % 2 == 1


def blank(text: str, start: int, end: int) -> str:
    """``text`` with ``[start, end)`` replaced by spaces (newlines kept): hidden, offsets true."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


# A step label at the start of a block, as people write them: `1:`, `2.`, `**3:**`, `Step 4`,
# `## 5`, `Problem 2`, `Exercise 2`, `Task 2`, `Question 2`, `Q2`, `2(a)`, `(b)`, `Part (a)`.
STEP_LABEL = re.compile(
    r"^[\ufeff \t]*(?:#{1,6}[ \t]*)?(?:\\noindent\s*)?(?:\\textbf\s*\{\s*)?(?:\*\*|__)?[ \t]*"
    r"(?:(?:Step|Part|Question|Problem|Exercise|Ex\.?|Task|Q)[ \t]*)?"
    r"(?:(\d{1,3})[ \t]*(?:\(([a-z])\)|([a-z]))?|\(([a-z])\))"
    r"[ \t]*(?:[:.)}]|\*\*|__|$|[ \t])",
    re.IGNORECASE,
)
_WORDED = re.compile(r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*Part[ \t]+([a-z])\b", re.I)


def label_of(line: str) -> tuple[str, int] | None:
    """The step id a line starts with (`2(a)` and `Problem 2a` are both `2a`; `(b)` and
    `Part b` are `b`) and where the label ends; None when it starts with none."""
    m = STEP_LABEL.match(line)
    if m:
        number, letter = m.group(1) or "", m.group(2) or m.group(3) or m.group(4) or ""
        return (number + letter).lower(), m.end()
    m = _WORDED.match(line)
    return (m.group(1).lower(), m.end()) if m else None


def canonical_label(text: str) -> str:
    """A label as an assignment or a submission writes it, in the form steps are matched by."""
    found = label_of(text.strip())
    return found[0] if found else text.strip().lower()


def number_of(label: str | None) -> int | None:
    m = re.match(r"\d+", label or "")
    return int(m.group(0)) if m else None


def _in_context(labels: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """`(a)` after `Problem 2` is `2a`: a letter alone belongs to the number before it."""
    out, number = [], ""
    for offset, label in labels:
        if label.isalpha() and number:
            label = number + label
        else:
            number = re.match(r"\d*", label).group(0) or number
        out.append((offset, label))
    return out


def assemble(path: str, text: str, labels: list[tuple[int, str]], spans: list[MathSpan]):
    """Steps from labels (offset, id) and spans: each span belongs to the last label before it.

    A label that repeats (`3:` twice) is one step: every block of it counts, in order, and a
    chain never continues from one block into the next."""
    ordered = _in_context(sorted(labels))
    starts = [offset for offset, _ in ordered]
    steps: dict[str | None, Step] = {}
    for span in sorted(spans, key=lambda s: s.start):
        k = bisect.bisect_right(starts, span.start) - 1
        label = ordered[k][1] if k >= 0 else None
        step = steps.setdefault(label, Step(label, ordered[k][0] if k >= 0 else -1))
        step.spans.append(
            MathSpan(span.text, span.start, span.display, k + 1, span.origin, span.problem)
        )
    return Document(path, text, list(steps.values()))
