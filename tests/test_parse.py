"""The grammar: the text of one math span → raw tree (``verifier.parse.parser.parse_math``).

Every expectation is a compact s-expression rendered from the raw tree by :func:`sx`:

====================  ==========================================================
``x``, ``1.5``        a symbol (``sigma`` for ``\\sigma``), a number
``TOP``               a transpose mark (``\\top``, ``\\mathsf{T}``, ``\\intercal``)
``\\frca``            an unknown command, left for the typed pass to report
``(sc B _S ^P ')``    a scripted symbol: base, subscripts, superscripts, primes
``(par X)``           ``( )``, ``\\left( \\right)``; ``(brk X)`` for ``[ ]``
``{A | B}``           a brace group; ``|`` separates its pieces
``(* a b c)``         juxtaposition: a flat list of factors, operators among them
``<cdot>``, ``@log``  a product operator, a named function
``(sum _S ^P)``       ``\\sum`` with its limits; ``∂`` is ``\\partial``
``(+ a b)``           ``(- a b)``, ``(neg a)``, ``(frac N D)``, ``(sqrt X)``
``(= a b c)``         an equation chain; ``(= _ a b)`` continues the previous one
``A | B``             the top-level pieces of the span, split by separators
====================  ==========================================================
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier.errors import NotationError
from verifier.models.assignment import load_assignment
from verifier.models.model import build_model
from verifier.parse import tree as t
from verifier.parse.parser import parse_math
from verifier.parse.resolve import Resolver
from verifier.source import read_text

SEED = Path(__file__).resolve().parents[1] / "derivations" / "examples" / "backprop_seed.md"


def sx(node: t.RNode) -> str:
    """A short s-expression for a raw node; an unknown node type fails loudly."""
    if isinstance(node, t.RSeq):
        return "{" + " | ".join(sx(p) for p in node.pieces) + "}"
    if isinstance(node, t.RChain):
        body = " ".join(sx(e) for e in node.exprs)
        if node.continuation:
            return f"(= _ {body})"
        return body if len(node.exprs) == 1 else f"(= {body})"
    if isinstance(node, t.RSym):
        return node.name
    if isinstance(node, t.RNum):
        return node.text
    if isinstance(node, t.RTransposeMark):
        return "TOP"
    if isinstance(node, t.RCmd):
        return node.name
    if isinstance(node, t.RScripted):
        parts = ["sc", sx(node.base)]
        parts += ["_" + sx(s) for s in node.subs]
        parts += ["^" + sx(s) for s in node.sups]
        parts += ["'"] * node.primes
        return "(" + " ".join(parts) + ")"
    if isinstance(node, t.RParen):
        return f"({'par' if node.opener == '(' else 'brk'} {sx(node.body)})"
    if isinstance(node, t.RFrac):
        return f"(frac {sx(node.num)} {sx(node.den)})"
    if isinstance(node, t.RSqrt):
        return f"(sqrt {sx(node.body)})"
    if isinstance(node, t.RFunc):
        return "@" + node.name
    if isinstance(node, t.RMulOp):
        return f"<{node.op}>"
    if isinstance(node, t.RBigSum):
        limits = ["_" + sx(s) for s in node.subs] + ["^" + sx(s) for s in node.sups]
        return "(" + " ".join(["sum", *limits]) + ")"
    if isinstance(node, t.RPartial):
        return "∂"
    if isinstance(node, t.RProduct):
        return "(* " + " ".join(sx(i) for i in node.items) + ")"
    if isinstance(node, t.RSum):  # the flat sum, written as the left-deep chain it stands for
        text = sx(node.terms[0])
        for op, term in zip(node.ops, node.terms[1:], strict=True):
            text = f"({op} {text} {sx(term)})"
        return text
    if isinstance(node, t.RNeg):
        return f"(neg {sx(node.body)})"
    if isinstance(node, t.RDecorated):
        return f"(\\{node.decoration} {sx(node.body)})"
    if isinstance(node, t.RText):
        return f'"{node.text}"'
    raise TypeError(f"no rendering for {type(node).__name__}")


def render(text: str) -> str:
    """The top-level pieces of one math span, ``" | "``-separated."""
    seq = parse_math(text)
    assert isinstance(seq, t.RSeq)
    return " | ".join(sx(piece) for piece in seq.pieces)


def xfail(*values: str, reason: str, id: str | None = None):
    return pytest.param(*values, marks=pytest.mark.xfail(reason=reason, strict=True), id=id)


# --- the seed submission, every math span -------------------------------------------------
# The text between the delimiters; `\begin{aligned}`/`\end{aligned}` are blanked by the source
# reader, so the aligned spans are tested by their inner text.
SEED_SPANS = [
    pytest.param("m=1", "(= m 1)", id="1-m"),
    pytest.param(
        r"E = -t \cdot \log y = -t \cdot \log(G(Wx)) = "
        r"-t \cdot \log\left(\frac{1}{1+e^{-Wx}}\right)",
        "(= E (neg (* t <cdot> @log y)) (neg (* t <cdot> @log (par (* G (par (* W x))))))"
        " (neg (* t <cdot> @log (par (frac {1} {(+ 1 (sc e ^{(neg (* W x))}))})))))",
        id="1-E",
    ),
    pytest.param(r"\therefore", "", id="1-therefore"),
    pytest.param(
        r"\frac{\partial E}{\partial t} = \log\left(\frac{1}{1+e^{-Wx}}\right)",
        "(= (frac {(* ∂ E)} {(* ∂ t)}) (* @log (par (frac {1} {(+ 1 (sc e ^{(neg (* W x))}))}))))",
        id="1-dEdt",
    ),
    pytest.param(
        r"\frac{\partial E}{\partial x} = -t \cdot \frac{1}{G(Wx)} \cdot "
        r"\frac{\partial G(Wx)}{\partial x}",
        "(= (frac {(* ∂ E)} {(* ∂ x)}) (neg (* t <cdot> (frac {1} {(* G (par (* W x)))})"
        " <cdot> (frac {(* ∂ G (par (* W x)))} {(* ∂ x)}))))",
        id="1-dEdx",
    ),
    pytest.param(
        r"= -t \cdot (1+e^{-Wx}) \cdot W \cdot \frac{1}{1+e^{-Wx}} "
        r"\left(1 - \frac{1}{1+e^{-Wx}}\right)",
        "(= _ (neg (* t <cdot> (par (+ 1 (sc e ^{(neg (* W x))}))) <cdot> W <cdot>"
        " (frac {1} {(+ 1 (sc e ^{(neg (* W x))}))})"
        " (par (- 1 (frac {1} {(+ 1 (sc e ^{(neg (* W x))}))}))))))",
        id="1-cont1",
    ),
    pytest.param(
        r"= tW \frac{e^{-Wx}}{1+e^{-Wx}}",
        "(= _ (* t W (frac {(sc e ^{(neg (* W x))})} {(+ 1 (sc e ^{(neg (* W x))}))})))",
        id="1-cont2",
    ),
    pytest.param(
        r"z^{(1)} = W^{(1)}x \quad y^{(1)} = G(z^{(1)}),",
        "(= (sc z ^{(par 1)}) (* (sc W ^{(par 1)}) x))"
        " | (= (sc y ^{(par 1)}) (* G (par (sc z ^{(par 1)}))))",
        id="2-layer1",
    ),
    pytest.param(
        r"z^{(2)} = W^{(2)}y^{(1)} \quad y^{(2)} = s(z^{(2)}),",
        "(= (sc z ^{(par 2)}) (* (sc W ^{(par 2)}) (sc y ^{(par 1)})))"
        " | (= (sc y ^{(par 2)}) (* s (par (sc z ^{(par 2)}))))",
        id="2-layer2",
    ),
    pytest.param("y = y^{(2)}", "(= y (sc y ^{(par 2)}))", id="2-y"),
    pytest.param(
        r"\frac{\partial E}{\partial z_i^{(2)}} = \sum_{j=1}^n "
        r"\frac{\partial E_j}{\partial y_j^{(2)}} \cdot \frac{\partial y_j^{(2)}}{\partial z_i^{(2)}}",
        "(= (frac {(* ∂ E)} {(* ∂ (sc z _i ^{(par 2)}))}) (* (sum _{(= j 1)} ^n)"
        " (frac {(* ∂ (sc E _j))} {(* ∂ (sc y _j ^{(par 2)}))}) <cdot>"
        " (frac {(* ∂ (sc y _j ^{(par 2)}))} {(* ∂ (sc z _i ^{(par 2)}))})))",
        id="2-chain-rule",
    ),
    pytest.param(
        r"\frac{\partial E}{\partial z^{(2)}} = (y^{(2)} - t)^T",
        "(= (frac {(* ∂ E)} {(* ∂ (sc z ^{(par 2)}))}) (sc (par (- (sc y ^{(par 2)}) t)) ^T))",
        id="3-dEdz2",
    ),
    pytest.param(
        r"\therefore z^{(2)} = W^{(2)} y^{(1)} \Rightarrow "
        r"\frac{\partial z^{(2)}}{\partial y^{(1)}} = W^{(2)}",
        "(= (sc z ^{(par 2)}) (* (sc W ^{(par 2)}) (sc y ^{(par 1)})))"
        " | (= (frac {(* ∂ (sc z ^{(par 2)}))} {(* ∂ (sc y ^{(par 1)}))}) (sc W ^{(par 2)}))",
        id="3-therefore",
    ),
    pytest.param(
        r"\frac{\partial E}{\partial y^{(1)}} = \frac{\partial E}{\partial z^{(2)}} \cdot "
        r"\frac{\partial z^{(2)}}{\partial y^{(1)}} = (y^{(2)} - t)^T \cdot W^{(2)}",
        "(= (frac {(* ∂ E)} {(* ∂ (sc y ^{(par 1)}))}) (* (frac {(* ∂ E)} {(* ∂ (sc z ^{(par 2)}))})"
        " <cdot> (frac {(* ∂ (sc z ^{(par 2)}))} {(* ∂ (sc y ^{(par 1)}))}))"
        " (* (sc (par (- (sc y ^{(par 2)}) t)) ^T) <cdot> (sc W ^{(par 2)})))",
        id="3-dEdy1",
    ),
    pytest.param(
        r"\frac{\partial E}{\partial W_{uv}^{(2)}} = \frac{\partial E}{\partial z^{(2)}} \cdot "
        r"\frac{\partial z^{(2)}}{\partial W_{uv}^{(2)}} = (y_u^{(2)} - t_u) \cdot y_v^{(1)}",
        "(= (frac {(* ∂ E)} {(* ∂ (sc W _{(* u v)} ^{(par 2)}))})"
        " (* (frac {(* ∂ E)} {(* ∂ (sc z ^{(par 2)}))}) <cdot>"
        " (frac {(* ∂ (sc z ^{(par 2)}))} {(* ∂ (sc W _{(* u v)} ^{(par 2)}))}))"
        " (* (par (- (sc y _u ^{(par 2)}) (sc t _u))) <cdot> (sc y _v ^{(par 1)})))",
        id="4-entry",
    ),
    pytest.param(
        r"\therefore \frac{\partial E}{\partial W^{(2)}} = (y^{(2)} - t) y^{(1)T}",
        "(= (frac {(* ∂ E)} {(* ∂ (sc W ^{(par 2)}))})"
        " (* (par (- (sc y ^{(par 2)}) t)) (sc y ^{(* (par 1) T)})))",
        id="4-matrix",
    ),
    pytest.param(
        r"\frac{\partial g(z)}{\partial z} &= \frac{-(-1)e^z}{(1+e^{-z})^2} = "
        r"\frac{1}{1+e^{-z}} \cdot \frac{e^{-z}}{1+e^{-z}} = "
        r"\frac{1}{1+e^{-z}} \cdot \left(1 - \frac{1}{1+e^{-z}}\right) \\ &= g(z) (1 - g(z))",
        "(= (frac {(* ∂ g (par z))} {(* ∂ z)})"
        " (frac {(neg (* (par (neg 1)) (sc e ^z)))} {(sc (par (+ 1 (sc e ^{(neg z)}))) ^2)})"
        " (* (frac {1} {(+ 1 (sc e ^{(neg z)}))}) <cdot>"
        " (frac {(sc e ^{(neg z)})} {(+ 1 (sc e ^{(neg z)}))}))"
        " (* (frac {1} {(+ 1 (sc e ^{(neg z)}))}) <cdot>"
        " (par (- 1 (frac {1} {(+ 1 (sc e ^{(neg z)}))})))))"
        " | (= _ (* g (par z) (par (- 1 (* g (par z))))))",
        id="5-aligned-sigmoid",
    ),
    pytest.param(
        r"\therefore \frac{\partial y^{(1)}}{\partial z^{(1)}} &= "
        r"\frac{\partial g(z^{(1)})}{\partial z^{(1)}} = g(z^{(1)}) \cdot (1 - g(z^{(1)})) = "
        r"y^{(1)} \cdot (1 - y^{(1)}) \\ &= \text{diag}(y^{(1)} \cdot (1 - y^{(1)}))",
        "(= (frac {(* ∂ (sc y ^{(par 1)}))} {(* ∂ (sc z ^{(par 1)}))})"
        " (frac {(* ∂ g (par (sc z ^{(par 1)})))} {(* ∂ (sc z ^{(par 1)}))})"
        " (* g (par (sc z ^{(par 1)})) <cdot> (par (- 1 (* g (par (sc z ^{(par 1)}))))))"
        " (* (sc y ^{(par 1)}) <cdot> (par (- 1 (sc y ^{(par 1)})))))"
        " | (= _ (* @diag (par (* (sc y ^{(par 1)}) <cdot> (par (- 1 (sc y ^{(par 1)})))))))",
        id="5-aligned-jacobian",
    ),
    pytest.param(
        r"\frac{\partial E}{\partial z^{(1)}} = \frac{\partial E}{\partial y^{(1)}} \cdot "
        r"\frac{\partial y^{(1)}}{\partial z^{(1)}} = "
        r"(y^{(2)} - t)^T W^{(2)} \text{diag}(y^{(1)} \cdot (1 - y^{(1)}))",
        "(= (frac {(* ∂ E)} {(* ∂ (sc z ^{(par 1)}))}) (* (frac {(* ∂ E)} {(* ∂ (sc y ^{(par 1)}))})"
        " <cdot> (frac {(* ∂ (sc y ^{(par 1)}))} {(* ∂ (sc z ^{(par 1)}))}))"
        " (* (sc (par (- (sc y ^{(par 2)}) t)) ^T) (sc W ^{(par 2)})"
        " @diag (par (* (sc y ^{(par 1)}) <cdot> (par (- 1 (sc y ^{(par 1)})))))))",
        id="6-dEdz1",
    ),
    pytest.param(
        r"\frac{\partial E}{\partial W^{(1)}} = \frac{\partial E}{\partial Z^{(1)}} \cdot "
        r"\frac{\partial Z^{(1)}}{\partial W^{(1)}} = \frac{\partial E}{\partial Z^{(1)}} \cdot x",
        "(= (frac {(* ∂ E)} {(* ∂ (sc W ^{(par 1)}))}) (* (frac {(* ∂ E)} {(* ∂ (sc Z ^{(par 1)}))})"
        " <cdot> (frac {(* ∂ (sc Z ^{(par 1)}))} {(* ∂ (sc W ^{(par 1)}))}))"
        " (* (frac {(* ∂ E)} {(* ∂ (sc Z ^{(par 1)}))}) <cdot> x))",
        id="7-matrix",
    ),
    pytest.param(
        r"\frac{\partial E}{\partial W_{uv}^{(1)}} = \frac{\partial E}{\partial Z_u^{(1)}} \cdot "
        r"\frac{\partial Z_u^{(1)}}{\partial W_{uv}^{(1)}} = \frac{\partial E}{\partial Z_u^{(1)}} "
        r"\cdot \frac{\partial (\sum_i W_{ui} x_i)}{\partial W_{uv}^{(1)}} = "
        r"\frac{\partial E}{\partial Z_u^{(1)}} \cdot x_v",
        "(= (frac {(* ∂ E)} {(* ∂ (sc W _{(* u v)} ^{(par 1)}))})"
        " (* (frac {(* ∂ E)} {(* ∂ (sc Z _u ^{(par 1)}))}) <cdot>"
        " (frac {(* ∂ (sc Z _u ^{(par 1)}))} {(* ∂ (sc W _{(* u v)} ^{(par 1)}))}))"
        " (* (frac {(* ∂ E)} {(* ∂ (sc Z _u ^{(par 1)}))}) <cdot>"
        " (frac {(* ∂ (par (* (sum _i) (sc W _{(* u i)}) (sc x _i))))}"
        " {(* ∂ (sc W _{(* u v)} ^{(par 1)}))}))"
        " (* (frac {(* ∂ E)} {(* ∂ (sc Z _u ^{(par 1)}))}) <cdot> (sc x _v)))",
        id="7-entry",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SEED_SPANS)
def test_seed_span(text: str, expected: str) -> None:
    assert render(text) == expected


def test_seed_table_covers_every_math_span_of_the_seed() -> None:
    source = SEED.read_text(encoding="utf-8")
    spans = [s.text.strip() for s in read_text(str(SEED), source).spans]
    assert spans == [p.values[0] for p in SEED_SPANS]


@pytest.mark.parametrize("index", range(len(SEED_SPANS)))
def test_seed_span_as_read_from_the_file(index: int) -> None:
    """The reader's text (aligned markers blanked to spaces) parses to the same tree."""
    source = SEED.read_text(encoding="utf-8")
    span = read_text(str(SEED), source).spans[index]
    assert render(span.text) == SEED_SPANS[index].values[1]


