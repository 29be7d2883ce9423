"""Markdown submissions: block structure from markdown-it-py, math spans by delimiter."""

from __future__ import annotations

from markdown_it import MarkdownIt

from verifier.source.document import STEP_LABEL, Document, Step, find_math

_CODE = {"fence", "code_block", "html_block"}
_BLOCK_STARTS = {"paragraph_open", "heading_open", "list_item_open"}


def read_markdown(path: str, text: str) -> Document:
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    tokens = MarkdownIt("commonmark").parse(text)
    code = [(t.map[0], t.map[1]) for t in tokens if t.type in _CODE and t.map]
    labels: list[tuple[int, str]] = []
    for tok in tokens:
        if tok.type in _BLOCK_STARTS and tok.map:
            first = lines[tok.map[0]]
            if tok.type == "list_item_open" and tok.info.isdigit():
                labels.append((offsets[tok.map[0]], tok.info))
                continue
            m = STEP_LABEL.match(first)
            if m and (tok.type != "paragraph_open" or _label_not_math(first, m.end())):
                labels.append((offsets[tok.map[0]], m.group(1)))
    steps = _steps(labels)
    regions = _prose_regions(len(text), [(offsets[a], offsets[b]) for a, b in code])
    for start, end in regions:
        for span in find_math(text, start, end):
            _owner(steps, span.start).spans.append(span)
    return Document(path, text, [s for s in steps if s.spans])


def _label_not_math(line: str, end: int) -> bool:
    """`1:` starts a step, but `$1 = x$` does not: the label must come before any math."""
    return "$" not in line[:end]


def _steps(labels: list[tuple[int, str]]) -> list[Step]:
    steps = [Step(None, -1)]
    for offset, label in sorted(set(labels)):
        steps.append(Step(label, offset))
    return steps


def _owner(steps: list[Step], offset: int) -> Step:
    owner = steps[0]
    for step in steps:
        if step.offset <= offset:
            owner = step
    return owner


def _prose_regions(length: int, code: list[tuple[int, int]]) -> list[tuple[int, int]]:
    regions, pos = [], 0
    for start, end in sorted(code):
        if start > pos:
            regions.append((pos, start))
        pos = max(pos, end)
    regions.append((pos, length))
    return regions
