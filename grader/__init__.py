"""grader: an automatic grader for numeric Python coursework.

Library first: ``grade_submission`` grades one file and returns a ``Report``; the ``grade``
command is a thin layer over it.
"""

from .api import grade_submission
from .errors import GraderError, InternalError, SandboxError, SpecError, SubmissionError
from .results import Report, report_schema
from .spec import Worksheet
from .specfile import load_worksheet, resolve_worksheet

__version__ = "0.1.0"

__all__ = [
    "GraderError",
    "InternalError",
    "Report",
    "SandboxError",
    "SpecError",
    "SubmissionError",
    "Worksheet",
    "__version__",
    "grade_submission",
    "load_worksheet",
    "report_schema",
    "resolve_worksheet",
]
