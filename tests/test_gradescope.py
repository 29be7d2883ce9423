"""Gradescope: results.json against the schema written from the specification, Markdown
escaping, and the packaged autograder run end to end in a directory laid out like the container.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from markdown_it import MarkdownIt

from verifier import __version__, cli
from verifier.models.assignment import load_assignment
from verifier.reporters import md_safe

from .classgen import ORDER, VARIANTS
from .conftest import SEED

SCHEMA = json.loads(
    resources.files("verifier").joinpath("schemas/gradescope.schema.json").read_text("utf-8")
)


def validate(document: dict) -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(document)


def correct_solution() -> str:
    """Every step of the backprop assignment with its first passing variant (worked by hand)."""
    parts = []
    for step in ORDER:
        status, formulas = VARIANTS[step][0]
        assert status == "pass"
        parts += [f"{step}:", ""] + [f"$${f}$$\n" for f in formulas]
    return "\n".join(parts)


def submissions(tmp: Path) -> dict[str, Path]:
    """The four kinds the issue names: the seed, a correct solution, unreadable, a PDF."""
    (tmp / "correct.md").write_text(correct_solution(), "utf-8")
    (tmp / "binary.md").write_bytes(b"\x00\x01\x02 not text")
    (tmp / "sol.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    return {
        "seed": SEED,
        "correct": tmp / "correct.md",
        "unreadable": tmp / "binary.md",
        "pdf": tmp / "sol.pdf",
    }


def run_cli(args: list[str]) -> int:
    with contextlib.redirect_stdout(io.StringIO()):
        return cli.main(args)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, dict]:
    tmp = tmp_path_factory.mktemp("gs")
    out = {}
    for kind, path in submissions(tmp).items():
        target = tmp / f"{kind}.json"
        run_cli([str(path), "--gradescope", str(target), "--feedback", "full"])
        out[kind] = json.loads(target.read_text("utf-8"))
    return out


# kind → (score, statuses of the 7 tests)
EXPECTED = {
    "seed": (4.0, ["failed", "passed", "passed", "passed", "failed", "passed", "failed"]),
    "correct": (7.0, ["passed"] * 7),
    "unreadable": (0.0, ["failed"] * 7),
    "pdf": (0.0, ["failed"] * 7),
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_results_are_valid_and_scored(written, kind):
    doc = written[kind]
    validate(doc)
    score, statuses = EXPECTED[kind]
    assert doc["score"] == score
    assert [t["status"] for t in doc["tests"]] == statuses
    assert [t["number"] for t in doc["tests"]] == ORDER
    assert sum(t["score"] for t in doc["tests"]) == score
    assert all(t["max_score"] == 1.0 for t in doc["tests"])


@pytest.mark.parametrize("kind", ["unreadable", "pdf"])
def test_an_unreadable_submission_says_why(written, kind):
    assert "could not be read" in written[kind]["output"]


def test_a_failing_line_shows_its_true_value_at_full(written):
    step1 = written["seed"]["tests"][0]["output"]
    assert "line 17" in step1 and "true value" in step1 and "off by a sign" in step1


@pytest.mark.parametrize(
    "document",
    [
        {"tests": [{"name": "x", "max_score": 1}]},  # no score anywhere
        {"score": 1, "status": "passed"},  # status belongs to a test
        {"score": 1, "tests": [{"score": 0, "status": "ok"}]},
        {"score": 1, "output_format": "markdown"},
        {"score": 1, "visibility": "public"},
        {"score": "4"},
    ],
)
def test_the_schema_refuses_what_the_specification_does_not_allow(document):
    with pytest.raises(jsonschema.ValidationError):
        validate(document)


# --- Markdown escaping: rendered, the text is exactly the student's ------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "**bold** _it_ `code` [link](http://x) ![img](http://y)",
    "# heading\n- item\n> quote\n```\nfence",
    "a & b &amp; &lt; \\frac{1}{2} $x$ | c |",
    "1. not a list <img src=x onerror=y>",
    "``double`` ` single",
]
_MD = MarkdownIt("commonmark")


def _rendered_text(markdown: str) -> tuple[str, list[str]]:
    """The text a reader sees, and the kinds of tokens rendered (blocks besides one paragraph,
    and inline tokens)."""
    kinds, text = [], ""
    for token in _MD.parse(markdown):
        if token.type == "inline":
            kinds += [c.type for c in token.children or []]
            text += "".join(
                c.content for c in token.children or [] if c.type in ("text", "code_inline")
            )
        elif token.type not in ("paragraph_open", "paragraph_close"):
            kinds.append(token.type)
    return text, kinds


@pytest.mark.parametrize("value", HOSTILE)
def test_text_renders_as_written(value):
    text, kinds = _rendered_text(md_safe.text(value))
    assert text == " ".join(value.split())
    assert set(kinds) <= {"text"}
    raw_text, raw_kinds = _rendered_text(" ".join(value.split()))  # the false variant
    assert raw_text != text or set(raw_kinds) - {"text"}


@pytest.mark.parametrize("value", HOSTILE)
def test_code_renders_as_written(value):
    text, kinds = _rendered_text(md_safe.code(value))
    assert kinds == ["code_inline"]
    assert text == " ".join(value.split())


# --- the packaged autograder ---------------------------------------------------------------


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pkg") / "autograder.zip"
    assert run_cli(["gradescope-package", "backprop", "-o", str(out)]) == 0
    return out


def test_the_zip_holds_what_gradescope_needs(package):
    with zipfile.ZipFile(package) as z:
        names = set(z.namelist())
        config = json.loads(z.read("autograder.json"))
        modes = {i.filename: i.external_attr >> 16 for i in z.infolist()}
        toml = z.read("backprop.toml")
    wheel = f"verify_derivations-{__version__}-py3-none-any.whl"
    assert names == {"setup.sh", "run_autograder", "autograder.json", "backprop.toml", wheel}
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    assert config["assignment_sha256"] == load_assignment("backprop").sha256
    assert config["tool_version"] == __version__ and config["feedback"] == "hints"
    assert toml == load_assignment("backprop").path.read_bytes()


def test_setup_installs_the_packed_wheel(package, tmp_path):
    """setup.sh is valid bash naming the packed wheel; the wheel installs (offline) this version
    with its bundled assignments and schemas."""
    with zipfile.ZipFile(package) as z:
        z.extractall(tmp_path / "source")
    setup = tmp_path / "source" / "setup.sh"
    assert subprocess.run(["bash", "-n", str(setup)]).returncode == 0
    wheel = next((tmp_path / "source").glob("*.whl"))
    assert f'"./{wheel.name}"' in setup.read_text()
    target = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index"]
    subprocess.run([*pip, "--target", str(target), str(wheel)], check=True)
    assert f'__version__ = "{__version__}"' in (target / "verifier" / "__init__.py").read_text()
    assert (target / "verifier" / "schemas" / "gradescope.schema.json").is_file()
    assert (target / "verifier" / "derivations" / "backprop.toml").is_file()


def _container(tmp: Path, package: Path, files: dict[str, bytes]) -> Path:
    root = tmp / "autograder"
    with zipfile.ZipFile(package) as z:
        z.extractall(root / "source")
    (root / "submission").mkdir()
    for name, data in files.items():
        (root / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "submission" / name).write_bytes(data)
    return root


def _run_autograder(root: Path) -> tuple[int, dict, str]:
    env = {
        **os.environ,
        "VERIFY_DERIVATIONS_AUTOGRADER_ROOT": str(root),
        "VERIFY_DERIVATIONS_PYTHON": sys.executable,
    }
    done = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    results = json.loads((root / "results" / "results.json").read_text("utf-8"))
    return done.returncode, results, done.stdout


SEED_BYTES = SEED.read_bytes()
CONTAINER_CASES = [
    # files in /autograder/submission → score, words the output must hold
    ({"hw.md": SEED_BYTES}, 4.0, "Score: 4/7"),
    ({"sub/dir/hw.md": correct_solution().encode()}, 7.0, "Score: 7/7"),
    ({"hw.md": SEED_BYTES, ".DS_Store": b"\x00", "__MACOSX/._hw.md": b"\x00"}, 4.0, "4/7"),
    ({"hw.pdf": b"%PDF-1.4\n"}, 0.0, "is a PDF"),
    ({}, 0.0, "no solution file"),
    ({"a.md": SEED_BYTES, "b.tex": b"x"}, 0.0, "several files"),
    ({"hw.md": b"\x00\x01 binary"}, 0.0, "could not be read"),
    ({"hw.md": b"no math at all here"}, 0.0, "could not be read"),
]


@pytest.mark.parametrize(("files", "score", "words"), CONTAINER_CASES)
def test_run_autograder_end_to_end(package, tmp_path, files, score, words):
    root = _container(tmp_path, package, files)
    code, results, _ = _run_autograder(root)
    validate(results)
    assert results["score"] == score
    assert words in results["output"].replace("\\", "")
    assert code == 0  # a grade, even 0/7, is in the file: the run itself did not fail


def test_run_autograder_hides_true_values_and_logs_them(package, tmp_path):
    """Packed at hints: the student's results hold no true value; the instructor's log does."""
    root = _container(tmp_path, package, {"hw.md": SEED_BYTES})
    _, results, log = _run_autograder(root)
    shown = json.dumps(results)
    assert "true value" not in shown and "counterexample" not in shown
    assert "off by a sign" in shown
    assert results["stdout_visibility"] == "hidden"
    assert '"truth": "-\\\\log y"' in log  # the unredacted JSON report


@pytest.mark.parametrize(
    ("tamper", "words"),
    [
        ("assignment", "misconfigured"),  # the truth edited after packing: the pin refuses it
        ("version", "misconfigured"),  # another version installed than was packed
    ],
)
def test_run_autograder_refuses_a_tampered_setup(package, tmp_path, tamper, words):
    root = _container(tmp_path, package, {"hw.md": SEED_BYTES})
    if tamper == "assignment":
        toml = root / "source" / "backprop.toml"
        toml.write_text(toml.read_text() + "\n# edited\n")
    else:
        config = root / "source" / "autograder.json"
        config.write_text(config.read_text().replace(__version__, "0.0.0-other"))
    code, results, _ = _run_autograder(root)
    validate(results)
    assert words in results["output"] and results["score"] == 0.0
    assert code == 2
