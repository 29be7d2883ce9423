r"""The reader end to end: what is checked is exactly what the reader sees rendered.

One table per class of the reader's contract. ``FALSE`` rows are lines whose rendered formula is
false: no claim of theirs may be pass or warn. ``TRUE`` rows render a true formula: every claim is
pass. Other rows pin the claims found, by (step, line, verdict).

Truth used (assignment ``backprop``): step 1 is the neuron, ∂E/∂t = -log y, E = -t log y;
steps 2-7 the network, ∂E/∂z^{(2)} = (y^{(2)} - t)^T.
"""

from __future__ import annotations

import json

import pytest

from verifier.api import check_text
from verifier.check.verdicts import Verdict
from verifier.source import read_text

P, W, F, E = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR
DEDT = r"\frac{\partial E}{\partial t}"
DEDZ = r"\frac{\partial E}{\partial z^{(2)}}"


@pytest.fixture(scope="module")
def read(backprop_checker):
    def run(text: str, path: str = "s.md") -> list[tuple[str, int, Verdict]]:
        result = check_text(text, path=path, checker=backprop_checker)
        return [(s.id, c.line, c.verdict) for s in result.steps for c in s.claims]

    return run


def claims(backprop_checker, text: str, path: str = "s.md"):
    return check_text(text, path=path, checker=backprop_checker).claims


# --- 1. every token of a math span is accounted for -----------------------------------------
FALSE_TOKENS = [
    # the example of the issue: a new aligned row that starts with an operator
    rf"$$\begin{{aligned}} {DEDT} &= -\log y \\ &\quad + 5 \end{{aligned}}$$",
    rf"$$\begin{{align}} {DEDT} &= -\log y \\ & - 5 \end{{align}}$$",
    rf"$$\begin{{split}} {DEDT} &= -\log y \\ &\cdot 2 \end{{split}}$$",
    rf"$$\begin{{multline}} {DEDT} = -\log y \\ \times 3 \end{{multline}}$$",
    rf"$$\begin{{gather}} {DEDT} = -\log y \\ + t \end{{gather}}$$",
    rf"$$\begin{{eqnarray}} {DEDT} &=& -\log y \\ && + t \end{{eqnarray}}$$",
    # after any separator
    rf"$${DEDT} = -\log y \quad + 5$$",
    rf"$${DEDT} = -\log y \qquad - x_1$$",
    rf"$${DEDT} = -\log y, + t$$",
    rf"$${DEDT} = -\log y; + t$$",
    rf"$${DEDT} = -\log y \therefore + t$$",
    rf"$${DEDT} = -\log y \text{{ and }} + t$$",
    rf"$${DEDT} = -\log y \\ \pm t$$",
    # a row with its own claim beside a true one
    rf"$${DEDT} = -\log y \quad E = 5$$",
    # words that render as part of the formula are reported, not skipped
    rf"$${DEDT} = -\log y \text{{ plus }} 5$$",
    rf"$${DEDT} = -\log y \text{{ + 5}}$$",
    rf"$${DEDT} \text{{=}} \log y$$",
    rf"$${DEDT} = \text{{minus}} \log y$$",
    # a relation that is not `=` is never checked as one
    rf"$${DEDT} = -\log y \approx 5$$",
    rf"$${DEDT} \leq 5$$",
    # a condition is never ignored (until conditions are checked it makes the claim an error)
    rf"$${DEDT} = \log y \quad i = j$$",
    rf"$${DEDT} = \log y \quad \text{{if }} i \neq j$$",
    rf"$${DEDT} = \log y \quad \text{{otherwise}}$$",
    # what is left over beside a claim
    rf"$${DEDT} = -\log y \quad 5$$",
    rf"$${DEDT} = -\log y \\ 5 t$$",
    # a character the grammar has no token for is content, also at the edge of a member
    rf"$${DEDT} = -\log y²$$",
    rf"$${DEDT} = −\log\frac{{1}}{{y}}$$",  # U+2212, as pasted from a word processor
    rf"$${DEDT} = -\log y‰$$",  # a character the grammar has no token for
    rf"$${DEDT}² = -\log y$$",
    # prose that renders as part of the formula
    rf"$${DEDT} = -\log y \text{{ over two}}$$",
    rf"$${DEDT} = -\log y \text{{²}}$$",
    rf"$${DEDT} = -\log y \text{{ x}}$$",
    rf"$${DEDT} = -\log y\text{{(5)}}$$",
    rf"$${DEDT} = -\log y \tag*{{+5}}$$",
    # a quantifier never swallows what follows it
    rf"$${DEDT} = -\log y \quad \forall i + 5$$",
    rf"$${DEDT} = -\log y \quad \forall i \quad + 5$$",
    rf"$${DEDT} = \log y \quad \text{{if}}$$",
    # a bracketed number on a new row is no equation number
    rf"$$\begin{{aligned}} {DEDT} &= -\log y \\ &(2) \end{{aligned}}$$",
]


