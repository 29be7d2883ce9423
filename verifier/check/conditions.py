"""Conditions on indices (issue 12): `\\quad i = j`, `\\text{if } i \\neq j`, "For the case
$i = j$:", `\\text{otherwise}`. A conditional claim is checked only at the index values where its
condition holds, and where it holds too rarely the claim is undecided, never a pass.

Comparisons of index letters and whole numbers (`i = j`, `j \\neq k`, `i < j`, `i = 1`) select
index values. A condition on values (`\\text{if } t_j = 1`, a row `& t_j = 0` of `cases`) is
read in the claim's model and selects sample points: the claim is checked at the points where it
holds, by certified numeric agreement alone (an exact residual would ignore the condition)."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

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


@dataclass(frozen=True)
class Value:
    """A side of a condition that is a value of the model (`t_j`), read in the claim's model."""

    text: str


@dataclass(frozen=True)
class Offset:
    """`j + 1`, `n - 1`, `L - 1`: an index letter (a dimension, a layer) plus a whole number."""

    letter: str
    by: int


# an index letter, a 0-based position (written 1-based), a letter plus a number, or a value
Term = str | int | Offset | Value
Values = Callable[[Value], np.ndarray]  # a value's float64 values at the points
# Values closer than this (relative) are on the boundary of an inequality: neither side of it.
MARGIN = 1e-9


@dataclass(frozen=True)
class Comparison:
    left: Term
    rel: str
    right: Term

    @property
    def on_values(self) -> bool:
        return isinstance(self.left, Value) or isinstance(self.right, Value)

    def holds(self, env: dict[str, int], dims: dict[str, int]) -> bool:
        """At index values ``env``; a comparison of values may hold there (True)."""
        if self.on_values:
            return True
        return _RELATIONS[self.rel](_value(self.left, env, dims), _value(self.right, env, dims))

    def on_layers(self, letters: frozenset[str]) -> bool:
        """Whether it compares layers (a side is the layer index or the depth, or one plus a
        number); raises NotationError where it compares a layer with anything else."""
        sides = (self.left, self.right)
        if not any(_letter(t) in letters for t in sides):
            return False
        for t in sides:
            if isinstance(t, Value) or (_letter(t) is not None and _letter(t) not in letters):
                raise NotationError(
                    f"`{_shown(t)}` is compared with a layer: a layer is compared with layers and "
                    "whole numbers",
                    None,
                )
        return True

    def at_layers(self, env: dict[str, int]) -> bool:
        """At the layer values ``env``; numbers are layer numbers as written."""
        return _RELATIONS[self.rel](_layer(self.left, env), _layer(self.right, env))

    def at_points(self, env: dict[str, int], dims: dict[str, int], values: Values):
        """Where it holds at each point (an array), or at every point (a bool)."""
        if not self.on_values:
            return self.holds(env, dims)
        a, b = (
            values(t) if isinstance(t, Value) else np.float64(_value(t, env, dims))
            for t in (self.left, self.right)
        )
        return _compare(self.rel, np.asarray(a, dtype=float), np.asarray(b, dtype=float))


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
            Comparison(_renamed(c.left, names), c.rel, _renamed(c.right, names))
            for c in self.comparisons
        )
        others = tuple(o.renamed(names) for o in self.otherwise)
        return Condition(comparisons, others, self.source, self.alone)

    @property
    def values(self) -> frozenset[Value]:
        found = {t for c in self.comparisons for t in (c.left, c.right) if isinstance(t, Value)}
        for other in self.otherwise:
            found |= other.values
        return frozenset(found)

    @property
    def indices(self) -> frozenset[str]:
        found = {_letter(t) for c in self.comparisons for t in (c.left, c.right)} - {None}
        for other in self.otherwise:
            found |= other.indices
        return frozenset(found)

    @property
    def zero(self) -> bool:
        """Whether it compares with 0: a layer (the input's), never an index (from 1)."""
        terms = [t for c in self.comparisons for t in (c.left, c.right)]
        return -1 in [t for t in terms if isinstance(t, int)] or any(o.zero for o in self.otherwise)

    def on_layers(self, letters: frozenset[str]) -> bool:
        """Whether it is a condition on layers (`\\text{for } l < L`) alone; raises
        NotationError where it mixes layers with indices or values."""
        kinds = {c.on_layers(letters) for c in self.comparisons}
        kinds |= {o.on_layers(letters) for o in self.otherwise}
        if len(kinds) > 1:
            raise NotationError(
                f"a condition on layers and on other things at once is not read ({self.text}): "
                "write each on its own",
                None,
            )
        return kinds == {True}

    def at_layers(self, env: dict[str, int]) -> bool:
        """Whether a condition on layers holds at the layer values ``env``."""
        return all(c.at_layers(env) for c in self.comparisons) and not any(
            o.at_layers(env) for o in self.otherwise
        )

    def holds(self, env: dict[str, int], dims: dict[str, int]) -> bool:
        """At index values ``env`` (0-based) of a model at dimensions ``dims``; with conditions
        on values, whether it may hold there (the points decide: :meth:`at_points`)."""
        if not all(c.holds(env, dims) for c in self.comparisons):
            return False
        return not any(o.holds(env, dims) and not o.values for o in self.otherwise)

    def at_points(self, env: dict[str, int], dims: dict[str, int], values: Values):
        """Where it holds at each sample point (an array), or everywhere/nowhere (a bool)."""
        found = True
        for c in self.comparisons:
            found = found & c.at_points(env, dims, values)
        for o in self.otherwise:
            found = found & ~np.asarray(o.at_points(env, dims, values), dtype=bool)
        return found

    def sure(self, env: dict[str, int], dims: dict[str, int], present: list[Condition]) -> bool:
        """Whether claims under this condition and ``present`` surely cover index values
        ``env``: a condition on values covers them only as the `otherwise` of conditions all
        present (`t_j = 1`, then `\\text{otherwise}`)."""
        if not self.values:
            return self.holds(env, dims)
        return (
            bool(self.otherwise)
            and all(o in present for o in self.otherwise)
            and all(c.holds(env, dims) for c in self.comparisons if not c.on_values)
            and not any(c.on_values for c in self.comparisons)
        )


