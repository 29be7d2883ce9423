"""Shared helpers of the benchmark scripts: statistics, workers, the CLI command, the machine."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLI = [sys.executable, "-m", "verifier.cli"]
# `python -m` puts the working directory on sys.path: run the CLI from an empty directory so it
# always imports the installed package, never a checkout it happens to be started in.
NEUTRAL_DIR = tempfile.mkdtemp(prefix="bench-cwd-")
atexit.register(shutil.rmtree, NEUTRAL_DIR, True)


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def p95(xs: list[float]) -> float:
    if len(xs) < 2:
        return xs[0] if xs else float("nan")
    return statistics.quantiles(xs, n=20, method="inclusive")[18]


@dataclass
class Finished:
    seconds: float  # wall clock from start to the exit of the process itself
    returncode: int
    stdout: bytes
    stderr: bytes


# Processes found still running after the process that started them had exited.
LEFTOVERS: list[dict] = []


def run_to_exit(cmd: list[str], cwd: str | None = None, timeout: float = 3600) -> Finished:
    """Run ``cmd`` with its output in private files; time it up to its own exit.

    Waiting for the exit rather than for the end of its output matters: a process it leaves
    behind that inherited stdout would keep a pipe open, and a reader waiting for end-of-file
    would wait for that process too. Such leftovers are found by the output files they hold,
    recorded in LEFTOVERS and killed (by pid: they can only come from this run)."""
    with tempfile.TemporaryDirectory(prefix="bench-out-") as tmp:
        out, err = Path(tmp) / "stdout", Path(tmp) / "stderr"
        with out.open("wb") as fo, err.open("wb") as fe:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=fo, stderr=fe, cwd=cwd)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            seconds = time.perf_counter() - start
        _reap({str(out), str(err)}, cmd)
        return Finished(seconds, proc.returncode, out.read_bytes(), err.read_bytes())


def _reap(paths: set[str], cmd: list[str]) -> None:
    leftovers = _holders(paths)
    if leftovers:  # give a child that is just exiting a moment to go
        time.sleep(0.5)
        leftovers = _holders(paths)
    if leftovers:
        command = " ".join(Path(c).name if c.startswith("/") else c for c in cmd[1:])
        LEFTOVERS.append({"command": command, "pids": leftovers})
    for pid in leftovers:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _holders(paths: set[str]) -> list[int]:
    """Processes with one of ``paths`` open (Linux /proc; elsewhere none are found)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc") if os.path.isdir("/proc") else []):
        with contextlib.suppress(OSError):
            fds = os.listdir(f"/proc/{pid}/fd")
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") in paths for fd in fds):
                found.append(int(pid))
    return found


def run_cli(args: list[str], timeout: float = 1800) -> Finished:
    return run_to_exit([*CLI, *args], cwd=NEUTRAL_DIR, timeout=timeout)


def worker(script: str, *args: str, timeout: float = 3600):
    """Run ``benchmarks/<script>`` in a fresh interpreter; its JSON answer on stdout."""
    done = run_to_exit([sys.executable, str(HERE / script), *args], timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{script} {' '.join(args)} failed:\n{done.stderr.decode()}")
    return json.loads(done.stdout)


def cli_supports_jobs() -> bool:
    return "--jobs" in run_cli(["--help"]).stdout.decode()


def _command(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    except OSError:
        return ""


def machine() -> dict[str, str]:
    lscpu = dict(
        (k.strip(), v.strip())
        for k, _, v in (line.partition(":") for line in _command(["lscpu"]).splitlines())
    )
    mem = next(
        (ln.split()[1] for ln in _command(["free", "-h"]).splitlines() if ln.startswith("Mem:")),
        "?",
    )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "cpu": lscpu.get("Model name", platform.processor() or "?"),
        "nproc": _command(["nproc"]).strip() or str(os.cpu_count()),
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load average at start (1, 5, 15 min)": load,
    }


def versions() -> dict[str, str]:
    code = (
        "import json, importlib.metadata as m, verifier\n"
        "names = ['verify-derivations', 'math-verify', 'sympy', 'numpy', 'lark']\n"
        "v = {n: m.version(n) for n in names}\n"
        "v['verifier imported from'] = verifier.__file__\n"
        "print(json.dumps(v))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=NEUTRAL_DIR, check=True
    )
    info = json.loads(done.stdout)
    repo = HERE.parent
    head = _command(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"]).strip()
    if Path(info["verifier imported from"]).resolve().is_relative_to(repo):
        dirty = _command(
            ["git", "-C", str(repo), "status", "--porcelain", "verifier", "derivations"]
        )
        info["git commit measured"] = head + (
            " (with uncommitted changes)" if dirty.strip() else ""
        )
    else:
        info["git commit of this checkout"] = f"{head} (the package measured is an installed copy)"
    return info
