"""One math span → pieces between separators → members between relations.

What is checked is what the reader sees rendered, so every token of a span is accounted for:

- separators (``\\\\``, ``\\quad``, ``\\therefore``, top-level ``,`` ``;`` ``.`` ``:``, prose
  ``\\text{…}``) cut the span into pieces; alignment ``&`` and spacing are never separators,
  except the ``&`` between two equations on one row of an ``align`` (``a &= b & c &= d``);
- a piece that starts with a relation or a binary operator continues the claim before it (a
  new row of ``aligned`` that starts with ``&=`` or ``& +``): the separators between them are
  blanked and the two are read as one;
- a piece with relations is a chain of members; one whose members are bare index letters or
  numbers (``i = j``, ``i \\neq j``), or that follows ``\\text{if}``, is a condition;
- ``\\tag``, ``\\label``, ``\\forall i``, a hand-written ``\\quad (3)`` and a trailing ``.`` or
  ``,`` are read and dropped;
- anything else is ``unread`` with a message that names it, never skipped; a character that is
  no token of the grammar is content, so the member holding it cannot be read.

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
from verifier.parse.prose import text_role

CHAIN, CONTINUES, LONE, CONDITION, UNREAD = "chain", "continues", "lone", "condition", "unread"

_OPEN = {"LBRACE", "LPAR"}
_CLOSE = {"RBRACE", "RPAR"}
_RELATIONS = {"EQ", "REL"}
_OPERATORS = {"PLUS", "MINUS", "MULOP", "SLASH"}
_SIGNS = {"\\pm", "\\mp"}  # read by the grammar as commands; they still start a continuation
_SKIPPED = {"IGNORED", "TAG"}  # spacing and equation numbers: accounted, not content
_ROW = "\\\\"
_MAX_BAD_CHARACTERS = 50


@dataclass(frozen=True)
class Tok:
    type: str  # a grammar terminal; BAD for a character the grammar has no token for
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
    that opened it (``condition`` after `\\text{if}`, ``quantifier`` after `\\forall`)."""

    tokens: list[Tok] = field(default_factory=list)
    opener: list[Tok] = field(default_factory=list)  # the separator before it
    absorbed: list[Tok] = field(default_factory=list)  # separators blanked by a continuation
    after: str = ""


@cache
def _lexer() -> Lark:
    # The same grammar file, lexed on its own: the segmenter needs tokens, not a parse.
    return Lark.open(str(GRAMMAR_DIR / "notation.lark"), parser="lalr", lexer="basic")


def tokens(text: str) -> list[Tok]:
    """The span's tokens: whitespace, spacing and tags dropped, alignment `&` kept (as AMP).

    A character that is no token does not stop the reading: it becomes a BAD token, content
    like any other, so it costs the member it sits in, not the whole span."""
    bad: list[Tok] = []
    work = text
    while True:
        try:
            found = [
                Tok("AMP" if tok.value == "&" else tok.type, tok.value, tok.start_pos, tok.end_pos)
                for tok in _lexer().lex(work, dont_ignore=True)
                if tok.value.strip() and (tok.type not in _SKIPPED or tok.value == "&")
            ]
            return sorted(found + bad, key=lambda t: t.start)
        except UnexpectedCharacters as exc:
            pos = exc.pos_in_stream
            if len(bad) >= _MAX_BAD_CHARACTERS:
                raise NotationError(f"unexpected character `{text[pos]}`", pos) from None
            bad.append(Tok("BAD", text[pos], pos, pos + 1))
            work = work[:pos] + " " + work[pos + 1 :]


# --- cutting a span into pieces ------------------------------------------------------------
def _starts_continuation(tok: Tok) -> bool:
    return tok.type in _RELATIONS or _is_operator(tok)


def _is_operator(tok: Tok) -> bool:
    return tok.type in _OPERATORS or tok.value in _SIGNS


def _expects_operand(tok: Tok | None) -> bool:
    return tok is not None and (tok.type in _RELATIONS or _is_operator(tok))


