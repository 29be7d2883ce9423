"""Macros of a submission, expanded before its formulas are read: what renders is what is checked.

- LaTeX (as pdflatex): definitions in the preamble and the body count from where they are made,
  until the end of their group (`{…}`, an environment, a formula: a definition inside `$…$` is
  local to it), unless `\\global`, `\\gdef` or `\\xdef`. `\\newcommand` of a defined command is
  an error (LaTeX stops there), `\\providecommand` keeps what is defined.
- Markdown and notebooks (as MathJax on GitHub and in Jupyter): definitions are made inside math
  and hold for every later formula of the page; a formula of definitions only renders nothing.

Each formula that uses a macro gets the expanded text and an origin map (every character of a
macro's body at the use, every character of an argument where it is written). A formula that
cannot be expanded (a macro that never ends, one too large, a refused construct) carries the
problem instead, and is an error at the use. A formula that uses no macro is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from verifier.source.document import MathSpan, blank_layout
from verifier.source.expand import (
    FILE_CHARS,
    FILE_STEPS,
    GLOBAL,
    INPUTS,
    LATEX,
    MATHJAX,
    MAX_CAP,
    MIN_CAP,
    PREFIXES,
    UNEXPANDED,
    Dialect,
    Refused,
    Sink,
    Stream,
    Table,
    Tok,
    Watch,
)
from verifier.source.expander import ALIGNMENTS, Expander

_WORD = re.compile(r"\\[A-Za-z]+")


def _words(dialect: Dialect) -> frozenset[str]:
    """Commands that make a formula worth expanding even when no macro is defined yet."""
    extra = UNEXPANDED | GLOBAL | INPUTS | PREFIXES | {r"\global"} if dialect.latex else set()
    return frozenset(dialect.definers | extra)


def _search(words: frozenset[str]) -> re.Pattern[str]:
    names = "|".join(sorted(re.escape(w[1:]) for w in words))
    return re.compile(r"\\(?:" + names + r")(?![A-Za-z])")


class _Reader:
    """One expander over a document's formulas, in order."""

    def __init__(self, dialect: Dialect, finish: Callable[[str], str]) -> None:
        self.table = Table(dialect.grouped)
        self.expander = Expander(dialect, self.table)
        self.words = _words(dialect)
        self.search = _search(self.words)
        self.finish = finish
        self.chars = FILE_CHARS  # left for the rest of the file

    def touches(self, raw: str) -> bool:
        """Whether a formula uses a macro or defines one (the common case, neither, is cheap)."""
        names = self.table.current
        if not names:
            return self.search.search(raw) is not None
        if "~" in names and "~" in raw:
            return True
        return any(w in names or w in self.words for w in _WORD.findall(raw))

    def exhausted(self) -> bool:
        return self.chars <= 0 or self.expander.file_steps < 0

    def span(self, span: MathSpan, raw: str, cells: bool = False) -> MathSpan:
        """``span`` expanded (``raw``: its text with macro bodies as written; ``cells``: it is
        the body of an alignment, whose cells are groups)."""
        if not self.touches(raw):
            return span
        if self.exhausted():  # one file's budget: later formulas that use macros are errors
            message = (
                f"the macros of this file expand to over {FILE_CHARS} characters or "
                f"{FILE_STEPS} expansions; this formula is not expanded"
            )
            return replace(span, problem=(span.start, message))
        sink = Sink()
        cap = min(max(20 * len(raw), MIN_CAP), MAX_CAP, self.chars)
        try:
            self.expander.run(Stream(raw, 0, len(raw), span.start), sink, cap, cells)
        except Refused as exc:
            if cap == self.chars and "longer than" in exc.message:
                exc.message = f"the formulas of this file expand to over {FILE_CHARS} characters"
            return replace(span, problem=(exc.at, exc.message))
        self.chars -= sink.chars
        text = self.finish(sink.builder.text())
        origin = sink.builder.origin(span.start, span.end)
        if text == span.text and origin.starts == (0,) and origin.copied[0]:
            return span
        return replace(span, text=text, origin=origin)


