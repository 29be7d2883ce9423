r"""Names a course declares: decorated (`\hat{y}`), calligraphic (`\mathcal{L}`), words
(`\text{loss}`), typefaces that leave a symbol as it is (`\mathbf{x}` is x where declared).

An undeclared decoration is never silently its base letter: ŷ is the prediction, y the target.
"""

from __future__ import annotations

import pytest

from verifier.api import check_text
from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.check.verdicts import Verdict
from verifier.errors import AssignmentError, NotationError
from verifier.models.assignment import load_assignment
from verifier.models.names import key_of

from .conftest import GENEROUS, ROOT

P, F, E, W = Verdict.PASS, Verdict.FAIL, Verdict.ERROR, Verdict.WARN
DLDZ = r"\frac{\partial \mathcal{L}}{\partial z}"


@pytest.fixture(scope="module")
def hatted() -> Checker:
    return Checker(
        load_assignment(str(ROOT / "tests" / "data" / "hatted.toml")), Config(limits=GENEROUS)
    )


CLAIMS = [
    # (claim in step 1, verdict): truth ∂L/∂z = ŷ - y, ∂L/∂w = (ŷ - y) x^T
    (rf"{DLDZ} = \hat{{y}} - y", P),
    (rf"{DLDZ} = \hat y - y", P),
    (rf"{DLDZ} = ŷ - y", P),
    (rf"{DLDZ} = y - \hat{{y}}", F),
    (rf"{DLDZ} = \hat{{y}} - \hat{{y}} y", F),
    (
        r"\frac{\partial \mathcal{L}}{\partial \hat{y}} = -\frac{y}{\hat{y}} + \frac{1 - y}{1 - \hat{y}}",
        P,
    ),
    (r"\frac{\partial \mathcal{L}}{\partial w} = (\hat{y} - y) \mathbf{x}^T", P),
    (r"\frac{\partial \mathcal{L}}{\partial w} = (\hat{y} - y) x^T", P),  # bold is a typeface here
    (r"\frac{\partial \mathcal{L}}{\partial w} = (y - \hat{y}) \mathbf{x}^T", F),
    (r"\frac{\partial \text{loss}}{\partial z} = \hat{y} - y", P),
    (r"\frac{\partial \text{loss}}{\partial z} = \hat{y}", F),
    # letters typed side by side that spell a declared name or a function word
    (r"\frac{\partial loss}{\partial z} = \hat{y} - y", P),
    (r"\frac{\partial loss}{\partial z} = y - \hat{y}", F),
    (r"\hat{y} = sigmoid(z)", P),
    (r"\hat{y} = sigma(w x)", P),
    (r"\hat{y} = \frac{1}{1 + exp(-z)}", P),
    (r"\hat{y} = \frac{1}{1 + exp(z)}", F),
    (r"\mathcal{L} = -y log \hat{y} - (1 - y) log(1 - \hat{y})", P),
    (r"\mathcal{L} = -y log \hat{y}", F),
    (r"\hat{y} = relu(z)", F),  # read as the word: ReLU, a library function (ŷ is σ(z))
    # undeclared decorations and names are errors that say how to declare them
    (rf"{DLDZ} = \tilde{{y}} - y", E),
    (rf"{DLDZ} = \hat{{z}} - y", E),
    (rf"{DLDZ} = \mathcal{{Y}} - y", E),
    (rf"{DLDZ} = \text{{pred}} - y", E),
    (r"\ell = \mathcal{L}", E),  # \ell is a letter; undeclared here
]


SUBSCRIPTED = [
    # a name that carries its subscript (v_c, u_o) is one symbol, not an entry of v or u
    (r"\frac{\partial J}{\partial s_o} = -1 + \frac{e^{s_o}}{e^{s_o} + e^{s_w}}", P),
    (r"\frac{\partial J}{\partial s_o} = \frac{e^{s_o}}{e^{s_o} + e^{s_w}}", F),
    (r"\frac{\partial s_o}{\partial v_c} = u_o^T", P),
    (r"\frac{\partial s_o}{\partial v_c} = u_w^T", F),
    (r"\frac{\partial s_o}{\partial v_{c}} = u_{o}^T", P),
    (r"\frac{\partial s_o}{\partial v_d} = u_o^T", E),  # v_d is not declared: no v to index
]


