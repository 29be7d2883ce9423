"""LaTeX of a typed expression in the model's notation, as a course writes it on the board:
`(y^{(2)} - t) y^{(1)T}`, `\\text{diag}(y \\odot (1 - y))`, `\\frac{1}{N} X^T r`. What it
writes is read back with the submissions' grammar before it is shown (the checker confirms it)."""

from __future__ import annotations

from fractions import Fraction

from verifier.models import algebra as al
from verifier.models.lifting import slice_parts
from verifier.notation import SMOOTH_PREFIX, SymbolTable
from verifier.parse import typed as ty

# binding strength: a sum < a product < a transpose, a power or an atom
_SUM, _PRODUCT, _ATOM = 1, 2, 3


def _family_in(node: ty.Node) -> bool:
    return any(isinstance(m, ty.Var) and m.key.endswith("_*") for m in ty.walk(node))


class Unwritable(Exception):
    """A node with no LaTeX of its own here (a family, a rank-3 value)."""


def write(node: ty.Node, table: SymbolTable) -> str:
    return _Writer(table).text(node)[0]


def function_name(table: SymbolTable, func: str) -> str:
    """The course's spelling of a library function (`G` for the sigmoid), or `\\func`."""
    if func.startswith(SMOOTH_PREFIX):  # a declared smooth function: its own name
        return func[len(SMOOTH_PREFIX) :]
    for notation, kind in table.functions.items():
        if kind == func:
            return notation
    return {"log": r"\log", "exp": r"\exp", "tanh": r"\tanh"}.get(func, rf"\text{{{func}}}")


