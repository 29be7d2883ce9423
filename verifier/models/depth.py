"""A network of L layers declared once with a layer index (`W^{[l]}`, `a^{[l-1]}`, `a^{[L]}`):
one concrete model per declared depth, each an ordinary model with layers `W^{(1)}` …

The model declares `depth = { index = "l", layers = "L", values = [2, 3, 4], width = "n" }`.
Inputs and definitions that use `l` in a layer position stand for l = 1 … L (consecutive
definitions repeat together, layer by layer: z^{(1)}, a^{(1)}, z^{(2)}, …); `L` is the depth.
A shape names layer widths `n_l`, `n_{l-1}`, `n_0`, `n_L`; each dimension set of the model draws
its widths (2 … 4, neighbours different, from a fixed seed) at every depth, except those the
declaration fixes (`widths = { n_L = 1 }`). A function declared with `l` (`g^{[l]}`) is each
layer's; one declared at a single layer (`g^{[L]}`, `g^{(1)}`) is that layer's own at every
depth, over the generic one (Ng's ReLU layers with a sigmoid output)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from verifier.errors import NotationError
from verifier.models.assignment import ModelSpec
from verifier.models.names import key_of
from verifier.models.refuse import about, shown

MAX_DEPTH = 6  # a claim is checked at every depth and layer: L·(L + 1) instances at most
WIDTHS = (2, 3, 4)
_LAYER = r"\s*([A-Za-z])\s*(?:([+-])\s*(\d+))?\s*"
# `^{[l-1]}`, `^{(L)}` (the bracket only: `^{[l]T}` keeps its T); `^{l+1}`, `^l`; `g^{l\prime}`
_BRACKETED = re.compile(r"\^\{\s*[\[(]" + _LAYER + r"[\])]")
_BRACED = re.compile(r"\^\{" + _LAYER + r"(\}|\\prime|')")
_BARE = re.compile(r"\^([A-Za-z])(?![A-Za-z])")
_WIDTH = re.compile(
    r"([A-Za-z])_(?:\{" + _LAYER.replace("[A-Za-z]", "[A-Za-z0-9]") + r"\}|([A-Za-z0-9]))"
)


@dataclass(frozen=True)
class Depth:
    """A model declared with a layer index: its letters and the concrete model of each depth."""

    name: str
    index: str  # `l`
    layers: str  # `L`
    instances: tuple[tuple[int, str], ...]  # (L, name of the concrete model)
    width: str = ""  # the widths' letter: `n_l` is layer l's width

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(depth for depth, _ in self.instances)


def instance_name(name: str, depth: int) -> str:
    return f"{name} (L = {depth})"


def expand(
    spec: ModelSpec, raw: dict, origin: str, functions: dict[str, str] | None = None
) -> tuple[Depth, list[ModelSpec]]:
    """The depth declaration of ``spec`` and one concrete model per depth (with the assignment's
    ``functions`` at that depth), or a refusal."""
    with about(origin, spec.name, "depth"):
        index, layers, width = _letters(raw, spec)
    values = sorted(raw["values"])
    instances = []
    for depth in values:
        env = {index: None, layers: depth}
        with about(origin, spec.name, f"depth L = {depth}"):
            fixed = _fixed(raw.get("widths", {}), index, layers, width, depth)
            instance = _instance(spec, env, index, width, depth, fixed)
            own = _functions_at(functions or {}, index, layers, depth)
            instances.append(replace(instance, functions=own))
    _check_uses(spec, index, origin)
    named = tuple((d, s.name) for d, s in zip(values, instances, strict=True))
    return Depth(spec.name, index, layers, named, width), instances


def _letters(raw: dict, spec: ModelSpec) -> tuple[str, str, str]:
    index, layers, width = raw["index"], raw["layers"], raw.get("width", "")
    if index == layers:
        raise NotationError(f"the layer index and the number of layers are both `{index}`", 0)
    names = {d for dims in spec.dimensions for d in dims} | set(spec.constants)
    for letter in (index, layers):
        if letter in names:
            raise NotationError(f"`{letter}` is also a dimension of this model", 0)
        if letter == width:
            raise NotationError(f"`{letter}` is also the widths' letter", 0)
    if width and width in names:
        raise NotationError(f"the widths' letter `{width}` is also a dimension of this model", 0)
    if max(raw["values"]) > MAX_DEPTH:
        raise NotationError(f"a depth of {max(raw['values'])}: the limit is {MAX_DEPTH}", 0)
    return index, layers, width


def _check_uses(spec: ModelSpec, index: str, origin: str) -> None:
    env = {index: 1}
    uses = any(at_layer_text(d, env) != d for d in spec.definitions)
    if not uses:
        with about(origin, spec.name, "depth"):
            raise NotationError(f"no definition uses the layer index `{index}`", 0)


def at_layer_text(text: str, env: dict[str, int]) -> str:
    """An assignment's LaTeX with its generic layers made concrete (`W^{[l-1]}` at l = 2 is
    `W^{(1)}`); a layer letter not in ``env`` stays as written."""

    def value(letter: str, sign: str | None, step: str | None) -> int | None:
        if env.get(letter) is None:
            return None
        offset = int(step or 0)
        return env[letter] + (offset if sign != "-" else -offset)

    def bracketed(m: re.Match) -> str:
        k = value(m.group(1), m.group(2), m.group(3))
        return m.group(0) if k is None else f"^{{({k})"

    def braced(m: re.Match) -> str:
        k = value(m.group(1), m.group(2), m.group(3))
        return m.group(0) if k is None else f"^{{({k}){m.group(4)}"

    def bare(m: re.Match) -> str:
        k = value(m.group(1), None, None)
        return m.group(0) if k is None else f"^{{({k})}}"

    return _BARE.sub(bare, _BRACED.sub(braced, _BRACKETED.sub(bracketed, text)))


def _uses(text: str, letter: str) -> bool:
    return at_layer_text(text, {letter: 1}) != text


def _fixed(widths: dict[str, int], index: str, layers: str, width: str, depth: int) -> dict:
    """The widths the declaration fixes at ``depth``, by layer: `n_L = 1` at L = 3 is {3: 1}."""
    if widths and not width:
        raise NotationError("`widths` fixes layer widths, but no `width` letter is declared", 0)
    fixed: dict[int, int] = {}
    for text, size in widths.items():
        m = _WIDTH.fullmatch(text)
        if m is None or m.group(1) != width:
            raise NotationError(f"widths: `{text}` is not a layer width ({width}_0, {width}_L)", 0)
        if (m.group(2) or m.group(5)) == index:
            raise NotationError(
                f"widths: `{text}` is every layer's width; a fixed width is one layer's "
                f"({width}_0, {width}_L, {width}_{{L-1}}, {width}_2)",
                0,
            )
        k = int(str(_width(text, {layers: depth}, None, width, "widths")).split("_")[1])
        if fixed.get(k, size) != size:
            raise NotationError(f"widths: layer {k} is fixed to {fixed[k]} and to {size}", 0)
        fixed[k] = size
    for k, size in fixed.items():
        if fixed.get(k + 1) == size:  # a transposed weight matrix would fit by chance
            raise NotationError(
                f"widths: layers {k} and {k + 1} are both fixed to {size}; neighbouring "
                "widths differ",
                0,
            )
    return fixed


def _functions_at(functions: dict[str, str], index: str, layers: str, depth: int) -> dict:
    """The functions at one depth: a declaration with the layer index (`g^{[l]}`) names each
    layer's, one of a single layer (`g^{[L]}`, `g^{(2)}`) that layer's own, over the generic."""
    generic: dict[str, str] = {}
    own: dict[str, str] = {}
    written: dict[str, tuple[str, str]] = {}  # one layer's function by key: (as written, kind)
    generic_written: dict[str, tuple[str, str]] = {}  # the same for those with the index
    for text, kind in functions.items():
        if _uses(text, index):  # `g^{[l]}` and `g^{[l+1]}` both name g^{(2)}: one must not win
            for k in range(1, depth + 1):
                concrete = at_layer_text(text, {index: k, layers: depth})
                _one(generic_written, concrete, text, kind)
                generic[concrete] = kind
            continue
        concrete = at_layer_text(text, {layers: depth})
        _one(written, concrete, text, kind)  # `g^{[L]}` and `g^{(3)}` at L = 3
        own[concrete] = kind
    return {**{k: v for k, v in generic.items() if k not in own}, **own}


def _one(written: dict, concrete: str, text: str, kind: str) -> None:
    """Refuse two declarations that name one function of this depth differently."""
    first, was = written.setdefault(_key(concrete), (text, kind))
    if was != kind:
        raise NotationError(
            f"functions `{first}` and `{text}` are one function ({_key(concrete)}) at this "
            f"depth, declared {was} and {kind}",
            0,
        )


def _key(text: str) -> str:
    """The key a function's name reads as (`g^{[3]}` and `g^{(3)}` are one), or the text."""
    try:
        return key_of(text)[0]
    except NotationError:
        return text


