"""Prose inside a formula: what a ``\\text{…}`` is to a reader who sees it rendered.

It is a separator when it reads as prose between formulas (``\\text{where}``, ``\\text{and so}``,
``\\text{by (3)}``). It renders as part of the formula, and so must be read or reported, when it
holds symbols, digits, a lone letter, or words of arithmetic (``\\text{=}``, ``\\text{ plus 5}``,
``\\text{ over two}``, ``\\text{ x}``).
"""

from __future__ import annotations

import re

_QUANTIFIER = re.compile(r"\b(for\s+(all|each|every|any)|forall)\b", re.IGNORECASE)
_CONDITION = re.compile(r"\b(if|iff|when|whenever|unless|provided)\b", re.IGNORECASE)
_OTHERWISE = re.compile(r"\b(otherwise|else)\b", re.IGNORECASE)
# A condition the words negate (`\text{unless } i = j` means i ≠ j): never read as the bare
# condition after it.
_NEGATED = re.compile(
    r"^\W*(unless|except|excluding|but\s+not|not|other\s+than|apart\s+from|besides)\b"
    r"|\b(unless|except)\b|\b(if|iff|when|whenever|provided)\s+not\b",
    re.IGNORECASE,
)
# `\\text{ or }`: what follows is another case of the same claim, which one claim cannot hold
_DISJOINED = re.compile(r"^\W*(or|and/or)\b", re.IGNORECASE)
_LABEL = re.compile(
    r"^\s*(step|part|question|problem|exercise|task)\s*\d{1,3}[a-z]?\s*[:.)]?\s*$", re.I
)
# `\text{by (3)}` cites an equation: a number in brackets after a word
_REFERENCE = re.compile(r"(?<=[A-Za-z.])\s+\(\s*\d{1,3}[a-z]?\s*\)")
# Words that make text read as arithmetic wherever they stand (`\text{ plus 5}`); words such as
# "sum", "product" or "log" also name rules in justifications (`\text{(product rule)}`).
_ARITHMETIC_WORDS = (
    "plus minus times divided multiplied equals equal squared cubed twice thrice doubled "
    "tripled halved negated transposed inverted"
)
_OPERATOR_WORDS = re.compile(
    r"\b(" + "|".join(_ARITHMETIC_WORDS.split()) + r")\b"
    r"|\b(over|by|divide)\s+(one|two|three|four|five|six|seven|eight|nine|ten|half)\b",
    re.IGNORECASE,
)
# Anything but letters, spaces and plain punctuation; a hyphen between words of two letters or
# more (`left-hand`, not `t-y`), an apostrophe inside a word.
_FORMULA_CHARACTERS = re.compile(
    r"[^A-Za-z\s,.;:?\"()_'-]|(?<![A-Za-z])'|'(?![A-Za-z])"
    r"|(?<![A-Za-z]{2})-|-(?![A-Za-z]{2})"
)


def text_content(token: str) -> str:
    """What a ``\\text{…}`` token holds, as written (spaces kept)."""
    return token[token.index("{") + 1 : -1]


def text_role(token: str) -> str:
    """What a ``\\text{…}`` means inside a formula: ``label``, ``quantifier``, ``condition``,
    ``negated`` (a condition its words negate: `unless`, `except when`), ``or`` (another case
    joined to a condition), ``otherwise``,
    ``prose`` (a separator), or ``formula`` (it renders as part of the formula and cannot be
    read, so it is reported)."""
    content = text_content(token)
    if _LABEL.match(content):
        return "label"
    bare = _REFERENCE.sub(" ", content)
    if (
        _FORMULA_CHARACTERS.search(bare)
        or _OPERATOR_WORDS.search(bare)
        or re.fullmatch(r"\s*[A-Za-z]\s*", bare)  # `\text{ x}` is the letter x
    ):
        return "formula"
    if _NEGATED.search(bare):
        return "negated"
    if _DISJOINED.match(bare):
        return "or"
    if _QUANTIFIER.search(bare):
        return "quantifier"
    if _OTHERWISE.search(bare):
        return "otherwise"
    if _CONDITION.search(bare):
        return "condition"
    return "prose"
