"""The symbolic proof: its decisions, its time budget, and how it changes a verdict."""

from __future__ import annotations

import sympy as sp

from verifier.check.compare import Config
from verifier.check.prove import (
    DISPROVED,
    PROVED,
    TIMEOUT,
    TOO_LARGE,
    UNKNOWN,
    Job,
    Proofs,
    ProofWorker,
    annotate,
    decide,
)
from verifier.check.verdicts import ClaimResult, Verdict

z, y, w = sp.symbols("z y w", real=True)
SIGMOID = 1 / (1 + sp.exp(-z))


def job(expr, definitions=None, cases=({},), key="k"):
    return Job(key, (expr,), tuple(cases), definitions or {})


def test_true_rewrite_is_proved():
    derivative = sp.diff(SIGMOID, z)
    assert decide(job(SIGMOID * (1 - SIGMOID) - derivative)) == PROVED


def test_node_symbols_are_replaced_by_their_definitions():
    # y stands for sigmoid(z): y(1 - y) - g'(z) is zero only once y is expanded.
    assert decide(job(y * (1 - y) - sp.diff(SIGMOID, z), {y: SIGMOID})) == PROVED


def test_constant_difference_is_disproved_and_nonconstant_unknown():
    assert decide(job(SIGMOID + 1 - SIGMOID + sp.Integer(0) * z)) == DISPROVED
    assert decide(job(sp.exp(z) - sp.exp(-z))) == UNKNOWN


def test_assumption_cases_are_all_required():
    t0, t1 = sp.symbols("t0 t1", real=True)
    one_hot = ({t0: 1, t1: 0}, {t0: 0, t1: 1})
    assert decide(job(t0 * t1, cases=one_hot)) == PROVED  # 0 for every one-hot t
    assert decide(job(t0 + t1 - 1, cases=one_hot)) == PROVED
    assert decide(job(t0 - t1, cases=one_hot)) == DISPROVED


def test_large_difference_is_not_attempted():
    big = sp.Add(*[sp.exp(sp.Symbol(f"a{i}")) for i in range(4000)])
    assert decide(job(big)) == TOO_LARGE


def test_worker_over_budget_is_killed_and_replaced():
    # The budget separates the jobs by orders of magnitude (the slow one runs for more than
    # 20 s, the fast one for ~0.05 s idle and 0.25 s on a loaded machine): 0.05 s was flaky.
    worker = ProofWorker(budget=2.0)
    slow = sum(
        sp.exp(sp.Symbol(f"b{i}")) / (1 + sp.exp(-sp.Symbol(f"b{i}"))) ** 3 for i in range(40)
    )
    worker.submit(job(slow - sp.expand(slow) + sp.cos(w) ** 2 + sp.sin(w) ** 2 - 1, key="slow"))
    worker.submit(job(SIGMOID * (1 - SIGMOID) - sp.diff(SIGMOID, z), key="fast"))
    results = worker.wait(10.0)
    assert results["slow"] == TIMEOUT
    assert results["fast"] == PROVED  # answered by a fresh worker


def test_a_timed_disproof_never_changes_a_verdict():
    # Issue 9: whether a proof finishes in time depends on the machine, so it may only add a
    # note; a disagreement that matters is decided by the deterministic residual check.
    proofs = Proofs(Config(proof_seconds=5.0, proof_wait=5.0))
    proofs.submit(job(sp.Integer(0) * z + 1, key=(1, 1)), (1, 1), "d=2")
    ((status, where),) = proofs.finish().values()
    assert status == DISPROVED
    claim = annotate(ClaimResult(1, 1, "a = b", Verdict.PASS, "agrees at 18 points"), status, where)
    assert claim.verdict is Verdict.PASS
    assert claim.message == "agrees at 18 points"
