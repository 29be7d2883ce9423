"""Real-notation corpus: how many claim lines of the frozen corpus the verifier reads.

Every folder `benchmarks/corpus/NN_slug/` holds a test solution written in the notation of one
public source (`solution.md`, `.tex` or `.ipynb`), the closest assignment declarable today
(`assignment.toml`) and the expected verdict of every claim line (`expected.toml`). This script runs

    verify-derivations SOLUTION --assignment ASSIGNMENT --format json --no-proof

on each folder, matches the reported claims to `expected.toml` by line, and counts, per source, per
construct tag (`needs`) and per issue:

- read: every claim on the line has the intended verdict — pass/warn when the line is true, fail
  when it is false;
- false accept: a false line with a pass/warn claim and no fail;
- false reject: a true line with a fail claim (counted inside "other" as well);
- other: anything else (error, undecided, no claim found on the line, wrong verdict).

Claims the tool reports on lines that `expected.toml` does not list (a mention such as
`o \\in \\mathbb{R}^C` read as a claim, a condition alone) are counted as "unexpected reports".
"Steps found" counts the assignment's step ids that the tool found as labels in the solution (a
course's own labels such as `Problem 3 (a)`, `Exercise 6`, `**Q2.**`): reading does not depend on
them with one model, grading does.

    python benchmarks/corpus.py            # print the tables
    python benchmarks/corpus.py --write    # also write benchmarks/CORPUS.md
    python benchmarks/corpus.py --freeze   # record the current figures as "before"
                                           # (benchmarks/corpus/before.json); done once
    python benchmarks/corpus.py --rev HEAD # measure the committed verifier (a snapshot in a
                                           # temporary directory), not the working tree

Exit 0 after a run, 2 when the corpus itself is broken (a missing file, an unknown tag, an
assignment that does not load).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = (
    HERE.parent
)  # the repository (git commands run here: `git archive` in a subfolder archives only it)
CORPUS = HERE / "corpus"
BEFORE = CORPUS / "before.json"
REPORT = HERE / "CORPUS.md"

# Which issue each construct tag belongs to (issues 11, 12, 13 of the tracker).
TAGS: dict[str, int] = {
    # 11: notation a course can declare
    "notation": 11,
    "macros": 11,
    "labels": 11,
    "unicode": 11,
    # 12: what students write besides claims
    "definitions": 12,
    "conditions": 12,
    "components": 12,
    "statements": 12,
    # 13: models of the world
    "batch": 13,
    "generic-layer": 13,
    "activation": 13,
    "loss-args": 13,
    "conventions": 13,
}
SOLUTION_NAMES = ("solution.md", "solution.tex", "solution.ipynb")


@dataclass
class Count:
    claims: int = 0
    read: int = 0
    false_accepts: int = 0
    false_rejects: int = 0
    other: int = 0

    def add(self, outcome: str) -> None:
        self.claims += 1
        if outcome == "read":
            self.read += 1
        elif outcome == "false accept":
            self.false_accepts += 1
        else:
            self.other += 1
            if outcome == "false reject":
                self.false_rejects += 1

    @property
    def pct(self) -> str:
        return f"{100 * self.read / self.claims:.0f}%" if self.claims else "–"


@dataclass
class Source:
    slug: str
    count: Count = field(default_factory=Count)
    unexpected: int = 0
    steps_declared: int = 0
    steps_found: int = 0
    tool_version: str = ""
    problem: str = ""
    lines: list[dict] = field(default_factory=list)


def fail(message: str) -> None:
    print(f"corpus.py: {message}", file=sys.stderr)
    raise SystemExit(2)


def group_of(needs: list[str]) -> str:
    issues = sorted({TAGS[t] for t in needs})
    if not issues:
        return "none (seed constructs)"
    if len(issues) == 1:
        return f"issue {issues[0]} only"
    return "several issues (" + ", ".join(str(i) for i in issues) + ")"


def outcome(truth: str, verdicts: list[str]) -> str:
    if not verdicts:
        return "missing"
    ok = {"pass", "warn"}
    if truth == "true":
        if all(v in ok for v in verdicts):
            return "read"
        if "fail" in verdicts:
            return "false reject"
        return "other"
    if all(v == "fail" for v in verdicts):
        return "read"
    if any(v in ok for v in verdicts) and "fail" not in verdicts:
        return "false accept"
    return "other"


# The verifier to run: the installed `verify-derivations` (the working tree, in an editable
# install), or a snapshot of a revision (`--rev`) run as `python -m verifier.cli` from its own copy.
TOOL_PATH: Path | None = None


def tool_command() -> tuple[list[str], dict[str, str] | None]:
    if TOOL_PATH is not None:
        # Run from inside the snapshot: `python -m` puts the working directory first on sys.path.
        env = {**os.environ, "PYTHONPATH": str(TOOL_PATH)}
        return [sys.executable, "-m", "verifier.cli"], env
    exe = shutil.which("verify-derivations")
    return ([exe] if exe else [sys.executable, "-m", "verifier.cli"]), None


def snapshot(rev: str) -> Path:
    """Extract `git archive REV` into a temporary directory (the repository is not touched)."""
    data = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    target = Path(tempfile.mkdtemp(prefix="corpus-rev-"))
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(target, filter="data")
    if not (target / "verifier" / "cli.py").exists():
        shutil.rmtree(target, ignore_errors=True)
        fail(f"git archive {rev}: no verifier/cli.py in the snapshot")
    return target


def run_tool(solution: Path, assignment: Path) -> tuple[dict | None, str]:
    cmd, env = tool_command()
    proc = subprocess.run(
        [*cmd, str(solution), "--assignment", str(assignment), "--format", "json", "--no-proof"],
        capture_output=True,
        text=True,
        env=env,
        cwd=TOOL_PATH,
    )
    if proc.returncode == 2 or not proc.stdout.strip():
        return None, (proc.stderr.strip().splitlines() or ["no output"])[0]
    return json.loads(proc.stdout), ""


def check_loads(assignment: Path) -> None:
    cmd, env = tool_command()
    proc = subprocess.run(
        [*cmd, "--assignment", str(assignment), "--truths"],
        capture_output=True,
        text=True,
        env=env,
        cwd=TOOL_PATH,
    )
    if proc.returncode != 0:
        fail(f"{assignment}: does not load: {proc.stderr.strip()[:300]}")


def evaluate(folder: Path) -> Source:
    src = Source(folder.name)
    solution = next((folder / n for n in SOLUTION_NAMES if (folder / n).exists()), None)
    assignment = folder / "assignment.toml"
    expected_path = folder / "expected.toml"
    for path in (solution, assignment, expected_path):
        if path is None or not path.exists():
            fail(f"{folder}: missing {path.name if path else 'solution.md/.tex/.ipynb'}")
    check_loads(assignment)
    expected = tomllib.loads(expected_path.read_text())["claims"]
    for e in expected:
        for tag in e.get("needs", []):
            if tag not in TAGS:
                fail(
                    f"{expected_path}: line {e['line']}: unknown tag {tag!r} (known: {', '.join(TAGS)})"
                )
        if e["truth"] not in ("true", "false"):
            fail(f'{expected_path}: line {e["line"]}: truth must be "true" or "false"')
    declared = [str(st["id"]) for st in tomllib.loads(assignment.read_text()).get("steps", [])]
    src.steps_declared = len(declared)
    result, problem = run_tool(solution, assignment)
    src.problem = problem
    by_line: dict[int, list[str]] = {}
    messages: dict[int, list[str]] = {}
    if result is not None:
        src.tool_version = result.get("tool_version", "")
        found = {str(step["id"]) for step in result["steps"] if step["claims"]}
        src.steps_found = sum(i in found for i in declared)
        for step in result["steps"]:
            for claim in step["claims"]:
                by_line.setdefault(claim["line"], []).append(claim["verdict"])
                messages.setdefault(claim["line"], []).append(claim.get("message") or "")
    listed = {e["line"] for e in expected}
    src.unexpected = sum(len(v) for line, v in by_line.items() if line not in listed)
    for e in expected:
        verdicts = by_line.get(e["line"], [])
        o = outcome(e["truth"], verdicts)
        src.count.add(o)
        src.lines.append(
            {**e, "verdicts": verdicts, "outcome": o, "messages": messages.get(e["line"], [])}
        )
    return src


def evaluate_all() -> list[Source]:
    folders = sorted(p for p in CORPUS.iterdir() if p.is_dir() and p.name[:2].isdigit())
    if not folders:
        fail(f"no corpus folders in {CORPUS}")
    return [evaluate(f) for f in folders]


def tables(sources: list[Source], before: dict[str, dict]) -> str:
    out: list[str] = []
    total = Count()
    out.append("### Per source\n")
    out.append(
        "| k | source | claim lines | read before | read now | % now | false accepts | false rejects "
        "| other | unexpected reports | steps found |"
    )
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for s in sources:
        c = s.count
        b = before.get(s.slug, {}).get("read", "–")
        note = f" ({s.problem})" if s.problem else ""
        out.append(
            f"| {s.slug[:2]} | {s.slug[3:]}{note} | {c.claims} | {b} | {c.read} | {c.pct} | "
            f"{c.false_accepts} | {c.false_rejects} | {c.other} | {s.unexpected} | "
            f"{s.steps_found}/{s.steps_declared} |"
        )
        for field_ in ("claims", "read", "false_accepts", "false_rejects", "other"):
            setattr(total, field_, getattr(total, field_) + getattr(c, field_))
    b_total = sum(v.get("read", 0) for v in before.values()) if before else "–"
    out.append(
        f"| | **total** | {total.claims} | {b_total} | {total.read} | {total.pct} | {total.false_accepts} | "
        f"{total.false_rejects} | {total.other} | {sum(s.unexpected for s in sources)} | "
        f"{sum(s.steps_found for s in sources)}/{sum(s.steps_declared for s in sources)} |"
    )

    lines = [ln for s in sources for ln in s.lines]
    out.append("\n### Per issue (which issues' constructs a line needs)\n")
    out.append(
        "| lines that need | claim lines | read | % | false accepts | false rejects | other |"
    )
    out.append("|---|---|---|---|---|---|---|")
    groups: dict[str, Count] = {}
    for ln in lines:
        groups.setdefault(group_of(ln.get("needs", [])), Count()).add(ln["outcome"])
    order = ["none (seed constructs)", "issue 11 only", "issue 12 only", "issue 13 only"]
    for g in order + sorted(k for k in groups if k not in order):
        if g in groups:
            c = groups[g]
            out.append(
                f"| {g} | {c.claims} | {c.read} | {c.pct} | {c.false_accepts} | {c.false_rejects} | {c.other} |"
            )
    target = Count()
    for ln in lines:
        if all(TAGS[t] == 11 for t in ln.get("needs", [])):
            target.add(ln["outcome"])
    out.append(
        f"| issue 11 target set: none or issue 11 only | {target.claims} | {target.read} | {target.pct} | "
        f"{target.false_accepts} | {target.false_rejects} | {target.other} |"
    )

    out.append("\n### Per construct tag (a line counts under each of its tags)\n")
    out.append("| tag | issue | claim lines | read | % | false accepts | false rejects | other |")
    out.append("|---|---|---|---|---|---|---|---|")
    for tag, issue in TAGS.items():
        c = Count()
        for ln in lines:
            if tag in ln.get("needs", []):
                c.add(ln["outcome"])
        if c.claims:
            out.append(
                f"| {tag} | {issue} | {c.claims} | {c.read} | {c.pct} | {c.false_accepts} | {c.false_rejects} | {c.other} |"
            )

    out.append("\n### Why lines are not read (first message of each line not read, grouped)\n")
    out.append("| message | lines |")
    out.append("|---|---|")
    reasons: dict[str, int] = {}
    for ln in lines:
        if ln["outcome"] != "read":
            first = next(
                (
                    m
                    for m, v in zip(ln["messages"], ln["verdicts"], strict=True)
                    if v not in ("pass", "warn")
                ),
                "",
            )
            key = reason(first) if ln["verdicts"] else "no claim found on the line"
            reasons[key] = reasons.get(key, 0) + 1
    for key, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"| {key} | {n} |")

    false_lines = [ln for ln in lines if ln["truth"] == "false"]
    out.append(
        f"\nFalse lines: {len(false_lines)}, of which `fail`: "
        f"{sum(ln['outcome'] == 'read' for ln in false_lines)}, accepted: "
        f"{sum(ln['outcome'] == 'false accept' for ln in false_lines)}."
    )
    return "\n".join(out)


def reason(message: str) -> str:
    """A message reduced to its kind: `unknown command `\\hat`` stays, values and positions go."""
    m = message
    if "fits no model (" in m:
        m = m.split("fits no model (", 1)[1].rsplit(")", 1)[0]
        m = m.split(": ", 1)[1] if ": " in m else m
    for cut in (" — ", "; agrees", "; at ", ": true value", " (in the left-hand side)"):
        m = m.split(cut, 1)[0]
    m = m.split(" (\\", 1)[0]
    if m.startswith("false"):
        rest = m[len("false") :].lstrip(": ")
        m = "fail on a true line" + (f": {rest}" if rest and not rest.startswith("(") else "")
    if m.startswith("a condition ("):
        m = "a condition: " + m.split(": ", 1)[-1]
    m = m.replace("|", "\\|")
    return m[:110] or "(no message)"


def git_commit(rev: str | None) -> str:
    """The short hash measured: REV's, or HEAD's plus a mark when the code has uncommitted changes."""
    try:
        short = subprocess.run(
            ["git", "rev-parse", "--short", rev or "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if rev is None:
            dirty = subprocess.run(
                ["git", "status", "--porcelain", "--", "verifier", "derivations"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            if dirty:
                short += " + uncommitted changes to verifier/"
        return short
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help=f"write {REPORT.relative_to(HERE.parent)}")
    ap.add_argument(
        "--freeze", action="store_true", help=f"record the figures as 'before' in {BEFORE.name}"
    )
    ap.add_argument("--lines", action="store_true", help="print every claim line's outcome")
    ap.add_argument(
        "--rev",
        help="measure the verifier of this git revision (e.g. HEAD: the committed code, without the "
        "working tree's uncommitted changes), run from a temporary snapshot",
    )
    args = ap.parse_args(argv)

    global TOOL_PATH
    if args.rev:
        TOOL_PATH = snapshot(args.rev)
    try:
        sources = evaluate_all()
    finally:
        if TOOL_PATH is not None:
            shutil.rmtree(TOOL_PATH, ignore_errors=True)
    commit = git_commit(args.rev)
    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    if args.freeze:
        frozen = {
            s.slug: {
                "claims": s.count.claims,
                "read": s.count.read,
                "false_accepts": s.count.false_accepts,
            }
            for s in sources
        }
        BEFORE.write_text(
            json.dumps({"date": date, "commit": commit, "sources": frozen}, indent=2) + "\n"
        )
    before = json.loads(BEFORE.read_text())["sources"] if BEFORE.exists() else {}
    body = tables(sources, before)
    if args.lines:
        for s in sources:
            for ln in s.lines:
                print(
                    f"{s.slug}:{ln['line']}: {ln['truth']:5} {ln['outcome']:13} {ln['verdicts']} {ln.get('needs', [])}"
                )
        print()
    print(body)
    if args.write:
        version = next((s.tool_version for s in sources if s.tool_version), "unknown")
        frozen_at = json.loads(BEFORE.read_text()) if BEFORE.exists() else {}
        header = [
            "# Real-notation corpus: read before / after",
            "",
            f"Run {date}, commit `{commit}`, verify-derivations {version}; "
            f"`python benchmarks/corpus.py --write{' --rev ' + args.rev if args.rev else ''}` "
            "(`--no-proof`, every folder of `benchmarks/corpus/`).",
            "",
            f'"Before" figures frozen {frozen_at.get("date", "–")} at commit `{frozen_at.get("commit", "–")}`'
            " (`benchmarks/corpus/before.json`). Sources and method: `benchmarks/corpus/README.md`.",
            "",
            "A claim line is **read** when every claim the tool reports on it has the intended verdict: pass/warn",
            "for a true line, fail for a false one. **False accept**: a false line passed. **False reject**: a true",
            "line failed (also counted in *other*). **Other**: error, undecided, no claim found, or a wrong verdict.",
            "**Unexpected reports**: claims reported on lines that are not claims (mentions, prose conditions).",
            "**Steps found**: the assignment's step ids that the tool found as labels in the solution (with claims).",
            "",
            "",
        ]
        REPORT.write_text("\n".join(header) + body + "\n")
        print(f"\nwrote {REPORT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
