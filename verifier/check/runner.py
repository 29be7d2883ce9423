"""A document's claims → step results, each claim under a wall-clock, CPU and memory bound.

The claims run in a child process forked after the imports (and after the models are built,
so it inherits them). The child reports each result as it is decided; the parent keeps the
clock. A claim over its limit is ``undecided``, its child is killed, and a fresh child goes on
with the next claim, so the rest of the file is still checked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import util

from verifier.check.checker import Checker
from verifier.check.claims import Chain, Unreadable, chains_of
from verifier.check.prove import Proofs, annotate
from verifier.check.steps import fold_undeclared
from verifier.check.verdicts import ClaimResult, StepResult, Verdict
from verifier.check.workers import fork_context, limit_resources, start_child, stop
from verifier.limits import Limits, deep_recursion
from verifier.source.document import Document

Key = tuple[int, int]  # (unit, claim within the unit)


@dataclass(frozen=True)
class Unit:
    """One chain (or one unreadable span) of one step."""

    step: int
    step_id: str | None
    item: Chain | Unreadable

    @property
    def claims(self) -> int:
        return 1 if isinstance(self.item, Unreadable) else len(self.item.rest)


def plan(checker: Checker, doc: Document, limits: Limits) -> list[Unit]:
    return [
        Unit(n, step.id, item)
        for n, step in enumerate(doc.steps)
        for item in chains_of(doc, step.spans, limits, checker.is_symbol(step.id))
    ]


def run_units(
    checker: Checker, doc: Document, units: list[Unit], start: Key, emit: Callable
) -> None:
    """Check from ``start`` on, emitting ("result", i, k, claim) and finally ("proofs", ...)."""
    checker._proofs = Proofs(checker.config)
    for i in range(start[0], len(units)):
        unit = units[i]
        skip = start[1] if i == start[0] else 0
        for k, result in checker.iter_item(doc, unit.step_id, unit.item, skip):
            emit(("result", i, k, result))
    proofs, checker._proofs = checker._proofs, None
    emit(("proofs", proofs.finish()))


def check_document(checker: Checker, doc: Document) -> list[StepResult]:
    with deep_recursion(checker.config.limits):
        return _check_document(checker, doc)


def _check_document(checker: Checker, doc: Document) -> list[StepResult]:
    doc = fold_undeclared(doc, checker.assignment)
    units = plan(checker, doc, checker.config.limits)
    results: dict[Key, ClaimResult] = {}
    proofs: dict = {}
    config = checker.config
    if config.isolate and fork_context() is not None:
        if checker.isolation is None:
            checker.warm(_models(checker, units))  # inherited by the worker forked next
            checker.isolation = Isolation(checker)
        _Supervisor(checker, doc, units, results, proofs).run()
    else:
        run_units(checker, doc, units, (0, 0), lambda m: _collect(m, results, proofs))
    return _assemble(doc, units, results, proofs)


def _models(checker: Checker, units: list[Unit]) -> list[str]:
    steps = [checker.assignment.step(u.step_id) for u in units]
    names = {s.model for s in steps if s is not None}
    if any(s is None for s in steps):
        names |= set(checker.assignment.models)  # unlabelled claims may go to any model
    return sorted(names)


def _collect(message, results: dict, proofs: dict) -> None:
    if message[0] == "result":
        _, i, k, claim = message
        results[(i, k)] = claim
    elif message[0] == "proofs":
        proofs.update(message[1])


def _serve(conn, checker: Checker) -> None:
    """The long-lived checking process: one document after another, until told to stop."""
    while (request := conn.recv()) is not None:
        doc, units, start = request
        limits = checker.config.limits
        limit_resources(limits.file_seconds, limits.memory_mb)  # for this document
        run_units(checker, doc, units, start, conn.send)
        conn.send(("end",))


class Isolation:
    """A checking process forked after the imports and kept for the next document; it is
    replaced only when it had to be killed. Its caches (the truth of every head it has met)
    live as long as it does."""

    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        self.proc = None
        self.conn = None
        # Run before multiprocessing joins its children at exit (a pool worker runs no atexit
        # handlers, and would otherwise wait for this non-daemon child for ever).
        util.Finalize(self, self.kill, exitpriority=10)

    def send(self, request):
        if self.proc is None or not self.proc.is_alive():
            self.kill()
            # not a daemon: it forks its own proof worker
            self.proc, self.conn = start_child(_serve, self.checker, daemon=False)
        self.conn.send(request)
        return self.conn

    def kill(self) -> None:
        stop(self.proc)
        if self.conn is not None:
            self.conn.close()
        self.proc = self.conn = None


class _Supervisor:
    """Parent side: starts children, keeps the clock, kills and restarts."""

    def __init__(self, checker, doc, units, results, proofs) -> None:
        self.checker, self.doc, self.units = checker, doc, units
        self.results, self.proofs = results, proofs
        self.order = [(i, k) for i, u in enumerate(units) for k in range(u.claims)]
        self.file_deadline = time.monotonic() + checker.config.limits.file_seconds

    def run(self) -> None:
        position = 0
        while position < len(self.order):
            position = self._one_child(position)

    def _next(self) -> int:
        return next(
            (n for n, key in enumerate(self.order) if key not in self.results), len(self.order)
        )

    def _one_child(self, position: int) -> int:
        """Check from ``position`` in the worker; the position to go on from (or the end)."""
        config = self.checker.config
        isolation = self.checker.isolation
        try:
            conn = isolation.send((self.doc, self.units, self.order[position]))
        except (OSError, EOFError):
            isolation.kill()
            return self._died(self._next())
        started = time.monotonic()
        while True:
            now = time.monotonic()
            wait = min(config.limits.claim_seconds - (now - started), self.file_deadline - now)
            if wait > 0 and conn.poll(wait):
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    isolation.kill()
                    return self._died(self._next())
                if message[0] == "end":
                    return len(self.order)
                _collect(message, self.results, self.proofs)
                started = time.monotonic()
                continue
            isolation.kill()  # over time: the worker is replaced for what is left
            if time.monotonic() >= self.file_deadline:
                return self._out_of_file_time()
            return self._timed_out(self._next())

    def _timed_out(self, position: int) -> int:
        if position >= len(self.order):  # only the proofs were left: they are not verdicts
            return position
        limit = self.checker.config.limits.claim_seconds
        self._undecided(position, f"time limit: not decided within {limit:g} s")
        return position + 1

    def _died(self, position: int) -> int:
        if position >= len(self.order):
            return position
        mb = self.checker.config.limits.memory_mb
        self._undecided(position, f"the checking process died (memory limit of {mb} MB?)")
        return position + 1

    def _out_of_file_time(self) -> int:
        limit = self.checker.config.limits.file_seconds
        for position in range(self._next(), len(self.order)):
            if self.order[position] not in self.results:
                self._undecided(position, f"file time limit of {limit:g} s reached first")
        return len(self.order)

    def _undecided(self, position: int, message: str) -> None:
        i, k = self.order[position]
        line, col, source = _where(self.doc, self.units[i], k)
        self.results[(i, k)] = ClaimResult(line, col, source, Verdict.UNDECIDED, message)


def _where(doc: Document, unit: Unit, k: int) -> tuple[int, int, str]:
    item = unit.item
    if isinstance(item, Unreadable):
        return (*doc.location(item.offset), item.source)
    part = item.rest[k]
    return (*doc.location(part.offset), f"{item.head.source} {part.rel} {part.source}")


def _assemble(doc: Document, units: list[Unit], results: dict, proofs: dict) -> list[StepResult]:
    by_step: dict[int, list[ClaimResult]] = {}
    for i, unit in enumerate(units):
        for k in range(unit.claims):
            claim = results[(i, k)]
            key = (claim.line, claim.column)
            if key in proofs and claim.verdict in (Verdict.PASS, Verdict.WARN):
                claim = annotate(claim, *proofs[key])
            by_step.setdefault(unit.step, []).append(claim)
    return [
        StepResult(doc.steps[n].id or f"(unlabelled {n})", tuple(claims))
        for n, claims in sorted(by_step.items())
    ]
