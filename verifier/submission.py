"""Reading one submission (Markdown, LaTeX or a Jupyter notebook) into a Document."""

from __future__ import annotations

import json
from pathlib import Path

from verifier.errors import InputError
from verifier.source import Document, read_document
from verifier.source.markdown import read_cells


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
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}:1:1: not a readable Jupyter notebook ({type(exc).__name__})"
        ) from None
    return notebook_text(path, text)


def notebook_text(path: str, text: str) -> Document:
    """A notebook given as its JSON text: its Markdown cells, each as Jupyter renders it."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        # json nests by recursion: `[[[[…` 100k deep is a RecursionError, not a notebook
        raise InputError(
            f"{path}:1:1: not a readable Jupyter notebook ({type(exc).__name__})"
        ) from None
    doc = read_cells(path, _markdown_of(path, data))  # each cell as Jupyter renders it
    if not doc.spans:
        raise InputError(f"{path}:1:1: no math found in the notebook's Markdown cells")
    return doc


def _markdown_of(path: str, data: object) -> list[str]:
    """The texts of the Markdown cells; anything not shaped like a notebook is an InputError."""
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        raise InputError(f"{path}:1:1: not a Jupyter notebook (no list of cells)")
    texts = []
    for n, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            raise InputError(f"{path}:1:1: not a Jupyter notebook (cell {n} is not an object)")
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise InputError(f"{path}:1:1: not a Jupyter notebook (cell {n} has no text)")
        texts.append(source)
    return texts
