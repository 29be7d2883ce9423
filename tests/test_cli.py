"""The command line: exit codes, JSON against its schema, one-line errors."""

from __future__ import annotations

import json
import re
from importlib import resources

import jsonschema
import pytest

from verifier.cli import main

from .conftest import ROOT, SEED

GOOD = "1: $$\\frac{\\partial E}{\\partial t} = -\\log y$$\n"
WARN = "3: $$\\frac{\\partial E}{\\partial z^{(2)}} = y^{(2)} - t$$\n"  # column: the other layout
BAD_NOTATION = "1: $$E = \\frca{1}{2}$$\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_no_argument_verifies_the_bundled_example(capsys):
    code, out, _ = run(capsys)
    assert code == 1  # the student's solution has real mistakes
    assert "bundled example" in out and "Step 7" in out


@pytest.mark.parametrize(
    ("text", "extra", "code"),
    [
        (GOOD, ["--allow-missing"], 0),
        (GOOD, [], 1),  # steps 2-7 of the assignment are missing
        (WARN, ["--allow-missing"], 0),
        (WARN, ["--strict", "--allow-missing"], 1),
        ("1: $$\\frac{\\partial E}{\\partial t} = \\log y$$\n", [], 1),
        (BAD_NOTATION, [], 1),
        ("no math here at all\n", [], 2),
    ],
)
def test_exit_codes(tmp_path, capsys, text, extra, code):
    assert run(capsys, write(tmp_path, "s.md", text), *extra)[0] == code


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["/nonexistent/file.md"], "no such file"),
        (["--assignment", "nope"], "no bundled assignment named 'nope'"),
        (["tests/data/empty-folder-does-not-exist"], "no such file"),
    ],
)
def test_unusable_input_exits_2_with_one_line(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_binary_file_is_unusable(tmp_path, capsys):
    path = tmp_path / "b.md"
    path.write_bytes(b"\x00\x01\x02$x$")
    code, _, err = run(capsys, str(path))
    assert code == 2 and "binary" in err


def test_json_matches_schema(capsys):
    code, out, _ = run(capsys, str(SEED), "--format", "json")
    doc = json.loads(out)
    schema = json.loads(
        resources.files("verifier").joinpath("schemas/result.schema.json").read_text()
    )
    jsonschema.validate(doc, schema)
    assert code == 1 and doc["verdict"] == "fail" and doc["seed"] == 0
    first = doc["steps"][0]["claims"][0]
    assert (first["line"], first["column"]) == (11, 8)


def test_notation_error_points_at_the_line_with_a_caret(tmp_path, capsys):
    path = write(tmp_path, "s.md", BAD_NOTATION)
    code, out, _ = run(capsys, path)
    assert code == 1
    assert f"{path}:1:10: unknown command `\\frca` — did you mean `\\frac`" in out
    assert "\n           ^" in out  # caret under column 10, after the two-space indent


def test_truths_print_every_derivative(capsys):
    code, out, _ = run(capsys, "--truths")
    assert code == 0
    assert "\\frac{\\partial E}{\\partial W^{(1)}}" in out
    assert "\\frac{\\partial z^{(2)}}{\\partial y^{(1)}}" in out


def test_truths_typeset_rank_three_derivatives(capsys, tmp_path):
    _, out, _ = run(capsys, "--truths")
    assert "Tensor3" not in out
    # a node by a matrix parent is not listed unless a step asks for it
    assert r"\frac{\partial z^{(1)}}{\partial W^{(1)}} = " not in out
    text = (ROOT / "derivations" / "backprop.toml").read_text("utf-8")
    asked = text.replace(
        'targets = ["\\\\frac{\\\\partial E}{\\\\partial W^{(1)}}"]',
        'targets = ["\\\\frac{\\\\partial E}{\\\\partial W^{(1)}}", '
        '"\\\\frac{\\\\partial z^{(1)}}{\\\\partial W^{(1)}}"]',
    )
    assert asked != text
    path = tmp_path / "rank3.toml"
    path.write_text(asked.replace('example = "examples/backprop_seed.md"\n', ""), "utf-8")
    _, out, _ = run(capsys, "--assignment", str(path), "--truths")
    # no readable form of a rank-3 derivative: its first entry, the array's shape said
    assert (
        r"\frac{\partial z^{(1)}}{\partial W^{(1)}} = x_{1} \quad "
        r"\text{(the first entry of a $3\times 3\times 2$ array)}"
    ) in out


def test_github_annotations_cannot_share_stdout_with_json(capsys):
    code, _, err = run(capsys, str(SEED), "--format", "json", "--github")
    assert code == 2 and "--github shares stdout" in err


def test_student_text_cannot_issue_workflow_commands(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    path = write(tmp_path, "s.md", "1: $$E = \\frca{1}$$\n::add-mask::secret\n")
    _, out, _ = run(capsys, path)
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    token = lines[start].removeprefix("::stop-commands::")
    assert len(token) == 32 and lines[-1] == f"::{token}::"


def test_pinned_assignment_hash(capsys):
    from verifier.models.assignment import load_assignment

    sha = load_assignment("backprop").sha256
    assert run(capsys, "--assignment-sha256", sha, str(SEED), "--format", "json")[0] == 1
    code, _, err = run(capsys, "--assignment-sha256", "0" * 64, str(SEED))
    assert code == 2 and "not the pinned" in err


def test_workflow_example_pins_the_bundled_assignment():
    from verifier.models.assignment import load_assignment

    from .conftest import ROOT

    workflow = (ROOT / "examples" / "github-workflow.yml").read_text()
    assert load_assignment("backprop").sha256 in workflow


def _installs_as_a_course_does(line: str) -> bool:
    """A `pip install` of the tool from a repository at a tag or commit, or from a hosted
    wheel pinned by its hash; never a version from PyPI, where the tool is not published."""
    from verifier import __version__

    spec = line.split("pip install", 1)[1].strip().strip('"')
    from_git = re.fullmatch(r"verify-derivations @ git\+https://\S+@(v[\d.]+|[0-9a-f]{40})", spec)
    wheel = re.fullmatch(
        r"https://\S+/verify_derivations-([\d.]+)-py3-none-any\.whl#sha256=\w+", spec
    )
    if from_git:
        return from_git.group(1) == f"v{__version__}" or len(from_git.group(1)) == 40
    return bool(wheel) and wheel.group(1) == __version__


INSTALLS = [
    ('pip install "verify-derivations==0.1.0"', False),  # not on PyPI
    ("pip install verify-derivations", False),
    ('pip install "verify-derivations @ git+https://github.com/c/verify-derivations"', False),
    ('pip install "verify-derivations @ git+https://github.com/c/verify-derivations@v9.9"', False),
    ('pip install "verify-derivations @ git+https://github.com/c/verify-derivations@v0.1.0"', True),
    ('pip install "https://c.edu/t/verify_derivations-0.1.0-py3-none-any.whl"', False),  # no hash
    ('pip install "https://c.edu/t/verify_derivations-0.1.0-py3-none-any.whl#sha256=ab"', True),
]


@pytest.mark.parametrize(("line", "ok"), INSTALLS)
def test_install_lines_are_judged(line, ok):
    assert _installs_as_a_course_does(line) == ok


def test_workflow_example_installs_the_tool_as_a_course_does():
    from .conftest import ROOT

    workflow = (ROOT / "examples" / "github-workflow.yml").read_text()
    installs = [line for line in workflow.splitlines() if "pip install" in line]
    assert installs and all(_installs_as_a_course_does(line) for line in installs), installs