class _Cutter:
    """Splits the tokens at top-level separators; prose where an operand is expected, or that
    renders as part of the formula, is content."""

    def __init__(self, toks: list[Tok], is_symbol: Callable[[str], bool]) -> None:
        self.toks = toks
        self.is_symbol = is_symbol
        self.pieces = [_Raw()]
        self.depth = 0
        self.amps = 0  # alignment marks on this row

    def cut(self) -> list[_Raw]:
        for k, tok in enumerate(self.toks):
            self._token(k, tok)
        return self.pieces

    def _token(self, k: int, tok: Tok) -> None:
        current = self.pieces[-1]
        if tok.type in _OPEN:
            self.depth += 1
        elif tok.type in _CLOSE:
            self.depth = max(0, self.depth - 1)
        if tok.type == "AMP":
            if self.depth == 0:
                self.amps += 1
                if self.amps % 2 == 0 and self._second_equation(k, current):
                    self.pieces.append(_Raw(opener=[tok]))
            return
        role = self._role(tok, current) if self.depth == 0 else None
        if role is None:
            current.tokens.append(tok)
            return
        if tok.value.startswith(_ROW) and tok.type == "SEP":
            self.amps = 0
        if role == "otherwise":  # a condition with nothing after it: its own piece
            self.pieces.append(_Raw([tok], after="otherwise"))
            role = ""
        if tok.type == "COMMA" and current.after == "quantifier":
            role = "quantifier"  # `\forall i, j`
        self.pieces.append(_Raw(opener=[tok], after=role))

    def _second_equation(self, k: int, current: _Raw) -> bool:
        """`a &= b & c &= d`: the even `&` of a row separates two equations when both sides
        of it state one (in `eqnarray`'s `a &=& b` the right side states none)."""
        if not any(t.type in _RELATIONS for t in current.tokens):
            return False
        depth = 0
        for tok in self.toks[k + 1 :]:
            depth += (tok.type in _OPEN) - (tok.type in _CLOSE)
            if depth == 0 and tok.type == "SEP" and tok.value.startswith(_ROW):
                return False
            if depth == 0 and tok.type in _RELATIONS:
                return True
        return False

    def _role(self, tok: Tok, current: _Raw) -> str | None:
        """None when ``tok`` is content; else the role it gives the piece after it."""
        if tok.type in ("SEP", "COMMA"):
            return ""
        if tok.type == "FORALL":
            return "quantifier"
        if tok.type != "TEXT":
            return None
        if _declared_word(tok, self.is_symbol):
            return None  # `\text{loss}`: a name the course declares
        role = text_role(tok.value)
        last = current.tokens[-1] if current.tokens else None
        if role == "formula" or _expects_operand(last):
            return None  # it stands where the formula goes: content, reported there
        if role == "label" and current.tokens:
            return None  # `Step 3` inside a formula is not a label
        return "" if role in ("prose", "label") else role


def _merge(pieces: list[_Raw]) -> list[_Raw]:
    """A piece starting with a relation or an operator continues the claim before it: the
    separators between them (`\\\\ &\\quad`) are blanked, not read as separators. It never
    continues a condition or a quantifier (`\\forall i \\quad + 5` is reported, not read)."""
    out: list[_Raw] = []
    pending: list[Tok] = []  # separators since the last piece
    for piece in pieces:
        pending += piece.opener
        if not piece.tokens:
            if piece.after == "condition":  # `\text{if}` with nothing after it
                out.append(_Raw(piece.opener, after="condition"))
                pending = []
            continue
        previous = out[-1] if out else None
        joinable = previous is not None and previous.after in ("", "prose")
        if joinable and _starts_continuation(piece.tokens[0]):
            previous.tokens += piece.tokens
            previous.absorbed += pending
        else:
            out.append(piece)
        pending = []
    return out


# --- members and kinds ----------------------------------------------------------------------
@dataclass(frozen=True)
class _Span:
    text: str
    offset: int
    blanks: tuple[tuple[int, int], ...]  # empty groups `{}`: they render nothing
    is_symbol: Callable[[str], bool]


def _members(span: _Span, raw: _Raw) -> list[Member]:
    groups: list[tuple[str, list[Tok]]] = [("", [])]  # (relation before, tokens)
    depth = 0
    for tok in raw.tokens:
        depth += (tok.type in _OPEN) - (tok.type in _CLOSE)
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
    hidden = [(t.start, t.end) for t in raw.absorbed] + list(span.blanks)
    for a, b in hidden:  # a continued row's separators and empty `{}` are not the formula
        for i in range(max(a, start), min(b, end)):
            chars[i - start] = " "
    source = " ".join(span.text[start:end].split())
    error, at = _member_error(toks, span.is_symbol)
    return Member(span.offset + start, "".join(chars), rel, source, error, span.offset + at)


def _declared_word(tok: Tok, is_symbol: Callable[[str], bool]) -> bool:
    word = tok.value[tok.value.index("{") + 1 : -1].replace(" ", "")
    return word.isalpha() and is_symbol(word)


def _member_error(toks: list[Tok], is_symbol: Callable[[str], bool]) -> tuple[str, int]:
    for tok in toks:
        if tok.type == "BAD":
            return f"unexpected character `{tok.value}`", tok.start
        if tok.type == "TEXT" and not _declared_word(tok, is_symbol):
            what = "renders as part of the formula" if text_role(tok.value) == "formula" else ""
            what = what or "stands where an expression belongs"
            return f"unexpected text `{tok.value}`: it {what} but cannot be read", tok.start
    return "", 0


