"""Markdown submissions, read as GitHub (``.md``) or Jupyter (notebook cells) render them.

Block structure comes from markdown-it-py; math is found in what renders as text:

- GitHub: ``$…$``, ``$$…$$``, `` $`…`$ `` and ```` ```math ```` fences;
- Jupyter (MathJax): the same dollars, ``\\(…\\)``, ``\\[…\\]`` and display environments
  (``\\begin{align}…``) written straight into the cell.

What does not render as math is never read: code spans and code blocks, HTML comments (block or
inline), raw HTML blocks and ``<code>``/``<pre>`` elements, backslash-escaped dollars. Inline math
never runs past a blank line (the end of a paragraph).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from markdown_it import MarkdownIt

from verifier.source.document import (
    Document,
    MathSpan,
    assemble,
    blank_layout,
    escaped,
    label_of,
    number_of,
)
from verifier.source.macros import expand_markdown

GITHUB, JUPYTER = "github", "jupyter"
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
_HTML_CODE = re.compile(r"<(code|pre|kbd|samp|script|style)\b[^>]*>", re.IGNORECASE)
# CommonMark's raw HTML: open and closing tags (attribute names and values as it allows them),
# processing instructions, declarations and CDATA. Anything else with a `<` is text.
_ATTRIBUTE = r"""\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
_HTML_TAG = re.compile(
    r"<[A-Za-z][A-Za-z0-9-]*(?:" + _ATTRIBUTE + r")*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>"
    r"|<\?.*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[.*?\]\]>",
    re.DOTALL,
)
# A link's destination and optional title after `](`, as CommonMark allows them.
_LINK_TAIL = re.compile(
    r"\]\(\s*(?:<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)"""
)
_IMAGE = re.compile(r"!\[[^\[\]]*(?=\]\(|\]\[)")  # alt text, when a destination follows
# JupyterLab hands MathJax any `\begin{…}…\end{…}` written straight into a cell.
_DISPLAY_ENV = re.compile(r"\\begin\s*\{([A-Za-z]+\*?)\}")


def read_markdown(path: str, text: str, flavor: str = GITHUB) -> Document:
    labels, spans = _read(text, flavor)
    return assemble(path, text, labels, expand_markdown(spans))


def read_cells(path: str, cells: list[str], math: list[bool] | None = None) -> Document:
    """A notebook's Markdown cells, each rendered on its own as Jupyter does (an unclosed
    comment or fence in one cell never hides the next); lines count in the cells joined by a
    blank line. A cell whose ``math`` is False gives its labels and macro definitions only."""
    labels: list[tuple[int, str]] = []
    spans: list[MathSpan] = []
    skipped: list[tuple[int, int]] = []
    offset = 0
    cells = [cell.replace("\r\n", "\n").replace("\r", "\n") for cell in cells]
    for k, cell in enumerate(cells):
        cell_labels, cell_spans = _read(cell, JUPYTER)
        labels += [(offset + at, label) for at, label in cell_labels]
        spans += [replace(s, start=offset + s.start) for s in cell_spans]
        if math is not None and not math[k]:
            skipped.append((offset, offset + len(cell)))
        offset += len(cell) + 2
    spans = expand_markdown(spans)  # every cell's definitions hold for the cells after it
    spans = [s for s in spans if not _within(skipped, s.start)]
    return assemble(path, "\n\n".join(cells), labels, spans)


def _within(ranges: list[tuple[int, int]], at: int) -> bool:
    """Whether ``at`` is in one of ``ranges`` (sorted, disjoint)."""
    k = bisect.bisect_right(ranges, (at, float("inf"))) - 1
    return k >= 0 and at < ranges[k][1]


def _read(text: str, flavor: str) -> tuple[list[tuple[int, str]], list[MathSpan]]:
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    tokens = MarkdownIt("commonmark").parse(text)
    spans = []
    if flavor == GITHUB:
        spans += [f for tok in tokens if (f := _math_fence(tok, text, lines, offsets))]
    for start, end in _rendered(tokens, offsets, flavor == JUPYTER):
        spans += _Scanner(text, start, end, flavor == JUPYTER).spans()
    return _labels(tokens, offsets), spans


def _math_fence(tok, text: str, lines: list[str], offsets: list[int]) -> MathSpan | None:
    """A ```` ```math ```` fence: its lines are display math."""
    if tok.type != "fence" or tok.info.strip().lower() != "math":
        return None
    first, last = tok.map[0] + 1, tok.map[1]
    if last > first and lines[last - 1].strip().startswith(tok.markup):
        last -= 1  # the closing fence
    start, end = offsets[first], max(offsets[first], offsets[last] - 1)
    return MathSpan(blank_layout(text[start:end]), start, True)


def _rendered(tokens, offsets: list[int], jupyter: bool = False) -> list[tuple[int, int]]:
    """Where rendered text is: the lines of every paragraph and heading, adjacent ones joined.
    Code and link reference definitions (`[//]: # (…)`) are not in it; raw HTML blocks are not
    either on GitHub, but Jupyter hands the math inside them to MathJax."""
    kinds = ("inline", "html_block") if jupyter else ("inline",)
    regions: list[tuple[int, int]] = []
    for tok in tokens:
        if tok.type not in kinds or not tok.map:
            continue
        start, end = offsets[tok.map[0]], min(offsets[tok.map[1]], offsets[-1] - 1)
        if regions and regions[-1][1] >= start:
            regions[-1] = (regions[-1][0], max(end, regions[-1][1]))
        else:
            regions.append((start, end))
    return regions


