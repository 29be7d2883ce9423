r"""Property-based tests (hypothesis, derandomized: every run draws the same examples).

(a) The parser and the typed pass raise nothing but ``NotationError``: on any text, on LaTeX-like
    token soup, and on every construct nested up to (and past) the documented depth limit.
(b) Round trip: a random scalar SymPy expression over step 5's z or the neuron's t and y, written
    once by hand (fully bracketed) or by ``sympy.latex``, equals ``sympy.latex`` of a SymPy
    rewrite of it (expand, factor, together, cancel, ...): PASS, or WARN naming a reading.
(c) SymPy rewrites of true claims, g'(z) in step 5 and ∂E/∂t = -log G(Wx) in step 1: PASS/WARN.
(d) Value-changing mutations of (b) and (c) (sign flip, changed exponent, dropped factor or term,
    swapped roles, added constant), checked in SymPy to change the value: never PASS or WARN.

Left out of (b)-(d), with the reason next to it: sympy.simplify (it writes `\cosh`, which is
not supported).
Proofs are off (the verdict comes from the numeric probe either way); the file runs in under a
minute on two cores.
"""

from __future__ import annotations

import contextlib
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pytest
import sympy as sp
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from verifier.api import check_claim, check_text
from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.check.verdicts import ClaimResult, Verdict
from verifier.errors import NotationError
from verifier.limits import DEFAULT_LIMITS
from verifier.models.assignment import load_assignment
from verifier.models.model import key_of
from verifier.notation import Lenient, SymbolTable
from verifier.parse.parser import parse_math
from verifier.parse.resolve import Resolver

TRUE = (Verdict.PASS, Verdict.WARN)


def holds(result: ClaimResult) -> bool:
    """PASS, or WARN naming the reading it took (a `quoted` piece of notation)."""
    return result.verdict is Verdict.PASS or (
        result.verdict is Verdict.WARN and "`" in result.message
    )


def fixed(examples: int) -> settings:
    """Same examples on every run; no example database written into the repository."""
    return settings(derandomize=True, deadline=None, max_examples=examples, database=None)


@cache
def checker() -> Checker:
    return Checker(load_assignment("backprop"), Config(prove=False))


def check(latex: str, step: str) -> ClaimResult:
    """check_claim with the shared checker; the verdict is noted for hypothesis' report."""
    result = check_claim(latex, step=step, checker=checker())
    if currently_in_test_context():
        note(f"step {step}: {latex}\n  -> {result.verdict}: {result.message}")
    return result


# --- (a) the parser and the typed pass: NotationError or nothing ----------------------------


@cache
def tables() -> tuple[SymbolTable, ...]:
    """The neuron, the network, and the network with step 7's lenient `W`."""
    assignment = load_assignment("backprop")
    network = checker().model("network").table
    extra = {key_of(k)[0]: Lenient(key_of(v)[0]) for k, v in assignment.step("7").lenient.items()}
    return checker().model("neuron").table, network, network.with_lenient(extra)


def read(text: str) -> None:
    """Parse, then resolve every expression against every table; NotationError is fine."""
    try:
        seq = parse_math(text)
    except NotationError:
        return
    for table in tables():
        for piece in seq.pieces:
            for expr in piece.exprs:
                with contextlib.suppress(NotationError):
                    Resolver(table).resolve(expr)


