"""The grader's exceptions: faults of the author, the input, or the grader itself.

Everything a *student's code* does (raise, loop, crash, print) is data in a report, never an
exception past the sandbox. The tree::

    GraderError
    ├── SpecError(ValueError)        the worksheet spec is invalid; names the file and key path
    ├── SubmissionError(ValueError)  the submission file cannot be read (missing, not text, bad notebook)
    ├── OutputError(OSError)         a report or results folder cannot be written where asked
    ├── SandboxError(RuntimeError)   the child process could not be started or spoke nonsense
    └── InternalError(RuntimeError)  a bug in the grader (or in a reference solution)
"""

from __future__ import annotations


class GraderError(Exception):
    """Base class of every error the grader raises on purpose."""


class SpecError(GraderError, ValueError):
    """An invalid worksheet spec: the message names the file, the key path and the reason."""

    def __init__(self, path: object, problems: list[str] | str) -> None:
        self.path = str(path)
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"invalid worksheet spec {self.path}:\n{lines}")


class SubmissionError(GraderError, ValueError):
    """A submission that cannot be read at all (as opposed to one whose code fails)."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class OutputError(GraderError, OSError):
    """Where the user asked for the output (a report file, a results folder) cannot be written."""

    def __init__(self, path: object, reason: OSError | str) -> None:
        self.path = str(path)
        why = reason if isinstance(reason, str) else reason.strerror or str(reason)
        super().__init__(f"{self.path}: cannot write there: {why}")


class SandboxError(GraderError, RuntimeError):
    """The sandboxed child could not be started, or its channel broke in an unexpected way."""


class InternalError(GraderError, RuntimeError):
    """A bug in the grader or in a trusted reference; never the student's fault."""