class _Scanner:
    """Left to right through one region of rendered Markdown, skipping what is not math."""

    def __init__(self, text: str, start: int, end: int, jupyter: bool) -> None:
        self.text, self.end, self.jupyter = text, end, jupyter
        self.i = start
        self.found: list[MathSpan] = []
        self._breaks = [m.start() for m in _PARAGRAPH_END.finditer(text, start, end)]
        self._missing: dict[str, int] = {}  # closer -> the paragraph end it is known absent to

    def spans(self) -> list[MathSpan]:
        while self.i < self.end:
            self._step()
        return self.found

    def _step(self) -> None:
        text, i = self.text, self.i
        ch = text[i]
        if ch == "\\":
            self._backslash()
        elif ch == "`":
            self.i = self._skip_code(i)
        elif text.startswith(("<!-->", "<!--->"), i):
            self.i = text.index(">", i) + 1  # an empty comment (or none): what follows shows
        elif text.startswith("<!--", i):
            close = self._find("-->", i + 4, self._paragraph_end(i))
            self.i = close + 3 if close >= 0 else i + 4  # unclosed: `<!--` is text
        elif ch == "<" and (m := _HTML_CODE.match(text, i)):
            close = self._find(f"</{m.group(1)}", m.end(), self._paragraph_end(i))
            self.i = close if close >= 0 else m.end()
        elif ch == "<" and (m := _HTML_TAG.match(text, i, self._paragraph_end(i))):
            self.i = m.end()  # attributes (`title="$…$"`) do not render as text
        elif text.startswith("](", i) and (m := _LINK_TAIL.match(text, i, self._paragraph_end(i))):
            self.i = m.end()  # a link's destination and title
        elif text.startswith("![", i) and (m := _IMAGE.match(text, i, self._paragraph_end(i))):
            self.i = m.end()  # an image's alt text
        elif ch == "$":
            self._dollar()
        else:
            self.i += 1

    def _backslash(self) -> None:
        text, i = self.text, self.i
        if self.jupyter and text.startswith(("\\(", "\\["), i):
            closer = "\\)" if text[i + 1] == "(" else "\\]"
            if self._math(i + 2, closer, display=closer == "\\]"):
                return
        if self.jupyter and (env := _DISPLAY_ENV.match(text, i)):
            closer = f"\\end{{{env.group(1)}}}"
            close = text.find(closer, env.end(), self.end)
            if close >= 0:
                body = text[env.end() : close]
                self.found.append(MathSpan(blank_layout(body), env.end(), True))
                self.i = close + len(closer)
                return
        self.i += 2  # an escaped character (`\$`, `` \` ``) is text

    def _skip_code(self, i: int) -> int:
        """A code span runs to the next backtick string of the same length."""
        run = len(self.text[i:]) - len(self.text[i:].lstrip("`"))
        pattern = re.compile(r"(?<!`)" + "`" * run + r"(?!`)")
        m = pattern.search(self.text, i + run, self._paragraph_end(i))
        return m.end() if m else i + run

    def _dollar(self) -> None:
        text, i = self.text, self.i
        if text.startswith("$`", i):  # GitHub's $`…`$
            run = len(text[i + 1 :]) - len(text[i + 1 :].lstrip("`"))
            if self._math(i + 1 + run, "`" * run + "$", display=False):
                return
        if text.startswith("$$", i) and self._math(i + 2, "$$", display=True):
            return
        if not text.startswith("$$", i) and self._math(i + 1, "$", display=False):
            return
        self.i = i + (2 if text.startswith("$$", i) else 1)  # unclosed: a literal dollar

    def _math(self, body: int, closer: str, display: bool) -> bool:
        close = body
        limit = self._paragraph_end(body)
        while True:
            close = self._find(closer, close, limit)
            if close < 0:
                return False
            if closer.startswith("\\") or not escaped(self.text, close):
                break
            close += 1  # `\$` inside math is a dollar sign, not the end
        content = blank_layout(self.text[body:close])
        self.found.append(MathSpan(content, body, display))
        self.i = close + len(closer)
        return True

    def _paragraph_end(self, i: int) -> int:
        k = bisect.bisect_left(self._breaks, i)
        return self._breaks[k] if k < len(self._breaks) else self.end

    def _find(self, closer: str, start: int, limit: int) -> int:
        """``text.find`` bounded by a paragraph, remembering a closer that is absent to its end
        (each unclosed `$` or `<!--` would otherwise rescan the paragraph: quadratic)."""
        if self._missing.get(closer) == limit:
            return -1
        found = self.text.find(closer, start, limit)
        if found < 0:
            self._missing[closer] = limit
        return found


# --- step labels ----------------------------------------------------------------------------
def _labels(tokens, offsets: list[int]) -> list[tuple[int, str]]:
    """`1:`, `**2:**`, `Step 3`, `## 4` at the start of a block; a numbered list item `5.` only
    at the top level and only when it goes past the current step (`1. …` inside step 4 is not
    a new step)."""
    labels: list[tuple[int, str]] = []
    for k, tok in enumerate(tokens):
        if not tok.map:
            continue
        if tok.type == "list_item_open" and tok.info.isdigit():
            current = number_of(labels[-1][1]) if labels else None
            if tok.level == 1 and (current is None or int(tok.info) > current):
                labels.append((offsets[tok.map[0]], tok.info))
            continue
        if tok.type not in ("paragraph_open", "heading_open") or k + 1 >= len(tokens):
            continue
        content = tokens[k + 1].content.split("\n", 1)[0]
        found = label_of(content)
        if found and "$" not in content[: found[1]]:  # `$1 = x$` is math, not a label
            labels.append((offsets[tok.map[0]], found[0]))
    return labels


__all__ = ["GITHUB", "JUPYTER", "read_cells", "read_markdown"]
