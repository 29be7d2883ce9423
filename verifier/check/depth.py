"""Claims about a generic layer (a model declared with a layer index, ``verifier.models.depth``).

A chain written with `l`, `l-1`, `l+1` and `L` in layer positions is checked at every declared
depth L and every layer l = 0 … L at which all its symbols exist (a chain without `l` once per
depth), each instance an ordinary chain of that depth's concrete model. A claim's verdict is its
worst instance's, and the message names the depth and layer ("false at L = 3, l = 1: …"), so a
formula true only at the last layer fails at a hidden one. A definition with a generic layer
(`\\delta^l := \\frac{\\partial J}{\\partial z^l}`) defines δ at every layer of every depth."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from verifier.check.claims import Chain, Part
from verifier.check.definitions import defined_name
from verifier.check.verdicts import ClaimResult, Verdict
from verifier.errors import NotationError
from verifier.notation import SymbolTable, symbol_key
from verifier.parse import typed as ty
from verifier.parse.layers import Absent, Layers, at_layer, bound_letters, letters_in
from verifier.parse.parser import parse_math
from verifier.parse.resolve import Resolver
from verifier.parse.show import show
from verifier.source.document import Document

if TYPE_CHECKING:
    from verifier.check.checker import Checker

Where = tuple[int, int | None]  # (L, l); l is None for a chain without the layer index


def layers_of(table: SymbolTable, depth, env: dict[str, int]) -> Layers:
    """How a chain reads at one depth and layer, in that depth's table."""

    def exists(name: str, k: int) -> bool:
        if depth.width and name == depth.width:  # `n_L`: a layer's width
            return f"{name}_{k}" in table.dims
        return named(name, k) or (examples and name != name.upper() and named(name.upper(), k))

    def named(name: str, k: int) -> bool:
        key = symbol_key(name, k)
        return any(
            key in names
            for names in (table.quantities, table.families, table.locals, table.functions)
        ) or (key in table.lenient)

    # `a^{[l](i)}` where examples are superscripts: the batch matrix A's layer (see resolve)
    examples = table.batch is not None and bool(table.batch.example)

    def layered(name: str) -> bool:
        return any(exists(name, k) for k in range(max(depth.values) + 2))

    deepest = max(depth.values)
    return Layers(
        env, exists, layered, table.plain_layers, table.subscript_layers, deepest, depth.width
    )


def _wheres(checker: Checker, name: str, step_id: str | None, raws: list) -> Iterator[Where]:
    depth = checker.assignment.depths[name]
    for top, model in depth.instances:
        table = checker.table(model, step_id)
        probe = layers_of(table, depth, {depth.index: 0, depth.layers: top})
        generic = depth.index in {x for raw in raws for x in letters_in(raw, probe)}
        yield from ((top, k) for k in (range(top + 1) if generic else [None]))


def _env(depth, where: Where) -> dict[str, int]:
    top, k = where
    return {depth.layers: top, **({depth.index: k} if k is not None else {})}


def _instance(checker: Checker, doc, chain: Chain, name: str, step_id, where: Where):
    """(concrete model, the chain at that depth and layer), or None where a symbol it names
    has no such layer or no part's condition on layers holds there. A part whose condition on
    layers (`\\text{for } l < L`) does not hold keeps its place as an error part (its result is
    not used: :func:`_excluded`)."""
    depth = checker.assignment.depths[name]
    model = dict(depth.instances)[where[0]]
    table = checker.table(model, step_id)
    env = _env(depth, where)
    layers = layers_of(table, depth, env)
    try:
        rest = [_part(_at_layers(p, depth, env), layers) for p in chain.rest]
        if all(_excluded(p) for p in rest):
            return None
        head = _part(chain.head, layers, head=True)
        concrete = replace(chain, head=head, rest=rest)
        if defined_name(doc, table, concrete) is None:  # a claim: its left side must exist
            concrete = replace(concrete, head=_part(chain.head, layers))
    except Absent:
        return None
    return model, concrete


_NOT_HERE = "(its condition on layers does not hold at this layer)"


def _at_layers(part: Part, depth, env: dict[str, int]) -> Part:
    """The part with its condition on layers decided at ``env``: kept without it where it
    holds, marked excluded where it does not. A condition that cannot be read so is left for
    the checker, which says why."""
    if not part.conditions:
        return part
    (condition,) = part.conditions
    if condition.alone and not condition.indices <= set(env):  # prose before other claims
        return part
    try:
        if not condition.on_layers(frozenset({depth.index, depth.layers})):
            return part
        holds = condition.at_layers(env)
    except NotationError as exc:
        return replace(part, condition=exc.message)
    if holds:
        return replace(part, conditions=())
    return replace(part, raw=None, error=_NOT_HERE, conditions=())


