"""Deciding whether a claimed value equals the true one over every shape, index and point."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np
import sympy as sp

from verifier.check import hints
from verifier.check import numeric as nm
from verifier.check.certify import AGREE, DIFFER, PRECISIONS, UNKNOWN, certify
from verifier.check.conditions import Condition
from verifier.check.numeric import shape_of
from verifier.errors import NotationError
from verifier.limits import DEFAULT_LIMITS, Limits
from verifier.models import examples, printing
from verifier.models.evaluate import Evaluator, Tensor3
from verifier.models.instance import Instance
from verifier.models.model import Model
from verifier.parse import typed as ty


class Indices(dict):
    """A claim's free indices (name → range) and the condition its index values must meet
    (`\\quad i \\neq j`); every enumeration of index values goes through :meth:`Probe.envs`."""

    def __init__(
        self, free: dict[str, ty.Dim], condition: Condition | None = None, values=None
    ) -> None:
        super().__init__(free)
        self.condition = condition
        self.by_value: dict = values or {}  # a condition's values (`t_j`) read in the model


@dataclass(frozen=True)
class Config:
    """How claims are checked. Frozen: one run, one configuration, reported with the results."""

    seed: int = 0
    points: int = 6  # random points per dimension set
    min_points: int = 3  # fewer usable points than this: undecided
    prove: bool = True
    proof_seconds: float = 0.5  # per claim, in the worker
    proof_wait: float = 0.5  # after the numeric checks, at most this long for pending proofs
    residual_work: int = 6_000  # tree nodes for the residual check (work, not time)
    limits: Limits = DEFAULT_LIMITS
    isolate: bool = True  # check in a killable child process (where fork exists)
    template: frozenset[str] = frozenset()  # a notebook template's Markdown cells: not read


@dataclass
class Probe:
    """A model's instances, point sets and values, built once and shared by all claims.

    The first instances are the model's dimension sets; :meth:`extra` appends more (for a claim
    that uses a dimension as a value), which only the claims that ask for them visit."""

    model: Model
    config: Config

    def __post_init__(self) -> None:
        self._instances: list[tuple[Instance, Evaluator, nm.PointSet]] | None = None
        self._values: dict = {}
        self._dense: dict[int, int] = {}  # instance -> its instance with more random points

    @property
    def instances(self) -> list[tuple[Instance, Evaluator, nm.PointSet]]:
        if self._instances is None:
            self._instances = []
            for dims in self.model.dimension_sets:
                self._add(dims)
        return self._instances

    @property
    def base(self) -> int:
        """How many instances are the model's own dimension sets."""
        return len(self.model.dimension_sets)

    def _add(self, dims: dict[str, int], count: int = 0, stream: int = -1) -> int:
        n = len(self._instances)
        inst = Instance(self.model, dims)
        rng = np.random.default_rng([self.config.seed, n if stream < 0 else stream])
        points = nm.sample(inst, count or self.config.points, rng)
        self._instances.append((inst, Evaluator(inst, self.config.limits, memo=True), points))
        return n

    def dense(self, n: int) -> int:
        """Instance ``n`` with ``DENSE`` times the random points, for a claim under a condition
        on values (which holds at a fraction of them, random points only): built once."""
        if n not in self._dense:
            dims = self.instances[n][0].dims
            self._dense[n] = self._add(dims, self.config.points * DENSE, DENSE_STREAM + n)
        return self._dense[n]

    def extra(self, dims: dict[str, int]) -> int:
        """The index of the instance at ``dims``, built on first use."""
        for n, (inst, _, _) in enumerate(self.instances):
            if inst.dims == dims:
                return n
        return self._add(dims)

    def value(self, n: int, node: ty.Node, env: dict[str, int]):
        key = (n, ty.canonical(node), tuple(sorted(env.items())))  # same meaning, same entry
        if key not in self._values:
            _, ev, points = self.instances[n]
            sym = ev.value(node, env)
            _check_real(sym, node.pos)
            self._values[key] = (sym, nm.probe(sym, points))
        return self._values[key]

    def truth_latex(self, node: ty.Node, env: dict[str, int]) -> str:
        """LaTeX of a value at the first dimension set; whole LaTeX, never cut mid-way (a long
        matrix is shown by its first entry). Cached: printing is slower than deriving."""
        key = ("latex", ty.canonical(node), tuple(sorted(env.items())))
        if key not in self._values:
            inst = self.instances[0][0]
            value = _in_node_names(self.value(0, node, env)[0], inst)
            self._values[key] = _latex_of(value, inst.names)
        return self._values[key]

    def envs(self, n: int, free: dict[str, ty.Dim]) -> list[dict[str, int]]:
        inst = self.instances[n][0]
        names = sorted(free)
        ranges = [range(inst.concrete((free[i],))[0]) for i in names]
        envs = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*ranges)]
        condition = getattr(free, "condition", None)
        if condition is None:
            return envs
        return [e for e in envs if condition.holds(e, inst.dims)]

    def mask(self, n: int, free: dict[str, ty.Dim], env: dict[str, int]) -> np.ndarray | None:
        """The random points where the claim's condition on values holds at ``env``; None
        without one. A value with no number at a point (nan) holds nowhere there. Structured
        points are left out: their inputs repeat one another's values, so a condition such as
        `x_1 = W_{11}` holds at all of them and makes other claims agree there by coincidence."""
        values = getattr(free, "by_value", None)
        if not values:
            return None
        inst, _, points = self.instances[n]

        def at(value):
            return self.value(n, values[value], env)[1].reshape(points.count)

        held = free.condition.at_points(env, inst.dims, at)
        random = np.arange(points.count) < points.count - points.structured
        return np.broadcast_to(np.asarray(held, dtype=bool), (points.count,)) & random


