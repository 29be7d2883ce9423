"""The symbolic residual check, bounded by work (tree nodes), never by time.

For a claim the numeric probe found true, each entry's residual claim − truth at the first
dimension set is brought to the leaves (once per assumption case: each hot position of a
one-hot input, the last entry of a sum-to-one input written as 1 minus the others) and settled
by deterministic rewrites whose size is checked before they run:

* 0 after SymPy's automatic simplification, or after expanding a polynomial / the numerator of a
  rational function (functions such as exp(…) and non-integer powers taken as opaque atoms):
  ``zero`` — proved exactly;
* a nonzero number (an Arb ball without 0), or a nonzero polynomial or rational function of
  the inputs with no opaque atom: ``nonzero`` — the caller then searches for a certified
  counterexample, and without one the claim is ``undecided``, naming the residual;
* anything else, or over the budget: ``unsettled`` — the numeric verdict stands ("not proved").

The same input gives the same answer on any machine: nothing here looks at a clock.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from math import comb

import sympy as sp
from flint import ctx, fmpq, fmpq_mpoly_ctx

from verifier.check import numeric as nm
from verifier.check.certify import PRECISIONS
from verifier.check.prove import leaf_size

ZERO, NONZERO, UNSETTLED = "zero", "nonzero", "unsettled"
WORK = 6_000  # tree nodes (leaf-symbol form, and estimated expanded terms) per claim


@dataclass(frozen=True)
class Residual:
    status: str
    expr: sp.Expr | None = None  # the first residual not shown 0 (node symbols)
    leaves: sp.Expr | None = None  # ... in the inputs, as settled
    env: dict | None = None
    entry: int = -1
    work: int = 0  # nodes visited, for the benchmark
    n: int = 0  # the dimension set (instance index) of ``expr``


class _Budget:
    def __init__(self, limit: int) -> None:
        self.left = limit
        self.used = 0

    def spend(self, nodes: int) -> bool:
        self.used += nodes
        self.left -= nodes
        return self.left >= 0


def check(probe, head, claim, free, how: str, work: int = WORK, sets=(0,)) -> Residual:
    """Settle claim − truth at the given dimension sets (the first one unless the claim uses
    a dimension as a value), for every index value. ``work`` is shared by all of them."""
    budget = _Budget(work)
    unsettled = None
    for n in sets:
        found = _check_at(probe, n, head, claim, free, how, budget)
        if found.status == NONZERO or (found.status == UNSETTLED and budget.left <= 0):
            return replace(found, work=budget.used)
        if found.status == UNSETTLED and unsettled is None:
            unsettled = found
    if unsettled is not None:
        return replace(unsettled, work=budget.used)
    return Residual(ZERO, work=budget.used)


def _check_at(probe, n: int, head, claim, free, how: str, budget: _Budget) -> Residual:
    from verifier.check.compare import arrange_exprs, assumption_cases

    inst = probe.instances[n][0]
    cases = assumption_cases(inst)
    memo: dict = {}
    rank = {s: k for k, s in enumerate(inst.order)}
    unsettled = None
    for env in probe.envs(n, free):
        truth = list(probe.value(n, head, env)[0])
        value = arrange_exprs(probe.value(n, claim, env)[0], how)
        for i, (t, c) in enumerate(zip(truth, value, strict=True)):
            e = c - t
            if budget.left <= 0:  # out of work: unsettled, whatever the rest would show
                return Residual(UNSETTLED, e, None, env, i, n=n)
            if e == 0 or settle(e, budget, leaves=False) == ZERO:  # node symbols as variables
                continue
            if not budget.spend(leaf_size(e, inst.defs, memo)):
                return Residual(UNSETTLED, e, None, env, i, n=n)
            leaves = _unfold(e, inst, rank)
            if leaves == 0:
                continue
            status, leaves = _settle_cases(leaves, cases, budget)
            if status == NONZERO:
                return Residual(NONZERO, e, leaves, env, i, n=n)
            if status == UNSETTLED and unsettled is None:
                unsettled = Residual(UNSETTLED, e, leaves, env, i, n=n)
    return unsettled or Residual(ZERO)


def _unfold(expr: sp.Expr, inst, rank: dict) -> sp.Expr:
    """``to_leaves``: the latest definitions first, stopping if the residual cancels there
    (`y - y^{(2)}` with y defined as y^{(2)} costs one step, not two unfolded softmaxes), then
    every node at once by its leaves, each node unfolded once per instance (a matrix's
    entries share their nodes)."""
    definitions = inst.defs
    hit = expr.free_symbols & definitions.keys()
    if not hit:
        return expr
    top = max(rank[s] for s in hit)
    expr = expr.xreplace({s: definitions[s] for s in hit if rank[s] == top})
    if expr == 0:
        return expr
    leaves = _leaves_of(inst)
    return expr.xreplace({s: leaves(s) for s in expr.free_symbols & definitions.keys()})


def _leaves_of(inst):
    """A node symbol's definition in leaves only, memoised on the instance."""
    memo: dict = inst.__dict__.setdefault("_leaves", {})
    definitions = inst.defs

    def leaves(s: sp.Symbol) -> sp.Expr:
        if s not in memo:
            inner = definitions[s].free_symbols & definitions.keys()
            memo[s] = definitions[s].xreplace({t: leaves(t) for t in inner})
        return memo[s]

    return leaves


