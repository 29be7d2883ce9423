r"""The segmenter: a math span → pieces (kind, members) with every token accounted for.

Rows read (span, [(kind, [member sources])]): the members are shown as written; a continued row's
separators stay in its source but are blanked in what is parsed.
"""

from __future__ import annotations

import pytest

from verifier.errors import NotationError
from verifier.parse.segment import (
    CHAIN,
    CONDITION,
    CONTINUES,
    LONE,
    UNREAD,
    segment,
    text_role,
)

# one-letter names of the model; i, j, u, v are index letters
SYMBOLS = {"a", "b", "c", "d", "m", "t", "x", "y", "W", "E"}


def pieces(text: str) -> list[tuple[str, list[str]]]:
    return [(p.kind, [m.source for m in p.members]) for p in segment(text, 0, SYMBOLS.__contains__)]


SEGMENTS = [
    # separators cut a span; each piece with a relation is a claim of its own
    (r"a = b \quad c = d", [(CHAIN, ["a", "b"]), (CHAIN, ["c", "d"])]),
    (r"a = b, c = d", [(CHAIN, ["a", "b"]), (CHAIN, ["c", "d"])]),
    (r"\therefore a = b \Rightarrow c = d", [(CHAIN, ["a", "b"]), (CHAIN, ["c", "d"])]),
    (r"a = b \text{ and so } c = d", [(CHAIN, ["a", "b"]), (CHAIN, ["c", "d"])]),
    # alignment and spacing never split
    (r"a &= b \, c \; d", [(CHAIN, ["a", r"b \, c \; d"])]),
    # a row or piece that starts with a relation or an operator continues the one before it
    (r"a &= b \\ &= c", [(CHAIN, ["a", "b", "c"])]),
    (r"a &= b \\ &\quad + 5", [(CHAIN, ["a", r"b \\ &\quad + 5"])]),
    (r"a = b, \quad - c", [(CHAIN, ["a", r"b, \quad - c"])]),
    (r"a = b \\ \cdot c", [(CHAIN, ["a", r"b \\ \cdot c"])]),
    (r"a = b \\ \times c", [(CHAIN, ["a", r"b \\ \times c"])]),
    (r"a = b \\ \pm c", [(CHAIN, ["a", r"b \\ \pm c"])]),
    (r"a \\ = b", [(CHAIN, ["a", "b"])]),
    # a span that starts with a relation continues an earlier span's chain
    (r"= b = c", [(CONTINUES, ["b", "c"])]),
    (r"&= b", [(CONTINUES, ["b"])]),
    # labels, tags, quantifiers and trailing punctuation are read and dropped
    (r"a = b \tag{3}", [(CHAIN, ["a", "b"])]),
    (r"a = b \tag{(3)} \label{eq:1} \nonumber \notag", [(CHAIN, ["a", "b"])]),
    # `\tag*{+5}` prints +5 with no brackets: it is content, and cannot be read
    (r"a = b \tag*{+5}", [(CHAIN, ["a", r"b \tag*{+5}"])]),
    (r"a = b \quad \forall i", [(CHAIN, ["a", "b"])]),
    (r"a = b \quad \forall i, j", [(CHAIN, ["a", "b"])]),
    (r"a = b \quad \text{for all } i", [(CHAIN, ["a", "b"])]),
    (r"a = b.", [(CHAIN, ["a", "b"])]),
    (r"a = b,", [(CHAIN, ["a", "b"])]),
    (r"a = b \quad (3)", [(CHAIN, ["a", "b"])]),
    # ... but a bracketed number elsewhere is content: a factor, or stray
    (r"a = b \\ &(2)", [(CHAIN, ["a", "b"]), (UNREAD, ["(2)"])]),
    (r"a = b \quad (0.5)", [(CHAIN, ["a", "b"]), (UNREAD, ["(0.5)"])]),
    # row spacing `\\[4pt]` and `\\*` are row breaks, not brackets
    (r"a &= b \\[4pt] &= c \\* &= d", [(CHAIN, ["a", "b", "c", "d"])]),
    # two equations on one row of an align: the second `&` separates them
    (r"a &= b & c &= d", [(CHAIN, ["a", "b"]), (CHAIN, ["c", "d"])]),
    (r"a &=& b \\ &=& c", [(CHAIN, ["a", "b", "c"])]),  # eqnarray's columns
    # `{}` renders nothing: `{}+ 5` is a continued row
    (r"a = b \\ {}+ 5", [(CHAIN, ["a", r"b \\ {}+ 5"])]),
    # a quantifier never swallows what follows it, nor is continued
    (r"a = b \quad \forall i + 5", [(CHAIN, ["a", "b"]), (UNREAD, ["i + 5"])]),
    (r"a = b \quad \forall i \quad + 5", [(CHAIN, ["a", "b"]), (UNREAD, ["+ 5"])]),
    (r"a = b \quad \text{if}", [(CHAIN, ["a", "b"]), (CONDITION, [r"\text{if}"])]),
    (r"\textbf{Step 3:} a = b", [(CHAIN, ["a", "b"])]),
    # conditions on indices: bare index letters or numbers, or what follows `\text{if}`
    (r"a = b \quad i = j", [(CHAIN, ["a", "b"]), (CONDITION, ["i", "j"])]),
    (r"a = b \quad i \neq j", [(CHAIN, ["a", "b"]), (CONDITION, ["i", "j"])]),
    # a letter plus a number compares like a letter (`l \le L - 1`); `m + 1 = 2` is a claim
    (r"a = b \quad l \le L - 1", [(CHAIN, ["a", "b"]), (CONDITION, ["l", "L - 1"])]),
    (r"a = b \quad i = j+1", [(CHAIN, ["a", "b"]), (CONDITION, ["i", "j+1"])]),
    (r"a = b \quad 2 = a + 1", [(CHAIN, ["a", "b"]), (CHAIN, ["2", "a + 1"])]),
    (r"a = b \quad \text{if } i = j", [(CHAIN, ["a", "b"]), (CONDITION, ["i", "j"])]),
    (r"a = b \quad \text{if } y_i > 0", [(CHAIN, ["a", "b"]), (CONDITION, ["y_i", "0"])]),
    (r"a = b \quad j = 1", [(CHAIN, ["a", "b"]), (CONDITION, ["j", "1"])]),
    (r"a = b \quad \text{otherwise}", [(CHAIN, ["a", "b"]), (CONDITION, [r"\text{otherwise}"])]),
    # ... but a model's own one-letter name equated to a number is a claim
    (r"m = 1", [(CHAIN, ["m", "1"])]),
    (r"a = b \quad m = 1", [(CHAIN, ["a", "b"]), (CHAIN, ["m", "1"])]),
    # relations that are not equalities are reported, never checked as `=`
    (r"a = b \approx c", [(UNREAD, ["a", "b", "c"])]),
    (r"E \geq 0", [(UNREAD, ["E", "0"])]),
    (r"W \leftarrow W - x", [(UNREAD, ["W", "W - x"])]),
    # a lone expression is a mention when it is all there is; beside a claim it is unread
    (r"x", [(LONE, ["x"])]),
    (r"\text{where } x", [(LONE, ["x"])]),
    (r"a = b \quad c", [(CHAIN, ["a", "b"]), (UNREAD, ["c"])]),
    (r"i_1, i_2", [(LONE, ["i_1"]), (LONE, ["i_2"])]),  # a list in prose states nothing
    (r"a = b \text{ where } t \text{ is the target}", [(CHAIN, ["a", "b"]), (UNREAD, ["t"])]),
    # prose that renders as part of the formula is content (and unreadable), not a separator
    (r"a = b \text{ plus } 5", [(CHAIN, ["a", r"b \text{ plus } 5"])]),
    (r"a \text{=} b", [(UNREAD, [r"a \text{=} b"])]),
    (r"a = \text{anything}", [(CHAIN, ["a", r"\text{anything}"])]),
    # separators inside brackets belong to what is inside
    (r"a = W_{u,v} + \sum_{i,j} x", [(CHAIN, ["a", r"W_{u,v} + \sum_{i,j} x"])]),
]


