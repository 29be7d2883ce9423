"""Names written as squares. An assignment that declares `\\sigma^2` (Ioffe and Szegedy's
variance, CS231n's `dσ²`) as a quantity of its own reads `\\sigma^2` and `\\sigma^{2}` as that
name everywhere (`\\frac{\\partial \\ell}{\\partial \\sigma^2}`, `d\\sigma^2`,
`(\\sigma^2 + \\epsilon)^{-3/2}`), never as a power of `\\sigma`, which such a model does not
have (the loader refuses both names in one model). An even power is a power of the name
(`\\sigma^4` is `(\\sigma^2)^2`, `\\sigma^{-2}` is `1/\\sigma^2`, true for any real σ); an odd
or fractional one would need σ itself, and is an error. `\\sigma_B^2` is the declared name
`\\sigma_B^2` when there is one, else entry B of `\\sigma^2`."""

from __future__ import annotations

from verifier.errors import NotationError
from verifier.notation import SymbolTable, squared_key, subscripted_key
from verifier.parse import tree as t
from verifier.parse.scripts import Superscript, unwrap


def whole_exponent(raw: t.RNode | None) -> int | None:
    """The exponent as a whole number (`2`, `{2}`, `-2`), or None."""
    inner = unwrap(raw) if raw is not None else None
    sign = 1
    if isinstance(inner, t.RNeg):
        inner, sign = unwrap(inner.body), -1
    if isinstance(inner, t.RNum) and inner.text.isdigit():
        return sign * int(inner.text)
    return None


def is_square(sups: list[Superscript]) -> bool:
    """`^2` or `^{2}` first among a symbol's superscripts."""
    return bool(sups) and whole_exponent(sups[0].exponent) == 2 and not sups[0].primes


def squared_name(
    table: SymbolTable, key: str, indices: tuple[str | int, ...], sups: list[Superscript], pos: int
) -> tuple[str, tuple[str | int, ...], int, list[Superscript]] | None:
    """(the squared name's key, its entry's indices, the power of it, the superscripts left)
    for `key` written with ``sups``, or None when the model declares no such square."""
    if not sups or sups[0].exponent is None:
        return None
    candidates = [(squared_key(key), indices)]
    if indices:  # `\\sigma_B^2`: a declared name carries its subscript
        candidates.insert(0, (subscripted_key(squared_key(key), indices), ()))
    found = next(((k, i) for k, i in candidates if _declared(table, k, i)), None)
    if found is None:
        return None
    name = table.quantities[found[0]].label if found[0] in table.quantities else found[0]
    if key in table.locals:
        raise NotationError(
            f"`{name}` is a name of this model and `{key}` is defined here: "
            f"`{key}^2` would be ambiguous",
            pos,
        )
    power = whole_exponent(sups[0].exponent)
    if power is None or power == 0 or power % 2:
        raise NotationError(
            f"`{name}` is a name of this model and `{key}` is not: only an even power of "
            f"`{key}` is read, as a power of `{name}` (`{key}^4` is `({key}^2)^2`)",
            pos,
        )
    return found[0], found[1], power // 2, sups[1:]


def _declared(table: SymbolTable, key: str, indices: tuple[str | int, ...]) -> bool:
    return key in table.quantities or (bool(indices) and key in table.families)
