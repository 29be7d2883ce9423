"""Deciding whether a claimed value equals the true one over every shape, index and point."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import numpy as np
import sympy as sp

from verifier.check import numeric as nm
from verifier.check.numeric import shape_of
from verifier.limits import DEFAULT_LIMITS, Limits
from verifier.models.evaluate import Evaluator, Tensor3
from verifier.models.instance import Instance
from verifier.models.model import Model
from verifier.parse import typed as ty


@dataclass(frozen=True)
class Config:
    """How claims are checked. Frozen: one run, one configuration, reported with the results."""

    seed: int = 0
    points: int = 6  # random points per dimension set
    min_points: int = 3  # fewer usable points than this: undecided
    prove: bool = True
    proof_seconds: float = 0.5  # per claim, in the worker
    proof_wait: float = 0.5  # after the numeric checks, at most this long for pending proofs
    limits: Limits = DEFAULT_LIMITS
    isolate: bool = True  # check in a killable child process (where fork exists)


@dataclass
class Probe:
    """A model's instances, point sets and values, built once and shared by all claims."""

    model: Model
    config: Config

    def __post_init__(self) -> None:
        self._instances: list[tuple[Instance, Evaluator, nm.PointSet]] | None = None
        self._values: dict = {}
        self._mp: dict = {}

    @property
    def instances(self) -> list[tuple[Instance, Evaluator, nm.PointSet]]:
        if self._instances is None:
            self._instances = []
            for n, dims in enumerate(self.model.dimension_sets):
                inst = Instance(self.model, dims)
                rng = np.random.default_rng([self.config.seed, n])
                self._instances.append(
                    (
                        inst,
                        Evaluator(inst, self.config.limits),
                        nm.sample(inst, self.config.points, rng),
                    )
                )
        return self._instances

    def value(self, n: int, node: ty.Node, env: dict[str, int]):
        key = (n, ty.canonical(node), tuple(sorted(env.items())))  # same meaning, same entry
        if key not in self._values:
            _, ev, points = self.instances[n]
            sym = ev.value(node, env)
            self._values[key] = (sym, nm.probe(sym, points))
        return self._values[key]

    def truth_latex(self, node: ty.Node, env: dict[str, int]) -> str:
        """LaTeX of a value at the first dimension set; whole LaTeX, never cut mid-way (a long
        matrix is shown by its first entry). Cached: printing is slower than deriving."""
        key = ("latex", ty.canonical(node), tuple(sorted(env.items())))
        if key not in self._values:
            self._values[key] = _latex_of(self.value(0, node, env)[0])
        return self._values[key]

    def mp_value(self, n: int, node: ty.Node, env: dict[str, int], p: int) -> np.ndarray:
        key = (n, ty.canonical(node), tuple(sorted(env.items())), p)
        if key not in self._mp:
            _, _, points = self.instances[n]
            if (n, p) not in self._mp:
                self._mp[(n, p)] = points.mp_values(p)
            self._mp[key] = nm.probe_mp(self.value(n, node, env)[0], points, p, self._mp[(n, p)])
        return self._mp[key]

    def envs(self, n: int, free: dict[str, ty.Dim]) -> list[dict[str, int]]:
        inst = self.instances[n][0]
        names = sorted(free)
        ranges = [range(inst.concrete((free[i],))[0]) for i in names]
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*ranges)]


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
    entry: tuple[int, ...]
    claimed: str  # high-precision values, printed: float would show a huge value as inf
    true: str
    hint: str | None


@dataclass(frozen=True)
class Outcome:
    """``agree`` True/False, or None when undecided (``reason`` says why)."""

    agree: bool | None
    points: int = 0
    shapes: int = 0
    difference: Difference | None = None
    reason: str = ""


def compare(
    probe: Probe, head: ty.Node, claim: ty.Node, free: dict[str, ty.Dim], how: str
) -> Outcome:
    usable = 0
    for n, (inst, _, points) in enumerate(probe.instances):
        for env in probe.envs(n, free):
            _, truth = probe.value(n, head, env)
            _, value = probe.value(n, claim, env)
            arranged = arrange(value, truth.shape[1:], how)
            if arranged is None:
                return Outcome(False, reason="shape")
            result = _compare_at(probe, n, head, claim, env, how, truth, arranged)
            if isinstance(result, Difference):
                hint = _hint(truth, arranged)
                diff = Difference(inst.dims, env, result.entry, result.claimed, result.true, hint)
                return Outcome(False, difference=diff)
            if result < probe.config.min_points:
                return Outcome(
                    None, reason=f"only {result} of {points.count} points could be evaluated"
                )
            usable += result
    return Outcome(True, points=usable, shapes=len(probe.instances))