def read_condition(
    members: list[tuple[str, str]], source: str, is_symbol: Callable[[str], bool] = lambda _: False
) -> Condition:
    """A condition from the segmenter's members, each (relation before it, text): `i \\neq j`
    is [("", "i"), ("\\neq", "j")]; a side that is neither an index letter nor a whole number
    is a value (`t_j`), read later in the claim's model. Raises NotationError for a relation
    that is not a comparison, or an index compared with a value."""
    terms = [_term(text, source, is_symbol) for _, text in members]
    if any(
        isinstance(t, str | Offset) for t in terms
    ):  # `1 \\le i \\le n`: beside an index, n bounds it
        terms = [_bound(t) for t in terms]
    if any(isinstance(t, Value) for t in terms):  # `t_j = 1`: numbers are values, not positions
        terms = [
            Value(text.strip()) if isinstance(t, int) else t
            for t, (_, text) in zip(terms, members, strict=True)
        ]
    comparisons = []
    for (rel, _), left, right in zip(members[1:], terms[:-1], terms[1:], strict=True):
        key = rel.strip()
        if key not in _RELATIONS:
            raise NotationError(f"`{key}` in a condition is not read ({source})", None)
        sides = ((left, right), (right, left))
        if any(_letter(a) is not None and isinstance(b, Value) for a, b in sides):  # `i = t_j`
            raise NotationError(
                f"an index is compared with indices and whole numbers from 1 ({source})", None
            )
        comparisons.append(Comparison(left, key, right))
    if not comparisons:
        raise NotationError(f"a condition compares indices: `{source}` compares nothing", None)
    return Condition(tuple(comparisons), source=source)


def both(a: Condition, b: Condition) -> Condition:
    """Two conditions written one after the other (`i = j, j = 1`): where both hold."""
    return Condition(
        a.comparisons + b.comparisons, a.otherwise + b.otherwise, f"{a.source}, {b.source}"
    )


