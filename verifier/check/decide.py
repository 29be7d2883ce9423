"""One claim against the truth: the numeric comparison over every arrangement the notation
allows, the residual check, and the verdict with its message (pass, warn, fail, undecided)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp

from verifier.check import dimensions, divisors, kinks, residual
from verifier.check.compare import (
    ARRANGEMENTS,
    LATEX_LIMIT,
    Config,
    Outcome,
    Probe,
    assumption_cases,
    compare,
    search,
)
from verifier.check.verdicts import Verdict
from verifier.models import printing
from verifier.models.piecewise import PIECEWISE
from verifier.notation import SMOOTH
from verifier.parse import typed as ty


@dataclass
class Resolved:
    node: ty.Node
    free: dict[str, ty.Dim]
    readings: list[str]
    implied: frozenset[str] = frozenset()  # indices summed by Einstein's convention


class Decider:
    """Decides claims of one model (its probe) under one configuration."""

    def __init__(self, probe: Probe, config: Config, readable: bool = True) -> None:
        self.probe = probe
        self.config = config
        self.readable = (
            readable  # a failure shows the confirmed readable truth (not when confirming one)
        )

    def decide(self, head: Resolved, claim: Resolved):
        """(verdict, message, truth, counterexample) of one claim against the truth."""
        probe = self.probe
        readings = list(dict.fromkeys(head.readings + claim.readings))
        outcomes: dict[str, Outcome] = {}
        # "True in the other layout" and "a vector for the diagonal Jacobian" excuse notation
        # of derivatives only: W = W^T or diag(y) = y is simply false.
        excused = ty.has_derivative(head.node) or ty.has_derivative(claim.node)
        excused = excused and _layout_open(head.node, probe.model.table.layout)
        extra = value_sets(probe, head, claim)
        if isinstance(extra, str):
            return Verdict.UNDECIDED, extra, None, None
        sets = [*range(probe.base), *extra]
        if _on_values(head):  # the condition selects some random points: draw more of them
            sets = [probe.dense(n) for n in sets]
        for how in ARRANGEMENTS if excused else ARRANGEMENTS[:1]:
            outcome = compare(probe, head.node, claim.node, head.free, how, sets)
            outcomes[how] = outcome
            if outcome.agree is None and outcome.reason != "shape":
                return self._open(probe, head, claim, how, outcome, sets, readings)
            if outcome.agree:
                settled = self._residual(head, claim, how, [0, *extra])
                if settled.status == residual.NONZERO:
                    return self._nonzero(probe, head, claim, how, settled)
                note = _agreement_note(outcome, self.config.seed) + _smooth_note(probe)
                note += _kink_note(probe, sets)
                note += "; " + _residual_note(settled.status, probe, [0, *extra])
                doubt = (
                    "" if settled.status == residual.ZERO else _kink_doubt(probe, head, claim, sets)
                )
                if doubt:  # agreement at points that miss a kink's side proves nothing
                    return Verdict.UNDECIDED, f"{doubt}{note}", None, None
                zero = divisors.zero_divisor(probe, head, claim, sets)
                if zero:  # agreement where the claim has a value says nothing where it has none
                    return Verdict.UNDECIDED, _zero_message(zero, note), None, None
                if how == "transpose":
                    readings = [
                        *readings,
                        "true in the other layout (the transpose of the expected result)",
                    ]
                elif how == "diag":
                    readings = [*readings, "a vector standing for the diagonal Jacobian diag(…)"]
                verdict = Verdict.WARN if readings else Verdict.PASS
                return verdict, "; ".join([*readings, note]), None, None
        return self._failure(probe, head, claim, outcomes)

    def _open(
        self,
        probe: Probe,
        head: Resolved,
        claim: Resolved,
        how: str,
        outcome: Outcome,
        sets: list[int],
        readings: list[str],
    ):
        """Undecided numerically; balls that never left 0 are settled by an exact residual 0
        at every dimension set that was compared (not only the first)."""
        if outcome.open_points and not _on_values(head):
            settled = residual.check(
                probe, head.node, claim.node, head.free, how, self.config.residual_work, sets
            )
            if settled.status == residual.ZERO and how == "direct":
                zero = divisors.zero_divisor(probe, head, claim, sets)
                if zero:
                    return Verdict.UNDECIDED, _zero_message(zero, outcome.reason), None, None
                note = f"{outcome.reason}, but {_residual_note(settled.status, probe, sets)}"
                return (
                    Verdict.WARN if readings else Verdict.PASS,
                    "; ".join([*readings, note]),
                    None,
                    None,
                )
        return Verdict.UNDECIDED, outcome.reason, None, None

    def _residual(self, head: Resolved, claim: Resolved, how: str, sets: list[int]):
        """The exact residual; not taken under a condition on values, which selects points
        (the residual would be taken everywhere)."""
        if _on_values(head):
            return residual.Residual(CONDITIONED)
        return residual.check(
            self.probe, head.node, claim.node, head.free, how, self.config.residual_work, sets
        )

    def _nonzero(self, probe: Probe, head: Resolved, claim: Resolved, how: str, settled):
        """Numerically equal, symbolically not: a certified counterexample, or undecided."""
        diff = search(probe, head.node, claim.node, how, settled.env, settled.entry, settled.n)
        truth = self._truth_text(head)
        if diff is not None:
            where = self._where(diff)
            hint = f" ({diff.hint})" if diff.hint else ""
            return Verdict.FAIL, f"false{hint}: true value {truth}; {where}", truth, where
        text = printing.latex(settled.leaves, probe.instances[settled.n][0].names)
        shown = text if len(text) <= LATEX_LIMIT else r"\text{(too long to show)}"
        message = (
            "the methods disagree: every point agrees numerically, but the residual "
            f"claim − truth = ${shown}$ is not 0 (exact expansion at "
            f"{dims_text(probe.instances[settled.n][0].dims)})"
        )
        return Verdict.UNDECIDED, message, truth, None

    def _failure(self, probe: Probe, head: Resolved, claim: Resolved, outcomes: dict[str, Outcome]):
        truth = self._truth_text(head)
        direct = outcomes["direct"]
        if direct.difference is None:
            shape_claim = ty.show_shape(claim.node.shape)
            shape_true = ty.show_shape(head.node.shape)
            message = f"false: the right side is {shape_claim} but the left side is {shape_true}"
            return Verdict.FAIL, message, truth, None
        where = self._where(direct.difference)
        hint = f" ({direct.difference.hint})" if direct.difference.hint else ""
        return Verdict.FAIL, f"false{hint}: true value {truth}; {where}", truth, where

    def _where(self, d) -> str:
        at = ", ".join(f"{k}={v}" for k, v in d.dims.items())
        idx = ", ".join(f"{k}={v + 1}" for k, v in d.env.items())  # 1-based, as written
        return (
            f"at {at}{'; ' + idx if idx else ''}{_show_entry(d.entry)}; {d.point} "
            f"(seed {self.config.seed}): claimed {d.claimed}, true {d.true}"
        )

    def _truth_text(self, head: Resolved) -> str:
        """The truth in the model's notation where the checker confirms a form of it;
        otherwise its value at the first dimension set, indices at their first value."""
        if self.readable:
            from verifier.check.readable import readable_truth  # it decides with a Decider

            text = readable_truth(self.probe, self.config, head)
            if text is not None:
                return text
        return _entrywise_text(self.probe, head)


def _layout_open(node: ty.Node, layout: str) -> bool:
    """Whether the other layout may excuse a claim about ``node``: not for a gradient written
    in the variable's shape (`dW`, `\\nabla_W E`), which a course defines with no ambiguity,
    nor for a scalar's gradient in a course whose layout is the variable's shape."""
    while isinstance(node, ty.Transpose | ty.Neg):
        node = node.body
    if not isinstance(node, ty.Deriv):
        return True
    if layout == "variable" and ty.is_scalar(node.num.shape):
        return False
    return node.layout != "variable"


def value_sets(probe: Probe, head: Resolved, claim: Resolved) -> list[int] | str:
    """Instances added for dimensions used as values, or why the claim is undecided."""
    used = dimensions.degrees(claim.node)
    for d, k in dimensions.degrees(head.node).items():
        used[d] = max(used.get(d, 0), k) if dimensions.OTHER not in (k, used.get(d)) else -1
    extra = dimensions.plan(probe.model.dimension_sets, used)
    return extra if isinstance(extra, str) else [probe.extra(dims) for dims in extra]


def _agreement_note(outcome: Outcome, seed: int) -> str:
    return f"agrees at {outcome.points} points over {outcome.shapes} shapes (seed {seed})"


def _smooth_note(probe: Probe) -> str:
    """How an abstract g was checked: opaque in the exact check, an instance per point."""
    keys = [k for k, v in probe.model.table.functions.items() if v == SMOOTH]
    if not keys:
        return ""
    return (
        f" ({', '.join(keys)}: any smooth function — each point evaluates a random instance "
        "a·f(b·u + c) + d·u + k, f being tanh, sin or softplus in turn)"
    )


def _zero_message(zero: str, note: str) -> str:
    return (
        f"the claim divides by {zero}, which is 0 there: it has no value at such inputs, so "
        f"agreement elsewhere settles nothing; {note}"
    )


def _kink_doubt(probe: Probe, head: Resolved, claim: Resolved, sets: list[int]) -> str:
    """Why agreement of a claim not proved exactly proves nothing about a kink: a side of a
    kink of the model no point met, or a kink of the claim's own; "" when there is none."""
    if _one_sided(probe, sets):
        return "a side of a kink of the model no point met; "
    for n in sets:
        for env in probe.envs(n, head.free):
            foreign = _foreign_kink(probe, n, env, head, claim)
            if foreign:
                return (
                    f"the claim has a kink at ${foreign} = 0$, which is not one of the model's: "
                    "the points are not kept around it; "
                )
    return ""


