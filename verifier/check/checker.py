"""Claims → verdicts: reading each chain, then deciding each claim (``decide``); a timed symbolic
proof, when quick, only upgrades the note."""

from __future__ import annotations

import contextlib
from dataclasses import replace

from verifier.check import depth
from verifier.check.claims import Chain, Part, Unreadable
from verifier.check.compare import Config, Indices, Probe, proof_job
from verifier.check.decide import Decider, Resolved, dims_text, value_sets
from verifier.check.definitions import defined_name
from verifier.check.hot import at_hot, hot_condition
from verifier.check.prove import Proofs
from verifier.check.statements import statement
from verifier.check.verdicts import ClaimResult, Verdict
from verifier.errors import AssignmentError, NotationError
from verifier.limits import DEFAULT_LIMITS, Limits
from verifier.models.assignment import Assignment
from verifier.models.declare import lenient_spellings
from verifier.models.derived import with_node
from verifier.models.model import Model, build_model
from verifier.models.refuse import shown
from verifier.notation import SymbolTable
from verifier.parse import typed as ty
from verifier.parse.parser import parse_math, parse_member
from verifier.parse.resolve import ANY_RANGE, Resolver
from verifier.parse.show import show
from verifier.source.document import Document


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
        # names the document being checked defined so far (per model), and where to say so
        self.locals: dict[str, dict[str, object]] = {}
        self.emit = None

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

    def target_keys(self, step_id: str) -> list[tuple[str, str]]:
        """(LaTeX, canonical form) of each target of a step, as claims' heads are keyed."""
        step = self.assignment.step(step_id)
        if step.model in self.assignment.depths:
            return depth.target_keys(self, step_id, step.model)
        return [(text, ty.head_key(r.node, r.free)) for text, r in self.targets(step_id)]

    def targets(self, step_id: str) -> list[tuple[str, Resolved]]:
        """The step's targets (LaTeX, resolved) from the assignment; they are trusted input.
        None for a step of a model with a layer index (its targets are keyed by
        :meth:`target_keys`, one per depth and layer)."""
        if step_id not in self._targets:
            step = self.assignment.step(step_id)
            if step.model in self.assignment.depths:
                return []
            table = self.table(step.model, step_id)
            found = []
            for text in step.targets:
                with self._about(step_id, f"target {shown(text)}"):
                    found.append((text, _target(table, text)))
            self._targets[step_id] = found
        return self._targets[step_id]

    def validate(self) -> None:
        """Everything the assignment declares, checked before any submission is: each model
        built and evaluated at each of its dimension sets, each step's spellings and targets
        read. A fault is one AssignmentError line (exit 2), never a claim's internal error."""
        for name in self.assignment.models:
            self.probe(name).instances  # noqa: B018 (builds and evaluates every instance)
        for step in self.assignment.steps:
            self.target_keys(step.id)

    @contextlib.contextmanager
    def _about(self, step_id: str, where: str):
        try:
            yield
        except NotationError as exc:
            raise AssignmentError(
                f"{self.assignment.path}: step {step_id}, {where}: {exc.message}"
            ) from None

    def is_symbol(self, step_id: str | None):
        """Whether a one-letter name is a symbol of the step's model (of any model when the
        step is unlabelled), as opposed to an index letter."""
        step = self.assignment.step(step_id)
        models = self.assignment.concrete(step.model) if step else list(self.assignment.models)
        tables = [self.model(m).table for m in models]
        return lambda word: any(table.names_word(word) for table in tables)

    def iter_item(self, doc: Document, step_id: str | None, item, skip: int = 0):
        """``(k, result)`` for the claims of one chain (or one unreadable span), from ``skip``."""
        if isinstance(item, Unreadable):
            line, col = doc.location(item.offset)
            yield 0, ClaimResult(line, col, item.source, Verdict.ERROR, item.message)
            return
        yield from self.check_chain(doc, step_id, item, skip)

    # --- one chain -----------------------------------------------------------------------
    def table(self, model: str, step_id: str | None) -> SymbolTable:
        """The symbol table a step reads with: its model's, plus the step's own spellings and
        the names the document defined so far."""
        table = self.model(model).table.with_locals(self.locals.get(model, {}))
        step = self.assignment.step(step_id)
        if step and step.lenient:
            with self._about(step.id, "lenient"):
                table = table.with_lenient(lenient_spellings(table, step.lenient))
        return table

    def unread(self, doc, chain: Chain, model: str, step_id: str | None) -> NotationError | None:
        """Why ``chain`` cannot be read in ``model`` (as step ``step_id`` reads), or None. The
        head of a definition is a new name: not read."""
        table = self.table(model, step_id)
        defines = defined_name(doc, table, chain) is not None
        try:
            for part in [chain.head, *chain.rest][defines:]:
                if part.raw is not None:
                    Resolver(table, self.config.limits.max_depth).resolve(part.raw)
        except NotationError as exc:
            return exc
        return None

    def _pick_model(self, doc, chain: Chain, step_id: str | None) -> str | NotationError:
        step = self.assignment.step(step_id)
        if step is not None:
            return step.model
        fits, why = [], []
        for name in self.assignment.top_models():
            problem = (
                depth.unread(self, doc, chain, name, step_id)
                if name in self.assignment.depths
                else self.unread(doc, chain, name, step_id)
            )
            if problem is None:
                fits.append(name)
            else:
                why.append(f"{name}: {problem.message}")
        if len(fits) == 1:
            return fits[0]
        if fits:
            names = ", ".join(fits)
            return NotationError(f"this claim fits several models ({names}); label its step", 0)
        # Say why each model refused it: the reason is usually a notation error, not the label.
        return NotationError(f"this claim fits no model ({'; '.join(why)})", 0)

    def check_chain(self, doc: Document, step_id: str | None, chain: Chain, skip: int = 0):
        """``(k, result)`` for each right-hand side of the chain, each as soon as it is decided."""
        model = self._pick_model(doc, chain, step_id)
        if isinstance(model, NotationError):
            yield from (
                (k, self._error(doc, p, model.message, p.offset)) for k, p in enumerate(chain.rest)
            )
            return
        if model in self.assignment.depths:  # a claim about a generic layer
            yield from depth.check_chain(self, doc, step_id, chain, skip, model)
            return
        yield from self.check_in(doc, step_id, chain, skip, model)

    def check_in(self, doc: Document, step_id: str | None, chain: Chain, skip: int, model: str):
        """As :meth:`check_chain`, in the concrete model ``model``."""
        table = self.table(model, step_id)
        key = defined_name(doc, table, chain)
        if key is not None:
            yield from self._define(doc, model, table, key, chain, skip)
            return
        try:
            head = _resolve(table, chain.head, self.config.limits)
        except NotationError as exc:
            for k, p in enumerate(chain.rest):
                yield k, self._head_error(doc, chain.head, p, exc, model)
            return
        # `t_j = 1 = 0` claims 1 = 0: a statement about the setting has one value
        one_value = len({" ".join(p.source.split()) for p in chain.rest}) == 1
        previous_false = False
        for k, part in enumerate(chain.rest):
            if k < skip:
                continue
            result = self._claim(doc, table, model, head, chain.head, part, one_value)
            if previous_false and result.verdict in (Verdict.PASS, Verdict.WARN):
                result = _with_note(result, "true, although the line before it is false")
            previous_false = result.verdict is Verdict.FAIL
            yield k, result

    def _define(self, doc, model: str, table, key: str, chain: Chain, skip: int):
        """A name the submission defines: its first right side is what it stands for (a
        note); the rest of the chain is checked against that."""
        body = chain.rest[0]
        line, col = doc.location(body.offset)
        source = f"{chain.head.source} {body.rel} {body.source}"
        try:
            value = _resolve(table, body, self.config.limits)
            value = at_hot(table, value) if table.hot else value  # `\\theta := u_o^T v_c`
        except NotationError as exc:
            message = f"{exc.message} (in the definition of `{chain.head.source}`)"
            for k, p in enumerate(chain.rest):
                yield k, self._error(doc, p, message, _at(body, exc), model, source)
            return
        if value.free:
            message = f"a definition with free indices ({_indices(value.free)}) is not read"
            for k, p in enumerate(chain.rest):
                yield k, self._error(doc, p, message, body.offset, model, source)
            return
        self.locals.setdefault(model, {})[key] = value.node
        if self.emit is not None:
            self.emit(("local", model, key, value.node))
        if skip == 0:
            note = (
                f"defines `{chain.head.source}` (not a name of the model): later claims use it "
                "as this value"
            )
            yield 0, ClaimResult(line, col, source, Verdict.NOTE, note, model=model)
        for k, part in enumerate(chain.rest[1:], 1):
            if k >= skip:
                yield k, self._claim(doc, table, model, value, chain.head, part)

    def _claim(
        self,
        doc,
        table,
        model: str,
        head: Resolved,
        head_part: Part,
        part: Part,
        one_value: bool = True,
    ) -> ClaimResult:
        line, col = doc.location(part.offset)
        source = f"{head_part.source} {part.rel} {part.source}"
        if part.error:
            return self._error(doc, part, part.error, part.error_at, model, source)
        if part.condition:
            return self._error(doc, part, part.condition, part.offset, model, source)
        try:
            claim = _resolve(table, part, self.config.limits)
        except NotationError as exc:
            return self._error(doc, part, exc.message, _at(part, exc), model, source)
        if table.hot:  # `u_o`, o the hot position of a one-hot input: `y_o = 0` is false
            head, claim = at_hot(table, head), at_hot(table, claim)
        # a statement about the setting is one value said plainly, without a condition
        said = one_value and not part.conditions
        note = statement(self.model(model), head.node, claim.node) if said else None
        if note is not None:
            return ClaimResult(line, col, source, Verdict.NOTE, note, model=model)
        claim = _size_identity(claim, head.node.shape)
        if _dot_fits(claim, head.node.shape):
            claim = _resolve(table, part, self.config.limits, dot=True)
            claim = at_hot(table, claim) if table.hot else claim
        conditioned = self._conditioned(model, head, part, table)
        if isinstance(conditioned, ClaimResult):
            return replace(conditioned, line=line, column=col, source=source)
        head = conditioned
        unranged = sorted(i for i, dim in head.free.items() if dim == ANY_RANGE)
        if unranged:  # `\sum_i \delta_{ik} t_i`: k has no values to check the claim at
            message = f"index {', '.join(unranged)} has no range: it is used only in δ"
            return ClaimResult(line, col, source, Verdict.ERROR, message, model=model)
        clash = sorted(claim.implied & set(head.free))
        if clash:  # Einstein's convention summed an index the left side leaves free
            message = (
                f"index {', '.join(clash)} is free on the left but summed on the right (written "
                "in two factors of a product)"
            )
            return ClaimResult(line, col, source, Verdict.ERROR, message, model=model)
        # A right side may omit an index it does not depend on (`= x_v`), never add one.
        if not set(claim.free) <= set(head.free) or any(
            claim.free[i] not in (head.free[i], ANY_RANGE) for i in claim.free
        ):
            message = (
                f"free indices differ: the left side has {_indices(head.free)}, "
                f"the right side {_indices(claim.free)}"
            )
            return ClaimResult(line, col, source, Verdict.ERROR, message, model=model)
        through = self._through_defined(model, table, head, claim)
        if isinstance(through, NotationError):
            return ClaimResult(line, col, source, Verdict.ERROR, through.message, model=model)
        condition = getattr(head.free, "condition", None)  # Indices carry one, a dict none
        try:
            verdict, message, truth, where = Decider(self.probe(through), self.config).decide(
                head, claim
            )
            if condition is not None:  # the report shows where the claim was checked
                message = f"where {condition.text}: {message}"
            if verdict in (Verdict.PASS, Verdict.WARN) and not getattr(head.free, "by_value", None):
                # a condition on values selects points; a proof would ignore it
                self._prove(through, head, claim, message, (line, col))
        except NotationError as exc:
            return self._error(doc, part, exc.message, _at(part, exc), model, source)
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
        names = ty.free_names(head.node, head.free)  # a target written with k for i is stated
        return ClaimResult(
            line,
            col,
            source,
            verdict,
            message,
            truth,
            where,
            model,
            display=f"{show(head_part.raw)} {part.rel} {show(part.raw)}",
            head=ty.canonical(head.node, names),
            closed_form=not ty.has_derivative(claim.node),
            circular=ty.holds(claim.node, head.node),
            proof="proved" if "proved exactly" in message else None,
            condition=condition.renamed(names) if condition is not None else None,
        )

    def _through_defined(
        self, model: str, table, head: Resolved, claim: Resolved
    ) -> str | NotationError:
        """The model a claim is decided in: ``model``, or, for a derivative by a name the
        submission defined (∂J/∂θ, θ := U^T v_c), the model with θ as a node of its own; or
        why there is none."""
        keys = {
            ty.differentiated(n.wrt)
            for side in (head.node, claim.node)
            for n in ty.walk(side)
            if isinstance(n, ty.Deriv)
        } & set(table.locals)
        if not keys:
            return model
        if len(keys) > 1:
            return NotationError("derivatives by two names the submission defined are not read")
        (key,) = keys
        value = table.locals[key]
        name = f"{model}+{key}+{ty.canonical(value)}"
        if name not in self._models:
            derived = with_node(self.model(model), key, value, key)
            if derived is None:
                return NotationError(
                    f"`{key}` is not written as a part of the model's own computation, so a "
                    "derivative by it has no meaning here"
                )
            self._models[name] = replace(derived, name=name)
        return name

    def _conditioned(
        self, model: str, head: Resolved, part: Part, table: SymbolTable
    ) -> Resolved | ClaimResult:
        """The left side with its index values restricted to where the claim's condition holds
        (`\\quad i \\neq j`), its values read (`\\text{if } t_j = 1`); or the claim's result
        when the condition cannot be used."""
        if not part.conditions:
            return head
        (condition,) = part.conditions
        try:
            if condition.zero:  # layers are decided before (check/depth.py); indices count from 1
                raise NotationError("an index is compared with indices and whole numbers from 1")
            condition = hot_condition(table, condition)
            values = _condition_values(table, condition, head.free, self.config.limits)
        except NotationError as exc:
            message = f"{exc.message} (in the condition `{condition.source}`)"
            return ClaimResult(0, 0, "", Verdict.ERROR, message, model=model)
        dims = self.model(model).table.dims  # `i \\le n`: n bounds, it is no index
        missing = sorted(i for i in condition.indices - set(head.free) if i not in dims)
        if missing and condition.alone:  # "For the case $i = j$:" is about other claims
            return head
        if missing:
            message = (
                f"the condition `{condition.source}` is on {', '.join(missing)}, which the left "
                "side does not have"
            )
            return ClaimResult(0, 0, "", Verdict.ERROR, message, model=model)
        free = Indices(head.free, condition, values)
        probe = self.probe(model)
        met = [n for n in range(probe.base) if probe.envs(n, free)]
        if len(met) < 2:  # checked at one shape or none: too little to call it true
            message = (
                f"the condition `{condition.source}` holds at index values of "
                f"{len(met)} of {probe.base} dimension sets: too few to decide"
            )
            return ClaimResult(0, 0, "", Verdict.UNDECIDED, message, model=model)
        return replace(head, free=free)

    def _prove(self, model: str, head: Resolved, claim: Resolved, message: str, key) -> None:
        if self._proofs is None or "proved exactly" in message:  # nothing left to prove
            return
        if value_sets(self.probe(model), head, claim):  # one dimension set proves nothing
            return
        how = (
            "transpose"
            if "other layout" in message
            else "diag"
            if "diagonal" in message
            else "direct"
        )
        job = proof_job(self.probe(model), head.node, claim.node, head.free, how, key)
        self._proofs.submit(job, key, dims_text(self.model(model).dimension_sets[0]))

    def _error(self, doc, part: Part, message: str, at: int, model=None, source=None):
        """An error on the claim ``part``; ``at`` is the file offset of the problem."""
        line, col = doc.location(part.offset)
        return ClaimResult(
            line,
            col,
            source or part.source,
            Verdict.ERROR,
            message,
            model=model,
            error_at=doc.location(at),
        )

    def _head_error(self, doc, head: Part, part: Part, exc: NotationError, model: str):
        """The left-hand side cannot be read: every claim about it says so, showing that side."""
        message = (head.error or exc.message) + " (in the left-hand side)"
        at = head.error_at if head.error else _at(head, exc)
        source = f"{head.source} {part.rel} {part.source}"
        return self._error(doc, part, message, at, model, source)


