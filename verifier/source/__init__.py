"""Finding steps and math in a submission, with file offsets for every character."""

from __future__ import annotations

from pathlib import Path

from verifier.errors import InputError
from verifier.source.document import Document, MathSpan, Step
from verifier.source.latex import read_latex
from verifier.source.markdown import GITHUB, JUPYTER, read_markdown

__all__ = ["Document", "MathSpan", "Step", "read_document", "read_text"]


def line_ends(text: str) -> str:
    """CRLF and a lone CR end a line for every renderer: both become `\\n` (a lone CR in
    place, so offsets stay true; CRLF files are read as LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str, text: str) -> Document:
    """The document as its renderer shows it: pdflatex for `.tex`, Jupyter for the Markdown of
    a notebook (`.ipynb`), GitHub for any other Markdown."""
    text = line_ends(text)
    suffix = Path(path).suffix.lower()
    if suffix in (".tex", ".latex"):
        return read_latex(path, text)
    return read_markdown(path, text, JUPYTER if suffix == ".ipynb" else GITHUB)


def read_document(path: str, max_bytes: int = 2_000_000) -> Document:
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path}: is a directory, not a submission")
    if not p.exists():
        raise InputError(f"{path}: no such file")
    size = p.stat().st_size
    if size > max_bytes:
        raise InputError(f"{path}:1:1: file of {size} bytes; the limit is {max_bytes}")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if not data.strip():
        raise InputError(f"{path}:1:1: empty file")
    if b"\x00" in data:
        raise InputError(f"{path}:1:1: binary file, not a text submission")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(f"{path}:{line}:{col}: not UTF-8 (byte 0x{data[exc.start]:02x})") from None
    doc = read_text(path, text.replace("\r\n", "\n"))
    if not doc.spans:
        raise InputError(f"{path}:1:1: no math found (expected $…$ or $$…$$)")
    return doc
