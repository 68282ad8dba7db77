"""The library entry points: grade a submission against a worksheet, stage by stage.

spec -> inputs and expected values (reference, in this process) -> child (student code)
-> comparison -> report. Nothing here prints.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path
from typing import Optional, Sequence, Union

from . import __name__ as _package
from . import formulas, freetext, gradcheck, shrink
from .checks import FreeText, judge_check
from .plan import plan_check
from .i18n import localize
from .errors import SubmissionError
from .reference import load_reference
from .results import CellError, LoadResult, QuestionResult, Report, SubmissionInfo, WorksheetInfo
from .sandbox import Job, Launcher, Sandbox, SandboxResult
from .spec import Limits, ManualCheck, Worksheet
from .specfile import load_worksheet, resolve_worksheet
from .submission import Submission, defining_chunks, load_submission, source_literals

DEFAULT_WORKSHEET = "td5"


def grader_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(_package)
    except PackageNotFoundError:
        return "0.1.0+source"


def seed_for(sha256: str) -> int:
    """The default seed: derived from the submission's content, so a re-run gives the same report."""
    return int(sha256[:8], 16)


def open_worksheet(worksheet: Union[str, Path, Worksheet]) -> Worksheet:
    """A worksheet from a model, a spec path, or the name of a bundled worksheet."""
    if isinstance(worksheet, Worksheet):
        return worksheet
    return load_worksheet(resolve_worksheet(str(worksheet)))


class _Hiding:
    """Which folders the child must not see: the worksheet and its reference modules, the grader's
    own files (and any installed copy with bundled references), plus per submission its folder
    (other students' work) and any ``extra`` (e.g. bulk output). A folder that holds the Python
    installation is never hidden (the child needs it). The fixed part is computed once."""

    def __init__(self, ws: Worksheet) -> None:
        package = Path(__file__).resolve().parent
        candidates = [Path(ws.base_dir), ws.path_of(ws.reference).parent, package]
        candidates += [ws.path_of(m).parent for m in (ws.generators, ws.mistakes) if m]
        for name in ("exercises", "reference"):  # a source checkout keeps these beside the package
            candidates.append(package.parent / name)
        for entry in sys.path:  # any other installed copy of the grader, with its bundled references
            if entry and any((Path(entry) / "grader" / n).exists() for n in ("__init__.py", "_content")):
                candidates.append(Path(entry) / "grader")
        self.needed = [Path(p).resolve() for p in {sys.prefix, sys.base_prefix, sys.executable, *_module_dirs()}]
        self.fixed = self._allowed(candidates, [])

    def _allowed(self, candidates: Sequence[Path], hide: list[str]) -> list[str]:
        for path in candidates:
            path = path.resolve()
            if not path.exists() or any(n == path or path in n.parents for n in self.needed):
                continue
            if str(path) not in hide:
                hide.append(str(path))
        return hide

    def paths(self, submission: Union[str, Path], extra: Sequence[Union[str, Path]] = ()) -> list[str]:
        return self._allowed([Path(submission).resolve().parent, *map(Path, extra)], list(self.fixed))


def _module_dirs() -> list[str]:
    import numpy

    return [str(Path(numpy.__file__).resolve().parent.parent)]


def _load_result(result: SandboxResult, path: str) -> LoadResult:
    errors = [
        CellError(where=str(e.get("file") or Path(path).name), exception=str(e.get("exception", "Error")),
                  message=str(e.get("message", "")), line=e.get("line") if isinstance(e.get("line"), int) else None,
                  code=e.get("code") if isinstance(e.get("code"), str) else None,
                  traceback=str(e.get("traceback", ""))[-4000:], interrupted=e.get("interrupted") is True)
        for e in result.load_errors if isinstance(e, dict)
    ]
    if result.load_ok:
        return LoadResult(ok=True, errors=errors)
    if errors:
        first = errors[-1]
        where = f"{first.where}, line {first.line}" if first.line else first.where
        message = f"the submission does not load: {first.exception}: {first.message} ({where})"
    else:
        message = f"the submission does not load: {result.load_message or 'the child never answered'}"
    return LoadResult(ok=False, message=message, errors=errors)