def otherwise(before: list[Condition], source: str) -> Condition:
    """`\\text{otherwise}`: where none of the conditions before it in its group holds."""
    if not before:
        raise NotationError("`otherwise` with no condition before it", None)
    return Condition((), tuple(before), source)


def _compare(rel: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a rel b`` point by point; an inequality within ``MARGIN`` of its boundary holds at
    neither side (float64 cannot tell), and nan nowhere."""
    with np.errstate(all="ignore"):
        gap = a - b
        tol = MARGIN * (1 + np.abs(a) + np.abs(b))
        if rel == "=":
            return a == b
        if _RELATIONS[rel] is operator.ne:
            return np.abs(gap) > tol
        beyond = np.abs(gap) > tol
        if _RELATIONS[rel] in (operator.lt, operator.gt):
            return beyond & _RELATIONS[rel](gap, 0)
        return (beyond & _RELATIONS[rel](gap, 0)) | (a == b)


def _bound(term: Term) -> Term:
    """Beside an index, a one-letter name is a dimension bounding it (`i \\le n`, `i \\le n - 1`)."""
    if not isinstance(term, Value):
        return term
    if re.fullmatch(r"[A-Za-z]", term.text):
        return term.text
    return _offset(term.text) or term


def _value(term: Term, env: dict[str, int], dims: dict[str, int]) -> int:
    """An index's value, a number, or a dimension as the last index value it sizes (`i \\le n`
    with i written 1-based is i ≤ n - 1 counted from 0)."""
    if isinstance(term, int):
        return term
    if isinstance(term, Offset):
        return _value(term.letter, env, dims) + term.by
    if term in env:
        return env[term]
    if term not in dims:
        raise NotationError(f"`{term}` in a condition is no index or dimension", None)
    return dims[term] - 1


def _layer(term: Term, env: dict[str, int]) -> int:
    """A layer's number: the index or depth at ``env``, or a number as written (not 0-based)."""
    if isinstance(term, int):
        return term + 1
    letter = _letter(term)
    if letter is None or letter not in env:
        raise NotationError(f"`{_shown(term)}` in a condition on layers is not read", None)
    return env[letter] + (term.by if isinstance(term, Offset) else 0)


def _offset(text: str) -> Offset | None:
    """`j + 1`, `n - 1` as written, or None."""
    plus = re.fullmatch(r"([A-Za-z])\s*([+-])\s*([0-9]+)", text)
    return Offset(plus[1], int(plus[3]) * (1 if plus[2] == "+" else -1)) if plus else None


def _letter(term: Term) -> str | None:
    """The letter of an index (`j`) or of one plus a number (`j + 1`); None for the rest."""
    return term if isinstance(term, str) else term.letter if isinstance(term, Offset) else None


def _renamed(term: Term, names: dict[str, str]) -> Term:
    if isinstance(term, Offset):
        return Offset(names.get(term.letter, term.letter), term.by)
    return names.get(term, term) if isinstance(term, str) else term


def _shown(term: Term) -> str:
    if isinstance(term, Offset):
        return f"{term.letter} {'+' if term.by > 0 else '-'} {abs(term.by)}"
    return (
        term.text if isinstance(term, Value) else str(term + 1 if isinstance(term, int) else term)
    )


def _term(written: str, source: str, is_symbol: Callable[[str], bool]) -> Term:
    text = written.strip().strip("{}").strip()
    if re.fullmatch(r"[A-Za-z]", text) and not is_symbol(text):  # `t = 0`: t is a value
        return text
    plus = _offset(text)
    if plus and not is_symbol(plus.letter):  # `j + 1`, `L - 1`
        return plus
    if re.fullmatch(r"[0-9]+", text):
        return int(text) - 1  # written 1-based, like every index (0 is before the first; a layer)
    if not text:
        raise NotationError(f"a side of the condition `{source}` is empty", None)
    return Value(written.strip())  # read in the claim's model
