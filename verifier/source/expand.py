"""TeX macro expansion on our own tokens: definitions (`\\newcommand`, `\\def`, `\\let`, …) are
taken as they come and every use of a macro is replaced by its body, as TeX and MathJax do.

Never `eval`: tokens are strings, a body is a tuple of tokens, and the work is bounded (nesting,
steps and size), so a macro that never ends is an error at its use, never a hang.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from verifier.source.origin import OriginBuilder

MAX_DEPTH = 32  # nested expansions: a macro expanding into itself stops here
MAX_STEPS = 20_000  # expansions per formula
MIN_CAP = 4_096  # characters a formula may grow to, whatever its length (else 20× its length)
MAX_CAP = 400_000
FILE_STEPS = 200_000  # expansions in a whole file
FILE_CHARS = 4_000_000  # characters of expanded formulas in a whole file

_TOKEN = re.compile(r"\\(?:[A-Za-z]+|.)|#[1-9#]?|\s+|.", re.S)
_TOKEN_AT = re.compile(r"\\(?:[A-Za-z@]+|.)|#[1-9#]?|\s+|.", re.S)  # after \makeatletter
_WORD = re.compile(r"\\[A-Za-z@]+")
_PARAM = re.compile(r"#[1-9]")

NEWCOMMAND = frozenset(r"\newcommand \renewcommand \providecommand \DeclareRobustCommand".split())
DEFS = frozenset(r"\def \gdef \edef \xdef".split())
OPERATOR = r"\DeclareMathOperator"
LET = r"\let"
PREFIXES = frozenset(r"\long \protected \outer".split())
# Definitions of a name that are not expanded: uses of the name are errors.
UNEXPANDED = frozenset(
    r"\NewDocumentCommand \RenewDocumentCommand \ProvideDocumentCommand \DeclareDocumentCommand"
    r" \NewExpandableDocumentCommand \DeclareMathSymbol \DeclareMathDelimiter \DeclareMathAlphabet"
    r" \DeclarePairedDelimiter \DeclarePairedDelimiterX \mathchardef \chardef \futurelet"
    r" \newcommandx \renewcommandx".split()
)
# Commands that can change how any later formula renders (a character's meaning, a name built
# from text, a hook, a patched macro): formulas after them are not read.
GLOBAL = frozenset(
    r"\catcode \mathcode \csname \expandafter \everymath \everydisplay \patchcmd \apptocmd"
    r" \pretocmd \xpatchcmd \xapptocmd \xpretocmd \g@addto@macro \addto \lccode \uccode"
    r" \DeclareMathVersion \SetSymbolFont".split()
)
# MathJax typesets the argument of these as written: no macro in it is expanded or defined.
LITERAL = frozenset(
    r"\text \textrm \textit \textbf \textsf \texttt \textnormal \textup \textmd \textsl \mbox"
    r" \hbox".split()
)
INPUTS = frozenset(
    r"\input \include \subfile \import \subimport \inputfrom \subinputfrom \includefrom"
    r" \subincludefrom \InputIfFileExists \includeonly".split()
)
# What opens math: a macro that writes it in running text makes a formula that is not read.
MATH_OPENERS = frozenset(["$", r"\(", r"\[", r"\ensuremath"])


@cache
def latex_defines() -> frozenset[str]:
    """Commands LaTeX (with amsmath and amssymb) already has: `\\newcommand` refuses them."""
    text = resources.files("verifier.source").joinpath("latex_commands.txt").read_text("utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return frozenset("\\" + w for line in lines for w in line.split())


@dataclass(frozen=True, slots=True)
class Tok:
    text: str
    at: int  # file offset of its first character
    copied: bool = True  # its characters are the file's own, from `at` on (else a macro's)
    depth: int = 0  # nested expansions that made it
    frozen: bool = False  # a meaning taken by \let or \DeclareMathOperator: never expanded


@dataclass(frozen=True)
class Macro:
    params: int = 0
    body: tuple[Tok, ...] = ()
    default: tuple[Tok, ...] | None = None  # the optional first argument's default
    refused: str = ""  # why a use of it is not read


class Refused(Exception):
    """A formula that cannot be read as it renders: ``at`` is the file offset to report."""

    def __init__(self, at: int, message: str) -> None:
        super().__init__(message)
        self.at, self.message = at, message


@dataclass(frozen=True)
class Dialect:
    """What defines a macro where: pdflatex (definitions local to their group, LaTeX's checks)
    or MathJax (GitHub, Jupyter: every definition global, no \\providecommand)."""

    definers: frozenset[str]
    grouped: bool
    latex: bool


LATEX = Dialect(NEWCOMMAND | DEFS | {OPERATOR, LET}, grouped=True, latex=True)
MATHJAX = Dialect(
    frozenset([r"\newcommand", r"\renewcommand", r"\def", LET, OPERATOR]),
    grouped=False,
    latex=False,
)


class Table:
    """The macros in force. Under TeX's rules a definition is undone at the end of its group
    (a save stack, as TeX keeps one); a `\\global` one, or any under MathJax, stays."""

    def __init__(self, grouped: bool) -> None:
        self.current: dict[str, Macro] = {}
        # one frame per open group, made only when something is saved in it (a file of many
        # braces costs a list entry each, not a dictionary)
        self.saved: list[dict[str, Macro | None] | None] = []
        self.grouped = grouped

    def get(self, name: str) -> Macro | None:
        return self.current.get(name)

    def define(self, name: str, macro: Macro, globally: bool = False) -> None:
        if globally or not self.grouped:
            for frame in self.saved:
                if frame is not None:
                    frame.pop(name, None)
        elif self.saved:
            if self.saved[-1] is None:
                self.saved[-1] = {}
            self.saved[-1].setdefault(name, self.current.get(name))
        self.current[name] = macro

    def open(self) -> None:
        if self.grouped:
            self.saved.append(None)

    def close(self) -> None:
        if not (self.grouped and self.saved):
            return
        for name, old in (self.saved.pop() or {}).items():
            if old is None:
                self.current.pop(name, None)
            else:
                self.current[name] = old


class Stream:
    """Tokens of ``text[pos:end]`` read lazily (file offsets ``base + i``), with what expansion
    pushed back in front of them."""

    def __init__(self, text: str, pos: int, end: int, base: int = 0, at_letter: bool = False):
        self.text, self.pos, self.end, self.base = text, pos, end, base
        self.pending: list[Tok] = []  # the next token is the last
        self.pending_chars = 0
        self.pattern = _TOKEN_AT if at_letter else _TOKEN

    def next(self) -> Tok | None:
        if self.pending:
            tok = self.pending.pop()
            self.pending_chars -= len(tok.text)
            return tok
        if self.pos >= self.end:
            return None
        m = self.pattern.match(self.text, self.pos, self.end)
        self.pos = m.end()
        return Tok(m.group(), self.base + m.start())

    def push(self, toks: list[Tok]) -> None:
        self.pending.extend(reversed(toks))
        self.pending_chars += sum(len(t.text) for t in toks)

    def skip_space(self) -> Tok | None:
        """The next token that is not blank, left in the stream."""
        while (tok := self.next()) is not None and tok.text.isspace():
            pass
        if tok is not None:
            self.push([tok])
        return tok


def is_command(text: str) -> bool:
    return len(text) > 1 and text[0] == "\\"


class Sink:
    """Where expanded tokens go: a formula's text, with its origin map."""

    def __init__(self) -> None:
        self.builder = OriginBuilder()
        self.last = ""
        self.chars = 0

    def emit(self, tok: Tok) -> None:
        if _WORD.fullmatch(self.last) and tok.text[:1].isalpha():
            self.builder.add(" ", tok.at, False)  # `\alpha` then `x` must not read `\alphax`
        self.builder.add(tok.text, tok.at, tok.copied)
        self.last = tok.text
        self.chars += len(tok.text)


class Tokens(Sink):
    r"""The expanded tokens themselves (an `\edef` body)."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: list[Tok] = []

    def emit(self, tok: Tok) -> None:
        self.tokens.append(tok)
        self.chars += len(tok.text)


_MATH_ENV = re.compile(
    r"\\begin\s*\{\s*(?:equation|align|alignat|gather|multline|flalign|eqnarray|math|displaymath)"
    r"\*?\s*\}$"
)


_CONDITIONAL = re.compile(r"\\(?:if[A-Za-z]*|fi|else|or)")


class Watch(Sink):
    """Running text: nothing is kept, but what a macro writes into it is watched: math (it
    is typeset, yet no formula of the file holds it) and conditionals (they may hide what
    follows)."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: Tok | None = None
        self.conditional: Tok | None = None
        self.tail = ""

    def emit(self, tok: Tok) -> None:
        if tok.copied:  # the file's own math is found where it is written
            self.tail = ""
            return
        self.tail = (self.tail + tok.text)[-80:]
        if self.opened is None and (tok.text in MATH_OPENERS or _MATH_ENV.search(self.tail)):
            self.opened = tok
        if self.conditional is None and _CONDITIONAL.fullmatch(tok.text):
            self.conditional = tok


def substitute(macro: Macro, args: list[list[Tok]], at: int, depth: int) -> list[Tok]:
    out: list[Tok] = []
    for tok in macro.body:
        if _PARAM.fullmatch(tok.text) and int(tok.text[1]) <= len(args):
            out += args[int(tok.text[1]) - 1]
        else:
            text = "#" if tok.text == "##" else tok.text
            out.append(Tok(text, at, False, depth, tok.frozen))
    return out


def body_size(macro: Macro, args: list[list[Tok]]) -> int:
    size = 0
    for tok in macro.body:
        if _PARAM.fullmatch(tok.text) and int(tok.text[1]) <= len(args):
            size += sum(len(t.text) for t in args[int(tok.text[1]) - 1])
        else:
            size += len(tok.text)
    return size


def freeze(toks: list[Tok]) -> tuple[Tok, ...]:
    """An `\\edef` body: what is left after expansion keeps its meaning of now."""
    return tuple(replace(t, frozen=True) if is_command(t.text) else t for t in toks)
