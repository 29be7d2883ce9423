"""Loading assignment files: every schema-valid file either loads or is refused with one line
that names the file, the model, the declaration or definition at fault, and the reason.

One row per refusal message (a few messages have two rows: two ways to meet them). The base
model loads; each row changes one thing in it."""

from __future__ import annotations

import itertools
import json

import pytest

from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.cli import main
from verifier.errors import AssignmentError
from verifier.models.assignment import load_assignment
from verifier.models.model import build_model

BASE = {
    "dimensions": [{"n": 2, "h": 3}, {"n": 3, "h": 2}],
    "inputs": {"x": ["n", 1], "W": ["h", "n"], "t": ["h", 1]},
    "variables": {"u": []},
    "definitions": ["z = W x", "y = G(z)", "E_j = (y_j - t_j)^2", "E = \\sum_{j=1}^h E_j"],
}


def _toml(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value)  # a JSON string or number is a TOML one


def assignment_text(
    model: dict | None = None, step: dict | None = None, top: str = "", functions=None
) -> str:
    functions = functions if functions is not None else {"G": "sigmoid", "s": "softmax"}
    lines = ['name = "loader"', top, "[functions]"]
    lines += [f"{json.dumps(k)} = {json.dumps(v)}" for k, v in functions.items()]
    lines += ["[models.m]", *(f"{k} = {_toml(v)}" for k, v in {**BASE, **(model or {})}.items())]
    lines += [
        "[[steps]]",
        *(f"{k} = {_toml(v)}" for k, v in (step or {"id": "1", "model": "m"}).items()),
    ]
    return "\n".join(lines) + "\n"


CE = "\\text{CE}(y, \\hat{y}) = -\\sum_i y_i \\log \\hat{y}_i"


def formulas(*texts: str) -> str:
    """The top-level `formulas` array of an assignment, as TOML."""
    return "formulas = " + json.dumps(list(texts))


def defs(*extra: str) -> dict:
    """The base model with ``extra`` definitions after its own."""
    return {"definitions": [*BASE["definitions"], *extra]}


def batch(examples: str, size: str, broadcast: bool = False) -> dict:
    return {"batch": {"examples": examples, "size": size, "broadcast": broadcast}}


def with_input(name: str, shape: list) -> dict:
    return {"inputs": {**BASE["inputs"], name: shape}}


def validate(path) -> None:
    """What the command line does before --truths and before checking any submission."""
    Checker(load_assignment(str(path)), Config(isolate=False, prove=False)).validate()