DENSE = 4  # more random points where a condition on values selects some of them
DENSE_STREAM = 1_000_000  # their random stream, apart from every instance's own


def _check_real(value, pos: int) -> None:
    """A value SymPy gives as ∞ or as a complex number is no value at any point (`\\log 0`,
    `\\sqrt{-1}`): said as such, not met as an internal error when it is probed."""
    for e in value:
        if e.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I):
            raise NotationError(
                f"a value is not a real number ({e} in SymPy): the log of 0, 1/0, the square "
                "root of a negative number?",
                pos,
            )


ARRANGEMENTS = ("direct", "transpose", "diag")


def arrange(claim: np.ndarray, truth_shape: tuple[int, ...], how: str) -> np.ndarray | None:
    """The claim's values laid out like the truth (points on axis 0), or None if impossible."""
    shape = claim.shape[1:]
    if how == "direct":
        squeezed = _squeeze(shape) == _squeeze(truth_shape)
        return claim.reshape((claim.shape[0], *truth_shape)) if squeezed else None
    if (
        how == "transpose"
        and len(shape) == 2
        and shape[::-1] == truth_shape
        and shape != truth_shape
    ):
        return np.swapaxes(claim, 1, 2)
    if how == "transpose" and len(shape) == 2 and shape == truth_shape and shape[0] == shape[1] > 1:
        return np.swapaxes(claim, 1, 2)
    if how == "diag" and len(truth_shape) == 2 and truth_shape[0] == truth_shape[1] > 1:
        k = truth_shape[0]
        if len(shape) == 2 and sorted(shape) == [1, k]:
            flat = claim.reshape(claim.shape[0], k)
            out = np.zeros((claim.shape[0], k, k), dtype=claim.dtype)
            idx = np.arange(k)
            out[:, idx, idx] = flat
            return out
    return None


def _squeeze(shape: tuple[int, ...]) -> tuple[int, ...]:
    return () if shape in ((), (1, 1)) else shape


@dataclass(frozen=True)
class Difference:
    dims: dict[str, int]
    env: dict[str, int]
    entry: tuple[int, ...]  # 0-based; () for a value with one entry
    claimed: str  # printed from certified balls: float would show a huge value as inf
    true: str
    hint: str | None
    point: str = ""  # which sample point, e.g. "point 7 (structured)"


@dataclass(frozen=True)
class Outcome:
    """``agree`` True/False, or None when undecided (``reason`` says why); ``open_points``
    counts points where the balls still straddle 0 at the precision cap."""

    agree: bool | None
    points: int = 0
    shapes: int = 0
    difference: Difference | None = None
    reason: str = ""
    open_points: int = 0


