"""The typed pass: a raw tree read against a model's symbol table (``Resolver.resolve``).

Models come from the bundled assignment (derivations/backprop.toml):

* ``network``: x d×1, W^{(1)} h×d, W^{(2)} n×h, t n×1, free scalar z; nodes z^{(1)}, y^{(1)} (h×1),
  z^{(2)}, y^{(2)}, y (n×1), the family E_j and E; lenient Z^{(1)}, Z^{(2)}.
* ``neuron``: x d×1, W m×d with m = 1 (so 1×d), t scalar, y and E scalars.
* ``step7``: ``network`` with step 7's extra lenient spelling ``W`` for ``W^{(1)}``.

Functions everywhere: G, g, \\sigma = sigmoid; s = softmax.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from verifier.errors import NotationError
from verifier.models.assignment import load_assignment
from verifier.models.model import build_model, key_of
from verifier.notation import Lenient, SymbolTable
from verifier.parse import typed as ty
from verifier.parse.parser import parse_math
from verifier.parse.resolve import Resolver
from verifier.source.markdown import read_markdown

SEED = Path(__file__).resolve().parents[1] / "derivations" / "examples" / "backprop_seed.md"


@cache
def table(model: str) -> SymbolTable:
    assignment = load_assignment()
    if model == "step7":
        step = assignment.step("7")
        assert step is not None
        extra = {key_of(k)[0]: Lenient(key_of(v)[0]) for k, v in step.lenient.items()}
        return build_model(assignment, "network").table.with_lenient(extra)
    return build_model(assignment, model).table


def resolve(latex: str, model: str) -> tuple[ty.Node, Resolver]:
    seq = parse_math(latex)
    assert len(seq.pieces) == 1 and len(seq.pieces[0].exprs) == 1, "one expression expected"
    resolver = Resolver(table(model))
    return resolver.resolve(seq.pieces[0].exprs[0]), resolver


def tx(node: ty.Node) -> str:
    """A short s-expression for a typed node; an unknown node type fails loudly."""
    if isinstance(node, ty.Var):
        return node.key
    if isinstance(node, ty.DimValue):
        return "dim:" + node.name
    if isinstance(node, ty.Num):
        return str(node.value)
    if isinstance(node, ty.EulerE):
        return "e"
    if isinstance(node, ty.Entry):
        return f"{node.var.key}[{','.join(str(i) for i in node.indices)}]"
    if isinstance(node, ty.Apply):
        primes = "'" * node.order
        return f"({node.func}{primes} {tx(node.arg)})"
    if isinstance(node, ty.Add):  # the flat sum, written as the left-deep chain it stands for
        text = tx(node.terms[0])
        for sign, term in zip(node.signs[1:], node.terms[1:], strict=True):
            text = f"({'+' if sign > 0 else '-'} {text} {tx(term)})"
        return text
    if isinstance(node, ty.Neg):
        return f"(neg {tx(node.body)})"
    if isinstance(node, ty.Mul):
        return f"({node.kind} {tx(node.left)} {tx(node.right)})"
    if isinstance(node, ty.Div):
        return f"(/ {tx(node.num)} {tx(node.den)})"
    if isinstance(node, ty.Pow):
        return f"(^ {tx(node.base)} {tx(node.exponent)})"
    if isinstance(node, ty.Transpose):
        return f"(T {tx(node.body)})"
    if isinstance(node, ty.Diag):
        return f"(diag {tx(node.body)})"
    if isinstance(node, ty.Deriv):
        return f"(d {tx(node.num)} {tx(node.wrt)})"
    if isinstance(node, ty.Sum):
        return f"(sum {node.index} {tx(node.lo)} {tx(node.hi)} {tx(node.body)})"
    if isinstance(node, ty.Delta):
        return f"(delta {node.i} {node.j})"
    if isinstance(node, ty.Identity):
        return f"I[{ty.show_shape(node.shape)}]"
    raise TypeError(f"no rendering for {type(node).__name__}")


def xfail(*values: object, reason: str):
    return pytest.param(*values, marks=pytest.mark.xfail(reason=reason, strict=True))


ELEMENTWISE = "read as elementwise"

# --- shapes and readings: (latex, model, shape, a reading's fragment or None for none) ------
SHAPES = [
    # layer superscripts
    (r"W^{(1)}", "network", "h×d", None),
    (r"W^{(2)}", "network", "n×h", None),
    (r"y^{(1)}", "network", "h×1", None),
    (r"z^{(2)}", "network", "n×1", None),
    (r"W^{(1)}x", "network", "h×1", None),
    (r"W^{(2)} W^{(1)}", "network", "n×d", None),
    # transposes
    ("x^T", "network", "1×d", None),
    (r"x^\top", "network", "1×d", None),
    (r"x^{\top}", "network", "1×d", None),
    (r"x^\mathsf{T}", "network", "1×d", None),
    (r"x^{\mathsf{T}}", "network", "1×d", None),
    (r"x^{\mathsf T}", "network", "1×d", None),
    (r"x^{\mathrm{T}}", "network", "1×d", None),
    (r"x^\intercal", "network", "1×d", None),
    (r"W^{(1)T}", "network", "d×h", None),
    (r"W^{(1)\top}", "network", "d×h", None),
    (r"{W^{(1)}}^T", "network", "d×h", None),
    (r"{W^{(1)}}^\top", "network", "d×h", None),
    (r"{W^{(1)}}^{\mathsf{T}}", "network", "d×h", None),
    (r"{W^{(1)}}^{\mathsf T}", "network", "d×h", None),
    (r"y^{(1)T}", "network", "1×h", None),
    (r"y^{(1)\top}", "network", "1×h", None),
    (r"y^{(1)\mathsf{T}}", "network", "1×h", None),
    (r"y^{(1)\mathsf T}", "network", "1×h", None),
    (r"(y^{(2)} - t)^T", "network", "1×n", None),
    (r"\left( y^{(2)} - t \right)^T", "network", "1×n", None),
    (r"\frac{\partial E}{\partial z^{(1)}}^T", "network", "h×1", None),
    # sub-indices
    (r"W_{uv}^{(2)}", "network", "scalar", None),
    (r"W^{(2)}_{uv}", "network", "scalar", None),
    (r"W^{(2)}_{u,v}", "network", "scalar", None),
    (r"W^{(1)}_{11}", "network", "scalar", None),
    (r"y_j^{(2)}", "network", "scalar", None),
    (r"z^{(1)}_u", "network", "scalar", None),
    (r"z_u^{(1)}", "network", "scalar", None),
    ("x_i", "network", "scalar", None),
    ("t_1", "network", "scalar", None),
    ("E_j", "network", "scalar", None),
    ("E", "network", "scalar", None),
    (r"y^{(2)}_j - t_j", "network", "scalar", None),
    # derivatives (numerator layout)
    (r"\frac{\partial E}{\partial W^{(1)}}", "network", "h×d", None),
    (r"\frac{\partial E}{\partial W^{(2)}}", "network", "n×h", None),
    (r"\frac{\partial E}{\partial z^{(2)}}", "network", "1×n", None),
    (r"\frac{\partial E}{\partial y^{(1)}}", "network", "1×h", None),
    (r"\frac{\partial E}{\partial t}", "network", "1×n", None),
    (r"\frac{\partial z^{(2)}}{\partial y^{(1)}}", "network", "n×h", None),
    (r"\frac{\partial y^{(1)}}{\partial z^{(1)}}", "network", "h×h", None),
    (r"\frac{\partial y^{(2)}}{\partial z^{(2)}}", "network", "n×n", None),
    (r"\frac{\partial z^{(1)}}{\partial W^{(1)}}", "network", "h×h×d", None),
    (r"\frac{\partial E}{\partial W_{uv}^{(1)}}", "network", "scalar", None),
    (r"\frac{\partial E}{\partial z_i^{(2)}}", "network", "scalar", None),
    (r"\frac{\partial E_j}{\partial y_j^{(2)}}", "network", "scalar", None),
    (r"\frac{\partial z^{(2)}}{\partial W_{uv}^{(2)}}", "network", "n×1", None),
    (r"\frac{\partial z^{(1)}_u}{\partial W^{(1)}_{uv}}", "network", "scalar", None),
    (
        r"\frac{\partial (\sum_i W^{(1)}_{ui} x_i)}{\partial W^{(1)}_{uv}}",
        "network",
        "scalar",
        None,
    ),
    (
        r"\frac{\partial}{\partial W^{(1)}_{uv}} \sum_{i=1}^d W^{(1)}_{ui} x_i",
        "network",
        "scalar",
        None,
    ),
    (r"\frac{\partial g(z)}{\partial z}", "network", "scalar", None),
    (r"\frac{\partial}{\partial z} g(z)", "network", "scalar", None),
    (
        r"\frac{\partial E}{\partial z^{(2)}} \cdot \frac{\partial z^{(2)}}{\partial y^{(1)}}",
        "network",
        "1×h",
        None,
    ),
    (
        r"\frac{\partial E}{\partial z^{(1)}} \frac{\partial z^{(1)}}{\partial W^{(1)}}",
        "network",
        "h×d",
        None,
    ),
    (r"\frac{\partial E}{\partial x}", "neuron", "1×d", None),
    (r"\frac{\partial E}{\partial W}", "neuron", "1×d", None),
    (r"\frac{\partial E}{\partial t}", "neuron", "scalar", None),
    (r"\frac{\partial x}{\partial x}", "neuron", "d×d", None),
    (
        r"\frac{dE}{dx}",
        "neuron",
        "1×d",
        None,
    ),
    (r"\frac{\mathrm{d}E}{\mathrm{d}x}", "neuron", "1×d", None),
    (r"\frac{dE}{dz^{(1)}}", "network", "1×h", None),
    (r"\frac{d}{dz} g(z)", "network", "scalar", None),
    (r"\frac{d}{h}", "network", "scalar", None),  # no differential below: a division
    # primes
    ("g'(z)", "network", "scalar", None),
    (r"\sigma'(z)", "network", "scalar", None),
    ("g''(z)", "network", "scalar", None),
    (r"g^{\prime}(z)", "network", "scalar", None),
    (r"G'(z^{(1)})", "network", "h×1", None),
    (r"\sigma'(Wx)", "neuron", "scalar", None),
    (r"\sigma'(z) - \sigma(z)(1-\sigma(z))", "network", "scalar", None),
    # sums
    (r"\sum_{j=1}^n E_j", "network", "scalar", None),
    (r"\sum_{j=1}^{n} t_j", "network", "scalar", None),
    (r"\sum_j t_j", "network", "scalar", None),
    (r"\sum_{j=1}^n t_j \log y_j", "network", "scalar", None),
    (r"-\sum_{j=1}^n t_j \log y_j", "network", "scalar", None),
    (r"\sum_{j=1}^{n} (t_j - y_j)", "network", "scalar", None),
    (r"\sum_{i=1}^d W^{(1)}_{ui} x_i", "network", "scalar", None),
    (r"\sum_{u=1}^h \sum_{v=1}^d W^{(1)}_{uv}", "network", "scalar", None),
    (r"\sum_{j=1}^n t_j \sum_{i=1}^d x_i", "network", "scalar", None),
    (r"2 \sum_{j=1}^n t_j", "network", "scalar", None),
    (r"\sum_{j=1}^n x", "network", "d×1", None),
    (r"\sum_{j=1}^n 1", "network", "scalar", None),
    # Kronecker delta
    (r"\delta_{ij}", "network", "scalar", None),
    (r"y_i (\delta_{ij} - y_j)", "network", "scalar", None),
    (r"\sum_j \delta_{ij} y_j", "network", "scalar", None),
    (r"\delta_{ij} x_i t_j", "network", "scalar", None),
    (
        r"\sum_{j=1}^n \delta_{ij}",
        "network",
        "scalar",
        None,
    ),
    (r"\sum_{j=1}^n \delta_{ij} t_j", "network", "scalar", None),
    # identity
    ("I x", "network", "d×1", None),
    (r"W^{(1)} I", "network", "h×d", None),
    (r"I W^{(1)}", "network", "h×d", None),
    (r"I - \frac{\partial y^{(1)}}{\partial z^{(1)}}", "network", "h×h", None),
    (r"\frac{\partial y^{(1)}}{\partial z^{(1)}} - I", "network", "h×h", None),
    # diag
    (r"\text{diag}(y^{(1)})", "network", "h×h", None),
    (r"\mathrm{diag}(y^{(1)})", "network", "h×h", None),
    (r"\operatorname{diag}(y^{(1)})", "network", "h×h", None),
    (r"\text{diag}(y^{(1)} \odot (1 - y^{(1)}))", "network", "h×h", None),
    (r"\text{diag}(y^{(1)} \cdot (1 - y^{(1)}))", "network", "h×h", ELEMENTWISE),
    # elementwise products between same-shape vectors
    (r"y^{(1)} \odot y^{(1)}", "network", "h×1", None),
    (r"y^{(1)} \circ y^{(1)}", "network", "h×1", None),
    (r"(1 - y^{(1)}) \odot y^{(1)}", "network", "h×1", None),
    (
        r"y^{(1)} \cdot y^{(1)}",
        "network",
        "h×1",
        r"`\cdot` between two h×1 vectors read as elementwise",
    ),
    (r"y^{(1)} \cdot (1 - y^{(1)})", "network", "h×1", ELEMENTWISE),
    (r"x \cdot x", "neuron", "d×1", r"`\cdot` between two d×1 vectors read as elementwise"),
    (r"x^T \cdot x", "network", "scalar", None),
    (r"W^{(1)} \cdot x", "network", "h×1", None),
    (r"W^{(1)} \times x", "network", "h×1", None),
    (r"2 \cdot x", "network", "d×1", None),
    # log, ln, exp
    (r"\log y", "network", "n×1", None),
    (r"\log(y)", "network", "n×1", None),
    (r"\ln y", "network", "n×1", None),
    (r"\ln(y^{(2)})", "network", "n×1", None),
    (r"\log y_j", "network", "scalar", None),
    (r"\log y_j^{(2)}", "network", "scalar", None),
    (r"\log s(z^{(2)})", "network", "n×1", None),
    ("e^{z}", "network", "scalar", None),
    ("e^{-z}", "network", "scalar", None),
    ("e^z", "network", "scalar", None),
    (r"e^{z^{(1)}}", "network", "h×1", None),
    ("e", "network", "scalar", None),
    (r"\exp(z)", "network", "scalar", None),
    (r"\exp(z^{(1)})", "network", "h×1", None),
    (r"\exp z^{(1)}", "network", "h×1", None),
    (r"\tanh(z)", "network", "scalar", None),
    (r"\frac{1}{1 + e^{-z}}", "network", "scalar", None),
    (r"\frac{-(-1)e^z}{(1+e^{-z})^2}", "network", "scalar", None),
    # brackets and spacing
    (r"\left( z \right)", "network", "scalar", None),
    (r"\left[ z \right]", "network", "scalar", None),
    (r"\bigl( z^{(1)} \bigr)", "network", "h×1", None),
    (r"z\,z", "network", "scalar", None),
    (r"W^{(1)}\,x", "network", "h×1", None),
    (r"W^{(1)}\;x", "network", "h×1", None),
    # functions, with and without parentheses
    ("G(Wx)", "neuron", "scalar", None),
    (r"\log\sigma(Wx)", "neuron", "scalar", None),
    (r"\log \sigma (Wx)", "neuron", "scalar", None),
    (r"\log G(Wx)", "neuron", "scalar", None),
    (r"\log(\sigma(Wx))", "neuron", "scalar", None),
    (r"-t \log y", "neuron", "scalar", None),
    (r"-t \cdot \log y", "neuron", "scalar", None),
    (r"G(Wx)(1 - G(Wx))", "neuron", "scalar", None),
    (r"t \log G(Wx) + (1-t)\log(1 - G(Wx))", "neuron", "scalar", None),
    (r"G(W^{(1)}x)", "network", "h×1", None),
    (r"G z^{(1)}", "network", "h×1", None),
    (r"\tanh^2(z)", "network", "scalar", None),
    (r"g^2(z)", "network", "scalar", None),
    (r"\sigma^2(z)", "network", "scalar", None),
    (r"1 - \tanh^2 z", "network", "scalar", None),
    (r"\tanh'(z^{(1)})", "network", "h×1", None),
    # a function without parentheses takes one factor; more factors after it are noted
    ("G Wx", "neuron", "scalar", "`G` applied to `W` only; write `G(Wx)`"),
    (r"\log y_j t_j", "network", "scalar", r"`\log` applied to `y_j` only; write `\log(y_j t_j)`"),
    (r"G W x \cdot t", "neuron", "scalar", "`G` applied to `W` only; write `G(Wx)`"),
    (r"\log y \cdot t", "neuron", "scalar", None),
    (r"s(z^{(2)})", "network", "n×1", None),
    (r"\sigma(z)", "network", "scalar", None),
    (r"\operatorname{softmax}(z^{(2)})", "network", "n×1", None),
    (r"\mathrm{softmax}(z^{(2)})", "network", "n×1", None),
    (r"\mathrm{sigmoid}(z)", "network", "scalar", None),
    (r"g(z) (1 - g(z))", "network", "scalar", None),
    # implicit multiplication
    ("tW", "neuron", "1×d", None),
    ("t W", "neuron", "1×d", None),
    ("W t", "neuron", "1×d", None),
    ("Wx", "neuron", "scalar", None),
    ("xW", "neuron", "d×d", None),
    ("2x", "network", "d×1", None),
    (r"\frac{1}{2} z", "network", "scalar", None),
    ("0.5 z", "network", "scalar", None),
    (".5 z", "network", "scalar", None),
    (r"\frac12 z", "network", "scalar", None),
    (r"tW \frac{e^{-Wx}}{1+e^{-Wx}}", "neuron", "1×d", None),
    (r"(y^{(2)} - t)^T W^{(2)}", "network", "1×h", None),
    (r"(y^{(2)} - t) y^{(1)T}", "network", "n×h", None),
    (r"x^T W^{(1)T}", "network", "1×h", None),
    # scalar ± vector is elementwise, silently
    (r"1 - y^{(1)}", "network", "h×1", None),
    (r"y^{(1)} - 1", "network", "h×1", None),
    (r"1 + y^{(1)}", "network", "h×1", None),
    (r"1 - G(z^{(1)})", "network", "h×1", None),
    (r"1 - G(Wx)", "neuron", "scalar", None),
    ("t - y", "network", "n×1", None),
    # an ill-formed product with exactly one reading that fits: taken, and recorded
    (
        r"tW^{(2)}",
        "network",
        "1×h",
        "juxtaposition of a n×1 and a n×h: the shapes do not fit; "
        "read with the left factor transposed, the only reading that fits",
    ),
    (r"t W^{(2)}", "network", "1×h", "read with the left factor transposed"),
    (r"W^{(1)} y^{(1)}", "network", "d×1", "read with the left factor transposed"),
    (r"x^T W^{(1)}", "network", "1×h", "read with the right factor transposed"),
    (r"(y^{(2)} - t) y^{(1)}", "network", "n×h", "right factor transposed (an outer product)"),
    (r"y^{(1)} t", "network", "h×n", "(an outer product)"),
    (r"x W^{(1)}", "network", "1×h", "the left factor and the right factor transposed"),
    (r"W^{(1)} W^{(2)}", "network", "d×n", "the left factor and the right factor transposed"),
    (r"x \cdot W^{(1)}", "network", "1×h", r"\cdot of a d×1 and a h×d"),
    (
        r"\frac{\partial E}{\partial z^{(1)}} x^T",
        "network",
        "h×d",
        "read with the left factor transposed (an outer product)",
    ),
    # lenient spellings
    (r"Z^{(1)}", "network", "h×1", "`Z^{(1)}` read as `z^{(1)}`"),
    (r"Z^{(2)}", "network", "n×1", "`Z^{(2)}` read as `z^{(2)}`"),
    (r"Z_u^{(1)}", "network", "scalar", "`Z^{(1)}` read as `z^{(1)}`"),
    (r"\frac{\partial E}{\partial Z^{(1)}}", "network", "1×h", "`Z^{(1)}` read as `z^{(1)}`"),
    (
        r"\frac{\partial (\sum_i W_{ui} x_i)}{\partial W_{uv}^{(1)}}",
        "step7",
        "scalar",
        "`W` read as `W^{(1)}`",
    ),
    # dimensions, constants, numbers, powers, division by a scalar
    ("n", "network", "scalar", None),
    ("m", "neuron", "scalar", None),
    (r"\frac{z}{n}", "network", "scalar", None),
    ("z^2", "network", "scalar", None),
    ("z^{-1}", "network", "scalar", None),
    (r"\sqrt{z}", "network", "scalar", None),
    ("x / z", "network", "d×1", None),
    (r"\frac{x}{2}", "network", "d×1", None),
    (r"W^{(1)} / 2", "network", "h×d", None),
    ("-x", "network", "d×1", None),
    # typefaces
    (r"\mathbf{x}", "network", "d×1", None),
    (r"\mathbf{W^{(1)}}", "network", "h×d", None),
    (
        r"\mathbf{W}^{(1)}",
        "network",
        "h×d",
        None,
    ),
    (r"\boldsymbol{W}^{(1)} x", "network", "h×1", None),
    (r"{W}^{(1)}", "network", "h×d", None),
    (r"\mathbf{W}^{(2)}_{uv}", "network", "scalar", None),
    # layout commands and larger delimiters carry no meaning
    (r"\displaystyle \sum\limits_{j=1}^n t_j", "network", "scalar", None),
    (r"\left. z \right.", "network", "scalar", None),
    (r"\bigg( z^{(1)} \bigg)", "network", "h×1", None),
    (r"\Biggl[ z^{(1)} \Biggr]", "network", "h×1", None),
]


@pytest.mark.parametrize(("latex", "model", "shape", "reading"), SHAPES)
def test_shape_and_readings(latex: str, model: str, shape: str, reading: str | None) -> None:
    node, resolver = resolve(latex, model)
    assert ty.show_shape(node.shape) == shape
    if reading is None:
        assert resolver.readings == []
    else:
        assert any(reading in r for r in resolver.readings), resolver.readings


# --- what the notation means: (latex, model, typed tree) -----------------------------------
TREES = [
    ("x^T", "network", "(T x)"),
    (r"W^{(1)T}", "network", "(T W^{(1)})"),
    (r"y^{(1)\top}", "network", "(T y^{(1)})"),
    (r"{W^{(1)}}^{\mathsf{T}}", "network", "(T W^{(1)})"),
    (r"W_{uv}^{(2)}", "network", "W^{(2)}[u,v]"),
    (r"W^{(2)}_{u,v}", "network", "W^{(2)}[u,v]"),
    (r"W^{(2)}_{12}", "network", "W^{(2)}[0,1]"),  # 1-based in the text, 0-based here
    ("x_1", "network", "x[0]"),
    ("E_j", "network", "E_*[j]"),
    ("G(Wx)", "neuron", "(sigmoid (matmul W x))"),
    (r"\log\sigma(Wx)", "neuron", "(log (sigmoid (matmul W x)))"),
    (r"\log G(Wx)", "neuron", "(log (sigmoid (matmul W x)))"),
    (r"-t \log y", "neuron", "(neg (scale t (log y)))"),
    (r"\log y \cdot t", "neuron", "(scale (log y) t)"),
    (r"\ln y", "network", "(log y)"),
    (r"\operatorname{softmax}(z^{(2)})", "network", "(softmax z^{(2)})"),
    (r"s(z^{(2)})", "network", "(softmax z^{(2)})"),
    ("g'(z)", "network", "(sigmoid' z)"),
    ("g''(z)", "network", "(sigmoid'' z)"),
    (r"g^{\prime}(z)", "network", "(sigmoid' z)"),
    ("e^{-z}", "network", "(exp (neg z))"),
    (r"\exp(z)", "network", "(exp z)"),
    ("e", "network", "e"),
    ("e^2", "network", "(exp 2)"),
    (r"\frac{1}{1+e^{-Wx}}", "neuron", "(/ 1 (+ 1 (exp (neg (matmul W x)))))"),
    ("z^2", "network", "(^ z 2)"),
    (r"\sqrt{z}", "network", "(^ z 1/2)"),
    ("x / z", "network", "(/ x z)"),
    ("0.5 z", "network", "(scale 1/2 z)"),
    (".5 z", "network", "(scale 1/2 z)"),
    (r"\frac12 z", "network", "(scale (/ 1 2) z)"),
    (r"\tanh^2(z)", "network", "(^ (tanh z) 2)"),
    (r"g^2(z)", "network", "(^ (sigmoid z) 2)"),
    (r"\sigma^2(z)", "network", "(^ (sigmoid z) 2)"),
    (r"g'^2(z)", "network", "(^ (sigmoid' z) 2)"),
    (r"\tanh^2(z)^3", "network", "(^ (^ (tanh z) 2) 3)"),
    ("G Wx", "neuron", "(matmul (sigmoid W) x)"),
    (r"\mathbf{W}^{(1)}", "network", "W^{(1)}"),
    ("n", "network", "dim:n"),
    (r"y^{(1)} \odot y^{(1)}", "network", "(hadamard y^{(1)} y^{(1)})"),
    (r"y^{(1)} \circ y^{(1)}", "network", "(hadamard y^{(1)} y^{(1)})"),
    (r"y^{(1)} \cdot y^{(1)}", "network", "(hadamard y^{(1)} y^{(1)})"),
    (r"x^T \cdot x", "network", "(matmul (T x) x)"),
    (r"x x^T", "network", "(matmul x (T x))"),
    (r"\text{diag}(y^{(1)})", "network", "(diag y^{(1)})"),
    (r"\frac{\partial E}{\partial x}", "network", "(d E x)"),
    (r"\frac{\partial E}{\partial W_{uv}^{(1)}}", "network", "(d E W^{(1)}[u,v])"),
    (r"\frac{\partial}{\partial z} g(z)", "network", "(d (sigmoid z) z)"),
    (
        r"\frac{\partial (\sum_i W^{(1)}_{ui} x_i)}{\partial W^{(1)}_{uv}}",
        "network",
        "(d (sum i 1 dim:d (scale W^{(1)}[u,i] x[i])) W^{(1)}[u,v])",
    ),
    (
        r"\frac{\partial E}{\partial z^{(1)}} \frac{\partial z^{(1)}}{\partial W^{(1)}}",
        "network",
        "(contract (d E z^{(1)}) (d z^{(1)} W^{(1)}))",
    ),
    (r"\sum_{j=1}^n t_j", "network", "(sum j 1 dim:n t[j])"),
    (r"\sum_j t_j", "network", "(sum j 1 dim:n t[j])"),  # the range is inferred from t
    (r"\sum_{j=1}^{n} t_j + 1", "network", "(+ (sum j 1 dim:n t[j]) 1)"),
    (r"\delta_{ij}", "network", "(delta i j)"),
    (r"\sum_{j=1}^n \delta_{ij}", "network", "(sum j 1 dim:n (delta i j))"),
    ("I x", "network", "(matmul I[d×d] x)"),
    (r"W^{(1)} I", "network", "(matmul W^{(1)} I[d×d])"),
    (r"I W^{(1)}", "network", "(matmul I[h×h] W^{(1)})"),
    (
        r"I - \frac{\partial y^{(1)}}{\partial z^{(1)}}",
        "network",
        "(- I[h×h] (d y^{(1)} z^{(1)}))",
    ),
    (r"1 - y^{(1)}", "network", "(- 1 y^{(1)})"),
    ("tW", "neuron", "(scale t W)"),
    (r"tW^{(2)}", "network", "(matmul (T t) W^{(2)})"),
    (r"(y^{(2)} - t) y^{(1)}", "network", "(matmul (- y^{(2)} t) (T y^{(1)}))"),
    (r"x W^{(1)}", "network", "(matmul (T x) (T W^{(1)}))"),
    (r"Z^{(1)}", "network", "z^{(1)}"),
    (r"Z_u^{(1)}", "network", "z^{(1)}[u]"),
    (r"\frac{\partial E}{\partial Z^{(1)}}", "network", "(d E z^{(1)})"),
    (
        r"\frac{dE}{dz}",
        "network",
        "(d E z)",
    ),
    (r"\frac{\mathrm{d}E}{\mathrm{d}z}", "network", "(d E z)"),
    (r"\frac{d}{dz} g(z)", "network", "(d (sigmoid z) z)"),
    (r"\frac{dE_j}{dy_j}", "network", "(d E_*[j] y[j])"),
    (r"\frac{d}{h}", "network", "(/ dim:d dim:h)"),
    (r"\frac{d z}{h}", "network", "(/ (scale dim:d z) dim:h)"),
]


@pytest.mark.parametrize(("latex", "model", "tree"), TREES)
def test_typed_tree(latex: str, model: str, tree: str) -> None:
    node, _ = resolve(latex, model)
    assert tx(node) == tree


# --- free indices and their ranges ---------------------------------------------------------
FREE = [
    (r"W_{uv}^{(2)}", "network", {"u": "n", "v": "h"}),
    (r"W^{(1)}_{uv}", "network", {"u": "h", "v": "d"}),
    (r"W^{(1)}_{1v}", "network", {"v": "d"}),
    (r"W^{(1)}_{11}", "network", {}),
    (r"y_j^{(2)}", "network", {"j": "n"}),
    (r"z^{(1)}_u", "network", {"u": "h"}),
    ("E_j", "network", {"j": "n"}),
    (r"\sum_{j=1}^n t_j", "network", {}),
    (r"\sum_{j=1}^n E_j", "network", {}),
    (r"\sum_{i=1}^d W^{(1)}_{ui} x_i", "network", {"u": "h"}),
    (r"\sum_{u=1}^h W^{(1)}_{uv}", "network", {"v": "d"}),
    (r"x_j \sum_{j=1}^n t_j", "network", {"j": "d"}),  # the sum's j is a different j
    (r"t_j \sum_{j=1}^n t_j", "network", {"j": "n"}),
    (r"\frac{\partial E}{\partial z_i^{(2)}}", "network", {"i": "n"}),
    (
        r"\sum_{j=1}^n \frac{\partial E_j}{\partial y_j^{(2)}} \cdot "
        r"\frac{\partial y_j^{(2)}}{\partial z_i^{(2)}}",
        "network",
        {"i": "n"},
    ),
    (r"(y_u^{(2)} - t_u) \cdot y_v^{(1)}", "network", {"u": "n", "v": "h"}),
    (r"y_i (\delta_{ij} - y_j)", "network", {"i": "n", "j": "n"}),
    (r"\delta_{ij} x_i t_j", "network", {"i": "d", "j": "n"}),
    (r"Z_u^{(1)}", "network", {"u": "h"}),
]


@pytest.mark.parametrize(("latex", "model", "free"), FREE)
def test_free_indices(latex: str, model: str, free: dict[str, str]) -> None:
    _, resolver = resolve(latex, model)
    assert dict(resolver.free_indices) == free


# --- errors: (latex, model, fragments of the message) --------------------------------------
ERRORS = [
    # an index used with two ranges
    (r"W^{(1)}_{ui} x_u", "network", ["index u runs over h elsewhere but over d in `x`"]),
    (r"W^{(1)}_{uj} t_j", "network", ["index j runs over d elsewhere but over n in `t`"]),
    (r"\sum_{j=1}^n t_j x_j", "network", ["index j runs over n elsewhere but over d"]),
    (r"\sum_{i=1}^h W^{(1)}_{ui} x_i", "network", ["i runs 1..h here but indexes d entries"]),
    (r"\sum_{i=1}^n x_i", "network", ["i runs 1..n here but indexes d entries"]),
    (r"\sum_{j=1}^4 t_j", "network", ["j runs 1..4 here but indexes n entries"]),
    (
        r"\sum_{i=2}^d x_i",
        "network",
        ["2..d"],
    ),
    (r"\sum_{i=0}^d x_i", "network", ["i runs 0..d here but indexes d entries"]),
    # the wrong number of indices
    (r"x_{uv}", "network", ["`x` (d×1) needs 1 index(es), got 2"]),
    (r"W^{(1)}_u", "network", ["`W^{(1)}` (h×d) needs 2 index(es), got 1"]),
    ("z_u", "network", ["`z` is a scalar: it has no components"]),
    ("x_0", "network", ["indices count from 1"]),
    (r"\sum_{ij} t_j", "network", ["cannot read the summation index"]),
    (
        "E_{jk}",
        "network",
        ["`E_j`"],
    ),
    ("E_{jk}", "network", ["`E_j` (n×1) needs 1 index(es), got 2"]),
    # \sum whose range cannot be inferred
    (r"\sum_j 1", "network", ["cannot tell how far j runs", "\\sum_{j=1}^n"]),
    (r"\sum_j z", "network", ["cannot tell how far j runs"]),
    (r"\sum x_i", "network", ["write the summation index"]),
    (r"\sum_{j=1}^n", "network", ["`\\sum` without a body"]),
    (
        r"\sum_j \delta_{ij}",
        "network",
        ["cannot tell how far j runs"],
    ),
    (r"\sum_j \delta_{ij} z", "network", ["cannot tell how far j runs"]),
    (r"\sum_{j=1}^m t_j", "network", ["unknown symbol `m`"]),
    # division by a vector
    (r"\frac{1}{x}", "network", ["cannot divide by a d×1"]),
    (r"\frac{z}{x}", "network", ["cannot divide by a d×1"]),
    ("z / x", "network", ["cannot divide by a d×1"]),
    ("x / x", "network", ["cannot divide by a d×1"]),
    (r"\frac{t}{y}", "network", ["cannot divide by a n×1"]),
    # case-sensitivity and unknown symbols
    ("w", "neuron", ["unknown symbol `w`", "did you mean `W`", "case-sensitive"]),
    ("X", "neuron", ["unknown symbol `X`", "did you mean `x`", "case-sensitive"]),
    ("Y", "network", ["unknown symbol `Y`", "did you mean `y`"]),
    (r"\frac{\partial E}{\partial w}", "neuron", ["unknown symbol `w`", "did you mean `W`"]),
    ("q", "network", ["unknown symbol `q`"]),
    ("W", "network", ["unknown symbol `W`"]),  # only step 7 reads W as W^{(1)}
    ("W_{uv}", "network", ["unknown symbol `W`"]),
    ("z", "neuron", ["unknown symbol `z`"]),
    (r"W^{(3)}", "network", ["unknown symbol `W^{(3)}`", "did you mean `W^{(2)}`"]),
    (r"Z^{(3)}", "network", ["unknown symbol `Z^{(3)}`"]),
    (r"\alpha", "network", ["unknown symbol `\\alpha`"]),
    (r"\frca{1}{2}", "network", ["unknown command `\\frca`", "did you mean `\\frac`"]),
    # products with no reading that fits (none, or more than one)
    (r"W^{(1)} t", "network", ["juxtaposition of a h×d and a n×1: the shapes do not fit"]),
    (r"y^{(1)} y^{(1)}", "network", ["juxtaposition of a h×1 and a h×1"]),
    ("x x", "neuron", ["juxtaposition of a d×1 and a d×1 is ambiguous"]),
    ("W x^T", "neuron", ["juxtaposition of a 1×d and a 1×d"]),
    (
        "W x^T",
        "neuron",
        ["is ambiguous", "left factor transposed (d×d)", "right factor transposed (scalar)"],
    ),
    (r"x \times x", "network", ["cross products are not supported"]),
    (r"y^{(1)} \odot t", "network", ["elementwise product of h×1 and n×1"]),
    (r"x \circ t", "network", ["elementwise product of d×1 and n×1"]),
    # sums of different shapes
    ("t - x", "network", ["cannot subtract a d×1 from a n×1"]),
    (r"y^{(1)} + x", "network", ["cannot add a d×1 to a h×1"]),
    (r"1 - W^{(1)}", "network", ["cannot subtract a h×d from a scalar"]),
    ("W + x", "neuron", ["cannot add a d×1 to a 1×d"]),
    (r"I - W^{(1)}", "network", ["cannot subtract"]),
    (r"I - W^{(1)}", "network", ["cannot subtract a h×d from the identity `I`"]),
    (r"W^{(1)} + I", "network", ["cannot add the identity `I` to a h×d"]),
    # functions
    ("s(z)", "network", ["softmax needs a vector, not a scalar"]),
    (
        r"s(W^{(1)})",
        "network",
        ["softmax of a h×d matrix is not supported", "each row or on each column"],
    ),
    (r"s'(z^{(2)})", "network", ["Jacobian"]),
    (r"G(W^{(1)})", "network", ["sigmoid of a matrix is not supported"]),
    (r"\log(W^{(1)})", "network", ["log of a matrix is not supported"]),
    (r"\exp(W^{(1)})", "network", ["exp of a matrix is not supported"]),
    (
        r"e^{W^{(1)}}",
        "network",
        ["matrix"],
    ),
    (r"\text{diag}(W^{(1)})", "network", ["diag needs a vector, not a h×d"]),
    ("G", "network", ["function `G` needs an argument"]),
    (r"\sigma", "network", ["function `\\sigma` needs an argument"]),
    (r"\log", "network", ["`log` needs an argument"]),
    (r"\sin(z)", "network", ["unknown function `sin`"]),
    (r"\tanh^{-1}(z)", "network", ["inverse functions are not supported"]),
    (r"g^{-1}(z)", "network", ["inverse functions are not supported"]),
    (r"g^{z}(z)", "network", ["write the power of `g` after its argument"]),
    (r"\tanh^2(z^{(1)})", "network", ["must be a scalar, not h×1"]),
    (r"\log_2 y", "network", [r"a subscript on `\log` is not supported"]),
    (r"\frac{d^2 E}{dz^2}", "network", ["higher derivatives are not supported"]),
    (r"z \pm z", "network", [r"`\pm` is not supported"]),
    (r"z \mp z", "network", [r"`\mp` is not supported"]),
    (r"(y^{(2)} - t)^{(1)}", "network", ["a layer `^{(k)}` belongs on a symbol"]),
    ("x'", "network", ["primes belong on functions"]),
    ("g'", "network", ["primes belong on functions"]),
    # powers and roots of non-scalars
    ("x^2", "network", ["must be a scalar, not d×1"]),
    (r"\sqrt{x}", "network", ["a square root must be a scalar, not d×1"]),
    # derivatives
    (r"\frac{\partial E}{\partial (W^{(1)}x)}", "network", ["with respect to a variable"]),
    (r"\frac{\partial E}{\partial 2}", "network", ["with respect to a variable"]),
    (r"\frac{\partial}{\partial z}", "network", ["derivative operator"]),
    (r"\frac{\partial W^{(1)}}{\partial x}", "network", ["is not supported"]),
    # misplaced marks and operators
    (r"\mathsf{T}", "network", ["a transpose mark belongs in a superscript"]),
    (r"\cdot x", "network", ["needs something on both sides"]),
    (r"x \cdot", "network", ["needs something on its right"]),
    # e carries no indices
    ("e_j", "network", [""]),
    (r"e^{z}_j", "network", [""]),
    ("e_j", "network", ["unknown symbol `e_j`", "Euler's number"]),
    (r"e^{z}_{ij}", "network", ["unknown symbol `e_{ij}`"]),
]


@pytest.mark.parametrize(("latex", "model", "fragments"), ERRORS)
def test_errors(latex: str, model: str, fragments: list[str]) -> None:
    with pytest.raises(NotationError) as info:
        resolve(latex, model)
    for fragment in fragments:
        assert fragment in info.value.message


# (latex, model, offset of the offending part)
ERROR_OFFSETS = [
    (r"W^{(1)}_{ui} x_u", "network", 13),
    (r"\frac{\partial E}{\partial w}", "neuron", 27),
    ("z / x", "network", 4),
    (r"\frac{1}{x}", "network", 9),
    (r"y^{(1)} \odot t", "network", 14),
    (r"W^{(1)} t", "network", 8),
    (r"\frca{1}{2}", "network", 0),
]


@pytest.mark.parametrize(("latex", "model", "pos"), ERROR_OFFSETS)
def test_error_offsets(latex: str, model: str, pos: int) -> None:
    with pytest.raises(NotationError) as info:
        resolve(latex, model)
    assert info.value.pos == pos


def test_one_reading_per_ambiguity() -> None:
    _, resolver = resolve(
        r"(y^{(2)} - t)^T W^{(2)} \text{diag}(y^{(1)} \cdot (1 - y^{(1)}))", "network"
    )
    assert len(resolver.readings) == 1
    assert ELEMENTWISE in resolver.readings[0]


# --- the seed submission: every expression, read with its step's model --------------------
SEED_SHAPES = {
    "1": ["scalar"] * 8 + ["1×d"] * 4,
    "2": ["h×1"] * 4 + ["n×1"] * 6 + ["scalar"] * 2,
    "3": ["1×n", "1×n", "n×1", "n×1", "n×h", "n×h", "1×h", "1×h", "1×h"],
    "4": ["scalar"] * 3 + ["n×h"] * 2,
    "5": ["scalar"] * 5 + ["h×h", "h×h", "h×1", "h×1", "h×h"],
    "6": ["1×h"] * 3,
    "7": ["h×d"] * 3 + ["scalar"] * 4,
}


def _seed_steps():
    doc = read_markdown(str(SEED), SEED.read_text(encoding="utf-8"))
    return {step.id: step for step in doc.steps}


@pytest.mark.parametrize("step_id", sorted(SEED_SHAPES))
def test_seed_expressions(step_id: str) -> None:
    step = _seed_steps()[step_id]
    spec = load_assignment().step(step_id)
    assert spec is not None
    model = "step7" if step_id == "7" else spec.model
    shapes = []
    for span in step.spans:
        for chain in parse_math(span.text).pieces:
            for expr in chain.exprs:
                shapes.append(ty.show_shape(Resolver(table(model)).resolve(expr).shape))
    assert shapes == SEED_SHAPES[step_id]


def test_seed_has_the_steps_tested() -> None:
    assert sorted(k for k in _seed_steps() if k is not None) == sorted(SEED_SHAPES)


@pytest.mark.parametrize(
    ("latex", "step", "verdict"),
    [
        # SymPy prints (log y)^2 as \log{\left(y \right)}^{2}: a power of the value, not of y
        (r"\log{\left(y \right)}^{2} = \left(\log y\right)^{2}", "1", "pass"),
        (r"\log{\left(y \right)}^{2} = 2 \log y", "1", "fail"),
        (r"g{\left(z \right)}^{2} = g(z^{2})", "5", "fail"),
        (r"g{\left(z \right)}^{2} = g(z) g(z)", "5", "pass"),
    ],
)
def test_power_of_a_braced_function_argument(backprop_checker, latex, step, verdict):
    from verifier.api import check_claim

    assert check_claim(latex, step=step, checker=backprop_checker).verdict.value == verdict
