"""Definitions a student makes (issue 12): `\\delta := \\frac{\\partial E}{\\partial z}`,
`\\theta \\coloneqq U v_c`, "Let $\\theta = U v_c$", "where $\\delta = y - t$".

A name the model does not know, defined this way, stands for its right side in every later
claim of the document (until it is defined again); the definition itself is a `note`, and the
rest of its chain is checked against that right side. A model's own name is never defined by a
student: `z = W x` stays a claim, checked."""

from __future__ import annotations

import re

from verifier.check.claims import Chain
from verifier.check.spans import introduced
from verifier.errors import NotationError
from verifier.models.names import key_of_node
from verifier.notation import SymbolTable
from verifier.parse.show import show
from verifier.source.document import Document

# Relations that define rather than claim (`=` defines only after "let", "where", ...).
DEFINES = {":=", "≔", "≜", "≝", "\\coloneqq", "\\coloneq", "\\triangleq", "\\equiv", "≡"}
_STACKED = re.compile(r"\\(stackrel|overset)\s*\{\s*(\\text\s*\{\s*)?def")


def defined_name(doc: Document, table: SymbolTable, chain: Chain) -> str | None:
    """The key of the name ``chain`` defines, or None when it is a claim."""
    if not chain.rest or chain.head.raw is None:
        return None
    try:
        key, indices = key_of_node(chain.head.raw, show(chain.head.raw), table)
    except NotationError:
        return None
    if indices or _known(table, key):
        return None
    rel = chain.rest[0].rel.strip()
    if rel in DEFINES or _STACKED.match(rel):
        return key
    if rel == "=" and introduced(doc, chain.head.offset):
        return key
    return None


def _known(table: SymbolTable, key: str) -> bool:
    return (
        key in table.quantities
        or key in table.families
        or key in table.dims
        or key in table.functions
        or key in table.lenient
    )
