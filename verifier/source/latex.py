"""LaTeX submissions, read as pdflatex with amsmath renders them.

Math: ``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]`` and the environments ``equation``, ``align``,
``alignat``, ``gather``, ``multline``, ``flalign``, ``eqnarray`` (each also starred), ``math``
and ``displaymath``, after ``\\begin{document}``. What does not render is blanked first (same
length, so offsets stay true): ``%`` comments, ``\\iffalse … \\fi``, the ``comment`` environment,
and code (``verbatim``, ``lstlisting``, ``minted``, ``\\verb``). Steps come from sections, items
and `N:` labels at the start of a line.
"""

from __future__ import annotations

import re

from verifier.source.document import (
    Document,
    MathSpan,
    assemble,
    blank,
    blank_layout,
    escaped,
    label_of,
)
from verifier.source.macros import expand_latex

# Sectioning commands and `\item[…]` whose title holds a label: `\section{Problem 2}`,
# `\subsection*{(b)}`, `\paragraph{Step 6}`, `\item[3.]`.
_HEADING = re.compile(
    r"\\(?:(?:sub)*section|(?:sub)?paragraph)\*?\s*\{([^{}]*)\}|\\item\s*\[([^\]]*)\]"
)
_CODE_ENV = re.compile(r"\\begin\s*\{(verbatim\*?|Verbatim|lstlisting|minted|comment)\}")
_VERB = re.compile(r"\\(?:verb\*?|lstinline(?:\[[^\]]*\])?|mintinline\s*\{[^{}]*\})([^A-Za-z\s*{])")
_INLINE_CODE_GROUP = re.compile(r"\\(?:lstinline(?:\[[^\]]*\])?|mintinline\s*\{[^{}]*\})\s*\{")
_COMMENT = re.compile(r"(?<!\\)(?:\\\\)*%[^\n]*")
_IFFALSE = re.compile(r"\\iffalse(?![A-Za-z])")
# TeX's conditionals (and those `\newif` makes): `\iff` is a relation, not one of them.
_CONDITIONALS = (
    "if ifx ifnum ifdim ifodd ifcase ifcat ifvmode ifhmode ifmmode ifinner ifvoid ifhbox "
    "ifvbox ifeof iftrue iffalse ifdefined ifcsname iffontchar"
).split()
_IF_TOKENS = re.compile(r"\\(fi|else|or|" + "|".join(_CONDITIONALS) + r")(?![A-Za-z])")
_NEWIF = re.compile(r"\\newif\s*\\(if[A-Za-z]+)")
# Macro bodies and invisible boxes do not render where they are written.
_INVISIBLE = re.compile(
    r"\\(?:(?:renew|new|provide)command\*?\s*\{?\s*\\[A-Za-z]+\s*\}?\s*(?:\[[^\]]*\]\s*)*"
    r"|DeclareMathOperator\*?\s*\{?\s*\\[A-Za-z]+\s*\}?\s*"
    r"|(?:New|Renew|Provide|Declare)DocumentCommand\s*\{?\s*\\[A-Za-z]+\s*\}?\s*\{[^{}]*\}\s*"
    r"|(?:g|e|x)?def\s*\\[A-Za-z]+[^{}\n]{0,100}"
    r"|(?:re)?newenvironment\s*\{[^{}]*\}\s*(?:\[[^\]]*\]\s*)*"
    r"|(?:save|s)box\s*\{?\s*\\[A-Za-z]+\s*\}?\s*(?:\[[^\]]*\]\s*)*"
    r"|setbox\s*\d*\s*=?\s*\\[hv]box\s*"
    r"|url\s*|(?:h|v)?phantom\s*)\{"
)
# A default argument (`\newcommand{\foo}[1][$…$]{…}`) is part of a definition, not the page.
_DEFAULT_ARGUMENT = re.compile(
    r"\\(?:renew|new|provide)command\*?\s*\{?\s*\\[A-Za-z]+\s*\}?\s*\[\d\]\s*(\[[^\]]*\])"
)
_MATH_ENV = re.compile(
    r"\\begin\s*\{(equation\*?|align\*?|alignat\*?|gather\*?|multline\*?|flalign\*?"
    r"|eqnarray\*?|math|displaymath)\}(\s*\{[^{}]*\})?"
)
_INLINE_ENVS = {"math"}