def _settle_cases(expr: sp.Expr, cases, budget: _Budget) -> tuple[str, sp.Expr]:
    worst = ZERO, expr
    for case in cases:
        r = expr.xreplace(case) if case else expr
        status = settle(r, budget)
        if status == NONZERO:
            return NONZERO, r
        if status == UNSETTLED:
            worst = UNSETTLED, r
    return worst


def settle(r: sp.Expr, budget: _Budget, leaves: bool = True) -> str:
    """ZERO, NONZERO or UNSETTLED for one residual. In node symbols (``leaves`` False) the
    symbols are not independent, so only ZERO is conclusive there."""
    if r == 0:
        return ZERO
    if r.is_number:
        return _number(r)
    if not budget.spend(leaf_size(r, {}, {})):
        return UNSETTLED
    atoms: dict[sp.Expr, sp.Symbol] = {}
    a = _atomize(r, atoms)
    gens = sorted(a.free_symbols, key=str)
    ring = fmpq_mpoly_ctx.get(tuple(f"v{i}" for i in range(len(gens))), "lex")
    try:
        num, _ = _Rational(ring, dict(zip(gens, ring.gens(), strict=True)), budget)(a)
    except (_OutOfWork, ZeroDivisionError):
        return UNSETTLED
    if num.is_zero():
        return ZERO
    return UNSETTLED if atoms or not leaves else NONZERO


class _OutOfWork(Exception):
    pass


class _Rational:
    """An expression (atoms already symbols) as numerator/denominator polynomials over Q in
    FLINT. The work is the number of terms produced, checked before each product is formed;
    the numerator is exact, so it is the zero polynomial exactly when the residual is 0."""

    def __init__(self, ring, gens: dict, budget: _Budget) -> None:
        self.ring, self.gens, self.budget = ring, gens, budget
        self.memo: dict = {}

    def __call__(self, expr: sp.Expr):
        hit = self.memo.get(expr)
        if hit is None:
            hit = self.memo[expr] = self._eval(expr)
        return hit

    def _eval(self, expr: sp.Expr):
        one = self.ring.constant(1)
        if expr.is_Symbol:
            return self.gens[expr], one
        if expr.is_Rational:
            return self.ring.constant(fmpq(int(expr.p), int(expr.q))), one
        if expr.is_Add or expr.is_Mul:
            parts = [self(a) for a in expr.args]
            combine = self._add if expr.is_Add else self._mul
            while len(parts) > 1:  # pairwise: n log n work for a long sum, not n^2
                pairs = [combine(a, b) for a, b in zip(parts[::2], parts[1::2], strict=False)]
                parts = pairs + ([parts[-1]] if len(parts) % 2 else [])
            return parts[0]
        if expr.is_Pow and expr.exp.is_Integer:
            n, d = self(expr.base)
            k = int(expr.exp)
            if k < 0:
                if n.is_zero():
                    raise ZeroDivisionError
                n, d, k = d, n, -k
            return self._pow(n, k), self._pow(d, k)
        raise _OutOfWork  # not a rational function (cannot happen after _atomize)

    def _charge(self, terms: int) -> None:
        if not self.budget.spend(terms):
            raise _OutOfWork

    def _times(self, a, b):
        self._charge(len(a) * len(b))
        return a * b

    def _add(self, x, y):
        (a, b), (c, d) = x, y
        if b == d:
            self._charge(len(a) + len(c))
            return a + c, b
        return self._times(a, d) + self._times(c, b), self._times(b, d)

    def _mul(self, x, y):
        (a, b), (c, d) = x, y
        return self._times(a, c), self._times(b, d)

    def _pow(self, p, k: int):
        if k > 10**4:
            raise _OutOfWork
        self._charge(comb(len(p) + k - 1, k) if len(p) > 1 else 1)
        return p**k


def _number(r: sp.Expr) -> str:
    """A constant residual: nonzero when its ball excludes 0 at some precision up to the cap."""
    for prec in PRECISIONS:
        with ctx.workprec(prec):
            try:
                ball = nm.SympyNumeric({}, nm.ARB)(r)
            except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                return UNSETTLED
            if ball.is_finite() and not ball.contains(0):
                return NONZERO
    return UNSETTLED


def _atomize(expr: sp.Expr, atoms: dict) -> sp.Expr:
    """Functions and non-integer powers become symbols: what is left is a rational function."""
    if expr.is_Symbol or expr.is_Number:
        return expr
    if expr.is_Add or expr.is_Mul:
        return expr.func(*[_atomize(a, atoms) for a in expr.args])
    if expr.is_Pow and expr.exp.is_Integer:
        return sp.Pow(_atomize(expr.base, atoms), expr.exp)
    if expr not in atoms:
        atoms[expr] = sp.Dummy(f"a{len(atoms)}")
    return atoms[expr]