def _second_pass(ws: Worksheet, plans: list, results: list, reference, seed: int, box: Sandbox) -> list:
    """For failed checks: smaller failing inputs and gradient diagnoses, in one more round of calls
    (in the child of the first round when it is still there)."""
    shrinks = {i: shrink.candidates(ws, plan, results[i], reference, seed)
               for i, plan in enumerate(plans) if results[i].status == "failed"}
    shrinks = {i: c for i, c in shrinks.items() if c is not None}
    probes = {i: gradcheck.probe(ws, plan, reference, seed,
                                 {p.name for p in results[i].parts if p.status == "failed"} if results[i].parts else None)
              for i, plan in enumerate(plans) if results[i].status == "failed"}
    probes = {i: p for i, p in probes.items() if p is not None}
    jobs = [job for c in shrinks.values() for job in c.jobs] + [p.job for p in probes.values()]
    if not jobs:
        return results
    second = box.run(jobs)
    outcomes = second.outcomes if second.load_ok else [None] * len(jobs)
    offset = 0
    for i, found in shrinks.items():
        results[i] = shrink.apply(ws, found, results[i], outcomes[offset:offset + len(found.jobs)])
        offset += len(found.jobs)
    for i, found in probes.items():
        diagnosis = gradcheck.diagnose(found, outcomes[offset])
        offset += 1
        if diagnosis:
            results[i] = results[i].model_copy(update={"diagnosis": diagnosis})
    return results


def _free_text(ws: Worksheet, submission: Submission, load_ok: bool) -> dict[str, FreeText]:
    """Per manual check, where else its answer may be: the notebook's markdown sections that
    answer its question, and the literal assignment of its variable in the source."""
    manual = [(q.id, c) for q in ws.questions for c in q.checks if isinstance(c, ManualCheck)]
    if not manual:
        return {}
    sections = freetext.match(submission.sections, [q for q, _ in manual]) if submission.sections else {}
    literals = source_literals(submission.chunks, {c.answer for _, c in manual})
    out = {}
    for qid, check in manual:
        literal = literals.get(check.answer)
        out[f"{qid}/{check.id}"] = FreeText(
            tuple(sections.get(qid, ())), (literal[0], literal[1].filename, literal[2]) if literal else None, load_ok)
    return out


def _explain_missing(outcomes: list, submission: Submission, result: SandboxResult) -> list:
    """Outcomes of functions not defined because the cell that defines them raised or was
    interrupted, saying so (the cell, what happened, its line), instead of only "not defined"."""
    failed = {str(e.get("file")): e for e in result.load_errors if isinstance(e, dict) and e.get("file")}
    if not failed or not any(o is not None and o.status == "missing" for o in outcomes):
        return outcomes
    defined_in = defining_chunks(submission.chunks)
    explained = {}
    for name, chunks in defined_in.items():
        chunk = next((c for c in reversed(chunks) if c.filename in failed), None)
        if chunk is None:
            continue
        error = failed[chunk.filename]
        line = f" (line {error['line']})" if isinstance(error.get("line"), int) else ""
        what = ("was interrupted (the cell time limit)" if error.get("interrupted") is True
                else f"raised {str(error.get('exception', 'an error'))[:80]}{line}")
        explained[name] = f"function {name}() is not defined: {chunk.filename} defines it, but {what} before the " \
                          f"definition ran"
    return [dataclasses.replace(o, message=explained[o.function])
            if o is not None and o.status == "missing" and o.function in explained else o for o in outcomes]


