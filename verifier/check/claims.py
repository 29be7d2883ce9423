"""From math spans to equation chains: each right-hand side is a claim about its chain's head.

A span is cut into pieces by :mod:`verifier.parse.segment`; each member is parsed on its own, so
an unreadable member is an error for that member only. A span that starts with `=` continues the
last displayed chain of the step (never inline prose math); one that starts with an operator and
states nothing else continues that chain's last member.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from verifier.check import conditions as cond
from verifier.check.conditions import Condition
from verifier.check.spans import (
    Unreadable,
    alone_on_its_line,
    introduced,
    join_prose_relations,
)
from verifier.errors import NotationError
from verifier.limits import DEFAULT_LIMITS, Limits, nesting_depth
from verifier.parse import segment as sg
from verifier.parse import tree as t
from verifier.parse.parser import parse_member
from verifier.source.cases import read_cases
from verifier.source.document import Document, MathSpan
from verifier.source.origin import identity


@dataclass(frozen=True)
class Part:
    """One member of a chain: parsed (``raw``), or the reason it cannot be (``error``)."""

    raw: t.RNode | None
    offset: int  # in the file: where the member starts
    source: str  # as written
    rel: str = "="  # the relation written before it
    error: str = ""
    error_at: int = 0  # file offset of the problem
    condition: str = ""  # why a condition written with it cannot be read (then: an error)
    member: sg.Member | None = None  # what was parsed, to continue it across spans
    conditions: tuple[Condition, ...] = ()  # where it is claimed: `\quad i \neq j`


@dataclass
class Chain:
    head: Part
    rest: list[Part]
    stray: str = ""  # a lone displayed expression: reported if nothing continues it


def _too_big(span: MathSpan, limits: Limits) -> Unreadable | None:
    """Over-long or over-deep math is refused before the parser sees it."""
    if len(span.text) > limits.max_claim_chars:
        message = f"formula of {len(span.text)} characters; the limit is {limits.max_claim_chars}"
        return Unreadable(span.start, message, _short(span.text))
    depth, at = nesting_depth(span.text)
    if depth > limits.max_depth:
        message = f"brackets nested {depth} deep; the limit is {limits.max_depth}"
        return Unreadable(span.at(at), message, _short(span.text))
    return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:200] + " …"


def part_of(member: sg.Member) -> Part:
    """Parse one member; a problem becomes the part's error, located in the file."""
    start = member.at(len(member.text) - len(member.text.lstrip()))
    if member.error:
        return Part(None, start, member.source, member.rel, member.error, member.error_at)
    try:
        raw = parse_member(member.text)
    except NotationError as exc:
        at = member.at(exc.pos if exc.pos is not None else 0)
        return Part(None, start, member.source, member.rel, exc.message, at, member=member)
    return Part(raw, member.at(raw.pos), member.source, member.rel, member=member)


def _never(_: str) -> bool:
    return False