@pytest.mark.parametrize("text", FALSE_TOKENS)
def test_false_token_is_never_pass(read, text):
    """The rendered line is false: its worst claim is never pass or warn (a true claim written
    beside a false one, as in `a = b \\quad E = 5`, still passes on its own)."""
    got = read("1: " + text)
    assert got and max(v.severity for _, _, v in got) > W.severity, got


TRUE_TOKENS = [
    rf"$${DEDT} = -\log y \tag{{3}}$$",
    rf"$${DEDT} = -\log y \label{{eq:dt}}$$",
    rf"$${DEDT} = -\log y \nonumber$$",
    rf"$$\begin{{align}} {DEDT} &= -\log y \notag \\ &= -\log G(Wx) \end{{align}}$$",
    rf"$${DEDT} = -\log y \quad \forall i$$",
    rf"$${DEDT} = -\log y.$$",
    rf"$${DEDT} = -\log y,$$",
    rf"$${DEDT} = -\log y \quad (3)$$",
    rf"$${DEDT} = -\log y \quad \text{{by the chain rule}}$$",
    rf"$$\therefore {DEDT} \;=\; -\log y$$",
    rf"$${DEDT} = -\log y \\ &= -\log G(Wx)$$",
    rf"$${DEDT} = -\log y \quad m = 1$$",  # m is the neuron's constant: a claim, true
    rf"$$\begin{{aligned}} {DEDT} &= -\log G(Wx) \\ &\quad \cdot 1 \end{{aligned}}$$",
    # row spacing is a row break; two equations on one row of an align are two claims
    rf"$$\begin{{aligned}} {DEDT} &= -\log G(Wx) \\[4pt] &= -\log y \end{{aligned}}$$",
    rf"$$\begin{{aligned}} {DEDT} &= -\log y & E &= -t \log y \end{{aligned}}$$",
    rf"$${DEDT} = -\log y \quad \text{{(this is the gradient)}}$$",
]


@pytest.mark.parametrize("text", TRUE_TOKENS)
def test_true_token_passes(read, text):
    got = read("1: " + text)
    assert got and all(v is P for _, _, v in got), got


def test_condition_is_named_on_the_claim(backprop_checker):
    (claim,) = claims(backprop_checker, rf"1: $${DEDT} = \log y \quad \text{{if }} i = j$$")
    # ∂E/∂t has no index i or j: the condition cannot restrict it, so the claim is an error
    assert claim.verdict is E and "condition `i = j` is on i, j" in claim.message


def test_unread_text_is_named(backprop_checker):
    found = claims(backprop_checker, rf"1: $${DEDT} = -\log y \quad 5 t$$")
    assert [c.verdict for c in found] == [P, E]
    assert "unread text `5 t`" in found[1].message


