"""One math span → pieces between separators → members between relations.

What is checked is what the reader sees rendered, so every token of a span is accounted for:

- separators (``\\\\``, ``\\quad``, ``\\therefore``, top-level ``,`` ``;`` ``.`` ``:``, prose
  ``\\text{…}``) cut the span into pieces; alignment ``&`` and spacing are never separators;
- a piece that starts with a relation or a binary operator continues the piece before it (a
  new row of ``aligned`` that starts with ``&=`` or ``& +``): the separators between them are
  blanked and the two are read as one;
- a piece with relations is a chain of members; one whose members are bare index letters or
  numbers (``i = j``, ``i \\neq j``), or that follows ``\\text{if}``, is a condition;
- ``\\tag``, ``\\label``, ``\\forall i`` and a trailing ``.`` or ``,`` are read and dropped;
- anything else is ``unread`` with a message that names it, never skipped.

The tokens are the grammar's own (``notation.lark``): this module decides structure only, each
member is then parsed by :func:`verifier.parse.parser.parse_member`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from lark import Lark
from lark.exceptions import UnexpectedCharacters

from verifier.errors import NotationError
from verifier.parse.parser import GRAMMAR_DIR, check_balance

CHAIN, CONTINUES, LONE, CONDITION, UNREAD = "chain", "continues", "lone", "condition", "unread"

_OPEN = {"LBRACE", "LPAR"}
_CLOSE = {"RBRACE", "RPAR"}
_RELATIONS = {"EQ", "REL"}
_OPERATORS = {"PLUS", "MINUS", "MULOP", "SLASH"}
_SIGNS = {"\\pm", "\\mp"}  # read by the grammar as commands; they still start a continuation
_SKIPPED = {"IGNORED", "TAG"}  # alignment, spacing, equation numbers: accounted, not content
_MAX_BAD_CHARACTERS = 20


@dataclass(frozen=True)
class Tok:
    type: str
    value: str
    start: int  # in the span's text
    end: int


@dataclass(frozen=True)
class Member:
    """One side of a relation: ``text`` is what is parsed, ``offset`` where it starts in the
    file; separators it absorbed (a continued row) are blanked in ``text``."""

    offset: int
    text: str
    rel: str  # the relation written before it; "" for the first member of a chain
    source: str  # as written, whitespace collapsed
    error: str = ""  # why it cannot be read, when the segmenter already knows
    error_at: int = 0  # file offset of that problem


@dataclass(frozen=True)
class Piece:
    kind: str
    offset: int  # file offset of its first token
    members: tuple[Member, ...] = ()
    source: str = ""
    message: str = ""  # for unread and condition pieces
    leading_operator: bool = False  # `+ 5`: on a line of its own it continues the one above


@dataclass
class _Raw:
    """Tokens of one piece before it is classified; ``after`` is the role of the separator
    that opened it (``if`` makes a condition, ``for all`` a quantifier)."""

    tokens: list[Tok] = field(default_factory=list)
    opener: list[Tok] = field(default_factory=list)  # the separator before it
    absorbed: list[Tok] = field(default_factory=list)  # separators blanked by a continuation
    after: str = ""


@cache
def _lexer() -> Lark:
    # The same grammar file, lexed on its own: the segmenter needs tokens, not a parse.
    return Lark.open(str(GRAMMAR_DIR / "notation.lark"), parser="lalr", lexer="basic")


def tokens(text: str) -> tuple[list[Tok], list[int]]:
    """The span's tokens (whitespace dropped) and the offsets of characters that are no token.

    An unexpected character does not stop the reading: it is blanked, remembered, and the rest
    is lexed, so one bad character costs one member, not the whole span."""
    bad: list[int] = []
    work = text
    while True:
        try:
            found = [
                Tok(tok.type, tok.value, tok.start_pos, tok.end_pos)
                for tok in _lexer().lex(work, dont_ignore=True)
                if tok.value.strip()
            ]
            return [tok for tok in found if tok.type not in _SKIPPED], bad
        except UnexpectedCharacters as exc:
            pos = exc.pos_in_stream
            if len(bad) >= _MAX_BAD_CHARACTERS:
                raise NotationError(f"unexpected character `{text[pos]}`", pos) from None
            bad.append(pos)
            work = work[:pos] + " " + work[pos + 1 :]


# --- prose inside math -----------------------------------------------------------------------
_QUANTIFIER = re.compile(r"\b(for\s+(all|each|every|any)|forall)\b", re.IGNORECASE)
_CONDITION = re.compile(r"\b(if|iff|when|whenever|unless)\b", re.IGNORECASE)
_OTHERWISE = re.compile(r"\b(otherwise|else)\b", re.IGNORECASE)
_LABEL = re.compile(
    r"^\s*(step|part|question|problem|exercise|task|q)\s*\d{1,3}[a-z]?\s*[:.)]?\s*$", re.I
)
_REFERENCE = re.compile(r"\(\s*\d{1,3}[a-z]?\s*\)")  # `\text{by (3)}` refers to an equation
_OPERATOR_WORDS = re.compile(
    r"\b(plus|minus|times|divided|equals?|eq|squared|cubed|twice|thrice)\b", re.IGNORECASE
)
_FORMULA_CHARACTERS = re.compile(r"[=+*/^<>|\\0-9×÷±∓≠≤≥·−⋅∑∏√∂]|(?<![A-Za-z])-|-(?![A-Za-z])")


def text_role(token: str) -> str:
    """What a ``\\text{…}`` means inside a formula: ``label``, ``quantifier``, ``condition``,
    ``otherwise``, ``prose`` (a separator), or ``formula`` (it renders as part of the formula:
    ``\\text{=}``, ``\\text{ plus }``; it cannot be read, so it is reported)."""
    content = token[token.index("{") + 1 : -1]
    if _LABEL.match(content):
        return "label"
    bare = _REFERENCE.sub(" ", content)
    if _FORMULA_CHARACTERS.search(bare) or _OPERATOR_WORDS.search(bare):
        return "formula"
    if _QUANTIFIER.search(bare):
        return "quantifier"
    if _OTHERWISE.search(bare):
        return "otherwise"
    if _CONDITION.search(bare):
        return "condition"
    return "prose"


# --- cutting a span into pieces ------------------------------------------------------------
def _starts_continuation(tok: Tok) -> bool:
    return tok.type in _RELATIONS or tok.type in _OPERATORS or tok.value in _SIGNS


def _expects_operand(tok: Tok | None) -> bool:
    return tok is not None and (tok.type in _RELATIONS or tok.type in _OPERATORS)


def _cut(toks: list[Tok]) -> list[_Raw]:
    """Split at top-level separators; prose text where an operand is expected is content."""
    pieces = [_Raw()]
    depth = 0
    for tok in toks:
        current = pieces[-1]
        if tok.type in _OPEN:
            depth += 1
        elif tok.type in _CLOSE:
            depth = max(0, depth - 1)
        role = _separator_role(tok, current) if depth == 0 else None
        if role is None:
            current.tokens.append(tok)
            continue
        if role == "otherwise":  # a condition with nothing after it: its own piece
            pieces.append(_Raw([tok], after="otherwise"))
            role = ""
        if tok.type == "COMMA" and current.after == "quantifier":
            role = "quantifier"  # `\forall i, j`
        pieces.append(_Raw(opener=[tok], after=role))
    return pieces


def _separator_role(tok: Tok, current: _Raw) -> str | None:
    """None when ``tok`` is content; else the role it gives the piece after it."""
    if tok.type in ("SEP", "COMMA"):
        return ""
    if tok.type == "FORALL":
        return "quantifier"
    if tok.type == "TEXT":
        role = text_role(tok.value)
        last = current.tokens[-1] if current.tokens else None
        if role == "formula" or _expects_operand(last):
            return None  # it stands where the formula goes: read as content, reported there
        return "" if role in ("prose", "label") else role
    return None


def _merge(pieces: list[_Raw]) -> list[_Raw]:
    """A piece starting with a relation or an operator continues the piece before it: the
    separators between them (`\\\\ &\\quad`) are blanked, not read as separators."""
    out: list[_Raw] = []
    pending: list[Tok] = []  # separators since the last piece
    for piece in pieces:
        pending += piece.opener
        if not piece.tokens:
            continue
        joinable = out and out[-1].after != "otherwise"
        if joinable and _starts_continuation(piece.tokens[0]):
            out[-1].tokens += piece.tokens
            out[-1].absorbed += pending
        else:
            out.append(piece)
        pending = []
    return out


# --- members and kinds ----------------------------------------------------------------------
@dataclass(frozen=True)
class _Span:
    text: str
    offset: int
    bad: tuple[int, ...]


def _members(span: _Span, raw: _Raw) -> list[Member]:
    groups: list[tuple[str, list[Tok]]] = [("", [])]  # (relation before, tokens)
    depth = 0
    for tok in raw.tokens:
        if tok.type in _OPEN:
            depth += 1
        elif tok.type in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and tok.type in _RELATIONS:
            groups.append((" ".join(tok.value.split()), []))
        else:
            groups[-1][1].append(tok)
    members = [_member(span, raw, rel, toks) for rel, toks in groups]
    if not groups[0][1]:  # a piece that starts with a relation has no first member
        members = members[1:]
    return members


def _member(span: _Span, raw: _Raw, rel: str, toks: list[Tok]) -> Member:
    if not toks:
        return Member(span.offset, "", rel, "", f"nothing after `{rel}`", span.offset)
    start, end = toks[0].start, toks[-1].end
    chars = list(span.text[start:end])
    for sep in raw.absorbed:  # a continued row: its separators are not part of the formula
        for i in range(max(sep.start, start), min(sep.end, end)):
            chars[i - start] = " "
    text = "".join(chars)
    source = " ".join(span.text[start:end].split())
    error, at = _member_error(span, toks, start, end)
    return Member(span.offset + start, text, rel, source, error, span.offset + at)


def _member_error(span: _Span, toks: list[Tok], start: int, end: int) -> tuple[str, int]:
    for pos in span.bad:
        if start <= pos < end:
            return f"unexpected character `{span.text[pos]}`", pos
    for tok in toks:
        if tok.type == "TEXT":
            what = "renders as part of the formula" if text_role(tok.value) == "formula" else ""
            what = what or "stands where an expression belongs"
            return f"unexpected text `{tok.value}`: it {what} but cannot be read", tok.start
    return "", 0


def _index_like(member: Member, is_symbol: Callable[[str], bool]) -> bool | None:
    """True for a bare index letter, None for a number, False for anything else."""
    text = member.text.strip()
    if re.fullmatch(r"[0-9]+", text):
        return None
    return bool(re.fullmatch(r"[A-Za-z]", text)) and not is_symbol(text)


def _is_condition(members: list[Member], is_symbol: Callable[[str], bool]) -> bool:
    kinds = [_index_like(m, is_symbol) for m in members]
    return all(k is not False for k in kinds) and any(k for k in kinds)


def _classify(
    span: _Span, raw: _Raw, is_symbol: Callable[[str], bool], alone: bool, last: bool
) -> Piece | None:
    """The piece's kind; None for what is read and has nothing to check (a quantifier, a
    hand-written equation number)."""
    first = raw.tokens[0]
    members = _members(span, raw)
    offset = span.offset + first.start
    source = " ".join(span.text[first.start : raw.tokens[-1].end].split())
    relations = [m.rel for m in members if m.rel]
    if raw.after == "otherwise":
        return Piece(CONDITION, offset, (), source, f"a condition ({source})")
    opens_with_member = first.type not in _RELATIONS  # `= j` continues a chain, never a condition
    if raw.after == "condition" or (
        relations and opens_with_member and _is_condition(members, is_symbol)
    ):
        return Piece(CONDITION, offset, tuple(members), source, f"a condition ({source})")
    if raw.after == "quantifier" and all(_index_like(m, is_symbol) for m in members):
        return None  # `\forall i`: read, and nothing to check
    if first.type in _RELATIONS:
        kind = CONTINUES
    elif relations:
        kind = CHAIN
    elif any(m.error for m in members):  # `a \text{=} b`: reported, never a mere mention
        return Piece(UNREAD, offset, tuple(members), source, members[0].error)
    elif _hand_tag(raw.tokens, last):
        return None  # `\quad (3)`: an equation number
    elif alone:
        leading = first.type in _OPERATORS or first.value in _SIGNS
        return Piece(LONE, offset, tuple(members), source, leading_operator=leading)
    else:
        message = f"unread text `{source}`: only equations are checked inside a formula"
        return Piece(UNREAD, offset, tuple(members), source, message)
    other = next((t.value for t in raw.tokens if t.type == "REL"), None)
    if other is not None and kind in (CHAIN, CONTINUES):
        message = f"`{other}` is not an equality: only `=` is checked ({source})"
        return Piece(UNREAD, offset, tuple(members), source, message)
    return Piece(kind, offset, tuple(members), source)


def _hand_tag(toks: list[Tok], last: bool) -> bool:
    """``\\quad (3)`` at the end of a formula: an equation number written by hand."""
    kinds = [t.type for t in toks]
    return last and kinds in (["LPAR", "DIGIT", "RPAR"], ["LPAR", "NUMBER", "RPAR"])


def segment(text: str, offset: int, is_symbol: Callable[[str], bool]) -> list[Piece]:
    """The pieces of one math span (``offset`` is where ``text`` starts in the file).

    ``is_symbol`` tells a model's one-letter names from index letters (``m = 1`` is a claim
    about the constant m; ``i = j`` a condition). Raises :class:`NotationError` when the span
    as a whole cannot be read (unbalanced brackets)."""
    check_balance(text)
    toks, bad = tokens(text)
    span = _Span(text, offset, tuple(bad))
    raws = _merge(_cut(toks))
    quantifier_only = [r for r in raws if r.after == "quantifier"]
    alone = len(raws) - len(quantifier_only) <= 1
    pieces = [
        _classify(span, raw, is_symbol, alone, k == len(raws) - 1) for k, raw in enumerate(raws)
    ]
    return [p for p in pieces if p is not None]
