"""A model with one more node: a name a submission defined (`Let $\\theta = U^T v_c$`) made an
intermediate of the model's own computation, so that a derivative with respect to it
(`\\frac{\\partial J}{\\partial \\theta}`) has a meaning: the loss through that node."""

from __future__ import annotations

from dataclasses import fields, replace

from verifier.models.model import Definition, Model
from verifier.notation import Quantity
from verifier.parse import typed as ty


def with_node(model: Model, key: str, value: ty.Node, label: str) -> Model | None:
    """``model`` where every occurrence of ``value`` in its definitions is the new node ``key``
    (defined as ``value`` just before its first use); None when ``value`` occurs in none of
    them, as written (same quantities, same operations)."""
    target = ty.canonical(value)
    node = ty.Var(value.pos, value.shape, key)
    definitions: list[Definition] = []
    first = None
    for d in model.definitions:
        rhs = _substitute(d.rhs, target, node)
        if rhs is not d.rhs and first is None:
            first = len(definitions)
        definitions.append(replace(d, rhs=rhs) if rhs is not d.rhs else d)
    if first is None:
        return None
    source = f"{label} = (as the submission defines it)"
    definitions.insert(first, Definition(key, (), value, source, 0))
    shape = () if ty.is_scalar(value.shape) else value.shape
    quantities = {**model.table.quantities, key: Quantity(key, shape, "node", label)}
    table = replace(model.table, quantities=quantities, locals={})
    return replace(model, name=f"{model.name}+{key}", table=table, definitions=tuple(definitions))


def _substitute(node: ty.Node, target: str, replacement: ty.Node) -> ty.Node:
    """``node`` with every subtree written as ``target`` replaced (the same object if none)."""
    if ty.canonical(node) == target:
        return replacement
    changes = {}
    for f in fields(node):
        value = getattr(node, f.name)
        if isinstance(value, ty.Node):
            new = _substitute(value, target, replacement)
            if new is not value:
                changes[f.name] = new
        elif isinstance(value, tuple) and any(isinstance(v, ty.Node) for v in value):
            new_items = tuple(
                _substitute(v, target, replacement) if isinstance(v, ty.Node) else v for v in value
            )
            if any(a is not b for a, b in zip(new_items, value, strict=True)):
                changes[f.name] = new_items
    return replace(node, **changes) if changes else node
