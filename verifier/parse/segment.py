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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

from lark import Lark
from lark.exceptions import UnexpectedCharacters
from lark.lexer import LexerThread

from verifier.errors import NotationError
from verifier.parse.bars import pair_bars
from verifier.parse.parser import GRAMMAR_DIR, check_balance
from verifier.parse.prose import text_content, text_role
from verifier.source.origin import Origin

CHAIN, CONTINUES, LONE, CONDITION, UNREAD = "chain", "continues", "lone", "condition", "unread"
# an index letter, or one plus a whole number (`j + 1`, `L - 1`): what conditions compare
LETTER_PLUS = r"[A-Za-z](\s*[+-]\s*[0-9]+)?"

_OPEN = {"LBRACE", "LPAR", "MATBEGIN", "CLBRACE", "ABSL"}
_CLOSE = {"RBRACE", "RPAR", "MATEND", "CRBRACE", "ABSR"}
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
    origin: Origin | None = None  # where each character of ``text`` is, when macros made it

    def at(self, i: int) -> int:
        """File offset of ``text[i]``."""
        return self.offset + i if self.origin is None else self.origin.at(i)


@dataclass(frozen=True)
class Piece:
    kind: str
    offset: int  # file offset of its first token
    members: tuple[Member, ...] = ()
    source: str = ""
    message: str = ""  # for unread and condition pieces
    leading_operator: bool = False  # `+ 5`: on a line of its own it continues the one above
    negated: str = ""  # a condition after `\\text{unless}`, `\\text{except when}`: those words
    disjoined: bool = False  # after `\\text{or}`: another case of the condition before it


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


@cache
def _all_tokens():
    """The lexer that keeps ignored tokens too, built once (`Lark.lex` would build it anew for
    every span)."""
    return _lexer()._build_lexer(dont_ignore=True)


def _lex(text: str):
    return LexerThread.from_text(_all_tokens(), text).lex(None)


