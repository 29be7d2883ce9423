"""Parent side of checking a document: what is known so far, the clock, kills and restarts."""

from __future__ import annotations

import functools
import pickle
import sys
import time
from dataclasses import replace

from verifier.check.plan import ChunkAt, Cursor, Where, chunk_at
from verifier.check.prove import annotate
from verifier.check.verdicts import ClaimResult, StepResult, Verdict
from verifier.errors import InputError
from verifier.limits import Limits
from verifier.source.document import Document
from verifier.source.notebook import CellMap


class Progress:
    """Everything the child has reported about one document: units, results, proofs."""

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        # The document as the child pickled it: a replacement child unpickles it; kept as
        # bytes, a 2 MB file of 300k spans costs the parent 10 MB, not 150 MB of objects.
        self.packed: bytes | None = None
        self.step_ids: list[str | None] = []
        self.cells: CellMap | None = None  # a notebook's: places are mapped to cells at the end
        self.unusable: InputError | None = None
        self.wheres: dict[int, Where] = {}
        self.results: dict[tuple[int, int], ClaimResult] = {}
        self.proofs: dict = {}
        self.last_chunk: tuple[int, int, int, int] | None = None  # step, chunk, first, count
        self.following: ChunkAt | None = None  # the chunk the child plans next
        self._after: tuple[int, int] | None = None  # or: the chunk at or after this one
        self.crash: str | None = None
        self.ended = False
        self.locals: dict[str, dict[str, object]] = {}  # per model: names defined so far
        self._pending = 0  # claims of the last planned chunk still without a result

    def take(self, message: tuple) -> None:
        kind = message[0]
        if kind == "result":
            _, i, k, claim = message
            if (i, k) not in self.results:
                self._pending -= 1
            self.results[(i, k)] = _shared(claim)
            where = self.wheres.get(i)
            if where is not None and k == len(where.claims) - 1:  # done: its texts not needed
                self.wheres[i] = Where(where.step, _placeholders(len(where.claims)))
        elif kind == "units":
            _, n, c, first, wheres, self.following = message
            self._after = None
            self.wheres.update(enumerate(wheres, first))
            self.last_chunk = (n, c, first, len(wheres))
            self._pending = sum(len(w.claims) for w in wheres)
        elif kind == "next":
            self.following, self._after = message[1], None
        elif kind == "proofs":
            self.proofs.update(message[1])
        elif kind == "doc":
            _, self.packed, self.step_ids, self.cells = message
        elif kind == "unusable":
            self.unusable = message[1]
        elif kind == "crashed":
            self.crash = message[1]
        elif kind == "local":  # a name the submission defined: a replacement child needs it
            _, model, key, node = message
            self.locals.setdefault(model, {})[key] = node
        elif kind == "end":
            self.ended = True

    def planning(self) -> bool:
        """Whether the child is reading and planning (no claim of its own is under way): only
        the file's clock applies then; parsing is bounded by the input limits, not by time."""
        return self.last_chunk is None or self._pending <= 0

    # --- where the child stopped ------------------------------------------------------------
    def culprit(self) -> tuple[int, int] | tuple[int, int, int] | None:
        """The claim ``(i, k)`` the child was on, or the chunk ``(step, chunk, index)`` it was
        planning, or None when only the proofs were left."""
        if self.last_chunk is not None:
            first, count = self.last_chunk[2:]
            for i in range(first, first + count):
                for k in range(len(self.wheres[i].claims)):
                    if (i, k) not in self.results:
                        return i, k
        following = self.next_chunk()
        return None if following is None else (*following[:2], self.next_index())

    def next_chunk(self) -> ChunkAt | None:
        """The chunk the child was to plan next. Only when a child was killed before it could
        say (just after a chunk marked undecided) is the packed document opened to find it."""
        if self._after is not None:
            self.following = chunk_at(pickle.loads(self.packed), *self._after)
            self._after = None
        return self.following

    def keep(self, doc: Document, packed: bool = True) -> None:
        self.packed = pickle.dumps(doc, pickle.HIGHEST_PROTOCOL) if packed else b""
        self.step_ids = [s.id for s in doc.steps]
        self.cells = doc.cells

    def next_index(self) -> int:
        if self.last_chunk is None:
            return 0
        return self.last_chunk[2] + self.last_chunk[3]

    def cursor_after(self, i: int, k: int) -> Cursor:
        n, c, first, _ = self.last_chunk
        if k + 1 < len(self.wheres[i].claims):
            return Cursor(n, c, i - first, k + 1, i)
        return Cursor(n, c, i - first + 1, 0, i + 1)

    # --- marking what was not decided -------------------------------------------------------
    def undecided(self, i: int, k: int, message: str) -> None:
        if (i, k) not in self.results:
            self._pending -= 1
        line, col, source = self.wheres[i].claims[k]
        self.results[(i, k)] = ClaimResult(line, col, source, Verdict.UNDECIDED, message)

    def nothing_checked(self, message: str) -> None:
        """One undecided entry at the file's first formula, when none was planned in time."""
        doc = pickle.loads(self.packed) if self.packed else None
        spans = [(n, s) for n, step in enumerate(doc.steps) for s in step.spans] if doc else []
        n, (line, col) = (spans[0][0], doc.location(spans[0][1].start)) if spans else (0, (1, 1))
        self.wheres[0] = Where(n, ((line, col, ""),))
        self.results[(0, 0)] = ClaimResult(line, col, "", Verdict.UNDECIDED, message)

    def undecided_chunk(self, index: int, message: str) -> Cursor:
        """One entry for the chunk the child was to plan (at its first span); the cursor past it."""
        n, c, line, col, source = self.following
        self._after = (n, c + 1)  # what follows is named by the next child, or found below
        self.wheres[index] = Where(n, ((line, col, source),))
        self.results[(index, 0)] = ClaimResult(line, col, source, Verdict.UNDECIDED, message)
        self.last_chunk = (n, c, index, 1)
        return Cursor(n, c + 1, 0, 0, index + 1)

    def assemble(self) -> list[StepResult]:
        by_step: dict[int, list[ClaimResult]] = {}
        for i in sorted(self.wheres):
            where = self.wheres[i]
            for k in range(len(where.claims)):
                if (i, k) not in self.results:  # never reached: said, not dropped
                    self.undecided(i, k, "not checked: the checking process stopped first")
                claim = self.results[(i, k)]
                key = (claim.line, claim.column)
                if key in self.proofs and claim.verdict in (Verdict.PASS, Verdict.WARN):
                    claim = annotate(claim, *self.proofs[key])
                by_step.setdefault(where.step, []).append(in_cell(claim, self.cells))
        return [
            StepResult(self.step_ids[n] or f"(unlabelled {n})", tuple(claims))
            for n, claims in sorted(by_step.items())
        ]