def _excluded(part: Part) -> bool:
    return part.raw is None and part.error == _NOT_HERE


def _part(part: Part, layers: Layers, head: bool = False) -> Part:
    return part if part.raw is None else replace(part, raw=at_layer(part.raw, layers, head))


def _raws(chain: Chain) -> list:
    return [p.raw for p in (chain.head, *chain.rest) if p.raw is not None]


def unread(checker: Checker, doc, chain: Chain, name: str, step_id) -> NotationError | None:
    """Why no instance of ``chain`` can be read in the depth model ``name``, or None."""
    refused = _rebound(chain, checker.assignment.depths[name])
    if refused is not None:
        return NotationError(refused)
    problem = NotationError(f"no layer of model {name} has every symbol of this claim")
    for where in _wheres(checker, name, step_id, _raws(chain)):
        found = _instance(checker, doc, chain, name, step_id, where)
        if found is None:
            continue
        problem = checker.unread(doc, found[1], found[0], step_id)
        if problem is None:
            return None
    return problem


@contextlib.contextmanager
def _no_timed_proof(checker: Checker):
    """Timed proofs are keyed by a claim's place, which every instance shares: a note about
    one instance must not read as one about the claim."""
    proofs, checker._proofs = checker._proofs, None
    try:
        yield
    finally:
        checker._proofs = proofs


def _rebound(chain: Chain, depth) -> str | None:
    """Why a chain that binds a layer letter itself (`\\sum_{l=1}^{m}`, `dZ^{[l](l)}`) is not
    read, or None: the letter would be a layer and an index at once."""
    layer = frozenset({depth.index, depth.layers})
    letters = {x for raw in _raws(chain) for x in bound_letters(raw, layer)} & layer
    if not letters:
        return None
    letter = sorted(letters)[0]
    return (
        f"`{letter}` is this model's layer letter: a sum or an example over it is not read "
        "(write another letter)"
    )


def check_chain(checker: Checker, doc: Document, step_id, chain: Chain, skip: int, name: str):
    """``(k, result)`` for each right-hand side of ``chain``, over every depth and layer."""
    depth = checker.assignment.depths[name]
    refused = _rebound(chain, depth)
    if refused is not None:
        for k, part in enumerate(chain.rest[skip:], skip):
            yield k, _error(doc, chain, part, refused, name)
        return
    found: dict[int, list[tuple[Where, ClaimResult]]] = {}
    with _no_timed_proof(checker):
        for where in _wheres(checker, name, step_id, _raws(chain)):
            instance = _instance(checker, doc, chain, name, step_id, where)
            if instance is None:
                continue
            model, concrete = instance
            for k, result in checker.check_in(doc, step_id, concrete, skip, model):
                if not _excluded(concrete.rest[k]):
                    found.setdefault(k, []).append((where, result))
    for k, part in enumerate(chain.rest):
        if k < skip:
            continue
        if found.get(k):
            yield k, _combined(found[k], chain.head, part, depth)
        else:  # no instance at all, or none where its condition holds: nothing was checked
            message = (
                f"no layer of any depth (L = {', '.join(map(str, depth.values))}) has every "
                "symbol of this claim"
                + (f" where `{part.conditions[0].source}` holds" if part.conditions else "")
            )
            yield k, _error(doc, chain, part, message, name)


def _error(doc: Document, chain: Chain, part: Part, message: str, name: str) -> ClaimResult:
    line, col = doc.location(part.offset)
    source = f"{chain.head.source} {part.rel} {part.source}"
    return ClaimResult(line, col, source, Verdict.ERROR, message, model=name)


def _combined(results: list[tuple[Where, ClaimResult]], head: Part, part: Part, depth):
    """One result for a claim checked at several depths and layers: its worst instance's,
    the message naming where; a pass names every depth and layer it was checked at."""
    worst_where, worst = max(results, key=lambda r: r[1].verdict.severity)
    if worst.verdict in (Verdict.PASS, Verdict.NOTE):
        message = f"at {_all_wheres([w for w, _ in results], depth.index)}: {worst.message}"
    else:
        said = "false at" if worst.verdict is Verdict.FAIL else "at"
        said_too = worst.verdict is Verdict.FAIL and worst.message.startswith("false: ")
        text = worst.message.removeprefix("false: ") if said_too else worst.message
        message = f"{said} {_where_text(worst_where, depth.index)}: {text}"
    heads = sorted({f"{w[0]},{w[1]}:{r.head}" for w, r in results})
    display = worst.display
    if head.raw is not None and part.raw is not None:
        display = f"{show(head.raw)} {part.rel} {show(part.raw)}"
    return replace(
        worst,
        message=message,
        model=depth.name,
        head="depth " + ";".join(heads),
        closed_form=all(r.closed_form for _, r in results),
        circular=any(r.circular for _, r in results),
        proof=worst.proof if all(r.proof == worst.proof for _, r in results) else None,
        display=display,
    )