@pytest.mark.parametrize(("claim", "verdict"), SUBSCRIPTED)
def test_subscripted_names(hatted, claim, verdict):
    (got,) = check_text(f"2: $${claim}$$", path="s.md", checker=hatted).claims
    assert got.verdict is verdict, got.message


@pytest.mark.parametrize(("claim", "verdict"), CLAIMS)
def test_declared_names(hatted, claim, verdict):
    (got,) = check_text(f"1: $${claim}$$", path="s.md", checker=hatted).claims
    assert got.verdict is verdict, got.message


def test_undeclared_decoration_says_how_to_declare(hatted):
    (got,) = check_text(rf"1: $${DLDZ} = \tilde{{y}} - y$$", path="s.md", checker=hatted).claims
    assert "unknown symbol `\\tilde{y}`" in got.message and "lenient" in got.message


def test_a_hat_is_never_silently_its_letter(backprop_checker):
    text = r"1: $$\frac{\partial E}{\partial t} = -\log \hat{y}$$"
    (got,) = check_text(text, path="s.md", checker=backprop_checker).claims
    assert got.verdict is E and "`\\hat{y}`" in got.message


def test_bold_is_a_typeface_in_the_bundled_assignment(backprop_checker):
    text = r"1: $$\frac{\partial E}{\partial \mathbf{x}} = -t (1 - y) \mathbf{W}$$"
    (got,) = check_text(text, path="s.md", checker=backprop_checker).claims
    assert got.verdict is P, got.message


@pytest.fixture(scope="module")
def subscripts() -> Checker:
    path = ROOT / "tests" / "data" / "subscripts.toml"
    return Checker(load_assignment(str(path)), Config(limits=GENEROUS))


LAYERS = [
    # a course that writes layers as subscripts: W_1 is a layer, x_1 an entry
    (r"\frac{\partial L}{\partial z_2} = (z_2 - y)^T", P),
    (r"\frac{\partial L}{\partial W_2} = (z_2 - y) a_1^T", P),
    (r"\frac{\partial L}{\partial W_2} = (z_2 + y) a_1^T", F),
    (r"\frac{\partial L}{\partial b_1} = (z_2 - y)^T W_2 \text{diag}(a_1 \odot (1 - a_1))", P),
    (r"\frac{\partial L}{\partial b_1} = (z_2 - y)^T W_2", F),  # the sigmoid's factor is lost
    (r"\frac{\partial L}{\partial (W_2)_{ij}} = (z_{2,i} - y_i) a_{1,j}", P),
    (r"\frac{\partial L}{\partial W_{2,ij}} = (z_{2,i} - y_i) a_{1,j}", P),
    (r"\frac{\partial L}{\partial W_{2,ij}} = (z_{2,i} - y_i) a_{1,i}", E),  # index j lost
    (r"\frac{\partial z_{1,1}}{\partial x_1} = W_{1,11}", P),  # x has no layers: x_1 is an entry
    (r"\frac{\partial z_{1,1}}{\partial x_1} = W_{1,12}", F),
    (r"\frac{\partial L}{\partial z_1} = (z_2 - y)^T W_2 \text{diag}(a_1 \odot (1 - a_1))", P),
    (r"\frac{\partial L}{\partial z_1} = (z_2 - y)^T W_1 \text{diag}(a_1 \odot (1 - a_1))", E),
]


@pytest.mark.parametrize(("claim", "verdict"), LAYERS)
def test_subscript_layers(subscripts, claim, verdict):
    (got,) = check_text(f"1: $${claim}$$", path="s.md", checker=subscripts).claims
    assert got.verdict is verdict, got.message


@pytest.fixture(scope="module")
def plain() -> Checker:
    return Checker(
        load_assignment(str(ROOT / "tests" / "data" / "plain.toml")), Config(limits=GENEROUS)
    )


PLAIN = [
    # a course that writes layers as plain superscripts: a^2 is layer 2 where a has one
    (r"\frac{\partial J}{\partial a^2} = a^2 - y", P),
    (r"\frac{\partial J}{\partial a^{2}} = a^2 + y", F),
    (r"\frac{\partial J}{\partial z^2} = (a^2 - y) \odot a^2 \odot (1 - a^2)", P),
    (r"\frac{\partial J}{\partial z^2} = (a^2 - y) \odot a^2", F),
    (r"\frac{\partial J}{\partial W^2} = [(a^2 - y) \odot a^2 \odot (1 - a^2)] (a^1)^T", P),
    (r"\frac{\partial J}{\partial W^2} = [(a^2 - y) \odot a^2 \odot (1 - a^2)] (a^1)^2", E),
    (r"a^0 = x", W),  # declared in `lenient`: said
    (r"(a^1)^2 = a^1 \odot a^1", E),  # a power of a vector is not elementwise here
    (r"x^2 = x^T x", E),  # x has no layers: x^2 stays a power (of a vector)
    (r"J = \frac{1}{2} (a^2 - y)^T (a^2 - y)", P),
    (r"J = \frac{1}{2} (a^1 - y)^T (a^1 - y)", E),  # shapes differ: layer 1 has h entries
    (r"W^3 = 0", E),  # no layer 3: a power of a matrix, refused
]