def _index_like(member: Member, is_symbol: Callable[[str], bool]) -> bool | None:
    """True for a bare index letter, None for a whole number, False for anything else."""
    text = member.text.strip()
    if re.fullmatch(r"[0-9]+", text):
        return None
    return bool(re.fullmatch(r"[A-Za-z]", text)) and not is_symbol(text)


def _is_condition(members: list[Member], is_symbol: Callable[[str], bool]) -> bool:
    kinds = [_index_like(m, is_symbol) for m in members]
    return all(k is not False for k in kinds) and any(k for k in kinds)


def _accounted(raw: _Raw, members: list[Member], is_symbol, last: bool) -> bool:
    """Read, with nothing to check: `\\forall i, j`, or an equation number `\\quad (3)`."""
    if raw.after == "quantifier" and all(_index_like(m, is_symbol) for m in members):
        return not any(m.rel for m in members)
    kinds = [t.type for t in raw.tokens]
    hand_tag = kinds in (["LPAR", "DIGIT", "RPAR"], ["LPAR", "NUMBER", "RPAR"])
    spaced = bool(raw.opener) and raw.opener[-1].value in ("\\quad", "\\qquad")
    return last and spaced and hand_tag and raw.tokens[1].value.isdigit()


def _classify(span: _Span, raw: _Raw, is_symbol: Callable[[str], bool], alone: bool) -> Piece:
    first = raw.tokens[0]
    members = _members(span, raw)
    offset = span.offset + first.start
    source = " ".join(span.text[first.start : raw.tokens[-1].end].split())
    relations = [m.rel for m in members if m.rel]
    opens_with_member = first.type not in _RELATIONS  # `= j` continues a chain, never a condition
    if raw.after in ("otherwise", "condition") or (
        relations and opens_with_member and _is_condition(members, is_symbol)
    ):
        return Piece(CONDITION, offset, tuple(members), source, f"a condition ({source})")
    if first.type in _RELATIONS:
        kind = CONTINUES
    elif relations:
        kind = CHAIN
    elif any(m.error for m in members):  # `a \text{=} b`: reported, never a mere mention
        return Piece(UNREAD, offset, tuple(members), source, members[0].error)
    elif alone:
        return Piece(LONE, offset, tuple(members), source, leading_operator=_is_operator(first))
    else:
        message = f"unread text `{source}`: only equations are checked inside a formula"
        return Piece(UNREAD, offset, tuple(members), source, message)
    other = next((t.value for t in raw.tokens if t.type == "REL"), None)
    if other is not None:
        message = f"`{other}` is not an equality: only `=` is checked ({source})"
        return Piece(UNREAD, offset, tuple(members), source, message)
    return Piece(kind, offset, tuple(members), source)


def _empty_groups(toks: list[Tok]) -> tuple[list[Tok], tuple[tuple[int, int], ...]]:
    """`{}` renders nothing (`{}+ 5` is TeX's way to make a sign binary): dropped."""
    kept: list[Tok] = []
    blanks: list[tuple[int, int]] = []
    for tok in toks:
        if tok.type == "RBRACE" and kept and kept[-1].type == "LBRACE":
            blanks.append((kept.pop().start, tok.end))
            continue
        kept.append(tok)
    return kept, tuple(blanks)


def segment(text: str, offset: int, is_symbol: Callable[[str], bool]) -> list[Piece]:
    """The pieces of one math span (``offset`` is where ``text`` starts in the file).

    ``is_symbol`` tells a model's one-letter names from index letters (``m = 1`` is a claim
    about the constant m; ``i = j`` a condition). Raises :class:`NotationError` when the span
    as a whole cannot be read (unbalanced brackets)."""
    check_balance(text)
    toks, blanks = _empty_groups(tokens(text))
    span = _Span(text, offset, blanks, is_symbol)
    raws = _merge(_Cutter(toks, is_symbol).cut())
    members = [_members(span, raw) for raw in raws]
    accounted = [
        _accounted(raw, m, is_symbol, k == len(raws) - 1)
        for k, (raw, m) in enumerate(zip(raws, members, strict=True))
    ]
    # leftover expressions are unread beside a claim; a span that states nothing at all (`$x_1,
    # x_2$` in prose) is a list of mentions
    states = any(m.rel for ms in members for m in ms) or any(r.after for r in raws)
    alone = accounted.count(False) <= 1 or not states
    return [
        _classify(span, raw, is_symbol, alone)
        for raw, done in zip(raws, accounted, strict=True)
        if not done
    ]


def is_known_command(name: str) -> bool:
    """Whether the grammar gives ``\\name`` a meaning (so redefining it changes what a formula
    means), unlike an unknown command, which is reported wherever it is used."""
    try:
        first = next(iter(_lexer().lex(name + "{x}", dont_ignore=True)))
    except UnexpectedCharacters:
        return True
    return first.type != "CMD"
