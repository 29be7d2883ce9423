"""Assignment files (TOML in ``derivations/``): models, notation, steps. Validated by schema."""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from verifier.errors import AssignmentError
from verifier.source.document import canonical_label

DEFAULT_ASSIGNMENT = "backprop"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    description: str
    dimensions: tuple[dict[str, int], ...]
    constants: dict[str, int]
    inputs: dict[str, list[str | int]]
    variables: dict[str, list[str | int]]
    definitions: tuple[str, ...]
    assumptions: dict[str, str]
    lenient: dict[str, str]
    batch: dict[str, object] = field(default_factory=dict)  # examples, size, broadcast
    columns: dict[str, str] = field(default_factory=dict)  # `u_w` is column w of U: { u = "U" }
    rows: dict[str, str] = field(default_factory=dict)
    hot: dict[str, str] = field(default_factory=dict)  # `o` is where the one-hot y is 1
    # a model of one depth declares its own functions (`g^{[L]}`, its output's, over `g^{[l]}`);
    # None: the assignment's [functions]
    functions: dict[str, str] | None = None
    # dimensions the loader draws (a depth's widths): checked at every depth, so two of them equal
    # to another dimension in every set at one depth are not refused (see declare._check_apart)
    drawn: frozenset[str] = frozenset()


@dataclass(frozen=True)
class StepSpec:
    id: str
    model: str
    lenient: dict[str, str] = field(default_factory=dict)
    targets: tuple[str, ...] = ()  # left-hand sides the step must state (grading)
    points: float = 1.0
    closed_form: bool = True  # a target counts only when its right side has no derivative left
    labels: tuple[str, ...] = ()  # the course's own labels for this step: "(a)", "Part a"


@dataclass(frozen=True)
class Assignment:
    name: str
    title: str
    layout: str
    functions: dict[str, str]
    models: dict[str, ModelSpec]
    steps: tuple[StepSpec, ...]
    sha256: str
    path: Path
    example: Path | None
    typefaces: frozenset[str] = frozenset()  # wrappers that leave a symbol as it is
    subscript_layers: bool = False  # the course writes W_1 for W^{(1)}
    plain_layers: bool = False  # the course writes W^1 for W^{(1)}
    transpose_marks: frozenset[str] = frozenset()  # "t" (`x^t`), "'" (`W'`) beside ^T
    d_notation: str = ""  # the loss that `dW` differentiates (Ng's notation), as written
    d_inputs: str = ""  # the loss `dW` differentiates for an input W, where it is another
    elementwise: bool = False  # `*` and powers of vectors act entry by entry
    einstein: bool = False  # an index in two factors of a product is summed
    formulas: tuple[str, ...] = ()  # `\\text{CE}(y, \\hat{y}) = …`: functions of several arguments
    # models declared with a layer index: name -> verifier.models.depth.Depth (its concrete
    # models, one per depth, are among ``models``)
    depths: dict[str, object] = field(default_factory=dict)

    def concrete(self, name: str) -> list[str]:
        """The concrete models a model name stands for: itself, or one per declared depth."""
        depth = self.depths.get(name)
        return [m for _, m in depth.instances] if depth is not None else [name]

    def top_models(self) -> list[str]:
        """Models as the assignment declares them: a depth model once, not once per depth."""
        inner = {m for d in self.depths.values() for _, m in d.instances}
        return [*(m for m in self.models if m not in inner), *self.depths]

    def step(self, step_id: str | None) -> StepSpec | None:
        """The step a submission's label names: its id (`2`, `2a`), or one of its labels,
        compared as labels are read (`Problem 2` and `2:` are the same step)."""
        exact = next((s for s in self.steps if s.id == step_id), None)
        if exact is not None or step_id is None:
            return exact
        label = canonical_label(step_id)
        for wanted in (label, label.lstrip("0123456789")):  # `2a` is step `a` if no step is 2a
            found = next(
                (
                    s
                    for s in self.steps
                    if wanted in (canonical_label(s.id), *(canonical_label(x) for x in s.labels))
                ),
                None,
            )
            if found is not None or not wanted:
                return found
        return None


def bundled_dir() -> Path:
    return Path(str(resources.files("verifier.derivations")))


def bundled_names() -> list[str]:
    return sorted(p.stem for p in bundled_dir().glob("*.toml"))


