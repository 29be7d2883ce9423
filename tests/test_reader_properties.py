r"""Property: nothing written in a math span is dropped.

For true claims of the bundled assignments (every pass of their example solutions), appending
``+ c·term`` — c a nonzero rational with 10⁻³ ≤ |c| ≤ 10³, term an input entry of the claim's
model — after any separator, or on a new row of an ``aligned`` block, never yields pass or warn:
the extra term is either read into the formula (and makes it false) or reported as unread.
Hypothesis draws derandomized examples; proofs are off (the verdict is the numeric probe's).
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

from hypothesis import given, note, settings
from hypothesis import strategies as st

from verifier.api import check_file, check_text
from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.check.verdicts import Verdict
from verifier.models.assignment import load_assignment

ASSIGNMENTS = ("backprop", "tanh_mse")
SEPARATORS = [
    r"\quad",
    r"\qquad",
    ",",
    ";",
    ".",
    ":",
    r"\\",
    r"\\ &",
    r"\\ &\quad",
    r"\therefore",
    r"\because",
    r"\Rightarrow",
    r"\implies",
    r"\text{ so }",
    r"\text{, and}",
    r"\, , \;",
    "ALIGNED",  # a new row of an aligned block
]


@cache
def checker(name: str) -> Checker:
    return Checker(load_assignment(name), Config(prove=False))


@cache
def true_claims() -> tuple[tuple[str, str, str, str], ...]:
    """(assignment, step, left side, right side) of every passing claim of the examples."""
    found = []
    for name in ASSIGNMENTS:
        ck = checker(name)
        result = check_file(str(ck.assignment.example), checker=ck)
        for step in result.steps:
            for claim in step.claims:
                if claim.verdict is Verdict.PASS and " = " in claim.source:
                    left, right = claim.source.split(" = ", 1)
                    found.append((name, step.id, left, right))
    return tuple(found)


def entries(name: str, step: str) -> list[str]:
    """One entry of each input of the step's model, as a student writes it: t, x_1, W_{11}."""
    ck = checker(name)
    model = ck.model(ck.assignment.step(step).model)
    out = []
    for q in model.table.quantities.values():
        if q.kind != "leaf":
            continue
        if q.shape == ():
            out.append(q.key)
        elif 1 in q.shape:
            out.append(f"{q.key}_{{1}}")
        else:
            out.append(f"{q.key}_{{11}}")
    return out


coefficients = st.fractions(min_value=Fraction(-1000), max_value=Fraction(1000)).filter(
    lambda c: Fraction(1, 1000) <= abs(c) <= 1000
)


def written(c: Fraction) -> str:
    sign = "-" if c < 0 else "+"
    c = abs(c)
    number = (
        str(c.numerator) if c.denominator == 1 else rf"\frac{{{c.numerator}}}{{{c.denominator}}}"
    )
    return f"{sign} {number}"


@settings(derandomize=True, deadline=None, max_examples=120, database=None)
@given(data=st.data())
def test_a_term_after_any_separator_is_never_dropped(data):
    name, step, left, right = data.draw(st.sampled_from(true_claims()))
    term = data.draw(st.sampled_from(entries(name, step)))
    extra = f"{written(data.draw(coefficients))} {term}"
    sep = data.draw(st.sampled_from(SEPARATORS))
    if sep == "ALIGNED":
        math = rf"\begin{{aligned}} {left} &= {right} \\ &\quad {extra} \end{{aligned}}"
    else:
        math = f"{left} = {right} {sep} {extra}"
    text = f"{step}: $${math}$$\n"
    note(text)
    result = check_text(text, path="s.md", checker=checker(name))
    verdicts = [c.verdict for c in result.claims]
    note(str([(c.verdict.value, c.message[:80]) for c in result.claims]))
    assert verdicts and max(v.severity for v in verdicts) > Verdict.WARN.severity


def test_the_property_draws_from_both_assignments():
    assert {name for name, *_ in true_claims()} == set(ASSIGNMENTS)
    assert len(true_claims()) >= 40
