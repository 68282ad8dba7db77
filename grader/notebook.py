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
from pathlib import Path

from .errors import SubmissionError
from .sandbox import Chunk

SKIP_TAG = "grader-skip"
BODY_MAGICS = {"time", "timeit", "capture", "prun"}
_QUESTION = re.compile(r"(?<![\w.])((?:IV|V?I{1,3}|V)\.\d+)(?![\w]|\.\d)")


def _transformer():
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython is a dependency
        return None
    return TransformerManager()


def _code(source: str, manager, label: str, warnings: list[str]) -> str | None:
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(maxsplit=1)[0] if lines[0].strip() != "%%" else ""
        if magic not in BODY_MAGICS:
            warnings.append(f"{label}: cell magic %%{magic} not run")
            return None
        source = "\n" + "\n".join(lines[1:])  # keep line numbers: the magic's line becomes blank
    if manager is None or not any(c in source for c in "%!?"):
        return source
    try:
        return manager.transform_cell(source)
    except Exception:  # a cell the transformer cannot read: let the compiler report it
        return source


def _answers(cells: list, path: Path) -> dict[str, str]:
    """Free-text answers: a markdown cell whose heading names a question id (``## I.2``), or a
    markdown cell tagged ``answer:I.2``; the answer is the rest of that cell, or the next
    markdown cell when the heading stands alone."""
    answers: dict[str, str] = {}
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        text = cell.get("source", "")
        tags = [t for t in cell.get("metadata", {}).get("tags", []) if isinstance(t, str)]
        tagged = [t.split(":", 1)[1] for t in tags if t.startswith("answer:")]
        if tagged:
            answers.setdefault(tagged[0], text.strip())
            continue
        lines = text.strip().splitlines()
        if not lines or not lines[0].startswith("#"):
            continue
        found = _QUESTION.search(lines[0])
        if not found:
            continue
        body = "\n".join(lines[1:]).strip()
        if not body and i + 1 < len(cells) and cells[i + 1].get("cell_type") == "markdown":
            following = cells[i + 1].get("source", "").strip()
            if not following.startswith("#"):
                body = following
        if body:
            answers.setdefault(found.group(1), body)
    return answers


def notebook_chunks(path: Path, data: bytes) -> tuple[list[Chunk], list[str], dict[str, str]]:
    """The code cells of a notebook as chunks (one per cell), warnings, and markdown answers.

    Raises:
        SubmissionError: empty, not JSON, not a notebook, or unreadable by nbformat.
    """
    if not data.strip():
        raise SubmissionError(path, "empty file: not a notebook")
    try:
        text = data.decode("utf-8-sig")
        raw = json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SubmissionError(path, f"not a notebook: invalid JSON ({exc})") from None
    if not isinstance(raw, dict) or not ("cells" in raw or "worksheets" in raw) or "nbformat" not in raw:
        raise SubmissionError(path, "valid JSON but not a Jupyter notebook (no 'nbformat' and 'cells')")
    import nbformat

    warnings: list[str] = []
    invalid: dict = {}  # ``reads`` validates once and keeps the error here (validating costs ~0.3 ms)
    try:
        nb = nbformat.reads(text, as_version=4, capture_validation_error=invalid)
    except Exception as exc:  # nbformat raises several types for broken notebooks
        raise SubmissionError(path, f"not a readable notebook: {exc}") from None
    if raw.get("nbformat") != 4:
        warnings.append(f"notebook format {raw.get('nbformat')} upgraded to 4")
    if "ValidationError" in invalid:
        first = str(invalid["ValidationError"]).splitlines()[0][:200]
        warnings.append(f"the notebook does not fully validate ({first}); graded anyway")
    cells = [dict(c) for c in nb.cells]
    manager = _transformer() if any(c.get("cell_type") == "code" and any(ch in c.get("source", "") for ch in "%!?")
                                    for c in cells) else None
    chunks = []
    for number, cell in enumerate(cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        label = f"{path.name} [cell {number}]"
        if SKIP_TAG in cell.get("metadata", {}).get("tags", []):
            warnings.append(f"{label}: skipped (tagged {SKIP_TAG})")
            continue
        code = _code(cell.get("source", ""), manager, label, warnings)
        if code is not None and code.strip():
            chunks.append(Chunk(source=code, filename=label, stop_on_error=False))
    return chunks, warnings, _answers(cells, path)