class _Reader:
    """Chains of one step, built span by span."""

    def __init__(self, doc: Document, limits: Limits, is_symbol: Callable[[str], bool]) -> None:
        self.doc, self.limits, self.is_symbol = doc, limits, is_symbol
        self.out: list[Chain | Unreadable] = []
        self.displayed: Chain | None = None  # what a later `= …` line continues
        self.displayed_end = 0  # where the span that last added to it ends
        self.claimed = False  # an equation (displayed or inline) came before in this block
        self.block: int | None = None
        # "For the case $i = j$:": a condition alone holds for the claims after it in its block
        # (those with its indices), until the next such condition
        self.pending: Condition | None = None
        self.span_start = 0  # where the span being read starts
        self.pending_group: list[Condition] = []  # conditions before an "otherwise" alone
        self.pending_used = False  # a claim took it: the next prose paragraph ends it
        self.pending_error = ""  # conditions before the claims that cannot be read together
        self.last_end = 0  # where the span read before ends
        self.last_parts: list[Part] = []  # the claims the span read before added last

    def span(self, span: MathSpan) -> None:
        if span.block != self.block:  # a new labelled block: nothing before it is continued
            self.block, self.displayed, self.claimed = span.block, None, False
            self.pending, self.pending_group, self.pending_error = None, [], ""
        if (
            self.pending is not None
            and self.pending_used
            and _prose_between(self.doc.text, self.last_end, span.start)
        ):  # "Now in general:": the case is over
            self.pending, self.pending_used, self.pending_error = None, False, ""
        trailing = _trails(self.doc.text, self.last_end, span.start)
        self.span_start, self.last_end = span.start, span.end
        span = read_cases(span)
        refused = _too_big(span, self.limits)
        if refused:
            self.out.append(refused)
            return
        try:
            pieces = sg.segment(span.text, span.start, self.is_symbol, span.origin)
        except NotationError as exc:
            pos = exc.pos if exc.pos is not None else 0
            self.out.append(Unreadable(span.at(pos), exc.message, _short(span.text)))
            return
        pieces = _enumerated_ranges(pieces)
        displayed = span.display or alone_on_its_line(self.doc, span)
        previous: list[Part] = []  # parts the last piece of this span added
        conditional = pieces and (pieces[0].kind == sg.CONDITION or pieces[0].disjoined)
        if trailing and conditional and not displayed:
            previous = self.last_parts  # `$a = b$ for $i \\neq c$`: the condition of that claim
            if _RANGE_IN_PROSE.match(self.doc.text, span.end):  # `for $l = 1$ to $L$`
                pieces[0] = _refused_list(pieces[0], "the text after it")
        before = self.displayed
        for k, piece in enumerate(pieces):
            previous = self._piece(piece, k == 0, displayed, previous)
        self.last_parts = previous
        if self.displayed is not None and (self.displayed is not before or previous):
            self.displayed_end = span.end

    def _piece(self, piece: sg.Piece, first: bool, displayed: bool, previous: list[Part]):
        parts = [part_of(m) for m in piece.members]
        if piece.kind == sg.CHAIN:
            if self.pending_error:  # which case the claims are about is not known
                parts[1:] = [replace(p, condition=self.pending_error) for p in parts[1:]]
                self.pending_used = True
            elif self.pending is not None:
                parts[1:] = [replace(p, conditions=(self.pending,)) for p in parts[1:]]
                self.pending_used = True
            chain = Chain(parts[0], parts[1:])
            self.out.append(chain)
            self.claimed = True
            if displayed:
                self.displayed = chain
            return chain.rest
        if piece.kind == sg.CONTINUES:
            return self._continue(piece, parts, first and displayed)
        if piece.kind == sg.CONDITION and not previous and introduced(self.doc, piece.offset):
            piece = replace(piece, kind=sg.CHAIN)  # "Let $q = 3$": a definition, not a case
            return self._piece(piece, first, displayed, previous)
        if piece.kind == sg.CONDITION:
            return self._condition(piece, previous, displayed)
        if piece.kind == sg.UNREAD and piece.disjoined and previous:
            return self._mark(previous, condition=piece.message)  # never the first case only
        if piece.kind == sg.UNREAD:
            self.out.append(Unreadable(piece.offset, piece.message, piece.source))
            return []
        if piece.members and first and displayed:  # LONE: a head `= …` may continue
            return self._lone(piece, parts)
        return []

    def _continue(self, piece: sg.Piece, parts: list[Part], allowed: bool) -> list[Part]:
        if not allowed or self.displayed is None:
            where = "inline math continues nothing" if not allowed else "nothing before it"
            message = f"`{parts[0].rel}` with {where}"
            if parts[0].rel.strip() not in ("=", ""):  # `\text{err} := …`: a word is prose
                message += (
                    " (a definition names a symbol, such as `\\delta :=`; a word in `\\text{}` "
                    "is prose unless the course declares it)"
                )
            self.out.append(Unreadable(piece.offset, message, ""))
            return []
        self.displayed.rest.extend(parts)
        return parts

    def _condition(self, piece: sg.Piece, previous: list[Part], displayed: bool) -> list[Part]:
        """A condition after claims holds for them (`a = b \\quad i \\neq j`); alone, for
        the claims after it (see ``pending``)."""
        group = (
            _conditions_before(self.out, previous, self.span_start)
            if previous
            else self.pending_group
        )
        try:
            if not previous:
                _not_negated(self.doc, self.span_start, piece.source)
            condition = _read_condition(piece, group, self.is_symbol)
        except NotationError as exc:
            if not previous:
                self.out.append(Unreadable(piece.offset, exc.message, piece.source))
                return []
            return self._mark(previous, condition=exc.message)
        if not previous and displayed:
            message = (
                f"{piece.message} displayed alone: write it after its claim (`a = b \\quad "
                'i = j`) or in the text before the claims it is for ("For $i = j$:")'
            )
            self.out.append(Unreadable(piece.offset, message, piece.source))
            return []
        if not previous and self.pending is not None and not self.pending_used:
            message = (
                f"two conditions before a claim (`{self.pending.source}`, `{condition.source}`) "
                "are not read: write each case with its own claims"
            )
            self.out.append(Unreadable(piece.offset, message, piece.source))
            self.pending_error = message
            return []
        if not previous:
            condition = replace(condition, alone=True)
            self.pending, self.pending_used = condition, False
            self.pending_group = [] if condition.otherwise else [*self.pending_group, condition]
            return []
        if previous[-1].conditions:  # `i = j, j = 1`: both hold
            condition = cond.both(previous[-1].conditions[0], condition)
        return self._mark(previous, conditions=(condition,))

    def _mark(self, previous: list[Part], **changes) -> list[Part]:
        """The parts ``previous`` (the last a piece added), in their chain, with ``changes``;
        returns them as changed (a second condition on them is joined to the first)."""
        for chain in reversed(self.out):
            if isinstance(chain, Chain) and any(p is q for p in chain.rest for q in previous):
                marked = [any(p is q for q in previous) for p in chain.rest]
                chain.rest[:] = [
                    replace(p, **changes) if m else p
                    for p, m in zip(chain.rest, marked, strict=True)
                ]
                return [p for p, m in zip(chain.rest, marked, strict=True) if m]
        return []

    def _lone(self, piece: sg.Piece, parts: list[Part]) -> list[Part]:
        """A lone displayed expression: an operator at its start continues the last member of
        the displayed equation right above it (`$$+ 5$$` under `$$a = b$$`); with no such
        equation it is reported. Otherwise it may be a head that a later `= …` continues, or,
        under an equation, a stray formula (reported if nothing continues it)."""
        if piece.leading_operator and (self.claimed or self.displayed is not None):
            above = self.displayed is not None and self.displayed.rest
            if above and self._only_space_since(self.displayed_end, piece.offset):
                return self._extend(self.displayed, piece.members[0])
            why = (
                "prose ends the equation above it" if above else "no displayed equation is above it"
            )
            message = f"unread formula `{piece.source}`: it starts with an operator, but {why}"
            self.out.append(Unreadable(piece.offset, message, piece.source))
            return []
        stray = ""
        if self.claimed:
            stray = (
                f"unread formula `{piece.source}`: displayed under an equation but not part of "
                "it (no `=`)"
            )
        chain = Chain(parts[0], [], stray)
        self.out.append(chain)
        self.displayed = chain
        return []

    def _extend(self, chain: Chain, member: sg.Member) -> list[Part]:
        last = chain.rest[-1]
        if last.member is None:  # the last member was unreadable: so is its continuation
            return []
        joined = _joined(last.member, member)
        chain.rest[-1] = replace(
            part_of(joined), condition=last.condition, conditions=last.conditions
        )
        return [chain.rest[-1]]

    def _only_space_since(self, end: int, offset: int) -> bool:
        """Nothing but blank space, math delimiters and `{}` between ``end`` and ``offset``."""
        between = self.doc.text[end:offset]
        return not re.sub(r"\$|\\[\[\]()]|```math|```|\{\s*\}|\s", "", between)


