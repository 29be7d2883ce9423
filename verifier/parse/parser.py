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
from verifier.parse.bars import pair_bars
from verifier.parse.commands import unknown_command
from verifier.parse.prose import text_content

GRAMMAR_DIR = Path(__file__).with_name("grammar")

# Readable names for the grammar's terminals in "expected ..." messages.
_TERMINAL_NAMES = {
    "RPAR": "`)`",
    "LPAR": "`(`",
    "RBRACE": "`}`",
    "LBRACE": "`{`",
    "EQ": "`=`",
    "REL": "a relation",
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
    # The transformer runs as the LALR parser reduces: the raw tree is built bottom-up in one
    # pass, without an intermediate parse tree and without recursion (a sum of 3,500 terms is no
    # deeper for it than a sum of two). Positions come from the tokens themselves.
    return Lark.open(
        str(GRAMMAR_DIR / "notation.lark"),
        parser="lalr",
        start=["start", "member"],
        maybe_placeholders=False,
        transformer=_ToRaw(),
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
        return t.RChain(exprs[0].pos, exprs, continuation=False, rels=_rels(items))

    def continuation(self, *items: object) -> t.RChain:
        exprs = tuple(i for i in items if isinstance(i, t.RNode))
        return t.RChain(_pos(items[0]), exprs, continuation=True, rels=_rels(items))

    def member(self, expr: t.RNode) -> t.RNode:
        return expr

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
        name = _UNICODE_OPERATORS.get(tok.value, tok.value.lstrip("\\"))
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

    def nabla(self, tok: Token, *scripts: tuple[str, t.RNode]) -> t.RNabla:
        if any(kind != "sub" for kind, _ in scripts):
            raise NotationError("`\\nabla` takes a subscript (the variable) only", _pos(tok))
        return t.RNabla(_pos(tok), tuple(n for _, n in scripts))

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
        if len(sups) > 1:  # LaTeX, MathJax and KaTeX refuse `x^2^3`: nothing renders to read
            raise NotationError(
                "a double superscript (`x^a^b`) does not render: write `(x^a)^b` or `x^{ab}`",
                sups[1].pos if sups[1] is not None else base.pos,
            )
        return t.RScripted(base.pos, base, subs, sups, primes)

    def sym(self, tok: Token) -> t.RSym:
        return t.RSym(_pos(tok), _UNICODE_GREEK.get(tok.value, tok.value.lstrip("\\")))

    def sup_transpose(self, tok: Token) -> tuple[str, t.RNode]:
        return ("sup", t.RTransposeMark(_pos(tok)))

    def sup_number(self, tok: Token) -> tuple[str, t.RNode]:
        digits = "".join(str(_SUPERSCRIPT_DIGITS.index(c)) for c in tok.value.lstrip("⁻"))
        number: t.RNode = t.RNum(_pos(tok), digits)
        return ("sup", t.RNeg(_pos(tok), number) if tok.value.startswith("⁻") else number)

    def named(self, tok: Token) -> t.RSym:
        m = re.search(r"\{\s*([A-Za-z]+)\s*\}", tok.value)
        return t.RSym(_pos(tok), m.group(1) if m else tok.value)

    def num(self, tok: Token) -> t.RNum:
        text = _NUMBER_SPACE.sub("", tok.value)  # `1\,000` is 1000: spacing never splits it
        text = "0" + text if text.startswith(".") else text  # `.5` prints as 0.5
        return t.RNum(_pos(tok), text)

    def transpose_mark(self, tok: Token) -> t.RTransposeMark:
        return t.RTransposeMark(_pos(tok))

    def matrix(self, begin: Token, *items: object) -> t.RMatrix:
        rows, separators = items[:-1:2], items[1:-1:2]
        opened, closed = (re.search(r"\{(\w+)\}", str(tok)).group(1) for tok in (begin, items[-1]))
        if opened != closed:
            raise NotationError(
                f"`\\begin{{{opened}}}` ends with `\\end{{{closed}}}`", _pos(items[-1])
            )
        for sep in separators:
            if not str(sep).startswith("\\\\"):
                raise NotationError(f"`{sep}` in a matrix: rows end with `\\\\`", _pos(sep))
        kept = list(rows)
        while kept and all(cell is None for cell in kept[-1]):  # a last row break before `\end`
            kept.pop()
        return t.RMatrix(_pos(begin), tuple(kept))

    def mrow(self, *items: object) -> tuple[t.RNode | None, ...]:
        return tuple(item for item in items if not isinstance(item, Token))

    def mcell(self, *items: t.RNode) -> t.RNode | None:
        return items[0] if items else None

    def ellipsis(self, tok: Token) -> t.REllipsis:
        return t.REllipsis(_pos(tok), str(tok))

    def cmd(self, tok: Token) -> t.RCmd:
        return t.RCmd(_pos(tok), tok.value)

    def paren(self, left: Token, body: t.RNode, right: Token) -> t.RParen:
        return t.RParen(_pos(left), body, left.value.strip()[-1])

    def given(self, left: Token, a: t.RNode, _bar: Token, b: t.RNode, right: Token) -> t.RGiven:
        return t.RGiven(_pos(left), a, b)

    def arguments(self, left: Token, *items: object) -> t.RArguments:
        return t.RArguments(_pos(left), tuple(i for i in items if not isinstance(i, Token)))

    def compare(self, left: Token, a: t.RNode, rel: Token, b: t.RNode, right: Token) -> t.RCompare:
        return t.RCompare(_pos(left), a, " ".join(rel.value.split()), b)

    def magnitude(self, left: Token, body: t.RNode, right: Token) -> t.RMagnitude:
        return t.RMagnitude(_pos(left), body)

    def frac(self, tok: Token, num: t.RNode, den: t.RNode) -> t.RFrac:
        return t.RFrac(_pos(tok), num, den)

    def sqrt(self, tok: Token, body: t.RNode) -> t.RSqrt:
        return t.RSqrt(_pos(tok), body)

    def styled(self, tok: Token, body: t.RNode) -> t.RDecorated:
        return t.RDecorated(_pos(tok), tok.value.strip().lstrip("\\"), body)

    def udecorated(self, tok: Token) -> t.RDecorated:
        letter, mark = _UNICODE_DECORATED.get(tok.value, (tok.value[0], tok.value[1:]))
        decoration = _COMBINING.get(mark, mark)
        return t.RDecorated(_pos(tok), decoration, t.RSym(_pos(tok), letter))

    def text(self, tok: Token) -> t.RText:
        return t.RText(_pos(tok), text_content(tok.value).strip())


# Unicode typed for what LaTeX writes as commands: read as those commands.
_UNICODE_OPERATORS = {
    "×": "times",
    "·": "cdot",
    "⋅": "cdot",
    "⊙": "odot",
    "∘": "circ",
    "∗": "ast",
    "⊗": "otimes",
}
_UNICODE_GREEK = dict(
    zip(
        "αβγδεϵζηθικλμνξρσςτφϕχψωΓΔΘΛΞΠΣΦΨΩℓ",
        "alpha beta gamma delta epsilon epsilon zeta eta theta iota kappa lambda mu nu xi rho "
        "sigma sigma tau phi phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi "
        "Omega ell".split(),
        strict=True,
    )
)
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_UNICODE_DECORATED = {"ŷ": ("y", "hat"), "Ŷ": ("Y", "hat"), "ȳ": ("y", "bar"), "ỹ": ("y", "tilde")}
_COMBINING = {"\u0302": "hat", "\u0303": "tilde", "\u0304": "bar", "\u0305": "bar"}
_NUMBER_SPACE = re.compile(r"\s|\\[,;:! ]|~")


def _rels(items: tuple[object, ...]) -> tuple[str, ...]:
    return tuple(
        " ".join(i.value.split()) for i in items if isinstance(i, Token) and i.type in ("EQ", "REL")
    )


def _extend(left: t.RNode, op: str, right: t.RNode) -> t.RSum:
    """One more term of a flat sum (the grammar's sum rule is left-recursive)."""
    if isinstance(left, t.RSum):
        return t.RSum(left.pos, (*left.terms, right), (*left.ops, op))
    return t.RSum(_pos(left), (left, right), (op,))


def parse_math(text: str) -> t.RSeq:
    """Parse a whole formula (pieces between separators) into a raw tree, or raise
    :class:`NotationError`. Student spans go through :func:`parse_member` instead."""
    return _parse(text, "start")


def parse_member(text: str) -> t.RNode:
    """Parse one expression (a member of a chain, cut out by the segmenter)."""
    return _parse(text, "member")


# `&` is a cell of a matrix; anywhere else it is alignment, which renders nothing.
_ALIGNMENT = re.compile(
    r"\\(begin|end)\s*\{(?:pmatrix|bmatrix|Bmatrix|matrix|smallmatrix)\}|(?<!\\)&"
)


def _blank_alignment(text: str) -> str:
    chars, depth = list(text), 0
    for m in _ALIGNMENT.finditer(text):
        if m.group(1) is None:
            if depth <= 0:
                chars[m.start()] = " "
        else:
            depth += 1 if m.group(1) == "begin" else -1
    return "".join(chars)


def _parse(text: str, start: str):
    check_balance(text)
    try:
        return _lark().parse(pair_bars(_blank_alignment(text)), start=start)
    except UnexpectedInput as exc:
        raise _explain(exc, text) from None
    except RecursionError:  # callers raise the limit for the allowed nesting; this is beyond it
        raise NotationError("formula nested too deeply to read", 0) from None
    except VisitError as exc:
        if isinstance(exc.orig_exc, RecursionError):
            raise NotationError("formula nested too deeply to read", 0) from None
        if isinstance(exc.orig_exc, NotationError):  # a rule's own check on what it read
            raise exc.orig_exc from None
        raise


_OPENERS = {"(": ")", "[": "]", "{": "}"}


@cache
def _prose() -> re.Pattern[str]:
    """The grammar's own ``\\text{...}`` pattern: prose is skipped, parentheses in it too."""
    return re.compile(_lark().get_terminal("TEXT").pattern.to_regexp())


def check_balance(text: str) -> None:
    """Name the unbalanced delimiter before the parser trips over it somewhere later. A
    `\\right` needs a `\\left` before it and the other way round: neither renders alone."""
    stack: list[tuple[str, int]] = []
    lefts: list[int] = []
    i = 0
    while i < len(text):
        ch = text[i]
        prose = _prose().match(text, i) if ch == "\\" else None
        if prose:
            i = prose.end()
            continue
        if ch == "\\" and i + 1 < len(text):
            if text.startswith("\\left", i) or text.startswith("\\right", i):
                size = 5 if text[i + 1] == "l" else 6
                if not text[i + size : i + size + 1].isalpha():
                    _pair(lefts, size == 5, i)
                i += size
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
    if lefts:
        raise NotationError("unbalanced `\\left`: no `\\right` closes it", lefts[-1])


def _pair(lefts: list[int], left: bool, i: int) -> None:
    if left:
        lefts.append(i)
    elif not lefts:
        raise NotationError("unbalanced `\\right`: no `\\left` opens it", i)
    else:
        lefts.pop()


def _explain(exc: UnexpectedInput, text: str) -> NotationError:
    pos = getattr(exc, "pos_in_stream", None) or 0
    if isinstance(exc, UnexpectedCharacters):
        if text.startswith(("\\|", "‖"), pos):
            return NotationError("norms `\\|x\\|` are not supported", pos)
        if text.startswith(("\\{", "\\}"), pos):
            return NotationError(
                f"`{text[pos : pos + 2]}` is not supported: group with ( ) or [ ]", pos
            )
        m = re.match(r"\\[A-Za-z]+", text[pos:])
        if m:
            return NotationError(unknown_command(m.group(0)), pos)
        return NotationError(f"unexpected character `{text[pos]}`", pos)
    if isinstance(exc, UnexpectedEOF):
        return NotationError("the formula ends too early", len(text))
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        if tok.type == "GIVEN":
            return NotationError(
                f"`{tok.value}` is read only in a conditional such as `p(o|c)`, or in pairs as "
                "an absolute value `|z|`; norms are not supported",
                tok.start_pos or pos,
            )
        if tok.type in ("CLBRACE", "CRBRACE"):
            return NotationError(
                f"`{tok.value.strip()}` is read only around `\\max`'s arguments (`\\max\\{{0, z\\}}`) "
                "or the indicator's condition (`\\mathbb{1}\\{z > 0\\}`): group with ( ) or [ ]",
                tok.start_pos or pos,
            )
        got = "end of the formula" if tok.type == "$END" else f"`{tok.value}`"
        expected = sorted({_TERMINAL_NAMES.get(e, "") for e in exc.expected} - {""})
        tail = f"; expected {', '.join(expected)}" if expected and len(expected) <= 4 else ""
        return NotationError(f"unexpected {got}{tail}", tok.start_pos or pos)
    return NotationError("cannot read this formula", pos)
