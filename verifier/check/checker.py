"""Claims → verdicts: numeric probing decides; a symbolic proof, when quick, upgrades the note."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.check.claims import Chain, Part, Unreadable
from verifier.check.compare import ARRANGEMENTS, Config, Outcome, Probe, compare, proof_job
from verifier.check.prove import Proofs
from verifier.check.verdicts import ClaimResult, Verdict
from verifier.errors import AssignmentError, NotationError
from verifier.limits import DEFAULT_LIMITS, Limits
from verifier.models.assignment import Assignment
from verifier.models.model import Model, build_model, key_of
from verifier.models.symbols import Lenient, SymbolTable
from verifier.parse import typed as ty
from verifier.parse.parser import parse_math
from verifier.parse.resolve import ANY_RANGE, Resolver
from verifier.parse.show import show
from verifier.source.document import Document


@dataclass
class Resolved:
    node: ty.Node
    free: dict[str, ty.Dim]
    readings: list[str]


class Checker:
    """Checks documents against one assignment; models and probes are built once and reused."""

    def __init__(self, assignment: Assignment, config: Config) -> None:
        self.assignment = assignment
        self.config = config
        self._models: dict[str, Model] = {}
        self._probes: dict[str, Probe] = {}
        self._proofs: Proofs | None = None
        self.isolation = None  # the checking worker process (verifier.check.runner.Isolation)
        self.current_doc: bytes | None = None  # the pickled document a replacement inherits
        self._targets: dict[str, list[tuple[str, Resolved]]] = {}

    def model(self, name: str) -> Model:
        if name not in self._models:
            self._models[name] = build_model(self.assignment, name)
        return self._models[name]

    def probe(self, name: str) -> Probe:
        if name not in self._probes:
            self._probes[name] = Probe(self.model(name), self.config)
        return self._probes[name]

    def warm(self, names: list[str]) -> None:
        """Build models, points and the truth of every step target now, so that forked
        children inherit them instead of deriving them again for every submission."""
        for name in names:
            probe = self.probe(name)
            for step in self.assignment.steps:
                if step.model != name:
                    continue
                for _, target in self.targets(step.id):
                    for n in range(len(probe.instances)):
                        for env in probe.envs(n, target.free):
                            probe.value(n, target.node, env)
                            probe.mp_value(n, target.node, env, 0)

    def targets(self, step_id: str) -> list[tuple[str, Resolved]]:
        """The step's targets (LaTeX, resolved) from the assignment; they are trusted input."""
        if step_id not in self._targets:
            table = self._table(self.assignment.step(step_id).model, step_id)
            found = []
            for text in self.assignment.step(step_id).targets:
                try:
                    (piece,) = parse_math(text).pieces
                    found.append((text, _resolve(table, Part(piece.exprs[0], 0, text))))
                except (NotationError, ValueError):
                    raise AssignmentError(
                        f"step {step_id}: target `{text}` cannot be read"
                    ) from None
            self._targets[step_id] = found
        return self._targets[step_id]

    def iter_item(self, doc: Document, step_id: str | None, item, skip: int = 0):
        """``(k, result)`` for the claims of one chain (or one unreadable span), from ``skip``."""
        if isinstance(item, Unreadable):
            line, col = doc.location(item.offset)
            yield 0, ClaimResult(line, col, item.source, Verdict.ERROR, item.message)
            return
        yield from self.check_chain(doc, step_id, item, skip)

    # --- one chain -----------------------------------------------------------------------
    def _table(self, model: str, step_id: str | None) -> SymbolTable:
        table = self.model(model).table
        step = self.assignment.step(step_id)
        if step and step.lenient:
            extra = {key_of(k)[0]: Lenient(key_of(v)[0]) for k, v in step.lenient.items()}
            table = table.with_lenient(extra)
        return table

    def _pick_model(self, chain: Chain, step_id: str | None) -> str | NotationError:
        step = self.assignment.step(step_id)
        if step is not None:
            return step.model
        fits, why = [], []
        for name in self.assignment.models:
            try:
                for part in [chain.head, *chain.rest]:
                    Resolver(self.model(name).table, self.config.limits.max_depth).resolve(part.raw)
                fits.append(name)
            except NotationError as exc:
                why.append(f"{name}: {exc.message}")
        if len(fits) == 1:
            return fits[0]
        if fits:
            names = ", ".join(fits)
            return NotationError(f"this claim fits several models ({names}); label its step", 0)
        # Say why each model refused it: the reason is usually a notation error, not the label.
        return NotationError(f"this claim fits no model ({'; '.join(why)})", 0)

    def check_chain(self, doc: Document, step_id: str | None, chain: Chain, skip: int = 0):
        """``(k, result)`` for each right-hand side of the chain, each as soon as it is decided."""
        model = self._pick_model(chain, step_id)
        if isinstance(model, NotationError):
            yield from ((k, self._error(doc, p, model, p)) for k, p in enumerate(chain.rest))
            return
        table = self._table(model, step_id)
        try:
            head = _resolve(table, chain.head, self.config.limits)
        except NotationError as exc:
            for k, p in enumerate(chain.rest):
                yield k, self._error(doc, p, exc, chain.head, model)
            return
        previous_false = False
        for k, part in enumerate(chain.rest):
            if k < skip:
                continue
            result = self._claim(doc, table, model, head, chain.head, part)
            if previous_false and result.verdict in (Verdict.PASS, Verdict.WARN):
                result = _with_note(result, "true, although the line before it is false")
            previous_false = result.verdict is Verdict.FAIL
            yield k, result

    def _claim(
        self, doc, table, model: str, head: Resolved, head_part: Part, part: Part
    ) -> ClaimResult:
        line, col = doc.location(part.offset)
        source = f"{head_part.source} = {part.source}"
        try:
            claim = _resolve(table, part, self.config.limits)
        except NotationError as exc:
            return self._error(doc, part, exc, part, model)
        claim = _size_identity(claim, head.node.shape)
        # A right side may omit an index it does not depend on (`= x_v`), never add one.
        if not set(claim.free) <= set(head.free) or any(
            claim.free[i] not in (head.free[i], ANY_RANGE) for i in claim.free
        ):
            message = (
                f"free indices differ: the left side has {_indices(head.free)}, "
                f"the right side {_indices(claim.free)}"
            )
            return ClaimResult(line, col, source, Verdict.ERROR, message, model=model)
        try:
            verdict, message, truth, where = self._decide(model, head, claim)
            if verdict in (Verdict.PASS, Verdict.WARN):
                self._prove(model, head, claim, message, (line, col))
        except NotationError as exc:
            return self._error(doc, part, exc, part, model)
        except MemoryError:
            verdict, message, truth, where = Verdict.UNDECIDED, "memory limit reached", None, None
        except OverflowError:
            message = "values too large to evaluate, even at high precision"
            verdict, truth, where = Verdict.UNDECIDED, None, None
        except RecursionError:  # SymPy's own values nest as deep as a long chain of products
            message = "the value is nested too deeply to evaluate (a very long product?)"
            verdict, truth, where = Verdict.UNDECIDED, None, None
        except Exception as exc:  # a bug of ours is never a verdict on the student
            verdict, message, truth, where = (
                Verdict.UNDECIDED,
                f"internal error while checking: {type(exc).__name__}: {exc}",
                None,
                None,
            )
        return ClaimResult(
            line,
            col,
            source,
            verdict,
            message,
            truth,
            where,
            model,
            display=f"{show(head_part.raw)} = {show(part.raw)}",
            head=ty.canonical(head.node),
            closed_form=not ty.has_derivative(claim.node),
        )

    def _decide(self, model: str, head: Resolved, claim: Resolved):
        probe = self.probe(model)
        readings = list(dict.fromkeys(head.readings + claim.readings))
        outcomes: dict[str, Outcome] = {}
        for how in ARRANGEMENTS:
            outcome = compare(probe, head.node, claim.node, head.free, how)
            outcomes[how] = outcome
            if outcome.agree is None and outcome.reason != "shape":
                return Verdict.UNDECIDED, outcome.reason, None, None
            if outcome.agree:
                note = _agreement_note(outcome, self.config.seed)
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

    def _prove(self, model: str, head: Resolved, claim: Resolved, message: str, key) -> None:
        if self._proofs is None:
            return
        how = (
            "transpose"
            if "other layout" in message
            else "diag"
            if "diagonal" in message
            else "direct"
        )
        job = proof_job(self.probe(model), head.node, claim.node, head.free, how, key)
        dims = ", ".join(f"{k}={v}" for k, v in self.model(model).dimension_sets[0].items())
        self._proofs.submit(job, key, dims)

    def _failure(self, probe: Probe, head: Resolved, claim: Resolved, outcomes: dict[str, Outcome]):
        truth = _truth_text(probe, head)
        direct = outcomes["direct"]
        if direct.difference is None:
            shape_claim = ty.show_shape(claim.node.shape)
            shape_true = ty.show_shape(head.node.shape)
            message = f"false: the right side is {shape_claim} but the left side is {shape_true}"
            return Verdict.FAIL, message, truth, None
        d = direct.difference
        at = ", ".join(f"{k}={v}" for k, v in d.dims.items())
        idx = ", ".join(f"{k}={v + 1}" for k, v in d.env.items())
        entry = f" entry {tuple(i + 1 for i in d.entry)}" if d.entry else ""
        where = (
            f"at {at}{'; ' + idx if idx else ''}{entry} (seed {self.config.seed}): "
            f"claimed {d.claimed}, true {d.true}"
        )
        hint = f" ({d.hint})" if d.hint else ""
        return Verdict.FAIL, f"false{hint}: true value {truth}; {where}", truth, where

    def _error(self, doc, part: Part, exc: NotationError, at: Part, model: str | None = None):
        offset = (
            at.offset + max(0, (exc.pos or 0) - at.raw.pos) if exc.pos is not None else at.offset
        )
        line, col = doc.location(part.offset)
        eline, ecol = doc.location(offset)
        where = " (in the left-hand side)" if at is not part else ""
        return ClaimResult(
            line,
            col,
            part.source,
            Verdict.ERROR,
            exc.message + where,
            model=model,
            error_at=(eline, ecol),
        )