def refusal(tmp_path, text: str) -> str:
    path = tmp_path / "a.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AssignmentError) as info:
        validate(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


def test_the_base_model_loads(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text(assignment_text(), encoding="utf-8")
    validate(path)


D = "definition 5"  # the first definition after the base model's four
# (id, change to the base model, where, reason)
MODEL_REFUSALS = [
    # --- a definition's form
    ("empty", defs(""), f"{D} (empty)", "a definition is `node = expression`"),
    ("two relations", defs("a = b = z"), f"{D} `a = b = z`", "a definition is `node = expression`"),
    ("not equality", defs("a \\le 1"), D, "a definition is `node = expression`, not `\\le`"),
    ("left not a symbol", defs("W x = a"), D, "`Wx` is not a symbol name"),
    ("right side empty", defs("a ="), D, "unexpected end of the formula"),
    ("cycle", {"definitions": ["a = b", "b = a"]}, "definition 1 `a = b`", "unknown symbol `b`"),
    ("defines an input", defs("x = 2 x"), D, "`x` is already an input"),
    ("defines a variable", defs("u = 1"), D, "`u` is already a variable"),
    ("defined twice", defs("z = W x"), D, "`z` is already defined"),
    ("unknown function", defs("a = F(z)"), D, "unknown symbol `F`"),
    ("unknown command", defs("a = \\foo(z)"), D, "unknown command `\\foo`"),
    ("prose", defs("a = \\text{the loss}"), D, "prose inside a formula cannot be read"),
    ("unicode letter", defs("é = 1"), D, "unexpected character `é`"),
    ("plus-minus", defs("a = 1 \\pm 1"), D, "`\\pm` is not supported"),
    ("index from zero", defs("a = x_0"), D, "indices count from 1"),
    # --- shapes and readings
    ("shapes do not fit", defs("a = W + x"), D, "cannot add a n×1 to a h×n"),
    ("read with a guess", defs("a = x W"), D, "reads only with a guess (juxtaposition of"),
    ("applied to W only", defs("a = G W x"), D, "sigmoid of a matrix is not supported"),
    (
        "softmax of a matrix",
        defs("a = s(W)"),
        D,
        "softmax of a h×n matrix is not supported: it would act on each row or on each column, "
        "and which one is not declared (declare the model's `batch`)",
    ),
    ("softmax of a scalar", defs("a = s(u)"), D, "softmax needs a vector, not a scalar"),
    ("diag of a matrix", defs("a = \\text{diag}(W)"), D, "diag needs a vector, not a h×n"),
    ("bare identity", defs("a = I"), D, "cannot tell the size of `I` here"),
    ("rank 3", defs("a = \\frac{\\partial z}{\\partial W}"), D, "array of rank 3"),
    # --- indices and families
    ("free index", defs("a = x_i"), D, "index i runs free on the right side"),
    ("two free", defs("a = W_{ik}"), D, "index i, k runs free on the right side"),
    ("three indices", defs("a_{ijk} = W_{ij} x_k"), D, "a family has one or two indices"),
    (
        "number index",
        defs("a_{i1} = W_{i1}"),
        D,
        "`a_{i1}`: each index of a family is a different letter",
    ),
    ("repeated index", defs("a_{ii} = x_i x_i"), D, "each index of a family is a different letter"),
    (
        "index not on left",
        defs("a_i = W_{ik}"),
        D,
        "index k runs free on the right side but is not an index of `a_{i}`",
    ),
    (
        "index only in delta",
        defs("a_{ij} = \\delta_{ij}"),
        D,
        "cannot tell how far i runs: only δ uses it",
    ),
    (
        "family of vectors",
        defs("a_j = y_j x"),
        D,
        "each entry of the family `a_{j}` must be a scalar",
    ),
    ("family twice", defs("E_j = y_j"), D, "the family `E` is defined twice"),
    (
        "family hides an input",
        defs("x_k = 2 W_{1k}"),
        D,
        "`x` is already declared: the family `x_{k}` would hide it",
    ),
    # --- derivative definitions
    (
        "derivative before its loss",
        {
            "definitions": [
                "z = W x",
                "a = \\frac{\\partial E}{\\partial z}",
                "E = \\sum_{j=1}^h z_j",
            ]
        },
        "definition 2",
        "unknown symbol `E`",
    ),
    (
        "derivative by an expression",
        defs("a = \\frac{\\partial E}{\\partial (W x)}"),
        D,
        "can only differentiate with respect to a variable",
    ),
    # --- values (found when the model is evaluated at its dimension sets)
    ("index out of range", defs("a = x_5"), D, "index 5 is outside `x` (at n=2, h=3)"),
    (
        "sum too long",
        defs("a = \\sum_{j=1}^{100000000} 1"),
        D,
        "sum of 100000000 terms; the limit is 10000",
    ),
    (
        "fractional bound",
        defs("a = \\sum_{j=1}^{1/2} 1"),
        D,
        "the limits of a sum must be integers",
    ),
    ("huge number", defs("a = 10^{10^{10}}"), D, "number with about 1e+10 digits"),
    ("no value", defs("a = \\log 0"), D, "it has no value (zoo in SymPy)"),
    ("division by zero", defs("a = 1/0"), D, "it has no value (zoo in SymPy)"),
    # --- dimensions, constants, shapes
    (
        "dimension sets differ",
        {"dimensions": [{"n": 2, "h": 3}, {"n": 3}]},
        "dimensions",
        "set 2 names n but set 1 names h, n",
    ),
    (
        "constant and dimension",
        {"constants": {"n": 4}},
        "dimensions",
        "`n` is both a dimension and a constant",
    ),
    (  # `\\frac{1}{h}` for `\\frac{1}{n}` would pass
        "two dimensions equal in every set",
        {"dimensions": [{"n": 2, "h": 2}, {"n": 3, "h": 3}]},
        "dimensions",
        "dimensions `h` and `n` are equal in every dimension set",
    ),
    (
        "unknown dimension",
        with_input("v", ["k", 1]),
        "input `v`",
        "`k` is neither a dimension nor a constant",
    ),
    (
        "one-entry shape",
        with_input("v", ["n"]),
        "input `v`",
        'a shape is [] (scalar), ["d", 1] (column)',
    ),
    (
        "huge constant",
        {"constants": {"C": 10**7}, **with_input("v", ["C", 1])},
        "input `v`",
        "10000000 × 1 entries at C=10000000, n=2, h=3: the limit is 256",
    ),
    ("huge literal", with_input("v", [1000, "h"]), "input `v`", "1000 × 3 entries"),
    (
        "constant as wrong bound",
        {"constants": {"C": 3}, **with_input("v", ["C", 1]), **defs("a = \\sum_{c=1}^n v_c")},
        D,
        "c runs 1..n here but indexes 3 entries",
    ),
    # --- names
    ("not a name", with_input("x y", ["n", 1]), "input `x y`", "`x y` is not a symbol name"),
    ("empty name", with_input("", ["n", 1]), "input (empty)", "`` is not a symbol name"),
    ("unbalanced name", with_input("{v", ["n", 1]), "input `{v`", "unbalanced `{`"),
    ("declared twice", {"variables": {"x": []}}, "variable `x`", "`x` is declared twice"),
    (
        "name of a dimension",
        with_input("h", []),
        "input `h`",
        "`h` is also a dimension of this model",
    ),
    ("name of a function", with_input("G", []), "input `G`", "`G` is also declared a function"),
    # --- spellings and assumptions
    (
        "lenient names a symbol",
        {"lenient": {"x": "W"}},
        "lenient",
        "`x` is a name of the model, not another spelling",
    ),
    (
        "lenient names nothing",
        {"lenient": {"Z": "q"}},
        "lenient",
        "`Z` is read as `q`, which the model lacks",
    ),
    ("lenient not a name", {"lenient": {"x y": "z"}}, "lenient", "`x y` is not a symbol name"),
    (
        "assumption on nothing",
        {"assumptions": {"q": "positive"}},
        "assumption on `q`",
        "`q` is not a symbol of this model",
    ),
    (
        "assumption on a node",
        {"assumptions": {"z": "positive"}},
        "assumption on `z`",
        "`z` is not an input",
    ),
    (
        "one-hot matrix",
        {"assumptions": {"W": "one-hot"}},
        "assumption on `W`",
        "one-hot is an assumption on a vector or on each example of a batch, and `W` is a h×n "
        "(declare the model's `batch` for one per row or per column)",
    ),
    (
        "sum-to-one scalar",
        {"assumptions": {"u": "sum-to-one"}},
        "assumption on `u`",
        "sum-to-one is an assumption on a vector or on each example of a batch, and `u` is a "
        "scalar",
    ),
    (
        "empty range",
        {"assumptions": {"x": "(1, 0)"}},
        "assumption on `x`",
        "the range (1, 0) is empty",
    ),
    # --- batches (examples as rows or columns, tests/test_batches.py)
    ("batch size unknown", batch("rows", "q"), "batch", "`q` is not a dimension of this model"),
    (
        "batch size constant",
        {**batch("rows", "k"), "constants": {"k": 2}},
        "batch",
        "`k` is a constant: the examples are counted by a dimension that varies",
    ),
    (
        "softmax not per example",
        {**batch("rows", "n"), **defs("a = s(W)")},
        D,
        "softmax of a h×n matrix: examples are the rows of this model (n of them), and this "
        "matrix has no row per example",
    ),
    (
        "broadcast not declared",
        {**batch("rows", "h"), **defs("a = W + x^T")},
        D,
        "cannot add a 1×n to a h×n (broadcasting over examples is not declared: the model's "
        "`batch.broadcast`)",
    ),
    (
        "broadcast of a column over rows",
        {**batch("rows", "h", True), **defs("a = W + t")},
        D,
        "cannot add a h×1 to a h×n (broadcasting adds a 1×n to every row)",
    ),
    (
        "broadcast over no example",
        {**batch("columns", "h", True), **defs("a = W + t")},
        D,
        "cannot add a h×1 to a h×n (broadcasting is over examples, and this matrix has no "
        "column per example)",
    ),
    (
        "one-hot not per example",
        {**batch("rows", "n"), "assumptions": {"W": "one-hot"}},
        "assumption on `W`",
        "one-hot is an assumption on a vector or on each example of a batch, and `W` is a h×n "
        "(examples are the rows of this model, and it has no row per example)",
    ),
    # columns, rows and hot positions (issue 12): names of one letter, of what exists
    ("columns of a vector", {"columns": {"w": "x"}}, "columns `w`", "`x` is not an input matrix"),
    ("rows of a node", {"rows": {"w": "z"}}, "rows `w`", "`z` is not an input matrix"),
    ("a slice named twice", {"columns": {"x": "W"}}, "columns `x`", "already a name"),
    ("a slice of two letters", {"columns": {"wv": "W"}}, "columns `wv`", "is not one letter"),
    ("hot without one-hot", {"hot": {"o": "t"}}, "hot `o`", "not a one-hot input vector"),
    # a name written as a square (`\\sigma^2`) where its base is a name too: σ² is ambiguous
    ("a square beside a node", defs("s = z_1", "s^2 = z_2"), "name `s^2`", "`s` is also a name"),
    ("a square of a variable", defs("u^2 = z_1"), "name `u^2`", "`u` is also a name"),
    ("a square of a dimension", defs("n^2 = z_1"), "name `n^2`", "`n` is also a name"),
    ("a square of a function", defs("G^2 = z_1"), "name `G^2`", "`G` is also a function"),
    ("a square of e", defs("e^2 = z_1"), "name `e^2`", "Euler's number squared"),
    ("a square of an entry", defs("E_j^2 = z_1"), "name `E_j^2`", "`E` is also a name"),
    ("a square of an entry of z", defs("z_B^2 = z_1"), "name `z_B^2`", "`z` is also a name"),
    (
        "hot named twice",
        {"columns": {"o": "W"}, "hot": {"o": "t"}, "assumptions": {"t": "one-hot"}},
        "hot `o`",
        "declared twice",
    ),
]


@pytest.mark.parametrize(
    ("change", "where", "reason"),
    [pytest.param(c, w, r, id=i) for i, c, w, r in MODEL_REFUSALS],
)
def test_model_refusals(tmp_path, change, where, reason):
    message = refusal(tmp_path, assignment_text(change))
    assert message.startswith(f"model m, {where}")
    assert reason in message


# (id, assignment text, where and reason as one line begins after the file)
OTHER_REFUSALS = [
    (
        "function not a name",
        assignment_text(functions={"x y": "sigmoid"}),
        "model m, function `x y`: `x y` is not a symbol name",
    ),
    (
        "d is a dimension",
        assignment_text(
            {
                "dimensions": [{"d": 2, "h": 3}],
                "inputs": {"x": ["d", 1], "W": ["h", "d"], "t": ["h", 1]},
            },
            top='[notation]\nd = "E"',
        ),
        "model m, notation.d: `d` is also a name of this model",
    ),
    (
        "d names nothing",
        assignment_text(top='[notation]\nd = "J"'),
        "model m, notation.d: `J` is not a quantity of this model",
    ),
    (
        "d of the inputs names nothing",
        assignment_text(top='[notation]\nd = { nodes = "E", inputs = "J" }'),
        "model m, notation.d: `J` is not a quantity of this model",
    ),
    (
        "d of a vector",
        assignment_text(top='[notation]\nd = { nodes = "E", inputs = "z" }'),
        "model m, notation.d: `z` is not a scalar",
    ),
    (
        "d of an unknown kind",
        assignment_text(top='[notation]\nd = { parameters = "E" }'),
        "notation/d: Additional properties are not allowed ('parameters' was unexpected)",
    ),
    (
        "target unknown",
        assignment_text(
            step={"id": "1", "model": "m", "targets": ["\\frac{\\partial E}{\\partial q}"]}
        ),
        "step 1, target `\\frac{\\partial E}{\\partial q}`: unknown symbol `q`",
    ),
    (
        "target equation",
        assignment_text(step={"id": "1", "model": "m", "targets": ["E = 1"]}),
        "step 1, target `E = 1`: a target is one left-hand side",
    ),
    (
        "target broken",
        assignment_text(step={"id": "1", "model": "m", "targets": ["\\frac{"]}),
        "step 1, target `\\frac{`: unbalanced `{`",
    ),
    (
        "target guessed",
        assignment_text(step={"id": "1", "model": "m", "targets": ["x W"]}),
        "step 1, target `x W`: it reads only with a guess",
    ),
    (
        "step spelling",
        assignment_text(step={"id": "1", "model": "m", "lenient": {"Z": "q"}}),
        "step 1, lenient: `Z` is read as `q`, which the model lacks",
    ),
    (
        "step model",
        assignment_text(step={"id": "1", "model": "q"}),
        "step 1 uses unknown model 'q'",
    ),
    (
        "step twice",
        assignment_text() + '[[steps]]\nid = "1"\nmodel = "m"\n',
        "step 1 is declared twice",
    ),
    (
        "schema",
        assignment_text({"dimensions": [{"n": 0, "h": 3}]}),
        "models/m/dimensions/0/n: 0 is less than the minimum of 1",
    ),
    (
        "schema constant",
        assignment_text({"constants": {"C": 2.5}}),
        "models/m/constants/C: 2.5 is not of type 'integer'",
    ),
    ("not TOML", "name = \n", "not a valid TOML file"),
    # formulas: functions of several arguments (issue 13)
    (
        "formula no equation",
        assignment_text(top=formulas("F(a, b)")),
        "model m, formula 1 `F(a, b)`: a formula is written `NAME(a, b) = …`, one equation",
    ),
    (
        "formula no parameters",
        assignment_text(top=formulas("F = a")),
        "model m, formula 1 `F = a`: a formula's left side is its name and its parameters",
    ),
    (
        "formula name declared",
        assignment_text(top=formulas("x(a, b) = a + b")),
        "model m, formula 1 `x(a, b) = a + b`: `x` is already declared",
    ),
    (
        "formula twice",
        assignment_text(top=formulas("F(a) = a", "F(b) = b")),
        "model m, formula 2 `F(b) = b`: formula `F` is defined twice",
    ),
    (
        "formula parameter twice",
        assignment_text(top=formulas("F(a, a) = a")),
        "model m, formula 1 `F(a, a) = a`: each parameter of a formula is a different name",
    ),
    (
        "formula parameter a number",
        assignment_text(top=formulas("F(a, 2) = a")),
        "model m, formula 1 `F(a, 2) = a`: a parameter is a name, not `2`",
    ),
    (
        "formula unreadable",
        assignment_text(top=formulas("F(a) = a +")),
        "model m, formula 1 `F(a) = a +`: unexpected end of the formula",
    ),
    (
        "formula argument shapes",
        assignment_text(defs("L = \\text{CE}(t, x)"), top=formulas(CE)),
        "model m, definition 5 `L = \\text{CE}(t, x)`: `\\text{CE}` of (h×1, n×1): index i runs "
        "over h elsewhere but over n in `\\hat{y}`",
    ),
    (
        "formula argument count",
        assignment_text(defs("L = \\text{CE}(t)"), top=formulas(CE)),
        "model m, definition 5 `L = \\text{CE}(t)`: `\\text{CE}` takes 2 arguments, not 1",
    ),
    (
        "formula name defined",
        assignment_text(defs("F = x^T x"), top=formulas("F(a) = a")),
        "model m, definition 5 `F = x^T x`: `F` is already a formula of the assignment",
    ),
    (
        "leaky slope above 1",
        assignment_text(functions={"G": "leaky_relu(3/2)"}),
        "model m, function `G`: `leaky_relu(3/2)`: the slope of a leaky ReLU is a number between "
        "0 and 1",
    ),
    (
        "leaky slope 1/0",
        assignment_text(functions={"G": "leaky_relu(1/0)"}),
        "model m, function `G`: `leaky_relu(1/0)`: the slope of a leaky ReLU",
    ),
    (
        "leaky schema",
        assignment_text(functions={"G": "leaky_relu(x)"}),
        "functions/G: 'leaky_relu(x)' is not valid under any of the given schemas",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in OTHER_REFUSALS]
)
def test_other_refusals(tmp_path, text, expected):
    assert refusal(tmp_path, text).startswith(expected)


CLI = ("empty", "number index", "softmax of a matrix", "division by zero", "one-entry shape")
CLI_ROWS = [row for row in MODEL_REFUSALS if row[0] in CLI]  # read, typed, evaluated, declared


@pytest.mark.parametrize("solution", [True, False], ids=["check", "truths"])
@pytest.mark.parametrize(
    ("change", "reason"), [pytest.param(c, r, id=i) for i, c, _, r in CLI_ROWS]
)
def test_the_command_line_says_one_line_and_exits_2(tmp_path, capsys, change, reason, solution):
    path = tmp_path / "a.toml"
    path.write_text(assignment_text(change), encoding="utf-8")
    sol = tmp_path / "s.md"
    sol.write_text("1: $$E = \\sum_{j=1}^h E_j$$\n", encoding="utf-8")
    argv = (
        [str(sol), "--assignment", str(path)]
        if solution
        else ["--assignment", str(path), "--truths"]
    )
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and reason in err
    assert err.startswith(f"verify-derivations: {path}: model m, ")
    assert "Traceback" not in err and "internal error" not in err


def test_a_variable_takes_an_assumption(tmp_path):
    """Variables are sampled like inputs (`\\log z` needs z > 0): their assumptions load."""
    path = tmp_path / "a.toml"
    path.write_text(assignment_text({"assumptions": {"u": "positive"}}), encoding="utf-8")
    validate(path)


# A network declared once with a layer index (tests/test_depth.py): one concrete model per depth.
DEPTH = {
    "depth": {"index": "l", "layers": "L", "values": [2, 3], "width": "n"},
    "dimensions": [{}, {}],
    "inputs": {"x": ["n_0", 1], "W^{[l]}": ["n_l", "n_{l-1}"], "t": ["n_L", 1]},
    "variables": {},
    "definitions": [
        "a^{[0]} = x",
        "a^{[l]} = G(W^{[l]} a^{[l-1]})",
        "E = \\sum_j (a^{[L]}_j - t_j)^2",
    ],
}


def depth(**changes) -> dict:
    return {**DEPTH, **changes}


def test_the_depth_model_loads(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text(assignment_text(depth()), encoding="utf-8")
    validate(path)


DEPTH_REFUSALS = [
    ("one letter twice", depth(depth={**DEPTH["depth"], "index": "L"}), "depth", "are both `L`"),
    ("index a dimension", depth(dimensions=[{"l": 2}, {"l": 3}]), "depth", "`l` is also a dim"),
    ("index the widths", depth(depth={**DEPTH["depth"], "width": "l"}), "depth", "widths' letter"),
    ("too deep", depth(depth={**DEPTH["depth"], "values": [2, 7]}), "depth", "the limit is 6"),
    (
        "a width of no layer",
        depth(inputs={**DEPTH["inputs"], "W^{[l]}": ["n_{l+1}", "n_l"]}),
        "depth L = 2",
        "`n_{l+1}` is the width of layer 3 at l = 2, L = 2",
    ),
    (
        "a width of another letter",
        depth(inputs={**DEPTH["inputs"], "x": ["m_0", 1]}),
        "depth L = 2",
        "`m_0` is not a layer width",
    ),
    (
        "a generic width on an input without a layer",
        depth(inputs={**DEPTH["inputs"], "x": ["n_l", 1]}),
        "depth L = 2",
        "`n_l` names a layer the input does not have",
    ),
    (
        "fixed widths without a width letter",
        depth(depth={"index": "l", "layers": "L", "values": [2, 3], "widths": {"n_L": 1}}),
        "depth L = 2",
        "no `width` letter is declared",
    ),
    (
        "every layer's width fixed",
        depth(depth={**DEPTH["depth"], "widths": {"n_l": 1}}),
        "depth L = 2",
        "`n_l` is every layer's width",
    ),
    (
        "a fixed width of another letter",
        depth(depth={**DEPTH["depth"], "widths": {"m_L": 1}}),
        "depth L = 2",
        "`m_L` is not a layer width",
    ),
    (
        "a fixed width of no layer",
        depth(depth={**DEPTH["depth"], "widths": {"n_3": 1}}),
        "depth L = 2",
        "`n_3` is the width of layer 3 at L = 2",
    ),
    (
        "one layer fixed twice",
        depth(depth={**DEPTH["depth"], "widths": {"n_L": 1, "n_2": 2}}),
        "depth L = 2",
        "layer 2 is fixed to 1 and to 2",
    ),
    (
        "neighbours fixed alike",
        depth(depth={**DEPTH["depth"], "widths": {"n_L": 1, "n_{L-1}": 1}}),
        "depth L = 2",
        "layers 1 and 2 are both fixed to 1",
    ),
    (
        "no definition uses the index",
        depth(definitions=["a = G(x)", "E = \\sum_j (a_j - t_j)^2"]),
        "depth",
        "no definition uses the layer index `l`",
    ),
]


@pytest.mark.parametrize(
    ("change", "where", "reason"),
    [pytest.param(c, w, r, id=i) for i, c, w, r in DEPTH_REFUSALS],
)
def test_depth_refusals(tmp_path, change, where, reason):
    message = refusal(tmp_path, assignment_text(change))
    assert message.startswith(f"model m, {where}: "), message
    assert reason in message, message


@pytest.mark.parametrize(
    ("widths", "expected"),
    [
        ({"n_L": 1}, {2: (None, None, 1), 3: (None, None, None, 1)}),
        ({"n_0": 3}, {2: (3,), 3: (3,)}),
    ],
)
def test_fixed_widths_are_kept_and_the_others_drawn(tmp_path, widths, expected):
    path = tmp_path / "a.toml"
    path.write_text(assignment_text(depth(depth={**DEPTH["depth"], "widths": widths})), "utf-8")
    assignment = load_assignment(str(path))
    for top, fixed in expected.items():
        for dims in assignment.models[f"m (L = {top})"].dimensions:
            drawn = [dims[f"n_{k}"] for k in range(top + 1)]
            assert all(w == v for w, v in zip(drawn, fixed, strict=False) if v is not None)
            assert all(a != b for a, b in itertools.pairwise(drawn)), drawn


@pytest.mark.parametrize(
    ("functions", "kinds"),
    [
        # the output layer's own over every layer's: (L = 2: g1, g2), (L = 3: g1, g2, g3)
        ({"g^{[l]}": "relu", "g^{[L]}": "sigmoid"}, ["relu", "sigmoid", "relu", "relu", "sigmoid"]),
        ({"g^{[l]}": "tanh"}, ["tanh"] * 5),
        (
            {"g^{[l]}": "relu", "g^{(1)}": "identity"},
            ["identity", "relu", "identity", "relu", "relu"],
        ),
        ({"g^{[L-1]}": "tanh", "g^{[l]}": "relu"}, ["tanh", "relu", "relu", "tanh", "relu"]),
    ],
)
def test_a_function_of_one_layer_is_its_own_at_every_depth(tmp_path, functions, kinds):
    change = depth(
        definitions=["a^{[0]} = x", "a^{[l]} = g^{[l]}(W^{[l]} a^{[l-1]})", DEPTH["definitions"][2]]
    )
    path = tmp_path / "a.toml"
    path.write_text(assignment_text(change, functions=functions), encoding="utf-8")
    assignment = load_assignment(str(path))
    found = []
    for top in (2, 3):
        table = build_model(assignment, f"m (L = {top})").table
        found += [table.functions[f"g^{{({k})}}"] for k in range(1, top + 1)]
    assert found == kinds


def test_one_layer_declared_two_functions_is_refused(tmp_path):
    functions = {"g^{[l]}": "relu", "g^{[L]}": "sigmoid", "g^{(3)}": "tanh"}
    change = depth(
        definitions=["a^{[0]} = x", "a^{[l]} = g^{[l]}(W^{[l]} a^{[l-1]})", "E = a^{[L]}_1"]
    )
    message = refusal(tmp_path, assignment_text(change, functions=functions))
    assert message.startswith("model m, depth L = 3: functions `g^{[L]}` and `g^{(3)}` are one"), (
        message
    )
    assert "declared sigmoid and tanh" in message, message


def test_a_definition_of_a_layer_a_depth_lacks_names_that_depth(tmp_path):
    change = depth(definitions=[*DEPTH["definitions"], "r = \\sum_j a^{[3]}_j"])
    message = refusal(tmp_path, assignment_text(change))
    assert message.startswith("model m (L = 2), definition 5 `r = "), message  # as expanded