# --- 2. what is read is what renders --------------------------------------------------------
HIDDEN = [
    # (text, path): the visible line is false; a hidden true one must not be what is checked
    (rf"1: $${DEDT} = \log y$$ <!-- $${DEDT} = -\log y$$ -->", "s.md"),
    (rf"1: $${DEDT} = \log y$$" + "\n\n<!--\n" + rf"$${DEDT} = -\log y$$" + "\n-->", "s.md"),
    (rf"1: $${DEDT} = \log y$$ and `$${DEDT} = -\log y$$`", "s.md"),
    (rf"1: $${DEDT} = \log y$$" + "\n\n```\n" + rf"$${DEDT} = -\log y$$" + "\n```", "s.md"),
    (rf"1: $${DEDT} = \log y$$" + "\n\n    " + rf"$${DEDT} = -\log y$$", "s.md"),
    (rf"1: $${DEDT} = \log y$$ <code>$${DEDT} = -\log y$$</code>", "s.md"),
    (rf"1: $${DEDT} = \log y$$ \[ {DEDT} = -\log y \]", "s.md"),  # GitHub shows `\[` as `[`
    (
        "\\begin{document}\n1: $" + DEDT + r" = \log y$" + "\n% $" + DEDT + r" = -\log y$" + "\n",
        "s.tex",
    ),
    (
        "\\begin{document}\n1: $" + DEDT + r" = \log y$ \iffalse $" + DEDT + r" = -\log y$ \fi",
        "s.tex",
    ),
    (
        "\\begin{document}\n1: $"
        + DEDT
        + r" = \log y$ \begin{comment} $"
        + DEDT
        + r" = -\log y$ \end{comment}",
        "s.tex",
    ),
    (
        "\\begin{document}\n1: $" + DEDT + r" = \log y$ \verb|$" + DEDT + r" = -\log y$|",
        "s.tex",
    ),
    # link reference definitions (the `[//]: #` comment idiom), link titles, image alt text and
    # HTML attributes do not render as text
    (rf"1: $${DEDT} = \log y$$" + "\n\n[//]: # ($$" + DEDT + r" = -\log y$$)", "s.md"),
    (rf'1: $${DEDT} = \log y$$ [a](http://x "${DEDT} = -\log y$")', "s.md"),
    (rf"1: $${DEDT} = \log y$$ ![${DEDT} = -\log y$](x.png)", "s.md"),
    (rf'1: $${DEDT} = \log y$$ <span title="${DEDT} = -\log y$">s</span>', "s.md"),
    # LaTeX: nested conditionals, text after \end{document}, macro bodies, invisible boxes,
    # inline code
    (
        "\\begin{document}\n1: $"
        + DEDT
        + r" = \log y$ \iffalse \ifx a b \fi $"
        + DEDT
        + r" = -\log y$ \fi",
        "s.tex",
    ),
    (
        "\\begin{document}\n1: $"
        + DEDT
        + r" = \log y$"
        + "\n\\end{document}\n$"
        + DEDT
        + r" = -\log y$",
        "s.tex",
    ),
    (
        "\\newcommand{\\hide}{$"
        + DEDT
        + r" = -\log y$}"
        + "\n\\begin{document}\n1: $"
        + DEDT
        + r" = \log y$",
        "s.tex",
    ),
    (
        "\\begin{document}\n1: $" + DEDT + r" = \log y$ \phantom{$" + DEDT + r" = -\log y$}",
        "s.tex",
    ),
    (
        "\\begin{document}\n1: $"
        + DEDT
        + r" = \log y$ \lstinline|$"
        + DEDT
        + r" = -\log y$| \mintinline{latex}{$"
        + DEDT
        + r" = -\log y$}",
        "s.tex",
    ),
]


VISIBLE = [
    # (text, path, verdicts): what renders is read, whatever tries to hide it
    (
        rf"1: $${DEDT} = -\log y$$ see <!-- note" + "\n\n" + rf"$${DEDT} = 5$$" + "\n\nend -->",
        "s.md",
        [P, F],
    ),
    (rf"1: <!--> $${DEDT} = 5$$ --> and $${DEDT} = -\log y$$", "s.md", [F, P]),
    (
        "\\begin{document}\n1: $"
        + DEDT
        + r" = -\log y$ \iffalse \else and $"
        + DEDT
        + r" = 5$ \fi",
        "s.tex",
        [P, F],
    ),
    # a line of an align that starts with a digit is math, not a step label
    (
        "\\begin{document}\n1: $"
        + DEDT
        + r" = -\log y$"
        + "\n\\begin{align*} E &= -t \\log y \\\\\n0 &= 0 \\end{align*}\n$"
        + DEDT
        + r" = 5$",
        "s.tex",
        [P, P, P, F],
    ),
]


@pytest.mark.parametrize(("text", "path", "expected"), VISIBLE)
def test_visible_content_is_read(read, text, path, expected):
    got = read(text, path)
    assert [v for _, _, v in got] == expected and {step for step, _, _ in got} == {"1"}, got


def test_a_notebook_cell_never_hides_the_next(tmp_path, backprop_checker):
    from verifier.batch import check_one

    cells = [
        rf"1: $${DEDT} = -\log y$$" + "\n\n<!-- a note",
        rf"$${DEDT} = 5$$",
        "```",
        "$$E = E$$",
    ]
    notebook = {"cells": [{"cell_type": "markdown", "source": c} for c in cells]}
    path = tmp_path / "hw.ipynb"
    path.write_text(json.dumps(notebook), "utf-8")
    result = check_one(backprop_checker, str(path))
    assert [c.verdict for c in result.claims] == [P, F, P]


