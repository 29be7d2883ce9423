"""Reading one submission (Markdown, LaTeX or a Jupyter notebook) into a Document."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from verifier.errors import InputError
from verifier.source import Document, read_document
from verifier.source.markdown import read_cells
from verifier.source.notebook import CellMap, cells_of, read_math, template_cells


def read_submission(path: str, max_bytes: int, template: frozenset[str] = frozenset()) -> Document:
    if path.lower().endswith(".ipynb"):
        return _read_notebook(path, max_bytes, template)
    return read_document(path, max_bytes)


def _read_notebook(path: str, max_bytes: int, template: frozenset[str]) -> Document:
    """The Markdown cells, each read as Jupyter renders it; lines count in the cells joined by
    blank lines, and each place is mapped back to its cell and to the file's line."""
    p = Path(path)
    if p.stat().st_size > max_bytes:
        raise InputError(f"{path}:1:1: file of {p.stat().st_size} bytes; the limit is {max_bytes}")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}:1:1: not a readable Jupyter notebook ({type(exc).__name__})"
        ) from None
    return notebook_text(path, text, template)


def notebook_text(path: str, text: str, template: frozenset[str] = frozenset()) -> Document:
    """A notebook given as its JSON text: its Markdown cells, each as Jupyter renders it, less
    the template's (prompts); only Otter's question regions or nbgrader's solution cells when
    the notebook has them (``verifier.source.notebook``)."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        # json nests by recursion: `[[[[…` 100k deep is a RecursionError, not a notebook
        raise InputError(
            f"{path}:1:1: not a readable Jupyter notebook ({type(exc).__name__})"
        ) from None
    _check_shape(path, data)
    cells = cells_of(data, text)
    doc = read_cells(path, [c.text for c in cells], read_math(cells, template))
    if not doc.spans:
        raise InputError(f"{path}:1:1: no math found in the notebook's Markdown cells")
    return replace(doc, cells=CellMap.of(cells))


def read_template(path: str) -> frozenset[str]:
    """The Markdown cells of the distributed notebook (``--template``)."""
    try:
        return template_cells(path, Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputError(
            f"{path}: not a usable template notebook ({type(exc).__name__}: {exc})"
        ) from None


def _check_shape(path: str, data: object) -> None:
    """A notebook is an object with a list of cells, each an object; a Markdown cell's source
    is a string or a list of strings. Anything else is an InputError."""
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        raise InputError(f"{path}:1:1: not a Jupyter notebook (no list of cells)")
    for n, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            raise InputError(f"{path}:1:1: not a Jupyter notebook (cell {n} is not an object)")
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            continue
        if not isinstance(source, str):
            raise InputError(f"{path}:1:1: not a Jupyter notebook (cell {n} has no text)")