@pytest.mark.parametrize(("claim", "verdict"), PLAIN)
def test_plain_superscript_layers(plain, claim, verdict):
    (got,) = check_text(f"1: $${claim}$$", path="s.md", checker=plain).claims
    assert got.verdict is verdict, got.message


@pytest.fixture(scope="module")
def skipgram() -> Checker:
    return Checker(
        load_assignment(str(ROOT / "tests" / "data" / "skipgram.toml")), Config(limits=GENEROUS)
    )


DLOGP = r"\frac{\partial}{\partial v_c} \log p(o|c)"
CONDITIONAL = [
    # a conditional name the course declares: p(o|c), however the bar is typed
    (DLOGP + r" = U (y - \hat{y})", P),
    (DLOGP + r" = U (\hat{y} - y)", F),
    (r"\frac{\partial}{\partial v_c} \log p(o \mid c) = U (y - \hat{y})", P),
    (r"\frac{\partial}{\partial v_c} \log p\left(o \middle| c\right) = U (y - \hat{y})", E),
    (r"\frac{\partial}{\partial U} \log p(o|c) = v_c (y - \hat{y})^T", P),
    (r"\frac{\partial}{\partial U} \log p(o|c) = v_c (\hat{y} - y)^T", F),
    (r"\frac{\partial}{\partial v_c} \log p(c|o) = U (y - \hat{y})", E),  # not declared
    (r"\frac{\partial}{\partial v_c} \log (o|c) = U (y - \hat{y})", E),  # no name before it
    (r"p(o|c) = e^{F}", P),
]


@pytest.mark.parametrize(("claim", "verdict"), CONDITIONAL)
def test_conditional_names(skipgram, claim, verdict):
    (got,) = check_text(f"1: $${claim}$$", path="s.md", checker=skipgram).claims
    assert got.verdict is verdict, got.message


@pytest.fixture(scope="module")
def ng() -> Checker:
    return Checker(
        load_assignment(str(ROOT / "tests" / "data" / "ng.toml")), Config(limits=GENEROUS)
    )


DZ1 = r"W^{[2]T} dZ^{[2]} \odot (1 - A^{[1]} \odot A^{[1]})"
ALIASES = [
    # d-notation: dX is ∂J/∂X in X's own shape
    (r"dZ^{[2]} = A^{[2]} - y", P),
    (r"dZ^{[2]} = y - A^{[2]}", F),
    (r"dW^{[2]} = dZ^{[2]} A^{[1]T}", P),
    (r"dW^{[2]} = dZ^{[2]} A^{[1]}", F),  # a column where W^{[2]} is a row
    (r"db^{[2]} = dZ^{[2]}", P),
    (rf"dZ^{{[1]}} = {DZ1}", P),
    (r"dZ^{[1]} = W^{[2]T} dZ^{[2]} \odot (1 - A^{[1]})", F),
    (r"dW^{[1]} = dZ^{[1]} x^T", P),
    (r"dW^{[1]} = x dZ^{[1]T}", F),
    # the gradient ∇ and ∂/∂ written inline
    (r"\nabla_{W^{[2]}} J = (A^{[2]} - y) A^{[1]T}", P),
    (r"\nabla_{b^{[1]}} J = dZ^{[1]}", P),
    (r"\nabla_{b^{[1]}} J = dZ^{[1]T}", F),
    (r"\partial J / \partial Z^{[2]} = A^{[2]} - y", P),
    (r"\partial J / \partial Z^{[2]} = A^{[2]}", F),
    (r"\frac{\partial J}{\partial W^{[2]}} = dW^{[2]}", P),
    (r"\frac{dJ}{dZ^{[2]}} = A^{[2]} - y", P),
    (r"d Z^{[2]} = A^{[2]} - y", E),
    # ∇ acts on the whole product after it; inline dA/dB is a derivative, never a ratio
    (r"\nabla_{Z^{[2]}} 2J = 0", F),
    (r"\nabla_{Z^{[2]}} 2J = 2(A^{[2]} - y)", P),
    (r"\nabla_{Z^{[2]}} A^{[2]} J = A^{[2]}(1 - A^{[2]}) J", F),
    (r"dZ^{[2]}/dA^{[2]} = A^{[2]}(1 - A^{[2]})", F),
    (r"dA^{[2]}/dZ^{[2]} = A^{[2]}(1 - A^{[2]})", P),
    (r"dJ/dZ^{[2]} = A^{[2]} - y", P),
    # where declared, `*` and powers of vectors act entry by entry
    (r"dZ^{[1]} = W^{[2]T} dZ^{[2]} * (1 - (A^{[1]})^2)", P),
    (r"dZ^{[1]} = W^{[2]T} dZ^{[2]} * (1 - A^{[1]})", F),
    (
        r"dZ^{[1]} = W^{[2]T} dZ^{[2]} * (1 - (A^{[1]})^3)",
        F,
    ),  # `d Z`, spaced, is no derivative: d is no symbol here
]


