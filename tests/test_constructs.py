"""Constructs found in real derivations (the issue 11 corpus) and components (issue 12), each
with false variants that must not pass: a sign straight after `\\sum` starts its body; `\\cdot`
between two vectors beside a scalar is their dot product; components of expressions; primes of
bracketed expressions."""

from __future__ import annotations

import pytest

from verifier.api import check_claim
from verifier.check.verdicts import Verdict

P, W, F, E = Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.ERROR
DZ2I = r"\frac{\partial E}{\partial z^{(2)}_i}"  # step 2: y_i - t_i (t one-hot)
DZ2K = r"\frac{\partial E}{\partial z^{(2)}_k}"  # step 2: y_k - t_k
DW2 = r"\frac{\partial E}{\partial W^{(2)}}"  # step 4: (y^{(2)} - t) y^{(1)T}
DW2IJ = r"\frac{\partial E}{\partial W^{(2)}_{ij}}"  # step 4: (y_i - t_i) y^{(1)}_j
SIG = r"(\frac{1}{1+e^{-z}})"  # a function of the model's free variable z

CLAIMS = [
    # (step, claim, verdicts allowed)
    # Σ_j (−t_j/y_j) y_j (δ_ij − y_i) = −t_i + y_i Σ_j t_j = y_i − t_i
    (
        "2",
        DZ2I + r" = \sum_{j=1}^n -\frac{t_j}{y^{(2)}_j} y^{(2)}_j (\delta_{ij} - y^{(2)}_i)",
        (P, W),
    ),
    (
        "2",
        DZ2I + r" = \sum_{j=1}^n -\frac{t_j}{y^{(2)}_j} y^{(2)}_j (\delta_{ij} + y^{(2)}_i)",
        (F,),
    ),
    (
        "2",
        DZ2I + r" = \sum_{j=1}^n \frac{t_j}{y^{(2)}_j} y^{(2)}_j (\delta_{ij} - y^{(2)}_i)",
        (F,),
    ),
    # the sign belongs to the body only: Σ_j (−t_j) + 1 = 0 for a one-hot t
    ("5", r"\sum_{j=1}^n - t_j + 1 = 0", (P, W)),
    ("5", r"\sum_{j=1}^n - t_j + 1 = 2", (F,)),
    ("5", r"2 \sum_{j=1}^n - t_j = -2", (P, W)),
    ("5", r"-\sum_{j=1}^n t_j = -1", (P, W)),
    # `\cdot` between two vectors inside a sum beside a scalar: the dot product, said so
    ("5", r"x^T x + 1 = x \cdot x + 1", (W,)),
    ("5", r"x^T x + 1 = x \cdot x + 2", (F,)),
    ("5", r"x^T x + 1 = 2 x \cdot x + 1", (F,)),
    ("5", r"y^{(1)T} y^{(1)} - 1 = y^{(1)} \cdot y^{(1)} - 1", (W,)),
    # beside a vector `\cdot` stays elementwise; two readings never rescue a false claim
    ("5", r"x \odot x = x \cdot x", (W,)),
    ("5", r"x \odot x + 1 = x \cdot x", (F, E)),
    # components of expressions (issue 12): `(a)_i`, `[a]_i`, `f(a)_i` is (f(a))_i
    ("2", DZ2I + r" = (y^{(2)} - t)_i", (P,)),
    ("2", DZ2I + r" = [y^{(2)} - t]_i", (P,)),
    ("2", DZ2I + r" = \left[y^{(2)} - t\right]_i", (P,)),
    ("2", DZ2I + r" = (y^{(2)} + t)_i", (F,)),
    ("2", DZ2I + r" = (t - y^{(2)})_i", (F,)),
    ("2", DZ2I + r" = \text{softmax}(z^{(2)})_i - t_i", (P,)),
    ("2", DZ2I + r" = \text{softmax}(z^{(2)})_i + t_i", (F,)),
    ("2", DZ2I + r" = \text{softmax}(z^{(2)}_i) - t_i", (E,)),  # softmax of a scalar
    ("4", DW2IJ + r" = ((y^{(2)} - t) y^{(1)T})_{ij}", (P,)),
    ("4", DW2IJ + r" = ((y^{(2)} - t) y^{(1)T})_{ji}", (E,)),  # indices over other ranges
    ("4", DW2IJ + r" = (y^{(1)} (y^{(2)} - t)^T)_{ji}", (P,)),
    ("5", r"(x^T x)_1 = 0", (E,)),  # a scalar has no components
    ("5", r"(y^{(1)} - y^{(1)})_4 = 0", (E,)),  # outside the vector at some shape
    # a prime on an expression of the one variable z; a prime is never dropped unread
    ("5", SIG + r"' = " + SIG + r"(1 - " + SIG + ")", (P,)),
    ("5", SIG + r"^\prime = " + SIG + r"(1 - " + SIG + ")", (P,)),
    ("5", SIG + r"^\prime = " + SIG, (F,)),
    ("5", SIG + r"' = " + SIG, (F,)),
    ("5", r"(x^T x)' = 0", (E,)),  # no variable: never read as x^T x
    ("5", r"(z t)' = t", (E,)),  # another quantity beside the variable
    ("5", r"(z^2)'' = 2", (E,)),
    ("5", r"(t)^{(1)} = t", (E,)),  # a layer on an expression is never dropped
    # a prime after a function's argument: σ(z)' is σ'(z) for a variable z; never dropped
    ("5", r"g(z)' = g(z)(1 - g(z))", (P,)),
    ("5", r"\sigma(z)' = \sigma(z)", (F,)),
    ("5", r"\sigma(z)'' = \sigma'(z)(1 - 2\sigma(z))", (P,)),
    ("5", r"\sigma(z^{(1)})' = 0", (E,)),  # by no variable
    # `\otimes` of two vectors is their outer product (column times row); nothing else
    ("4", DW2 + r" = (y^{(2)} - t) \otimes y^{(1)}", (P,)),
    ("4", DW2 + r" = (y^{(2)} - t) ⊗ y^{(1)}", (P,)),
    ("4", DW2 + r" = (y^{(2)} - t)^T \otimes y^{(1)T}", (P,)),
    ("4", DW2 + r" = (y^{(2)} + t) \otimes y^{(1)}", (F,)),
    ("4", DW2 + r" = y^{(1)} \otimes (y^{(2)} - t)", (W,)),  # the transpose: other layout
    ("4", DW2 + r" = (y^{(2)} - t) \otimes W^{(1)}", (E,)),  # no Kronecker product
    ("5", r"x \otimes x = x x^T", (P,)),
    ("5", r"x \otimes x = x^T x", (F,)),  # shapes differ
    # the ones vector `\mathbf{1}` (issue 12), its length from what is beside it or `_n`
    ("5", r"\mathbf{1}^T t = 1", (P,)),  # t one-hot
    ("5", r"\mathbb{1}^T t = 2", (F,)),
    ("5", r"\mathbf{1}_n^T t = 1", (P,)),
    ("5", r"\sum_{j=1}^n y^{(2)}_j = \mathbf{1}^T y^{(2)}", (P,)),
    ("5", r"\sum_{j=1}^n y^{(2)}_j = \mathbf{1}^T y^{(2)} + 1", (F,)),
    ("5", r"x^T \mathbf{1}_d = \sum_{k=1}^d x_k", (P,)),
    (
        "5",
        r"\frac{\partial y^{(1)}}{\partial z^{(1)}} = \text{diag}(y^{(1)} \odot (\mathbf{1} - y^{(1)}))",
        (P,),
    ),
    (
        "5",
        r"\frac{\partial y^{(1)}}{\partial z^{(1)}} = \text{diag}(y^{(1)} \odot (\mathbf{1} + y^{(1)}))",
        (F,),
    ),
    # a sum that skips a value: Σ_{i≠k} f_i is Σ_i (1 − δ_ik) f_i
    ("2", DZ2K + r" = -t_k (1 - y^{(2)}_k) + \sum_{i \neq k} t_i y^{(2)}_k", (P,)),
    ("2", DZ2K + r" = -t_k (1 - y^{(2)}_k) + \sum_{i \neq k} t_i y^{(2)}_i", (F,)),
    ("2", DZ2K + r" = -t_k (1 - y^{(2)}_k) + \sum_{i=1}^n t_i y^{(2)}_k", (F,)),  # not skipped
    ("5", r"\sum_{i \neq 1}^n t_i + t_1 = 1", (P,)),
    ("5", r"\sum_{i \neq 1} t_i = 1", (F,)),  # false where t_1 is the hot one
    ("5", r"\sum_{i < 2} t_i = 1", (E,)),  # only `=` and `\neq` under a sum
    ("5", r"\sum_{i \neq i} t_i = 0", (E,)),  # skips every term
    ("5", r"\sum_{i \neq k} t_i = 1", (E,)),  # k has no values: was an internal error
    ("5", r"\sum_{i} \delta_{ik} t_i = 1", (E,)),
    ("5", r"\mathbf{1} = 1", (E,)),  # no length to take: never the number 1
    ("5", r"\mathbf{1}^T \mathbf{1} = 1", (E,)),
]


@pytest.mark.parametrize(("step", "latex", "verdicts"), CLAIMS)
def test_construct(step, latex, verdicts):
    from .test_oracle import checker

    result = check_claim(latex, step=step, checker=checker())
    assert result.verdict in verdicts, result.message