def compare(
    probe: Probe,
    head: ty.Node,
    claim: ty.Node,
    free: dict[str, ty.Dim],
    how: str,
    sets: list[int] | None = None,
) -> Outcome:
    """Float64 screening at every point; Arb certification of every point float64 does not
    show agreeing, of the first ``CERTIFIED`` agreeing ones and of one per assumption case, per
    shape and index value."""
    sets = list(range(probe.base)) if sets is None else sets
    usable = open_points = 0
    for n in sets:
        inst, _, points = probe.instances[n]
        for env in probe.envs(n, free):
            truth_sym, truth = probe.value(n, head, env)
            claim_sym, value = probe.value(n, claim, env)
            arranged = arrange(value, truth.shape[1:], how)
            if arranged is None:
                return Outcome(False, reason="shape")
            pair = _Pair(list(truth_sym), arrange_exprs(claim_sym, how), truth, arranged)
            mask = probe.mask(n, free, env)
            lost = _lost(points, truth, arranged, mask)
            if lost:
                return Outcome(None, reason=lost)
            result = _compare_at(points, pair, mask)
            if isinstance(result, Difference):
                diff = replace(result, dims=inst.dims, env=env)
                return Outcome(False, difference=diff)
            agreeing, unknown = result
            open_points += unknown
            if agreeing < probe.config.min_points and not unknown:
                if mask is not None:
                    where = ", ".join(f"{k}={v + 1}" for k, v in env.items())
                    reason = (
                        f"the condition holds at {int(mask.sum())} of {points.count} points"
                        f"{f' at {where}' if where else ''}: too few to decide"
                    )
                    return Outcome(None, reason=reason)
                return Outcome(
                    None,
                    reason=f"only {agreeing} of {points.count} points could be evaluated "
                    "(elsewhere a value is not a finite real number)",
                )
            usable += agreeing
    if not usable:  # nothing compared (a condition no index value meets): never a pass
        return Outcome(None, reason="no index value could be compared")
    if open_points:
        reason = (
            f"at {open_points} point(s) claim − truth could not be told from 0 at "
            f"{PRECISIONS[-1]} bits"
        )
        return Outcome(
            None, points=usable, shapes=len(sets), reason=reason, open_points=open_points
        )
    return Outcome(True, points=usable, shapes=len(sets))


def _lost(points: nm.PointSet, truth: np.ndarray, claim: np.ndarray, mask) -> str:
    """In a model with kinks, a claim with no value where the truth has one (`\\mathbb{1}(a
    \\geq 0)` at a = relu(z) = 0, a step at its kink) would be compared on one side only:
    why it cannot be decided, or ""."""
    if not points.kinks:
        return ""
    with np.errstate(all="ignore"):
        claim_nan = np.isnan(claim.reshape(points.count, -1)).any(axis=1)
        # an overflowed truth (±inf: a sigmoid at 1.0 in float64 under 1/(1 - a)) has no value
        # there either, and such a point is never compared
        truth_lost = ~np.isfinite(truth.reshape(points.count, -1)).all(axis=1)
    lost = claim_nan & ~truth_lost & (True if mask is None else mask)
    if not lost.any():
        return ""
    return (
        f"the claim has no value at {int(lost.sum())} of {points.count} points where the truth "
        "has one (a step or a sign at its kink): the points left would cover one side only"
    )


# float64 agreements certified in Arb, per shape and index value; and one per assumption case
# (each hot position of a one-hot input), so an assumption is covered in Arb too
CERTIFIED = 2


@dataclass
class _Pair:
    """Truth and (arranged) claim at one shape and index value: entries and float64 values."""

    truth: list[sp.Expr]
    claim: list[sp.Expr]
    truth_f: np.ndarray
    claim_f: np.ndarray
    _residual: list[sp.Expr] | None = None

    @property
    def residual(self) -> list[sp.Expr]:
        if self._residual is None:  # built only when a point is certified
            self._residual = [c - t for c, t in zip(self.claim, self.truth, strict=True)]
        return self._residual


def _compare_at(
    points: nm.PointSet, pair: _Pair, mask: np.ndarray | None = None
) -> tuple[int, int] | Difference:
    """(agreeing points, open points), or the first certified difference; only the points in
    ``mask`` when a condition on values selects them."""
    close = nm.float_close(pair.truth_f, pair.claim_f)
    agree = certified = unknown = 0
    covered: set[int] = set()  # assumption cases (hot positions) with a certified agreement
    for p, c in enumerate(close):
        if mask is not None and not mask[p]:
            continue
        case = points.cases[p] if points.cases else 0
        if c == 1.0 and certified >= CERTIFIED and case in covered:
            agree += 1
            continue
        if c == 1.0 and unknown >= CERTIFIED:  # already open: only a difference can still help
            continue
        at = certify(points, p, pair.truth, pair.claim, pair.residual, defined=not np.isnan(c))
        if at.status == DIFFER:
            shape = pair.truth_f.shape[1:]
            hint = hints.hint(
                points, p, at.prec, pair.truth, pair.claim, pair.truth_f, pair.claim_f
            )
            entry = _entry(at.entry, shape)
            return Difference({}, {}, entry, at.claimed, at.true, hint, points.describe(p))
        if at.status == UNKNOWN:
            unknown += 1
        elif at.status == AGREE:
            agree += 1
            certified += 1
            covered.add(case)
    return agree, unknown


