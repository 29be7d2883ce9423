"""Grammar → raw syntax tree. Lark's own exceptions never leave this module."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lark import Lark, Token, Transformer_NonRecursive, v_args
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

from verifier.errors import NotationError
from verifier.parse import tree as t

GRAMMAR_DIR = Path(__file__).with_name("grammar")

# Readable names for the grammar's terminals in "expected ..." messages.
_TERMINAL_NAMES = {
    "RPAR": "`)`",
    "LPAR": "`(`",
    "RBRACE": "`}`",
    "LBRACE": "`{`",
    "EQ": "`=`",
    "LETTER": "a symbol",
    "NUMBER": "a number",
    "DIGIT": "a number",
    "FRAC": "`\\frac`",
    "MINUS": "`-`",
    "PLUS": "`+`",
    "CIRCUMFLEX": "`^`",
    "_": "`_`",
}


@cache
def _lark() -> Lark:
    return Lark.open(
        str(GRAMMAR_DIR / "notation.lark"),
        parser="lalr",
        propagate_positions=True,
        maybe_placeholders=False,
    )


def _pos(node: object) -> int:
    if isinstance(node, Token):
        return node.start_pos or 0
    return getattr(node, "pos", 0)


@v_args(inline=True)
class _ToRaw(Transformer_NonRecursive):
    """One small method per grammar rule, named after it. Non-recursive: the grammar's sums
    are left-deep trees, as deep as the sum is long."""

    def start(self, *items: object) -> t.RSeq:
        chains = tuple(i for i in items if isinstance(i, t.RChain))
        return t.RSeq(chains[0].pos if chains else 0, chains)

    inner = start

    def seps(self, *items: object) -> None:
        return None

    def group(self, seq: t.RSeq) -> t.RSeq:
        return seq

    def chain(self, *items: object) -> t.RChain:
        exprs = tuple(i for i in items if isinstance(i, t.RNode))
        return t.RChain(exprs[0].pos, exprs, continuation=False)

    def continuation(self, *items: object) -> t.RChain:
        exprs = tuple(i for i in items if isinstance(i, t.RNode))
        return t.RChain(_pos(items[0]), exprs, continuation=True)

    def add(self, left: t.RNode, _op: Token, right: t.RNode) -> t.RSum:
        return _extend(left, "+", right)

    def sub(self, left: object, *rest: object):
        if len(rest) == 2:  # sum MINUS term
            return _extend(left, "-", rest[1])
        return ("sub", left)  # a subscript inside `scripted`/`limits`

    def neg(self, op: Token, body: t.RNode) -> t.RNeg:
        return t.RNeg(_pos(op), body)

    def term(self, _op: Token, body: t.RNode) -> t.RNode:  # unary plus
        return body

    def product(self, *items: t.RNode) -> t.RNode:
        return items[0] if len(items) == 1 else t.RProduct(items[0].pos, tuple(items))

    def mulop(self, tok: Token) -> t.RMulOp:
        name = tok.value.lstrip("\\")
        return t.RMulOp(_pos(tok), name)

    def func(self, tok: Token, *scripts: tuple[str, t.RNode | None]) -> t.RNode:
        m = re.search(r"([A-Za-z]+)\s*\}?\s*$", tok.value)
        return self.scripted(t.RFunc(_pos(tok), m.group(1) if m else tok.value), *scripts)

    def bigsum(self, tok: Token, *limits: tuple[str, t.RNode]) -> t.RBigSum:
        subs = tuple(n for kind, n in limits if kind == "sub")
        sups = tuple(n for kind, n in limits if kind == "sup")
        return t.RBigSum(_pos(tok), subs, sups)

    def partial(self, tok: Token) -> t.RPartial:
        return t.RPartial(_pos(tok))

    def sup(self, arg: t.RNode) -> tuple[str, t.RNode]:
        return ("sup", arg)

    def prime(self, tok: Token) -> tuple[str, None]:
        return ("prime", None)

    def scripted(self, base: t.RNode, *scripts: tuple[str, t.RNode | None]) -> t.RNode:
        if not scripts:
            return base
        subs = tuple(n for kind, n in scripts if kind == "sub")
        sups = tuple(n for kind, n in scripts if kind == "sup")
        primes = sum(1 for kind, _ in scripts if kind == "prime")
        return t.RScripted(base.pos, base, subs, sups, primes)

    def sym(self, tok: Token) -> t.RSym:
        return t.RSym(_pos(tok), tok.value.lstrip("\\"))

    def named(self, tok: Token) -> t.RSym:
        m = re.search(r"\{\s*([A-Za-z]+)\s*\}", tok.value)
        return t.RSym(_pos(tok), m.group(1) if m else tok.value)

    def num(self, tok: Token) -> t.RNum:
        text = "0" + tok.value if tok.value.startswith(".") else tok.value  # `.5` prints as 0.5
        return t.RNum(_pos(tok), text)

    def transpose_mark(self, tok: Token) -> t.RTransposeMark:
        return t.RTransposeMark(_pos(tok))

    def cmd(self, tok: Token) -> t.RCmd:
        return t.RCmd(_pos(tok), tok.value)

    def paren(self, left: Token, body: t.RNode, right: Token) -> t.RParen:
        return t.RParen(_pos(left), body, left.value.strip()[-1])

    def frac(self, tok: Token, num: t.RNode, den: t.RNode) -> t.RFrac:
        return t.RFrac(_pos(tok), num, den)

    def sqrt(self, tok: Token, body: t.RNode) -> t.RSqrt:
        return t.RSqrt(_pos(tok), body)

    def styled(self, _tok: Token, body: t.RNode) -> t.RNode:
        return body


def _extend(left: t.RNode, op: str, right: t.RNode) -> t.RSum:
    """One more term of a flat sum (the grammar's sum rule is left-recursive)."""
    if isinstance(left, t.RSum):
        return t.RSum(left.pos, (*left.terms, right), (*left.ops, op))
    return t.RSum(_pos(left), (left, right), (op,))


def parse_math(text: str) -> t.RSeq:
    """Parse the text of one math span into a raw tree, or raise :class:`NotationError`."""
    _check_balance(text)
    try:
        tree = _lark().parse(text)
        return _ToRaw().transform(tree)
    except UnexpectedInput as exc:
        raise _explain(exc, text) from None
    except RecursionError:  # callers raise the limit for the allowed nesting; this is beyond it
        raise NotationError("formula nested too deeply to read", 0) from None
    except VisitError as exc:
        if isinstance(exc.orig_exc, RecursionError):
            raise NotationError("formula nested too deeply to read", 0) from None
        raise


_OPENERS = {"(": ")", "[": "]", "{": "}"}


@cache
def _prose() -> re.Pattern[str]:
    """The grammar's own ``\\text{...}`` pattern: prose is skipped, parentheses in it too."""
    return re.compile(_lark().get_terminal("TEXT").pattern.to_regexp())


def _check_balance(text: str) -> None:
    """Name the unbalanced delimiter before the parser trips over it somewhere later."""
    stack: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        prose = _prose().match(text, i) if ch == "\\" else None
        if prose:
            i = prose.end()
            continue
        if ch == "\\" and i + 1 < len(text):
            if text.startswith("\\left", i) or text.startswith("\\right", i):
                i += 5 if text[i + 1] == "l" else 6
                continue
            i += 2  # an escaped character such as \{ or \\ is not a delimiter
            continue
        if ch in _OPENERS:
            stack.append((ch, i))
        elif ch in ")]}":
            if not stack:
                raise NotationError(f"unbalanced `{ch}`: nothing opens it", i)
            opener, at = stack.pop()
            if _OPENERS[opener] != ch and not (opener in "([" and ch in ")]"):
                raise NotationError(f"`{opener}` at offset {at} is closed by `{ch}`", i)
        i += 1
    if stack:
        opener, at = stack[-1]
        before = text[max(0, at - 5) : at]
        what = "`\\left(`" if before.rstrip().endswith("\\left") else f"`{opener}`"
        raise NotationError(f"unbalanced {what}: it is never closed", at)


_COMMANDS = (
    "frac dfrac partial sum cdot times odot circ log ln exp tanh sigma delta alpha beta gamma "
    "left right text mathrm operatorname mathbf boldsymbol top quad therefore Rightarrow sqrt "
    "lambda theta eta epsilon mathsf intercal qquad implies prime"
).split()


def did_you_mean(name: str, known: list[str]) -> str:
    """A short ``did you mean`` suffix, or an empty string."""
    import difflib

    close = difflib.get_close_matches(name, known, n=2, cutoff=0.6)
    return (" — did you mean " + " or ".join(f"`{c}`" for c in close) + "?") if close else ""


def _explain(exc: UnexpectedInput, text: str) -> NotationError:
    pos = getattr(exc, "pos_in_stream", None) or 0
    if isinstance(exc, UnexpectedCharacters):
        if text.startswith(("\\{", "\\}"), pos):
            return NotationError(
                f"`{text[pos : pos + 2]}` is not supported: group with ( ) or [ ]", pos
            )
        m = re.match(r"\\[A-Za-z]+", text[pos:])
        if m:
            hint = did_you_mean(m.group(0), ["\\" + c for c in _COMMANDS])
            return NotationError(f"unknown command `{m.group(0)}`{hint}", pos)
        return NotationError(f"unexpected character `{text[pos]}`", pos)
    if isinstance(exc, UnexpectedEOF):
        return NotationError("the formula ends too early", len(text))
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        got = "end of the formula" if tok.type == "$END" else f"`{tok.value}`"
        expected = sorted({_TERMINAL_NAMES.get(e, "") for e in exc.expected} - {""})
        tail = f"; expected {', '.join(expected)}" if expected and len(expected) <= 4 else ""
        return NotationError(f"unexpected {got}{tail}", tok.start_pos or pos)
    return NotationError("cannot read this formula", pos)