TOKENS = [
    # structure
    "{", "}", "^", "_", "(", ")", "[", "]", r"\left(", r"\right)", r"\left[", r"\right]",
    r"\left.", r"\right.", r"\{", r"\}", "=", ":=", r"\equiv", "&", r"\\", ",", ".", ";", ":",
    " ", "~", r"\,", r"\quad", r"\Rightarrow", r"\displaystyle", "'", "$", "%", "#", "\n",
    # operators and commands
    r"\frac", r"\dfrac", r"\partial", r"\sum", r"\sum_{j=1}^n", r"\sum_j", r"\cdot", r"\odot",
    r"\circ", r"\times", "*", "/", "+", "-", r"\pm", r"\sqrt", r"\log", r"\ln", r"\exp",
    r"\tanh", r"\cosh", r"\sigma", r"\delta", r"\alpha", r"\infty", r"\top", r"\mathsf T",
    r"\mathbf", r"\text{", r"\text{diag}", r"\text{ for all }", r"\mathrm{diag}",
    r"\operatorname{", r"\unknown",
    # symbols and numbers
    "e", "E", "W", "x", "y", "t", "z", "g", "G", "s", "i", "j", "u", "v", "d", "h", "n", "m",
    "I", "T", "0", "1", "2", "9", "12", "0.5", ".5", "9" * 40,
    "W^{(1)}", "W^{(2)}", "z^{(1)}", "y^{(2)}", "E_j", "t_j", "x_i", "W_{uv}", "y_j^{(2)}",
]  # fmt: skip

latex_fuzz = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
latex_chars = st.text(alphabet="\\{}^_()[]=+-*/'&,.:; \nabcdeEgGWxyztTIij012", max_size=60)


@fixed(1500)
@given(st.text(max_size=80))
def test_any_text_raises_only_notation_error(text: str) -> None:
    read(text)


@fixed(600)
@given(latex_chars)
def test_latex_characters_raise_only_notation_error(text: str) -> None:
    read(text)


@fixed(2000)
@given(latex_fuzz)
def test_latex_tokens_raise_only_notation_error(text: str) -> None:
    read(text)


# Nesting up to the documented limits (Limits.max_depth = 200 brackets; unary minus is bounded
# only by max_claim_chars). Until b24e184 each of these hit Python's recursion limit from about
# 80-160 levels (RecursionError, or lark's VisitError wrapping it) in parse_math, check_text
# and check_claim; check_claim also parsed before the limits were applied.
NESTINGS: dict[str, Callable[[int], str]] = {
    "braces": lambda n: "{" * n + "z" + "}" * n,
    "parentheses": lambda n: "(" * n + "z" + ")" * n,
    "left-right": lambda n: r"\left(" * n + "z" + r"\right)" * n,
    "fractions": lambda n: r"\frac{" * n + "z" + "}{2}" * n,
    "exponents": lambda n: "e^{" * n + "z" + "}" * n,
    "unary minus": lambda n: "-" * (5 * n) + "z",
}
MAX_DEPTH = DEFAULT_LIMITS.max_depth


@fixed(100)
@given(st.sampled_from(sorted(NESTINGS)), st.integers(1, 3 * MAX_DEPTH))
def test_nesting_raises_only_notation_error(kind: str, depth: int) -> None:
    read(NESTINGS[kind](depth))


@pytest.mark.parametrize("kind", sorted(NESTINGS))
def test_nesting_at_the_limit_gets_a_verdict(kind: str) -> None:
    formula = NESTINGS[kind](MAX_DEPTH)
    in_a_document = check_text(f"5: $$z = {formula}$$", checker=checker()).claims[0]
    for result in (in_a_document, check(f"z = {formula}", "5")):
        assert "nested too deeply" not in result.message  # within the limits: read, then checked


def test_check_claim_beyond_the_nesting_limit_is_an_error() -> None:
    result = check(NESTINGS["parentheses"](MAX_DEPTH + 100) + " = z", "5")
    assert result.verdict is Verdict.ERROR and f"the limit is {MAX_DEPTH}" in result.message


# --- symbols, points, printing ---------------------------------------------------------------

Z = sp.Symbol("z", real=True)  # step 5's free scalar
T = sp.Symbol("t", real=True)  # the neuron's target
Y = sp.Symbol("y", positive=True)  # the neuron's output G(Wx), in (0, 1)
U = sp.Symbol("u", real=True)  # the neuron's pre-activation Wx (1×d times d×1), printed `W x`
g = sp.Function("g")  # step 5's sigmoid, printed g{\left(z \right)}
G = sp.Function("G")  # the neuron's sigmoid