# --- separators, chains and continuations --------------------------------------------------
SEPARATORS = [
    (r"a \quad b", "a | b"),
    (r"a \qquad b", "a | b"),
    ("a, b", "a | b"),
    ("a = b,", "(= a b)"),
    (r"W_{u,v}", "(sc W _{u | v})"),
    (r"W_{u,v} = x_{u}, t", "(= (sc W _{u | v}) (sc x _{u})) | t"),
    (r"\sum_{i,j} a", "(* (sum _{i | j}) a)"),
    (r"x \therefore y", "x | y"),
    (r"\therefore x = y", "(= x y)"),
    (r"x \because y", "x | y"),
    (r"x \Rightarrow y", "x | y"),
    (r"x \implies y", "x | y"),
    (r"x \Longrightarrow y", "x | y"),
    (r"x \iff y", "x | y"),
    (r"x \Leftrightarrow y", "x | y"),
    # `\text{…}` is an atom to the grammar; the segmenter decides it is prose between formulas
    # (tests/test_segment.py) and the typed pass reads a declared name (`\text{loss}`)
    (r"x \text{ so } y", '(* x "so" y)'),
    (r"\text{where } x", '(* "where" x)'),
    (r"\textbf{Step 3:} x", '(* "Step 3:" x)'),
    (r"x \mbox{ and } y", '(* x "and" y)'),
    (r"x \textit{ hence } y", '(* x "hence" y)'),
    (r"\text{diagonal}(y)", '(* "diagonal" (par y))'),
    (r"\text{diag}(y)", "(* @diag (par y))"),
    (r"\text{ diag }(y)", "(* @diag (par y))"),
    (r"\text {diag}(y)", "(* @diag (par y))"),
    (r"\textrm{diag}(y)", "(* @diag (par y))"),
    (r"\mathrm{diag}(y)", "(* @diag (par y))"),
    (r"\operatorname{diag}(y)", "(* @diag (par y))"),
    (r"\mathrm{softmax}(z)", "(* @softmax (par z))"),
    (r"\operatorname{sigmoid}(z)", "(* @sigmoid (par z))"),
    (r"a \\ b", "a | b"),
    ("a; b", "a | b"),
    ("x.", "x"),
    (r"a = b \\ = c", "(= a b) | (= _ c)"),
    (r"a &= b \\ &= c", "(= a b) | (= _ c)"),
    ("&= b", "(= _ b)"),
    ("= b", "(= _ b)"),
    ("= a = b", "(= _ a b)"),
    ("a = b = c", "(= a b c)"),
    (r"a = b \quad = c", "(= a b) | (= _ c)"),
    (r"a \equiv b", "(= a b)"),
    ("a:=b", "(= a b)"),
    ("a : b", "a | b"),
    (
        "a := b",
        "(= a b)",
    ),
    ("", ""),
    (r"\therefore", ""),
    (r"\text{only prose}", '"only prose"'),
]


