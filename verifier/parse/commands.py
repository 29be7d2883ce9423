"""What to tell a student about a command the tool does not read: a real LaTeX command it has no
reading for (`\\otimes`), or a misspelling of one it reads (`\\frca`), with the closest spellings
that would be read — never a different command for a real one (`\\right` for `\\hat`)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from verifier.source.expand import latex_defines

_GRAMMAR = Path(__file__).with_name("grammar")

# Read by the typed pass rather than named in the grammar's terminals.
_RESOLVED = "frac dfrac tfrac partial sum diag operatorname prime".split()


@cache
def readable() -> frozenset[str]:
    """Every command the grammar has a terminal for, as `\\name`."""
    names: set[str] = set(_RESOLVED)
    for path in _GRAMMAR.glob("*.lark"):
        for group in re.findall(r"\\\\\(?([A-Za-z|]+)", path.read_text(encoding="utf-8")):
            names.update(n for n in group.split("|") if len(n) > 1)
    return frozenset("\\" + n for n in names)


@cache
def latex_commands() -> frozenset[str]:
    """Real commands: what pdflatex defines, and math commands of MathJax and common packages."""
    text = (_GRAMMAR / "math_commands.txt").read_text(encoding="utf-8")
    words = (w for line in text.splitlines() if not line.startswith("#") for w in line.split())
    return frozenset("\\" + w for w in words) | latex_defines()


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A short ``did you mean`` suffix, or an empty string."""
    # never the name itself (`\\text` used wrongly is not a misspelling of `\\text`)
    close = difflib.get_close_matches(name, [k for k in known if k != name], n=2, cutoff=0.75)
    return (" — did you mean " + " or ".join(f"`{c}`" for c in close) + "?") if close else ""


def unknown_command(name: str, declared: Iterable[str] = ()) -> str:
    """The message for a command that has no reading here. ``declared``: the commands a course
    declares (`\\softmax` as a function), which are spellings that would be read."""
    if name in readable():
        return f"`{name}` cannot be read here"
    if name in latex_commands():
        return f"`{name}` is not read by this tool (no reading of it is defined)"
    hint = did_you_mean(name, readable() | set(declared))
    if hint:
        return f"unknown command `{name}`{hint}"
    example = f'[functions] "\\\\{name[1:]}" = "…"'
    return (
        f"unknown command `{name}`: define it with `\\newcommand` in the file, or an "
        f"assignment can declare it (`{example}`)"
    )