@pytest.mark.parametrize(("claim", "verdict"), ALIASES)
def test_derivative_aliases(ng, claim, verdict):
    (got,) = check_text(f"1: $${claim}$$", path="s.md", checker=ng).claims
    assert got.verdict is verdict, got.message


@pytest.fixture(scope="module")
def ng_deep() -> Checker:
    return Checker(load_assignment("ng_deep"), Config(limits=GENEROUS))


# Ng's two d's (`d = { nodes = "\\mathcal{L}", inputs = "J" }`): dZ is ∂𝓛/∂Z, the summed
# loss's; dW is ∂J/∂W, the mean cost's
SPLIT_D = [
    ("1", r"dZ^{[L]} = A^{[L]} - Y", P),
    ("1", r"dZ^{[L]} = \frac{1}{m} (A^{[L]} - Y)", F),  # that is ∂J/∂Z^{[L]}
    ("2", r"dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}", P),
    ("2", r"dW^{[l]} = dZ^{[l]} A^{[l-1]T}", F),  # that is ∂𝓛/∂W^{[l]}
    ("2", r"dW^{[l]} = \frac{\partial J}{\partial W^{[l]}}", P),
    ("2", r"dW^{[l]} = \frac{\partial \mathcal{L}}{\partial W^{[l]}}", F),
    ("2", r"dA^{[l-1]} = W^{[l]T} dZ^{[l]}", P),  # a node: the summed loss's
    ("2", r"dA^{[l-1]} = \frac{1}{m} W^{[l]T} dZ^{[l]}", F),
]


@pytest.mark.parametrize(("step", "claim", "verdict"), SPLIT_D)
def test_d_notation_of_nodes_and_of_inputs(ng_deep, step, claim, verdict):
    (got,) = check_text(f"{step}: $${claim}$$", path="s.md", checker=ng_deep).claims
    assert got.verdict is verdict, got.message


def test_d_notation_declared_for_inputs_only_reads_no_node(tmp_path):
    text = (ROOT / "derivations" / "ng_deep.toml").read_text("utf-8")
    path = tmp_path / "inputs.toml"
    path.write_text(text.replace('nodes = "\\\\mathcal{L}", ', ""), "utf-8")
    checker = Checker(load_assignment(str(path)), Config(isolate=False))
    (got,) = check_text("1: $$dZ^{[L]} = A^{[L]} - Y$$", path="s.md", checker=checker).claims
    assert got.verdict is Verdict.ERROR
    assert "declared for inputs only" in got.message


def test_d_notation_is_refused_where_d_is_a_dimension(tmp_path):
    from verifier.errors import AssignmentError
    from verifier.models.model import build_model

    text = (ROOT / "derivations" / "backprop.toml").read_text("utf-8")
    path = tmp_path / "clash.toml"
    path.write_text(text.replace("[notation]", '[notation]\nd = "E"', 1), "utf-8")
    with pytest.raises(AssignmentError, match="`d` is also a name"):
        build_model(load_assignment(str(path)), "neuron")