@pytest.mark.parametrize(("text", "expected"), SEGMENTS)
def test_segment(text: str, expected: list[tuple[str, list[str]]]) -> None:
    assert pieces(text) == expected


def test_a_continued_row_is_parsed_without_its_separators() -> None:
    ((piece),) = segment(r"a &= b \\ &\quad + 5", 100, SYMBOLS.__contains__)
    member = piece.members[1]
    assert member.offset == 105 and member.text.split() == ["b", "&", "+", "5"]


MEMBER_ERRORS = [
    (r"a = b \text{ plus } 5", "`\\text{ plus }`"),
    (r"a = \text{eval(x)} - b", "stands where an expression belongs"),
    (r"a = b # c", "unexpected character `#`"),
    (r"a = -b‰", "unexpected character `‰`"),  # at the edge of a member too
    (r"a = ¶b", "unexpected character `¶`"),
    (r"a = ", "nothing after `=`"),
]


@pytest.mark.parametrize(("text", "fragment"), MEMBER_ERRORS)
def test_member_errors_are_named(text: str, fragment: str) -> None:
    (chain,) = segment(text, 0, SYMBOLS.__contains__)
    assert fragment in chain.members[-1].error


def test_one_bad_character_costs_one_member() -> None:
    chain, other = segment(r"a = b # c \quad x = y", 0, SYMBOLS.__contains__)
    assert chain.members[1].error and not other.members[1].error


def test_unbalanced_span_is_refused_whole() -> None:
    with pytest.raises(NotationError, match="never closed"):
        segment(r"a = (b", 0, SYMBOLS.__contains__)


TEXT_ROLES = [
    (r"\text{where }", "prose"),
    (r"\text{ and }", "prose"),
    (r"\text{by the chain rule (3)}", "prose"),
    (r"\text{left-hand side}", "prose"),
    (r'\text{__import__("os")}', "prose"),
    (r"\textbf{Step 3:}", "label"),
    (r"\text{=}", "formula"),
    (r"\text{ plus }", "formula"),
    (r"\text{ times }", "formula"),
    (r"\text{-}", "formula"),
    (r"\text{5}", "formula"),
    (r"\text{²}", "formula"),
    (r"\text{'}", "formula"),
    (r"\text{ x}", "formula"),
    (r"\text{(5)}", "formula"),
    (r"\text{ over two}", "formula"),
    (r"\text{ doubled}", "formula"),
    (r"\text{ q5}", "formula"),
    (r"\text{(this is the loss)}", "prose"),
    (r"\text{the student's rule}", "prose"),
    (r"\text{for all }", "quantifier"),
    (r"\text{if }", "condition"),
    (r"\text{otherwise}", "otherwise"),
]


@pytest.mark.parametrize(("token", "role"), TEXT_ROLES)
def test_text_role(token: str, role: str) -> None:
    assert text_role(token) == role