REDEFINED = [
    ("\\renewcommand{\\log}{5\\ln}\n\\begin{document}\n1: $" + DEDT + r" = -\log y$", "s.tex"),
    ("$\\def\\log{5\\ln}$\n\n1: $$" + DEDT + r" = -\log y$$", "s.md"),
]


@pytest.mark.parametrize(("text", "path"), REDEFINED)
def test_a_redefined_command_is_read_as_it_renders(backprop_checker, text, path):
    (claim,) = claims(backprop_checker, text, path)
    assert claim.verdict is F and "5" in claim.source and "\\ln" in claim.source


@pytest.mark.parametrize(("text", "path"), HIDDEN)
def test_hidden_content_is_not_read(read, text, path):
    got = read(text, path)
    assert [v for _, _, v in got] == [F], got


RENDERED = [
    # (text, path, claims found): every way the renderer shows math is read
    (rf"1: $${DEDT} = -\log y$$", "s.md", [("1", 1, P)]),
    (rf"1: ${DEDT} = -\log y$", "s.md", [("1", 1, P)]),
    (rf"1: $`{DEDT} = -\log y`$", "s.md", [("1", 1, P)]),
    ("1:\n\n```math\n" + DEDT + r" = -\log y" + "\n```\n", "s.md", [("1", 4, P)]),
    (rf"1: \({DEDT} = -\log y\)", "s.ipynb", [("1", 1, P)]),
    (rf"1: \[{DEDT} = -\log y\]", "s.ipynb", [("1", 1, P)]),
    (
        "1:\n\\begin{align}\n" + DEDT + r" &= -\log y" + "\n\\end{align}\n",
        "s.ipynb",
        [("1", 3, P)],
    ),
    (rf"1: price \$5, so ${DEDT} = -\log y$", "s.md", [("1", 1, P)]),
    *[
        ("\\begin{document}\n1: " + opener + DEDT + r" = -\log y" + closer, "s.tex", [("1", 2, P)])
        for opener, closer in [
            ("$", "$"),
            ("$$", "$$"),
            (r"\(", r"\)"),
            (r"\[", r"\]"),
            (r"\begin{equation}", r"\end{equation}"),
            (r"\begin{equation*}", r"\end{equation*}"),
            (r"\begin{align*}", r"\end{align*}"),
            (r"\begin{alignat}{2}", r"\end{alignat}"),
            (r"\begin{gather}", r"\end{gather}"),
            (r"\begin{multline}", r"\end{multline}"),
            (r"\begin{flalign}", r"\end{flalign}"),
            (r"\begin{eqnarray}", r"\end{eqnarray}"),
            (r"\begin{math}", r"\end{math}"),
            (r"\begin{displaymath}", r"\end{displaymath}"),
        ]
    ],
]


@pytest.mark.parametrize(("text", "path", "expected"), RENDERED)
def test_rendered_math_is_read(read, text, path, expected):
    assert read(text, path) == expected


def test_inline_math_never_crosses_a_paragraph():
    doc = read_text("s.md", "1: cost $5\n\nand $$E = -t\\log y$$\n")
    assert [s.text for s in doc.spans] == ["E = -t\\log y"]


NUMBERS = [
    # spaces never split a number (TeX renders `1 0` as 10), but a script takes one token
    (r"- 1 0 \log y", r"-10 \log y"),
    (r"- 1\,000 \log y", r"-1000 \log y"),
    (r"-0 .5 \log y \cdot 2", r"-\log y"),
    (r"- \log y^{1 0}", r"-10 \log y"),
    (r"-\log y \cdot t^2 3", r"-3 t^2 \log y"),
    (r"-\frac 1 2 \log y", r"-\frac{1}{2} \log y"),
]


UNICODE = [
    # Unicode typed for LaTeX commands reads as those commands; invisible characters are nothing
    (r"\frac{∂E}{∂t} = −\log y", P),
    (r"\frac{∂E}{∂t} = \log y", F),
    (r"\frac{\partial E}{\partial x} = −t(1−σ(Wx)) · W", P),
    (r"\frac{\partial E}{\partial x} = −t(1−y)(Wᵀ)ᵀ", P),
    (r"\frac{\partial E}{\partial x} = t(1−y)W", F),
    ("\\frac{\\partial E}{\\partial t} = −\u200b\\log y", P),
    (r"\frac{\partial E}{\partial t} = −\log y²", F),
    (r"\frac{\partial E}{\partial t} = −\log y \quad ∴ E = −t \log y", P),
]