def tokens(text: str) -> list[Tok]:
    """The span's tokens: whitespace, spacing and tags dropped, alignment `&` kept (as AMP).

    A character that is no token does not stop the reading: it becomes a BAD token, content
    like any other, so it costs the member it sits in, not the whole span."""
    bad: list[Tok] = []
    work = pair_bars(text)  # bars paired once, on the text as written (`\\|` is no bar)
    while True:
        try:
            found = [
                Tok("AMP" if tok.value == "&" else tok.type, tok.value, tok.start_pos, tok.end_pos)
                for tok in _lex(work)
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
def starts_continuation(tok: Tok) -> bool:
    """A relation or a binary operator: a piece that starts so continues the one before."""
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
                last = current.tokens[-1] if current.tokens else None
                # the even `&` of a row starts a new column (`a &= b & c &= d`, `&& (2)`);
                # in eqnarray's `a &=& b` it stands right after the relation, inside the row
                if self.amps % 2 == 0 and not (last is not None and last.type in _RELATIONS):
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
        if role == "formula" or _expects_operand(last) or (last and _glued(tok)):
            return None  # it stands where the formula goes: content, reported there
        if role == "label" and current.tokens:
            return None  # `Step 3` inside a formula is not a label
        return "" if role in ("prose", "label") else role


def _glued(tok: Tok) -> bool:
    """`y\\text{ty}`, `W\\text{(Wx)}`: text starting with no space right after an operand
    renders glued to it (TeX drops the spaces before it), so it reads as part of the formula."""
    content = text_content(tok.value)
    return bool(content) and (content[0].isalnum() or content[0] in "([")


def _is_tag(piece: _Raw, following: _Raw | None) -> bool:
    """`\\quad (3)` or `&& (3)` closing a row: an equation number written by hand."""
    kinds = [t.type for t in piece.tokens]
    if kinds not in (["LPAR", "DIGIT", "RPAR"], ["LPAR", "NUMBER", "RPAR"]):
        return False
    if not piece.tokens[1].value.isdigit() or not piece.opener:
        return False
    spaced = piece.opener[-1].value in ("\\quad", "\\qquad", "&")
    row_ends = following is None or any(
        t.type == "SEP" and t.value.startswith(_ROW) for t in following.opener
    )
    return spaced and row_ends


def _merge(pieces: list[_Raw]) -> list[_Raw]:
    """A piece starting with a relation or an operator continues the claim before it: the
    separators between them (`\\\\ &\\quad`) are blanked, not read as separators. A relation
    (`\\\\ &= c`) continues the last claim across a quantifier or an equation number; an
    operator only the piece right before it (`\\forall i \\quad + 5` is reported, not read)."""
    out: list[_Raw] = []
    pending: list[Tok] = []  # separators (and tags, quantifiers) since the last claim piece
    joined = False  # `\\text{or} \\quad t_j = 0`: the piece after the spacing is the other case
    for k, piece in enumerate(pieces):
        following = pieces[k + 1] if k + 1 < len(pieces) else None
        pending += piece.opener
        if piece.tokens and joined and not piece.after:
            piece.after = "or"
        joined = (joined or piece.after == "or") and not piece.tokens
        if not piece.tokens:
            if piece.after in ("condition", "negated"):  # `\text{if}` with nothing after it
                out.append(_Raw(piece.opener, after=piece.after))
                pending = []
            continue
        if _is_tag(piece, following):
            pending += piece.tokens
            continue
        target = _continued(out, piece, pending)
        if target is not None:
            target.tokens += piece.tokens
            target.absorbed += pending
        else:
            out.append(piece)
        pending = []
    return out


def _continued(out: list[_Raw], piece: _Raw, pending: list[Tok]) -> _Raw | None:
    """The piece that ``piece`` continues, or None."""
    if not out or not starts_continuation(piece.tokens[0]):
        return None
    k = len(out) - 1
    if piece.tokens[0].type in _RELATIONS:  # `\\ &= c` skips a quantifier on the row before
        while k > 0 and out[k].after == "quantifier" and _letters(out[k]):
            pending += out[k].opener + out[k].tokens
            k -= 1
    target = out[k]
    if target.after not in ("", "prose"):
        return None
    del out[k + 1 :]
    return target


def _letters(piece: _Raw) -> bool:
    return all(t.type in ("LETTER", "COMMA") for t in piece.tokens)


# --- members and kinds ----------------------------------------------------------------------
@dataclass(frozen=True)
class _Span:
    text: str
    offset: int
    blanks: tuple[tuple[int, int], ...]  # empty groups `{}`: they render nothing
    is_symbol: Callable[[str], bool]
    origin: Origin | None = None

    def at(self, i: int) -> int:
        return self.offset + i if self.origin is None else self.origin.at(i)


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
        at = span.at(0)
        return Member(at, "", rel, "", f"nothing after `{rel}`", at)
    start, end = toks[0].start, toks[-1].end
    chars = list(span.text[start:end])
    hidden = [(t.start, t.end) for t in raw.absorbed] + list(span.blanks)
    for a, b in hidden:  # a continued row's separators and empty `{}` are not the formula
        for i in range(max(a, start), min(b, end)):
            chars[i - start] = " "
    source = " ".join(span.text[start:end].split())
    error, at = _member_error(toks, span.is_symbol)
    origin = None if span.origin is None else span.origin.slice(start, end)
    return Member(span.at(start), "".join(chars), rel, source, error, span.at(at), origin)


def _declared_word(tok: Tok, is_symbol: Callable[[str], bool]) -> bool:
    word = text_content(tok.value).replace(" ", "")
    return word.isalpha() and is_symbol(word)


def _member_error(toks: list[Tok], is_symbol: Callable[[str], bool]) -> tuple[str, int]:
    for k, tok in enumerate(toks):
        after = toks[k + 1] if k + 1 < len(toks) else None
        if tok.value == "\\" and after and after.value == "|" and after.start == tok.end:
            return "norms `\\|x\\|` are not supported", tok.start
        if tok.type == "BAD":
            return f"unexpected character `{tok.value}`", tok.start
        if tok.type == "TEXT" and not _declared_word(tok, is_symbol):
            what = "renders as part of the formula" if text_role(tok.value) == "formula" else ""
            what = what or "stands where an expression belongs"
            return f"unexpected text `{tok.value}`: it {what} but cannot be read", tok.start
    return "", 0


def _index_like(member: Member, is_symbol: Callable[[str], bool]) -> bool | None:
    """True for a bare index letter or one plus a whole number (`j + 1`, `L - 1`), None for a
    whole number, False for anything else."""
    text = member.text.strip()
    if re.fullmatch(r"[0-9]+", text):
        return None
    letter = re.fullmatch(LETTER_PLUS, text)
    return bool(letter) and not is_symbol(text[0])


def _is_condition(members: list[Member], is_symbol: Callable[[str], bool]) -> bool:
    """Index letters and numbers compared (`i \\neq j`, `i = 1`); beside an index letter, a
    model's one-letter name may bound it in an inequality (`1 \\le i \\le n`), never in an
    equation (`m = 1` is a claim)."""
    kinds = [_index_like(m, is_symbol) for m in members]
    bounded = all(m.rel.strip() not in ("", "=") for m in members[1:])
    letters = [bool(re.fullmatch(LETTER_PLUS, m.text.strip())) for m in members]
    allowed = [k is not False or (bounded and one) for k, one in zip(kinds, letters, strict=True)]
    return all(allowed) and any(k for k in kinds)


def _accounted(raw: _Raw, members: list[Member], is_symbol) -> bool:
    """Read, with nothing to check: a quantifier `\\forall i, j`."""
    bare = [re.fullmatch(r"[A-Za-z]", m.text.strip()) for m in members]  # not `i + 5`
    if raw.after == "quantifier" and all(bare) and all(_index_like(m, is_symbol) for m in members):
        return not any(m.rel for m in members)
    return False


def _in_groups(toks: list[Tok]) -> Iterator[tuple[Tok, list[bool]]]:
    """Each token that opens or closes no bracket, with the brackets it sits in (True for a
    script's group: `_{…}`, `^{…}`, and for the indicator's condition: `\\mathbb{1}(z > 0)`)."""
    groups: list[bool] = []
    for k, tok in enumerate(toks):
        previous = toks[k - 1] if k else None
        if tok.type in _OPEN:
            script = previous is not None and previous.type in ("UNDERSCORE", "CIRCUMFLEX")
            groups.append(script or _after_indicator(toks[max(0, k - 4) : k]))
        elif tok.type in _CLOSE and groups:
            groups.pop()
        else:
            yield tok, groups


def _after_indicator(before: list[Tok]) -> bool:
    """Whether a bracket opens right after `\\mathbb{1}` (`\\mathbf{1}`): the indicator's
    argument, where a comparison (`z > 0`) is what belongs."""
    kinds = [t.type for t in before[-4:]]
    return kinds == ["STYLE", "LBRACE", "DIGIT", "RBRACE"] and before[-2].value == "1"


def _outside_scripts(toks: list[Tok]) -> list[Tok]:
    """The tokens not inside a script's group (`\\sum_{i \\neq k}` holds its `\\neq`)."""
    return [tok for tok, groups in _in_groups(toks) if not any(groups)]


def _inner_relation(toks: list[Tok]) -> Tok | None:
    """A relation inside brackets (`(a = 5)`, `\\big[a = 5\\big]`) but not in a script
    (`\\sum_{j=1}`): an equation the reader sees, inside what is otherwise a mention."""
    for tok, groups in _in_groups(toks):
        if tok.type in _RELATIONS and groups and not groups[-1]:
            return tok
    return None


def _classify(span: _Span, raw: _Raw, is_symbol: Callable[[str], bool], alone: bool) -> Piece:
    first = raw.tokens[0]
    members = _members(span, raw)
    offset = span.at(first.start)
    source = " ".join(span.text[first.start : raw.tokens[-1].end].split())
    relations = [m.rel for m in members if m.rel]
    opens_with_member = first.type not in _RELATIONS  # `= j` continues a chain, never a condition
    if raw.after == "or":  # `\text{if } t_j = 1 \text{ or } t_j = 0`: one claim, two cases
        message = (
            f"conditions joined by `or` are not read ({source}): write each case as a claim "
            "of its own"
        )
        return Piece(UNREAD, offset, tuple(members), source, message, disjoined=True)
    if raw.after == "negated":  # `\text{unless } i = j`: said, never read as `i = j`
        words = " ".join(t.value for t in raw.opener if t.type == "TEXT")
        return Piece(
            CONDITION, offset, tuple(members), source, f"a condition ({source})", negated=words
        )
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
    elif _inner_relation(raw.tokens) is not None:
        message = f"an equation inside brackets is not read: `{source}` (write it outside them)"
        return Piece(UNREAD, offset, tuple(members), source, message)
    elif alone:
        return Piece(LONE, offset, tuple(members), source, leading_operator=_is_operator(first))
    else:
        message = f"unread text `{source}`: only equations are checked inside a formula"
        return Piece(UNREAD, offset, tuple(members), source, message)
    other = next((t.value for t in _outside_scripts(raw.tokens) if t.type == "REL"), None)
    if other is not None:
        message = f"`{other}` is not an equality: only `=` is checked ({source})"
        return Piece(UNREAD, offset, tuple(members), source, message)
    return Piece(kind, offset, tuple(members), source)


def _transparent(toks: list[Tok]) -> tuple[list[Tok], tuple[tuple[int, int], ...]]:
    """What renders nothing of its own is dropped (blanked where a member is parsed): `{}`
    where an operand starts (`{}+ 5`, TeX's way to make a sign binary), and the frame of
    `\\boxed{…}`, whose content is the formula."""
    kept: list[Tok] = []
    blanks: list[tuple[int, int]] = []
    boxes: list[int] = []  # depth of each open `\boxed{`
    depth = 0
    for tok in toks:
        if tok.type == "LBRACE" and kept and kept[-1].type == "CMD" and kept[-1].value == "\\boxed":
            blanks.append((kept.pop().start, tok.end))
            boxes.append(depth)
            depth += 1
            continue
        if tok.type in _OPEN:
            depth += 1
        elif tok.type in _CLOSE:
            depth -= 1
            if tok.type == "RBRACE" and boxes and boxes[-1] == depth:
                boxes.pop()
                blanks.append((tok.start, tok.end))
                continue
        if tok.type == "RBRACE" and kept and kept[-1].type == "LBRACE" and _opens(kept[:-1]):
            blanks.append((kept.pop().start, tok.end))
            continue
        kept.append(tok)
    return kept, tuple(blanks)


def _opens(before: list[Tok]) -> bool:
    """Whether an operand starts here: at the start, or after a relation, operator or separator."""
    return not before or _expects_operand(before[-1]) or before[-1].type in ("SEP", "COMMA", "AMP")


def segment(
    text: str, offset: int, is_symbol: Callable[[str], bool], origin: Origin | None = None
) -> list[Piece]:
    """The pieces of one math span (``offset`` is where ``text`` starts in the file; ``origin``
    where each of its characters is, when macros made it).

    ``is_symbol`` tells a model's one-letter names from index letters (``m = 1`` is a claim
    about the constant m; ``i = j`` a condition). Raises :class:`NotationError` when the span
    as a whole cannot be read (unbalanced brackets)."""
    check_balance(text)
    toks, blanks = _transparent(tokens(text))
    span = _Span(text, offset, blanks, is_symbol, origin)
    raws = _merge(_Cutter(toks, is_symbol).cut())
    members = [_members(span, raw) for raw in raws]
    accounted = [_accounted(raw, m, is_symbol) for raw, m in zip(raws, members, strict=True)]
    # leftover expressions are unread beside a claim; a span that states nothing at all (`$x_1,
    # x_2$` in prose) is a list of mentions
    states = any(m.rel for ms in members for m in ms) or any(r.after for r in raws)
    alone = accounted.count(False) <= 1 or not states
    return [
        _classify(span, raw, is_symbol, alone)
        for raw, done in zip(raws, accounted, strict=True)
        if not done
    ]