def expand_markdown(spans: list[MathSpan]) -> list[MathSpan]:
    """MathJax: definitions inside math hold for the rest of the page."""
    reader = _Reader(MATHJAX, blank_layout)
    return [reader.span(s, s.text) for s in sorted(spans, key=lambda s: s.start)]


def expand_latex(
    visible: str, spans: list[MathSpan], end: int, finish: Callable[[str], str]
) -> list[MathSpan]:
    """pdflatex: ``visible`` is the file with what does not render blanked (macro bodies kept);
    the text before ``end`` is scanned for definitions, groups and `\\input`. Returns the spans,
    expanded, and a span with a problem for each thing reported outside math."""
    reader = _Reader(LATEX, lambda text: finish(blank_layout(text)))
    text = _Text(visible, reader, end)
    out: list[MathSpan] = []
    pos = 0
    for span in sorted(spans, key=lambda s: s.start):
        pos = text.scan(pos, span.start)
        if pos > span.start:  # inside the arguments of a macro used in the text
            out.append(replace(span, problem=(span.start, text.swallowed)))
            continue
        if reader.expander.poison is not None:
            out.append(
                _poisoned(visible, span, reader.expander.poison.text, reader.expander.poison.at)
            )
        else:
            reader.table.open()  # a formula is a group
            cells = _alignment_body(visible, span.start)
            out.append(reader.span(span, visible[span.start : span.end], cells))
            reader.table.close()
        pos = span.end
    text.scan(pos, end)
    return out + text.problems


_BEGIN = re.compile(r"\\begin\s*\{([A-Za-z]+\*?)\}\s*$")


def _alignment_body(visible: str, start: int) -> bool:
    """Whether the formula starting at ``start`` is the body of an alignment (`align`)."""
    m = _BEGIN.search(visible, max(0, start - 40), start)
    return m is not None and m.group(1) in ALIGNMENTS


def line_of(text: str, at: int) -> int:
    return text.count("\n", 0, at) + 1


def _poisoned(text: str, span: MathSpan, name: str, at: int) -> MathSpan:
    message = (
        f"`{name}` on line {line_of(text, at)} can change how formulas render and is not "
        "followed, so this formula is not read"
    )
    return replace(span, problem=(span.start, message))


def problem(at: int, message: str, written: str = "") -> MathSpan:
    """Something outside math that is reported where it is written (``written``: its text)."""
    return MathSpan(written, at, problem=(at, message))


_TEXT = re.compile(r"\\[A-Za-z]+|\\.|[{}~]", re.S)
_TEXT_AT = re.compile(r"\\[A-Za-z@]+|\\.|[{}~]", re.S)
_OPEN = frozenset(["{", r"\begin", r"\begingroup", r"\bgroup"])
_CLOSE = frozenset(["}", r"\end", r"\endgroup", r"\egroup"])
_INPUT_ARGUMENT = re.compile(r"\s*(?:\{[^{}\n]*\}(?:\s*\{[^{}\n]*\})?|[^\s{}\\%$]+)")
# Code run later (an environment's, a hook's): definitions in it are not followed.
_DEFERRED = frozenset(
    r"\newenvironment \renewenvironment \NewDocumentEnvironment \RenewDocumentEnvironment"
    r" \AtBeginDocument \AtEndPreamble \AfterEndPreamble \AtBeginEnvironment".split()
)