def _at(part: Part, exc: NotationError) -> int:
    """File offset of a problem the typed pass found in ``part``."""
    if exc.pos is None or part.member is None or part.raw is None:
        return part.offset
    return part.member.at(exc.pos)


def _target(table: SymbolTable, text: str) -> Resolved:
    """A step's target: one left-hand side, read exactly (no reading taken with a warning)."""
    pieces = parse_math(text).pieces
    if len(pieces) != 1 or len(pieces[0].exprs) != 1:
        raise NotationError(
            "a target is one left-hand side, such as `\\frac{\\partial E}{\\partial W}`"
        )
    target = _resolve(table, Part(pieces[0].exprs[0], 0, text))
    if target.readings:
        raise NotationError(f"it reads only with a guess ({target.readings[0]})")
    return target


def _resolve(
    table: SymbolTable, part: Part, limits: Limits = DEFAULT_LIMITS, dot: bool = False
) -> Resolved:
    if part.raw is None:
        raise NotationError(part.error or "cannot read this", None)
    resolver = Resolver(table, limits.max_depth, dot)
    node = resolver.resolve(part.raw)
    implied = frozenset(resolver.implied)
    return Resolved(node, dict(resolver.free_indices), resolver.readings, implied)


def _condition_values(
    table: SymbolTable, condition, free: dict[str, ty.Dim], limits: Limits
) -> dict:
    """Each value a condition compares (`t_j` in `t_j = 1`), read in the model: a scalar on
    the claim's own indices."""
    values = {}
    for value in condition.values:
        resolver = Resolver(table, limits.max_depth)
        node = resolver.resolve(parse_member(value.text))
        if not ty.is_scalar(node.shape):
            raise NotationError(f"`{value.text}` is not a number: only values are compared")
        extra = sorted(set(resolver.free_indices) - set(free))
        if extra:
            raise NotationError(f"`{value.text}` has index {', '.join(extra)}, the claim none")
        if resolver.readings:
            raise NotationError(f"`{value.text}` reads only with a guess ({resolver.readings[0]})")
        values[value] = node
    return values


