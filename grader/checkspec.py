"""``grade check-spec``: prove a worksheet sound before it reaches students.

1. the spec is valid (errors name the file, the key path and the line);
2. the reference scores full marks on K seeds, through the whole pipeline (sandbox included);
3. every catalogued mistake loses points on the checks that call its function, on every seed tried
   (a mistake the spec cannot detect is a spec bug);
4. each check's kind proves what it must of itself: the reference sampler of a statistical check
   is run many times, and its observed failure rate must be zero (each test's false-failure bound
   is proven in ``stats.py``);
5. formula answers: the expected formulas agree with the reference; the kit (the public cases)
   is sound on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InternalError, SpecError
from .judge.kinds import kind_of
from .judge.plan import plan_check
from .worksheet.loading import load_worksheet, resolve_worksheet
from .worksheet.models import Worksheet
from .worksheet.reference import Reference, load_reference
from .messages import Msg, joined, listed, msg


@dataclass
class Finding:
    what: Msg
    ok: bool
    detail: Msg


@dataclass
class SpecCheck:
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)

    def add(self, what: Msg, ok: bool, detail: Msg) -> None:
        self.findings.append(Finding(what, ok, detail))


def _reference_file(ws: Worksheet) -> Path:
    return ws.path_of(ws.reference)


def check_reference(ws: Worksheet, seeds: int, out: SpecCheck) -> None:
    """The reference, graded like a student's file, must lose no point on any seed."""
    from .api import grade_submission

    lost: list[Msg] = []
    for seed in range(seeds):
        report = grade_submission(_reference_file(ws), ws, seed=seed)
        for c in report.checks():
            if c.status not in ("passed", "manual"):
                lost.append(msg("spec.lost", seed=seed, check=c.id, status=msg(f"status.{c.status}"),
                                message=(c.message.text if c.message else "")[:120]))
    out.add(msg("spec.reference_seeds", n=seeds), not lost,
            msg("spec.full_marks") if not lost else msg("spec.lost_checks", n=len(lost), first=lost[0]))


def _variant_scores_full(ws: Worksheet, reference: Reference, mistake, seed: int) -> list[str]:
    """The checks calling ``mistake``'s function, if it scores full marks on every one of them
    with this seed (so the spec cannot tell it from the right answer); else an empty list. The
    check's kind says whether a case tells them apart (``Kind.caught``)."""
    undetected, targeted = [], 0
    for q in ws.questions:
        for check in q.checks:
            if mistake.function not in check.functions():
                continue
            plan = plan_check(ws, q, check, reference, seed)
            targeted += 1
            caught = False
            for case in plan.cases:
                try:
                    caught = plan.kind.caught(ws, check, plan, case, mistake, reference, seed)
                except Exception:
                    caught = True  # the variant crashes on this input: a student's version would fail too
                if caught:
                    break
            if not caught:
                undetected.append(f"{q.id}/{check.id}")
    return undetected if targeted and len(undetected) == targeted else []


def check_mistakes(ws: Worksheet, reference: Reference, seeds: int, out: SpecCheck) -> None:
    if not reference.mistakes:
        out.add(msg("spec.catalogue"), True, msg("spec.no_catalogue"))
        return
    problems = []
    called = {f for q in ws.questions for c in q.checks for f in c.functions()}
    for mistake in reference.mistakes:
        if mistake.function not in called:  # a misspelt name: no check could ever catch it
            problems.append(msg("spec.mistake_uncalled", mistake=mistake.id, function=mistake.function))
            continue
        for seed in range(seeds):
            missed = _variant_scores_full(ws, reference, mistake, seed)
            if missed:
                problems.append(msg("spec.not_caught", mistake=mistake.id, checks=joined(missed, "comma"), seed=seed))
                break
    out.add(msg("spec.mistakes_seeds", n=len(reference.mistakes), seeds=seeds), not problems,
            msg("spec.all_caught") if not problems else joined(problems[:5]))


def check_kinds(ws: Worksheet, reference: Reference, runs: int, out: SpecCheck) -> None:
    """What each check's kind proves of itself (a sampler's reference never fails its tests)."""
    for q in ws.questions:
        for check in q.checks:
            def draw(seed: int, q=q, check=check) -> list:
                return plan_check(ws, q, check, reference, seed).cases

            for what, ok, detail in kind_of(check).soundness(ws, q, check, reference, runs, draw):
                out.add(what, ok, detail)


def check_formulas(ws: Worksheet, reference: Reference, seeds: int, out: SpecCheck) -> None:
    """Each expected formula must agree with the reference's function at the points where answers
    are judged (its inputs built from each point), and those points must exist."""
    from .worksheet import formula_table as formulas
    from .worksheet import formula_points
    from .worksheet.steps import pick

    targets = formulas.targets(ws)
    if not targets:
        return
    problems, compared = [], 0
    for seed in range(seeds):
        table = formulas.build_table(ws, reference, seed)
        for check, part, formula in targets:
            case = table[formula.key]
            index = check.parts[part].index if check.parts else []
            for point, expected in zip(case.points, case.expected):
                args = formulas.point_inputs(ws, check, formula, point, reference.helpers)
                if args is None:
                    break
                try:
                    value = formulas.as_number(pick(reference.call(check.steps()[0].function, args), index))
                except Exception as exc:
                    problems.append(msg("spec.formula_reference_fails", key=formula.key, point=str(point),
                                        exception=type(exc).__name__, text=str(exc)))
                    break
                compared += 1
                if math.isfinite(expected) and not formula_points.agree(expected, value):
                    shown = ", ".join(f"{k}={v:.4g}" for k, v in point.items() if k in case.names)
                    problems.append(msg("spec.formula_disagrees", key=formula.key, formula=repr(formula.expected),
                                        expected=f"{expected:.6g}", point=shown, value=f"{value:.6g}"))
                    break
    out.add(msg("spec.formulas_seeds", n=len(targets), seeds=seeds), not problems,
            msg("spec.formulas_agree", n=compared) if not problems else joined(problems[:3]))