def read_latex(path: str, text: str) -> Document:
    visible = hide_unrendered(text)
    clean = hide_bodies(visible)
    begin = clean.find("\\begin{document}")
    end = clean.find("\\end{document}")
    end = end if end >= 0 else len(clean)  # nothing after it is typeset
    spans = find_math(clean, max(begin, 0), end)
    prose = clean
    for span in spans:  # labels are looked for outside math only
        prose = blank(prose, span.start, span.start + len(span.text))
    labels = _labels(prose[:end])
    return assemble(path, text, labels, expand_latex(visible, spans, end, hide_bodies))


def _labels(prose: str) -> list[tuple[int, str]]:
    labels: list[tuple[int, str]] = []
    offset = 0
    for line in prose.split("\n"):
        m = _HEADING.search(line)
        title = (m.group(1) or m.group(2)) if m else None
        found = _title_label(title) if title is not None else label_of(line)
        if found and title is None and not _marked(line, found[1]):
            found = None  # `10 lines of algebra`: prose that starts with a number
        if found and (title is not None or "$" not in line[: found[1]]):
            labels.append((offset, found[0]))
        offset += len(line) + 1
    return labels


def _marked(line: str, end: int) -> bool:
    """A label in running LaTeX text is marked: `1:`, `2.`, `(b)`, `Step 3`, `\\textbf{…}`."""
    head = line[:end].strip()
    return bool(re.search(r"[:.)}]$|^\\|^[\ufeff]?\(", head)) or not head[:1].isdigit()


def _title_label(title: str) -> tuple[str, int] | None:
    """`Problem 2`, `2(a)`, `(b)`, or a title that ends in a number (`Backprop, part 3`)."""
    found = label_of(title)
    if found:
        return found
    m = re.search(r"(\d{1,3}[a-z]?)\s*$", title)
    return (m.group(1).lower(), 0) if m else None


def hide(text: str) -> str:
    """What does not render, blanked: code, comments, `\\iffalse` branches, macro bodies and
    `\\phantom` arguments."""
    return hide_bodies(hide_unrendered(text))


def hide_unrendered(text: str) -> str:
    """What is never typeset, blanked: code, comments, `\\iffalse` branches. A definition
    made there does not exist either."""
    text = _hide_code(text)
    text = _COMMENT.sub(lambda m: _keep_backslashes(m.group(0)), text)
    return _hide_iffalse(text)


def hide_bodies(text: str) -> str:
    """Macro bodies, default arguments and `\\phantom` arguments, blanked: they do not render
    where they are written."""
    for m in list(_DEFAULT_ARGUMENT.finditer(text)):
        text = blank(text, m.start(1), m.end(1))
    for m in list(_INVISIBLE.finditer(text)):  # the body is hidden, the command name stays
        end = _group_end(text, m.end() - 1)
        if "environment" in m.group(0):  # both the begin and the end code
            second = re.match(r"\s*\{", text[end:])
            end = _group_end(text, end + second.end() - 1) if second else end
        text = blank(text, m.end() - 1, end)
    return text


def _hide_iffalse(text: str) -> str:
    """Conditionals: `\\iffalse A \\else B \\fi` typesets B only, `\\iftrue` A only. Any other
    (`\\ifnum`, `\\ifx`, a `\\newif` switch) cannot be evaluated here: neither branch is read,
    so text that may not render never earns points. Nested conditionals count."""
    extra = {m.group(1) for m in _NEWIF.finditer(text)}
    opener = re.compile(
        r"\\(" + "|".join([*(c for c in _CONDITIONALS), *sorted(extra)]) + r")(?![A-Za-z])"
    )
    pos = 0
    while m := opener.search(text, pos):
        end, cut = _conditional_end(text, m.end(), extra)
        word = m.group(1)
        if word == "iftrue":
            keep = (m.end(), cut.start() if cut else end - 3)
        elif word == "iffalse" and cut is not None:
            keep = (cut.end(), end - 3)
        else:
            keep = (m.end(), m.end())
        text = blank(blank(text, m.start(), keep[0]), keep[1], end)
        pos = keep[0] if keep[1] > keep[0] else end
    return text


