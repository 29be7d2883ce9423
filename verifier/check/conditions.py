"""Conditions on indices (issue 12): `\\quad i = j`, `\\text{if } i \\neq j`, "For the case
$i = j$:", `\\text{otherwise}`. A conditional claim is checked only at the index values where its
condition holds, and where it holds too rarely the claim is undecided, never a pass.

Only comparisons of index letters and whole numbers are read (`i = j`, `j \\neq k`, `i < j`,
`i = 1`); a condition on values (`t_j = 1`) stays an error naming it."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

from verifier.errors import NotationError

# Relations of a condition as the segmenter hands them, and what each compares.
_RELATIONS = {
    "=": operator.eq,
    "\\neq": operator.ne,
    "\\ne": operator.ne,
    "≠": operator.ne,
    "<": operator.lt,
    "\\lt": operator.lt,
    ">": operator.gt,
    "\\gt": operator.gt,
    "\\leq": operator.le,
    "\\le": operator.le,
    "\\leqslant": operator.le,
    "≤": operator.le,
    "\\geq": operator.ge,
    "\\ge": operator.ge,
    "\\geqslant": operator.ge,
    "≥": operator.ge,
}

Term = str | int  # an index letter, or a 0-based position (written 1-based)


@dataclass(frozen=True)
class Comparison:
    left: Term
    rel: str
    right: Term

    def holds(self, env: dict[str, int], dims: dict[str, int]) -> bool:
        return _RELATIONS[self.rel](_value(self.left, env, dims), _value(self.right, env, dims))


@dataclass(frozen=True)
class Condition:
    """All of ``comparisons`` hold; with ``otherwise``, none of those conditions holds."""

    comparisons: tuple[Comparison, ...] = ()
    otherwise: tuple[Condition, ...] = ()
    source: str = ""  # as written, for messages
    alone: bool = False  # written alone in prose ("For the case $i = j$:"), not after a claim

    @property
    def text(self) -> str:
        """As a message says it: `i \\neq j`; `otherwise` names what it excludes."""
        if not self.otherwise:
            return self.source
        return "otherwise (not " + " and not ".join(o.text for o in self.otherwise) + ")"

    def renamed(self, names: dict[str, str]) -> Condition:
        """The condition on indices renamed as :func:`verifier.parse.typed.free_names` does."""
        comparisons = tuple(
            Comparison(names.get(c.left, c.left), c.rel, names.get(c.right, c.right))
            if isinstance(c.left, str) or isinstance(c.right, str)
            else c
            for c in self.comparisons
        )
        others = tuple(o.renamed(names) for o in self.otherwise)
        return Condition(comparisons, others, self.source, self.alone)

    @property
    def indices(self) -> frozenset[str]:
        found = {t for c in self.comparisons for t in (c.left, c.right) if isinstance(t, str)}
        for other in self.otherwise:
            found |= other.indices
        return frozenset(found)

    def holds(self, env: dict[str, int], dims: dict[str, int]) -> bool:
        """At index values ``env`` (0-based) of a model at dimensions ``dims``."""
        return all(c.holds(env, dims) for c in self.comparisons) and not any(
            o.holds(env, dims) for o in self.otherwise
        )


def read_condition(members: list[tuple[str, str]], source: str) -> Condition:
    """A condition from the segmenter's members, each (relation before it, text): `i \\neq j`
    is [("", "i"), ("\\neq", "j")]. Raises NotationError for anything but indices and numbers."""
    terms = [_term(text, source) for _, text in members]
    comparisons = []
    for (rel, _), left, right in zip(members[1:], terms[:-1], terms[1:], strict=True):
        key = rel.strip()
        if key not in _RELATIONS:
            raise NotationError(f"`{key}` in a condition is not read ({source})", None)
        comparisons.append(Comparison(left, key, right))
    if not comparisons:
        raise NotationError(f"a condition compares indices: `{source}` compares nothing", None)
    return Condition(tuple(comparisons), source=source)


def otherwise(before: list[Condition], source: str) -> Condition:
    """`\\text{otherwise}`: where none of the conditions before it in its group holds."""
    if not before:
        raise NotationError("`otherwise` with no condition before it", None)
    return Condition((), tuple(before), source)


def _value(term: Term, env: dict[str, int], dims: dict[str, int]) -> int:
    """An index's value, a number, or a dimension as the last index value it sizes (`i \\le n`
    with i written 1-based is i ≤ n - 1 counted from 0)."""
    if isinstance(term, int):
        return term
    return env[term] if term in env else dims[term] - 1


def _term(text: str, source: str) -> Term:
    text = text.strip().strip("{}").strip()
    if re.fullmatch(r"[A-Za-z]", text):
        return text
    if re.fullmatch(r"[0-9]+", text) and int(text) >= 1:
        return int(text) - 1  # written 1-based, like every index
    raise NotationError(
        f"only conditions on indices are read (`i = j`, `i \\neq j`, `i = 1`): `{source}`", None
    )