def check_kit(ws: Worksheet, reference: Reference, out: SpecCheck) -> None:
    """The kit students get (the public seed's table) must be sound on its own: the reference,
    graded through it, scores full marks, and every catalogued mistake is caught on its public
    cases alone (a kit with too few public cases to catch one is a finding)."""
    from .api import Grader
    from .worksheet.table import build_table

    seed = ws.public_seed
    table = build_table(ws, reference, seed, public=True)
    report = Grader(ws, table=table).grade(_reference_file(ws), seed=seed)
    lost = [msg("spec.check_status", check=c.id, status=msg(f"status.{c.status}"))
            for c in report.checks() if c.status not in ("passed", "manual")]
    missed = [m.id for m in reference.mistakes if _variant_scores_full(ws, reference, m, seed)]
    problems = ([msg("spec.kit_loses", checks=joined(lost, "comma"))] if lost else []) + \
        ([msg("spec.kit_misses", mistakes=joined(missed, "comma"))] if missed else [])
    cases = sum(len(t.cases) for t in table.checks.values())
    out.add(msg("spec.kit", seed=seed, n=cases), not problems,
            msg("spec.kit_sound") if not problems else joined(problems))


def _hint_languages(mistakes: list, out: SpecCheck) -> None:
    """A note (not a problem) for each language some hints are written in and others not: a
    student reading that language gets those in English (or in their first language)."""
    languages = sorted({lang for m in mistakes for lang in m.hint})
    for lang in languages:
        lacking = [m.id for m in mistakes if lang not in m.hint]
        if lacking:
            out.add(msg("spec.hint_language", lang=lang), True,
                    msg("spec.hints_lacking", n=len(lacking), lang=lang, ids=listed(lacking, 4)))


def worksheet_texts(ws: Worksheet) -> set[str]:
    """The worksheet's own texts a report shows, which its ``[translations]`` may translate."""
    texts = {ws.title}
    for q in ws.questions:
        texts.add(q.title)
        for c in q.checks:
            texts.update(t for t in (c.id, c.title, *(p.name for p in c.parts)) if t)
    return texts


def check_translations(ws: Worksheet, out: SpecCheck) -> None:
    """Each language's translations must translate texts the worksheet has (a typo would leave the
    text untranslated, silently); a text left untranslated is a note."""
    texts = worksheet_texts(ws)
    for lang, pairs in sorted(ws.translations.items()):
        unknown = sorted(set(pairs) - texts)
        if unknown:
            out.add(msg("spec.translations", lang=lang), False,
                    msg("spec.translations_unknown", n=len(unknown), texts=listed(unknown, 4)))
        else:
            out.add(msg("spec.translations", lang=lang), True, msg("spec.translations_count", n=len(pairs)))


def check_spec(path: str, *, seeds: int = 100, mistake_seeds: int = 5, sampler_runs: int = 300) -> SpecCheck:
    out = SpecCheck()
    try:
        ws = load_worksheet(resolve_worksheet(path))
    except SpecError as exc:
        out.add(msg("spec.spec"), False, exc.message)
        return out
    out.add(msg("spec.spec"), True, msg("spec.summary", id=ws.id, version=ws.version,
                                         questions=msg("spec.questions", n=len(ws.questions)),
                                         checks=msg("spec.checks", n=sum(len(q.checks) for q in ws.questions)),
                                         points=msg("points.count", max=f"{ws.max_points:g}", n=ws.max_points)))
    try:
        reference = load_reference(ws)
    except SpecError as exc:
        out.add(msg("spec.reference"), False, exc.message)
        return out
    _hint_languages(reference.mistakes, out)
    check_translations(ws, out)
    for what, run in ((msg("spec.reference_seeds", n=seeds), lambda: check_reference(ws, seeds, out)),
                      (msg("spec.catalogue"), lambda: check_mistakes(ws, reference, mistake_seeds, out)),
                      (msg("spec.formulas"), lambda: check_formulas(ws, reference, mistake_seeds, out)),
                      (msg("spec.kit_plain"), lambda: check_kit(ws, reference, out)),
                      (msg("spec.samplers"), lambda: check_kinds(ws, reference, sampler_runs, out))):
        try:
            run()
        except InternalError as exc:  # the reference or a generator fails on a drawn case: a finding
            out.add(what, False, exc.message)
    return out


def findings_text(result: SpecCheck, lang: str = "en", color: bool = False) -> str:
    """The findings as a table, then the verdict, worded in ``lang``."""
    import io

    from rich.console import Console
    from rich.table import Table

    from .report.i18n import text

    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("")
    table.add_column(text(msg("spec.column_check"), lang))
    table.add_column(text(msg("spec.column_result"), lang), overflow="fold")
    for f in result.findings:
        table.add_row("✓" if f.ok else "✗", text(f.what, lang), text(f.detail, lang))
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, no_color=not color, force_terminal=color,
                      force_jupyter=False)  # text, even where a notebook runs it
    console.print(table)
    console.print(text(msg("spec.sound" if result.ok else "spec.problems"), lang))
    return buffer.getvalue()
