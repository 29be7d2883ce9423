"""From math spans to equation chains: each right-hand side is a claim about its chain's head."""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.errors import NotationError
from verifier.limits import DEFAULT_LIMITS, Limits, nesting_depth
from verifier.parse import tree as t
from verifier.parse.parser import parse_math
from verifier.source.document import Document, MathSpan


@dataclass(frozen=True)
class Part:
    raw: t.RNode
    offset: int  # in the file
    source: str


@dataclass
class Chain:
    head: Part
    rest: list[Part]


@dataclass(frozen=True)
class Unreadable:
    offset: int
    message: str
    source: str


_TRAILING = re.compile(r"(\s|&|=|,|\.|\\\\|\\quad|\\qquad|\\therefore|\\Rightarrow)+$")


def _slice(text: str, start: int, end: int) -> str:
    return _TRAILING.sub("", text[start:end]).strip()


def _too_big(span: MathSpan, limits: Limits) -> Unreadable | None:
    """Over-long or over-deep math is refused before the parser sees it."""
    if len(span.text) > limits.max_claim_chars:
        message = f"formula of {len(span.text)} characters; the limit is {limits.max_claim_chars}"
        return Unreadable(span.start, message, _short(span.text))
    depth, at = nesting_depth(span.text)
    if depth > limits.max_depth:
        message = f"brackets nested {depth} deep; the limit is {limits.max_depth}"
        return Unreadable(span.start + at, message, _short(span.text))
    return None


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 200 else text[:200] + " …"


def chains_of(
    doc: Document, spans: list[MathSpan], limits: Limits = DEFAULT_LIMITS
) -> list[Chain | Unreadable]:
    """Chains of one step, in order; a piece that starts with `=` extends the chain before it."""
    out: list[Chain | Unreadable] = []
    last: Chain | None = None
    for span in spans:
        refused = _too_big(span, limits)
        if refused:
            out.append(refused)
            last = None
            continue
        try:
            seq = parse_math(span.text)
        except NotationError as exc:
            pos = exc.pos if exc.pos is not None else 0
            out.append(Unreadable(span.start + pos, exc.message, _short(span.text)))
            last = None
            continue
        bounds = [p.pos for p in seq.pieces] + [len(span.text)]
        for k, piece in enumerate(seq.pieces):
            ends = [e.pos for e in piece.exprs[1:]] + [bounds[k + 1]]
            parts = [
                Part(e, span.start + e.pos, _slice(span.text, e.pos, end))
                for e, end in zip(piece.exprs, ends, strict=True)
            ]
            if piece.continuation:
                if last is None:
                    out.append(Unreadable(span.start + piece.pos, "`=` with nothing before it", ""))
                    continue
                last.rest.extend(parts)
            elif len(parts) > 1:
                last = Chain(parts[0], parts[1:])
                out.append(last)
            else:
                last = Chain(parts[0], [])  # a lone expression can be continued by `= ...`
                out.append(last)
    return [c for c in out if not isinstance(c, Chain) or c.rest]