def _foreign_kink(probe: Probe, n: int, env: dict, head: Resolved, claim: Resolved) -> str:
    """A piecewise application of the claim (`\\mathbb{1}(z - 0.01 > 0)`) at dimension set
    ``n`` and index values ``env`` whose argument is none of the model's or the truth's: its
    kink may sit where no point goes (points keep off the model's kinks). Its LaTeX, or ""."""
    value = list(probe.value(n, claim.node, env)[0])
    if not any(e.has(*PIECEWISE) for e in value):
        return ""
    inst = probe.instances[n][0]
    truth = list(probe.value(n, head.node, env)[0])
    model = kinks.arguments(inst) + [a.args[0] for e in truth for a in e.atoms(*PIECEWISE)]
    atoms = sorted({a for e in value for a in e.atoms(*PIECEWISE)}, key=sp.default_sort_key)
    # an argument that is one of the model's as written needs no more (the common case)
    unknown = [a for a in atoms if not any(_same_kink(a.args[0], f) for f in model)]
    # else under each case of the assumptions (t = e_k for a one-hot t), as the proof takes
    # them: `1(s_j + 1 > s_y)` at the hot y is the model's `s_j - t^T s + 1 > 0` there
    for case in assumption_cases(inst) if unknown else ():
        known = [sp.expand(f.xreplace(case)) for f in model]
        for entry in value:  # whole entries: a case may cancel an atom (t_y = 0 beside it)
            for piece in entry.xreplace(case).atoms(*PIECEWISE):
                if not any(_same_kink(sp.expand(piece.args[0]), f) for f in known):
                    return printing.latex(piece.args[0], inst.names)
    return ""