def _instance(
    spec: ModelSpec,
    env: dict[str, int | None],
    index: str,
    width: str,
    depth: int,
    fixed: dict[int, int],
) -> ModelSpec:
    layers = range(1, depth + 1)
    inputs: dict[str, list[str | int]] = {}
    for text, shape in spec.inputs.items():
        for k in layers if _uses(text, index) else [None]:
            at = {**env, index: k}
            where = f"input {shown(text)}"
            inputs[at_layer_text(text, at)] = [_width(d, at, k, width, where) for d in shape]
    definitions: list[str] = []
    block: list[str] = []
    for text in (*spec.definitions, None):
        if text is not None and _uses(text, index):
            block.append(text)
            continue
        definitions += [at_layer_text(d, {**env, index: k}) for k in layers for d in block]
        block = []
        if text is not None:
            definitions.append(at_layer_text(text, env))
    return replace(
        spec,
        name=instance_name(spec.name, depth),
        dimensions=_widths(spec.dimensions, width, depth, fixed),
        drawn=frozenset(f"{width}_{k}" for k in range(depth + 1) if width and k not in fixed),
        inputs=inputs,
        definitions=tuple(definitions),
        variables={at_layer_text(k, env): v for k, v in spec.variables.items()},
        lenient={at_layer_text(k, env): at_layer_text(v, env) for k, v in spec.lenient.items()},
        assumptions={at_layer_text(k, env): v for k, v in spec.assumptions.items()},
    )


