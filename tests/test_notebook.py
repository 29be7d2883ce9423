"""Notebooks (verifier/source/notebook.py): which cells are read, and every reported claim mapped
back to its cell, its line in the cell, and the line and column of the .ipynb file holding it."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from verifier.api import check_file, check_text, read_template
from verifier.check.checker import Checker
from verifier.cli import main
from verifier.errors import InputError
from verifier.source.notebook import _decoded, source_pieces

DATA = Path(__file__).resolve().parent / "data"
TEMPLATE = str(DATA / "nb_template.ipynb")

# (notebook, template, [(cell, line in cell, verdict)] of every claim read, in order)
NOTEBOOKS = [
    # lists of lines, a code cell whose output repeats a formula, a cell given as one string
    # (two cell lines on one file line), CRLF, \u escapes and a surrogate pair before a formula
    ("nb_plain.ipynb", None, [(1, 4, "pass"), (3, 1, "pass"), (3, 2, "fail"), (4, 3, "fail")]),
    # Otter: the prompt (`= 2\log y`) and the scratch cell (`= 7`) lie outside the questions
    ("nb_otter.ipynb", None, [(3, 1, "pass"), (6, 2, "fail")]),
    # nbgrader: the locked prompt (`= 3`) is not a solution cell
    ("nb_nbgrader.ipynb", None, [(2, 1, "pass"), (2, 3, "fail")]),
    # template: its prompt (`= 4\log y`) is skipped; its macro and its label `1:` still hold
    ("nb_from_template.ipynb", TEMPLATE, [(3, 1, "pass"), (3, 4, "fail")]),
    # the false variants: without the template, the prompt is read and fails
    ("nb_from_template.ipynb", None, [(2, 1, "fail"), (3, 1, "pass"), (3, 4, "fail")]),
    ("nb_template.ipynb", None, [(2, 1, "fail")]),
]


def _checker(backprop_checker: Checker, template: str | None) -> Checker:
    if template is None:
        return backprop_checker
    config = replace(backprop_checker.config, template=read_template(template))
    return Checker(backprop_checker.assignment, config)


def _rhs(claim_source: str) -> str:
    return claim_source.split(" = ", 1)[1]


def _cell_sources(path: Path) -> dict[int, list[str]]:
    cells = json.loads(path.read_text("utf-8"))["cells"]
    out = {}
    for n, cell in enumerate(cells, 1):
        source = cell["source"]
        text = "".join(source) if isinstance(source, list) else source
        out[n] = text.replace("\r\n", "\n").split("\n")
    return out


@pytest.mark.parametrize(("name", "template", "expected"), NOTEBOOKS)
def test_each_claim_maps_back_to_its_cell_and_file_line(backprop_checker, name, template, expected):
    path = DATA / name
    result = check_file(str(path), checker=_checker(backprop_checker, template))
    got = [(c.cell, c.line_in_cell, c.verdict.value) for c in result.claims]
    assert got == expected
    file_lines = path.read_text("utf-8").split("\n")
    sources = _cell_sources(path)
    ascii_only = name == "nb_plain.ipynb"  # written with \u escapes
    for claim in result.claims:
        rhs = _rhs(claim.source)
        assert rhs in sources[claim.cell][claim.line_in_cell - 1]  # the cell's own line
        written = json.dumps(rhs, ensure_ascii=ascii_only)[1:-1]  # as the .ipynb holds it
        assert file_lines[claim.line - 1][claim.column - 1 :].startswith(written), claim


@pytest.mark.parametrize(("name", "template", "expected"), NOTEBOOKS)
def test_the_command_line_reads_notebooks_as_the_api_does(
    backprop_checker, tmp_path, capsys, name, template, expected
):
    path = DATA / name
    api = check_file(str(path), checker=_checker(backprop_checker, template))
    out = tmp_path / "r.json"
    extra = ["--template", template] if template else []
    args = [str(path), "--json", str(out), "--format", "github", "--allow-missing", *extra]
    main([*args, "--no-proof"])
    claims = [c for s in json.loads(out.read_text())["steps"] for c in s["claims"]]
    keys = ("cell", "line_in_cell", "line", "column", "verdict")
    assert [tuple(c[k] for k in keys) for c in claims] == [
        (c.cell, c.line_in_cell, c.line, c.column, c.verdict.value) for c in api.claims
    ]
    # every annotation lands on the .ipynb line and column holding the false right-hand side
    annotations = re.findall(
        r"^::error file=[^,]*,line=(\d+),col=(\d+)", capsys.readouterr().out, re.M
    )
    failing = [(c.line, c.column) for c in api.claims if c.verdict.value == "fail"]
    assert [(int(a), int(b)) for a, b in annotations] == failing


def test_without_the_markers_every_cell_is_read(backprop_checker, tmp_path):
    """The false variant of the Otter and nbgrader rows: with the markers or the metadata gone,
    the prompts' false formulas are read (and fail)."""
    otter = (DATA / "nb_otter.ipynb").read_text("utf-8").replace("QUESTION -->", "Q -->")
    nbgrader = json.loads((DATA / "nb_nbgrader.ipynb").read_text("utf-8"))
    for cell in nbgrader["cells"]:
        cell["metadata"] = {}
    got = {}
    for name, text in (("otter", otter), ("nbgrader", json.dumps(nbgrader))):
        result = check_text(text, path=f"{name}.ipynb", checker=backprop_checker)
        got[name] = [(c.cell, c.verdict.value) for c in result.claims]
    assert got["otter"] == [(1, "fail"), (3, "pass"), (5, "fail"), (6, "fail")]
    assert got["nbgrader"] == [(1, "pass"), (1, "fail"), (2, "pass"), (2, "fail")]


