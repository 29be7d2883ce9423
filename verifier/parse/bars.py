"""Bare bars: `|z|` is an absolute value, `p(o|c)` a conditional. The grammar lexes `|` as
GIVEN; here, before parsing, the bars of one bracket level are paired when there are two or
more of them and their number is even (`|a| + |b|`), and a single bar stays GIVEN. A paired bar
is replaced, in place and with the same length, by a character the grammar reads as the
opening or closing bar of an absolute value, so every position in the text is unchanged."""

from __future__ import annotations

import re

OPEN_BAR, CLOSE_BAR = "\ue000", "\ue001"  # private-use characters: ABSL and ABSR

# What changes the bracket level, and a bare bar; `\|` (a norm) and `\left|` are no bare bar.
_TOKEN = re.compile(
    r"\\text\s*\{[^{}]*\}|\\(?:left|right|[bB]igg?[lr]?)\s*(?:\\?[|()\[\]{}.]|\\[lr]?vert)"
    r"|\\[A-Za-z]+|\\.|[()\[\]{}|]"
)
_OPENS, _CLOSES = set("([{"), set(")]}")


def pair_bars(text: str) -> str:
    """``text`` with each pair of bare bars of one bracket level marked as an absolute value."""
    if "|" not in text:
        return text
    levels: list[list[int]] = [[]]
    chars = list(text)
    for m in _TOKEN.finditer(text):
        token = m.group()
        if token == "|":
            levels[-1].append(m.start())
        elif token[-1] in _OPENS or token.endswith("lvert"):
            levels.append([])
        elif (token[-1] in _CLOSES or token.endswith("rvert")) and len(levels) > 1:
            _pair(levels.pop(), chars)
    for bars in levels:
        _pair(bars, chars)
    return "".join(chars)


def _pair(bars: list[int], chars: list[str]) -> None:
    if len(bars) < 2 or len(bars) % 2:
        return  # one bar: a conditional; an odd number: left to the parser to report
    for k, at in enumerate(bars):
        chars[at] = CLOSE_BAR if k % 2 else OPEN_BAR