def _size_identity(side: Resolved, other: ty.Shape) -> Resolved:
    """A bare `I` on one side of `=` takes its size from the other side (∂z/∂z = I)."""
    node = side.node
    if isinstance(node, ty.Identity) and len(other) == 2 and other[0] == other[1]:
        return replace(side, node=ty.Identity(node.pos, other))
    if isinstance(node, ty.Ones) and "?" in node.shape and ty.is_vector(other):
        return replace(side, node=ty.Ones(node.pos, other))
    return side


def _dot_fits(side: Resolved, other: ty.Shape) -> bool:
    """`w \\cdot x + b` beside a scalar: read elementwise the side cannot fit, so it is read
    again with `\\cdot` between two vectors as their dot product (said in the readings)."""
    elementwise = any(r.startswith("`\\cdot` between two") for r in side.readings)
    return elementwise and ty.is_scalar(other) and not ty.is_scalar(side.node.shape)


def _indices(free: dict[str, ty.Dim]) -> str:
    """Each index and its range; an index seen only in δ has none of its own (no `?`)."""
    if not free:
        return "none"
    return ", ".join(
        f"{i} (only in δ, no range of its own)"
        if free[i] == ANY_RANGE
        else f"{i} running over {free[i]}"
        for i in sorted(free)
    )


def _with_note(result: ClaimResult, note: str) -> ClaimResult:
    return replace(result, message=f"{result.message}; {note}")