def sigmoid(v: sp.Expr) -> sp.Expr:
    return 1 / (1 + sp.exp(-v))


@dataclass(frozen=True)
class Context:
    """Which step a claim is checked in, what its SymPy symbols mean, where they are sampled."""

    step: str
    symbols: dict[sp.Symbol, tuple[float, float]]  # sampled like the verifier samples them
    meaning: Callable[[sp.Expr], sp.Expr]  # to an expression in the sampled symbols only
    swap: dict[sp.Expr, sp.Expr]  # a role swap that keeps the claim readable


CONTEXTS = {
    "z": Context("5", {Z: (-1.5, 1.5)}, lambda e: e.replace(g, sigmoid), {Z: -Z}),
    "t, y": Context("1", {T: (-1.5, 1.5), Y: (0.02, 0.98)}, lambda e: e, {T: Y, Y: T}),
    "Wx": Context(
        "1",
        {U: (-3.0, 3.0)},
        lambda e: e.subs(Y, sigmoid(U)).replace(G, sigmoid),
        {U: -U},
    ),
}


@dataclass(frozen=True)
class Claim:
    """`lhs = rhs`: ``lhs`` is fixed LaTeX, ``rhs`` a SymPy value printed by ``sympy.latex``."""

    context: str
    lhs: str
    truth: sp.Expr  # the value of lhs
    rhs: sp.Expr
    names: tuple[tuple[sp.Symbol, str], ...] = ()  # symbol_names for sympy.latex

    @property
    def step(self) -> str:
        return CONTEXTS[self.context].step

    @property
    def latex(self) -> str:
        return f"{self.lhs} = {sp.latex(self.rhs, symbol_names=dict(self.names))}"

    def value(self, expr: sp.Expr, point: dict[sp.Symbol, float]) -> float | None:
        """The value at a point, or None where it is not a finite real number."""
        v = complex(sp.N(CONTEXTS[self.context].meaning(expr).subs(point), 30))
        finite = math.isfinite(v.real) and math.isfinite(v.imag) and abs(v.imag) < 1e-20
        return v.real if finite else None


def points(context: str, count: int = 3) -> st.SearchStrategy[list[dict[sp.Symbol, float]]]:
    ranges = CONTEXTS[context].symbols
    one = st.fixed_dictionaries({s: st.floats(lo, hi) for s, (lo, hi) in ranges.items()})
    return st.lists(one, min_size=count, max_size=count)


def defined(expr: sp.Expr) -> bool:
    return not expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo)


def printable(expr: sp.Expr) -> bool:
    return defined(expr) and sp.count_ops(expr) < 80


# SymPy rewrites of a value. sympy.simplify is left out: it writes g'(z) as 1/(4 cosh²(z/2)),
# and `\cosh` is lexed but is no supported function (an ERROR, not a misreading).
REWRITES: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    "as built": lambda e: e,
    "expand": sp.expand,
    "factor": sp.factor,
    "together": sp.together,
    "cancel": sp.cancel,
    "powsimp": sp.powsimp,
    "expand_log": lambda e: sp.expand_log(e, force=True),
    "logcombine": lambda e: sp.logcombine(e, force=True),
}


@st.composite
def rewritten(draw, expr: sp.Expr) -> sp.Expr:
    """One or two SymPy rewrites in a row (`expand` then `together`, ...)."""
    for name in draw(st.lists(st.sampled_from(sorted(REWRITES)), min_size=1, max_size=2)):
        expr = REWRITES[name](expr)
    return expr


# --- (b) round trip of random scalar expressions ---------------------------------------------


@dataclass(frozen=True)
class Term:
    latex: str  # written by hand, fully bracketed: no reading of sympy.latex is involved
    value: sp.Expr


