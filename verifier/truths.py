"""`--truths`: every derivable quantity of an assignment's models, in LaTeX, for instructors.

Each model's definitions as declared (a definition that only renames, `y = y^{(2)}`, is left
out), then the truth of each step target and of each derivative of the loss and of each node
by its parents (not a vector by a matrix, a rank-3 array, unless a step asks for it): in the
model's notation where the checker confirms a readable form (:mod:`verifier.check.readable`),
else one entry's form (`∂L/∂ŷ_i`), else entrywise at the first dimension set (marked)."""

from __future__ import annotations

from collections.abc import Iterator

from verifier.check import depth
from verifier.check.checker import Checker
from verifier.check.compare import Config, Probe
from verifier.check.decide import Resolved, dims_text
from verifier.check.readable import readable_truth
from verifier.errors import NotationError
from verifier.models.assignment import Assignment
from verifier.models.writing import Unwritable, write
from verifier.notation import SMOOTH
from verifier.parse import typed as ty
from verifier.parse.products import derivative_shape

ENTRYWISE = "% entrywise"  # marks a line no readable form was confirmed for


def truths(assignment: Assignment, checker: Checker | None = None) -> Iterator[str]:
    """The lines of `--truths`; an assignment whose step targets cannot be read raises
    AssignmentError before any line."""
    checker = checker or Checker(assignment, Config(isolate=False))
    checker.validate()
    for name in assignment.models:
        probe = checker.probe(name)
        model = probe.model
        yield f"% model {name}: {model.spec.description} (shown at {dims_text(model.dimension_sets[0])})"
        declared = assignment.functions if model.spec.functions is None else model.spec.functions
        smooth = [k for k, v in declared.items() if v == SMOOTH]  # a depth's own, if it has them
        if smooth:
            yield f"% {', '.join(smooth)}: any smooth function (a prime marks a derivative)"
        for d in model.definitions:
            if d.indices or not isinstance(d.rhs, ty.Var):  # `y = y^{(2)}` only renames
                yield d.source
        for text, head in dict(_heads(checker, name)).items():
            entry = _by_entry(probe, checker.config, head)
            if entry is not None:  # no form of the whole gradient, but one of its entries
                yield entry
                continue
            yield f"{text} = {_truth(probe, checker.config, head)}"


def _heads(checker: Checker, name: str) -> Iterator[tuple[str, Resolved]]:
    """(LaTeX, left side): the steps' targets, then the loss by each quantity and each node
    by its parents; a left side met twice is shown once."""
    seen: set[str] = set()
    generic = next(
        (
            (g, top)
            for g, d in checker.assignment.depths.items()
            for top, m in d.instances
            if m == name
        ),
        None,
    )
    for step in checker.assignment.steps:
        if step.model == name:
            targets = checker.targets(step.id)
        elif generic is not None and step.model == generic[0]:  # at this depth, layer by layer
            targets = depth.targets_at(checker, step.id, *generic)
        else:
            continue
        for text, head in targets:
            if _first(seen, head):
                yield text, head
    model = checker.model(name)
    table = model.table
    loss = model.loss
    quantities = [q for q in table.quantities.values() if q.kind != "family" and q.key != loss]
    pairs = [(loss, q.key) for q in quantities] if loss else []
    for d in model.definitions:
        if not d.indices and not ty.has_derivative(d.rhs):  # a named δ has no parents
            pairs += [(d.key, p) for p in _parents(d.rhs) if p != d.key]
    # ∂E/∂E_j would read as one entry's derivative, with j free: a family is no variable here
    pairs = [(a, b) for a, b in pairs if table.quantities[b].kind != "family"]
    for num, wrt in dict.fromkeys(pairs):
        a, b = _var(table, num), _var(table, wrt)
        try:
            shape = derivative_shape(a.shape, b.shape, table.layout, 0)
        except NotationError:  # no derivative of this shape pair (a matrix by a vector)
            continue
        if len(shape) == 3:  # a vector by a matrix: an array no course writes out whole
            continue
        head = Resolved(ty.Deriv(0, shape, a, b), {}, [])
        if _first(seen, head):
            text = rf"\frac{{\partial {_label(table, num)}}}{{\partial {_label(table, wrt)}}}"
            yield text, head


def _first(seen: set[str], head: Resolved) -> bool:
    key = ty.head_key(head.node, head.free)
    if key in seen:
        return False
    seen.add(key)
    return True


def _truth(probe: Probe, config: Config, head: Resolved) -> str:
    text = readable_truth(probe, config, head)
    if text is not None:
        return text
    env = {i: 0 for i in head.free}
    at = dims_text({**probe.instances[0][0].dims, **{i: 1 for i in head.free}})
    return f"{probe.truth_latex(head.node, env)} {ENTRYWISE} at {at}"


def _by_entry(probe: Probe, config: Config, head: Resolved) -> str | None:
    """`∂L/∂ŷ_i = -\frac{y_i}{ŷ_i}` where the gradient ∂L/∂ŷ has no confirmed form of its own."""
    node = head.node
    if head.free or not isinstance(node, ty.Deriv) or not ty.is_scalar(node.num.shape):
        return None
    wrt = node.wrt
    if not (isinstance(wrt, ty.Var) and len(wrt.shape) == 2):
        return None
    if readable_truth(probe, config, head) is not None:
        return None
    table = probe.model.table
    letters = [i for i in "ijkpq" if i not in table.dims]
    if ty.is_vector(wrt.shape):
        free = {letters[0]: ty.vector_length(wrt.shape)}
    else:  # ∂L/∂P_{ij}
        free = dict(zip(letters, wrt.shape, strict=False))
    entry = ty.Entry(0, (), wrt, tuple(free))
    at = Resolved(ty.Deriv(0, (), node.num, entry), free, [])
    form = readable_truth(probe, config, at)
    if form is None:
        return None
    try:
        num, by = write(node.num, table), write(entry, table)
    except Unwritable:
        return None
    return rf"\frac{{\partial {num}}}{{\partial {by}}} = {form}"


def _label(table, key: str) -> str:
    return table.quantities[key].label


def _var(table, key: str) -> ty.Var:
    return ty.Var(0, table.quantities[key].shape, key)


def _parents(node: ty.Node) -> list[str]:
    return [n.key for n in ty.walk(node) if isinstance(n, ty.Var)]