class Grader:
    """A worksheet with its trusted reference loaded once, ready to grade many submissions."""

    def __init__(self, worksheet: Union[str, Path, Worksheet] = DEFAULT_WORKSHEET, *,
                 launcher: Optional[Launcher] = None) -> None:
        self.ws = open_worksheet(worksheet)
        self.reference = load_reference(self.ws)
        self.launcher = launcher  # None: a fresh interpreter per child
        self._hiding = _Hiding(self.ws)
        self._has_formulas = bool(self.ws.formulas())
        self._version = grader_version()  # reads the package metadata: once, not per report

    def grade(self, path: Union[str, Path], *, seed: Optional[int] = None, limits: Optional[Limits] = None,
              lang: str = "en", hide: Sequence[Union[str, Path]] = ()) -> Report:
        """Grade one file; see ``grade_submission``. ``hide`` adds folders the child must not see."""
        started = time.monotonic()
        ws, reference = self.ws, self.reference
        submission = load_submission(path)
        seed = seed_for(submission.sha256) if seed is None else int(seed)
        limits = limits or ws.limits
        hidden = self._hiding.paths(path, hide)
        plans = [plan_check(ws, q, c, reference, seed) for q in ws.questions for c in q.checks]
        jobs = [job for plan in plans for job in plan.jobs]
        if self._has_formulas:  # fetch the submission's formula answers too
            jobs.append(Job(steps=[{"attribute": formulas.ANSWERS_NAME}], timeout=ws.limits.call_timeout))
        with Sandbox(submission.chunks, limits, hide=hidden, launcher=self.launcher) as box:
            result = box.run(jobs)
            outcomes = result.outcomes if result.load_ok else [None] * len(jobs)
            outcomes = _explain_missing(outcomes, submission, result)
            free_text = _free_text(ws, submission, result.load_ok)
            results, offset = [], 0
            for plan in plans:
                count = len(plan.jobs)
                results.append(judge_check(ws, plan, outcomes[offset:offset + count], reference=reference,
                                           free_text=free_text.get(plan.full_id)))
                offset += count
            if self._has_formulas and result.load_ok and outcomes[-1] is not None and outcomes[-1].status == "ok":
                results = formulas.apply(ws, [p.check for p in plans], results, outcomes[-1].outputs[0][0],
                                         reference, seed)
            if result.load_ok:
                results = _second_pass(ws, plans, results, reference, seed, box)
        by_question: dict[str, list] = {q.id: [] for q in ws.questions}
        for plan, check_result in zip(plans, results):
            by_question[plan.question.id].append(check_result)
        warnings = list(submission.warnings) + [f"sandbox: {note}" for note in result.notes]
        if result.dropped:
            warnings.append(f"{result.dropped} bytes of the submission's output were dropped (cap "
                            f"{limits.output_kb} KiB per stream)")
        report = Report(
            grader_version=self._version,
            worksheet=WorksheetInfo(id=ws.id, title=ws.title, version=ws.version),
            submission=SubmissionInfo(path=str(path), sha256=submission.sha256, format=submission.format),  # type: ignore[arg-type]
            seed=seed,
            isolation=list(result.isolation),
            load=_load_result(result, submission.path),
            questions=[QuestionResult(id=q.id, title=q.title, checks=by_question[q.id]) for q in ws.questions],
            stdout=result.stdout, stderr=result.stderr, output_dropped=result.dropped,
            warnings=warnings, duration=round(time.monotonic() - started, 4),
        )
        if lang != "en":
            report = localize(report, lang, extra=reference.translations.get(lang, ()), hints=reference.hint_texts())
        return report


def grade_submission(
    path: Union[str, Path],
    worksheet: Union[str, Path, Worksheet] = DEFAULT_WORKSHEET,
    *,
    seed: Optional[int] = None,
    limits: Optional[Limits] = None,
    lang: str = "en",
) -> Report:
    """Grade one ``.py`` or ``.ipynb`` file and return its report.

    Args:
        path: the submission.
        worksheet: a ``Worksheet``, a spec file or folder, or a bundled worksheet name.
        seed: seed of every random input; default derived from the submission's content.
        limits: override the worksheet's resource limits.
        lang: language of the messages and hints, ``en`` or ``fr``.

    Raises:
        SubmissionError: the file cannot be read. (Code that fails is a report, not an error.)
        SpecError: the worksheet is invalid.
    """
    return Grader(worksheet).grade(path, seed=seed, limits=limits, lang=lang)


__all__ = ["DEFAULT_WORKSHEET", "Grader", "SubmissionError", "grade_submission", "open_worksheet", "seed_for"]
