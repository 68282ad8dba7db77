"""``pipeline``: several calls in one child, later ones fed the student's own earlier outputs
(``bn_backward`` given the cache of the student's ``bn_forward``); each part scores one item of
one step's output, against the reference run the same way."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ...worksheet.checkbase import CalledCheck, Step
from .base import Kind


class PipelineCheck(CalledCheck):
    """Several calls in one child, later ones fed the student's own earlier outputs."""

    kind: Literal["pipeline"]
    pipeline: list[Step] = Field(min_length=1, description="the calls, in order")

    def steps(self) -> list[Step]:
        return list(self.pipeline)


class Pipeline(Kind):
    name = "pipeline"
    model = PipelineCheck


KIND = Pipeline()