def find_assignment(name_or_path: str | None) -> Path:
    name = name_or_path or DEFAULT_ASSIGNMENT
    path = Path(name)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise AssignmentError(f"assignment file not found: {name}")
        return path
    candidate = bundled_dir() / f"{name}.toml"
    if not candidate.is_file():
        raise AssignmentError(
            f"no bundled assignment named {name!r}; bundled: {', '.join(bundled_names())}"
        )
    return candidate


def _schema() -> dict:
    text = resources.files("verifier").joinpath("schemas/assignment.schema.json").read_text("utf-8")
    return json.loads(text)


def _validate(data: dict, path: Path) -> None:
    import jsonschema  # imported here: only assignment loading needs it

    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.path) or "(top level)"
        raise AssignmentError(f"{path}: {where}: {first.message}")


def load_assignment(name_or_path: str | None = None) -> Assignment:
    path = find_assignment(name_or_path)
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AssignmentError(f"{path}: not a valid TOML file: {exc}") from None
    if path.parent.resolve() != bundled_dir().resolve():
        _validate(data, path)  # bundled files are validated by the test suite, not at every start
    models, depths = _models(data["models"], data.get("functions", {}), str(path))
    steps = tuple(
        StepSpec(
            str(s["id"]),
            s["model"],
            s.get("lenient", {}),
            tuple(s.get("targets", ())),
            s.get("points", 1.0),
            s.get("closed_form", True),
            tuple(s.get("labels", ())),
        )
        for s in data.get("steps", [])
    )
    for n, step in enumerate(steps):
        if step.model not in models and step.model not in depths:
            raise AssignmentError(f"{path}: step {step.id} uses unknown model {step.model!r}")
        if any(other.id == step.id for other in steps[:n]):  # the second would never be found
            raise AssignmentError(f"{path}: step {step.id} is declared twice")
    example = data.get("example")
    return Assignment(
        name=data["name"],
        title=data.get("title", data["name"]),
        layout=data.get("layout", "numerator"),
        functions=_functions(data.get("functions", {}), depths),
        models=models,
        steps=steps,
        sha256=hashlib.sha256(raw).hexdigest(),
        path=path,
        example=(path.parent / example) if example else None,
        typefaces=frozenset(data.get("notation", {}).get("typefaces", ())),
        subscript_layers=data.get("notation", {}).get("layers") == "subscript",
        plain_layers=data.get("notation", {}).get("layers") == "plain",
        transpose_marks=frozenset(data.get("notation", {}).get("transpose", ())),
        d_notation=_d_loss(data, "nodes"),
        d_inputs=_d_loss(data, "inputs"),
        elementwise=data.get("notation", {}).get("products") == "elementwise",
        einstein=data.get("notation", {}).get("summation") == "einstein",
        formulas=tuple(data.get("formulas", ())),
        depths=depths,
    )


def _models(
    raw: dict, functions: dict[str, str], origin: str
) -> tuple[dict[str, ModelSpec], dict[str, object]]:
    """The concrete models: each declared one, or one per depth of a model with a layer index
    (with the functions of that depth)."""
    from verifier.models.depth import expand  # depth builds on ModelSpec

    models: dict[str, ModelSpec] = {}
    depths: dict[str, object] = {}
    for name, spec in raw.items():
        if "depth" not in spec:
            models[name] = _model(name, spec)
            continue
        depths[name], instances = expand(_model(name, spec), spec["depth"], origin, functions)
        models.update((m.name, m) for m in instances)
    return models, depths


def _functions(functions: dict[str, str], depths: dict[str, object]) -> dict[str, str]:
    from verifier.models.depth import expand_functions

    return expand_functions(functions, list(depths.values())) if depths else functions


def _model(name: str, spec: dict) -> ModelSpec:
    return ModelSpec(
        name=name,
        description=spec.get("description", ""),
        dimensions=tuple(spec["dimensions"]),
        constants=spec.get("constants", {}),
        inputs=spec["inputs"],
        variables=spec.get("variables", {}),
        definitions=tuple(spec["definitions"]),
        assumptions=spec.get("assumptions", {}),
        lenient=spec.get("lenient", {}),
        batch=spec.get("batch", {}),
        columns=spec.get("columns", {}),
        rows=spec.get("rows", {}),
        hot=spec.get("hot", {}),
    )


def _d_loss(data: dict, kind: str) -> str:
    """The loss `dV` differentiates for a node or an input V: `d = "J"` for both, or
    `d = { nodes = "\\mathcal{L}", inputs = "J" }` (the schema allows nothing else)."""
    raw = data.get("notation", {}).get("d", "")
    if isinstance(raw, str):
        return raw
    return raw.get(kind, "")
