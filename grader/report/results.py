"""Report models: frozen, versioned, and the single source of every output format.

Totals (per question and per submission) are computed from the checks, never stored twice; they
appear in the JSON as read-only fields and are ignored when a report is read back. Every message is
a ``Message``: a code of the catalogue and its parameters (so that a reader, an LMS say, can word it
its own way) and its text in the report's language.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, computed_field, model_validator

from ..messages import Msg

REPORT_SCHEMA_VERSION = 2

Status = Literal["passed", "failed", "error", "timeout", "missing", "manual"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_computed(cls, data: Any) -> Any:
        # Computed totals are written out for readers, but a report read back recomputes them.
        if isinstance(data, dict) and cls.model_computed_fields:
            data = {k: v for k, v in data.items() if k not in cls.model_computed_fields}
        return data


class Message(_Model):
    """A message: its code in the catalogue, its parameters (numbers, strings, lists, nested
    messages as ``{"code", "params"}``) and its text in the report's language."""

    code: str = Field(description="the message's code in the catalogue, e.g. compare.value_differs")
    params: dict[str, Any] = Field(default_factory=dict, description="the values it names")
    text: str = Field("", description="the message worded in the report's language")

    def data(self) -> Msg:
        return Msg(self.code, self.params)


def plain_params(value: Any) -> Any:
    """Parameters as JSON: nested messages as ``{"code", "params"}``, a verbatim text as its string."""
    if isinstance(value, Msg):
        if value.code == "text" and len(value.params) == 1:
            return plain_params(value.params.get("text", ""))
        return {"code": value.code, "params": {k: plain_params(v) for k, v in value.params.items()}}
    if isinstance(value, Message):
        return {"code": value.code, "params": value.params}
    if isinstance(value, dict):
        return {k: plain_params(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_params(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _as_message(value: Any) -> Any:
    if isinstance(value, Msg):
        return {"code": value.code, "params": plain_params(value.params)}
    return value


MessageField = Annotated[Message, BeforeValidator(_as_message)]


def as_message(value: Any) -> Optional[Message]:
    """A ``Message`` from a ``Msg`` (or a ``Message``, or None), for a copy's update (not validated)."""
    if value is None or isinstance(value, Message):
        return value
    return Message(code=value.code, params=plain_params(value.params))


class Value(_Model):
    """A value as shown to a person: its type, shape, full content when small, and a short text."""

    type: str = Field(description="Python type, e.g. ndarray, float, tuple")
    shape: Optional[list[int]] = None
    dtype: Optional[str] = None
    value: Any = Field(None, description="the full value as JSON when small (NaN/inf become null)")
    text: str = Field(description="short human-readable rendering")
    items: Optional[list["Value"]] = Field(None, description="items of a tuple or list")
    note: Optional[MessageField] = Field(None, description="what words say of it (a big array's summary, why "
                                                          "an item is missing); text is then its wording")


class Failure(_Model):
    """The first failing case of a check or part: what was called, what came back, what was expected."""

    case: int = Field(description="case number (0-based) within the check")
    edge_case: bool = Field(description="true for a hand-written edge case, false for a random one")
    call: str = Field(description="the call, written as Python")
    inputs: dict[str, Value] = Field(default_factory=dict)
    expected: Optional[Value] = None
    actual: Optional[Value] = None
    message: MessageField
    max_abs_error: Optional[float] = None
    max_rel_error: Optional[float] = None
    mismatched: Optional[int] = Field(None, description="number of elements outside the tolerance")
    shrunk_from: Optional[int] = Field(None, description="the failing case this smaller one was found from")
    shrunk_from_edge: Optional[bool] = Field(None, description="whether that case was an edge case")
    public: bool = Field(False, description="the case is one of the public cases (in the students' kit)")
    line: Optional[int] = Field(None, description="line of the submission where an exception was raised")
    traceback: Optional[str] = None


class Hint(_Model):
    """A known mistake the student's outputs match on every failing case."""

    id: str = Field(description="the mistake's id in the worksheet's catalogue")
    text: str


class PartResult(_Model):
    name: str
    shown_name: Optional[str] = Field(None, description="the name in the report's language, when the worksheet "
                                                        "translates it")
    status: Status
    points: float
    max_points: float
    message: Optional[MessageField] = None
    failure: Optional[Failure] = None
    max_abs_error: Optional[float] = Field(None, description="largest absolute error over the cases run")
    max_rel_error: Optional[float] = Field(None, description="largest relative error over the cases run")
    hints: list[Hint] = Field(default_factory=list)


def join_part_messages(parts: list[PartResult]) -> Optional[Msg]:
    """A check's message from its parts: the failing part's message, or ``name: message; ...``."""
    from ..messages import joined, msg

    failing = [r for r in parts if r.status != "passed"]
    if not failing:
        return None
    if len(parts) == 1:
        return failing[0].message.data() if failing[0].message else None
    return joined([msg("check.part", name=r.name, message=r.message.data() if r.message else msg("text", text=""))
                   for r in failing])


class ManualGrade(_Model):
    """The points a teacher gave a free-text answer (``grade review``), with their comment."""

    points: float
    comment: str = ""
    rubric: list[str] = Field(default_factory=list, description="the rubric items applied, each with its points")
    grader: str = ""
    when: str = ""
    answer_changed: bool = Field(False, description="the answer is not the one graded (handed in again since)")


class Override(_Model):
    """Points a teacher gave instead of an automatic check's, and why."""

    automatic_points: float
    reason: str
    grader: str = ""
    when: str = ""


class CheckResult(_Model):
    id: str = Field(description="question id and check id, e.g. II.1/bn_forward")
    kind: str
    title: str = ""
    shown_name: Optional[str] = Field(None, description="the check's name in the report's language, when the "
                                                        "worksheet translates it")
    shown_title: Optional[str] = Field(None, description="the title in the report's language, when the worksheet "
                                                         "translates it")
    functions: list[str] = Field(description="the student functions this check calls")
    status: Status
    points: float
    max_points: float
    message: Optional[MessageField] = None
    parts: list[PartResult] = Field(default_factory=list)
    failure: Optional[Failure] = None
    cases_run: int = 0
    cases_passed: int = 0
    cases_public: int = Field(0, description="cases run that are public (in the students' kit); the others are hidden")
    tolerance: Optional[dict[str, float]] = None
    hidden: bool = False
    answer: Optional[str] = Field(None, description="free-text answer found in the submission (manual checks)")
    hints: list[Hint] = Field(default_factory=list, description="known mistakes that explain the failure")
    diagnosis: Optional[MessageField] = Field(None, description="e.g. whether a forward or a backward pass is wrong")
    warnings: list[MessageField] = Field(default_factory=list,
                                description="what the check saw that costs no point, e.g. an input changed in place")
    duration: float = Field(0.0, description="seconds spent in the student's code for this check")
    graded_by_hand: Optional[ManualGrade] = Field(None, description="a manual check's grade, once given: its points "
                                                                      "are then in points")
    override: Optional[Override] = Field(None, description="the teacher's points instead of the automatic ones "
                                                           "(which it keeps)")

    @property
    def pending(self) -> bool:
        """A free-text answer not graded yet."""
        return self.status == "manual" and self.graded_by_hand is None


class QuestionResult(_Model):
    id: str
    title: str
    shown_title: Optional[str] = Field(None, description="the title in the report's language, when the worksheet "
                                                         "translates it")
    checks: list[CheckResult]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.checks), 6)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def max_score(self) -> float:
        return round(sum(c.max_points for c in self.checks), 6)


class CellError(_Model):
    """An error while running the submission's top level (a notebook cell, or the module)."""

    where: str = Field(description="file, or notebook cell, where it happened")
    exception: str
    message: MessageField
    line: Optional[int] = None
    code: Optional[str] = None
    traceback: str = ""
    interrupted: bool = Field(False, description="stopped by the cell time limit")


class LoadResult(_Model):
    ok: bool = Field(description="the submission's definitions are available for grading")
    message: Optional[MessageField] = None
    errors: list[CellError] = Field(default_factory=list)


class SubmissionInfo(_Model):
    path: str
    sha256: str
    format: Literal["py", "ipynb"]
    student_id: Optional[str] = Field(None, description="set by bulk grading")
    student_name: Optional[str] = None


class WorksheetInfo(_Model):
    id: str
    title: str
    shown_title: Optional[str] = Field(None, description="the title in the report's language, when the worksheet "
                                                         "translates it")
    version: str
    source: Optional[str] = Field(None, description="the spec or kit graded with, as given (none: the bundled kit)")


class Report(_Model):
    """Everything one grading run found out about one submission."""

    schema_version: Literal[2] = REPORT_SCHEMA_VERSION
    grader_version: str
    language: str = Field("en", description="the language of every message's text (the codes are the same in all)")
    worksheet: WorksheetInfo
    submission: SubmissionInfo
    seed: int = Field(description="re-run with --seed to reproduce every input")
    inputs: Literal["kit", "worksheet", "class", "student"] = Field(
        "worksheet", description="where the cases came from: a kit's public cases, the worksheet's own (drawn from "
                                 "the seed, with the reference), one table for the whole class, or per student")
    isolation: list[str] = Field(description="isolation layers that were in force for the child")
    load: LoadResult
    questions: list[QuestionResult]
    stdout: str = Field("", description="what the submission printed (capped)")
    stderr: str = Field("", description="what the submission wrote to stderr (capped)")
    output_dropped: int = Field(0, description="bytes of output dropped beyond the cap")
    warnings: list[MessageField] = Field(default_factory=list)
    duration: float = Field(0.0, description="wall seconds for the whole grading")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def score(self) -> float:
        """Points earned: the automatic checks', and those given by hand so far."""
        return round(sum(q.score for q in self.questions), 6)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def max_score(self) -> float:
        """The worksheet's whole maximum: its automatic points and those graded by hand, given yet or not."""
        return round(sum(q.max_score for q in self.questions), 6)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def manual_pending(self) -> float:
        """Points that await a human grader (free-text answers)."""
        return round(sum(c.max_points for q in self.questions for c in q.checks if c.pending), 6)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def percent(self) -> float:
        """``score`` out of the points graded so far (``max_score - manual_pending``), in percent."""
        auto = self.max_score - self.manual_pending
        return round(100.0 * self.score / auto, 2) if auto > 0 else 0.0

    def checks(self) -> list[CheckResult]:
        return [c for q in self.questions for c in q.checks]


def report_schema() -> dict[str, Any]:
    """The JSON Schema of a report as written by ``grade --format json``."""
    schema = Report.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://grader.invalid/report/v{REPORT_SCHEMA_VERSION}.json"
    return schema
