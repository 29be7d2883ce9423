"""A submission → step results, all of its work under a wall-clock, CPU and memory bound.

Reading, parsing and checking run in a child process forked after the imports (and after the
models are built, so it inherits them); the parent only keeps the clock. The file's clock starts
before the file is read. The child plans the claims a chunk at a time (``verifier.check.plan``)
and reports each result as it is decided. A claim over its limit is ``undecided``, its child is
killed, and a fresh child, forked from the parent that by then holds the document (packed), goes
on with the next claim: only the chunk it was on is parsed again, and the parsed claims are never
sent between processes.
"""

from __future__ import annotations

import pickle
from multiprocessing import util

from verifier import __version__
from verifier.check.checker import Checker
from verifier.check.plan import Cursor, units_from
from verifier.check.prove import Proofs
from verifier.check.steps import place_steps
from verifier.check.supervise import Progress, Supervisor
from verifier.check.verdicts import FileResult, StepResult
from verifier.check.workers import fork_context, limit_resources, start_child, stop
from verifier.errors import InputError
from verifier.limits import deep_recursion
from verifier.source.document import Document
from verifier.submission import read_submission


def run_units(checker: Checker, doc: Document, cursor: Cursor, emit) -> None:
    """Check from ``cursor`` on, emitting ("units", ...), ("result", i, k, claim) and finally
    ("proofs", ...)."""
    checker._proofs = Proofs(checker.config)
    if cursor == Cursor():  # a new document: no name of a submission is defined yet
        checker.locals = {}
    checker.emit = emit
    try:
        limits = checker.config.limits
        for i, skip, unit in units_from(doc, cursor, limits, emit, checker.is_symbol):
            for k, result in checker.iter_item(doc, unit.step_id, unit.item, skip):
                emit(("result", i, k, result))
        proofs = checker._proofs.finish()
    finally:
        checker._proofs = None
    emit(("proofs", proofs))


def check_document(checker: Checker, doc: Document) -> list[StepResult]:
    """The step results of a document already read (the Python API)."""
    doc = place_steps(doc, checker)
    with deep_recursion(checker.config.limits):
        progress = Progress(doc.path, checker.config.limits)
        progress.keep(doc)
        _check(checker, progress, ("check", doc), doc)
        return progress.assemble()


def check_path(checker: Checker, path: str) -> FileResult | InputError:
    """Read and check one submission; an unusable one is its InputError, never an exception."""
    with deep_recursion(checker.config.limits):
        progress = Progress(path, checker.config.limits)
        doc = None
        if not _isolated(checker):
            try:
                doc = _read(checker, path)
            except InputError as exc:
                return exc
            progress.keep(doc, packed=False)
        _check(checker, progress, ("read", path), doc)
        if progress.unusable is not None:
            return progress.unusable
        a = checker.assignment
        steps = tuple(progress.assemble())
        return FileResult(path, a.name, a.sha256, checker.config.seed, __version__, steps)


def _read(checker: Checker, path: str) -> Document:
    """The submission, with labels the assignment does not declare folded into their steps."""
    config = checker.config
    doc = read_submission(path, config.limits.max_file_bytes, config.template)
    return place_steps(doc, checker)


def _isolated(checker: Checker) -> bool:
    return checker.config.isolate and fork_context() is not None


def _check(checker: Checker, progress: Progress, request: tuple, doc: Document | None) -> None:
    if not _isolated(checker):
        run_units(checker, doc, Cursor(), progress.take)
        return
    if checker.isolation is None:
        checker.warm(sorted(checker.assignment.models))  # inherited by the worker forked next
        checker.isolation = Isolation(checker)
    Supervisor(checker, progress).run(request)


def _serve(conn, checker: Checker) -> None:
    """The long-lived checking process: one document after another, until told to stop."""
    with deep_recursion(checker.config.limits):
        while (request := conn.recv()) is not None:
            limits = checker.config.limits
            limit_resources(limits.file_seconds, limits.memory_mb)  # for this document
            try:
                _serve_one(conn, checker, request)
            except (EOFError, BrokenPipeError):
                raise
            except Exception as exc:  # a bug of ours: said, and this child is replaced
                conn.send(("crashed", f"{type(exc).__name__}: {exc}"))
                return
            conn.send(("end",))


def _serve_one(conn, checker: Checker, request: tuple) -> None:
    kind, arg = request
    if kind == "read":
        try:
            doc = _read(checker, arg)
        except InputError as exc:
            conn.send(("unusable", exc))
            return
        # the parent keeps it, packed: a replacement child inherits it
        packed = pickle.dumps(doc, pickle.HIGHEST_PROTOCOL)
        conn.send(("doc", packed, [s.id for s in doc.steps], doc.cells))
        cursor = Cursor()
    elif kind == "check":
        doc, cursor = arg, Cursor()
    else:  # "resume": this child was forked after the parent had the document
        doc, (cursor, checker.locals) = pickle.loads(checker.current_doc), arg
    run_units(checker, doc, cursor, conn.send)


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
