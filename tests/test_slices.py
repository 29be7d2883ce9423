"""Columns and rows of a matrix as named vectors, and the observed word (issue 12, components;
tests/data/word2vec.toml): `u_w` is column w of U, `v_w^T` is row w of V, and `o` is where the
one-hot y is 1. Each true row has a false variant that must not pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.api import check_claim
from verifier.check.compare import Config
from verifier.check.verdicts import Verdict

from .conftest import GENEROUS

P, W, F, E, U = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR, Verdict.UNDECIDED
W2V = str(Path(__file__).parent / "data" / "word2vec.toml")


def _d(at: str) -> str:
    return rf"\frac{{\partial J}}{{\partial {at}}}"


CLAIMS = [
    # (claim, verdicts allowed)
    (r"u_w^T v_c = (U^T v_c)_w", (P,)),
    (r"u_w^T v_c = (V v_c)_w", (F,)),  # the row of V, not the column of U
    (r"u_w = U_{:w}", (E,)),  # slices are declared, not written with `:`
    (r"v_w = (V_{w1}, V_{w2})", (E,)),
    (r"v_w^T U = (V U)_{w}", (E,)),  # a row of a product is no entry
    (r"\hat{y}_w = \frac{e^{u_w^T v_c}}{\sum_{x=1}^K e^{u_x^T v_c}}", (P,)),
    (r"\hat{y}_w = \frac{e^{u_w^T v_c}}{\sum_{x=1}^K e^{u_w^T v_c}}", (F,)),
    (r"J = -\log \hat{y}_o", (P,)),  # o is the observed word
    (r"J = -\log \hat{y}_1", (F,)),
    (r"J = -u_o^T v_c + \log \sum_{w=1}^K e^{u_w^T v_c}", (P,)),
    (r"J = u_o^T v_c - \log \sum_{w=1}^K e^{u_w^T v_c}", (F,)),
    (_d("v_c") + r" = -u_o + \sum_{w=1}^K \hat{y}_w u_w", (P,)),
    (_d("v_c") + r" = -u_o + \sum_{w=1}^K y_w u_w", (F,)),
    (_d("v_c") + r" = U (\hat{y} - y)", (P,)),
    (_d("u_w") + r" = (\hat{y}_w - y_w) v_c", (P,)),
    (_d("u_w") + r" = \hat{y}_w v_c", (F,)),  # true only where w is not o
    (_d("u_w") + r" = \hat{y}_w v_c \quad \text{for } w \neq o", (P,)),
    (_d("u_w") + r" = (\hat{y}_w - 1) v_c \quad \text{for } w \neq o", (F,)),
    (_d("u_w") + r" = (\hat{y}_w - 1) v_c \quad \text{if } w = o", (P,)),
    (_d("u_o") + r" = (\hat{y}_o - 1) v_c", (P,)),
    (_d("u_o") + r" = \hat{y}_o v_c", (F,)),
    (_d("u_w") + r" = v_c \quad \text{if } w < o", (E,)),  # only = and ≠ with o
    (_d("u") + r" = v_c", (E,)),  # a slice needs its index
    # rows: v_w^T is row w of V, so v_w is a column vector
    (r"v_w^T v_c = (V v_c)_w", (P,)),
    (r"v_w^T v_c = (U^T v_c)_w", (F,)),
]


@pytest.mark.parametrize(("latex", "verdicts"), CLAIMS)
def test_slices_and_the_hot_position(latex, verdicts):
    result = check_claim(latex, step="1", assignment=W2V, config=Config(limits=GENEROUS))
    assert result.verdict in verdicts, result.message
