"""The symbol table a formula is read against: quantities with shapes, dimensions, functions."""

from __future__ import annotations

from dataclasses import dataclass, field

from verifier.parse.typed import Dim, Shape


def symbol_key(base: str, layer: int | None = None) -> str:
    """Canonical key of a symbol: ``W`` with layer 1 is ``W^{(1)}``; ``sigma`` is ``\\sigma``."""
    name = base if len(base) == 1 else "\\" + base
    return f"{name}^{{({layer})}}" if layer is not None else name


@dataclass(frozen=True)
class Quantity:
    key: str
    shape: Shape
    kind: str  # "leaf" (sampled input), "free" (a free variable), "node" (defined), "family"
    display: str = ""

    @property
    def label(self) -> str:
        return self.display or self.key


@dataclass(frozen=True)
class Lenient:
    """A spelling the assignment accepts with a warning (``Z^{(1)}`` for ``z^{(1)}``)."""

    target: str


@dataclass
class SymbolTable:
    dims: dict[str, int | None] = field(default_factory=dict)  # None: varies per dimension set
    quantities: dict[str, Quantity] = field(default_factory=dict)
    families: dict[str, Quantity] = field(default_factory=dict)  # base key -> family node
    functions: dict[str, str] = field(default_factory=dict)  # notation key -> library name
    lenient: dict[str, Lenient] = field(default_factory=dict)
    layout: str = "numerator"

    def with_lenient(self, extra: dict[str, Lenient]) -> SymbolTable:
        merged = SymbolTable(
            self.dims,
            self.quantities,
            self.families,
            self.functions,
            {**self.lenient, **extra},
            self.layout,
        )
        return merged

    def dim(self, name: str) -> Dim:
        value = self.dims[name]
        return value if value is not None else name

    def known_names(self) -> list[str]:
        return [*self.quantities, *self.functions, *self.dims]
