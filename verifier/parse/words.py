"""Words typed letter by letter: `net_{ik}` is the declared name net, not n·e·t_{ik}, and
`sigmoid(z)` is the function, not s·i·g·m·o·i·d·(z).

The grammar reads every Latin letter as a symbol of its own (as TeX typesets them); the typed
pass joins a run of letters written side by side when it spells a name the course declares, or
a function word of the library applied to what follows it.
"""

from __future__ import annotations

from collections.abc import Callable

from verifier.notation import BUILTIN_COMMANDS, LIBRARY
from verifier.parse import tree as t
from verifier.parse.show import show

# Words that name a function when typed plainly before a bracket (`relu` is read, then reported
# as not in the library, which beats reading r·e·l·u).
FUNCTION_WORDS = (frozenset(BUILTIN_COMMANDS) | frozenset(LIBRARY) | {"relu", "ReLU"}) - {"step"}


def _letter(node: t.RNode) -> t.RSym | None:
    base = node.base if isinstance(node, t.RScripted) else node
    return base if isinstance(base, t.RSym) and len(base.name) == 1 else None


def _run(items: tuple[t.RNode, ...], i: int) -> int:
    """End of the run of adjacent letters from ``i``; only its last letter may carry scripts."""
    j = i
    while j < len(items) and (letter := _letter(items[j])) is not None:
        if j > i and letter.pos != _letter(items[j - 1]).pos + 1:
            break
        j += 1
        if isinstance(items[j - 1], t.RScripted):
            break
    return j


def join_words(items: tuple[t.RNode, ...], is_name: Callable[[str], bool]) -> tuple[t.RNode, ...]:
    """``items`` with every run of letters that spells a declared name, or a function word
    with an argument after it, joined into one symbol or function; the longest word wins."""
    out: list[t.RNode] = []
    i = 0
    while i < len(items):
        conditional = given_name(items[i : i + 2])
        if conditional is not None:
            out.append(conditional)
            i += 2
            continue
        end = _run(items, i)
        joined = _longest(items, i, end, is_name) if end - i > 1 else None
        if joined is None:
            out.append(items[i])
            i += 1
            continue
        node, i = joined
        out.append(node)
    return tuple(out)


def given_name(items: tuple[t.RNode, ...]) -> t.RSym | None:
    """`p(o|c)` as one name (a course declares it), or None."""
    if len(items) == 2 and isinstance(items[0], t.RSym) and isinstance(items[1], t.RGiven):
        return t.RSym(items[0].pos, items[0].name + show(items[1]))
    return None


def _longest(items, i: int, end: int, is_name) -> tuple[t.RNode, int] | None:
    for j in range(end, i + 1, -1):
        word = "".join(_letter(items[k]).name for k in range(i, j))
        last = items[j - 1]
        pos = items[i].pos
        if is_name(word):
            symbol = t.RSym(pos, word)
            if isinstance(last, t.RScripted):
                return t.RScripted(pos, symbol, last.subs, last.sups, last.primes), j
            return symbol, j
        applied = j < len(items)  # `log(y)`, and `log y` as TeX shows it: a function word
        if word in FUNCTION_WORDS and not isinstance(last, t.RScripted) and applied:
            return t.RFunc(pos, word), j
    return None
