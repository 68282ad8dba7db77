"""The library entry points: grade a submission against a worksheet (or a kit), stage by stage.

worksheet (or kit) -> answer table (cases, the reference's values, the mistakes' values: built
once per seed) -> plans (the child's jobs) -> child (student code) -> judge -> report. Nothing
here prints.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Optional, Sequence, Union

from . import __name__ as _package
from .judge import assemble, formulas
from .sandbox.hiding import Hiding
from .judge.checks import judge_check
from .errors import KitError, SubmissionError
from .messages import msg, verbatim
from .report.i18n import localized
from .judge.plan import Plan, plan_of
from .report.results import QuestionResult, Report, SubmissionInfo, WorksheetInfo
from .wire.jobs import EncodedJobs
from .sandbox.box import Sandbox
from .sandbox.supervisor import Launcher
from .wire.jobs import Job
from .wire.limits import Limits
from .worksheet.models import Worksheet
from .worksheet.loading import open_worksheet, resolve_worksheet, spec_digest
from .submission.files import load_submission

DEFAULT_WORKSHEET = "td5"


def grader_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(_package)
    except PackageNotFoundError:
        return "0.1.0+source"


def seed_for(sha256: str) -> int:
    """A seed from a digest (a submission's content, a worksheet's files)."""
    return int(sha256[:8], 16)


def hidden_seed(ws: Worksheet) -> int:
    """The default seed of an instructor's grading: from the worksheet's own files (spec and
    reference modules), which students never have, so they cannot know the hidden cases; the same
    worksheet always gives the same seed, so every grade can be reproduced."""
    return seed_for(spec_digest(ws))


class Grader:
    """A worksheet with its trusted reference loaded once (or a kit, which needs none), ready to
    grade many submissions against one answer table per seed.

    ``table``: grade against this answer table (``grade bulk`` builds one for the class and gives
    it to every worker, which then loads no reference at all).
    """

    def __init__(self, worksheet: Union[str, Path, Worksheet, Any] = DEFAULT_WORKSHEET, *,
                 launcher: Optional[Launcher] = None, table: Optional[Any] = None) -> None:
        from .worksheet.kit import Kit, SUFFIX, read_kit

        self.kit: Optional[Kit] = None
        self.source = None if isinstance(worksheet, (Kit, Worksheet)) or str(worksheet) == DEFAULT_WORKSHEET \
            else str(worksheet)
        if isinstance(worksheet, Kit):
            self.kit = worksheet
        elif not isinstance(worksheet, Worksheet) and str(worksheet).endswith(SUFFIX):
            self.kit = read_kit(worksheet)
        elif not isinstance(worksheet, Worksheet) and resolve_worksheet(str(worksheet)).suffix == SUFFIX:
            self.kit = read_kit(resolve_worksheet(str(worksheet)))
        self.reference: Any = None
        if self.kit is not None:
            self.ws, self.predicates = self.kit.ws, self.kit.predicates
            table = table or self.kit.table
        else:
            self.ws = open_worksheet(worksheet)
            if table is None:
                from .worksheet.reference import load_reference

                self.reference = load_reference(self.ws)
                self.predicates = self.reference.predicates
            else:
                from .worksheet.reference import load_predicates

                self.predicates = load_predicates(self.ws.path_of(self.ws.predicates), self.ws.id) \
                    if self.ws.predicates else {}
        self.launcher = launcher  # None: a fresh interpreter per child
        self._tables: dict[int, Any] = {} if table is None else {table.seed: table}
        self._plans: dict[int, list[Plan]] = {}
        self._jobs: dict[int, Any] = {}
        self._hiding = Hiding(self.ws.folders())
        self._has_formulas = bool(self.ws.formulas())
        self._version = grader_version()  # reads the package metadata: once, not per report

    def default_seed(self) -> int:
        """A kit's seed (it holds that seed's cases only); else the worksheet's hidden seed."""
        if self.kit is not None:
            return self.kit.table.seed
        if len(self._tables) == 1 and self.reference is None:
            return next(iter(self._tables))
        return hidden_seed(self.ws)

    def table(self, seed: int) -> Any:
        """The answer table of ``seed``, built once (the last one is kept).

        Raises:
            KitError: a kit asked for another seed than its own.
            InternalError: the reference or a generator fails on a drawn case.
        """
        if seed not in self._tables:
            if self.reference is None:
                raise KitError(self.ws.spec_file or self.ws.id, msg("kit.seed", seed=self.default_seed(), asked=seed))
            from .worksheet.table import build_table

            self._tables = {seed: build_table(self.ws, self.reference, seed, public=seed == self.ws.public_seed)}
            self._plans = {}
        return self._tables[seed]

    def plans(self, table: Any) -> list[Plan]:
        """The plans (the child's jobs) of a table: the same for every submission graded with it."""
        key = id(table)
        if key not in self._plans:
            plans = [plan_of(self.ws, q, c, table.checks[f"{q.id}/{c.id}"].cases, self.predicates,
                             table.checks[f"{q.id}/{c.id}"].lengths) for q in self.ws.questions for c in q.checks]
            jobs = [job for plan in plans for job in plan.jobs]
            if self._has_formulas:  # fetch the submission's formula answers too
                jobs.append(Job(steps=[{"attribute": formulas.ANSWERS_NAME}], timeout=self.ws.limits.call_timeout))
            self._plans, self._jobs = {key: plans}, {key: EncodedJobs(jobs)}  # encoded once, sent to every child
        return self._plans[key]

    def grade(self, path: Union[str, Path], *, seed: Optional[int] = None, limits: Optional[Limits] = None,
              lang: str = "en", hide: Sequence[Union[str, Path]] = (), inputs: Optional[str] = None) -> Report:
        """Grade one file; see ``grade_submission``. ``hide`` adds folders the child must not see;
        ``inputs`` names where the cases came from in the report (default: the kit or the worksheet)."""
        started = time.monotonic()
        ws = self.ws
        submission = load_submission(path)
        seed = self.default_seed() if seed is None else int(seed)
        table = self.table(seed)
        plans = self.plans(table)
        limits = limits or ws.limits
        hidden = self._hiding.paths(path, hide)
        encoded = self._jobs[id(table)]
        jobs = encoded.jobs
        with Sandbox(submission.chunks, limits, hide=hidden, launcher=self.launcher) as box:
            result = box.run(jobs, encoded)
            outcomes = result.outcomes if result.load_ok else [None] * len(jobs)
            outcomes = assemble.explain_missing(outcomes, submission, result)
            free_text = assemble.free_text_of(ws, submission, result.load_ok, plans, outcomes)
            evidences, offset = [], 0
            for plan in plans:
                count = len(plan.jobs)
                evidences.append(judge_check(ws, plan, outcomes[offset:offset + count], mistakes=table.mistakes,
                                             free_text=free_text.get(plan.full_id)))
                offset += count
            if self._has_formulas and result.load_ok and outcomes[-1] is not None and outcomes[-1].status == "ok":
                formulas.apply(ws, evidences, outcomes[-1].outputs[0][0], table=table.formulas)
            if result.load_ok:
                assemble.second_pass(ws, evidences, table, box)
        by_question: dict[str, list] = {q.id: [] for q in ws.questions}
        for evidence in evidences:  # each check's result, made once from all that was found
            by_question[evidence.plan.question.id].append(evidence.result())
        warnings = list(submission.warnings) + [msg("sandbox.note", note=verbatim(note)) for note in result.notes]
        if result.dropped:
            warnings.append(msg("output.dropped", n=result.dropped, cap=limits.output_kb))
        report = Report(
            grader_version=self._version,
            worksheet=WorksheetInfo(id=ws.id, title=ws.title, version=ws.version, source=self.source),
            submission=SubmissionInfo(path=str(path), sha256=submission.sha256, format=submission.format),  # type: ignore[arg-type]
            seed=seed, inputs=inputs or ("kit" if self.kit is not None else "worksheet"),  # type: ignore[arg-type]
            isolation=list(result.isolation),
            load=assemble.load_result(result, submission.path),
            questions=[QuestionResult(id=q.id, title=q.title, checks=by_question[q.id]) for q in ws.questions],
            stdout=result.stdout, stderr=result.stderr, output_dropped=result.dropped,
            warnings=warnings, duration=round(time.monotonic() - started, 4),
        )
        return localized(report, lang, extra=dict(table.translations.get(lang, ())),
                         hints={m.id: dict(m.hint) for m in table.mistakes})


def grade_submission(
    path: Union[str, Path],
    worksheet: Union[str, Path, Worksheet] = DEFAULT_WORKSHEET,
    *,
    seed: Optional[int] = None,
    limits: Optional[Limits] = None,
    lang: str = "en",
    launcher: Optional[Launcher] = None,
) -> Report:
    """Grade one ``.py`` or ``.ipynb`` file and return its report.

    Args:
        path: the submission.
        worksheet: a ``Worksheet``, a spec file or folder, or a bundled worksheet name.
        seed: seed of every random input; default: a kit's own, or the worksheet's hidden seed.
        limits: override the worksheet's resource limits.
        lang: language of the messages and hints, ``en`` or ``fr``.
        launcher: how sandboxed children start (default: a fresh interpreter each).

    Raises:
        SubmissionError: the file cannot be read. (Code that fails is a report, not an error.)
        SpecError: the worksheet is invalid.
    """
    return Grader(worksheet, launcher=launcher).grade(path, seed=seed, limits=limits, lang=lang)


__all__ = ["DEFAULT_WORKSHEET", "Grader", "SubmissionError", "grade_submission", "open_worksheet", "seed_for"]