def _joined(first: sg.Member, second: sg.Member) -> sg.Member:
    """Two members read as one (a displayed `+ …` line continuing the member above it), the
    file's own characters between them kept as spaces so that offsets stay true."""
    source = f"{first.source} {second.source}"
    if first.origin is None and second.origin is None:
        gap = max(second.offset - (first.offset + len(first.text)), 1)
        text = first.text + " " * gap + second.text
        return sg.Member(first.offset, text, first.rel, source)
    a = first.origin or identity(first.offset, len(first.text))
    b = second.origin or identity(second.offset, len(second.text))
    gap = max(second.offset - a.end, 1)
    text = first.text + " " * gap + second.text
    return sg.Member(first.offset, text, first.rel, source, origin=a.then(len(first.text), gap, b))


def chains_of(
    doc: Document,
    spans: list[MathSpan],
    limits: Limits = DEFAULT_LIMITS,
    is_symbol: Callable[[str], bool] = _never,
) -> list[Chain | Unreadable]:
    """Chains of one step, in order; ``is_symbol`` tells a model's one-letter names from index
    letters (so that ``\\quad i = j`` is a condition but ``m = 1`` a claim)."""
    reader = _Reader(doc, limits, is_symbol)
    for span in join_prose_relations(doc, spans):
        if isinstance(span, Unreadable):
            reader.out.append(span)
        elif span.problem:  # a macro that cannot be expanded, an `\input`: reported where it is
            at, message = span.problem
            reader.out.append(Unreadable(at, message, _short(span.text)))
        else:
            reader.span(span)
    found = [
        _stray(c) if isinstance(c, Chain) and c.stray and not c.rest else c for c in reader.out
    ]
    return [c for c in found if not isinstance(c, Chain) or c.rest]


