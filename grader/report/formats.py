"""The output formats a report renders to: the one registry of their names, each with the
function that renders it, imported only when that format is asked for (the command lists the
names before anything heavy is loaded, and ``terminal`` alone needs ``rich``)."""

from __future__ import annotations

import importlib
from typing import Callable

from ..errors import GraderError
from ..messages import joined, msg

# name -> "module:function"; the function takes the report, ``width`` and ``color``
FORMATS: dict[str, str] = {
    "terminal": "grader.report.terminal:render_terminal",
    "json": "grader.report.render:render_json",
    "gradescope": "grader.report.render:render_gradescope",
    "junit": "grader.report.render:render_junit",
    "html": "grader.report.html:render_html",
}


class UnknownFormat(GraderError, ValueError):
    """A format name that is not in ``FORMATS``."""


def renderer(name: str) -> Callable[..., str]:
    """The function that renders format ``name``.

    Raises:
        UnknownFormat: no format has that name.
    """
    if name not in FORMATS:
        raise UnknownFormat(msg("format.unknown", name=name, known=joined(list(FORMATS), "comma")))
    module, function = FORMATS[name].split(":")
    return getattr(importlib.import_module(module), function)
