"""Text made safe to put in Markdown that a grader renders (Gradescope's ``md`` output).

Student text is untrusted: as prose it has every ASCII punctuation character backslash-escaped
(CommonMark's rule: an escaped character is always literal) and ``& < >`` written as entities
(literal in any Markdown, so no HTML of a submission is ever rendered); as code it goes in a code
span whose fence is longer than any run of backticks inside it. Line breaks become spaces, so a
text never starts a block (a heading, a list, a fence) of its own.
"""

from __future__ import annotations

import re

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_PUNCTUATION = frozenset("!\"#$%'()*+,-./:;=?@[\\]^_`{|}~")
_WHITESPACE = re.compile(r"\s+")
_TICKS = re.compile(r"`+")


def text(value: str) -> str:
    """``value`` as Markdown prose that renders exactly as written, on one line."""
    out = []
    for ch in _WHITESPACE.sub(" ", value):
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif ch in _PUNCTUATION:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def code(value: str) -> str:
    """``value`` as an inline code span, on one line; nothing inside it is interpreted."""
    value = _WHITESPACE.sub(" ", value).strip() or " "
    longest = max((len(m) for m in _TICKS.findall(value)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {value} {fence}"


def cut(value: str, limit: int) -> str:
    """``value`` cut to ``limit`` characters, saying how many were left out."""
    if len(value) <= limit:
        return value
    return value[:limit] + f" [… {len(value) - limit} more characters]"