def in_cell(claim: ClaimResult, cells: CellMap | None) -> ClaimResult:
    """A notebook's claim placed in its cell, its line and column (and an error's) the .ipynb
    file's, pointing at the cell's source; as it is elsewhere."""
    if cells is None or (place := cells.place(claim.line, claim.column)) is None:
        return claim
    error_at = claim.error_at and cells.place(*claim.error_at)
    return replace(
        claim,
        line=place.line,
        column=place.column,
        cell=place.cell,
        line_in_cell=place.line_in_cell,
        error_at=(error_at.line, error_at.column) if error_at else None,
    )


@functools.cache
def _placeholders(count: int) -> tuple:
    """What a finished unit keeps of its claims' places: only their number (one shared tuple)."""
    return (None,) * count


def _shared(claim: ClaimResult) -> ClaimResult:
    """The claim with its repeated texts shared: a file of 300k tiny claims repeats the same
    few messages, and the parent must stay small while holding every result."""
    return replace(
        claim,
        message=sys.intern(claim.message),
        model=claim.model and sys.intern(claim.model),
        head=claim.head and sys.intern(claim.head),
        display=claim.display and sys.intern(claim.display),
        source=sys.intern(claim.source),
    )


class Supervisor:
    """Starts children, keeps the clock, kills and restarts."""

    def __init__(self, checker, progress: Progress) -> None:
        self.checker, self.progress = checker, progress
        self.limits: Limits = checker.config.limits
        self.file_deadline = time.monotonic() + self.limits.file_seconds

    def run(self, request: tuple) -> None:
        if request[0] == "check":
            self.checker.current_doc = self.progress.packed  # a replacement child inherits it
        while request is not None:
            request = self._one_child(request)
        self.checker.current_doc = None

    def _one_child(self, request: tuple) -> tuple | None:
        """Serve ``request`` in the worker; the next request (a resumption), or None."""
        isolation = self.checker.isolation
        try:
            conn = isolation.send(request)
        except (OSError, EOFError):
            return self._stopped("died")
        started = time.monotonic()
        while True:
            now = time.monotonic()
            wait = self.file_deadline - now
            if self.progress.packed is not None and not self.progress.planning():
                # a claim has its own clock; reading and planning have the file's only
                wait = min(wait, self.limits.claim_seconds - (now - started))
            if wait <= 0 or not conn.poll(wait):
                return self._stopped("time")
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return self._stopped("died")
            self.progress.take(message)
            if message[0] == "doc":
                self.checker.current_doc = self.progress.packed
            if message[0] == "end":
                return None
            if message[0] == "crashed":
                return self._stopped("crashed")
            started = time.monotonic()

    def _stopped(self, why: str) -> tuple | None:
        """The worker is killed (or gone); mark what it was on and say where to go on."""
        self.checker.isolation.kill()
        progress = self.progress
        if progress.packed is None:
            progress.unusable = InputError(f"{progress.path}:1:1: {self._unread(why)}")
            return None
        if time.monotonic() >= self.file_deadline:
            self._out_of_file_time()
            return None
        culprit = progress.culprit()
        if culprit is None:  # only the proofs were left: they are not verdicts
            return None
        message = self._reason(why)
        if len(culprit) == 2:
            progress.undecided(*culprit, message)
            return ("resume", (progress.cursor_after(*culprit), progress.locals))
        cursor = progress.undecided_chunk(culprit[2], f"{message} (reading this formula)")
        return ("resume", (cursor, progress.locals))

    def _unread(self, why: str) -> str:
        if why == "time":
            return f"not read within the file time limit of {self.limits.file_seconds:g} s"
        if why == "crashed":
            return f"internal error while reading: {self.progress.crash}"
        return (
            f"reading it stopped the checking process (memory limit of {self.limits.memory_mb} MB?)"
        )

    def _reason(self, why: str) -> str:
        if why == "time":
            return f"time limit: not decided within {self.limits.claim_seconds:g} s"
        if why == "crashed":
            return f"internal error while checking: {self.progress.crash}"
        return f"the checking process died (memory limit of {self.limits.memory_mb} MB?)"

    def _out_of_file_time(self) -> None:
        progress = self.progress
        message = f"file time limit of {self.limits.file_seconds:g} s reached first"
        for i, where in list(progress.wheres.items()):
            for k in range(len(where.claims)):
                if (i, k) not in progress.results:
                    progress.undecided(i, k, message)
        if progress.next_chunk() is not None:
            rest = f"{message}: the rest of the file, from here, was not checked"
            progress.undecided_chunk(progress.next_index(), rest)
        elif not progress.results:  # stopped before anything was planned: never an empty pass
            progress.nothing_checked(f"{message}: nothing of the file was checked")