@pytest.mark.parametrize(("text", "expected"), SEPARATORS)
def test_separators_and_chains(text: str, expected: str) -> None:
    assert render(text) == expected


# --- notation ------------------------------------------------------------------------------
NOTATION = [
    # layers, transposes
    (r"W^{(1)}x", "(* (sc W ^{(par 1)}) x)"),
    ("x^T", "(sc x ^T)"),
    (r"x^\top", "(sc x ^TOP)"),
    (r"x^{\top}", "(sc x ^{TOP})"),
    (r"x^\mathsf{T}", "(sc x ^TOP)"),
    (r"x^\mathsf T", "(sc x ^TOP)"),
    (r"x^{\mathsf{T}}", "(sc x ^{TOP})"),
    (
        r"x^{\mathsf T}",
        "(sc x ^{TOP})",
    ),
    (r"x^\intercal", "(sc x ^TOP)"),
    (r"x^{\mathrm{T}}", "(sc x ^{TOP})"),
    (r"y^{(1)T}", "(sc y ^{(* (par 1) T)})"),
    (r"y^{(1)\top}", "(sc y ^{(* (par 1) TOP)})"),
    (r"y^{(1)\mathsf{T}}", "(sc y ^{(* (par 1) TOP)})"),
    (
        r"y^{(1)\mathsf T}",
        "(sc y ^{(* (par 1) TOP)})",
    ),
    (r"{W^{(1)}}^T", "(sc {(sc W ^{(par 1)})} ^T)"),
    (r"{W^{(1)}}^{\mathsf T}", "(sc {(sc W ^{(par 1)})} ^{TOP})"),
    (r"x^{\mathsf T} y", "(* (sc x ^{TOP}) y)"),
    (r"(y^{(2)} - t)^T", "(sc (par (- (sc y ^{(par 2)}) t)) ^T)"),
    # indices
    (r"W_{uv}^{(2)}", "(sc W _{(* u v)} ^{(par 2)})"),
    (r"W^{(2)}_{uv}", "(sc W _{(* u v)} ^{(par 2)})"),
    (r"y_j^{(2)}", "(sc y _j ^{(par 2)})"),
    (r"z^{(1)}_u", "(sc z _u ^{(par 1)})"),
    ("x_ij", "(* (sc x _i) j)"),  # as in TeX, a bare script takes one token
    ("x^10", "(* (sc x ^1) 0)"),
    ("x^{10}", "(sc x ^{10})"),
    (r"\delta_{ij}", "(sc delta _{(* i j)})"),
    # primes
    ("g'(z)", "(* (sc g ') (par z))"),
    (r"\sigma'(z)", "(* (sc sigma ') (par z))"),
    ("g''(z)", "(* (sc g ' ') (par z))"),
    (r"g^{\prime}(z)", r"(* (sc g ^{\prime}) (par z))"),
    # derivatives, fractions, roots
    (r"\frac{\partial E}{\partial x}", "(frac {(* ∂ E)} {(* ∂ x)})"),
    (r"\frac{\partial}{\partial z} g(z)", "(* (frac {∂} {(* ∂ z)}) g (par z))"),
    (
        r"\frac{\partial (\sum_i W^{(1)}_{ui} x_i)}{\partial W^{(1)}_{uv}}",
        "(frac {(* ∂ (par (* (sum _i) (sc W _{(* u i)} ^{(par 1)}) (sc x _i))))}"
        " {(* ∂ (sc W _{(* u v)} ^{(par 1)}))})",
    ),
    (r"\frac ab", "(frac a b)"),
    (r"\dfrac{1}{2}", "(frac {1} {2})"),
    (r"\tfrac{1}{2}", "(frac {1} {2})"),
    (r"\frac12", "(frac 1 2)"),
    (r"\frac 1 2", "(frac 1 2)"),
    (r"\frac{x}2", "(frac {x} 2)"),
    (r"\frac a2", "(frac a 2)"),
    (r"\frac12 x", "(* (frac 1 2) x)"),
    (r"\frac{dE}{dz}", "(frac {(* d E)} {(* d z)})"),  # the typed pass reads the differential
    (r"\frac{\mathrm{d}E}{\mathrm{d}z}", "(frac {(* d E)} {(* d z)})"),
    (r"\sqrt{z}", "(sqrt {z})"),
    # sums
    (r"\sum_{j=1}^n t_j", "(* (sum _{(= j 1)} ^n) (sc t _j))"),
    (r"\sum_{j=1}^{n} t_j", "(* (sum _{(= j 1)} ^{n}) (sc t _j))"),
    (r"\sum_j t_j", "(* (sum _j) (sc t _j))"),
    (r"\sum_{k=1}^n y_k + 1", "(+ (* (sum _{(= k 1)} ^n) (sc y _k)) 1)"),
    (
        r"\sum\limits_{j=1}^n t_j",
        "(* (sum _{(= j 1)} ^n) (sc t _j))",
    ),
    # brackets and spacing
    (r"\left( x \right)", "(par x)"),
    (r"\left[ x \right]", "(brk x)"),
    (r"\bigl( x \bigr)", "(par x)"),
    (r"\Big( x \Big)", "(par x)"),
    (r"\bigg( x \bigg)", "(par x)"),
    (r"\Bigg( x \Bigg)", "(par x)"),
    (r"\biggl( x \biggr)", "(par x)"),
    (r"\Biggl[ x \Biggr]", "(brk x)"),
    (r"x\,y", "(* x y)"),
    (r"x\;y", "(* x y)"),
    (r"x\!y", "(* x y)"),
    ("x~y", "(* x y)"),
    (
        r"\displaystyle x",
        "x",
    ),
    (
        r"\left. x \right.",
        "x",
    ),
    (r"\textstyle x", "x"),
    (r"\sum\nolimits_j t_j", "(* (sum _j) (sc t _j))"),
    # typefaces and names
    (r"\mathbf{x}", "(\\mathbf {x})"),
    (r"\hat{y}", "(\\hat {y})"),
    (r"\hat y_i", "(sc (\\hat y) _i)"),
    ("ŷ", "(\\hat y)"),
    (r"\mathcal{L}", "(\\mathcal {L})"),
    (r"\boldsymbol{W}^{(1)}", "(sc (\\boldsymbol {W}) ^{(par 1)})"),
    (r"\mathrm{E}", "E"),
    (r"\Sigma", "Sigma"),
    (r"\varepsilon", "varepsilon"),
    # functions
    (r"\log y", "(* @log y)"),
    (r"\ln y", "(* @ln y)"),
    (r"\exp(z)", "(* @exp (par z))"),
    (r"\tanh z", "(* @tanh z)"),
    (r"\tanh^2(z)", "(* (sc @tanh ^2) (par z))"),
    (r"\tanh^{-1}(z)", "(* (sc @tanh ^{(neg 1)}) (par z))"),
    (r"\tanh'(z)", "(* (sc @tanh ') (par z))"),
    (r"\text{tanh}^2 z", "(* (sc @tanh ^2) z)"),
    (r"\log_2 y", "(* (sc @log _2) y)"),
    ("g^2(z)", "(* (sc g ^2) (par z))"),
    (r"\log\sigma(Wx)", "(* @log sigma (par (* W x)))"),
    ("e^{-z}", "(sc e ^{(neg z)})"),
    (r"\logx", r"\logx"),  # not \log: the command name runs on
    (r"\frca{1}{2}", r"(* \frca {1} {2})"),  # unknown commands are reported by the typed pass
    # operators
    (r"a \cdot b", "(* a <cdot> b)"),
    (r"a \odot b", "(* a <odot> b)"),
    (r"a \circ b", "(* a <circ> b)"),
    (r"a \times b", "(* a <times> b)"),
    (r"a \ast b", "(* a <ast> b)"),
    ("a * b", "(* a <*> b)"),
    ("a / b", "(* a </> b)"),
    ("tW", "(* t W)"),
    ("1.5x", "(* 1.5 x)"),
    (".5x", "(* 0.5 x)"),
    ("12x", "(* 12 x)"),
    ("x^12", "(* (sc x ^1) 2)"),  # as in TeX, a bare script takes one token
    ("a - b + c", "(+ (- a b) c)"),
    ("-a - b", "(- (neg a) b)"),
    ("a - -b", "(- a (neg b))"),
    ("--a", "(neg (neg a))"),
    ("+a", "a"),
    ("1 - y^{(1)}", "(- 1 (sc y ^{(par 1)}))"),
    (
        r"x \text{ case a) } y",
        '(* x "case a)" y)',
    ),
    (r"x \text{ (see [1]) } y", '(* x "(see [1])" y)'),
    (r"a \pm b", r"(* a \pm b)"),  # the typed pass reports `\pm` as unsupported
]


