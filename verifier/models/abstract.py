"""Functions an assignment declares as "any smooth function" (`g = "smooth"`).

Symbolically, `g`, `g'`, `g''` are opaque SymPy functions, one class per derivative order, so
SymPy's chain rule gives `g'(z)` and an exact residual of 0 holds for every g. Numerically, each
sample point evaluates them through a random instance of its own, drawn from several
non-polynomial families (``FAMILIES``); its parameters are values sampled like the inputs, so a
claim true only for one g (`g' = g(1 - g)`, the sigmoid's) differs at some point.
"""

from __future__ import annotations

import functools
import re
import zlib

import sympy as sp

from verifier.notation import SMOOTH_PREFIX as PREFIX


class Smooth(sp.Function):
    """The ``order``-th derivative of the abstract function ``key``, applied to one argument."""

    key = ""
    order = 0
    nargs = 1
    is_number = False  # `g(0)` is no number: it has a value only at a point's instance

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return smooth(self.key, self.order + 1)(self.args[0])

    def __reduce__(self):  # the classes are made at run time: pickled by key and order
        return (_applied, (self.key, self.order, self.args[0]))

    def _latex(self, printer, exp=None) -> str:
        if self.key.endswith(")}"):  # a layer's g: `g^{(1)\prime}`
            name = self.key[:-1] + r"\prime" * self.order + "}"
        else:
            name = self.key + ("'" * self.order if self.order <= 3 else f"^{{({self.order})}}")
        text = rf"{name}\left({printer._print(self.args[0])}\right)"
        return rf"\left({text}\right)^{{{exp}}}" if exp is not None else text


def _applied(key: str, order: int, arg: sp.Expr) -> sp.Expr:
    return smooth(key, order)(arg)


@functools.cache
def smooth(key: str, order: int) -> type[Smooth]:
    """The class of `key` differentiated ``order`` times (one class per pair, so `g'(z)` in a
    claim and in the truth are the same SymPy object). Its name is stable across processes."""
    safe = re.sub(r"[^A-Za-z0-9]", "", key) or "f"
    name = f"{safe}{'_d' * order}_{zlib.crc32(key.encode()):08x}"
    return type(name, (Smooth,), {"key": key, "order": order})


def key_of(func: str) -> str | None:
    """The declared key of a typed tree's function name (`smooth:g` → `g`), or None."""
    return func[len(PREFIX) :] if func.startswith(PREFIX) else None


# --- the random instances points evaluate ----------------------------------------------------
U = sp.Symbol("u", real=True)
FAMILIES = ("tanh", "sin", "softplus")  # point p draws its instance from FAMILIES[p % 3]


def parameters(key: str) -> dict[str, sp.Symbol]:
    """The instance's parameters for `key`: a_<family> (the weight of each family, nonzero for
    the point's family only), b_<family>, c_<family>, and d, k."""
    names = [f"{p}_{f}" for f in FAMILIES for p in "abc"] + ["d", "k"]
    return {n: sp.Symbol(f"{key}#{n}", real=True) for n in names}


@functools.cache
def instance(key: str, order: int) -> sp.Expr:
    """The ``order``-th derivative in u of Σ_f a_f·f(b_f u + c_f) + d u + k, derived by SymPy."""
    p = parameters(key)
    outer = {
        "tanh": sp.tanh,
        "sin": sp.sin,
        "softplus": lambda v: sp.log(1 + sp.exp(v)),
    }
    body = sum(
        (p[f"a_{f}"] * outer[f](p[f"b_{f}"] * U + p[f"c_{f}"]) for f in FAMILIES),
        p["d"] * U + p["k"],
    )
    return sp.diff(body, U, order)