def head_layers(key: str | None) -> frozenset[tuple[str, str]]:
    """(depth, left side) of each instance a combined key names (empty for other keys): the
    layer index left out, so that `dZ^{[l]}` at l = L and `dZ^{[L]}` are one."""
    if not key or not key.startswith("depth "):
        return frozenset()
    found = set()
    for one in re.split(r";(?=\d+,(?:\d+|None):)", key.removeprefix("depth ")):
        where, _, side = one.partition(":")
        found.add((where.partition(",")[0], side))
    return frozenset(found)


def _where_text(where: Where, index: str) -> str:
    return f"L = {where[0]}" + (f", {index} = {where[1]}" if where[1] is not None else "")


def _all_wheres(wheres: list[Where], index: str) -> str:
    by_depth: dict[int, list[int]] = {}
    for top, k in wheres:
        by_depth.setdefault(top, [])
        if k is not None and k not in by_depth[top]:
            by_depth[top].append(k)
    return "; ".join(
        f"L = {d}" + (f" ({index} = {', '.join(map(str, ls))})" if ls else "")
        for d, ls in by_depth.items()
    )


def target_keys(checker: Checker, step_id: str, name: str) -> list[tuple[str, str]]:
    """(LaTeX, key) of each target of a step of a depth model, keyed as combined heads are."""
    step = checker.assignment.step(step_id)
    found = []
    for text in step.targets:
        with checker._about(step_id, f"target `{text}`"):
            found.append((text, _target_key(checker, step_id, name, text)))
    return found


def _target_key(checker: Checker, step_id: str, name: str, text: str) -> str:
    pieces = parse_math(text).pieces
    if len(pieces) != 1 or len(pieces[0].exprs) != 1:
        raise NotationError(
            "a target is one left-hand side, such as `\\frac{\\partial E}{\\partial W}`"
        )
    key = _heads(checker, step_id, name, pieces[0].exprs[0])
    if key is None:
        raise NotationError("no layer of any depth has every symbol of this target")
    return key


def head_key(checker: Checker, chain: Chain, step_id: str, name: str) -> str | None:
    """The combined key of a chain's left side in a depth model, read exactly (as a target)."""
    if chain.head.raw is None:
        return None
    try:
        return _heads(checker, step_id, name, chain.head.raw)
    except NotationError:
        return None


def _heads(checker: Checker, step_id: str, name: str, raw) -> str | None:
    """A left side's key at every depth and layer where it exists, joined; None where none."""
    heads = set()
    for where, _, resolver, node in _left_sides(checker, step_id, name, raw):
        if resolver.readings:
            raise NotationError(f"it reads only with a guess ({resolver.readings[0]})")
        heads.add(f"{where[0]},{where[1]}:{ty.head_key(node, resolver.free_indices)}")
    return "depth " + ";".join(sorted(heads)) if heads else None


def _left_sides(checker: Checker, step_id: str, name: str, raw, top: int | None = None):
    """(where, its layer values, the resolver, the node) of a left side at every depth (or at
    depth ``top``) and layer where it exists."""
    depth = checker.assignment.depths[name]
    for where in _wheres(checker, name, step_id, [raw]):
        if top is not None and where[0] != top:
            continue
        table = checker.table(dict(depth.instances)[where[0]], step_id)
        env = _env(depth, where)
        try:
            concrete = at_layer(raw, layers_of(table, depth, env))
        except Absent:
            continue
        resolver = Resolver(table, checker.config.limits.max_depth)
        yield where, env, resolver, resolver.resolve(concrete)


def targets_at(checker: Checker, step_id: str, name: str, top: int) -> list[tuple[str, object]]:
    """Each target of a step of the depth model ``name``, at depth ``top`` and every layer
    where it exists there: (its LaTeX at that layer, its left side as a Resolved)."""
    from verifier.check.decide import Resolved  # decide imports the checker's modules
    from verifier.models.depth import at_layer_text

    found = []
    for text in checker.assignment.step(step_id).targets:
        raw = parse_math(text).pieces[0].exprs[0]
        for _, env, resolver, node in _left_sides(checker, step_id, name, raw, top):
            resolved = Resolved(node, dict(resolver.free_indices), [])
            found.append((at_layer_text(text, env), resolved))
    return found
