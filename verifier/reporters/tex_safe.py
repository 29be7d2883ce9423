"""Text and formulas made safe to put in a LaTeX document.

Student text is untrusted: it reaches the report either escaped (:func:`escape_text`, every TeX
special character replaced, ASCII-only output) or, for a claim's ``display`` (rebuilt from the
parse tree), after :func:`safe_math` has checked it token by token against an allow-list of
commands and characters. Nothing else from a submission is written to the .tex file.
"""

from __future__ import annotations

import re

# Commands ``verifier.parse.show`` can write, and nothing else: Greek letters, function
# commands, \frac, \sqrt, \sum, \partial, transpose and product operators.
GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta iota kappa lambda mu nu xi rho "
    "sigma tau phi varphi chi psi omega Delta Gamma Theta Lambda Phi Psi Omega Sigma".split()
)
MATH_COMMANDS = GREEK | frozenset(
    "log ln exp tanh sinh cosh sin cos frac sqrt sum partial top cdot times odot circ ast".split()
)
# \operatorname only with a plain word argument, checked as one token.
_OPERATORNAME = re.compile(r"\\operatorname\{[A-Za-z]+\}")
_MATH_TOKEN = re.compile(r"\\operatorname\{[A-Za-z]+\}|\\[A-Za-z]+|\\.|.", re.DOTALL)
_MATH_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 {}_^()[]+-*/=,.'"
)
MAX_MATH_CHARS = 4000

# Characters of TeX that must not reach the document as themselves.
_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
    # Safe as themselves in T1, but other glyphs (¡ ¿ —) in the OT1 fallback encoding.
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
# Characters that form ligatures with their neighbour (``--``, ``` `` ```, ``<<``, ``,,``).
_LIGATURE = frozenset("-`',!?")
# Non-ASCII characters messages and submissions commonly contain; others print as [U+XXXX].
_UNICODE = {
    "×": r"$\times$",
    "·": r"$\cdot$",
    "⋅": r"$\cdot$",
    "∂": r"$\partial$",
    "−": "-",
    "…": r"\dots{}",
    "—": "---",
    "–": "--",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
    "≤": r"$\leq$",
    "≥": r"$\geq$",
    "≠": r"$\neq$",
    "≈": r"$\approx$",
    "→": r"$\to$",
    "⇒": r"$\Rightarrow$",
    "⊙": r"$\odot$",
    "∘": r"$\circ$",
    "∑": r"$\sum$",
    "√": r"$\surd$",
    "∞": r"$\infty$",
    "±": r"$\pm$",
    "ᵀ": r"$^{\mathsf{T}}$",
    "²": r"$^{2}$",
    "³": r"$^{3}$",
    "✓": r"$\checkmark$",
    "✗": r"$\times$",
    "\u00a0": "~",
}
_GREEK_LETTERS = {
    chr(0x3B1 + i): name
    for i, name in enumerate(
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi o pi rho "
        "varsigma sigma tau upsilon phi chi psi omega".split()
    )
    if name not in ("o", "varsigma")
}
_UNICODE.update({ch: f"$\\{name}$" for ch, name in _GREEK_LETTERS.items()})
_UNICODE.update({"Δ": r"$\Delta$", "Σ": r"$\Sigma$", "Ω": r"$\Omega$", "Φ": r"$\Phi$"})
_WHITESPACE = re.compile(r"\s+")
BREAK_EVERY = 20  # characters of an unbroken run after which a line may break


def escape_text(
    text: str, limit: int | None = None, breakable: bool = True, code: bool = False
) -> str:
    """``text`` as LaTeX that typesets it literally: ASCII only, every special character escaped.

    Whitespace (newlines included) becomes single spaces, so the result never ends a paragraph or
    a table row. Past ``limit`` characters the text is cut and the number left out is said. With
    ``breakable``, long runs without spaces get break points (for ``\\texttt``, which never
    hyphenates); with ``code`` also after brackets, operators and backslashes.
    """
    text = _WHITESPACE.sub(" ", text)
    cut = 0
    if limit is not None and len(text) > limit:
        cut = len(text) - limit
        text = text[:limit]
    out: list[str] = []
    run = 0
    for i, ch in enumerate(text):
        piece = _char(ch)
        if ch in _LIGATURE and text[i + 1 : i + 2] in _LIGATURE:
            piece += "{}"
        out.append(piece)
        run = 0 if ch == " " else run + 1
        if (
            i + 1 < len(text)
            and breakable
            and (run >= BREAK_EVERY or (code and ch in "([{,;=+\\/" and run > 1))
        ):
            out.append(r"\allowbreak{}")
            run = 0
    if cut:
        out.append(rf" \textup{{\textit{{[\dots{{}} {cut} more characters]}}}}")
    return "".join(out)


def _char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if " " <= ch <= "~":
        return ch
    if ch in _UNICODE:
        return _UNICODE[ch]
    code = ord(ch)
    # Latin-1 letters are set up for T1 in LaTeX's UTF-8 input; × and ÷ are not letters.
    if 0xC0 <= code <= 0xFF and code not in (0xD7, 0xF7):
        return ch
    return f"[U+{code:04X}]"