def _resolve(table: SymbolTable, part: Part, limits: Limits = DEFAULT_LIMITS) -> Resolved:
    resolver = Resolver(table, limits.max_depth)
    node = resolver.resolve(part.raw)
    return Resolved(node, dict(resolver.free_indices), resolver.readings)


def _size_identity(side: Resolved, other: ty.Shape) -> Resolved:
    """A bare `I` on one side of `=` takes its size from the other side (∂z/∂z = I)."""
    node = side.node
    if isinstance(node, ty.Identity) and len(other) == 2 and other[0] == other[1]:
        return Resolved(ty.Identity(node.pos, other), side.free, side.readings)
    return side


def _indices(free: dict[str, ty.Dim]) -> str:
    return ", ".join(f"{i} running over {free[i]}" for i in sorted(free)) if free else "none"


def _agreement_note(outcome: Outcome, seed: int) -> str:
    return f"agrees at {outcome.points} points over {outcome.shapes} shapes (seed {seed})"


def _with_note(result: ClaimResult, note: str) -> ClaimResult:
    from dataclasses import replace

    return replace(result, message=f"{result.message}; {note}")


def _truth_text(probe: Probe, head: Resolved) -> str:
    """The true value at the first dimension set, indices at their first value, in LaTeX."""
    return probe.truth_latex(head.node, {i: 0 for i in head.free})
