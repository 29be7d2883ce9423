"""Checking many submissions: files, folders and notebooks, in worker processes.

The ground truth is built once per worker process (one ``Checker`` per assignment) and reused
for every submission it checks; results come back in input order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.check.runner import check_path
from verifier.check.verdicts import FileResult
from verifier.check.workers import fork_context
from verifier.errors import InputError
from verifier.models.assignment import Assignment
from verifier.submission import read_submission

__all__ = ["SUFFIXES", "check_one", "expand", "read_submission", "run"]

SUFFIXES = (".md", ".markdown", ".tex", ".ipynb")

Outcome = FileResult | InputError


def expand(paths: list[str]) -> list[str]:
    """Files as given, and every submission inside each folder (sorted); unusable paths raise.
    Inside a folder, a symbolic link leading out of it is skipped: a link in a student's
    folder must not make us read (and report) a file elsewhere."""
    found: list[str] = []
    for name in paths:
        p = Path(name)
        if p.is_dir():
            inside = _inside(p)
            if not inside:
                raise InputError(f"{name}: no submissions (.md, .tex, .ipynb) in this folder")
            found += inside
        elif not p.exists():
            raise InputError(f"{name}: no such file")
        else:
            found.append(name)
    return found


def _inside(folder: Path) -> list[str]:
    root = folder.resolve()
    out = []
    for f in folder.rglob("*"):  # rglob does not descend into linked folders
        if f.suffix.lower() not in SUFFIXES or not f.is_file():
            continue
        if not f.resolve().is_relative_to(root):
            continue
        out.append(str(f))
    return sorted(out)


def check_one(checker: Checker, path: str) -> Outcome:
    """One submission's result; whatever goes wrong with it stays its own row."""
    try:
        return check_path(checker, path)
    except InputError as exc:
        return exc
    except Exception as exc:  # a bug of ours, on this file only: the class run goes on
        return InputError(f"{path}:1:1: internal error while checking: {type(exc).__name__}: {exc}")


_WORKER: Checker | None = None


def _init(assignment: Assignment, config: Config) -> None:
    global _WORKER
    _WORKER = Checker(assignment, config)


def _work(path: str) -> Outcome:
    assert _WORKER is not None
    return check_one(_WORKER, path)


def run(
    assignment: Assignment,
    config: Config,
    paths: list[str],
    jobs: int = 1,
    progress: Callable[[], None] | None = None,
    checker: Checker | None = None,
) -> Iterator[tuple[str, Outcome]]:
    """``(path, FileResult or InputError)`` for each path, in order; in turn with ``checker``
    when one is given (its models already built) and no pool is needed."""
    tick = progress or (lambda: None)
    if jobs <= 1 or len(paths) <= 1 or fork_context() is None:
        yield from _in_turn(checker or Checker(assignment, config), paths, tick)
        return
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=fork_context(),
        initializer=_init,
        initargs=(assignment, config),
    ) as pool:
        futures = [pool.submit(_work, path) for path in paths]
        for n, (path, future) in enumerate(zip(paths, futures, strict=True)):
            try:
                outcome = future.result()
            except BrokenProcessPool:  # a worker died: the rest are checked here, in turn
                yield from _in_turn(Checker(assignment, config), paths[n:], tick)
                return
            except Exception as exc:  # this file's result could not come back
                outcome = InputError(f"{path}:1:1: internal error: {type(exc).__name__}: {exc}")
            tick()
            yield path, outcome


def _in_turn(checker: Checker, paths: list[str], tick: Callable[[], None]):
    for path in paths:
        outcome = check_one(checker, path)
        tick()
        yield path, outcome
