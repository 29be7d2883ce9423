"""Generated submissions: variants of derivations/examples/backprop_seed.md.

    python benchmarks/generate.py N OUTDIR [--seed S]

Each variant applies a few notation rewrites (value-preserving, every occurrence) and, in about
half of the variants, mutations (value-changing) or corrections of the seed's own mistakes (first
occurrence). Deterministic for a given seed; prints a manifest of what each file received.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

SEED_FILE = Path(__file__).resolve().parent.parent / "derivations" / "examples" / "backprop_seed.md"

# (find, replace): notation only, the value of every claim is unchanged.
REWRITES = [
    (r"\log(G(Wx))", r"\log(\sigma(Wx))"),
    (r"-t \cdot \log y", r"-t\log y"),
    (r"e^{-Wx}", r"\exp(-Wx)"),
    (r"\log", r"\ln"),
    (r"\frac{1}{1+e^{-z}} \cdot \left(1 - \frac{1}{1+e^{-z}}\right)", r"\sigma(z)\,(1-\sigma(z))"),
    (r"(y^{(2)} - t)^T", r"(y^{(2)} - t)^\top"),
    (r"\text{diag}", r"\operatorname{diag}"),
    (r"y^{(1)} \cdot (1 - y^{(1)})", r"y^{(1)} \odot (1 - y^{(1)})"),
    (r"-t \cdot \frac{1}{G(Wx)}", r"-t\frac{1}{G(Wx)}"),
    ("1:  $m=1$", "**1:** $m=1$"),
    ("\n5:\n", "\n## 5\n"),
    (r"W^{(2)}y^{(1)}", r"W^{(2)} y^{(1)}"),
    (r"g(z) (1 - g(z))", r"g(z)\left(1-g(z)\right)"),
    (r"\sum_{j=1}^n", r"\sum_{j}"),
]

# (find, replace): the value of one claim changes (first occurrence only).
MUTATIONS = [
    (r"= -t \cdot \log(G(Wx))", r"= t \cdot \log(G(Wx))"),
    (r"= (y^{(2)} - t)^T$", r"= (t - y^{(2)})^T$"),
    (r"= (y_u^{(2)} - t_u) \cdot y_v^{(1)}", r"= (y_u^{(2)} + t_u) \cdot y_v^{(1)}"),
    (r"&= g(z) (1 - g(z))", r"&= g(z) (1 + g(z))"),
    (r"= (y^{(2)} - t) y^{(1)T}", r"= 2(y^{(2)} - t) y^{(1)T}"),
    (r"\cdot x_v$", r"\cdot x_u$"),
    (
        r"\frac{1}{1+e^{-z}} \cdot \frac{e^{-z}}{1+e^{-z}}",
        r"\frac{1}{1+e^{-z}} \cdot \frac{e^{z}}{1+e^{-z}}",
    ),
]

# (find, replace): fixes one of the seed's mistakes.
CORRECTIONS = [
    (r"\frac{\partial E}{\partial t} = \log", r"\frac{\partial E}{\partial t} = -\log"),
    (r"= tW \frac{e^{-Wx}}", r"= -tW \frac{e^{-Wx}}"),
    (r"\frac{-(-1)e^z}", r"\frac{-(-1)e^{-z}}"),
]


def variant(text: str, rng: random.Random) -> tuple[str, dict]:
    """One variant of ``text`` and what was done to it."""
    done: dict[str, list[int]] = {"rewrites": [], "mutations": [], "corrections": []}
    if rng.random() < 0.5:
        for name, table in (("mutations", MUTATIONS), ("corrections", CORRECTIONS)):
            for i in rng.sample(range(len(table)), rng.randint(0, 2)):
                find, replace = table[i]
                if find in text:
                    text = text.replace(find, replace, 1)
                    done[name].append(i)
    for i in sorted(rng.sample(range(len(REWRITES)), rng.randint(1, 5))):
        find, replace = REWRITES[i]
        if find in text:
            text = text.replace(find, replace)
            done["rewrites"].append(i)
    return text, done


def generate(n: int, outdir: Path, seed: int = 0) -> tuple[list[Path], dict[str, dict]]:
    """Write ``n`` variants to ``outdir`` (nothing else); their paths and what each received."""
    outdir.mkdir(parents=True, exist_ok=True)
    text = SEED_FILE.read_text(encoding="utf-8")
    rng = random.Random(seed)
    paths, manifest = [], {}
    for k in range(n):
        body, done = variant(text, rng)
        path = outdir / f"submission_{k:03d}.md"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
        manifest[path.name] = done
    return paths, manifest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    paths, manifest = generate(args.n, args.outdir, args.seed)
    print(json.dumps(manifest, indent=1))
    print(f"wrote {len(paths)} submissions to {args.outdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