@pytest.mark.parametrize(("text", "expected"), NOTATION)
def test_notation(text: str, expected: str) -> None:
    assert render(text) == expected


# --- offsets -------------------------------------------------------------------------------
OFFSETS = [
    (r"a \quad b", [0, 8]),
    ("a, b", [0, 3]),
    (r"a = b \\ &= c", [0, 10]),  # a continuation starts at its `=`
    (r"\text{ so } x = y", [0]),
    (r"\therefore z = 1", [11]),
]


@pytest.mark.parametrize(("text", "offsets"), OFFSETS)
def test_piece_offsets(text: str, offsets: list[int]) -> None:
    assert [p.pos for p in parse_math(text).pieces] == offsets


def test_node_offsets_point_into_the_text() -> None:
    text = r"E = -t \cdot \log y"
    (chain,) = parse_math(text).pieces
    lhs, rhs = chain.exprs
    assert (lhs.pos, rhs.pos) == (0, 4)
    assert isinstance(rhs, t.RNeg)
    product = rhs.body
    assert isinstance(product, t.RProduct)
    assert [text[i.pos : i.pos + 4] for i in product.items] == ["t \\c", "\\cdo", "\\log", "y"]


# --- bad input: always a NotationError, never a lark exception ----------------------------
@cache
def _network_table():
    return build_model(load_assignment(), "network").table


