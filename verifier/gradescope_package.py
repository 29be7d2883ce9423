"""``verify-derivations gradescope-package ASSIGNMENT -o autograder.zip``: a ready Gradescope
autograder.

The zip holds ``setup.sh`` (installs this exact version from the wheel packed beside it: the tool
is not on PyPI), ``run_autograder`` (runs ``python -m verifier.autograder``), the assignment file
byte for byte (pinned by its SHA-256 in ``autograder.json``) and the wheel. The wheel is the one
given with ``--wheel``, else built from the source tree of the running version (in a copy, so the
tree gains no ``build/``); either way its version must be the running one.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from verifier import __version__
from verifier.autograder import CONFIG, ROOT_VARIABLE
from verifier.errors import InputError

PROJECT = "verify_derivations"
SOURCE_PARTS = ("pyproject.toml", "README.md", "verifier", "derivations", "report")
PYTHON_VARIABLE = "VERIFY_DERIVATIONS_PYTHON"

SETUP = """#!/usr/bin/env bash
# Installs verify-derivations {version} exactly, from the wheel packed beside this script.
set -euo pipefail
cd "$(dirname "$0")"
PY=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    PY="$candidate"; break
  fi
done
if [ -z "$PY" ]; then  # Gradescope's Ubuntu 22.04 image has Python 3.10
  apt-get update && apt-get install -y python3.11 python3.11-venv
  PY=python3.11
fi
"$PY" -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --upgrade pip
/autograder/venv/bin/python -m pip install "./{wheel}"
/autograder/venv/bin/verify-derivations --version
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for each submission: grades /autograder/submission into
# /autograder/results/results.json (verify-derivations {version}, assignment pinned by SHA-256).
ROOT="${{{root}:-/autograder}}"
PYTHON="${{{python}:-$ROOT/venv/bin/python}}"
export {root}="$ROOT"
cd "$ROOT" || exit 1
"$PYTHON" -m verifier.autograder
code=$?
if [ ! -s "$ROOT/results/results.json" ]; then  # the tool itself could not start
  mkdir -p "$ROOT/results"
  printf '%s\\n' '{{"score": 0.0, "output": "The autograder could not run (see its log); this is not about your work: please tell your instructor.", "output_format": "text", "stdout_visibility": "hidden"}}' > "$ROOT/results/results.json"
fi
# Exit 1 is a grade below full marks, which results.json holds: not a failed run. Any other
# code (a misconfigured autograder) stays, so that Gradescope shows the run as failed.
if [ "$code" -eq 1 ]; then exit 0; fi
exit $code
"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="verify-derivations gradescope-package",
        description="Write a Gradescope autograder zip for an assignment.",
    )
    p.add_argument("assignment", metavar="ASSIGNMENT", help="bundled assignment name or a .toml")
    p.add_argument("-o", "--output", default="autograder.zip", metavar="ZIP")
    p.add_argument(
        "--feedback",
        choices=["verdicts", "hints", "full"],
        default="hints",
        help="what students see on Gradescope (default hints: no true values)",
    )
    p.add_argument("--wheel", metavar="WHL", help="the wheel of this version (else built here)")
    return p


def package(assignment_name: str, output: Path, feedback: str, wheel: Path | None) -> Path:
    """Write the autograder zip; its path."""
    from verifier.check.checker import Checker
    from verifier.check.compare import Config
    from verifier.models.assignment import load_assignment

    assignment = load_assignment(assignment_name)
    Checker(assignment, Config()).validate()  # a faulty assignment is refused now, not in class
    with tempfile.TemporaryDirectory() as tmp:
        wheel = _checked(wheel) if wheel else build_wheel(Path(tmp))
        config = {
            "assignment": assignment.path.name,
            "assignment_sha256": assignment.sha256,
            "feedback": feedback,
            "tool_version": __version__,
            "wheel": wheel.name,
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as z:
            _add(z, "setup.sh", SETUP.format(version=__version__, wheel=wheel.name))
            run = RUN.format(version=__version__, root=ROOT_VARIABLE, python=PYTHON_VARIABLE)
            _add(z, "run_autograder", run)
            _add(z, CONFIG, json.dumps(config, indent=2) + "\n", executable=False)
            z.writestr(assignment.path.name, assignment.path.read_bytes())
            z.write(wheel, wheel.name)
    return output


def _add(z: zipfile.ZipFile, name: str, text: str, executable: bool = True) -> None:
    info = zipfile.ZipInfo(name)
    info.external_attr = (0o755 if executable else 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, text)


def source_tree() -> Path | None:
    """The running version's source tree (an editable install, a checkout), or None."""
    root = Path(__file__).resolve().parent.parent
    project = root / "pyproject.toml"
    if project.is_file() and 'name = "verify-derivations"' in project.read_text("utf-8"):
        return root
    return None


def build_wheel(out: Path) -> Path:
    """The wheel of the running version, built from a copy of its source tree."""
    root = source_tree()
    if root is None:
        raise InputError(
            "no source tree of verify-derivations here to build its wheel from: "
            "give --wheel FILE (the wheel this version was installed from)"
        )
    copy = out / "src"
    for part in SOURCE_PARTS:
        src = root / part
        if src.is_dir():
            shutil.copytree(src, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            copy.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, copy / part)
    # pip's build isolation fetches the build backend (setuptools) as any install would
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(copy)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise InputError(f"could not build the wheel of verify-derivations: {tail}")
    return _checked(next(out.glob(f"{PROJECT}-*.whl")))


def _checked(wheel: Path) -> Path:
    """``wheel`` if it is this version's."""
    if not wheel.is_file():
        raise InputError(f"{wheel}: no such file")
    version = wheel.name.split("-")[1] if wheel.name.count("-") >= 2 else "?"
    if not wheel.name.startswith(f"{PROJECT}-") or version != __version__:
        raise InputError(f"{wheel.name} is not the wheel of verify-derivations {__version__}")
    return wheel


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    wheel = Path(args.wheel) if args.wheel else None
    out = package(args.assignment, Path(args.output), args.feedback, wheel)
    print(f"wrote {out}: upload it as the assignment's autograder on Gradescope")
    return 0
