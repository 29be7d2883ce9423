"""The readable truth of a left side: a form of :mod:`verifier.models.readable`, written in the
model's notation and shown only when the checker, reading it back as it reads a submission,
finds the claim `left side = form` true (`pass`). Otherwise there is none (the caller shows the
entrywise truth)."""

from __future__ import annotations

from verifier.check.compare import Config, Probe
from verifier.check.decide import Decider, Resolved
from verifier.check.verdicts import Verdict
from verifier.models import readable
from verifier.models.tidy import tidy
from verifier.models.writing import Unwritable, write
from verifier.parse import typed as ty
from verifier.parse.parser import parse_member
from verifier.parse.resolve import Resolver


def readable_truth(probe: Probe, config: Config, head: Resolved) -> str | None:
    """The confirmed form of ``head`` (a derivative), or None. Cached on the probe."""
    if getattr(head.free, "condition", None) is not None or not isinstance(head.node, ty.Deriv):
        return None
    key = ("readable", ty.canonical(head.node), tuple(sorted(head.free)))
    cache = probe.__dict__.setdefault("_readable", {})
    if key not in cache:
        cache[key] = _first_confirmed(probe, config, head)
    return cache[key]


WIDTH = 160  # characters: a closed form that with its left side overflows a terminal line (200)
# gives way to one step of the chain rule


def _first_confirmed(probe: Probe, config: Config, head: Resolved) -> str | None:
    """The first confirmed of the closed forms, or where the closed form is longer than
    :data:`WIDTH`, of one step of the chain rule (each using node's derivative left as it
    is) first. Only the form shown is confirmed: a confirmation is a whole decision."""
    closed = _texts(probe, head, stops=False)
    if closed and len(closed[0]) <= WIDTH:
        order = [closed, lambda: _texts(probe, head, stops=True)]
    else:
        order = [_texts(probe, head, stops=True), closed]
    for texts in order:
        for text in texts() if callable(texts) else texts:
            if confirmed(probe, config, head, text):
                return text
    return None


def _pass(probe: Probe) -> readable.Readable:
    """The model's definitions in vector form, built once per probe (every head reuses them)."""
    found = probe.__dict__.get("_readable_pass")
    if found is None:
        found = probe.__dict__["_readable_pass"] = readable.Readable(probe.model)
    return found


def _texts(probe: Probe, head: Resolved, stops: bool) -> list[str]:
    """The candidate forms written, each tidied form before its raw one, without repeats."""
    try:
        forms = _pass(probe).derivative(head.node, stops)
    except readable.NoForm:
        return []
    out: list[str] = []
    for form in [f for raw in forms for f in (_tidied(raw), raw)]:
        try:
            text = write(form, probe.model.table)
        except Unwritable:
            continue
        if text not in out:
            out.append(text)
    return out


def _tidied(form: ty.Node) -> ty.Node:
    try:
        return tidy(form)
    except readable.NoForm:
        return form


def confirmed(probe: Probe, config: Config, head: Resolved, text: str) -> bool:
    """Whether the claim `head = text`, read with the submissions' grammar, is decided `pass`."""
    from verifier.check.checker import _size_identity

    try:
        resolver = Resolver(probe.model.table, config.limits.max_depth)
        node = resolver.resolve(parse_member(text))
        claim = _size_identity(Resolved(node, dict(resolver.free_indices), []), head.node.shape)
        if resolver.readings or not set(claim.free) <= set(head.free):
            return False
        verdict = Decider(probe, config, readable=False).decide(head, claim)[0]
    except Exception:  # a form the checker cannot confirm is simply not shown
        return False
    return verdict is Verdict.PASS
