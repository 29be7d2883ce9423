"""A model: its symbol table and its definitions, read with the same grammar as submissions.

Building a model checks what the assignment declares (``declare``) and reads its definitions
in order (``definition``); whatever is wrong is refused as one line that names the file, the
model, the declaration or definition at fault, and the reason."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.errors import AssignmentError
from verifier.models.assignment import Assignment, ModelSpec
from verifier.models.declare import declare, finish
from verifier.models.definition import Definition, read_definition
from verifier.models.names import key_of, name_of
from verifier.models.refuse import about, refusal, shown
from verifier.notation import SymbolTable
from verifier.parse import typed as ty

__all__ = ["Definition", "Model", "build_model", "key_of", "name_of"]


@dataclass(frozen=True)
class Model:
    name: str
    spec: ModelSpec
    table: SymbolTable
    definitions: tuple[Definition, ...]
    assumptions: dict[str, str]  # by quantity key: `\\mathbf{t}` declared is the key `t`
    origin: str = ""  # the assignment file, for messages

    @property
    def dimension_sets(self) -> list[dict[str, int]]:
        return [{**self.spec.constants, **dims} for dims in self.spec.dimensions]

    @property
    def loss(self) -> str | None:
        """The last scalar definition: what `--truths` differentiates (a named δ defined after
        the loss is not the loss)."""
        scalar = [
            d.key
            for d in self.definitions
            if not d.indices and ty.is_scalar(self.table.quantities[d.key].shape)
        ]
        return scalar[-1] if scalar else None

    def refusal(self, definition: Definition, reason: str) -> AssignmentError:
        where = f"definition {definition.number} {shown(definition.source)}"
        return refusal(self.origin, self.name, where, reason)


def build_model(assignment: Assignment, name: str) -> Model:
    """The model ``name``, or an :class:`AssignmentError` naming what is wrong with it."""
    spec = assignment.models[name]
    origin = str(assignment.path)
    table = declare(assignment, spec, origin)
    definitions = []
    for number, source in enumerate(spec.definitions, 1):
        with about(origin, name, f"definition {number} {shown(source)}"):
            definitions.append(read_definition(table, source, number))
    assumptions = finish(spec, table, origin)
    return Model(spec.name, spec, table, tuple(definitions), assumptions, origin)
