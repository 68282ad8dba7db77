"""From a sandbox run to check results: what the child must not see, the load's outcome, the
cells that explain a missing function, where free-text answers are, and the second pass (smaller
failing inputs, gradient diagnoses) of failed checks. ``api.Grader`` calls these in order.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from ..submission import freetext
from . import gradcheck, shrink
from ..messages import msg, verbatim
from ..report.results import CellError, LoadResult
from ..sandbox.box import Sandbox, SandboxResult
from ..worksheet.models import Worksheet
from .evidence import Evidence
from .kinds import kind_of
from .kinds.manual import FreeText
from ..submission.files import Submission, defining_chunks, source_literals
from ..submission.notebook import place


def _cell_message(e: dict) -> Any:
    """What went wrong in a cell or the module: the student's own exception text, or (an interrupted
    cell) how long it ran and where it was when stopped."""
    if e.get("interrupted") is not True:
        return verbatim(str(e.get("message", "")))
    seconds = f"{float(e['seconds']):g}" if isinstance(e.get("seconds"), (int, float)) else "?"
    if isinstance(e.get("within"), str) and isinstance(e.get("within_line"), int):
        return msg("cell.interrupted_within", seconds=seconds, function=e["within"][:200],
                   cell=place(str(e.get("within_file", ""))[:300]), line=e["within_line"])
    return msg("cell.interrupted", seconds=seconds)


def load_result(result: SandboxResult, path: str) -> LoadResult:
    errors = [
        CellError(where=str(e.get("file") or Path(path).name), exception=str(e.get("exception", "Error")),
                  message=_cell_message(e), line=e.get("line") if isinstance(e.get("line"), int) else None,
                  code=e.get("code") if isinstance(e.get("code"), str) else None,
                  traceback=str(e.get("traceback", ""))[-4000:], interrupted=e.get("interrupted") is True)
        for e in result.load_errors if isinstance(e, dict)
    ]
    if result.load_ok:
        return LoadResult(ok=True, errors=errors)
    if errors:
        first = errors[-1]
        shown = dict(exception=first.exception, text=first.message.data(), where=place(first.where))
        reason = msg("load.raised_line", line=first.line, **shown) if first.line else msg("load.raised", **shown)
        if first.exception == "MemoryError" and shown["text"] == verbatim(""):  # not one the code raised itself
            reason = msg("load.out_of_memory", where=place(first.where))
    else:
        reason = result.load_message or msg("crash.never_answered")
    message = msg("load.failed", reason=reason)
    return LoadResult(ok=False, message=message, errors=errors)


def second_pass(ws: Worksheet, evidences: list[Evidence], table: Any, box: Sandbox) -> None:
    """For failed checks: smaller failing inputs and gradient diagnoses, in one more round of calls
    (in the child of the first round when it is still there), from the answer table's candidates;
    what they find is added to each check's evidence."""
    failed = [e for e in evidences if e.status == "failed"]
    shrinks = [(e, shrink.candidates(e.plan, e, table.checks[e.plan.full_id].shrink)) for e in failed]
    shrinks = [(e, c) for e, c in shrinks if c is not None]
    probes = [(e, gradcheck.probe(ws, e.plan, table.checks[e.plan.full_id].probe,
                                  {e.parts[i].name for i in e.failed()} if e.plan.check.parts else None))
              for e in failed]
    probes = [(e, p) for e, p in probes if p is not None]
    jobs = [job for _, c in shrinks for job in c.jobs] + [p.job for _, p in probes]
    if not jobs:
        return
    second = box.run(jobs)
    outcomes = second.outcomes if second.load_ok else [None] * len(jobs)
    offset = 0
    for evidence, found in shrinks:
        shrink.apply(ws, found, evidence, outcomes[offset:offset + len(found.jobs)])
        offset += len(found.jobs)
    for evidence, probe in probes:
        evidence.diagnosis = gradcheck.diagnose(probe, outcomes[offset])
        offset += 1


def free_text_of(ws: Worksheet, submission: Submission, load_ok: bool, plans: list, outcomes: list) -> dict[str, FreeText]:
    """Per manual check, where else its answer may be: the notebook's markdown sections that
    answer its question, and the literal assignment of its variable in the source (looked for,
    by parsing the source, only when the child could not read the variable)."""
    manual = [(q.id, c) for q in ws.questions for c in q.checks if not kind_of(c).calls]
    if not manual:
        return {}
    sections = freetext.match(submission.sections, [q for q, _ in manual]) if submission.sections else {}
    unread, offset = set(), 0
    for plan in plans:
        if not plan.kind.calls:
            outcome = outcomes[offset]
            value = outcome.outputs[0][0] if outcome is not None and outcome.status == "ok" else None
            if not (isinstance(value, str) and value.strip()):
                unread.add(plan.check.answer)
        offset += len(plan.jobs)
    literals = source_literals(submission.chunks, unread) if unread else {}
    out = {}
    for qid, check in manual:
        literal = literals.get(check.answer)
        out[f"{qid}/{check.id}"] = FreeText(
            tuple(sections.get(qid, ())), (literal[0], literal[1].filename, literal[2]) if literal else None, load_ok)
    return out


def explain_missing(outcomes: list, submission: Submission, result: SandboxResult) -> list:
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
        shown = dict(function=name, cell=place(chunk.filename))
        if error.get("interrupted") is True:
            explained[name] = msg("outcome.undefined_cell_interrupted", **shown)
        elif isinstance(error.get("line"), int):
            explained[name] = msg("outcome.undefined_cell_raised_line", exception=str(error.get("exception"))[:80],
                                  line=error["line"], **shown)
        else:
            explained[name] = msg("outcome.undefined_cell_raised", exception=str(error.get("exception"))[:80], **shown)
    return [dataclasses.replace(o, message=explained[o.function])
            if o is not None and o.status == "missing" and o.function in explained else o for o in outcomes]


