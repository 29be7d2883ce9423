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

from verifier.source.document import STEP_LABEL, Document, MathSpan, assemble, blank, blank_layout

_HEADING = re.compile(
    r"\\(?:sub)*section\*?\s*\{[^}]*?(\d{1,3}[a-z]?)[^}]*\}|\\item\s*\[\s*(\d{1,3})"
)
_CODE_ENV = re.compile(r"\\begin\s*\{(verbatim\*?|Verbatim|lstlisting|minted|comment)\}")
_VERB = re.compile(r"\\verb\*?([^A-Za-z\s*])")
_COMMENT = re.compile(r"(?<!\\)(?:\\\\)*%[^\n]*")
_IFFALSE = re.compile(r"\\iffalse(?![A-Za-z])")
_FI = re.compile(r"\\fi(?![A-Za-z])")
_MATH_ENV = re.compile(
    r"\\begin\s*\{(equation\*?|align\*?|alignat\*?|gather\*?|multline\*?|flalign\*?"
    r"|eqnarray\*?|math|displaymath)\}(\s*\{[^{}]*\})?"
)
_INLINE_ENVS = {"math"}


def read_latex(path: str, text: str) -> Document:
    clean = hide(text)
    labels: list[tuple[int, str]] = []
    offset = 0
    for line in clean.split("\n"):
        m = _HEADING.search(line)
        if m:
            labels.append((offset, m.group(1) or m.group(2)))
        else:
            m = STEP_LABEL.match(line)
            if m and "$" not in line[: m.end()] and "\\" not in line[: m.end()]:
                labels.append((offset, m.group(1)))
        offset += len(line) + 1
    body = clean.find("\\begin{document}")
    return assemble(path, text, labels, find_math(clean, max(body, 0), len(clean)))


def hide(text: str) -> str:
    """Code, comments and `\\iffalse` blocks blanked: they do not render."""
    text = _hide_code(text)
    text = _COMMENT.sub(lambda m: _keep_backslashes(m.group(0)), text)
    for m in list(_IFFALSE.finditer(text)):
        fi = _FI.search(text, m.end())
        text = blank(text, m.start(), fi.end() if fi else len(text))
    return text


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
            return text
        if first is env:
            closer = f"\\end{{{env.group(1)}}}"
            close = text.find(closer, env.end())
            end = close + len(closer) if close >= 0 else len(text)
        else:
            close = text.find(verb.group(1), verb.end())
            end = close + 1 if close >= 0 else verb.end()
        text = blank(text, first.start(), end)
        pos = end


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
        if closer.startswith("\\") or text[close - 1] != "\\":
            break
        close += 1
    return MathSpan(blank_layout(text[body:close]), body, display), close + len(closer)


__all__ = ["Document", "find_math", "hide", "read_latex"]