def search(
    probe: Probe, head: ty.Node, claim: ty.Node, how: str, env: dict[str, int], entry: int, n: int
) -> Difference | None:
    """A certified counterexample for one entry at dimension set ``n``, searched over every
    point (random and structured); None when no point shows one."""
    inst, _, points = probe.instances[n]
    truth_sym, truth = probe.value(n, head, env)
    claim_sym, value = probe.value(n, claim, env)
    t = list(truth_sym)[entry]
    c = arrange_exprs(claim_sym, how)[entry]
    arranged = arrange(value, truth.shape[1:], how)
    for p in range(points.count):
        at = certify(points, p, [t], [c], [c - t])
        if at.status == DIFFER:
            claim_list = arrange_exprs(claim_sym, how)
            hint = hints.hint(points, p, at.prec, list(truth_sym), claim_list, truth, arranged)
            where = _entry(entry, truth.shape[1:])
            return Difference(inst.dims, env, where, at.claimed, at.true, hint, points.describe(p))
    return None


def _entry(flat_index: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    """The entry's indices, without the length-1 axes: () for a scalar, (i,) for a vector."""
    full = np.unravel_index(flat_index, shape) if shape else ()
    return tuple(int(i) for i, k in zip(full, shape, strict=True) if k != 1)


def arrange_exprs(value, how: str) -> list[sp.Expr]:
    """The claim's entries laid out like the truth's, in the order of ``list(truth)``."""
    if how == "transpose":
        value = value.T
    elif how == "diag":
        value = sp.diag(*list(value))
    return list(value)


MAX_PROOF_INDICES = 12  # index values proved at; beyond this the proof is not attempted


def proof_job(probe: Probe, head: ty.Node, claim: ty.Node, free: dict[str, ty.Dim], how: str, key):
    """Differences claim − truth at the first dimension set, in leaf symbols, for every index
    value; one substitution case per hot index of a one-hot input. None if too many indices."""
    from verifier.check.prove import Job

    inst, ev, _ = probe.instances[0]
    envs = probe.envs(0, free)
    if len(envs) > MAX_PROOF_INDICES:
        return None
    exprs = []
    for env in envs:
        truth, value = ev.value(head, env), ev.value(claim, env)
        if how == "transpose":
            value = value.T
        elif how == "diag":
            value = sp.diag(*list(value))
        exprs += [c - t for t, c in zip(list(truth), list(value), strict=True)]
    return Job(key, tuple(exprs), assumption_cases(inst), inst.defs)


def assumption_cases(inst: Instance) -> tuple[dict, ...]:
    """Substitutions for the assumptions: one case per hot position of a one-hot vector (per
    combination of hot positions of a batch's examples); the last entry of a sum-to-one vector
    (of each example) written as 1 − the others."""
    cases: list[dict] = [{}]
    for key, kind in inst.model.assumptions.items():
        matrix = inst.symbols[key]
        for group in examples.groups(inst.model, key, matrix):
            symbols = [matrix[i] for i in group]
            if kind == "one-hot":
                hot = [{s: int(i == k) for i, s in enumerate(symbols)} for k in range(len(symbols))]
                cases = [{**c, **h} for c in cases for h in hot]
            elif kind == "sum-to-one":
                last = 1 - sum(symbols[:-1])
                cases = [{**c, symbols[-1]: last} for c in cases]
    return tuple(cases)


LATEX_LIMIT = 400


def _in_node_names(value, inst: Instance):
    """``value`` with each node's definition written as the node (`1 - \tanh^2(W h + …)` is
    `1 - (h_1)^2`), innermost first: for display only, exact by the definitions."""
    back = {v: s for s, v in inst.defs.items() if not v.is_Atom}
    if not back:
        return value

    def rename(e: sp.Expr) -> sp.Expr:
        for _ in range(len(inst.order) + 1):  # each pass names one more level of nesting
            named = e.xreplace(back)
            if named == e:
                break
            e = named
        return e

    if isinstance(value, Tensor3):
        return Tensor3(tuple(m.applyfunc(rename) for m in value.slices))
    return value.applyfunc(rename) if hasattr(value, "applyfunc") else rename(value)


def _latex_of(value, names: dict[sp.Symbol, str]) -> str:
    entries = list(value)
    if len(entries) == 1:
        text = printing.latex(entries[0], names)
        return text if len(text) <= LATEX_LIMIT else r"\text{(too long to show)}"
    if not isinstance(value, Tensor3):  # a rank-3 value has no LaTeX of its own
        text = printing.latex(value, names)
        if len(text) <= LATEX_LIMIT:
            return text
    first = printing.latex(entries[0], names)
    if len(first) > LATEX_LIMIT:
        return r"\text{(too long to show)}"
    shape = "\\times ".join(str(d) for d in shape_of(value))
    return rf"{first} \quad \text{{(the first entry of a ${shape}$ array)}}"
