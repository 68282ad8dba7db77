"""Grading from inside Jupyter: ``%load_ext grader`` then ``%grade`` (or ``%grade II.2``), and
``grader.check("II.2")`` for those who prefer a function.

The notebook graded is the one saved on disk, in the same sandboxed child as ``grade FILE``
(never the kernel's own state: a grade must be what the teacher's run will give). Its path is
found as the Jupyter ecosystem gives it: the kernel's ``__session__`` (set by Jupyter Server from
``JPY_SESSION_NAME``), VS Code's ``__vsc_ipynb_file__``; else the user names it. Cells run in this
kernel that the saved file does not hold mean unsaved changes, and the report says so.
"""

from __future__ import annotations

import argparse
import os
import shlex
from pathlib import Path
from typing import Any, Optional, Sequence

from .errors import GraderError
from .messages import Msg, joined, msg

MAGIC_MARKERS = ("%grade", "grader.check(", "%load_ext grader", "run_line_magic('grade'", "import grader")


class NotebookNotFound(GraderError):
    """The notebook to grade cannot be found: name it."""


def notebook_path(namespace: dict[str, Any], cwd: Optional[Path] = None) -> Path:
    """The notebook this kernel runs, from the variables Jupyter Server and VS Code set.

    Raises:
        NotebookNotFound: neither is there (a plain IPython, another front end), or the file is gone.
    """
    cwd = cwd or Path.cwd()
    for key in ("__session__", "__vsc_ipynb_file__"):
        value = namespace.get(key)
        if not isinstance(value, str) or not value.endswith(".ipynb"):
            continue
        path = Path(value)
        for candidate in (path, cwd / path, cwd / path.name):
            if candidate.is_file():
                return candidate.resolve()
        raise NotebookNotFound(msg("jupyter.gone", path=value))
    raise NotebookNotFound(msg("jupyter.unknown"))


def unsaved_changes(path: Path, history: Sequence[str]) -> list[str]:
    """Cells run in this kernel (``history``: IPython's ``In``) that the saved notebook does not
    hold, the grading calls aside: what a grade of the saved file cannot see."""
    import nbformat

    try:
        saved = nbformat.read(str(path), as_version=4)
    except Exception:  # noqa: BLE001 - grading will say what is wrong with the file
        return []
    sources = {_normal(c.source) for c in saved.cells if c.cell_type == "code"}
    return [text for text in history
            if text.strip() and not any(m in text for m in MAGIC_MARKERS) and _normal(text) not in sources]


def _normal(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def grade_notebook(path: Optional[str], questions: Sequence[str], *, worksheet: str = "td5",
                   lang: Optional[str] = None, shell: Any = None) -> Any:
    """Grade the saved notebook and return the displayable result (HTML in a notebook, text in a
    terminal): the report of ``questions`` only when given."""
    from .api import Grader
    from .report.i18n import default_language, text

    namespace = shell.user_ns if shell is not None else {}
    target = Path(path).resolve() if path else notebook_path(namespace)
    lang = lang or default_language()
    notes: list[Msg] = []
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None) or namespace.get("In", [])
    changed = unsaved_changes(target, history) if shell is not None else []
    if changed:
        notes.append(msg("jupyter.unsaved", file=target.name, n=len(changed)))
    report = Grader(worksheet).grade(target, lang=lang)
    known = {q.id for q in report.questions}
    unknown = [q for q in questions if q not in known]
    if unknown:
        notes.append(msg("jupyter.no_question", n=len(unknown), ids=joined(unknown, "comma"),
                         known=joined(sorted(known), "comma")))
    return Result(report, [q for q in questions if q in known], [text(n, lang) for n in notes])


class Result:
    """A graded notebook as a notebook shows it (``_repr_html_``) or a terminal prints it."""

    def __init__(self, report: Any, questions: list[str], notes: list[str]) -> None:
        self.report, self.questions, self.notes = report, questions, notes

    def _repr_html_(self) -> str:
        from .report.html import to_html

        return to_html(self.report, self.questions, notes=self.notes)

    def __repr__(self) -> str:
        from .report.terminal import to_text

        from .report.i18n import titled

        warning = titled(self.report.language, "warning")
        report = self.report if not self.questions else self.report.model_copy(  # its totals are those questions'
            update={"questions": [q for q in self.report.questions if q.id in self.questions]})
        return "\n".join([*(f"{warning} {n}" for n in self.notes), to_text(report)])


def _parser() -> argparse.ArgumentParser:
    from .report.i18n import languages

    parser = argparse.ArgumentParser(prog="%grade", description="Grade this notebook as saved on disk.")
    parser.add_argument("targets", nargs="*", help="questions (II.2) and/or the file's path (.ipynb or .py)")
    parser.add_argument("-w", "--worksheet", default="td5", help="a kit or worksheet (default: the bundled td5)")
    parser.add_argument("--lang", choices=languages())
    return parser


def _is_path(target: str) -> bool:
    """A file to grade (a notebook, a .py, a path), not a question id (II.2)."""
    return target.endswith((".ipynb", ".py")) or "/" in target or os.path.exists(target)


def grade_magic(shell: Any, line: str) -> Any:
    """``%grade [QUESTION ...] [NOTEBOOK.ipynb] [-w KIT] [--lang fr]``."""
    try:
        args = _parser().parse_args(shlex.split(line))
    except SystemExit:  # argparse has printed the usage
        return None
    paths = [t for t in args.targets if _is_path(t)]
    questions = [t for t in args.targets if not _is_path(t)]
    return _graded("%grade", args.lang, paths[0] if paths else None, questions, worksheet=args.worksheet,
                   shell=shell)


def _graded(who: str, lang: Optional[str], path: Optional[str], questions: Sequence[str], **how: Any) -> Any:
    """``grade_notebook``, with a missing notebook or a bad kit said in a line, not a traceback."""
    try:
        return grade_notebook(path, questions, lang=lang, **how)
    except GraderError as exc:
        from .report.i18n import default_language, text

        print(f"{who}: {text(exc.message, lang or default_language())}")
        return None


def check(question: Optional[str] = None, *, path: Optional[str] = None, worksheet: str = "td5",
          lang: Optional[str] = None) -> Any:
    """``grader.check("II.2")``: grade this notebook (as saved) and show one question, or all."""
    from IPython import get_ipython

    return _graded("grader.check", lang, path, [question] if question else [], worksheet=worksheet,
                   shell=get_ipython())


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext grader``: registers ``%grade``."""
    ipython.register_magic_function(lambda line: grade_magic(ipython, line), magic_kind="line", magic_name="grade")
