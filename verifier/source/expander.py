"""The expander: reads tokens, takes definitions as they come, replaces each use of a macro by
its body and sends the rest to a sink. Bounded: nesting (``MAX_DEPTH``), steps (``MAX_STEPS``)
and size (``cap``); past a bound the formula is :class:`Refused` at the use that ran over."""

from __future__ import annotations

from verifier.source.expand import (
    DEFS,
    FILE_STEPS,
    GLOBAL,
    INPUTS,
    LET,
    LITERAL,
    MAX_DEPTH,
    MAX_STEPS,
    NEWCOMMAND,
    OPERATOR,
    PREFIXES,
    UNEXPANDED,
    Dialect,
    Macro,
    Refused,
    Sink,
    Stream,
    Table,
    Tok,
    Tokens,
    body_size,
    freeze,
    is_command,
    latex_defines,
    substitute,
)


class Expander:
    def __init__(self, dialect: Dialect, table: Table) -> None:
        self.dialect, self.table = dialect, table
        self.steps = 0
        self.cap = 0
        self.file_steps = FILE_STEPS  # left for the rest of the file
        self.poison: Tok | None = None  # the first command after which nothing is read
        # per open group of the formula: whether it is an alignment, whose cells (between `&`
        # and `\\`) are groups of their own under TeX's rules
        self.cells: list[bool] = []

    def run(self, stream: Stream, sink: Sink, cap: int, cells: bool = False) -> None:
        """Every token of ``stream``, expanded, into ``sink``; ``cells``: the formula is the
        body of an alignment (`align`), so each of its cells is a group."""
        self.steps, self.cap = 0, cap
        self.cells = [cells and self.dialect.latex]
        while (tok := stream.next()) is not None:
            self.step(tok, stream, sink)

    def step(self, tok: Tok, stream: Stream, sink: Sink) -> None:
        name = tok.text
        if tok.frozen:
            sink.emit(tok)
            return
        if name in _OPENS:
            self.table.open()
            self.cells.append(name == r"\begin" and self.dialect.latex and _alignment(stream))
        elif name in _CLOSES:
            self.table.close()
            if len(self.cells) > 1:
                self.cells.pop()
        elif name in _CELL_ENDS and self.cells and self.cells[-1]:
            self.table.close()  # `\def` in one cell of an `align` is undone at its `&`
            self.table.open()
        macro = self.table.get(name)
        if macro is not None:
            self.invoke(name, macro, tok, stream, sink)
        elif name in self.dialect.definers or (self.dialect.latex and name in _PREFIXED):
            self.define(tok, stream, sink)
        elif not self.dialect.latex and name in LITERAL:
            sink.emit(tok)
            self.literal(stream, sink)
        elif self.dialect.latex and name in UNEXPANDED:
            self.unexpanded(tok, stream)
        elif self.dialect.latex and name in GLOBAL:
            self.poison = self.poison or tok
            raise Refused(tok.at, f"`{name}` can change how formulas render; it is not followed")
        elif self.dialect.latex and name in INPUTS:
            raise Refused(tok.at, f"the submission is one file; `{name}` is not followed")
        else:
            sink.emit(tok)

    # --- uses -------------------------------------------------------------------------------
    def invoke(self, name: str, macro: Macro, tok: Tok, stream: Stream, sink: Sink) -> None:
        if macro.refused:
            raise Refused(tok.at, f"`{name}` {macro.refused}")
        depth = tok.depth + 1
        if depth > MAX_DEPTH:
            raise Refused(
                tok.at,
                f"`{name}` expands more than {MAX_DEPTH} levels deep: a macro that never ends",
            )
        self.steps += 1
        self.file_steps -= 1
        if self.steps > MAX_STEPS:
            raise Refused(tok.at, f"expanding `{name}` takes over {MAX_STEPS} steps")
        if self.file_steps < 0:
            raise Refused(tok.at, f"the macros of this file take over {FILE_STEPS} expansions")
        args: list[list[Tok]] = []
        if macro.default is not None:
            args.append(
                self.optional(stream, tok) or [replace_at(t, tok, depth) for t in macro.default]
            )
        while len(args) < macro.params:
            args.append(self.argument(stream, tok, name, macro.params))
        size = body_size(macro, args)
        if size + stream.pending_chars + sink.chars > self.cap:
            raise Refused(
                tok.at, f"expanding `{name}` makes the formula longer than {self.cap} characters"
            )
        stream.push(substitute(macro, args, tok.at, depth))

    def literal(self, stream: Stream, sink: Sink) -> None:
        """The argument of `\\text` as MathJax typesets it: as written, nothing expanded."""
        while (t := stream.next()) is not None and t.text.isspace():
            sink.emit(t)
        if t is None or t.text != "{":
            if t is not None:
                stream.push([t])
            return
        depth = 0
        while t is not None:
            depth += (t.text == "{") - (t.text == "}")
            sink.emit(t)
            if depth == 0:
                return
            t = stream.next()

    def argument(self, stream: Stream, tok: Tok, name: str = "", count: int = 1) -> list[Tok]:
        """An undelimited argument: one token, or the content of a brace group."""
        first = stream.skip_space()
        if first is None or first.text == "}":
            what = f"`{name}` needs {count} argument{'s' if count > 1 else ''}"
            raise Refused(tok.at, what if name else f"`{tok.text}` is missing its argument")
        stream.next()
        return self.group(stream, tok) if first.text == "{" else [first]

    def group(self, stream: Stream, tok: Tok) -> list[Tok]:
        """The tokens up to the `}` that closes a `{` just read."""
        out: list[Tok] = []
        depth = 1
        while (t := stream.next()) is not None:
            depth += (t.text == "{") - (t.text == "}")
            if depth == 0:
                return out
            out.append(t)
        raise Refused(tok.at, f"`{tok.text}`: a `{{` is never closed")

    def optional(self, stream: Stream, tok: Tok) -> list[Tok] | None:
        """`[…]` (brackets inside braces do not end it), or None when none follows."""
        first = stream.skip_space()
        if first is None or first.text != "[":
            return None
        stream.next()
        out: list[Tok] = []
        depth = 0
        while (t := stream.next()) is not None:
            if depth == 0 and t.text == "]":
                return out
            depth += (t.text == "{") - (t.text == "}")
            out.append(t)
        raise Refused(tok.at, f"`{tok.text}`: a `[` is never closed")

    # --- definitions ------------------------------------------------------------------------
    def define(self, tok: Tok, stream: Stream, sink: Sink) -> None:
        globally = False
        while tok.text in _PREFIXED:  # `\global\def`, `\long\def`
            globally = globally or tok.text == r"\global"
            nxt = stream.skip_space()
            if nxt is None or not (nxt.text in self.dialect.definers or nxt.text in _PREFIXED):
                sink.emit(tok)  # `\global\advance…`: nothing of ours, left to the reader
                return
            tok = stream.next()
        name = tok.text
        if name in NEWCOMMAND:
            self.newcommand(tok, stream)
        elif name in DEFS:
            self.tex_def(tok, stream, globally or name in (r"\gdef", r"\xdef"))
        elif name == OPERATOR:
            self.operator(tok, stream)
        elif name == LET:
            self.let(tok, stream, globally)

    def name(self, tok: Tok, stream: Stream, braced: bool, active: bool = False) -> str:
        """The command a definition defines: `\\x`, `{\\x}` where braces are allowed, and the
        active `~` for TeX's own `\\def` and `\\let`."""
        first = stream.skip_space()
        if first is not None and first.text == "{" and braced:
            stream.next()
            inside = [t for t in self.group(stream, tok) if not t.text.isspace()]
            first = inside[0] if len(inside) == 1 else None
        elif first is not None:
            stream.next()
        if first is None or not (is_command(first.text) or (active and first.text == "~")):
            raise Refused(tok.at, f"`{tok.text}` must be followed by a command name")
        return first.text

    def newcommand(self, tok: Tok, stream: Stream) -> None:
        star = stream.skip_space()
        if star is not None and star.text == "*":
            stream.next()
        name = self.name(tok, stream, braced=True)
        params, default = 0, None
        count = self.optional(stream, tok)
        if count is not None:
            digits = "".join(t.text for t in count).strip()
            if not (digits.isdigit() and int(digits) <= 9):
                raise Refused(
                    tok.at, f"`{tok.text}{{{name}}}[{digits}]`: not a number of arguments"
                )
            params = int(digits)
            default = self.optional(stream, tok) if params else None
        body = self.argument(stream, tok)
        macro = Macro(params, tuple(body), None if default is None else tuple(default))
        self.store(tok, name, macro)

    def store(self, tok: Tok, name: str, macro: Macro) -> None:
        """LaTeX's checks: `\\newcommand` refuses a defined command, `\\providecommand` keeps
        it. MathJax defines whatever it is told."""
        if self.dialect.latex and tok.text != r"\renewcommand":
            known = self.table.get(name) is not None or name in latex_defines()
            if known and tok.text == r"\providecommand":
                return
            if known and tok.text in (r"\newcommand", r"\DeclareMathOperator"):
                raise Refused(
                    tok.at,
                    f"`{tok.text}{{{name}}}`: `{name}` is already defined (LaTeX stops here); "
                    r"use \renewcommand",
                )
        self.table.define(name, macro)

    def tex_def(self, tok: Tok, stream: Stream, globally: bool) -> None:
        name = self.name(tok, stream, braced=False, active=self.dialect.latex)
        params, delimited = 0, False
        while (t := stream.next()) is not None and t.text != "{":
            if t.text == f"#{params + 1}":
                params += 1
            elif not (t.text.isspace() and params == 0):
                delimited = True  # `\def\x#1.{…}`, `\def\x(#1){…}`
        if t is None:
            raise Refused(tok.at, f"`{tok.text}{name}` has no body")
        body = self.group(stream, tok)
        if tok.text in (r"\edef", r"\xdef"):
            body = list(freeze(self.expanded(body)))
        refused = ""
        if delimited:
            refused = f"is defined with delimited parameters (`{tok.text}{name}#1…`), which are not expanded"
        self.table.define(name, Macro(params, tuple(body), refused=refused), globally)

    def expanded(self, body: list[Tok]) -> list[Tok]:
        inner = Stream("", 0, 0)
        inner.push(body)
        sink = Tokens()
        while (t := inner.next()) is not None:
            self.step(t, inner, sink)
        return sink.tokens

    def operator(self, tok: Tok, stream: Stream) -> None:
        """`\\DeclareMathOperator{\\diag}{diag}`: `\\diag` is `\\operatorname{diag}`, which the
        grammar reads as that function (its own `\\operatorname`, whatever a user made of it)."""
        star = stream.skip_space()
        if star is not None and star.text == "*":
            stream.next()
        name = self.name(tok, stream, braced=True)
        text = self.argument(stream, tok)
        body = (Tok(r"\operatorname", 0, frozen=True), Tok("{", 0), *text, Tok("}", 0))
        self.store(tok, name, Macro(0, body))

    def let(self, tok: Tok, stream: Stream, globally: bool) -> None:
        name = self.name(tok, stream, braced=False, active=self.dialect.latex)
        target = stream.skip_space()
        if target is not None and target.text == "=":
            stream.next()
            target = stream.skip_space()
        if target is None:
            raise Refused(tok.at, f"`\\let{name}` has nothing to copy")
        stream.next()
        macro = self.table.get(target.text)
        if macro is None:  # a command of its own (or a character): its meaning of now
            macro = Macro(0, (Tok(target.text, 0, frozen=True),))
        self.table.define(name, macro, globally)

    def unexpanded(self, tok: Tok, stream: Stream) -> None:
        """`\\NewDocumentCommand{\\pd}…`: defined in a way not expanded here, so every use of
        the name is an error that says so (its arguments are left to the text)."""
        star = stream.skip_space()
        if star is not None and star.text == "*":
            stream.next()
        name = self.name(tok, stream, braced=True, active=True)
        self.table.define(
            name, Macro(refused=f"is defined with `{tok.text}`, which is not expanded")
        )


