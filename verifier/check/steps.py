"""Which labels start a step: those the assignment declares.

A line in prose that looks like a label (`(i) the weights:`, `2 terms remain`) must not move the
claims after it out of the step they belong to, where they would escape grading; so a label the
assignment does not know continues the step before it (its claims still count there).
"""

from __future__ import annotations

from dataclasses import replace

from verifier.models.assignment import Assignment
from verifier.source.document import Document, Step


def fold_undeclared(doc: Document, assignment: Assignment) -> Document:
    """``doc`` with every undeclared label's spans moved into the step before it (chains never
    cross a block, so what each block reads is unchanged)."""
    if not assignment.steps:
        return doc
    steps: list[Step] = []
    for step in doc.steps:
        known = step.id is None or assignment.step(step.id) is not None
        if known or not steps:
            steps.append(Step(step.id, step.offset, list(step.spans)))
        else:
            steps[-1].spans.extend(step.spans)
    return replace(doc, steps=steps) if len(steps) != len(doc.steps) else doc
