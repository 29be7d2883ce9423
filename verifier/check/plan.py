"""A document's claims, planned a chunk at a time, so that checking can start before the whole
file is parsed and resume after a killed child without parsing again what was already planned.

A chunk is a run of spans of one step that no chain crosses: a span starts a new chunk when it
reads the same without the spans before it (``claims.independent``). What a chunk yields does not
depend on the chunks before it, so a fresh child can plan from any chunk on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from verifier.check.claims import Chain, Unreadable, chains_of
from verifier.check.spans import independent, may_state_a_condition
from verifier.limits import Limits
from verifier.source.document import Document, MathSpan, Step

# A span starting with one of these cannot start with `=` or a separator: it opens a new chain.
_OPENS_A_CHAIN = set("({[-+")


@dataclass(frozen=True)
class Unit:
    """One chain (or one unreadable span) of one step."""

    step: int
    step_id: str | None
    item: Chain | Unreadable

    @property
    def claims(self) -> int:
        return 1 if isinstance(self.item, Unreadable) else len(self.item.rest)


@dataclass(frozen=True, slots=True)
class Where:
    """What the parent knows of a unit: its step and, per claim, line, column and source.
    Plain data, small and flat, whatever the formula (the parse trees stay in the child)."""

    step: int
    claims: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True)
class Cursor:
    """Where to (re)start: chunk ``chunk`` of step ``step``, its unit ``ordinal`` (global index
    ``unit``), claim ``claim`` of that unit."""

    step: int = 0
    chunk: int = 0
    ordinal: int = 0
    claim: int = 0
    unit: int = 0


def chunks(doc: Document, step: Step) -> list[list[MathSpan]]:
    """Runs of the step's spans that read the same on their own (``claims.independent``)."""
    out: list[list[MathSpan]] = []
    held = False  # a condition alone ("For $i = j$:") holds over the spans after it
    for span in step.spans:
        if out and span.block != out[-1][-1].block:
            held = False
        if not out or (not held and independent(doc, out[-1][-1], span)):
            out.append([span])
        else:
            out[-1].append(span)
        held = held or may_state_a_condition(doc, span)
    return out


# A chunk as the parent knows it: step, chunk, and line, column and text of its first span.
ChunkAt = tuple[int, int, int, int, str]


def chunk_at(doc: Document, n: int, c: int, groups: list | None = None) -> ChunkAt | None:
    """The first chunk at or after chunk ``c`` of step ``n`` (``groups``: step n's chunks)."""
    for m in range(n, len(doc.steps)):
        here = groups if m == n and groups is not None else chunks(doc, doc.steps[m])
        start = c if m == n else 0
        if start < len(here):
            span = here[start][0]
            text = span.text.strip()
            return (
                m,
                start,
                *doc.location(span.start),
                text if len(text) <= 200 else text[:200] + " …",
            )
    return None


Symbols = Callable[[str | None], Callable[[str], bool]]  # step id -> is this a model's name


def _no_symbols(step_id: str | None) -> Callable[[str], bool]:
    return lambda name: False


def plan_chunk(
    doc: Document, n: int, group: list[MathSpan], limits: Limits, symbols: Symbols = _no_symbols
) -> list[Unit]:
    step = doc.steps[n]
    return [Unit(n, step.id, item) for item in chains_of(doc, group, limits, symbols(step.id))]


def plan(doc: Document, limits: Limits, symbols: Symbols = _no_symbols) -> list[Unit]:
    """Every unit of the document, in order."""
    return [
        unit
        for n, step in enumerate(doc.steps)
        for group in chunks(doc, step)
        for unit in plan_chunk(doc, n, group, limits, symbols)
    ]


def where(doc: Document, unit: Unit) -> Where:
    item = unit.item
    if isinstance(item, Unreadable):
        return Where(unit.step, ((*doc.location(item.offset), item.source),))
    head = item.head.source
    return Where(
        unit.step,
        tuple((*doc.location(p.offset), f"{head} {p.rel} {p.source}") for p in item.rest),
    )


def units_from(
    doc: Document, cursor: Cursor, limits: Limits, emit: Callable, symbols: Symbols = _no_symbols
) -> Iterator[tuple[int, int, Unit]]:
    """``(global index, first claim, unit)`` from ``cursor`` on. Emits first ``("next", chunk)``,
    the chunk it plans first, then after planning each chunk ``("units", step, chunk, first
    index, [Where, ...], next chunk)``: the parent can always name what the child is on
    without holding the document."""
    first = chunks(doc, doc.steps[cursor.step]) if cursor.step < len(doc.steps) else []
    emit(("next", chunk_at(doc, cursor.step, cursor.chunk, first)))
    index = cursor.unit - cursor.ordinal
    for n in range(cursor.step, len(doc.steps)):
        groups = first if n == cursor.step else chunks(doc, doc.steps[n])
        for c in range(cursor.chunk if n == cursor.step else 0, len(groups)):
            units = plan_chunk(doc, n, groups[c], limits, symbols)
            following = chunk_at(doc, n, c + 1, groups)
            emit(("units", n, c, index, [where(doc, u) for u in units], following))
            resuming = (n, c) == (cursor.step, cursor.chunk)
            for j, unit in enumerate(units):
                if resuming and j < cursor.ordinal:
                    continue
                skip = cursor.claim if resuming and j == cursor.ordinal else 0
                if skip < unit.claims:
                    yield index + j, skip, unit
            index += len(units)
