"""Which step each span belongs to: by the labels the assignment declares, or, in a submission
without any, by the targets its claims state.

A line in prose that looks like a label (`(i) the weights:`, `2 terms remain`) must not move the
claims after it out of the step they belong to, where they would escape grading; so a label the
assignment does not know continues the step before it (its claims still count there).
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import replace
from typing import TYPE_CHECKING

from verifier.check import depth
from verifier.check.claims import Chain, chains_of
from verifier.errors import NotationError
from verifier.models.assignment import Assignment
from verifier.parse import typed as ty
from verifier.parse.resolve import Resolver
from verifier.source.document import Document, MathSpan, Step

if TYPE_CHECKING:
    from verifier.check.checker import Checker

# Reading a whole unlabelled submission twice (once to place it, once to check it) is bounded:
# beyond this many spans it stays unlabelled (each claim checked against the models it fits).
MAX_PLACED_SPANS = 2_000


def fold_undeclared(doc: Document, assignment: Assignment) -> Document:
    """``doc`` with every undeclared label's spans moved into the step before it (chains never
    cross a block, so what each block reads is unchanged)."""
    if not assignment.steps:
        return doc
    steps: list[Step] = []
    for step in doc.steps:
        known = step.id is None or assignment.step(step.id) is not None
        if known or not steps:
            steps.append(Step(step.id, step.offset, list(step.spans)))
        else:
            steps[-1].spans.extend(step.spans)
    return replace(doc, steps=steps) if len(steps) != len(doc.steps) else doc


def place_steps(doc: Document, checker: Checker) -> Document:
    """Steps as the assignment knows them: undeclared labels folded; a submission without any
    label the assignment knows is placed by the targets its claims state."""
    doc = fold_undeclared(doc, checker.assignment)
    if any(checker.assignment.step(s.id) for s in doc.steps if s.id is not None):
        return doc
    spans = sorted(doc.spans, key=lambda s: s.start)
    if not spans or len(spans) > MAX_PLACED_SPANS:
        return doc
    return _by_targets(doc, spans, checker)


def _by_targets(doc: Document, spans: list[MathSpan], checker: Checker) -> Document:
    """A chain that states a step's target belongs to that step, and so does the work before
    it (since the previous such chain); work after the last belongs to the last. A chain that
    cannot be read in that step's model but can in the previous one's stays with the previous.
    A span goes with the chains that start in it (cut where one of another step starts); one
    where none starts, with the span before it (so a chain is never cut). A left side read only
    through a step's lenient spelling states no target of that step. Nothing states a target: the document is unchanged."""
    chains = [c for c in chains_of(doc, spans, checker.config.limits, checker.is_symbol(None))]
    chains = [c for c in chains if isinstance(c, Chain)]
    stated = [_stated(checker, c) for c in chains]
    if not any(stated):
        return doc
    later, earlier = _nearest(stated[::-1])[::-1], _nearest(stated)
    owners: list[str] = []
    for k, chain in enumerate(chains):
        owner = stated[k] or later[k] or earlier[k]
        if not stated[k] and earlier[k] and later[k] and not _reads(checker, doc, chain, later[k]):
            owner = earlier[k] if _reads(checker, doc, chain, earlier[k]) else later[k]
        owners.append(owner)
    starts = [s.start for s in spans]
    heads: dict[int, list[tuple[int, str]]] = {}  # per span: (offset, owner) of chains in it
    for chain, owner in zip(chains, owners, strict=True):
        k = bisect.bisect_right(starts, chain.head.offset) - 1
        heads.setdefault(k, []).append((chain.head.offset, owner))
    pieces: list[tuple[MathSpan, str | None]] = []
    for k, span in enumerate(spans):
        pieces += _split(span, heads.get(k, []))
    return replace(doc, steps=_regroup(pieces, owners[0]))


def _split(span: MathSpan, heads: list[tuple[int, str]]) -> list[tuple[MathSpan, str | None]]:
    """The span, cut where a chain of another step starts in it (`$$∂E/∂t = … \\quad ∂E/∂z
    = …$$` states targets of two steps), each piece with its owner (None: the one before)."""
    if not heads:
        return [(span, None)]
    cuts = [heads[0]]
    for offset, owner in heads[1:]:
        if owner != cuts[-1][1]:
            cuts.append((offset, owner))
    if len(cuts) == 1 or span.origin is not None:  # expanded macros: kept whole
        return [(span, cuts[0][1])]
    bounds = [0] + [offset - span.start for offset, _ in cuts[1:]] + [len(span.text)]
    return [
        (MathSpan(span.text[a:b], span.start + a, span.display, span.block), owner)
        for (a, b), (_, owner) in zip(itertools.pairwise(bounds), cuts, strict=True)
    ]


def _nearest(stated: list[str | None]) -> list[str | None]:
    """For each position, the last stated step before it (itself excluded)."""
    out, last = [], None
    for s in stated:
        out.append(last)
        last = s or last
    return out


def _regroup(pieces: list[tuple[MathSpan, str | None]], opening: str) -> list[Step]:
    """Steps from each span's owner (None: the owner before it); a run of spans with one owner
    is one block of its step."""
    steps: dict[str, Step] = {}
    owner, block = opening, 0
    for k, (span, mine) in enumerate(pieces):
        if (mine is not None and mine != owner) or k == 0:
            owner, block = mine or owner, block + 1
        step = steps.setdefault(owner, Step(owner, span.start))
        step.spans.append(replace(span, block=block))
    return list(steps.values())


def _stated(checker: Checker, chain: Chain) -> str | None:
    """The first step (in the assignment's order) whose target is this chain's left side."""
    for spec in checker.assignment.steps:
        keys = {key for _, key in checker.target_keys(spec.id)}
        head = _head(checker, chain, spec.id)
        if head is not None and head in keys:
            return spec.id
    return None


def _head(checker: Checker, chain: Chain, step_id: str) -> str | None:
    if chain.head.raw is None:
        return None
    model = checker.assignment.step(step_id).model
    if model in checker.assignment.depths:
        return depth.head_key(checker, chain, step_id, model)
    table = checker.table(model, step_id)
    resolver = Resolver(table, checker.config.limits.max_depth)
    try:
        node = resolver.resolve(chain.head.raw)
    except NotationError:
        return None
    # read exactly: a left side read through a spelling the step accepts (its lenient `W` for
    # W^{(1)}) is another model's quantity as often as this one's, and states nothing here
    if resolver.readings:
        return None
    return ty.head_key(node, resolver.free_indices)


def _reads(checker: Checker, doc: Document, chain: Chain, step_id: str) -> bool:
    """Whether every member of the chain can be read in the step's model."""
    model = checker.assignment.step(step_id).model
    if model in checker.assignment.depths:
        return depth.unread(checker, doc, chain, model, step_id) is None
    return checker.unread(doc, chain, model, step_id) is None