def _width(d: str | int, env: dict, layer: int | None, width: str, where: str) -> str | int:
    """A shape's entry at one layer: `n_{l-1}` at l = 2 is the width `n_1`."""
    if not isinstance(d, str) or "_" not in d:
        return d
    m = _WIDTH.fullmatch(d)
    if m is None or not width or m.group(1) != width:
        raise NotationError(f"{where}: `{d}` is not a layer width (n_l, n_{{l-1}}, n_0, n_L)", 0)
    letter = m.group(2) or m.group(5)
    if letter.isdigit():
        k = int(letter)
    elif env.get(letter) is None:
        raise NotationError(f"{where}: `{d}` names a layer the input does not have", 0)
    else:
        offset = int(m.group(4) or 0)
        k = env[letter] + (offset if m.group(3) != "-" else -offset)
    depth = max(v for v in env.values() if v is not None)
    if not 0 <= k <= depth:
        at = f"l = {layer}, " if layer is not None else ""
        raise NotationError(
            f"{where}: `{d}` is the width of layer {k} at {at}L = {depth}; "
            f"the widths are {width}_0 … {width}_L",
            0,
        )
    return f"{width}_{k}"


def _widths(
    sets: tuple[dict[str, int], ...], width: str, depth: int, fixed: dict[int, int]
) -> tuple[dict, ...]:
    """Each dimension set at ``depth``: its own dimensions and the layer widths, the ``fixed``
    ones as declared and the others drawn from a fixed seed so that a run is reproducible;
    neighbouring widths differ (a transposed weight matrix never fits by chance), and so do
    the sets where the draws allow."""
    if not width:
        return sets
    rng = random.Random(f"widths {depth}")
    drawn: list[tuple[int, ...]] = []
    for _ in sets:
        for _attempt in range(20):
            found: list[int] = []
            for k in range(depth + 1):
                if k in fixed:
                    found.append(fixed[k])
                    continue
                avoid = {found[-1] if found else None, fixed.get(k + 1)}
                found.append(rng.choice([w for w in WIDTHS if w not in avoid]))
            if tuple(found) not in drawn:
                break
        drawn.append(tuple(found))
    return tuple(
        {**dims, **{f"{width}_{k}": w for k, w in enumerate(found)}}
        for dims, found in zip(sets, drawn, strict=True)
    )


def expand_functions(functions: dict[str, str], depths: list[Depth]) -> dict[str, str]:
    """`"g^{[l]}" = "smooth"`: a function of each layer, `g^{(1)}` … up to the deepest model,
    for the models without a depth (those with one declare their own, ``_functions_at``)."""
    found: dict[str, str] = {}
    for text, kind in functions.items():
        if any(_uses(text, d.layers) for d in depths):  # `g^{[L]}`: each depth's own
            continue
        letters = [d for d in depths if _uses(text, d.index)]
        if not letters:
            found[text] = kind
            continue
        deepest = max(max(d.values) for d in letters)
        for k in range(1, deepest + 1):
            found[at_layer_text(text, {d.index: k for d in letters})] = kind
    return found
