"""A class run survives any submission: crashing and malformed files beside good ones, every
good row graded and every output written; each file's own problem is that file's row."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from importlib import resources

import jsonschema

from verifier import batch
from verifier.check.compare import Config
from verifier.check.verdicts import FileResult
from verifier.models.assignment import load_assignment

from .classgen import generate

TERMS = 3500  # a 7 KB sum: a RecursionError while pickling a left-deep tree, before

# name -> (content, status of its CSV row)
HOSTILE = {
    "zz_long_sum.md": ("5: $$z = " + "+".join(["z"] * TERMS) + "$$\n", "graded"),
    "zz_cells_ints.ipynb": (json.dumps({"cells": [1, 2]}), "unreadable"),
    "zz_cells_text.ipynb": (json.dumps({"cells": "abc"}), "unreadable"),
    "zz_nested.ipynb": ("[" * 100_000, "unreadable"),
    "zz_no_cells.ipynb": (json.dumps([1]), "unreadable"),
    "zz_signs.md": ("5: $$g(z) = " + "-" * 3000 + "z$$\n", "graded"),
}


# a step's status -> what its CSV reason must be
REASON = {
    "pass": re.compile(r"\Z"),
    "warn": re.compile(r"line \d+: \S"),
    "fail": re.compile(r"line \d+: false"),
    "error": re.compile(r"line \d+: \S"),
    "undecided": re.compile(r"line \d+: \S"),
    "incomplete": re.compile(r"never states `"),
    "missing": re.compile(r"not in the submission\Z"),
    "unreadable": re.compile(r"\Z"),
}


def schema() -> dict:
    text = resources.files("verifier").joinpath("schemas/result.schema.json").read_text()
    return json.loads(text)


def test_class_with_crashing_and_malformed_files(tmp_path):
    folder = tmp_path / "class"
    expected = generate(folder, 25)
    for name, (content, _) in HOSTILE.items():
        (folder / name).write_text(content, encoding="utf-8")
    out = {kind: tmp_path / f"grades.{kind}" for kind in ("csv", "json", "xml")}
    done = subprocess.run(
        [sys.executable, "-m", "verifier.cli", str(folder), "--jobs", "2",
         "--csv", str(out["csv"]), "--json", str(out["json"]), "--junit", str(out["xml"])],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr + done.stdout
    rows = list(csv.reader(out["csv"].open()))
    reasons = [i for i, name in enumerate(rows[0]) if name.endswith("_reason")]
    assert [rows[0][i - 2] for i in reasons] == [f"step_{s}" for s in "1234567"]
    for row in rows[1:]:  # the reason a step stands as it does: shaped by its status
        for i in reasons:
            assert REASON[row[i - 2]].match(row[i]), (row[i - 2], row[i])
    rows = [[c for i, c in enumerate(r) if i not in reasons] for r in rows]
    good = [r for r in rows[1:] if not r[0].endswith(tuple(HOSTILE))]
    assert good == expected  # every good submission graded as if alone
    statuses = {r[0].rsplit("/", 1)[-1]: r[1] for r in rows[1:]}
    assert {n: statuses[n] for n in HOSTILE} == {n: s for n, (_, s) in HOSTILE.items()}
    documents = json.loads(out["json"].read_text())
    jsonschema.validate(documents, schema())
    assert len(documents) == len(expected) + len(HOSTILE)
    assert out["xml"].read_text().count("<testsuite ") == len(documents)
    assert f"Class summary: {len(documents)} submissions" in done.stdout


def test_a_long_sum_is_checked_not_crashed(tmp_path):
    path = tmp_path / "sum.md"
    path.write_text(HOSTILE["zz_long_sum.md"][0] + "\n$$g(z) = \\frac{1}{1+e^{-z}}$$\n")
    done = subprocess.run(
        [sys.executable, "-m", "verifier.cli", str(path), "--format", "json", "--no-proof"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    doc = json.loads(done.stdout)
    verdicts = [c["verdict"] for s in doc["steps"] for c in s["claims"]]
    assert verdicts == ["fail", "pass"]  # z summed 3500 times is not z; the next line is read


def _dying_work(path: str):
    """A pool worker that dies on one file, as one killed by the system would."""
    if path.endswith("die.md"):
        os._exit(1)
    return batch.check_one(batch._WORKER, path)


def test_a_dead_pool_worker_costs_no_row(tmp_path, monkeypatch):
    names = ["a.md", "die.md", "b.md", "c.md"]
    for name in names:
        (tmp_path / name).write_text("5: $$g(z) = \\frac{1}{1+e^{-z}}$$\n")
    monkeypatch.setattr(batch, "_work", _dying_work)
    config = Config(prove=False)
    paths = [str(tmp_path / n) for n in names]
    got = list(batch.run(load_assignment("backprop"), config, paths, jobs=2))
    assert [p for p, _ in got] == paths  # every file, in order: the rest checked in turn
    assert all(isinstance(o, FileResult) and o.verdict.value == "pass" for _, o in got)
