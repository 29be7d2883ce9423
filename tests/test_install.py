"""A plain (non-editable) wheel carries the grammar, the schemas and the bundled assignments."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from .conftest import ROOT


def test_wheel_contains_bundled_data(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
    )
    (wheel,) = tmp_path.glob("verify_derivations-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "verifier/parse/grammar/notation.lark",
        "verifier/parse/grammar/vocabulary.lark",
        "verifier/source/latex_commands.txt",
        "verifier/schemas/assignment.schema.json",
        "verifier/schemas/result.schema.json",
        "verifier/derivations/backprop.toml",
        "verifier/derivations/examples/backprop_seed.md",
        "verifier/report/template.tex",
    ):
        assert required in names, required
