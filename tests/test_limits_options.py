"""Every limit flag honoured on every path, both ways; bad option values are usage errors; a
closed stdout is quiet; CSV cells are not formulas; folders are not left through links;
missing steps fail a CI run; JSON carries its schema version."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import jsonschema
import pytest

from verifier.batch import expand
from verifier.cli import main
from verifier.reporters.csv_reporter import _cell

from .classgen import VARIANTS
from .conftest import ROOT, SEED
from .conftest import SLOW as SLOW_SIDE
from .test_class_run import schema

SIGMOID = r"$$g(z) = \frac{1}{1+e^{-z}}$$"
SLOW = f"$$g(z) = {SLOW_SIDE}$$"
COMPLETE = "\n\n".join(
    f"{sid}: " + " ".join(f"$${f}$$" for f in next(fs for st, fs in variants if st == "pass"))
    for sid, variants in VARIANTS.items()
)


def run(capsys, tmp_path, text: str, *argv: str) -> tuple[int, list[tuple[str, str]], str]:
    path = tmp_path / "s.md"
    path.write_text(text, encoding="utf-8")
    code = main([str(path), "--format", "json", "--allow-missing", *argv])
    out, err = capsys.readouterr()
    if not out.strip():
        return code, [], err
    doc = json.loads(out)
    claims = [(c["verdict"], c["message"]) for s in doc["steps"] for c in s["claims"]]
    return code, claims, err


# flag, value that trips it, value that does not, text, verdicts when tripped, fragment
FLAGS = [
    ("--max-claim-chars", "10", "100", f"5: {SIGMOID}", ["error"], "the limit is 10"),
    (
        "--max-depth",
        "3",
        "10",
        "5: $$g(z) = ((((\\frac{1}{1+e^{-z}}))))$$",
        ["error"],
        "limit is 3",
    ),
    ("--max-depth", "2", "200", "5: $$g(z) = " + "-" * 20 + SIGMOID[9:], ["error"], "too deeply"),
    ("--timeout", "1", "30", f"5: {SLOW}\n\n{SIGMOID}", ["undecided", "pass"], "within 1 s"),
]


@pytest.mark.parametrize(
    ("flag", "trips", "holds", "text", "verdicts", "fragment"),
    FLAGS,
    ids=[f"{f[0]}={f[1]}" for f in FLAGS],
)
def test_limit_flag_both_ways(capsys, tmp_path, flag, trips, holds, text, verdicts, fragment):
    code, claims, _ = run(capsys, tmp_path, text, flag, trips, "--no-proof")
    assert code == 1 and [v for v, _ in claims] == verdicts
    assert any(fragment in m for _, m in claims)
    if flag == "--timeout":  # the other way would wait for the slow claim: check the fast one
        text = f"5: {SIGMOID}"
    code, claims, _ = run(capsys, tmp_path, text, flag, holds, "--no-proof")
    assert code == 0 and {v for v, _ in claims} == {"pass"}


def test_memory_flag_both_ways(capsys, tmp_path):
    tower = (ROOT / "tests" / "hostile" / "tower.md").read_text()
    code, claims, _ = run(capsys, tmp_path, tower, "--memory", "200", "--timeout", "20")
    assert code == 1 and claims[0][0] == "undecided" and claims[-1][0] == "pass"
    code, claims, _ = run(capsys, tmp_path, f"5: {SIGMOID}", "--memory", "200")
    assert code == 0 and [v for v, _ in claims] == ["pass"]


@pytest.mark.parametrize(("limit", "code"), [("10", 2), ("1000", 0)])
def test_max_file_size_both_ways(capsys, tmp_path, limit, code):
    got, _, err = run(capsys, tmp_path, f"5: {SIGMOID}\n", "--max-file-size", limit)
    assert got == code and (f"the limit is {limit}" in err) == (code == 2)


def test_file_time_limit_both_ways(capsys, tmp_path):
    text = f"5: {SLOW}\n\n{SLOW}\n\n{SIGMOID}"
    code, claims, _ = run(capsys, tmp_path, text, "--timeout", "30", "--file-timeout", "1.5")
    assert code == 1 and {v for v, _ in claims} == {"undecided"}
    assert any("file time limit of 1.5 s" in m for _, m in claims)
    code, claims, _ = run(capsys, tmp_path, f"5: {SIGMOID}", "--file-timeout", "30")
    assert code == 0 and [v for v, _ in claims] == ["pass"]


def test_the_file_clock_covers_reading(capsys, tmp_path):
    # 450,000 spans in 1.8 MB: finding them alone takes seconds
    text = "1: " + "$t$ " * 450_000
    code, _, err = run(capsys, tmp_path, text, "--file-timeout", "0.5")
    assert code == 2 and "not read within the file time limit of 0.5 s" in err


def test_a_large_file_is_checked_claim_by_claim(capsys, tmp_path):
    # 4,000 distinct claims, so that no cached value answers them: reading them takes 0.3 s
    # (1 s on a loaded machine; 10,000 took 1.2-1.4 s of a 2 s limit before the first verdict)
    # and checking them about 27 s, more than the file's 8 s; should they ever fit, the slow
    # claim after them (a claim may take 30 s here) still holds the file past its limit
    text = (
        "5:\n\n"
        + "".join(f"$$g(z) = \\frac{{{k}}}{{{k} + {k} e^{{-z}}}}$$\n\n" for k in range(1, 4_001))
        + f"{SLOW}\n\n{SIGMOID}\n"
    )
    argv = ("--timeout", "30", "--file-timeout", "8", "--no-proof")
    code, claims, _ = run(capsys, tmp_path, text, *argv)
    verdicts = [v for v, _ in claims]
    assert code == 1 and verdicts[0] == "pass" and verdicts[-1] == "undecided"
    assert any("the rest of the file, from here, was not checked" in m for _, m in claims)


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--points", "0"], "--points: must be a number above 0"),
        (["--seed", "-5"], "--seed: must be 0 or more"),
        (["--jobs", "0"], "--jobs: must be a number above 0"),
        (["--timeout", "-1"], "--timeout: must be a number above 0"),
        (["--file-timeout", "nan"], "--file-timeout: must be a number above 0"),
        (["--memory", "0"], "--memory: must be a number above 0"),
        (["--max-depth", "x"], "--max-depth: must be a whole number"),
        (["--max-claim-chars", "-3"], "--max-claim-chars: must be a number above 0"),
        (["--max-file-size", "1.5"], "--max-file-size: must be a whole number"),
        (["--no-such-flag"], "unrecognized arguments"),
    ],
)
def test_invalid_option_values_are_usage_errors(capsys, argv, fragment):
    with pytest.raises(SystemExit) as stop:
        main([str(SEED), *argv])
    _, err = capsys.readouterr()
    assert stop.value.code == 2 and fragment in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("fmt", ["terminal", "json"])
def test_a_closed_stdout_ends_quietly(fmt):
    proc = subprocess.Popen(
        [sys.executable, "-m", "verifier.cli", str(SEED), "--format", fmt, "--no-proof"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # like `| head` that has gone before the report is written
    err = proc.stderr.read().decode()
    assert proc.wait(120) == 1
    assert "Traceback" not in err and "BrokenPipe" not in err and "internal error" not in err


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b.md", "a=b.md"),
        ("pass", "pass"),
    ],
)
def test_csv_cells_are_never_formulas(cell, written):
    assert _cell(cell) == written


def test_a_file_named_like_a_formula_is_text_in_the_csv(capsys, tmp_path, monkeypatch):
    (tmp_path / "=HYPERLINK(1).md").write_text(f"5: {SIGMOID}\n")
    (tmp_path / "good.md").write_text(f"5: {SIGMOID}\n")
    monkeypatch.chdir(tmp_path)  # `verify-derivations . --csv g.csv`: paths as found, relative
    main([".", "--csv", "g.csv"])
    capsys.readouterr()
    rows = list(csv.reader((tmp_path / "g.csv").open()))
    assert sorted(r[0] for r in rows[1:]) == ["'=HYPERLINK(1).md", "good.md"]


def test_folders_are_not_left_through_links(tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text(f"5: {SIGMOID}\n")
    folder = tmp_path / "class"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.md").write_text(f"5: {SIGMOID}\n")
    os.symlink(outside, folder / "out.md")
    os.symlink(folder / "a.md", folder / "in.md")  # a link that stays inside is read
    os.symlink(tmp_path, folder / "sub" / "up")  # a folder link leading out
    assert expand([str(folder)]) == [str(folder / "a.md"), str(folder / "in.md")]
    assert expand([str(folder / "out.md")]) == [str(folder / "out.md")]  # named: as given


@pytest.mark.parametrize(
    ("text", "extra", "code"),
    [
        (f"5: {SIGMOID}\n", [], 1),  # six of seven steps missing
        (f"5: {SIGMOID}\n", ["--allow-missing"], 0),
        ("1: $$\\frac{\\partial E}{\\partial t} = -\\log y$$\n", [], 1),  # incomplete too
        (COMPLETE, [], 0),
        (COMPLETE, ["--strict"], 0),
    ],
)
def test_missing_steps_fail_the_run(capsys, tmp_path, text, extra, code):
    path = tmp_path / "s.md"
    path.write_text(text, encoding="utf-8")
    assert main([str(path), "--no-proof", *extra]) == code
    _, err = capsys.readouterr()
    assert ("--allow-missing to accept" in err) == (code == 1)


def test_json_has_its_schema_version_and_matches_the_schema(capsys, tmp_path):
    good = tmp_path / "good.md"
    good.write_text(COMPLETE)
    bad = tmp_path / "bad.ipynb"
    bad.write_text('{"cells": "abc"}')
    main([str(good), str(bad), "--format", "json", "--no-proof"])
    documents = json.loads(capsys.readouterr().out)
    jsonschema.validate(documents, schema())
    assert [d["schema_version"] for d in documents] == [2, 2]
    assert [d["verdict"] for d in documents] == ["pass", "unreadable"]
    with pytest.raises(jsonschema.ValidationError):  # the schema names every field
        jsonschema.validate({**documents[0], "surprise": 1}, schema())


def test_planning_has_the_files_clock_not_a_claims(capsys, tmp_path):
    # 4,000 inline claims in one paragraph are one chunk (a later `= …` line could continue
    # any displayed chain before them): reading them takes longer than one claim may, but
    # reading is bounded by the file's clock and the input limits, not by a claim's
    text = "5: " + " and ".join(["$g(z) = g(z)$"] * 4_000)
    # reading them took 2.3 s (3.5-5 s loaded), each claim at most 0.024 s (0.07 s loaded): a
    # claim's limit of 0.5 s is far below the one and far above the other; the file's clock
    # generous (all of it takes 16 s, 28 s on a loaded machine), it is not tested here
    argv = ("--timeout", "0.5", "--file-timeout", "600", "--no-proof")
    code, claims, _ = run(capsys, tmp_path, text, *argv)
    assert code == 0 and len(claims) == 4_000 and {v for v, _ in claims} == {"pass"}