def _read(text: str) -> None:
    """Parse, then give every expression its meaning (where unknown commands are reported)."""
    for piece in parse_math(text).pieces:
        for expr in piece.exprs:
            Resolver(_network_table()).resolve(expr)


# (text, which stage fails, message fragments, offset or None)
BAD = [
    (r"\left( x", "parse", ["unbalanced `\\left(`", "never closed"], 5),
    (r"\left( x + \left( y \right)", "parse", ["unbalanced `\\left(`"], 5),
    ("(a", "parse", ["unbalanced `(`", "never closed"], 0),
    ("a)", "parse", ["unbalanced `)`", "nothing opens it"], 1),
    ("{a", "parse", ["unbalanced `{`"], 0),
    (r"x^{(1)", "parse", ["unbalanced `{`"], 2),
    ("{a)", "parse", ["`{` at offset 0 is closed by `)`"], 2),
    ("a +", "parse", ["end of the formula"], 2),
    ("x + y +", "parse", ["end of the formula"], 6),
    ("a = ", "parse", ["end of the formula"], 2),
    ("a = b =", "parse", ["end of the formula"], 6),
    ("x^", "parse", ["end of the formula", "expected"], None),
    (r"\frac{1}", "parse", ["end of the formula", "expected `{`"], None),
    ("x__y", "parse", ["unexpected `_`"], 2),
    ("x^^2", "parse", ["unexpected `^`"], 2),
    ("==", "parse", ["unexpected `=`"], 1),
    ("a $ b", "parse", ["unexpected character `$`"], 2),
    ("#", "parse", ["unexpected character `#`"], 0),
    (r"\{x\}", "parse", ["`\\}` is read only around `\\max`", "group with ( ) or [ ]"], 3),
    (r"\left\{ x \right\}", "parse", ["`\\right\\}` is read only around"], 10),
    (r"x \}", "parse", ["`\\}` is read only around"], 2),
    (r"\text{ a ( } x)", "parse", ["unbalanced `)`", "nothing opens it"], 14),
    (r"z \pm z", "resolve", ["`\\pm` is not supported"], 2),
    (r"\tanh^{-1}(z)", "resolve", ["inverse functions are not supported"], 0),
    (r"\left(a, b\right)", "resolve", ["a list in brackets is read only as the arguments"], 0),
    (r"\frac{\partial^2 E}{\partial z^2}", "parse", ["unexpected `^`"], 14),
    (r"\frca{1}{2}", "resolve", ["unknown command `\\frca`", "did you mean `\\frac`"], 0),
    (r"\fracc{1}{2}", "resolve", ["unknown command `\\fracc`", "`\\frac`"], 0),
    (r"x \cdots y", "resolve", ["`\\cdots` is read only between the terms of a sum"], 2),
    (r"\logx", "resolve", ["unknown command `\\logx`", "did you mean `\\log`"], 0),
    (r"x \cdot", "resolve", ["`cdot` needs something on its right"], 2),
    (r"\cdot x", "resolve", ["`cdot` needs something on both sides"], 0),
    (r"\sum", "resolve", ["`\\sum` without a body"], 0),
    (r"\log", "resolve", ["`log` needs an argument"], 0),
]


