"""A raw tree written back as compact LaTeX, for messages and readings that quote the formula."""

from __future__ import annotations

import re
from functools import cache

from verifier.parse import tree as t

# The FUNC commands of vocabulary.lark; other function words are written `\\operatorname{...}`.
_FUNCTION_COMMANDS = {"log", "ln", "exp", "tanh", "sinh", "cosh", "sin", "cos", "max"}


@cache
def _greek() -> frozenset[str]:
    """The Greek letters the grammar knows, read off its own GREEK terminal."""
    from verifier.parse.parser import _lark

    pattern = _lark().get_terminal("GREEK").pattern.value
    return frozenset(re.search(r"\((.*?)\)", pattern).group(1).split("|"))


def show(node: t.RNode) -> str:
    """``W^{(1)} x``, ``\\log(y)``: close to what was written, spacing normalised."""
    if isinstance(node, t.RSym):
        if len(node.name) == 1:
            return node.name
        # Greek letters are commands; any other word came from \mathrm{...}: keep it a word
        return "\\" + node.name if node.name in _greek() else f"\\mathrm{{{node.name}}}"
    if isinstance(node, t.RNum):
        return node.text
    if isinstance(node, t.RDecorated):
        return f"\\{node.decoration}{{{show(node.body)}}}"
    if isinstance(node, t.RText):
        return f"\\text{{{node.text}}}"
    if isinstance(node, t.RTransposeMark):
        return "\\top"
    if isinstance(node, t.RCmd):
        return node.name
    if isinstance(node, t.REllipsis):
        return node.mark
    if isinstance(node, t.RMatrix):
        rows = (" & ".join("" if c is None else show(c) for c in row) for row in node.rows)
        return "\\begin{pmatrix} " + " \\\\ ".join(rows) + " \\end{pmatrix}"
    if isinstance(node, t.RSeq):
        return "{" + ", ".join(show(p) for p in node.pieces) + "}"
    if isinstance(node, t.RChain):
        return ("= " if node.continuation else "") + " = ".join(show(e) for e in node.exprs)
    if isinstance(node, t.RScripted):
        subs = "".join("_" + _script(s) for s in node.subs)
        sups = "".join("^" + _script(s) for s in node.sups)
        return show(node.base) + subs + sups + "'" * node.primes
    if isinstance(node, t.RGiven):
        return f"({show(node.left)}|{show(node.right)})"
    if isinstance(node, t.RArguments):
        return "(" + ", ".join(show(i) for i in node.items) + ")"
    if isinstance(node, t.RCompare):
        return f"({show(node.left)} {node.rel} {show(node.right)})"
    if isinstance(node, t.RMagnitude):
        return f"\\lvert {show(node.body)} \\rvert"
    if isinstance(node, t.RParen):
        close = ")" if node.opener == "(" else "]"
        return node.opener + show(node.body) + close
    if isinstance(node, t.RFrac):
        return f"\\frac{_script(node.num)}{_script(node.den)}"
    if isinstance(node, t.RSqrt):
        return f"\\sqrt{_script(node.body)}"
    if isinstance(node, t.RProduct):
        return juxtapose(node.items)
    if isinstance(node, t.RSum):
        rest = "".join(
            f" {op} {show(term)}" for op, term in zip(node.ops, node.terms[1:], strict=True)
        )
        return show(node.terms[0]) + rest
    if isinstance(node, t.RNeg):
        return "-" + show(node.body)
    return _operator(node)


def juxtapose(items: tuple[t.RNode, ...]) -> str:
    """Factors side by side: ``Wx``, ``2x``, but ``y_j t_j`` and ``\\log y``."""
    out = ""
    for prev, item in zip((None, *items), items, strict=False):
        text = show(item)
        simple = isinstance(prev, t.RNum) or (isinstance(prev, t.RSym) and len(prev.name) == 1)
        if prev is not None and not (simple and text[:1].isalpha()):
            out += " "
        out += text
    return out


def _operator(node: t.RNode) -> str:
    if isinstance(node, t.RFunc):
        command = node.name in _FUNCTION_COMMANDS
        return "\\" + node.name if command else f"\\operatorname{{{node.name}}}"
    if isinstance(node, t.RMulOp):
        return node.op if node.op in "*/" else "\\" + node.op
    if isinstance(node, t.RBigSum):
        subs = "".join("_" + _script(s) for s in node.subs)
        return "\\sum" + subs + "".join("^" + _script(s) for s in node.sups)
    if isinstance(node, t.RPartial):
        return "\\partial"
    if isinstance(node, t.RNabla):
        return "\\nabla" + "".join("_" + _script(s) for s in node.subs)
    raise TypeError(f"no rendering for {type(node).__name__}")


def _script(node: t.RNode) -> str:
    text = show(node)
    return text if len(text) == 1 or text.startswith("{") else "{" + text + "}"
