"""Checking many submissions: files, folders and notebooks, in worker processes.

The ground truth is built once per worker process (one ``Checker`` per assignment) and reused
for every submission it checks; results come back in input order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from verifier import __version__
from verifier.check.checker import Checker
from verifier.check.compare import Config
from verifier.check.runner import check_document
from verifier.check.verdicts import FileResult
from verifier.check.workers import fork_context
from verifier.errors import InputError
from verifier.models.assignment import Assignment
from verifier.source import Document, read_document
from verifier.source.markdown import read_cells

SUFFIXES = (".md", ".markdown", ".tex", ".ipynb")

Outcome = FileResult | InputError


def expand(paths: list[str]) -> list[str]:
    """Files as given, and every submission inside each folder (sorted); unusable paths raise."""
    found: list[str] = []
    for name in paths:
        p = Path(name)
        if p.is_dir():
            inside = sorted(
                str(f) for f in p.rglob("*") if f.suffix.lower() in SUFFIXES and f.is_file()
            )
            if not inside:
                raise InputError(f"{name}: no submissions (.md, .tex, .ipynb) in this folder")
            found += inside
        elif not p.exists():
            raise InputError(f"{name}: no such file")
        else:
            found.append(name)
    return found


def read_submission(path: str, max_bytes: int) -> Document:
    if path.lower().endswith(".ipynb"):
        return _read_notebook(path, max_bytes)
    return read_document(path, max_bytes)


def _read_notebook(path: str, max_bytes: int) -> Document:
    """The Markdown cells, each read as Jupyter renders it; lines count in the cells joined by
    blank lines."""
    p = Path(path)
    if p.stat().st_size > max_bytes:
        raise InputError(f"{path}:1:1: file of {p.stat().st_size} bytes; the limit is {max_bytes}")
    try:
        cells = json.loads(p.read_text(encoding="utf-8"))["cells"]
        sources = [
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells
            if c.get("cell_type") == "markdown"
        ]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError(
            f"{path}:1:1: not a readable Jupyter notebook ({type(exc).__name__})"
        ) from None
    doc = read_cells(path, sources)
    if not doc.spans:
        raise InputError(f"{path}:1:1: no math found in the notebook's Markdown cells")
    return doc


def check_one(checker: Checker, path: str) -> Outcome:
    try:
        doc = read_submission(path, checker.config.limits.max_file_bytes)
    except InputError as exc:
        return exc
    a = checker.assignment
    steps = tuple(check_document(checker, doc))
    return FileResult(path, a.name, a.sha256, checker.config.seed, __version__, steps)


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
) -> Iterator[tuple[str, Outcome]]:
    """``(path, FileResult or InputError)`` for each path, in order."""
    tick = progress or (lambda: None)
    if jobs <= 1 or len(paths) <= 1 or fork_context() is None:
        checker = Checker(assignment, config)
        for path in paths:
            outcome = check_one(checker, path)
            tick()
            yield path, outcome
        return
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=fork_context(),
        initializer=_init,
        initargs=(assignment, config),
    ) as pool:
        for path, outcome in zip(paths, pool.map(_work, paths), strict=True):
            tick()
            yield path, outcome