def safe_math(display: str | None, limit: int = MAX_MATH_CHARS) -> str | None:
    """``display`` ready for math mode, or ``None`` if it holds anything outside the allow-list.

    Allowed: the commands of :data:`MATH_COMMANDS`, ``\\operatorname{word}``, letters, digits,
    spaces and ``{}_^()[]+-*/=,.'`` with balanced braces and no ``^^``. A second superscript or
    subscript on the same base (``y^{(1)}^T``, legal in the students' grammar, an error in TeX)
    is given an empty base ``{}``.
    """
    if display is None or not display.strip() or len(display) > limit or "^^" in display:
        return None
    tokens = _MATH_TOKEN.findall(display)
    depth = 0
    for tok in tokens:
        if tok.startswith("\\"):
            if not (_OPERATORNAME.fullmatch(tok) or tok[1:] in MATH_COMMANDS):
                return None
        elif tok not in _MATH_CHARS:
            return None
        elif tok == "{":
            depth += 1
        elif tok == "}":
            depth -= 1
            if depth < 0:
                return None
    if depth:
        return None
    return _separate_scripts(tokens)


def _separate_scripts(tokens: list[str]) -> str | None:
    """Insert ``{}`` where a base would get a second ``^`` or ``_`` (or a prime after ``^``)."""
    out: list[str] = []
    used: set[str] = set()  # scripts already attached to the current base
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in ("^", "_"):
            if tok in used:
                out.append("{}")
                used = set()
            used.add(tok)
            out.append(tok)
            i += 1
            while i < len(tokens) and tokens[i] == " ":
                i += 1
            if i == len(tokens) or tokens[i] in ("}", "^", "_", "'"):
                return None  # a script without an argument
            if tokens[i] != "{":
                out.append(tokens[i])
                i += 1
                continue
        if tokens[i] == "{":
            end = _group_end(tokens, i)
            inner = _separate_scripts(tokens[i + 1 : end - 1])
            if inner is None:
                return None
            out.append("{" + inner + "}")
            if tok not in ("^", "_"):
                used = set()  # the group is the new base
            i = end
            continue
        if tok == "'":
            if "^" in used:
                out.append("{}")
            used = set()
        elif tok != " ":
            used = set()
        out.append(tok)
        i += 1
    return "".join(out)


# Nesting step of a token: braces, and (for line breaking) \left ... \right pairs too.
_BRACE = {"{": 1, "}": -1}
_GROUP = {**_BRACE, "\\left": 1, "\\right": -1}


def _group_end(tokens: list[str], i: int) -> int:
    """Index after the braced group opening at ``tokens[i]`` (braces are balanced)."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += _BRACE.get(tokens[j], 0)
        if depth == 0:
            return j + 1
    return len(tokens)


_UNSAFE_TRUSTED = re.compile(
    r"\\(input|include|write|immediate|openout|openin|read|catcode|def|edef|gdef|xdef|let|"
    r"csname|endcsname|newcommand|renewcommand|providecommand|usepackage|special|directlua|"
    r"lowercase|uppercase|scantokens|everypar|everymath|output|jobname|documentclass|par)"
    r"(?![A-Za-z])|\^\^|[#%$]"
    # Environments: only SymPy's matrices.
    r"|\\(begin|end)(?!\{[pbvVB]?matrix\})"
)


def trusted_math(latex: str | None) -> str | None:
    """SymPy's LaTeX (trusted), refused anyway if it holds a primitive no formula needs."""
    if not latex or _UNSAFE_TRUSTED.search(latex):
        return None
    if not all(" " <= ch <= "~" or ch in "\n\t" for ch in latex):
        return None
    depth = 0
    for tok in _MATH_TOKEN.findall(latex):
        depth += _BRACE.get(tok, 0)
        if depth < 0:
            return None
    return latex if depth == 0 else None


def breakable_math(math: str) -> str:
    """``math`` with ``\\allowbreak`` at top-level spaces between factors, for inline math."""
    tokens = _MATH_TOKEN.findall(math)
    out: list[str] = []
    depth = 0
    for k, tok in enumerate(tokens):
        depth += _GROUP.get(tok, 0)
        if tok == " " and depth == 0 and 0 < k < len(tokens) - 1:
            before, after = tokens[k - 1], tokens[k + 1]
            command_before = before.startswith("\\") and before[1:].isalpha()
            if not command_before and after not in ("{", "^", "_", "[", "'", " "):
                out.append(r" \allowbreak ")
                continue
        out.append(tok)
    return "".join(out)


_PAIRS = {")": "(", "]": "["}
_TALL = frozenset({"\\frac", "\\sum", "\\sqrt"})


def sized_delimiters(math: str) -> str:
    """Brackets around a fraction, sum or root as ``\\left(``/``\\right)``.

    Only when every bracket pairs up within its brace group; else ``math`` is returned as it is.
    """
    tokens = _MATH_TOKEN.findall(math)
    stack: list[tuple[str, int, int]] = []  # (opener, brace depth, index)
    pairs: list[tuple[int, int]] = []
    depth = 0
    for k, tok in enumerate(tokens):
        depth += _BRACE.get(tok, 0)
        if tok in ("(", "["):
            stack.append((tok, depth, k))
        elif tok in (")", "]"):
            if not stack or stack[-1][:2] != (_PAIRS[tok], depth):
                return math
            pairs.append((stack.pop()[2], k))
    if stack:
        return math
    for start, end in pairs:
        if _TALL.intersection(tokens[start:end]):
            tokens[start] = "\\left" + tokens[start]
            tokens[end] = "\\right" + tokens[end]
    return "".join(tokens)


def display_fractions(latex: str) -> str:
    """Top-level ``\\frac`` as ``\\dfrac``: SymPy's matrices set their cells in text style."""
    tokens = _MATH_TOKEN.findall(latex)
    depth = 0
    for k, tok in enumerate(tokens):
        depth += _BRACE.get(tok, 0)
        if tok == "\\frac" and depth == 0:
            tokens[k] = "\\dfrac"
    return "".join(tokens)