def _compare_at(probe, n, head, claim, env, how, truth, arranged) -> int | Difference:
    """Number of points where both agree, or the first confirmed difference."""
    close = nm.float_close(truth, arranged)
    agree = 0
    confirmed = False
    for p, c in enumerate(close):
        if c == 1.0 and confirmed:
            agree += 1
            continue
        t_mp = probe.mp_value(n, head, env, p)
        v_mp = arrange(probe.mp_value(n, claim, env, p)[None, ...], truth.shape[1:], how)[0]
        same = nm.mp_close(t_mp, v_mp)
        if same is None:
            continue
        if not same:
            entry = _first_difference(t_mp, v_mp)
            claimed, true = (mpmath.nstr(v[entry], 6) for v in (v_mp, t_mp))
            return Difference({}, env, entry, claimed, true, None)
        agree += 1
        confirmed = True  # one high-precision agreement per shape and index
    return agree


def _first_difference(a: np.ndarray, b: np.ndarray) -> tuple[int, ...]:
    for idx in np.ndindex(a.shape):
        if abs(a[idx] - b[idx]) > nm.MP_TOL * (1 + max(abs(a[idx]), abs(b[idx]))):
            return idx
    return ()


def _hint(truth: np.ndarray, claim: np.ndarray) -> str | None:
    finite = np.isfinite(truth).all(axis=tuple(range(1, truth.ndim))) & np.isfinite(claim).all(
        axis=tuple(range(1, claim.ndim))
    )
    t, c = truth[finite], claim[finite]
    if t.size == 0:
        return None
    if np.allclose(c, -t, rtol=1e-9, atol=1e-12):
        return "off by a sign"
    mask = np.abs(t) > 1e-9
    if mask.any():
        ratios = c[mask] / t[mask]
        constant = np.allclose(ratios, ratios.flat[0], rtol=1e-9, atol=0)
        if constant and np.allclose(c[~mask], 0, atol=1e-12):
            ratio = float(ratios.flat[0])
            r = Fraction(ratio).limit_denominator(1000)
            shown = r if r and abs(float(r) - ratio) <= 1e-9 * abs(ratio) else f"{ratio:.6g}"
            return f"off by a constant factor {shown}"
    if t.ndim == 3 and t.shape[1] == t.shape[2] and np.allclose(c, np.swapaxes(t, 1, 2)):
        return "transposed"
    return None


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
    return Job(key, tuple(exprs), _cases(inst), inst.defs)


def _cases(inst: Instance) -> tuple[dict, ...]:
    cases: list[dict] = [{}]
    for key, kind in inst.model.spec.assumptions.items():
        symbols = list(inst.symbols[key])
        if kind == "one-hot":
            hot = [{s: int(i == k) for i, s in enumerate(symbols)} for k in range(len(symbols))]
            cases = [{**c, **h} for c in cases for h in hot]
        elif kind == "sum-to-one":
            last = 1 - sum(symbols[:-1])
            cases = [{**c, symbols[-1]: last} for c in cases]
    return tuple(cases)


LATEX_LIMIT = 400


def _latex_of(value) -> str:
    entries = list(value)
    if len(entries) == 1:
        text = sp.latex(entries[0])
        return text if len(text) <= LATEX_LIMIT else r"\text{(too long to show)}"
    if not isinstance(value, Tensor3):  # a rank-3 value has no LaTeX of its own
        text = sp.latex(value)
        if len(text) <= LATEX_LIMIT:
            return text
    first = sp.latex(entries[0])
    if len(first) > LATEX_LIMIT:
        return r"\text{(too long to show)}"
    shape = "\\times ".join(str(d) for d in shape_of(value))
    return rf"{first} \quad \text{{(the first entry of a ${shape}$ array)}}"