@pytest.mark.parametrize(("text", "verdict"), UNICODE)
def test_unicode_reads_as_its_command(read, text, verdict):
    got = read(rf"1: $${text}$$")
    assert got and {v for _, _, v in got} == {verdict}, got


@pytest.mark.parametrize(("written", "meaning"), NUMBERS)
def test_numbers_read_as_rendered(backprop_checker, written, meaning):
    (got,) = claims(backprop_checker, rf"1: $${written} = {meaning}$$")
    assert got.verdict is P, got.message


def test_source_is_the_text_as_written(backprop_checker):
    text = r"3: $$\frac{\partial E}{\partial \mathbf{z}^{(2)}} \;=\; (y^{(2)} - t)^T$$"
    (claim,) = claims(backprop_checker, text)
    assert claim.source == r"\frac{\partial E}{\partial \mathbf{z}^{(2)}} = (y^{(2)} - t)^T"


def test_an_error_in_the_left_side_shows_that_side(backprop_checker):
    (claim,) = claims(backprop_checker, r"1: $$\frac{\partial E}{\partial q} = -\log y$$")
    assert claim.verdict is E and "left-hand side" in claim.message
    assert claim.source.startswith(r"\frac{\partial E}{\partial q}")
    assert claim.error_at == (1, 33)  # the `q`


# --- 3. chains and continuations ------------------------------------------------------------
CHAINS = [
    # a line starting with `=` continues the last displayed chain ...
    (rf"1: $${DEDT}$$" + "\n\n$$= -\\log y$$\n", [("1", 3, P)]),
    (rf"1: $${DEDT} = -\log y$$" + "\n\n$$&= \\log y$$\n", [("1", 1, P), ("1", 3, F)]),
    # ... never inline prose math
    (
        rf"1: $${DEDT} = -\log y$$" + "\n\nwriting $y = G(Wx)$ for short\n\n$$= -\\log y$$\n",
        [("1", 1, P), ("1", 3, P), ("1", 5, P)],
    ),
    # a displayed row that starts with an operator continues the last member
    (rf"1: $${DEDT} = -\log y$$" + "\n\n$$+ 5$$\n", [("1", 1, F)]),
    # one unreadable member is an error for that member only
    (
        rf"1: $${DEDT} = -\log y = \foo = \log y = -\log G(Wx)$$",
        [("1", 1, P), ("1", 1, E), ("1", 1, F), ("1", 1, P)],
    ),
    # a chain written across inline spans in one sentence is one chain
    (rf"1: ${DEDT}$ = $\log y$", [("1", 1, F)]),
    (rf"1: ${DEDT}$ = $-\log y$ = $\log y$", [("1", 1, P), ("1", 1, F)]),
    # formulas side by side on one line read as one; a lone display under an equation is stray
    (rf"1: ${DEDT} = -\log y$ $5$", [("1", 1, F)]),
    (rf"1: ${DEDT} = -\log y$$+5$", [("1", 1, F)]),
    (rf"1: ${DEDT} = -\log y$ × $5$", [("1", 1, F)]),
    # prose other than a sign between two formulas separates them (`$x$ and $5$`)
    (rf"1: ${DEDT} = -\log y$ and $5$", [("1", 1, P)]),
    (rf"1: $${DEDT} = -\log y$$ + 5", [("1", 1, P), ("1", 1, E)]),
    (rf"1: $${DEDT} = -\log y$$" + "\n\n$$ {}+ 5 $$", [("1", 1, F)]),
    (rf"1: $${DEDT} = -\log y$$" + "\n\n$$ 5 $$", [("1", 1, P), ("1", 3, E)]),
    (
        "1: $$E = -t\\log y$$\n\n" + rf"$${DEDT}$$" + "\n\n$$= -\\log y$$",
        [("1", 1, P), ("1", 5, P)],
    ),
    # a condition stays on its claim when a later row continues it (t = 0, on the neuron's
    # scalar input, holds at no random point: undecided)
    (
        rf"1: $${DEDT} = -\log y \quad \text{{if }} t = 0$$" + "\n\n$$+ 0$$",
        [("1", 1, Verdict.UNDECIDED)],
    ),
    # an `=` in prose beside a formula is reported
    (rf"1: ${DEDT}$ = minus log y", [("1", 1, E)]),
    (rf"1: so -log y = ${DEDT}$", [("1", 1, E)]),
]