class _Text:
    """Running LaTeX text between formulas: groups, definitions, uses of macros (expanded, for
    what they define and any math they would write), `\\input` and the like."""

    def __init__(self, text: str, reader: _Reader, end: int) -> None:
        self.text, self.reader, self.end = text, reader, end
        self.at_letter = False
        self.problems: list[MathSpan] = []
        self.swallowed = ""  # why the formulas a macro took as arguments are not read

    def scan(self, start: int, end: int) -> int:
        """Read the text from ``start`` to ``end``; returns where reading stopped: past
        ``end`` when a macro took what follows (formulas included) as its arguments."""
        pos = start
        while pos < end:
            m = (_TEXT_AT if self.at_letter else _TEXT).search(self.text, pos, end)
            if m is None:
                return end
            pos = max(self._token(m.group(), m.start(), m.end(), end), m.end())
        return pos

    def _token(self, word: str, start: int, after: int, end: int) -> int:
        table, expander = self.reader.table, self.reader.expander
        if word in _OPEN:
            table.open()
        elif word in _CLOSE:
            table.close()
        elif word in (r"\makeatletter", r"\makeatother"):
            self.at_letter = word == r"\makeatletter"
        elif word in INPUTS:
            return self._input(word, start, after)
        elif word in _DEFERRED:
            return self._deferred(word, start, after, end)
        elif word in GLOBAL:
            expander.poison = expander.poison or _at(word, start)
        elif table.get(word) is not None or word in self.reader.words:
            return self._expand(start, end)
        return after

    def _input(self, word: str, start: int, after: int) -> int:
        m = _INPUT_ARGUMENT.match(self.text, after)
        stop = m.end() if m else after
        written = " ".join(self.text[start:stop].split())
        line = line_of(self.text, start)
        message = f"the submission is one file; `{written}` on line {line} is not followed"
        self.problems.append(problem(start, message, self.text[start:stop]))
        return stop

    def _deferred(self, word: str, start: int, after: int, end: int) -> int:
        """An environment's code or a hook runs later: if it defines anything, nothing after
        it is read (it is not followed); else it is skipped (it is no text of its own)."""
        stop = after
        for _ in range(3 if "nvironment" in word else 1):  # name, begin code, end code
            m = re.compile(r"\s*(?:\[[^\]]*\]\s*)*\{").match(self.text, stop, end)
            if m is None:
                break
            stop = _group_end(self.text, m.end() - 1, end)
        if self.reader.search.search(self.text, after, stop):
            expander = self.reader.expander
            expander.poison = expander.poison or _at(word, start)
        return stop

    def _expand(self, start: int, end: int) -> int:
        if self.reader.exhausted():
            return start + 1  # every later formula that uses macros says so
        stream = Stream(self.text, start, self.end, 0, self.at_letter)
        watch = Watch()
        expander = self.reader.expander
        expander.steps, expander.cap = 0, MIN_CAP * 4
        tok = stream.next()
        try:
            expander.step(tok, stream, watch)
            while stream.pending:
                expander.step(stream.next(), stream, watch)
        except Refused as exc:
            written = " ".join(self.text[start : min(stream.pos, start + 200)].split())
            self.problems.append(problem(exc.at, exc.message, written))
            return stream.pos
        if watch.opened is not None:
            message = (
                f"`{tok.text}` on line {line_of(self.text, start)} writes math into the text; "
                "math made by a macro is not read"
            )
            self.problems.append(problem(start, message, tok.text))
        if watch.conditional is not None:  # it may hide what follows: nothing after is read
            expander.poison = expander.poison or _at(tok.text, start)
        if stream.pos > end:
            self.swallowed = (
                f"this formula is an argument of `{tok.text}` (line {line_of(self.text, start)}); "
                "math passed to a macro is not read"
            )
        return stream.pos


def _at(word: str, start: int) -> Tok:
    return Tok(word, start)


def _group_end(text: str, i: int, end: int) -> int:
    """Just past the `}` closing the `{` at ``i`` (or ``end``)."""
    depth = 0
    for m in re.compile(r"\\.|[{}]", re.S).finditer(text, i, end):
        if m.group() == "{":
            depth += 1
        elif m.group() == "}":
            depth -= 1
            if depth == 0:
                return m.end()
    return end