def _conditional_end(text: str, start: int, extra: set[str]):
    """The end of the conditional opened before ``start`` (after its `\\fi`) and its
    top-level `\\else`, if any."""
    depth, cut = 1, None
    names = (
        _IF_TOKENS
        if not extra
        else re.compile(
            _IF_TOKENS.pattern.replace(
                "(fi|else|or|", "(fi|else|or|" + "|".join(sorted(extra)) + "|"
            )
        )
    )
    for tok in names.finditer(text, start):
        word = tok.group(1)
        if word == "fi":
            depth -= 1
            if depth == 0:
                return tok.end(), cut
        elif word == "else" and depth == 1:
            cut = tok
        elif word not in ("else", "or"):
            depth += 1
    return len(text), cut


def _group_end(text: str, i: int) -> int:
    """The end of the brace group that opens at ``i`` (balanced), or the end of the text."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{" and text[j - 1] != "\\":
            depth += 1
        elif text[j] == "}" and text[j - 1] != "\\":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


def _keep_backslashes(match: str) -> str:
    """`\\\\%…`: the escaped backslashes stay, the comment from `%` on is blanked."""
    cut = match.index("%")
    return match[:cut] + " " * (len(match) - cut)


def _hide_code(text: str) -> str:
    pos = 0
    while True:
        env, verb = _CODE_ENV.search(text, pos), _VERB.search(text, pos)
        first = min((m for m in (env, verb) if m), key=lambda m: m.start(), default=None)
        if first is None:
            break
        if first is env:
            closer = f"\\end{{{env.group(1)}}}"
            close = text.find(closer, env.end())
            end = close + len(closer) if close >= 0 else len(text)
        else:
            close = text.find(verb.group(1), verb.end())
            end = close + 1 if close >= 0 else verb.end()
        text = blank(text, first.start(), end)
        pos = end
    for m in list(_INLINE_CODE_GROUP.finditer(text)):  # `\lstinline{…}`, `\mintinline{x}{…}`
        text = blank(text, m.start(), _group_end(text, m.end() - 1))
    return text


def find_math(text: str, start: int, end: int) -> list[MathSpan]:
    """Math spans between ``start`` and ``end``. An unclosed delimiter is text."""
    spans: list[MathSpan] = []
    i = start
    while i < end:
        found = _math_at(text, i, end)
        if found is None:
            i += 2 if text[i] == "\\" else 1  # `\$` is a dollar sign, not math
            continue
        span, i = found
        spans.append(span)
    return spans


def _math_at(text: str, i: int, end: int) -> tuple[MathSpan, int] | None:
    env = _MATH_ENV.match(text, i) if text[i] == "\\" else None
    if env:
        closer = f"\\end{{{env.group(1)}}}"
        display = env.group(1) not in _INLINE_ENVS
        return _closed(text, env.end(), closer, end, display)
    for opener, closer, display in (
        ("$$", "$$", True),
        ("\\[", "\\]", True),
        ("\\(", "\\)", False),
        ("$", "$", False),
    ):
        if text.startswith(opener, i):
            return _closed(text, i + len(opener), closer, end, display)
    return None


def _closed(text: str, body: int, closer: str, end: int, display: bool):
    close = body
    while True:
        close = text.find(closer, close, end)
        if close < 0:
            return None
        if closer.startswith("\\") or not escaped(text, close):
            break
        close += 1
    return MathSpan(blank_layout(text[body:close]), body, display), close + len(closer)


__all__ = ["Document", "find_math", "hide", "read_latex"]
