"""A submission file turned into source chunks for the child (no execution here).

A ``.py`` file is one chunk that must run whole; a notebook is one chunk per code cell, each
allowed to fail (``notebook.py``).
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SubmissionError
from ..messages import Msg, msg
from .freetext import Section
from ..wire.jobs import Chunk

# The largest file read, by format: a .py file is all code; a notebook also carries its outputs
# (a deep-learning notebook's plots are easily several MiB), which are dropped unread.
MAX_BYTES = {".py": 5 * 2**20, ".ipynb": 64 * 2**20}
FORMATS = (".py", ".ipynb")


@dataclass(frozen=True)
class Submission:
    path: str
    sha256: str
    format: str
    chunks: list[Chunk]
    warnings: list[Msg] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)  # a notebook's markdown, where free-text answers are


def load_submission(path: str | Path) -> Submission:
    """Read a ``.py`` or ``.ipynb`` submission.

    Raises:
        SubmissionError: missing, unreadable, too large, not UTF-8, or an invalid notebook.
    """
    path = Path(path)
    if path.is_dir():
        raise SubmissionError(path, msg("file.folder"))
    if path.suffix.lower() not in FORMATS:
        raise SubmissionError(path, msg("file.suffix", suffix=repr(path.suffix)) if path.suffix
                              else msg("file.no_suffix"))
    try:
        if not path.is_file():
            raise SubmissionError(path, msg("file.missing") if not path.exists() else msg("file.not_regular"))
        size, limit = path.stat().st_size, MAX_BYTES[path.suffix.lower()]
        if size > limit:
            raise SubmissionError(path, msg("file.too_large", size=f"{size / 2**20:.1f}", suffix=path.suffix.lower(),
                                            limit=limit // 2**20))
        data = path.read_bytes()
    except OSError as exc:
        raise SubmissionError(path, msg("file.unreadable", error=str(exc.strerror or exc))) from None
    digest = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() == ".ipynb":
        from .notebook import notebook_chunks

        chunks, warnings, sections = notebook_chunks(path, data)
        return Submission(str(path), digest, "ipynb", chunks, warnings, sections)
    source = decode_source(path, data)
    if "\x00" in source:
        raise SubmissionError(path, msg("file.nul"))
    return Submission(str(path), digest, "py", [Chunk(source=source, filename=path.name)])


def decode_source(path: Path, data: bytes) -> str:
    """Python source text as Python itself reads it: UTF-8 (with or without a BOM) unless a PEP 263
    line (``# -*- coding: latin-1 -*-``) says otherwise; line ends as they are (CRLF runs as is).

    Raises:
        SubmissionError: the bytes are not text in that encoding, or it names no known encoding.
    """
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # an unknown encoding, a BOM that contradicts it, or no UTF-8 in the first lines
        if "encoding declaration" not in str(exc):
            raise SubmissionError(path, msg("file.not_source", error=str(exc))) from None
        encoding = "utf-8"  # undeclared and not UTF-8: say where it is not
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        name = "UTF-8" if encoding in ("utf-8", "utf-8-sig") else encoding
        raise SubmissionError(path, msg("file.encoding_at", encoding=name, byte=exc.start)
                              if isinstance(exc, UnicodeDecodeError) else msg("file.encoding", encoding=name)) from None
    return text.removeprefix("\ufeff")


def defining_chunks(chunks: list[Chunk]) -> dict[str, list[Chunk]]:
    """Which chunks define each top-level function (or assign a top-level name), found by parsing,
    never running, them: to say which cell a missing function was in."""
    found: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        try:
            tree = ast.parse(chunk.source)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue
        for node in tree.body:
            names = [node.name] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
            if isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            for name in names:
                found.setdefault(name, []).append(chunk)
    return found


def source_literals(chunks: list[Chunk], names: set[str]) -> dict[str, tuple[str, Chunk, int]]:
    """Top-level ``NAME = "text"`` assignments of ``names`` (the last one), found by parsing: a
    free-text answer can be read even when the code stops before running its line."""
    found: dict[str, tuple[str, Chunk, int]] = {}
    for chunk in chunks:
        try:
            tree = ast.parse(chunk.source)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                value = node.value
                for target in targets:
                    if isinstance(target, ast.Name) and target.id in names and value is not None:
                        try:
                            text = ast.literal_eval(value)
                        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                            continue
                        if isinstance(text, str) and text.strip():
                            found[target.id] = (text.strip(), chunk, node.lineno)
    return found