# name: (how it is written by hand, what it is)
UNARY: dict[str, tuple[Callable[[str], str], Callable[[sp.Expr], sp.Expr]]] = {
    "neg": (lambda a: rf"\left(-{a}\right)", operator.neg),
    "exp": (lambda a: rf"\exp\left({a}\right)", sp.exp),
    "e^": (lambda a: rf"e^{{{a}}}", sp.exp),
    "log(1+e^a)": (lambda a: rf"\log\left(1 + e^{{{a}}}\right)", lambda v: sp.log(1 + sp.exp(v))),
    "ln(1+a^2)": (
        lambda a: rf"\ln\left(1 + \left({a}\right)^{{2}}\right)",
        lambda v: sp.log(1 + v**2),
    ),
    "^2": (lambda a: rf"\left({a}\right)^{{2}}", lambda v: v**2),
    "^3": (lambda a: rf"\left({a}\right)^3", lambda v: v**3),
    "^-1": (lambda a: rf"\left({a}\right)^{{-1}}", lambda v: v**-1),
    "^-2": (lambda a: rf"\left({a}\right)^{{-2}}", lambda v: v**-2),
}
BINARY: dict[str, tuple[Callable[[str, str], str], Callable[[sp.Expr, sp.Expr], sp.Expr]]] = {
    "+": (lambda a, b: rf"\left({a} + {b}\right)", operator.add),
    "-": (lambda a, b: rf"\left({a} - {b}\right)", operator.sub),
    "cdot": (lambda a, b: rf"\left({a} \cdot {b}\right)", operator.mul),
    "juxtaposed": (lambda a, b: rf"\left({a}\right) \left({b}\right)", operator.mul),
    "frac": (lambda a, b: rf"\frac{{{a}}}{{{b}}}", operator.truediv),
}
NUMBERS = [Term(str(k), sp.Integer(k)) for k in (1, 2, 3)]
LEAVES = {
    "z": [
        Term("z", Z),
        Term("z", Z),  # twice: fewer constant-only expressions
        Term(r"g\left(z\right)", g(Z)),  # printed back as g{\left(z \right)}
        Term(r"\sigma(z)", sigmoid(Z)),  # printed back as \frac{1}{1 + e^{- z}}
    ],
    "t, y": [
        Term("t", T),
        Term("y", Y),
        Term(r"G\left(W x\right)", Y),
        Term("E", -T * sp.log(Y)),  # the neuron's loss, E = -t log y
    ],
}


def terms(context: str) -> st.SearchStrategy[Term]:
    def extend(inner: st.SearchStrategy[Term]) -> st.SearchStrategy[Term]:
        unary = st.builds(
            lambda name, a: Term(UNARY[name][0](a.latex), UNARY[name][1](a.value)),
            st.sampled_from(sorted(UNARY)),
            inner,
        )
        binary = st.builds(
            lambda name, a, b: Term(
                BINARY[name][0](a.latex, b.latex), BINARY[name][1](a.value, b.value)
            ),
            st.sampled_from(sorted(BINARY)),
            inner,
            inner,
        )
        return unary | binary

    return st.recursive(st.sampled_from(LEAVES[context] + NUMBERS), extend, max_leaves=5)


@st.composite
def round_trips(draw, context: str) -> Claim:
    """lhs: the term by hand or by sympy.latex; rhs: sympy.latex after one or two rewrites."""
    term = draw(terms(context))
    by_hand = draw(st.booleans())
    claim = Claim(context, term.latex if by_hand else sp.latex(term.value), term.value, term.value)
    values = [claim.value(term.value, p) for p in draw(points(context))]
    assume(all(v is not None and abs(v) < 1e10 for v in values))
    assume(printable(term.value))
    rhs = draw(rewritten(term.value))
    assume(printable(rhs))
    return Claim(context, claim.lhs, term.value, rhs)


any_round_trip = st.sampled_from(["z", "t, y"]).flatmap(round_trips)


@fixed(200)
@given(any_round_trip)
def test_sympy_latex_round_trip(claim: Claim) -> None:
    result = check(claim.latex, claim.step)
    assert holds(result), f"{claim.latex}: {result.verdict}: {result.message}"


