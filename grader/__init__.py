"""grader: an automatic grader for numeric Python coursework.

Library first: ``grade_submission`` grades one file and returns a ``Report``; the ``grade``
command is a thin layer over it.

The names below are imported when first used (PEP 562), not by ``import grader``: importing a
submodule (the ``grade`` command's ``grader.cli``, the sandbox's ``codec``) does not load numpy,
pydantic and the whole engine before it needs them.
"""

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "grade_submission": "api",
    "GraderError": "errors",
    "InternalError": "errors",
    "SandboxError": "errors",
    "SpecError": "errors",
    "SubmissionError": "errors",
    "Report": "report.results",
    "report_schema": "report.results",
    "Worksheet": "worksheet.models",
    "load_worksheet": "worksheet.loading",
    "resolve_worksheet": "worksheet.loading",
    "check": "jupyter",
    "load_ipython_extension": "jupyter",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
