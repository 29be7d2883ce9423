r"""Macros (`verifier/source/macros.py`): expanded before a formula is read, so that what renders
is what is checked.

Truth used (assignment ``backprop``): step 1 is the neuron, ∂E/∂t = -log y; step 6 the network,
∂E/∂z^{(1)} = (y^{(2)} - t)^T W^{(2)} diag(y^{(1)} ⊙ (1 - y^{(1)})).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.api import check_text
from verifier.check.plan import plan
from verifier.check.verdicts import Verdict
from verifier.limits import DEFAULT_LIMITS
from verifier.source import read_text
from verifier.source.origin import OriginBuilder, identity

P, W, F, E = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR
DEDT = r"\frac{\partial E}{\partial t}"
PD = r"\newcommand{\pd}[2]{\frac{\partial #1}{\partial #2}}"
TEX = "\\begin{document}\n"


def notebook(*cells: str) -> str:
    return json.dumps({"cells": [{"cell_type": "markdown", "source": c} for c in cells]})


def verdicts(checker, text: str, path: str) -> list[Verdict]:
    return [c.verdict for c in check_text(text, path=path, checker=checker).claims]


# --- 1. what a formula reads as, once expanded ---------------------------------------------
EXPANDED = [
    # (text, path, texts of the formulas that are not empty once expanded)
    (rf"${PD}$ $\pd{{E}}{{t}}$", "s.md", [r"\frac{\partial E}{\partial t}"]),
    (rf"${PD}$ $\pd E t$", "s.md", [r"\frac{\partial E}{\partial t}"]),  # one-token arguments
    (r"$\newcommand*{\R}{\mathbb{R}}$ $x \in \R$", "s.md", [r"x \in \mathbb{R}"]),
    (r"$\newcommand\R{\mathbb{R}}$ $\R$", "s.md", [r"\mathbb{R}"]),
    (r"$\def\R{\mathbb{R}}$ $\R^n$", "s.md", [r"\mathbb{R}^n"]),
    (r"$\def\sq#1#2{#1^{#2}}$ $\sq x2$", "s.md", ["x^{2}"]),
    (r"$\let\lg\log$ $\lg y$", "s.md", [r"\log y"]),
    (r"$\let\lg=\log$ $\lg y$", "s.md", [r"\log y"]),
    (r"$\newcommand{\m}[1][-]{#1 y}$ $\m$ $\m[+]$", "s.md", ["- y", "+ y"]),
    (r"$\newcommand{\a}[1]{\alpha#1}$ $\a x$", "s.md", [r"\alpha x"]),  # not `\alphax`
    (r"$\newcommand{\w}[1]{\sigma\left(#1\right)}$ $\w{z}$", "s.md", [r"\sigma\left(z\right)"]),
    (r"$\def\x{a ## b}$ $\x$", "s.md", ["a # b"]),
    # \DeclareMathOperator: the grammar's own \operatorname, whatever a user made of it
    (r"$\DeclareMathOperator{\diag}{diag}$ $\diag(x)$", "s.md", [r"\operatorname{diag}(x)"]),
    (
        "\\DeclareMathOperator*{\\diag}{diag}\\renewcommand{\\operatorname}[1]{5}\n"
        + TEX
        + r"$\diag(x)$",
        "s.tex",
        [r"\operatorname{diag}(x)"],
    ),
    # a redefined command of the grammar reads as it renders
    (r"$\renewcommand{\log}{5\ln}$ $\log y$", "s.md", [r"5\ln y"]),
    (r"$\let\lg\log \renewcommand{\log}{5\lg}$ $\log y$", "s.md", [r"5\log y"]),
    # LaTeX: preamble and body, \providecommand, \edef, groups, \global, the active ~
    (
        "\\newcommand{\\pd}[2]{\\frac{\\partial #1}{\\partial #2}}\n" + TEX + r"$\pd{E}{t}$",
        "s.tex",
        [DEDT],
    ),
    ("\\providecommand{\\R}{\\mathbb{R}}\n" + TEX + r"$\R$", "s.tex", [r"\mathbb{R}"]),
    ("\\providecommand{\\log}{5}\n" + TEX + r"$\log y$", "s.tex", [r"\log y"]),
    ("\\def\\a{1}\\edef\\b{\\a}\\def\\a{2}\n" + TEX + r"$\b$", "s.tex", ["1"]),
    (TEX + "{\\def\\a{1}} \\def\\a{2} $\\a$", "s.tex", ["2"]),
    (TEX + "{\\gdef\\a{1}} $\\a$", "s.tex", ["1"]),
    (TEX + "{\\global\\def\\a{1}} $\\a$", "s.tex", ["1"]),
    (TEX + "\\begin{center}\\def\\a{1}\\end{center}\\def\\a{2} $\\a$", "s.tex", ["2"]),
    (TEX + "\\begin{center}\\def\\a{1}\\end{center} $\\a$", "s.tex", [r"\a"]),
    # a macro with an optional argument looks at what follows: an environment there still counts
    (
        "\\newcommand{\\o}[1][x]{#1}\n" + TEX + "\\def\\a{1}\\o\\begin{center}\\end{center} $\\a$",
        "s.tex",
        ["1"],
    ),
    (TEX + "$\\def\\a{1} \\a$ $\\a$", "s.tex", ["1", r"\a"]),  # local to its formula
    ("\\def~{+1}\n" + TEX + r"$y~$", "s.tex", ["y+1"]),
    ("\\makeatletter\\def\\@x{1}\\makeatother\n" + TEX + r"$y$", "s.tex", ["y"]),
    # MathJax: a definition holds for the rest of the page, inside braces too; \text is literal
    (r"${\def\a{1}}$ $\a$", "s.md", ["{}", "1"]),
    (r"$\text{\def\log{5}}$ $\log y$", "s.md", [r"\text{\def\log{5}}", r"\log y"]),
    # a definition in what does not render does not exist
    ("<!-- $\\def\\log{5}$ -->\n\n$\\log y$", "s.md", [r"\log y"]),
    ("```\n$\\def\\log{5}$\n```\n\n$\\log y$", "s.md", [r"\log y"]),
    ("% \\def\\log{5}\n" + TEX + r"$\log y$", "s.tex", [r"\log y"]),
    ("\\iffalse \\def\\log{5} \\fi\n" + TEX + r"$\log y$", "s.tex", [r"\log y"]),
    ("\\begin{comment}\n\\def\\log{5}\n\\end{comment}\n" + TEX + r"$\log y$", "s.tex", [r"\log y"]),
]


@pytest.mark.parametrize(("text", "path", "expected"), EXPANDED)
def test_a_formula_reads_as_its_macros_expand(text, path, expected):
    spans = read_text(path, text).spans
    assert [s.text.strip() for s in spans if s.text.strip() and not s.problem] == expected


def test_a_formula_without_macros_is_left_as_it_is():
    """Nothing to expand: the same text, no origin map (so nothing is slower)."""
    doc = read_text("s.md", rf"$$\newcommand{{\x}}{{1}}$$ $${DEDT} = -\log y$$")
    assert doc.spans[-1].origin is None and doc.spans[-1].text == rf"{DEDT} = -\log y"
    doc = read_text("s.tex", TEX + rf"$${DEDT} = -\log y$$")
    assert all(s.origin is None and s.problem is None for s in doc.spans)


# --- 2. each construct, true and false, in Markdown, LaTeX and notebooks ---------------------
CHECKED = [
    # (definitions, a use in step 1 whose true form is -\log y: true, false)
    (PD, r"\pd{E}{t} = -\log y", r"\pd{E}{t} = \log y"),
    (
        r"\renewcommand{\pd}[2]{\frac{\partial #1}{\partial #2}}",
        r"\pd{E}{t} = -\log y",
        r"\pd{E}{t} = \log y",
    ),
    (
        r"\newcommand{\pd}[2][E]{\frac{\partial #1}{\partial #2}}",
        r"\pd{t} = -\log y",
        r"\pd[t]{E} = -\log y",
    ),
    (r"\def\pd#1#2{\frac{\partial #1}{\partial #2}}", r"\pd Et = -\log y", r"\pd tE = -\log y"),
    (r"\def\L{-\log y}", rf"{DEDT} = \L", rf"{DEDT} = -\L"),
    (r"\let\lg\log", rf"{DEDT} = -\lg y", rf"{DEDT} = \lg y"),
    (r"\renewcommand{\log}{-\ln}", rf"{DEDT} = \log y", rf"{DEDT} = -\log y"),
    (r"\def\sigma{y}", rf"{DEDT} = -\log \sigma", rf"{DEDT} = \log \sigma"),
]


@pytest.mark.parametrize(("definition", "true", "false"), CHECKED)
@pytest.mark.parametrize("form", ["md", "tex", "ipynb"])
def test_each_construct_passes_true_and_fails_false(
    backprop_checker, definition, true, false, form
):
    if form == "md":
        text, path = f"$${definition}$$\n\n1: $${true}$$\n\n$${false}$$", "s.md"
    elif form == "tex":
        text, path = f"{definition}\n{TEX}1: $${true}$$\n\n$${false}$$", "s.tex"
    else:
        text, path = notebook(f"$${definition}$$", f"1: $${true}$$", f"$${false}$$"), "s.ipynb"
    assert verdicts(backprop_checker, text, path) == [P, F]


def test_a_declared_operator_reads_as_the_function(backprop_checker):
    dedz1 = r"\frac{\partial E}{\partial z^{(1)}} = (y^{(2)} - t)^T W^{(2)}"
    text = (
        "\\DeclareMathOperator{\\diag}{diag}\n"
        + TEX
        + f"6: $${dedz1} \\diag(y^{{(1)}} \\odot (1 - y^{{(1)}}))$$\n\n"
        + f"$${dedz1} \\diag(y^{{(1)}})$$"
    )
    assert verdicts(backprop_checker, text, "s.tex") == [P, F]


# --- 3. what cannot be expanded is an error at its use, with a one-line message -------------
ERRORS = [
    # (text, path, verdicts in order, message of the first error, (line, column) it points at)
    (r"$\def\a{\a}$" + f"\n\n1: $${DEDT} = \\a$$", "s.md", [E], "never ends", (3, 38)),
    (r"$\newcommand{\x}{\x\x}$" + f"\n\n1: $${DEDT} = \\x$$", "s.md", [E], "never ends", (3, 38)),
    (r"$\def\a{\b}\def\b{\a}$" + f"\n\n1: $${DEDT} = \\a$$", "s.md", [E], "never ends", (3, 38)),
    (
        r"$\def\a#1{\a{#1#1}}$" + f"\n\n1: $${DEDT} = \\a x$$",
        "s.md",
        [E],
        "longer than",
        (3, 38),
    ),
    (
        r"$\def\a{xxxxxxxxxx}\def\b{\a\a\a\a\a\a\a\a\a\a}\def\c{\b\b\b\b\b\b\b\b\b\b}"
        r"\def\d{\c\c\c\c\c\c\c\c\c\c}$" + f"\n\n1: $${DEDT} = \\d$$",
        "s.md",
        [E],
        "longer than 4096 characters",
        (3, 38),
    ),
    ("\\def\\a{\\a}\n" + TEX + f"1: ${DEDT} = \\a$", "s.tex", [E], "never ends", (3, 37)),
    # a macro used before its definition, or defined after the formula, is an unknown command
    (
        f"1: $${DEDT} = \\L$$\n\n" + r"$\def\L{-\log y}$",
        "s.md",
        [E],
        "`\\L` is not read",
        (1, 38),
    ),
    (
        TEX + f"1: ${DEDT} = \\L$\n" + r"\def\L{-\log y}",
        "s.tex",
        [E],
        "`\\L` is not read",
        (2, 37),
    ),
    # an error inside a macro's body points at the use, one in an argument where it is written
    (r"$\def\b{\foo}$" + f"\n\n1: $${DEDT} = -\\log y + \\b$$", "s.md", [E], "`\\foo`", (3, 48)),
    (rf"${PD}$" + "\n\n1: $$\\pd{E}{\\foo} = -\\log y$$", "s.md", [E], "`\\foo`", (3, 13)),
    # ... also where a displayed `+ …` line continues it, and across `$a$ = $b$`
    (
        r"$\def\L{\log}$" + f"\n\n1: $${DEDT} = -\\L y$$\n$$+ \\L \\foo$$",
        "s.md",
        [E],
        "`\\foo`",
        (4, 8),
    ),
    (r"$\def\L{\log}$" + f"\n\n1: ${DEDT}$ = $-\\L y \\foo$", "s.md", [E], "`\\foo`", (3, 45)),
    # refused constructs say what they are
    ("\\def\\x#1.{#1}\n" + TEX + f"1: ${DEDT} = \\x y.$", "s.tex", [E], "delimited", (3, 37)),
    (
        "\\NewDocumentCommand{\\pd}{mm}{\\frac{\\partial #1}{\\partial #2}}\n"
        + TEX
        + "1: $\\pd{E}{t} = -\\log y$",
        "s.tex",
        [E],
        "`\\NewDocumentCommand`, which is not expanded",
        (3, 5),
    ),
    (
        "\\catcode`\\~=13\n" + TEX + f"1: ${DEDT} = -\\log y$",
        "s.tex",
        [E],
        "`\\catcode` on line 1",
        (3, 5),
    ),
    (
        r"$\newcommand{\pd}[2]{\frac{\partial #1}" + f"$\n\n1: $${DEDT} = -\\log y$$",
        "s.md",
        [E, P],
        "never closed",
        (1, 2),
    ),
    (
        r"$\newcommand{\x}[a]{y}$" + f"\n\n1: $${DEDT} = -\\log y$$",
        "s.md",
        [E, P],
        "not a number",
        (1, 2),
    ),
    (r"$\def{x}$" + f"\n\n1: $${DEDT} = -\\log y$$", "s.md", [E, P], "command name", (1, 2)),
    # \input and the like: the submission is one file
    (
        "\\input{ch2}\n" + TEX + f"1: ${DEDT} = -\\log y$",
        "s.tex",
        [E, P],
        "`\\input{ch2}` on line 1 is not followed",
        (1, 1),
    ),
    (
        TEX + "1: \\include{ch3}" + f" ${DEDT} = -\\log y$",
        "s.tex",
        [E, P],
        "`\\include{ch3}` on line 2",
        (2, 4),
    ),
    (
        TEX + "1: \\subfile{a.tex}" + f" ${DEDT} = -\\log y$",
        "s.tex",
        [E, P],
        "`\\subfile{a.tex}`",
        (2, 4),
    ),
    (
        TEX + "1: \\import{d/}{a}" + f" ${DEDT} = -\\log y$",
        "s.tex",
        [E, P],
        "`\\import{d/}{a}`",
        (2, 4),
    ),
    (TEX + "1: \\input ch2 " + f" ${DEDT} = -\\log y$", "s.tex", [E, P], "`\\input ch2`", (2, 4)),
    # LaTeX's own checks
    (
        "\\newcommand{\\log}{5}\n" + TEX + f"1: ${DEDT} = -\\log y$",
        "s.tex",
        [E, P],
        "already defined",
        (1, 1),
    ),
    # math that a macro writes into the text is not read (and says so)
    (
        "\\newcommand{\\eq}{$x$}\n" + TEX + f"1: ${DEDT} = -\\log y$ \\eq",
        "s.tex",
        [P, E],
        "writes math",
        (3, 46),
    ),
]


@pytest.mark.parametrize(("text", "path", "expected", "message", "where"), ERRORS)
def test_what_cannot_be_expanded_is_an_error_at_its_use(
    backprop_checker, text, path, expected, message, where
):
    claims = check_text(text, path=path, checker=backprop_checker).claims
    assert [c.verdict for c in claims] == expected, [(c.verdict, c.message) for c in claims]
    error = next(c for c in claims if c.verdict is E)
    assert message in error.message and "\n" not in error.message
    assert (error.error_at or (error.line, error.column)) == where


# --- 4. a hostile student: no false line passes through a macro -----------------------------
FALSE = [
    # a definition that does not hold where the formula is (what renders is `\ln y`)
    ("{\\renewcommand{\\ln}{-\\log}}\n" + TEX + f"1: ${DEDT} = \\ln y$", "s.tex"),
    (
        TEX + "\\begin{center}\\renewcommand{\\ln}{-\\log}\\end{center}" + f"1: ${DEDT} = \\ln y$",
        "s.tex",
    ),
    (TEX + f"$\\renewcommand{{\\ln}}{{-\\log}}$\n\n1: ${DEDT} = \\ln y$", "s.tex"),
    ("\\providecommand{\\ln}{-\\log}\n" + TEX + f"1: ${DEDT} = \\ln y$", "s.tex"),
    ("\\newcommand{\\ln}{-\\log}\n" + TEX + f"1: ${DEDT} = \\ln y$", "s.tex"),
    (
        "\\newenvironment{x}{\\renewcommand{\\ln}{-\\log}}{}\n" + TEX + f"1: ${DEDT} = \\ln y$",
        "s.tex",
    ),
    (
        "\\AtBeginDocument{\\renewcommand{\\ln}{\\log}}\n" + TEX + f"1: ${DEDT} = -\\ln y + 1$",
        "s.tex",
    ),
    (r"$\text{\def\ln{-\log}}$" + f"\n\n1: $${DEDT} = \\ln y$$", "s.md"),
    (r"$\providecommand{\ln}{-\log}$" + f"\n\n1: $${DEDT} = \\ln y$$", "s.md"),
    (f"1: $${DEDT} = \\ln y$$\n\n" + r"$\def\ln{-\log}$", "s.md"),
    # hidden definitions do not exist
    ("% \\renewcommand{\\ln}{-\\log}\n" + TEX + f"1: ${DEDT} = \\ln y$", "s.tex"),
    ("\\iffalse\\renewcommand{\\ln}{-\\log}\\fi\n" + TEX + f"1: ${DEDT} = \\ln y$", "s.tex"),
    ("<!-- $\\def\\ln{-\\log}$ -->\n\n" + f"1: $${DEDT} = \\ln y$$", "s.md"),
    ("`$\\def\\ln{-\\log}$`\n\n" + f"1: $${DEDT} = \\ln y$$", "s.md"),
    # what renders is false, whatever the macros do
    (r"$\renewcommand{\log}{5\ln}$" + f"\n\n1: $${DEDT} = -\\log y$$", "s.md"),
    (r"$\renewcommand{\frac}[2]{#2}$" + f"\n\n1: $${DEDT} = -\\log y$$", "s.md"),
    (r"$\renewcommand{\left}{-}$" + f"\n\n1: $${DEDT} = \\left(\\log y\\right)$$", "s.md"),
    (r"$\def\m{-}$" + f"\n\n1: $${DEDT} = \\m\\m\\log y$$", "s.md"),
    (r"$\newcommand{\h}[1]{}$" + f"\n\n1: $${DEDT} = \\h{{-}}\\log y$$", "s.md"),
    (r"$\newcommand{\t}[1]{\text{#1}}$" + f"\n\n1: $${DEDT} = \\t{{-}}\\log y$$", "s.md"),
    (r"$\newcommand{\x}{-\log y$" + f"\n\n1: $${DEDT} = \\x$$", "s.md"),
    (r"$\newcommand{\x}[1]{#2}$" + f"\n\n1: $${DEDT} = -\\log \\x{{y}}$$", "s.md"),
    (r"$\def\x{#}$" + f"\n\n1: $${DEDT} = -\\log y \\x$$", "s.md"),
    ("~" + f"\n\n1: $${DEDT} = ~\\log y$$", "s.md"),
    # math a macro hides (an argument it drops, a conditional it opens) earns nothing
    ("\\newcommand{\\hide}[1]{}\n" + TEX + f"1: \\hide{{${DEDT} = -\\log y$}}", "s.tex"),
    ("\\newcommand{\\hide}{\\iffalse}\n" + TEX + f"1: \\hide ${DEDT} = -\\log y$ \\fi", "s.tex"),
]


@pytest.mark.parametrize(("text", "path"), FALSE)
def test_no_false_or_hidden_line_passes_through_a_macro(backprop_checker, text, path):
    got = verdicts(backprop_checker, text, path)
    assert got and P not in got and W not in got, got


def test_an_active_tilde_reads_as_it_renders(backprop_checker):
    text = "\\def~{-}\n" + TEX + f"1: ${DEDT} = ~\\log y$"
    assert verdicts(backprop_checker, text, "s.tex") == [P]


def test_a_formula_of_definitions_only_is_nothing(backprop_checker):
    text = f"1: $${PD}$$\n\n$$\\pd{{E}}{{t}} = -\\log y$$\n\n$\\def\\x{{1}}\\let\\y\\x$"
    assert verdicts(backprop_checker, text, "s.md") == [P]


# --- 5. the origin map --------------------------------------------------------------------
def test_the_origin_map_places_every_character():
    built = OriginBuilder()
    built.add("ab", 10, True)  # copied from the file at 10
    built.add("cd", 10, True)  # a jump back: a new run
    built.add("XYZ", 40, False)  # a macro's body, used at 40
    built.add("e", 14, True)
    origin = built.origin(10, 20)
    assert built.text() == "abcdXYZe"
    assert [origin.at(i) for i in range(8)] == [10, 11, 10, 11, 40, 40, 40, 14]
    part = origin.slice(3, 6)
    assert [part.at(i) for i in range(3)] == [11, 40, 40]
    joined = identity(0, 3).then(3, 2, part)
    assert [joined.at(i) for i in range(8)] == [0, 1, 2, 3, 4, 11, 40, 40]


# --- 6. whatever is written, reading ends, without a traceback, with offsets in the file -----
SOUP = [
    *r"\newcommand \renewcommand \providecommand \def \gdef \edef \let \global".split(),
    *r"\DeclareMathOperator \NewDocumentCommand \catcode \input{a} \makeatletter \@x".split(),
    *r"\x \y \a \frac \log \partial \relax \left( \right) \text{ \iffalse \fi".split(),
    *r"{ } [ ] # #1 #2 ## ~ = $ $$ * [2] [1][a] x E t 1 %".split(),
    *[" ", "\n", "\n\n", r"\begin{align}", r"\end{align}", r"\begin{document}", r"\\"],
]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(SOUP), max_size=40), st.sampled_from(["s.md", "s.tex"]))
def test_any_macro_soup_reads_with_offsets_in_the_file(parts, path):
    text = "".join(parts)
    doc = read_text(path, text)
    for unit in plan(doc, DEFAULT_LIMITS):
        item = unit.item
        parts_ = [] if hasattr(item, "message") else [item.head, *item.rest]
        offsets = [item.offset] if hasattr(item, "message") else [p.offset for p in parts_]
        offsets += [p.error_at for p in parts_ if p.error]
        assert all(0 <= at <= len(text) for at in offsets), (offsets, len(text))