@pytest.mark.parametrize(("text", "stage", "fragments", "pos"), BAD)
def test_bad_input(text: str, stage: str, fragments: list[str], pos: int | None) -> None:
    if stage == "parse":
        with pytest.raises(NotationError) as info:
            parse_math(text)
    else:
        parse_math(text)  # the grammar accepts it; the typed pass names the problem
        with pytest.raises(NotationError) as info:
            _read(text)
    for fragment in fragments:
        assert fragment in info.value.message
    if pos is not None:
        assert info.value.pos == pos


_TOKENS = [
    *"xWtzeT12=+-^_{}()[],.;:'/*&~",
    " ",
    r"\left(",
    r"\right)",
    r"\left.",
    r"\frac",
    r"\partial",
    r"\sum",
    r"\cdot",
    r"\odot",
    r"\quad",
    r"\\",
    r"\text{ so }",
    r"\text{diag}",
    r"\mathrm{diag}",
    r"\top",
    r"\mathsf{T}",
    r"\mathsf",
    r"\log",
    r"\sigma",
    r"\delta",
    r"\frca",
    r"\,",
    r"\{",
    r"\sqrt",
    r"\mathbf",
    r"\prime",
    r"\therefore",
    ":=",
    r"\pm",
    r"\displaystyle",
    "^{(1)}",
    "_{uv}",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TOKENS), max_size=12).map("".join))
def test_token_soup_raises_only_notation_errors(text: str) -> None:
    try:
        _read(text)
    except NotationError as exc:
        assert exc.message
        assert exc.pos is None or 0 <= exc.pos <= len(text)