@functools.lru_cache(maxsize=65536)
def _same_kink(g: sp.Expr, f: sp.Expr) -> bool:
    """Whether g = 0 where f = 0: g is f times a nonzero number (`-z` beside `z`). Two
    arguments of different symbols are taken as different without cancelling (the cautious
    side: a kink wrongly taken as the claim's own leaves the claim undecided, never passed)."""
    if g == f:
        return True
    if f == 0 or g.free_symbols != f.free_symbols:
        return False
    ratio = sp.cancel(g / f)
    return bool(ratio.is_number and ratio != 0)


def _one_sided(probe: Probe, sets: list[int]) -> bool:
    return any(probe.instances[n][2].one_sided for n in sets)


def _kink_note(probe: Probe, sets: list[int]) -> str:
    """Where the points were kept off the kinks of ReLU, and any side no point reached."""
    pointsets = [probe.instances[n][2] for n in sets]
    if not any(p.kinks for p in pointsets):
        return ""
    one_sided = sorted({a for p in pointsets for a in p.one_sided})
    sides = (
        f"; no point reached one side of ${'$, $'.join(one_sided)}$"
        if one_sided
        else ", each side of each met at every dimension set"
    )
    return f" (points kept at least 2^-6 from the kink of every piecewise argument of the model{sides})"


def dims_text(dims: dict[str, int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in dims.items())


CONDITIONED = "conditioned"  # a residual not taken: the claim holds only where its condition does


def _on_values(head: Resolved) -> bool:
    return bool(getattr(head.free, "by_value", None))


def _residual_note(status: str, probe: Probe, sets: list[int]) -> str:
    if status == CONDITIONED:
        return (
            "checked at the points where the condition holds (no exact proof: it would ignore it)"
        )
    if status == residual.ZERO:
        where = "; ".join(dims_text(probe.instances[n][0].dims) for n in sets)
        return f"proved exactly at {where} (the residual claim − truth is 0)"
    return "not proved (the residual check did not settle it within its work budget)"


def _show_entry(entry: tuple[int, ...]) -> str:
    """1-based; nothing for a scalar, one index for a vector."""
    if not entry:
        return ""
    if len(entry) == 1:
        return f"; entry {entry[0] + 1}"
    return f"; entry ({', '.join(str(i + 1) for i in entry)})"


def _entrywise_text(probe: Probe, head: Resolved) -> str:
    """The true value at the first dimension set, indices at their first value, in LaTeX."""
    envs = probe.envs(0, head.free)  # where the claim's condition holds, if it has one
    return probe.truth_latex(head.node, envs[0] if envs else {i: 0 for i in head.free})