_PREFIXED = frozenset([r"\global", *PREFIXES])
_OPENS = frozenset(["{", r"\begingroup", r"\bgroup", r"\begin"])  # a group, for TeX's scoping
_CLOSES = frozenset(["}", r"\endgroup", r"\egroup", r"\end"])
_CELL_ENDS = frozenset(["&", r"\\", r"\cr"])
# environments made with TeX's \halign, each of whose cells is a group
ALIGNMENTS = frozenset(
    "align align* alignat alignat* aligned alignedat flalign flalign* split gather gather* "
    "gathered eqnarray eqnarray* array subarray matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix "
    "smallmatrix cases".split()
)


def _alignment(stream: Stream) -> bool:
    """Whether the `\\begin` just read opens an alignment (its name is left in the stream)."""
    seen: list[Tok] = []
    while len(seen) < 24 and (tok := stream.next()) is not None:
        seen.append(tok)
        if tok.text == "}" or (len(seen) > 1 and not (tok.text.isalpha() or tok.text == "*")):
            break
    stream.push(seen)
    text = "".join(t.text for t in seen).strip()
    return text.startswith("{") and text.endswith("}") and text[1:-1] in ALIGNMENTS


def replace_at(tok: Tok, use: Tok, depth: int) -> Tok:
    """A default argument's token, placed at the use."""
    return Tok(tok.text, use.at, False, depth, tok.frozen)
