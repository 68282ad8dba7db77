"""The ``grade`` command: arguments -> library call -> renderer -> exit code. The only module that prints.

Everything it says (its help, its errors, its last line) is a message of the catalogue, worded in
the language of ``--lang`` or of the locale; argparse's own words (``usage:``, ``error:``, and its
error sentences, ``parsing.ARGPARSE_ERRORS``) are given in it too.
"""

from __future__ import annotations

import os
import sys
from typing import Optional, Sequence

from ..messages import msg
from .authoring import cmd_check_spec, cmd_kit, cmd_new
from .classroom import bulk_line, cmd_bulk
from .grading import cmd_grade, cmd_schema, grade_parser
from .parsing import ExitCode, guarded, language, print_error
from .review import cmd_gradebook, cmd_review
from .serving import cmd_serve

__all__ = ["ExitCode", "bulk_line", "guarded", "main"]

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _one_blas_thread() -> None:
    """One BLAS thread per process, unless the user set otherwise: ``grade bulk`` already runs a
    worker per core, and an idle BLAS thread spins on a core for a while after each call (a
    reference doing large matrix products made every worker's neighbour wait: measured 2.5 times
    slower). Read by numpy's BLAS when it loads, so this runs before anything imports numpy."""
    for name in BLAS_THREADS:
        os.environ.setdefault(name, "1")


COMMANDS = {"schema": cmd_schema, "bulk": cmd_bulk, "check-spec": cmd_check_spec, "kit": cmd_kit, "new": cmd_new,
            "review": cmd_review, "gradebook": cmd_gradebook, "serve": cmd_serve}


def _near_command(word: str) -> Optional[str]:
    """The command ``word`` is a slip of, when it names no file and has no suffix of one."""
    import difflib

    if word.startswith("-") or os.path.splitext(word)[1] or os.path.exists(word):
        return None
    close = difflib.get_close_matches(word, list(COMMANDS), n=1, cutoff=0.75)
    return close[0] if close else None


def main(argv: Optional[Sequence[str]] = None) -> int:
    _one_blas_thread()
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = language(argv)

    def run() -> int:
        if argv and argv[0] in COMMANDS:
            return COMMANDS[argv[0]](argv[1:], lang)
        near = _near_command(argv[0]) if argv else None
        if near is not None:  # grade bulkk CLASS: a mistyped command, not a missing file
            print_error(lang, "grade", msg("cli.unknown_command", word=argv[0], command=near))
            return ExitCode.USAGE
        archive = grade_parser(lang).parse_known_args(argv)[0].file
        if archive.lower().endswith(".zip"):
            print_error(lang, "grade", msg("cli.zip", path=archive))
            return ExitCode.USAGE
        return cmd_grade(argv, lang)

    return guarded(run, lang)