@pytest.mark.parametrize(("text", "expected"), CHAINS)
def test_chains(read, text, expected):
    assert sorted(read(text)) == sorted(expected)


def test_continuation_of_inline_math_is_reported(backprop_checker):
    text = f"1: writing ${DEDT} = -\\log y$ for short, $= \\log y$"
    found = claims(backprop_checker, text)
    assert [c.verdict for c in found] == [P, E]
    assert "inline math continues nothing" in found[1].message


# --- 4. step labels cannot be gamed ---------------------------------------------------------
LABELS = [
    # a label that repeats is one step: both blocks count
    (
        rf"1: $${DEDT} = \log y$$" + "\n\n2: $$E = E$$\n\n" + rf"1: $${DEDT} = -\log y$$",
        [("1", 1, F), ("1", 5, P), ("2", 3, P)],
    ),
    (
        r"## 3"
        + "\n\n"
        + rf"$${DEDZ} = y^{{(2)}}$$"
        + "\n\n## 3\n\n"
        + rf"$${DEDZ} = (y^{{(2)}} - t)^T$$",
        [("3", 3, F), ("3", 7, P)],
    ),
    # a numbered list inside a step belongs to it ...
    (
        rf"4: $${DEDZ} = (y^{{(2)}} - t)^T$$"
        + "\n\n1. the gradient is a row\n2. "
        + rf"$${DEDZ} = y^{{(2)}}$$",
        [("4", 1, P), ("4", 4, F)],
    ),
    # ... while a top-level numbered list past the current step labels steps
    (
        rf"1. $${DEDT} = -\log y$$" + "\n2. $$E = E$$\n3. " + rf"$${DEDZ} = (y^{{(2)}} - t)^T$$",
        [("1", 1, P), ("2", 2, P), ("3", 3, P)],
    ),
    # a continuation never crosses into another block of the same step
    (
        rf"1: $${DEDT} = -\log y$$" + "\n\n2: $$E = E$$\n\n1: $$= \\log y$$",
        [("1", 1, P), ("1", 5, E), ("2", 3, P)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), LABELS)
def test_step_labels(read, text, expected):
    assert sorted(read(text)) == sorted(expected)


def test_repeated_label_earns_nothing_for_a_failing_first_block(tmp_path):
    from verifier.cli import main

    sub = tmp_path / "s.md"
    sub.write_text(
        rf"1: $${DEDT} = \log y$$" + "\n\n" + rf"1: $${DEDT} = -\log y$$" + "\n", "utf-8"
    )
    out = tmp_path / "r.json"
    assert main([str(sub), "--json", str(out), "--format", "github", "--no-proof"]) == 1
    (step,) = [s for s in json.loads(out.read_text())["steps"] if s["id"] == "1"]
    assert step["verdict"] == "fail" and len(step["claims"]) == 2


INDEPENDENT = [
    # (two spans, whether the second reads the same without the first)
    (rf"1: $${DEDT} = -\log y$$" + "\n\n" + rf"$${DEDT} = \log y$$", True),
    (rf"1: $${DEDT} = -\log y$$" + "\n\n$$= \\log y$$", False),
    (rf"1: $${DEDT} = -\log y$$" + "\n\n$$ {}+ 5 $$", False),
    (rf"1: $${DEDT} = -\log y$$" + "\n\n$$5$$", False),  # a stray display, reported from before
    (rf"1: ${DEDT}$ = $-\log y$", False),
    (rf"1: $${DEDT} = -\log y$$" + "\n\n2: $$E = E$$", True),
]


@pytest.mark.parametrize(("text", "expected"), INDEPENDENT)
def test_where_a_document_may_be_cut(text, expected):
    from verifier.check.spans import independent

    doc = read_text("s.md", text)
    first, second = doc.spans
    assert independent(doc, first, second) is expected


# --- from the second hostile review: each a false line that once passed, or hidden text read --
DEDX = r"\frac{\partial E}{\partial x}"
SECOND_REVIEW = [
    # (text, path, verdicts of the claims found, in order)
    (
        "1: The\rsigmoid.\r\r"
        + rf"$${DEDX} = 5$$"
        + "\r```\r"
        + rf"$${DEDX} = -t(1-y)W$$"
        + "\r```\r",
        "s.md",
        [F],
    ),
    (
        rf"1: $$\begin{{aligned}}{DEDX} &= -t(1-G(Wx))W \quad (1) \\ &= 1\end{{aligned}}$$",
        "s.md",
        [P, F],
    ),
    (rf"1: $${DEDT} = -\log y + 1$$" + "\n\nOops, subtract it:\n\n$$- 1$$", "s.md", [F, E]),
    (rf"1: $$\boxed{{{DEDX} = -tW}}$$", "s.md", [F]),
    (rf"1: We get $({DEDX} = 5)$.", "s.md", [E]),
    (rf"1: $$\big[{DEDX} = 5\big]$$", "s.md", [E]),
    (
        r"4: $$\frac{\partial E}{\partial W^{(2)}} = \left(\begin{array}{cc} (y^{(2)} - t) & y^{(1)T} \end{array}\right)$$",
        "s.md",
        [E],
    ),
    (
        r"4: $$\begin{aligned}\frac{\partial E}{\partial W^{(2)}} &= (y^{(2)} - t) & y^{(1)T}\end{aligned}$$",
        "s.md",
        [F, E],
    ),
    (rf"1: $${DEDX} = -t(1-y)W\text{{(Wx)}}$$", "s.md", [E]),
    (rf"1: $${DEDT} = -\log y\text{{ty}}$$", "s.md", [E]),
    (rf"1: $${DEDT} = -\log y \text{{(t-y)}}$$", "s.md", [E]),
    (rf"1: $${DEDT} = \frac{{-2\log y}}{{}}2$$", "s.md", [E]),
    # LaTeX: `\iff` is no conditional; undecidable conditionals and definitions are not read
    (
        "\\begin{document}\n1: $"
        + DEDT
        + r" = -\log y$"
        + "\n\\iffalse note: $y = 1 \\iff t = 1$ \\fi\nso $"
        + DEDX
        + " = 5 W$.",
        "s.tex",
        [P, F],
    ),
    (
        "\\begin{document}\n1: $" + DEDX + r" = 5W$ \ifnum 0=1 $" + DEDX + r" = -t(1-y)W$ \fi",
        "s.tex",
        [F],
    ),
    (
        "\\newcommand{\\foo}[1][$"
        + DEDX
        + r" = -t(1-y)W$]{#1}"
        + "\n\\begin{document}\n1: $"
        + DEDX
        + " = 5W$",
        "s.tex",
        [F],
    ),
    (
        "\\newenvironment{foo}{$"
        + DEDX
        + r" = -t(1-y)W$}{}"
        + "\n\\begin{document}\n1: $"
        + DEDX
        + " = 5W$",
        "s.tex",
        [F],
    ),
    # Markdown: a `<` that opens no tag is text; processing instructions are not
    (rf"1: Since 0 <y and ${DEDX} = 5W$ holds, y> 0.", "s.md", [F]),
    (rf"1: ${DEDX} = 5W$ <? ${DEDX} = -t(1-y)W$ ?>", "s.md", [F]),
    (rf"1: see [notes]( ${DEDX} = 5W$ ) here", "s.md", [F]),
    (rf"1: wow![${DEDX} = 5W$] ok", "s.md", [F]),
    # Jupyter hands MathJax any environment
    ("1:\n\n\\begin{aligned} " + DEDX + r" &= 5W \end{aligned}", "s.ipynb", [F]),
    # true lines that must stay true
    (rf"1: $${DEDT} = -\log y \quad \text{{(product rule)}}$$", "s.md", [P]),
    (rf"1: $${DEDT} = -\log y \quad \text{{by Eq. (3)}}$$", "s.md", [P]),
    (
        rf"1: $$\begin{{align}} {DEDT} &= -\log y && (2) \\ &= -\log G(Wx) && (3) \end{{align}}$$",
        "s.md",
        [P, P],
    ),
    ("\ufeff1: " + rf"$${DEDT} = -\log y$$", "s.md", [P]),
    (rf"1: $${DEDT} = -\log y \quad \forall i \\ &= -\log(y)$$", "s.md", [P, P]),
    (
        "\\begin{document}\n1: $"
        + DEDT
        + r" = -\log y$,"
        + "\n10 lines of algebra give $"
        + DEDT
        + r" = -\log G(Wx)$",
        "s.tex",
        [P, P],
    ),
]


@pytest.mark.parametrize(("text", "path", "expected"), SECOND_REVIEW)
def test_second_review(read, text, path, expected):
    got = read(text, path)
    assert [v for _, _, v in got] == expected and {s for s, _, _ in got} <= {"1", "4"}, got


UNDECLARED_LABELS = [
    # a line that looks like a label the assignment does not declare keeps its claims in the
    # step around it, where they are graded
    rf"1: $${DEDT} = -\log y$$"
    + "\n\n(i) the weights:\n\n"
    + r"$$\frac{\partial E}{\partial W} = 5 x^T$$",
    rf"1: $${DEDT} = -\log y$$" + "\n\nPart b of the chain rule:\n\n" + rf"$${DEDT} = \log y$$",
    rf"1: $${DEDT} = -\log y$$" + "\n\n2a) next\n\n" + rf"$${DEDT} = \log y$$",
]


@pytest.mark.parametrize("text", UNDECLARED_LABELS)
def test_an_undeclared_label_does_not_take_claims_out_of_a_step(backprop_checker, text):
    from verifier.check.grading import Grader

    result = check_text(text, path="s.md", checker=backprop_checker)
    grade = Grader(backprop_checker).grade(result)
    assert [s.id for s in result.steps] == ["1"]
    assert grade.steps[0].status == "fail" and grade.steps[0].points == 0


def test_a_letter_label_belongs_to_the_number_before_it():
    doc = read_text("s.md", "## Problem 1\n\n(a) $a=b$\n\n## Problem 2\n\n(a) $c=d$\n")
    assert [s.id for s in doc.steps] == ["1a", "2a"]


# --- from a review of the merged whole (chunked planning, notebooks, the API) ---------------
FINAL_REVIEW = [
    # (text, path, verdicts): an operator row or a stray display after an inline equation is
    # reported, never dropped; continuation rows that open with layout read as continuations
    (rf"1: so ${DEDT} = -\log y$" + "\n$$+ 5$$", "s.md", [P, E]),
    (rf"1: so ${DEDT} = -\log y$" + "\n$$3\\log y$$", "s.md", [P, E]),
    ("1: we get\n\n" + rf"$${DEDT}$$" + "\n\n$$- 4\\log y$$", "s.md", [E]),
    ("1:\n\n" + rf"$${DEDT} = -\log(y)$$" + "\n\n$$\\overset{(a)}{=} -\\log y$$", "s.md", [P, P]),
    ("1:\n\n" + rf"$${DEDT} = -\log y$$" + "\n\n$$\\displaystyle = -\\log y$$", "s.md", [P, P]),
    ("1:\n\n" + rf"$${DEDT} = -\log y$$" + "\n\n$$\\label{a} = -\\log y$$", "s.md", [P, P]),
    ("1:\n\n" + rf"$${DEDT} = -\log y$$" + "\n\n$$\\sum_{j=1}^n y_j$$", "s.md", [P, E]),
    (rf"1: $${DEDT} = -\log y$$ = $$3\log y = 3\log y$$", "s.md", [P, E, P]),
]


@pytest.mark.parametrize(("text", "path", "expected"), FINAL_REVIEW)
def test_final_review(read, text, path, expected, tmp_path):
    from verifier.cli import main

    assert [v for _, _, v in read(text, path)] == expected  # the API
    sub = tmp_path / path
    sub.write_text(text, "utf-8")
    out = tmp_path / "r.json"
    main([str(sub), "--json", str(out), "--format", "github", "--no-proof", "--allow-missing"])
    got = [c["verdict"] for s in json.loads(out.read_text())["steps"] for c in s["claims"]]
    assert got == [v.value for v in expected]  # the CLI: a child plans it chunk by chunk


def test_notebook_text_is_read_as_a_notebook(backprop_checker):
    cells = [rf"1: $${DEDT} = -\log y$$", "<div>\n" + rf"$${DEDT} = 3\log y$$" + "\n</div>"]
    notebook = {"cells": [{"cell_type": "markdown", "source": c} for c in cells]}
    result = check_text(json.dumps(notebook), path="hw.ipynb", checker=backprop_checker)
    assert [c.verdict for c in result.claims] == [P, F]  # Jupyter typesets math in HTML
