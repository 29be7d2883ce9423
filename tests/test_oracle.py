"""The oracle (issue 9): certified agreement in ball arithmetic, structured and covered points,
dimensions used as values, a residual check bounded by work, verdicts independent of time.

Each example of the issue is a row; hypothesis draws further constants of each kind. False
claims must never pass or warn; true ones must pass.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.api import check_claim, check_file
from verifier.check import dimensions, residual
from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.check.verdicts import Verdict
from verifier.models.assignment import load_assignment

from .conftest import SEED

P, W, F, U, E = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.UNDECIDED, Verdict.ERROR
TRUE = (P, W)
DEDT = r"\frac{\partial E}{\partial t} = -\log y"  # step 1: the neuron, ∂E/∂t = -log y


@cache
def checker() -> Checker:
    return Checker(load_assignment("backprop"), Config(prove=False, isolate=False))


def check(latex: str, step: str):
    return check_claim(latex, step=step, checker=checker())


def fixed(examples: int) -> settings:
    return settings(derandomize=True, deadline=None, max_examples=examples, database=None)


# --- the examples --------------------------------------------------------------------

FALSE_CLAIMS = [
    # 50-digit rounding hid an e^{x_1} difference
    ("1", DEDT + r" + 10^{70}\log(1 + 10^{-70}e^{x_1})"),
    ("1", DEDT + r" + 10^{-31}x_1"),  # below any absolute tolerance
    ("1", DEDT + r" + 10^{-99}x_1"),
    ("1", DEDT + r" + (x_1/2)^{300}"),  # the narrow sampled range
    ("1", DEDT + r" + e^{600x_1-1000}"),
    ("1", DEDT + r" + e^{-10^6 x_1^2}"),
    ("1", DEDT + r" + (d-2)(d-3)(d-5)"),  # vanishes at the model's d = 2, 3, 5
    ("1", DEDT + r" + 10^{-90}(d-2)(d-3)(d-5)"),
    # one-hot t over n ≥ 3: wrong exactly when position 3 is hot
    ("3", r"\frac{\partial E}{\partial z_3^{(2)}} = y_3^{(2)}"),
    ("3", r"\frac{\partial E}{\partial z_1^{(2)}} = y_1^{(2)}"),
    # ordinary quantities equal only after a transpose: no layout excuse
    ("5", r"W^{(1)} = W^{(1)T}"),
    ("5", r"y^{(2)} = y^{(2)T}"),
    ("5", r"\text{diag}(y^{(1)}) = y^{(1)}"),
    ("5", r"x y^{(1)T} W^{(1)} = W^{(1)T} y^{(1)} x^T"),
    # a transposed entry is an entry of the transpose: W^{(2)T}_{cb} = W^{(2)}_{bc}
    ("4", r"\frac{\partial E}{\partial W^{(2)}_{bc}} = W^{(2)T}_{cb}"),
    ("4", r"\frac{\partial E}{\partial W^{(2)T}_{cb}} = (y^{(2)}_c - t_c) y^{(1)}_b"),
    ("5", r"W^{(2)T}_{12} = W^{(2)}_{12}"),
]

TRUE_CLAIMS = [
    # exactly 0 although float64 (and 50 digits) lose it to cancellation
    ("1", DEDT + r" + (x_1 + 10^{40})^2 - x_1^2 - 2\cdot 10^{40}x_1 - 10^{80}"),
    ("3", r"\frac{\partial E}{\partial z_3^{(2)}} = y_3^{(2)} - t_3"),
    ("1", DEDT + r" \cdot \frac{1}{m}"),  # m = 1 is a constant of the neuron model
    # the layout excuse still holds for derivatives
    ("5", r"\frac{\partial y^{(1)}}{\partial z^{(1)}} = y^{(1)} \odot (1 - y^{(1)})"),
    ("4", r"\frac{\partial E}{\partial W^{(2)T}_{cb}} = (y^{(2)}_b - t_b) y^{(1)}_c"),
    ("5", r"W^{(2)T}_{21} = W^{(2)}_{12}"),
]


@pytest.mark.parametrize(
    ("latex", "reading"),
    [
        (r"x^T x = x \cdot x", "dot product"),
        (r"y^{(1)T} y^{(1)} = y^{(1)} \cdot y^{(1)}", "dot product"),
        (
            r"\frac{\partial E}{\partial W^{(2)}} = (\frac{\partial E}{\partial W^{(2)}})^T",
            "other layout",
        ),
    ],
)
def test_readings_are_warnings_that_name_themselves(latex, reading):
    result = check(latex, "5" if "W" not in latex else "4")
    assert result.verdict is W and reading in result.message, result.message


def test_a_dot_product_reading_never_makes_a_false_claim_hold():
    assert check(r"x^T x = 2 x \cdot x", "5").verdict not in TRUE
    assert check(r"x^T x = x \cdot (2x)", "5").verdict not in TRUE


@pytest.mark.parametrize(("step", "latex"), FALSE_CLAIMS)
def test_false_claim_never_holds(step, latex):
    result = check(latex, step)
    assert result.verdict not in TRUE, result.message


@pytest.mark.parametrize(("step", "latex"), TRUE_CLAIMS)
def test_true_claim_holds(step, latex):
    result = check(latex, step)
    assert result.verdict in TRUE, result.message


@pytest.mark.parametrize(
    "latex",
    [DEDT + r" + (10^{-99})^{99}", DEDT + r" + (10^{99})^{99}", DEDT + r" + (2^{-1})^{400}"],
)
def test_numbers_that_defeat_bounds_are_limited_both_ways(latex):
    result = check(latex, "1")
    assert result.verdict is E and "digits" in result.message


QUANTITIES = ["x", "W^{(1)}", "W^{(2)}", "z^{(1)}", "y^{(1)}", "z^{(2)}", "y^{(2)}", "t"]
VECTORS = ["x", "z^{(1)}", "y^{(1)}", "z^{(2)}", "y^{(2)}", "t"]


@fixed(20)
@given(st.sampled_from(QUANTITIES), st.booleans())
def test_ordinary_quantities_get_no_layout_excuse(q, left):
    t = f"({q})^T"  # `W^{(1)}^T` would be a double superscript, which does not render
    latex = f"{t} = {q}" if left else f"{q} = {t}"
    assert check(latex, "5").verdict not in TRUE
    assert check(f"{q} = ({t})^T", "5").verdict is P


@fixed(6)
@given(st.integers(1, 3), st.integers(1, 3))
def test_one_hot_positions_are_all_covered(k, j):
    """Wrong exactly when position k is hot (t_k = 1): caught for every k of every n ≥ 3."""
    dz = rf"\frac{{\partial E}}{{\partial z_{k}^{{(2)}}}} = "
    assert check(dz + rf"y_{k}^{{(2)}} - t_{k}", "3").verdict is P
    assert check(dz + rf"y_{k}^{{(2)}}", "3").verdict is F
    # t_k t_j is t_k when j = k and 0 otherwise (one-hot): true exactly when j ≠ k
    assert check(dz + rf"y_{k}^{{(2)}} - t_{k} + t_{k} t_{j}", "3").verdict is (F if j == k else P)


@fixed(12)
@given(st.sampled_from(VECTORS), st.booleans())
def test_a_vector_is_not_its_diagonal_matrix(v, left):
    latex = rf"\text{{diag}}({v}) = {v}" if left else rf"{v} = \text{{diag}}({v})"
    assert check(latex, "5").verdict not in TRUE


# --- hypothesis: more constants of each kind --------------------------------------------------


@fixed(12)
@given(st.integers(17, 99))
def test_tiny_linear_terms_fail(k):
    assert check(DEDT + rf" + 10^{{-{k}}} x_1", "1").verdict is F


@fixed(10)
@given(st.integers(100, 900), st.integers(300, 3000))
def test_exponentially_small_terms_fail(a, b):
    assert check(DEDT + rf" + e^{{{a}x_1-{b}}}", "1").verdict not in TRUE


@fixed(8)
@given(st.integers(3, 9))
def test_narrow_bumps_fail(k):
    assert check(DEDT + rf" + e^{{-10^{k} x_1^2}}", "1").verdict not in TRUE


@fixed(8)
@given(st.integers(2, 4), st.integers(100, 600))
def test_high_powers_fail(c, p):
    assert check(DEDT + rf" + (x_1/{c})^{{{p}}}", "1").verdict not in TRUE


@fixed(8)
@given(st.integers(10, 49))
def test_cancelling_huge_terms_pass(k):
    extra = rf" + (x_1 + 10^{{{k}}})^2 - x_1^2 - 2\cdot 10^{{{k}}}x_1 - 10^{{{2 * k}}}"
    assert check(DEDT + extra, "1").verdict is P


@fixed(10)
@given(st.lists(st.integers(1, 9), min_size=1, max_size=4))
def test_polynomials_in_a_dimension_fail(roots):
    factors = "".join(f"(d-{r})" for r in roots)
    assert check(DEDT + rf" + {factors}", "1").verdict not in TRUE


# --- messages (issue 10's last bullet) --------------------------------------------------------


@pytest.mark.parametrize(
    "latex",
    [
        r"\frac{\partial E}{\partial t} = 0",  # no "constant factor 0"
        r"\frac{\partial E}{\partial t} = -0 \log y",
        DEDT + r" + 10^{-31}x_1",  # float ratio 1: no "constant factor 1"
    ],
)
def test_no_false_hint(latex):
    result = check(latex, "1")
    assert result.verdict is F
    assert "constant factor" not in result.message and "off by a sign" not in result.message


def test_a_true_hint_is_kept():
    assert (
        "off by a constant factor 3"
        in check(r"\frac{\partial E}{\partial t} = -3\log y", "1").message
    )
    assert "off by a sign" in check(r"\frac{\partial E}{\partial t} = \log y", "1").message


def test_a_tiny_claim_is_not_printed_as_zero():
    result = check(r"\frac{\partial E}{\partial t} = 10^{-90}", "1")
    assert result.verdict is F
    assert "claimed 1.00000e-90" in result.message


def test_equal_looking_values_show_their_difference():
    result = check(DEDT + r" + 10^{-31}x_1", "1")
    assert "claimed − true = " in result.message


def test_a_scalar_has_no_entry_coordinates():
    assert "entry" not in check(r"\frac{\partial E}{\partial t} = \log y", "1").message


def test_indices_and_entries_are_1_based():
    latex = r"\frac{\partial E}{\partial W^{(2)}_{bc}} = (y^{(2)}_b - t_b) y^{(1)}_c + \delta_{b2}"
    result = check(latex, "4")
    assert result.verdict is F
    assert "b=2, c=1" in result.message
    vector = check(r"\frac{\partial E}{\partial x} = t W (1 - y)", "1")
    assert vector.verdict is F and "; entry 1;" in vector.message


# --- determinism: the timed proof never changes a verdict --------------------------------------


def _verdicts(config: Config) -> list[Verdict]:
    checker = Checker(load_assignment("backprop"), config)
    result = check_file(str(SEED), checker=checker)
    rows = [c.verdict for c in result.claims]
    for step, latex in FALSE_CLAIMS + TRUE_CLAIMS:
        rows.append(check_claim(latex, step=step, checker=checker).verdict)
    return rows


def test_proof_budget_zero_or_large_gives_the_same_verdicts():
    quick = _verdicts(Config(proof_seconds=0.0, proof_wait=0.0))
    patient = _verdicts(Config(proof_seconds=10.0, proof_wait=20.0))
    assert quick == patient


def test_a_slowed_checker_gives_the_same_verdicts(monkeypatch):
    """Slower certification (a loaded machine) changes no verdict: nothing reads a clock."""
    import time

    from verifier.check import compare

    claims = FALSE_CLAIMS[:6] + TRUE_CLAIMS[:3]
    fast = [check(latex, step).verdict for step, latex in claims]
    certify = compare.certify

    def slow(*args, **kwargs):
        time.sleep(0.002)
        return certify(*args, **kwargs)

    monkeypatch.setattr(compare, "certify", slow)
    slowed = Checker(load_assignment("backprop"), Config(isolate=False))
    assert [check_claim(latex, step=s, checker=slowed).verdict for s, latex in claims] == fast


# --- dimensions used as values ----------------------------------------------------------------

BATCH = """
name = "batch"
title = "an averaged loss over a batch"
layout = "numerator"

