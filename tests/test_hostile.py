"""Hostile and broken submissions: each ends within its limits, with exit 1 or 2, a one-line
message, no traceback and no side effect; good claims beside hostile ones are still verified."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from .conftest import ROOT

HOSTILE = ROOT / "tests" / "hostile"
LIMIT = 60  # seconds per case, far above the per-claim limit used here


def run(path, *extra: str, cwd=None) -> tuple[int, str, str, float]:
    cmd = [sys.executable, "-m", "verifier.cli", str(path), "--timeout", "1", *extra]
    start = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=LIMIT, cwd=cwd)
    return done.returncode, done.stdout, done.stderr, time.monotonic() - start


def verdicts(stdout: str) -> list[tuple[int, str, str]]:
    doc = json.loads(stdout)
    return [(c["line"], c["verdict"], c["message"]) for s in doc["steps"] for c in s["claims"]]


# (file, [(line, verdict, message fragment)]): the last claim of each file is a good one.
CORPUS = [
    # The tower's balls overflow Arb's finite range at once (no 50-digit mpmath run into the
    # memory limit any more): still undecided, now because no point has a finite value.
    ("tower.md", [(5, "undecided", "could be evaluated"), (7, "pass", "agrees")]),
    (
        "big_numbers.md",
        [(3, "error", "digits"), (5, "error", "more than 100 digits"), (7, "pass", "agrees")],
    ),
    ("long_sum.md", [(5, "error", "sum of 1000000000 terms"), (7, "pass", "agrees")]),
    ("slow.md", [(5, "undecided", "time limit"), (7, "pass", "agrees")]),
    (
        "injection.md",
        [
            # Line 1 has no math: its `$` is never closed within the paragraph, so GitHub shows
            # a dollar sign and a code span (this reader once paired it with line 3's `$$`).
            (3, "pass", "agrees"),
            (5, "error", "unexpected"),
            (7, "error", "`\\input` is not read by this tool"),
            (9, "pass", "agrees"),
        ],
    ),
]


@pytest.mark.parametrize(("name", "expected"), CORPUS)
def test_hostile_file(tmp_path, name, expected):
    code, out, err, _ = run(HOSTILE / name, "--format", "json", cwd=tmp_path)
    assert code == 1 and "Traceback" not in err
    got = verdicts(out)
    assert [(line, v) for line, v, _ in got] == [(line, v) for line, v, _ in expected]
    for (_, _, message), (_, _, fragment) in zip(got, expected, strict=True):
        assert fragment in message
    assert not list(tmp_path.iterdir())  # nothing was written where it ran


def _generated(tmp_path, name: str, content: bytes | str):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


GENERATED = [
    ("deep.md", "1: $$E = " + "(" * 5000 + "t" + ")" * 5000 + "$$\n", 1, "nested 5000 deep"),
    ("sum400k.md", "1: $$E = " + "+".join(["t"] * 400_000) + "$$\n", 1, "characters; the limit"),
    ("binary.md", bytes(range(256)) * 8, 2, "binary file"),
    ("latin1.md", "1: $$E = t$$ caf\xe9\n".encode("latin-1"), 2, ":1:17: not UTF-8 (byte 0xe9)"),
    ("empty.md", "   \n\n", 2, "empty file"),
    ("huge.md", "x" * 2_100_000, 2, "the limit is 2000000"),
    ("prose.md", "no math here at all\n", 2, "no math found"),
]


@pytest.mark.parametrize(
    ("name", "content", "code", "fragment"), GENERATED, ids=[g[0] for g in GENERATED]
)
def test_generated_hostile_input(tmp_path, name, content, code, fragment):
    path = _generated(tmp_path, name, content)
    got, out, err, _ = run(path)
    assert got == code and "Traceback" not in out + err
    assert fragment in out + err
    if code == 2:
        (line,) = [x for x in err.splitlines() if x.strip()]  # one line
        assert line.startswith("verify-derivations: ")


@pytest.mark.parametrize(
    ("target", "fragment"), [("missing.md", "no such file"), (".", "no submissions")]
)
def test_unusable_paths(tmp_path, target, fragment):
    code, _, err, _ = run(tmp_path / target if target != "." else tmp_path)
    assert code == 2 and fragment in err and "Traceback" not in err


def test_file_time_limit_leaves_the_rest_undecided(tmp_path):
    slow = (HOSTILE / "slow.md").read_text()
    code, out, err, seconds = run(
        _generated(tmp_path, "two.md", slow + slow.replace("5:", "")),
        "--format",
        "json",
        "--timeout",
        "30",
        "--file-timeout",
        "2",
    )
    assert "Traceback" not in err
    assert code == 1 and seconds < 20
    got = verdicts(out)
    assert any("file time limit of 2 s" in message for _, _, message in got)


def test_no_process_is_left_behind(tmp_path):
    before = _children()
    run(HOSTILE / "slow.md", cwd=tmp_path)
    assert _children() == before


def _children() -> set[int]:
    me = str(os.getpid())
    found = set()
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else []:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().split()[3] == me:
                    found.add(int(pid))
        except (OSError, IndexError):
            continue
    return found
