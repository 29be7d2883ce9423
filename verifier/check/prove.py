"""Symbolic proof under a time budget, in a worker process that can be killed.

SymPy cannot be interrupted inside a thread, and SIGALRM only works in the main thread, so the
proofs run in a child process forked after the imports (no 0.45 s start-up per claim). A job
that overruns its budget gets its worker killed; the next job forks a fresh one. Proofs only
upgrade a note ("proved symbolically"): a verdict never depends on how fast the machine is.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace

import sympy as sp

from verifier.check.workers import fork_context, limit_resources, start_child, stop

PROVED, DISPROVED, UNKNOWN, TIMEOUT, TOO_LARGE = (
    "proved",
    "disproved",
    "unknown",
    "timeout",
    "too large",
)
MAX_NODES = 3000  # larger differences would not simplify within a small budget: not attempted


@dataclass(frozen=True)
class Job:
    key: object
    exprs: tuple[sp.Expr, ...]  # differences claim - truth, in node symbols
    cases: tuple[dict, ...]  # substitutions for assumptions (one-hot t: one case per hot index)
    definitions: dict  # node symbol -> its definition, to reach the leaves


def to_leaves(expr: sp.Expr, definitions: dict) -> sp.Expr:
    while hit := expr.free_symbols & definitions.keys():
        expr = expr.xreplace({s: definitions[s] for s in hit})
    return expr


def leaf_size(expr: sp.Expr, definitions: dict, memo: dict) -> int:
    """Tree size once every node symbol is replaced by its definition, without building it."""
    if expr in memo:
        return memo[expr]
    if expr.is_Symbol and expr in definitions:
        size = leaf_size(definitions[expr], definitions, memo)
    else:
        size = 1 + sum(leaf_size(a, definitions, memo) for a in expr.args)
    memo[expr] = size
    return size


def decide(job: Job) -> str:
    """Every difference simplifies to 0 in every case: proved; a nonzero number: disproved.

    Runs in the worker: reaching the leaves is itself costly for the large derivatives."""
    memo: dict = {}
    if sum(leaf_size(e, job.definitions, memo) for e in job.exprs) > MAX_NODES:
        return TOO_LARGE
    exprs = [to_leaves(e, job.definitions) for e in job.exprs]
    for expr in exprs:
        for case in job.cases:
            e = expr.xreplace(case).doit()
            if e == 0:
                continue
            e = sp.simplify(e)
            if e == 0:
                continue
            return DISPROVED if e.is_number else UNKNOWN
    return PROVED


def _serve(conn, cpu_seconds: float) -> None:
    limit_resources(cpu_seconds, None)
    while True:
        job = conn.recv()
        if job is None:
            return
        conn.send(decide(job))


class ProofWorker:
    """Runs jobs one at a time in a child process; a job over budget kills the child."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.results: dict[object, str] = {}
        self._jobs: list[Job] = []
        self._lock = threading.Condition()
        self._closed = False
        self._stopped = False
        self._ctx = fork_context()
        self._proc = None
        self._conn = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> None:
        with self._lock:
            self._jobs.append(job)
            self._lock.notify()

    def wait(self, seconds: float) -> dict[object, str]:
        """Wait at most ``seconds`` for the queue to drain, then stop the worker."""
        deadline = time.monotonic() + seconds
        with self._lock:
            self._closed = True
            self._lock.notify()
        self._thread.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            self._stopped = True
            self._jobs.clear()
        self._kill()
        return dict(self.results)

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._jobs and not self._closed:
                    self._lock.wait()
                if not self._jobs or self._stopped:
                    return
                job = self._jobs.pop(0)
            try:
                self.results[job.key] = self._attempt(job)
            except Exception as exc:  # a failed proof attempt only leaves the note as it was
                self.results[job.key] = f"{UNKNOWN} ({type(exc).__name__})"

    def _attempt(self, job: Job) -> str:
        if self._ctx is None:
            return UNKNOWN
        with self._lock:
            if self._stopped:  # wait() is over: no new process may start after it
                return TIMEOUT
            if self._conn is None:
                self._start()
            conn = self._conn
        try:
            conn.send(job)
            if conn.poll(self.budget):
                return conn.recv()
        except (EOFError, OSError):  # the worker was killed under us by wait()
            pass
        self._kill()
        return TIMEOUT

    def _start(self) -> None:
        # The CPU cap outlives a parent killed mid-proof: an orphan cannot run on forever.
        self._proc, self._conn = start_child(_serve, 60.0)

    def _kill(self) -> None:
        stop(self._proc)
        self._proc = self._conn = None


class Proofs:
    """The proofs of one document: trivial ones at once, the rest in the worker."""

    def __init__(self, config) -> None:
        self.config = config
        self.status: dict[object, str] = {}
        self.where: dict[object, str] = {}
        self._worker: ProofWorker | None = None

    def submit(self, job: Job | None, key, dims: str) -> None:
        if not self.config.prove or job is None:
            return
        self.where[key] = dims
        if all(e == 0 for e in job.exprs):
            self.status[key] = PROVED
            return
        if self._worker is None:
            self._worker = ProofWorker(self.config.proof_seconds)
        self._worker.submit(job)

    def finish(self) -> dict[object, tuple[str, str]]:
        """Wait out the budget; the status and dimension set of every submitted proof."""
        if self._worker is not None:
            self.status = {**self._worker.wait(self.config.proof_wait), **self.status}
        return {k: (self.status.get(k, "not attempted"), w) for k, w in self.where.items()}


def annotate(claim, status: str, where: str):
    """The claim with its proof outcome. Only a note: whether a proof finishes within its
    time budget depends on the machine, so it never changes a verdict (a disagreement the
    deterministic residual check can see is decided there, see ``residual``)."""
    if status == PROVED and "proved exactly" not in claim.message:
        note = f"proved symbolically at {where}"
        return replace(claim, message=f"{claim.message}; {note}", proof=status)
    return replace(claim, proof=claim.proof or status)
