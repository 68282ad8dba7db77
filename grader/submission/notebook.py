"""A Jupyter notebook turned into code chunks for the child: no kernel, no execution here.

Cells run in document order in one namespace, as "Restart & Run All" would. IPython syntax is
translated by IPython's own input transformer (``IPython.core.inputtransformer2``), so magics and
shell escapes become calls on a stub shell in the child that does nothing: ``%matplotlib inline``,
``!pip install``, ``x = !ls`` never start a process. Cell magics that only time or capture
(``%%time``, ``%%timeit``, ``%%capture``, ``%%prun``) keep their body; any other cell magic
(``%%bash``, ``%%writefile``, ...) is skipped with a warning. Cells tagged ``grader-skip`` are skipped.
"""

from __future__ import annotations

import json
import re
from typing import Any
from pathlib import Path

from ..errors import SubmissionError
from ..messages import Msg, msg
from .freetext import Section, sections_of
from ..wire.jobs import Chunk

SKIP_TAG = "grader-skip"
BODY_MAGICS = {"time", "timeit", "capture", "prun"}


def _transformer():
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython is a dependency
        return None
    return TransformerManager()


_LABEL = re.compile(r"^(?P<notebook>.*) \[cell (?P<n>\d+)\]$")


def cell_label(notebook: str, number: int) -> str:
    """How a notebook cell is named in tracebacks and reports: ``answers.ipynb [cell 3]``."""
    return f"{notebook} [cell {number}]"


def place(label: str) -> Any:
    """Where a chunk is, as a message parameter: a notebook cell (worded in the report's language,
    ``answers.ipynb [cellule 3]``), or a file name as it is."""
    found = _LABEL.match(label)
    return msg("cell.label", notebook=found["notebook"], number=int(found["n"])) if found else label


def _code(source: str, manager, label: str, warnings: list[Msg]) -> str | None:
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(maxsplit=1)[0] if lines[0].strip() != "%%" else ""
        if magic not in BODY_MAGICS:
            warnings.append(msg("notebook.magic_skipped", cell=place(label), magic=magic))
            return None
        source = "\n" + "\n".join(lines[1:])  # keep line numbers: the magic's line becomes blank
    if manager is None or not any(c in source for c in "%!?"):
        return source
    try:
        return manager.transform_cell(source)
    except Exception:  # a cell the transformer cannot read: let the compiler report it
        return source


def notebook_chunks(path: Path, data: bytes) -> tuple[list[Chunk], list[Msg], list[Section]]:
    """The code cells of a notebook as chunks (one per cell), warnings, and its markdown sections
    (where free-text answers are: ``freetext.py``).

    Raises:
        SubmissionError: empty, not JSON, not a notebook, or unreadable by nbformat.
    """
    if not data.strip():
        raise SubmissionError(path, msg("notebook.empty"))
    try:
        text = data.decode("utf-8-sig")
        raw = json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SubmissionError(path, msg("notebook.json", error=str(exc))) from None
    if not isinstance(raw, dict) or not ("cells" in raw or "worksheets" in raw) or "nbformat" not in raw:
        raise SubmissionError(path, msg("notebook.not_a_notebook"))
    import nbformat

    warnings: list[Msg] = []
    invalid: dict = {}  # ``reads`` validates once and keeps the error here (validating costs ~0.3 ms)
    try:
        nb = nbformat.reads(text, as_version=4, capture_validation_error=invalid)
    except Exception as exc:  # nbformat raises several types for broken notebooks
        raise SubmissionError(path, msg("notebook.unreadable", error=str(exc))) from None
    if raw.get("nbformat") != 4:
        warnings.append(msg("notebook.upgraded", version=str(raw.get("nbformat"))))
    if "ValidationError" in invalid:
        first = str(invalid["ValidationError"]).splitlines()[0][:200]
        warnings.append(msg("notebook.invalid", error=first))
    cells = [dict(c) for c in nb.cells]
    manager = _transformer() if any(c.get("cell_type") == "code" and any(ch in c.get("source", "") for ch in "%!?")
                                    for c in cells) else None
    chunks = []
    for number, cell in enumerate(cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        label = cell_label(path.name, number)
        if SKIP_TAG in cell.get("metadata", {}).get("tags", []):
            warnings.append(msg("notebook.skipped", cell=place(label), tag=SKIP_TAG))
            continue
        code = _code(cell.get("source", ""), manager, label, warnings)
        if code is not None and code.strip():
            chunks.append(Chunk(source=code, filename=label, stop_on_error=False))
    return chunks, warnings, sections_of(cells)