class _Writer:
    def __init__(self, table: SymbolTable) -> None:
        self.table = table

    def text(self, n: ty.Node) -> tuple[str, int]:
        method = getattr(self, f"_{type(n).__name__.lower()}", None)
        if method is None:
            raise Unwritable(type(n).__name__)
        return method(n)

    def wrapped(self, n: ty.Node, strength: int) -> str:
        text, own = self.text(n)
        return text if own >= strength else f"({text})"

    def _var(self, n: ty.Var) -> tuple[str, int]:
        q = self.table.quantities.get(n.key)
        if q is None or q.kind == "family":
            raise Unwritable(n.key)
        return q.label, _ATOM

    def _num(self, n: ty.Num) -> tuple[str, int]:
        v = Fraction(n.value)
        if v.denominator == 1:
            return str(v.numerator), _ATOM
        return rf"\frac{{{v.numerator}}}{{{v.denominator}}}", _ATOM

    def _dimvalue(self, n: ty.DimValue) -> tuple[str, int]:
        return n.name, _ATOM

    def _ones(self, n: ty.Ones) -> tuple[str, int]:
        if n.shape[1] == 1:  # its length said: not always inferable
            return rf"\mathbf{{1}}_{{{n.shape[0]}}}", _ATOM
        return rf"\mathbf{{1}}_{{{n.shape[1]}}}^T", _ATOM  # a row

    def _identity(self, n: ty.Identity) -> tuple[str, int]:
        return "I", _ATOM

    def _add(self, n: ty.Add) -> tuple[str, int]:
        out = self.wrapped(n.terms[0], _SUM)
        for term, sign in zip(n.terms[1:], n.signs[1:], strict=True):
            out += f" {'+' if sign > 0 else '-'} {self.wrapped(term, _PRODUCT)}"
        return out, _SUM

    def _neg(self, n: ty.Neg) -> tuple[str, int]:
        return f"-{self.wrapped(n.body, _PRODUCT)}", _SUM

    def _mul(self, n: ty.Mul) -> tuple[str, int]:
        if n.kind == "matmul" and ty.is_scalar(n.shape) and _family_in(n):
            return self._inner_sum(n)
        if n.kind == "hadamard":  # `(A B) \odot C`: a product beside ⊙ is bracketed
            left, right = (self._beside_odot(side) for side in (n.left, n.right))
            return rf"{left} \odot {right}", _PRODUCT
        if any(isinstance(side, ty.Mul) and side.kind == "hadamard" for side in (n.left, n.right)):
            left = self.wrapped(n.left, _PRODUCT if self._odot(n.left) is None else _ATOM)
            right = self.wrapped(n.right, _PRODUCT if self._odot(n.right) is None else _ATOM)
        elif n.kind == "scale" and isinstance(n.left, ty.Mul) and n.left.kind == "matmul":
            left = f"({self.text(n.left)[0]})"  # `(t^T s) 1`: a scalar product kept together
            right = self.wrapped(n.right, _PRODUCT)
        else:
            left = self.wrapped(n.left, _PRODUCT)
            right = self.wrapped(n.right, _PRODUCT)
        fraction = _over(n)
        if fraction is not None:  # 2 · \frac{1}{N} X: \frac{2}{N} X
            (c, den), rest = fraction
            text = rf"\frac{{{c}}}{{{self.text(den)[0]}}}"
            return (f"{text} {self.wrapped(rest, _PRODUCT)}", _PRODUCT) if rest else (text, _ATOM)
        if isinstance(n.left, ty.Num) and Fraction(n.left.value).denominator != 1:
            return f"{left} {right}", _PRODUCT
        if isinstance(n.right, ty.Num):  # a number is written first: `2 x`, not `x 2`
            return f"{right} {left}", _PRODUCT
        return f"{left} {right}", _PRODUCT

    def _beside_odot(self, side: ty.Node) -> str:
        return self.wrapped(side, _ATOM if isinstance(side, ty.Mul) else _PRODUCT)

    @staticmethod
    def _odot(side: ty.Node) -> ty.Node | None:
        return side if isinstance(side, ty.Mul) and side.kind == "hadamard" else None

    def _div(self, n: ty.Div) -> tuple[str, int]:
        num, den = self.text(n.num)[0], self.text(n.den)[0]
        return rf"\frac{{{num}}}{{{den}}}", _ATOM

    def _pow(self, n: ty.Pow) -> tuple[str, int]:
        if n.exponent == ty.Num(n.exponent.pos, (), Fraction(1, 2)):
            return rf"\sqrt{{{self.text(n.base)[0]}}}", _ATOM
        base, strength = self.text(n.base)
        if strength == _ATOM and "^" in base and not base.endswith(")"):  # `(\sigma^2)^{3/2}`
            return f"({base})^{{{self.text(n.exponent)[0]}}}", _ATOM
        return f"{self.wrapped(n.base, _ATOM)}^{{{self.text(n.exponent)[0]}}}", _ATOM

    def _transpose(self, n: ty.Transpose) -> tuple[str, int]:
        body = n.body
        if isinstance(body, ty.Ones):
            return self._ones(ty.Ones(0, n.shape))
        if isinstance(body, ty.Var | ty.Tabulate):
            label = self.text(body)[0]
            if label.endswith("}") and "^{" in label and label.rindex("^{") > label.rfind("_"):
                return f"{label[:-1]}T}}", _ATOM  # W^{(2)} → W^{(2)T}
            if "^" not in label:  # `u_o^T`
                return f"{label}^T", _ATOM
        return rf"{self.wrapped(body, _ATOM + 1)}^T", _ATOM

    def _diag(self, n: ty.Diag) -> tuple[str, int]:
        return rf"\text{{diag}}({self.text(n.body)[0]})", _ATOM

    def _apply(self, n: ty.Apply) -> tuple[str, int]:
        if n.axis:
            raise Unwritable("a function of each example")
        if n.func == "step" and not n.order and "step" not in self.table.functions.values():
            return rf"\mathbb{{1}}({self.text(n.arg)[0]} > 0)", _ATOM
        name = function_name(self.table, n.func)
        if n.order and n.func.startswith(SMOOTH_PREFIX) and name.endswith("}") and "^{" in name:
            name = name[:-1] + r"\prime" * n.order + "}"  # g^{(1)} → g^{(1)\prime}
        elif n.order:
            name = f"{name}{chr(39) * n.order}"
        arg, strength = self.text(n.arg)
        if n.func == "log" and not n.order and strength == _ATOM:
            return rf"\log {arg}", _PRODUCT
        return f"{name}({arg})", _ATOM

    def _inner_sum(self, n: ty.Mul) -> tuple[str, int]:
        """aᵀb with a family among a, b (`\\hat{x}_i` has no vector name): Σ_i a_i b_i."""
        left = n.left.body if isinstance(n.left, ty.Transpose) else None
        if left is None or n.right.shape[1] != 1:
            raise Unwritable("a product with a family")
        used = {i for m in ty.walk(n) if isinstance(m, ty.Entry) for i in m.indices}
        i = next(k for k in "ijkpqr" if k not in used)
        body = al.times(al.entry(left, i), al.entry(n.right, i))
        return rf"\sum_{{{i}=1}}^{{{n.right.shape[0]}}} {self.wrapped(body, _PRODUCT)}", _SUM

    def _tabulate(self, n: ty.Tabulate) -> tuple[str, int]:
        """Column (or row) k of M, by the name the course declares for them (`u_k`)."""
        found = slice_parts(n)
        if found is not None:
            matrix, side, index = found
            for name, (key, kind) in self.table.slices.items():
                if key == matrix.key and kind == side:
                    k = index + 1 if isinstance(index, int) else index
                    return f"{name}_{{{k}}}", _ATOM
        raise Unwritable("a matrix written from a pattern")

    def _deriv(self, n: ty.Deriv) -> tuple[str, int]:
        num, wrt = self.text(n.num)[0], self.text(n.wrt)[0]
        return rf"\frac{{\partial {num}}}{{\partial {wrt}}}", _ATOM

    def _entry(self, n: ty.Entry) -> tuple[str, int]:
        index = ",".join(str(i + 1) if isinstance(i, int) else i for i in n.indices)
        if isinstance(n.var, ty.Var) and n.var.key.endswith("_*"):  # a family's entry
            return f"{n.var.key[:-2]}_{{{index}}}", _ATOM
        if isinstance(n.var, ty.Var):
            label = self._var(n.var)[0]
            if "_" in label:
                label = f"({label})"
            return f"{label}_{{{index}}}", _ATOM
        return rf"{self.wrapped(n.var, _ATOM + 1)}_{{{index}}}", _ATOM


def _over(n: ty.Mul) -> tuple[tuple[int, ty.Node], ty.Node | None] | None:
    """((c, d), rest) for a whole number c times \\frac{1}{d} (times rest), else None."""
    if n.kind != "scale" or not isinstance(n.left, ty.Num):
        return None
    c = Fraction(n.left.value)
    right, rest = n.right, None
    if isinstance(right, ty.Mul) and right.kind == "scale":
        right, rest = right.left, right.right
    if (
        c.denominator != 1
        or not isinstance(right, ty.Div)
        or right.num != ty.Num(right.num.pos, (), Fraction(1))
    ):
        return None
    return (c.numerator, right.den), rest
