"""The grader's exceptions: faults of the author, the input, or the grader itself.

Everything a *student's code* does (raise, loop, crash, print) is data in a report, never an
exception past the sandbox. The tree::

    GraderError
    ├── SpecError(ValueError)        the worksheet spec is invalid; names the file and key path
    │   ├── NoWorksheet              there is no worksheet where, or of the name, the user gave
    │   └── KitError                 a kit file that cannot be used: damaged, not a kit, another format
    ├── SubmissionError(ValueError)  the submission file cannot be read (missing, not text, bad notebook)
    ├── OutputError(OSError)         a report or results folder cannot be written where asked
    ├── SandboxError(RuntimeError)   the child process could not be started or spoke nonsense
    └── InternalError(RuntimeError)  a bug in the grader (or in a reference solution)
"""

from __future__ import annotations

from typing import Union

from .messages import Msg, english, joined, msg, verbatim


class GraderError(Exception):
    """Base class of every error the grader raises on purpose. Its ``message`` is a message of the
    catalogue (``str()`` words it in English; the command words it in the user's language)."""

    def __init__(self, message: Union[Msg, str]) -> None:
        self.message = message if isinstance(message, Msg) else verbatim(str(message))
        super().__init__(english(self.message))


class SpecError(GraderError, ValueError):
    """An invalid worksheet spec: the message names the file, the key path and the reason."""

    def __init__(self, path: object, problems: Union[list[Union[str, Msg]], str, Msg]) -> None:
        self.path = str(path)
        items = [problems] if isinstance(problems, (str, Msg)) else list(problems)
        self.problems = [p if isinstance(p, Msg) else verbatim(str(p)) for p in items]
        super().__init__(msg("error.spec", path=self.path, problems=joined(self.problems, "bullet")))


class NoWorksheet(SpecError):
    """No worksheet at the path, or of the name, the user gave: not an invalid one, a missing one."""

    def __init__(self, path: object, problem: Union[str, Msg]) -> None:
        super().__init__(path, problem)
        GraderError.__init__(self, msg("error.no_worksheet", path=self.path, problem=self.problems[0]))


class KitError(SpecError):
    """A kit that cannot be used (truncated, corrupt, not a kit, of another format): a student
    holds kits, so what is wrong is said in their language."""

    def __init__(self, path: object, problem: Msg) -> None:
        super().__init__(path, problem)
        GraderError.__init__(self, msg("error.kit", path=self.path, problem=problem))


class SubmissionError(GraderError, ValueError):
    """A submission that cannot be read at all (as opposed to one whose code fails)."""

    def __init__(self, path: object, reason: Union[Msg, str]) -> None:
        self.path = str(path)
        self.reason = reason if isinstance(reason, Msg) else verbatim(reason)
        super().__init__(msg("error.submission", path=self.path, reason=self.reason))


class OutputError(GraderError, OSError):
    """Where the user asked for the output (a report file, a results folder) cannot be written."""

    def __init__(self, path: object, reason: Union[OSError, str, Msg]) -> None:
        self.path = str(path)
        why = reason if isinstance(reason, Msg) else verbatim(reason if isinstance(reason, str)
                                                            else reason.strerror or str(reason))
        super().__init__(msg("error.output", path=self.path, reason=why))


class SandboxError(GraderError, RuntimeError):
    """The sandboxed child could not be started, or its channel broke in an unexpected way."""


class InternalError(GraderError, RuntimeError):
    """A bug in the grader or in a trusted reference; never the student's fault."""