# JSON layouts a notebook may have: each cell source string found where json.loads read it
LAYOUTS = [
    {"cells": [{"cell_type": "markdown", "source": "a\nb"}]},
    {"cells": [{"source": ["x\\y", "\u00e9\U0001f600/"], "cell_type": "markdown"}]},
    {"nbformat": 4, "cells": [{"cell_type": "code", "source": "1"}, {"source": ["q", ""]}]},
]


@pytest.mark.parametrize("data", LAYOUTS)
@pytest.mark.parametrize("ascii_only", [True, False])
@pytest.mark.parametrize("indent", [None, 1])
def test_source_pieces_decode_to_the_sources(data, ascii_only, indent):
    text = json.dumps(data, ensure_ascii=ascii_only, indent=indent).replace("/", "\\/")
    pieces = source_pieces(text)
    lines = text.split("\n")
    for n, cell in enumerate(data["cells"]):
        source = cell["source"]
        source = "".join(source) if isinstance(source, list) else source
        assert "".join(ch for p in pieces[n] for ch, _ in _decoded(p.raw)) == source
        for p in pieces[n]:  # each piece sits at its line and column, just after a quote
            assert lines[p.line - 1][p.column - 2 : p.column - 1 + len(p.raw) + 1] == f'"{p.raw}"'


def test_a_repeated_key_is_read_as_json_reads_it(backprop_checker):
    """json.loads keeps the last of repeated keys: the place must be that one's."""
    first = r"1: $$\frac{\partial E}{\partial t} = 5$$"
    last = r"1: $$\frac{\partial E}{\partial t} = -\log y$$"
    text = (
        '{"cells": [{"cell_type": "markdown", "source": ' + json.dumps(first) + ",\n"
        '"source": ' + json.dumps(last) + "}]}"
    )
    (claim,) = check_text(text, path="r.ipynb", checker=backprop_checker).claims
    assert (claim.verdict.value, claim.cell, claim.line) == ("pass", 1, 2)


@pytest.mark.parametrize(
    ("content", "message"),
    [("[1]", "no list of cells"), ("{", "JSONDecodeError"), ("", "JSONDecodeError")],
)
def test_an_unusable_template_is_one_line(tmp_path, content, message):
    path = tmp_path / "t.ipynb"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        read_template(str(path))


# (output flag, what it shows of the failing claim in cell 3, line 4 of nb_from_template)
SHOWN = [
    ("--latex", r"\shortstack[r]{cell\,3\\l.\,4}"),
    ("--junit", 'name="cell 3, line 4: '),
    ("--prairielearn", "cell 3, line 4: "),
    ("--gradescope", "cell 3, line 4: "),
]


@pytest.mark.parametrize(("flag", "shown"), SHOWN)
def test_student_outputs_show_the_cell(tmp_path, capsys, flag, shown):
    out = tmp_path / "out"
    path = str(DATA / "nb_from_template.ipynb")
    main([path, "--template", TEMPLATE, flag, str(out), "--no-proof", "--allow-missing"])
    text = out.read_text("utf-8")
    assert shown in text
    assert "line 26" not in text and "l.\\,26" not in text  # not the .ipynb file's line


def test_the_terminal_shows_the_cell(capsys):
    path = str(DATA / "nb_from_template.ipynb")
    main([path, "--template", TEMPLATE, "--no-proof", "--allow-missing"])
    out = capsys.readouterr().out
    assert "cell 3, line 1" in out and "cell 3, line 4" in out and "cell 2," not in out
