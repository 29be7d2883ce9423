"""How spans of math relate as a reader sees them: formulas joined by a sign written in prose
(`$a$ = $b$`, "Denote $A$ by $B$"), signs left in prose, and which span reads the same without
the ones before it (what planning a document a chunk at a time relies on)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from verifier.errors import NotationError
from verifier.parse import segment as sg
from verifier.source.document import Document, MathSpan
from verifier.source.origin import OriginBuilder, identity


@dataclass(frozen=True)
class Unreadable:
    offset: int
    message: str
    source: str


_OPENING = r"(?:\$+`*|\\[(\[])"
_CLOSING = r"(?:`*\$+|\\[)\]])"
# A sign in prose right after a formula: `=`, or an operator before a number or more math
# (`- the input` is a dash, not a minus).
_AFTER = re.compile(_CLOSING + r"[ \t]*(=|[-+*/×·−÷](?=[ \t]*[0-9(\\$]))")
_BEFORE = re.compile(r"(=)[ \t]*" + _OPENING + r"\Z")
# Two formulas with nothing but a sign between them on one line read as one formula.
_JOIN_SIGNS = "-=+*/×·−÷<>"
_JOIN = re.compile(
    r"\A" + _CLOSING + r"[ \t]*[" + re.escape(_JOIN_SIGNS) + r"]?[ \t]*" + _OPENING + r"\Z"
)


def _end(span: MathSpan) -> int:
    return span.end


def join_prose_relations(doc: Document, spans: list[MathSpan]) -> list[MathSpan | Unreadable]:
    """`$a$ = $b$` is one chain as a reader sees it: the spans are joined, the `=` kept and the
    delimiters blanked (offsets stay true). Any other relation or sign written in prose right
    beside a formula is reported: it is part of what the reader sees, but not math."""
    joined: list[MathSpan] = []
    text = doc.text
    for span in spans:
        last = joined[-1] if joined else None
        inline = last is not None and not (last.display or span.display)  # displays stand alone
        plain = inline and not (last.problem or span.problem)
        if plain and _JOIN.match(text[_end(last) : span.start]):
            joined[-1] = _join_spans(text, last, span)
        elif plain and _denoted(text, last, span):
            joined[-1] = _denotation(text, last, span)
        else:
            joined.append(span)
    signs: dict[int, str] = {}
    for span in joined:
        if span.problem:
            continue
        line_start = text.rfind("\n", 0, span.start) + 1
        before = _BEFORE.search(text, line_start, span.start)
        if before and not re.search(r"\$|\\[)\]]", text[line_start : before.start(1)]):
            signs[before.start(1)] = before.group(1)  # (after a formula, its own check says so)
        if after := _AFTER.match(text, _end(span)):
            signs[after.start(1)] = after.group(1)
    out: list[MathSpan | Unreadable] = [*joined, *(_outside(k, v) for k, v in signs.items())]
    return sorted(out, key=lambda item: item.start if isinstance(item, MathSpan) else item.offset)


def _join_spans(text: str, last: MathSpan, span: MathSpan) -> MathSpan:
    gap = text[_end(last) : span.start]
    middle = "".join(c if c in _JOIN_SIGNS else " " for c in gap)  # delimiters blanked
    joined = last.text + middle + span.text
    if last.origin is None and span.origin is None:
        return replace(last, text=joined)
    a = last.origin or identity(last.start, len(last.text))
    b = span.origin or identity(span.start, len(span.text))
    return replace(last, text=joined, origin=a.then(len(last.text), len(middle), b))


_BY = re.compile(r"\W*\s*\b(by|as)\b\s*\W*\Z", re.I)
_DENOTE = re.compile(r"\b(denote|write|call)\s*\W*\Z", re.I)


def _denoted(text: str, last: MathSpan, span: MathSpan) -> bool:
    """ "Denote $A$ by $B$" (or "write … as", "call … as"): a definition of B, written in prose."""
    if not _BY.match(text[_end(last) : span.start]):
        return False
    line_start = text.rfind("\n", 0, last.start) + 1
    before = text[line_start : last.start].rstrip("$\\([ ")
    return bool(_DENOTE.search(before))


def _denotation(text: str, last: MathSpan, span: MathSpan) -> MathSpan:
    """ "Denote $A$ by $B$" read as the formula `B := A`, every character where it is written
    (the `:=` at the word "by")."""
    a = last.origin or identity(last.start, len(last.text))
    b = span.origin or identity(span.start, len(span.text))
    by = _end(last)
    out = OriginBuilder()
    for k in range(len(span.text)):  # B, character by character from its own map
        out.add(span.text[k], b.at(k), True)
    out.add(" := ", by, False)
    for k in range(len(last.text)):
        out.add(last.text[k], a.at(k), True)
    return replace(last, text=out.text(), origin=out.origin(last.start, b.end))


def _outside(offset: int, sign: str) -> Unreadable:
    message = f"`{sign}` written beside a formula is prose, not math: put it inside the formula"
    return Unreadable(offset, message, sign)


def alone_on_its_line(doc: Document, span: MathSpan) -> bool:
    """An inline span with nothing else on its line reads as displayed."""
    text = doc.text
    before = text[text.rfind("\n", 0, span.start) + 1 : span.start]
    end = span.end
    after_end = text.find("\n", end)
    after = text[end : after_end if after_end >= 0 else len(text)]
    return not before.strip(" \t$\\([") and not after.strip(" \t$\\)].,;")


def independent(doc: Document, previous: MathSpan, span: MathSpan) -> bool:
    """Whether ``span`` reads the same without the spans before it, so that a document can be
    planned a run of spans at a time: another labelled block; or a displayed span (later lines
    continue it, never one before it) that opens with no relation or operator (it continues
    nothing), states a relation of its own (a lone expression may be a head, a continued
    member or a stray display) and is not joined to the one before it (`$a$ = $b$`).
    Conservative: when unsure, the span stays with the one before."""
    if span.block != previous.block:
        return True
    if span.problem or previous.problem:
        return False  # conservative: it stays with the spans around it
    inline = not (previous.display or span.display)
    if inline and _JOIN.match(doc.text[_end(previous) : span.start]):
        return False
    if not (span.display or alone_on_its_line(doc, span)):
        return False  # a later `= …` line may continue a displayed chain from before this one
    if _plainly_states(span.text):
        return True
    try:
        toks = sg.tokens(span.text)  # the grammar's tokens: lexing only, no parse
    except NotationError:
        return True  # unreadable as a whole: an error on its own
    return _states_its_own(toks)


_RELATION = r"(=|<|>|≠|≤|≥|\\(neq?|leq?|geq?|leqslant|geqslant|lt|gt)(?![A-Za-z]))"
_TERM = r"([A-Za-z](?![A-Za-z])|[0-9]+|,|\s|\+|-)"  # `j + 1`: a letter plus a number
_CONDITION_ALONE = re.compile(
    r"(\\text\s*\{\s*(if|for)\s*\}\s*)?("
    + _TERM
    + "|"
    + _RELATION
    + r")*"
    + _RELATION
    + "("
    + _TERM
    + "|"
    + _RELATION
    + r")*"
)


_TERMS_ONLY = re.compile(_TERM + "+")


def may_state_a_condition(doc: Document, span: MathSpan) -> bool:
    """Whether a span may be a condition alone in prose (`For $i = j$:`), which holds over the
    spans after it, so planning never cuts after one: cheap and generous (`$m = 1$` too), but
    never a displayed span (the reader reports a condition displayed alone), an equation of one
    letter with itself (`$t = t$`) or a long formula."""
    if span.display or alone_on_its_line(doc, span):
        return False
    text = span.text.strip()
    if len(text) > 40 or "otherwise" in text:
        return "otherwise" in text
    sides = re.split(r"=|<|>|≠|≤|≥|\\[a-z]+", text)
    if len(sides) > 1 and len({s.strip() for s in sides}) == 1:
        return False
    # a lone letter too: `$i$ \neq $j$` is joined into one condition by the prose between
    return bool(_CONDITION_ALONE.fullmatch(text) or _TERMS_ONLY.fullmatch(text))


def _plainly_states(text: str) -> bool:
    """The common case without lexing: it opens with a letter, digit or bracket (no separator,
    relation or operator) and has an `=` outside every bracket (`g(z) = …`)."""
    opening = text.lstrip()
    if not opening or not (opening[0].isalnum() or opening[0] == "("):
        return False
    depth = 0
    for ch in opening:
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        elif ch == "=" and depth == 0:
            return True
    return False


_LEADING = {"SEP", "COMMA", "TEXT", "FORALL", "AMP"}  # separators and prose before a formula


def _states_its_own(toks: list[sg.Tok]) -> bool:
    """Opens with no relation or operator, and holds a relation outside any bracket."""
    k = 0
    while k < len(toks) and toks[k].type in _LEADING:
        k += 1
    if k == len(toks) or sg.starts_continuation(toks[k]):
        return False
    depth = 0
    for tok in toks[k:]:
        if tok.type in ("LBRACE", "LPAR"):
            depth += 1
        elif tok.type in ("RBRACE", "RPAR"):
            depth -= 1
        elif depth == 0 and tok.type in ("EQ", "REL"):
            return True
    return False


# Prose right before a formula that makes its `=` a definition ("Let $θ = U v_c$").
_INTRODUCES = re.compile(r"\b(let|where|define|defining|set|denote|with)\s*\W{0,3}\s*$", re.I)


def introduced(doc: Document, offset: int) -> bool:
    """Whether the prose right before ``offset`` (on its line, before the math opens)
    introduces a definition: "Let $…", "where $…", "Define $…"."""
    start = doc.text.rfind("\n", 0, offset) + 1
    before = doc.text[start:offset]
    opened = max(before.rfind("$"), before.rfind("\\("), before.rfind("\\["))
    return bool(_INTRODUCES.search(before[: max(opened, 0)]))
