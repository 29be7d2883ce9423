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
from verifier.notation import SymbolTable, squared_base
from verifier.parse.show import show
from verifier.source.document import Document

# Relations that define rather than claim (`=` defines only after "let", "where", ...).
DEFINES = {":=", "≔", "≜", "≝", "\\coloneqq", "\\coloneq", "\\triangleq", "\\equiv", "≡"}
_STACKED = re.compile(r"\\(stackrel|overset)\s*\{\s*(\\text\s*\{\s*)?def")


def defined_name(doc: Document, table: SymbolTable, chain: Chain) -> str | None:
    """The key of the name ``chain`` defines, or None when it is a claim."""
    if not chain.rest or chain.head.raw is None:
        return None
    rel = chain.rest[0].rel.strip()  # the relation first: cheap, and most chains claim
    defines = rel in DEFINES or bool(_STACKED.match(rel))
    if not (defines or (rel == "=" and introduced(doc, chain.head.offset))):
        return None
    try:
        key, indices = key_of_node(chain.head.raw, show(chain.head.raw), table)
    except NotationError:
        return None
    known = key in table.known_names() or key in table.families or key in table.lenient
    # `\sigma^2 := …` stays a claim: a square is a name only where the assignment declares it
    return None if indices or known or squared_base(key) is not None else key