# sympy.latex prints log(a)**k as `\log{\left(a \right)}^{k}`: (log a)^k, as for `\log(a)^{k}`.
# It was once read as log(a**k); these were the minimal repros.
LOG_POWERS = [  # (step, the power written by hand, its value)
    ("1", r"\left(\log y\right)^{2}", sp.log(Y) ** 2),
    ("5", r"\left(\log\left(1 + e^{z}\right)\right)^{3}", sp.log(1 + sp.exp(Z)) ** 3),
    ("5", r"\left(\ln\left(1 + z^{2}\right)\right)^{-2}", sp.log(1 + Z**2) ** -2),
]


@pytest.mark.parametrize(("step", "lhs", "value"), LOG_POWERS)
def test_sympy_latex_power_of_a_log_round_trip(step: str, lhs: str, value: sp.Expr) -> None:
    assert holds(check(f"{lhs} = {sp.latex(value)}", step))


def test_sympy_latex_power_of_a_log_is_no_false_pass() -> None:
    # (log y)^2 claimed for 2 log y: a value-changing mutation that passes.
    assert check(rf"2 \log y = {sp.latex(sp.log(Y) ** 2)}", "1").verdict not in TRUE


# --- (c) SymPy rewrites of true claims --------------------------------------------------------

# g'(z) for g = sigmoid (step 5): ways to write the left-hand side and true values.
SIGMOID_SLOPE_LHS = [
    r"g'(z)",
    r"\sigma'(z)",
    r"\frac{\partial g(z)}{\partial z}",
    r"\frac{\partial \sigma(z)}{\partial z}",
    r"\frac{d g(z)}{d z}",
]
SIGMOID_SLOPES = [
    sp.exp(-Z) / (1 + sp.exp(-Z)) ** 2,
    sp.exp(Z) / (1 + sp.exp(Z)) ** 2,
    1 / (sp.exp(Z) + 2 + sp.exp(-Z)),
    sigmoid(Z) * (1 - sigmoid(Z)),
    g(Z) * (1 - g(Z)),
    g(Z) * g(-Z),
]
# ∂E/∂t = -log G(Wx) for the neuron (step 1): y = G(Wx), u = Wx printed as below.
DEDT = r"\frac{\partial E}{\partial t}"
DEDT_VALUES = [
    -sp.log(G(U)),
    -sp.log(Y),
    sp.log(1 + (1 - Y) / Y),
    sp.log(1 + sp.exp(-U)),
    sp.log(sp.exp(U) + 1) - U,
    -sp.log(sp.exp(U) / (sp.exp(U) + 1)),
]
WX = ["W x", "Wx", r"\left(W x\right)"]


@st.composite
def true_claims(draw) -> Claim:
    if draw(st.booleans()):
        lhs, truth = draw(st.sampled_from(SIGMOID_SLOPE_LHS)), SIGMOID_SLOPES[0]
        claim = Claim("z", lhs, truth, draw(rewritten(draw(st.sampled_from(SIGMOID_SLOPES)))))
    else:
        names = ((U, draw(st.sampled_from(WX))),)
        rhs = draw(rewritten(draw(st.sampled_from(DEDT_VALUES))))
        claim = Claim("Wx", DEDT, DEDT_VALUES[0], rhs, names)
    assume(printable(claim.rhs))
    return claim


@fixed(150)
@given(true_claims())
def test_rewritten_true_claims_pass(claim: Claim) -> None:
    result = check(claim.latex, claim.step)
    assert holds(result), f"{claim.latex}: {result.verdict}: {result.message}"


# --- (d) value-changing mutations of true claims ----------------------------------------------

Mutation = Callable[[st.DrawFn, Claim], sp.Expr | None]  # None: does not apply to this claim


