"""LaTeX submissions: display math and equation environments; steps from sections, items and
`N:` labels at the start of a line."""

from __future__ import annotations

import re

from verifier.source.document import STEP_LABEL, Document, Step, find_math
from verifier.source.markdown import _owner

_HEADING = re.compile(
    r"\\(?:sub)*section\*?\s*\{[^}]*?(\d{1,3}[a-z]?)[^}]*\}|\\item\s*\[\s*(\d{1,3})"
)


def read_latex(path: str, text: str) -> Document:
    clean = _strip_comments(text)
    labels: list[tuple[int, str]] = []
    offset = 0
    for line in clean.split("\n"):
        m = _HEADING.search(line)
        if m:
            labels.append((offset, m.group(1) or m.group(2)))
        else:
            m = STEP_LABEL.match(line)
            if m and "$" not in line[: m.end()] and "\\" not in line[: m.end()]:
                labels.append((offset, m.group(1)))
        offset += len(line) + 1
    steps = [Step(None, -1)] + [Step(label, off) for off, label in labels]
    body = clean.find("\\begin{document}")
    for span in find_math(clean, max(body, 0), len(clean)):
        _owner(steps, span.start).spans.append(span)
    return Document(path, text, [s for s in steps if s.spans])


def _strip_comments(text: str) -> str:
    """Blank `%` comments (same length, so offsets stay true)."""
    return re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group(0)), text)
