"""Refusing an assignment: one line naming the file, the model, what is at fault and why."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from verifier.errors import AssignmentError, NotationError


def refusal(origin: str, model: str, where: str, reason: str) -> AssignmentError:
    return AssignmentError(f"{origin}: model {model}, {where}: {reason}")


@contextmanager
def about(origin: str, model: str, where: str) -> Iterator[None]:
    """A NotationError raised inside is the refusal of ``where``: one line, never a traceback."""
    try:
        yield
    except NotationError as exc:
        raise refusal(origin, model, where, exc.message) from None


def shown(source: str, limit: int = 60) -> str:
    """A definition or a name as a message quotes it: whole when short, on one line."""
    text = " ".join(source.split())
    if not text:
        return "(empty)"
    return f"`{text}`" if len(text) <= limit else f"`{text[: limit - 1]}…`"