[models.batch]
dimensions = [{ d = 2, N = 3 }, { d = 3, N = 2 }, { d = 4, N = 5 }]
inputs = { X = ["d", "N"], w = ["d", 1] }
definitions = ["z = X^T w", "E = \\\\frac{1}{N} \\\\sum_{i=1}^N z_i^2"]

[[steps]]
id = "1"
model = "batch"
"""


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Checker:
    path = Path(tmp_path_factory.mktemp("batch")) / "batch.toml"
    path.write_text(BATCH)
    return Checker(load_assignment(str(path)), Config(isolate=False))


GRAD = r"\frac{\partial E}{\partial w} = "


@pytest.mark.parametrize(
    ("latex", "verdicts"),
    [
        (GRAD + r"\frac{2}{N} (X z)^T", (P,)),  # the averaged gradient
        (GRAD + r"\frac{2}{N} z^T X^T", (P,)),
        (GRAD + r"2 z^T X^T", (F,)),
        (GRAD + r"\frac{2}{N} z^T X^T + (N-2)(N-3)(N-5) w^T", (F,)),
        (GRAD + r"\frac{2}{N} z^T X^T + (N-2)(N-3)(N-5)(N-6) w^T", (F,)),
        (GRAD + r"\frac{2}{N} z^T X^T \cdot \frac{\log N}{\log N}", (U,)),
        (GRAD + r"\frac{2}{N} z^T X^T \cdot 2^{N-N}", (U,)),
    ],
)
def test_dimensions_as_values(batch, latex, verdicts):
    result = check_claim(latex, step="1", checker=batch)
    assert result.verdict in verdicts, result.message


def _node(text: str):
    from verifier.parse.parser import parse_math
    from verifier.parse.resolve import Resolver

    table = checker().model("network").table
    (piece,) = parse_math(text).pieces
    return Resolver(table).resolve(piece.exprs[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"\frac{1}{n}", {"n": 1}),
        (r"(d-2)(d-3)(d-5)", {"d": 3}),
        (r"\frac{d^2}{h+1}", {"d": 2, "h": 1}),
        (r"\log(d)", {"d": dimensions.OTHER}),
        (r"2^{d}", {"d": dimensions.OTHER}),
        (r"\sum_{j=1}^n y_j^{(2)}", {}),  # a bound sizes the sum: not a value
    ],
)
def test_degree_in_each_dimension(text, expected):
    assert dimensions.degrees(_node(text)) == expected


def test_plan_adds_values_up_to_degree_plus_two():
    sets = [{"d": 2}, {"d": 3}, {"d": 5}]
    extra = dimensions.plan(sets, {"d": 3})
    assert sorted(s["d"] for s in extra) == [6, 7]
    assert dimensions.plan(sets, {"d": 1}) == []
    assert isinstance(dimensions.plan(sets, {"d": dimensions.OTHER}), str)
    assert dimensions.plan([{"m": 1, "d": 2}, {"m": 1, "d": 3}], {"m": 4}) == []  # a constant


# --- the residual check: work, not time --------------------------------------------------------

x, y = sp.symbols("x y", real=True)


@pytest.mark.parametrize(
    ("expr", "status"),
    [
        ((x + 10**40) ** 2 - x**2 - 2 * 10**40 * x - 10**80, residual.ZERO),
        (sp.Rational(1, 10**99) * x, residual.NONZERO),
        (sp.Integer(1) / (1 + x) - 1 / (1 + x) + sp.Rational(1, 10**50), residual.NONZERO),
        (
            1 / (1 + sp.exp(-x)) * (1 - 1 / (1 + sp.exp(-x))) - sp.exp(-x) / (1 + sp.exp(-x)) ** 2,
            residual.ZERO,
        ),
        (sp.exp(x) * sp.Rational(1, 10**99), residual.UNSETTLED),  # an opaque atom
        ((x + y) ** 40 - sp.expand((x + y) ** 40), residual.ZERO),
    ],
)
def test_settle(expr, status):
    assert residual.settle(expr, residual._Budget(residual.WORK)) == status


def test_settle_out_of_work_is_unsettled_not_wrong():
    big = (x + y + 1) ** 60 - sp.expand((x + y + 1) ** 60)
    assert residual.settle(big, residual._Budget(50)) == residual.UNSETTLED
    assert residual.settle(big, residual._Budget(10**6)) == residual.ZERO


def test_one_hot_is_covered_at_every_dimension_set():
    probe = checker().probe("network")
    for inst, _, points in probe.instances:
        t = inst.symbols["t"]
        hot = {
            int(max(range(len(t)), key=lambda i, p=p: points.floats[t[i]][p]))
            for p in range(points.count)
        }
        assert hot == set(range(len(t)))


def test_sample_points_are_exact_and_include_the_structured_set():
    probe = checker().probe("neuron")
    inst, _, points = probe.instances[0]
    x0 = inst.symbols["x"][0]
    values = set(points.floats[x0].tolist())
    assert {0.0, 1.0, -1.0, 2.0, -2.0, 8.0, -8.0} <= values


def test_a_nonzero_residual_the_points_miss_fails_or_is_undecided(monkeypatch):
    """Numerically invisible (every certified point 'agrees'), symbolically nonzero: the
    residual check searches every point for a certified counterexample; without one the
    claim is undecided and names the residual, never a pass."""
    from verifier.check import compare, decide
    from verifier.check.certify import AGREE, AtPoint

    latex = DEDT + r" + 10^{-99}x_1"
    real_certify = compare.certify
    monkeypatch.setattr(compare, "certify", lambda *a, **k: AtPoint(AGREE))
    blind = Checker(load_assignment("backprop"), Config(prove=False, isolate=False))

    def search_with_real_balls(*args, **kwargs):
        with monkeypatch.context() as m:
            m.setattr(compare, "certify", real_certify)
            return compare.search(*args, **kwargs)

    monkeypatch.setattr(decide, "search", search_with_real_balls)
    found = check_claim(latex, step="1", checker=blind)
    assert found.verdict is F and "claimed − true" in found.message

    monkeypatch.setattr(decide, "search", lambda *a, **k: None)
    missed = check_claim(latex, step="1", checker=blind)
    assert missed.verdict is U and "residual" in missed.message and "x" in missed.message