_ELLIPSIS = {"\\ldots", "\\dots", "\\cdots", "…", "..."}


def _enumerated_ranges(pieces: list[sg.Piece]) -> list[sg.Piece]:
    """`i = 1, \\ldots, n` (or `i = 1, 2, \\ldots, n`) is the condition 1 ≤ i ≤ n: the
    segmenter cuts it at its commas into `i = 1` and unread pieces."""
    out: list[sg.Piece] = []
    k = 0
    while k < len(pieces):
        piece = pieces[k]
        tail = _enumeration(pieces, k + 1) if _index_equals(piece) else 0
        if not tail and _index_equals(piece) and _listed(pieces, k + 1):
            out.append(_refused_list(piece, "the values after it"))  # never its first value
            k += 1
            continue
        if tail:
            index, low = piece.members
            high = pieces[k + tail].members[0]
            members = (
                replace(low, rel=""),
                replace(index, rel="\\le"),
                replace(high, rel="\\le"),
            )
            source = " ".join(p.source for p in pieces[k : k + tail + 1])
            out.append(replace(piece, members=members, source=source))
            k += tail + 1
            continue
        out.append(piece)
        k += 1
    return out


# `for $l = 1$ to $L$`, `$i = 1$, $2$`: a condition that prose continues into a range or list
_RANGE_IN_PROSE = re.compile(r"\$?\s*(,|to\b|through\b|until\b|up\s+to\b|\.\.\.|…)\s*\$")
# `2`, `L`, `L - 1`, `\ldots`: a value of a list after `l = 1,`
_VALUE = re.compile(r"[0-9]+|" + sg.LETTER_PLUS)


def _listed(pieces: list[sg.Piece], k: int) -> bool:
    """Whether the pieces from ``k`` continue a condition `l = 1` as a list or range."""
    if k >= len(pieces) or pieces[k].kind not in (sg.UNREAD, sg.LONE):
        return False
    text = pieces[k].source.strip()
    return text in _ELLIPSIS or _VALUE.fullmatch(text) is not None


def _refused_list(piece: sg.Piece, where: str) -> sg.Piece:
    """A condition continued as a list or range (`l = 1, 2`, `l = 1 \\text{ to } L`) holds at
    more than its first value: refused, with its claim, never read as `l = 1` alone."""
    message = (
        f"a list or range of values in a condition is not read (`{piece.source}` and {where}): "
        "write it as inequalities, such as `1 \\le l \\le L`"
    )
    return replace(piece, kind=sg.UNREAD, message=message, disjoined=True)