BUNDLED = [
    # step, claim, verdict (bundled backprop: `d` is a dimension, `\mathbf` a typeface)
    ("1", r"dE/dt = E t", F),  # a derivative written inline, not d·E/d·t
    ("1", r"dE/dt = -\log y", P),
    # the ones vector, never the number 1 under a transparent bold: a sum, not the gradient
    ("3", r"\frac{\partial E}{\partial z^{(2)}} = (y^{(2)} - t)^T \mathbf{1}", F),
    ("3", r"\frac{\partial E}{\partial z^{(2)}} = \mathbf{1}^T (y^{(2)} - t)", F),
]


@pytest.mark.parametrize(("step", "claim", "verdict"), BUNDLED)
def test_aliases_in_the_bundled_assignment(backprop_checker, step, claim, verdict):
    (got,) = check_text(f"{step}: $${claim}$$", path="s.md", checker=backprop_checker).claims
    assert got.verdict is verdict, got.message


@pytest.fixture(scope="module", params=["'", "t"])
def marked(request, tmp_path_factory) -> tuple[str, Checker]:
    """The hatted course, declaring one more transpose mark."""
    text = (ROOT / "tests" / "data" / "hatted.toml").read_text(encoding="utf-8")
    mark = request.param
    declared = f'[notation]\ntranspose = ["{mark}"]\n'
    path = tmp_path_factory.mktemp("t") / "marked.toml"
    path.write_text(text.replace("[notation]\n", declared, 1), encoding="utf-8")
    return mark, Checker(load_assignment(str(path)), Config(limits=GENEROUS))


DLDW = r"\frac{\partial \mathcal{L}}{\partial w}"
MARKS = [
    # (claim with X for the mark, verdict): ∂L/∂w = (ŷ - y) x^T, w a 1×d row
    (DLDW + r" = (\hat{y} - y) \mathbf{x}^X", P),
    (DLDW + r" = (\hat{y} - y) (\mathbf{x})^X", P),
    (DLDW + r" = (\hat{y} + y) \mathbf{x}^X", F),
    (DLDW + r" = (\hat{y} - y) (\mathbf{x}^X)^X", W),  # a column: true in the other layout
    (r"z = w \mathbf{x}", P),
    (r"z = \mathbf{x}^X w^X", P),
    (r"z = (w \mathbf{x})^X", P),
]


@pytest.mark.parametrize(("claim", "verdict"), MARKS)
def test_declared_transpose_marks(marked, claim, verdict):
    mark, checker = marked
    text = claim.replace("^X", "'" if mark == "'" else "^t")
    (got,) = check_text(f"1: $${text}$$", path="s.md", checker=checker).claims
    assert got.verdict is verdict, (text, got.message)


def test_undeclared_marks_are_not_transposes(hatted):
    (got,) = check_text(r"1: $$z = \mathbf{x}' w'$$", path="s.md", checker=hatted).claims
    assert got.verdict is E, got.message
    (got,) = check_text(r"1: $$z = \mathbf{x}^t w^t$$", path="s.md", checker=hatted).claims
    assert got.verdict is E, got.message


def test_t_as_a_transpose_is_refused_where_t_is_a_name(tmp_path):
    text = (ROOT / "derivations" / "backprop.toml").read_text(encoding="utf-8")
    path = tmp_path / "t.toml"
    path.write_text(text.replace("[notation]\n", '[notation]\ntranspose = ["t"]\n', 1))
    with pytest.raises(AssignmentError, match="`t` is also a name"):
        Checker(load_assignment(str(path)), Config()).model("network")


# Names written as squares (verifier/models/names.py): the key a declaration gives `\sigma^2`
KEYS = [
    (r"\sigma^2", (r"\sigma^{2}", ())),
    (r"\sigma^{2}", (r"\sigma^{2}", ())),  # one name, either spelling
    (r"\sigma_B^2", (r"\sigma^{2}", ("B",))),  # a subscript: the name's own or a family's index
    (r"\sigma^2_B", (r"\sigma^{2}", ("B",))),
    (r"\hat{\sigma}^2", (r"\hat{\sigma}^{2}", ())),
    (r"W^{(2)}", ("W^{(2)}", ())),  # a layer stays a layer
]


@pytest.mark.parametrize(("text", "key"), KEYS)
def test_a_square_is_a_name_of_its_own(text, key):
    assert key_of(text) == key


@pytest.mark.parametrize(
    "text", [r"\sigma^3", r"\sigma^4", r"\sigma^{1/2}", r"\sigma^{-2}", r"\sigma^2'"]
)
def test_other_powers_are_no_names(text):
    with pytest.raises(NotationError):
        key_of(text)