def _pick(draw: st.DrawFn, expr: sp.Expr, keep: Callable[[sp.Expr], bool]) -> sp.Expr | None:
    """One of the distinct subexpressions of ``expr`` (itself included) that ``keep`` accepts."""
    parts = [e for e in dict.fromkeys(sp.preorder_traversal(expr)) if keep(e)]
    return draw(st.sampled_from(parts)) if parts else None


def _not_a_number(expr: sp.Expr) -> Callable[[sp.Expr], bool]:
    return lambda e: e == expr or not e.is_Number


def sign_flip(draw: st.DrawFn, claim: Claim) -> sp.Expr:
    part = _pick(draw, claim.rhs, _not_a_number(claim.rhs))
    return claim.rhs.xreplace({part: -part})


def added_constant(draw: st.DrawFn, claim: Claim) -> sp.Expr:
    part = _pick(draw, claim.rhs, _not_a_number(claim.rhs))
    return claim.rhs.xreplace({part: part + draw(st.sampled_from([1, 2, -1, sp.Rational(1, 2)]))})


def changed_exponent(draw: st.DrawFn, claim: Claim) -> sp.Expr | None:
    """a^k -> a^(k±1); e^a -> e^(2a)."""
    part = _pick(draw, claim.rhs, lambda e: (e.is_Pow and e.exp.is_Integer) or e.func == sp.exp)
    if part is None:
        return None
    if part.func == sp.exp:
        return claim.rhs.xreplace({part: sp.exp(2 * part.args[0])})
    return claim.rhs.xreplace({part: part.base ** (part.exp + draw(st.sampled_from([-1, 1])))})


def dropped(kind: type) -> Mutation:
    """One factor of a product, or one term of a sum, left out."""

    def mutate(draw: st.DrawFn, claim: Claim) -> sp.Expr | None:
        node = _pick(draw, claim.rhs, lambda e: isinstance(e, kind))
        if node is None:
            return None
        i = draw(st.integers(0, len(node.args) - 1))
        return claim.rhs.xreplace({node: node.func(*node.args[:i], *node.args[i + 1 :])})

    return mutate


def swapped_roles(draw: st.DrawFn, claim: Claim) -> sp.Expr:
    """The context's swap (z and -z, Wx and -Wx, t and y), or two subexpressions exchanged."""
    parts = list(dict.fromkeys(sp.preorder_traversal(claim.rhs)))
    if draw(st.booleans()) or len(parts) < 2:
        return claim.rhs.xreplace(CONTEXTS[claim.context].swap)
    a, b = draw(st.lists(st.sampled_from(parts), min_size=2, max_size=2, unique=True))
    return claim.rhs.xreplace({a: b, b: a})


MUTATIONS: dict[str, Mutation] = {
    "sign flip": sign_flip,
    "changed exponent": changed_exponent,
    "dropped factor": dropped(sp.Mul),
    "dropped term": dropped(sp.Add),
    "swapped roles": swapped_roles,
    "added constant": added_constant,
}


@st.composite
def mutants(draw) -> tuple[str, Claim]:
    claim = draw(true_claims() | any_round_trip)
    name = draw(st.sampled_from(sorted(MUTATIONS)))
    rhs = MUTATIONS[name](draw, claim)
    assume(rhs is not None and printable(rhs))
    mutant = Claim(claim.context, claim.lhs, claim.truth, rhs, claim.names)
    # It really changes the value: somewhere both sides are finite and differ.
    changed = False
    for point in draw(points(claim.context)):
        a, b = claim.value(claim.truth, point), claim.value(rhs, point)
        changed |= a is not None and b is not None and abs(a - b) > 1e-6 * (1 + abs(a))
    assume(changed)
    return name, mutant


@fixed(250)
@given(mutants())
def test_value_changing_mutations_never_pass(mutant: tuple[str, Claim]) -> None:
    name, claim = mutant
    result = check(claim.latex, claim.step)
    assert result.verdict not in TRUE, f"{name}: {claim.latex}: {result.verdict}"