def _index_equals(piece: sg.Piece) -> bool:
    return (
        piece.kind == sg.CONDITION
        and len(piece.members) == 2
        and piece.members[1].rel.strip() == "="
        and "otherwise" not in piece.source
    )


def _enumeration(pieces: list[sg.Piece], k: int) -> int:
    """How many unread pieces from ``k`` continue `i = 1` as `, 2, \\ldots, n` (0: none)."""
    n, seen = 0, False
    while k + n < len(pieces) and pieces[k + n].kind == sg.UNREAD:
        text = pieces[k + n].source.strip()
        if text in _ELLIPSIS:
            seen = True
        elif not _VALUE.fullmatch(text):
            break
        n += 1
        if seen and text not in _ELLIPSIS:
            return n  # the bound after the ellipsis
    return 0


# `$a = b$ for $i \\neq c$`: the words that put a condition after its claim in a sentence
# (after a displayed formula too, on its line or the next, never after a blank line)
_TRAILING = re.compile(
    r"(\$\$|\$|\\\]|\\\))?[ \t]*\n?[ \t]*(for|if|when|whenever|where|provided)\s*\$?",
    re.IGNORECASE,
)


def _trails(text: str, a: int, b: int) -> bool:
    """Whether only a conditional word stands between two inline formulas."""
    return a > 0 and _TRAILING.fullmatch(text[a:b]) is not None


def _prose_between(text: str, a: int, b: int) -> bool:
    """Words between two formulas (not only their delimiters and space)."""
    return bool(re.search(r"[A-Za-z]{2,}", re.sub(r"\$|\\[\[\]()]|```math|```", "", text[a:b])))


def _read_condition(
    piece: sg.Piece, before: list[Condition], is_symbol: Callable[[str], bool]
) -> Condition:
    """The condition a piece states; `otherwise` is none of ``before``."""
    if piece.negated:  # `\text{unless } i = j` holds where i ≠ j: never read as `i = j`
        raise NotationError(
            f"a condition after `{piece.negated}` is not read (its words negate it): write the "
            f"condition where the claim holds, such as `i \\neq j` ({piece.source})",
            None,
        )
    if "otherwise" in piece.source:
        return cond.otherwise(before, piece.source)
    members = [(m.rel, m.text) for m in piece.members]
    return cond.read_condition(members, piece.source, is_symbol)


# Prose that negates the condition written after it: "Unless $i = j$", "Except for $i = j$".
_NEGATING_PROSE = re.compile(
    r"\b(unless|except|excluding|not|other\s+than|apart\s+from|besides|but)\b", re.I
)


def _not_negated(doc: Document, start: int, source: str) -> None:
    """Raises when the prose of the clause right before a condition alone negates it."""
    line = doc.text[doc.text.rfind("\n", 0, start) + 1 : start]
    clause = re.split(r"[.;:!?]", line)[-1]
    found = _NEGATING_PROSE.search(clause)
    if found:
        raise NotationError(
            f'a condition after "{found.group(0)}" in the text is not read (the words '
            f"negate it): write the condition where the claims hold, such as `i \\neq j` "
            f"({source})",
            None,
        )


def _conditions_before(out: list, previous: list[Part], start: int) -> list[Condition]:
    """Conditions claimed before about the same left side in the same formula (from
    ``start``): earlier members of the chain, and the chains right before it with the same
    head (rows of a `cases` or an `aligned`)."""
    chains = [c for c in out if isinstance(c, Chain) and c.head.offset >= start]
    found: list[Condition] = []
    head = None
    for chain in reversed(chains):
        if head is None:
            if not any(p is q for p in chain.rest for q in previous):
                continue
            head = " ".join(chain.head.source.split())
        elif " ".join(chain.head.source.split()) != head:
            break
        found = [c for p in chain.rest for c in p.conditions] + found
    return found


def _stray(chain: Chain) -> Unreadable:
    return Unreadable(chain.head.offset, chain.stray, chain.head.source)
