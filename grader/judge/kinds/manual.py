"""``manual``: a free-text answer, graded by hand. The child reads the variable that holds it
(``ANSWER_I_2``); a notebook's markdown that answers the question, or the assignment read from the
source when the code stops before it, stand in; the report carries the text and says where it
came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Optional

from pydantic import Field

from ...messages import Msg, joined, msg
from ...submission.freetext import Section
from ...wire.jobs import Job
from ...worksheet.checkbase import IDENT, BaseCheck
from .base import Defined, Kind


class ManualCheck(BaseCheck):
    """A free-text answer graded by hand; the submission's text is copied into the report."""

    kind: Literal["manual"]
    prompt: str = Field(description="the question, shown to the grader with each answer")
    answer: str = Field(pattern=IDENT, description="module-level name holding the answer, e.g. ANSWER_I_2")


@dataclass(frozen=True)
class FreeText:
    """Where a manual check's answer may come from besides the variable the child reads: the
    markdown sections that answer its question, the literal assignment in the source (read even
    when the code stops before it), and whether the submission loaded."""

    sections: tuple[Section, ...] = ()
    literal: Optional[tuple[str, str, int]] = None  # (text, file or cell, line)
    load_ok: bool = True


class Manual(Kind):
    name = "manual"
    model = ManualCheck
    calls = False
    shows_expected = False

    def job(self, check: ManualCheck, timeout: float) -> Job:
        """The child's one job: read the answer's variable."""
        return Job(steps=[{"attribute": check.answer}], timeout=timeout)

    def answer(self, check: ManualCheck, question_id: str, outcome: Any,
               found: FreeText) -> tuple[Optional[str], Msg]:
        """The answer to grade by hand, and where it came from (or why there is none)."""
        name = check.answer
        from_code = None
        if outcome is not None and outcome.status == "ok":
            value = outcome.outputs[0][0]
            from_code = value.strip() if isinstance(value, str) and value.strip() else None
        tagged = [s for s in found.sections if s.tag is not None]
        markdown = (tagged or list(found.sections))[-1 if not tagged else 0] if found.sections else None
        if from_code and markdown is not None:
            return from_code, msg("manual.code_over_markdown", variable=name, heading=markdown.heading[:60],
                                  cell=markdown.cell, question=question_id)
        if from_code:
            return from_code, msg("manual.by_hand")
        if markdown is not None:
            if len(found.sections) > 1:
                return markdown.body, msg("manual.several_cells", cells=joined([s.cell for s in found.sections], "comma"),
                                          question=question_id, cell=markdown.cell)
            return markdown.body, msg("manual.by_hand")
        if found.literal is not None:
            text, where, line = found.literal
            return text, msg("manual.from_source", variable=name, where=where, line=line)
        return None, (msg("manual.none_not_loaded", variable=name) if not found.load_ok
                      else msg("manual.none", variable=name, question=question_id))

    def spec_problems(self, check: Any, where: str, defined: Defined) -> list[str]:
        return []


KIND = Manual()
