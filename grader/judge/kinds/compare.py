"""``compare``: one student function against the reference on the same inputs, output by output,
within the worksheet's tolerance (``judge/compare.py`` says how values are compared)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ...worksheet.checkbase import IDENT, CalledCheck, Step
from .base import Kind


class CompareCheck(CalledCheck):
    """Student vs reference on the same inputs, output by output."""

    kind: Literal["compare"]
    function: str = Field(pattern=IDENT, description="the student function called")
    args: list[str] = Field(default_factory=list, description="the input names passed to it, in order")

    def steps(self) -> list[Step]:
        return [Step(function=self.function, args=self.args)]


class Compare(Kind):
    name = "compare"
    model = CompareCheck


KIND = Compare()
