"""Check kinds, judged without a child process: the outcomes a child would send, made here from the
reference (or from a known mistake), go through each kind's judging into one result."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import TD5
from grader.api import Grader
from grader.judge import formulas
from grader.judge.checks import judge_check
from grader.judge.kinds import KINDS, MODELS, kind_of
from grader.judge.kinds.manual import FreeText
from grader.messages import english
from grader.report.i18n import text
from grader.submission.freetext import Section
from grader.wire.jobs import JobOutcome
from grader.worksheet.steps import run_steps


@pytest.fixture(scope="module")
def grader():
    return Grader(TD5)


@pytest.fixture(scope="module")
def plans(grader):
    table = grader.table(7)
    return {p.full_id: p for p in grader.plans(table)}, table


def _answered(plan, function):
    """The outcome of every case when the student's functions are ``function(name, args)``."""
    outcomes = []
    for case, job in zip(plan.cases, plan.jobs):
        outputs = run_steps(plan.check, case.inputs, function, plan.template)
        sent = [[_pick(out, path) for path in step["send"]] for out, step in zip(outputs, job.steps)]
        outcomes.append(JobOutcome(status="ok", outputs=sent, duration=0.001))
    return outcomes


def _pick(value, path):
    """As the child picks an item (or, for the path ``"len"``, counts them)."""
    if path == "len":
        return len(value)
    for i in path:
        value = value[i]
    return value


def test_every_kind_is_its_models_kind_and_a_worksheet_knows_them_all():
    assert set(KINDS) == {"compare", "pipeline", "property", "statistical", "manual"}
    for name, kind in KINDS.items():
        assert kind.name == name and kind.model in MODELS
        assert kind.model.model_fields["kind"].annotation.__args__ == (name,)


def test_a_compare_check_passes_the_reference_and_fails_a_known_mistake_with_its_hint(grader, plans):
    by_id, table = plans
    plan = by_id["I.2/glorot_sigma"]
    right = judge_check(grader.ws, plan, _answered(plan, grader.reference.call), mistakes=table.mistakes).result()
    assert (right.status, right.points, right.cases_passed) == ("passed", 1.0, len(plan.cases))
    typo = next(m for m in grader.reference.mistakes if m.id == "glorot-sigma-sheet-typo")

    def wrong(name, args):
        return grader.reference.apply(typo.variant, args) if name == "glorot_sigma" else grader.reference.call(name, args)

    failed = judge_check(grader.ws, plan, _answered(plan, wrong), mistakes=table.mistakes).result()
    assert failed.status == "failed" and failed.points == 0 and failed.failure.expected is not None
    assert [h.id for h in failed.hints] == ["glorot-sigma-sheet-typo"]
    assert failed.message.code == "compare.value_differs"


def test_students_of_one_table_each_see_their_own_values_beside_the_cases_shared_ones(grader, plans):
    # a worker grades a whole class against one table, whose cases keep what the report shows of
    # their inputs and expected values: each student still gets their own value, and the failures
    # a table of their own would give (here one part wrong, then the other, then both)
    by_id, table = plans
    fresh_table = Grader(TD5).table(7)
    fresh = {p.full_id: p for p in Grader(TD5).plans(fresh_table)}
    plan = by_id["II.1/bn_backward_params"]

    def scaled(dgamma, dbeta):
        def student(name, args):
            out = grader.reference.call(name, args)
            return (out[0], dgamma * out[1], dbeta * out[2]) if name == "bn_backward" else out
        return student

    for factors in ((1.0, 2.0), (3.0, 1.0), (2.0, 2.0), (1.0, 3.0)):
        shared = judge_check(grader.ws, plan, _answered(plan, scaled(*factors)), mistakes=table.mistakes).result()
        alone = judge_check(grader.ws, fresh[plan.full_id], _answered(fresh[plan.full_id], scaled(*factors)),
                            mistakes=fresh_table.mistakes).result()
        assert [p.failure for p in shared.parts] == [p.failure for p in alone.parts]
        for part, factor in zip(shared.parts, factors):
            assert (part.failure is None) == (factor == 1.0)
            if part.failure is not None:
                assert part.failure.inputs and part.failure.expected is not None
                assert np.allclose(part.failure.actual.value, factor * np.asarray(part.failure.expected.value))


def test_a_statistical_check_judges_the_law_and_shows_no_expected_value(grader, plans):
    by_id, table = plans
    plan = by_id["I.2/glorot_normal"]
    assert kind_of(plan.check).name == "statistical" and not plan.kind.shows_expected
    right = judge_check(grader.ws, plan, _answered(plan, grader.reference.call), mistakes=table.mistakes).result()
    assert right.status == "passed" and right.tolerance is None

    def too_wide(name, args):
        return grader.reference.call(name, args) * np.sqrt(2)

    failed = judge_check(grader.ws, plan, _answered(plan, too_wide), mistakes=table.mistakes).result()
    assert failed.status == "failed" and failed.failure.expected is None
    assert "spread is wrong" in english(failed.message.data())
    assert "glorot-normal-sheet-typo" in [h.id for h in failed.hints]


def test_a_property_check_words_its_predicates_problems_in_the_reports_language(grader, plans):
    by_id, table = plans
    plan = by_id["III.1/gradient_counterexample"]

    def pointing_at_the_optimum(name, args):
        return np.eye(2), np.array([1.0, 1.0]), np.zeros(2)

    failed = judge_check(grader.ws, plan, _answered(plan, pointing_at_the_optimum), mistakes=table.mistakes).result()
    assert failed.status == "failed"
    assert "colinear" in text(failed.message, "en") and "colinéaire" in text(failed.message, "fr")


def test_a_pipeline_check_scores_its_parts_apart(grader, plans):
    by_id, table = plans
    plan = by_id["II.1/bn_backward_params"]

    def dbeta_doubled(name, args):
        out = grader.reference.call(name, args)
        return (out[0], out[1], 2 * out[2]) if name == "bn_backward" else out

    result = judge_check(grader.ws, plan, _answered(plan, dbeta_doubled), mistakes=table.mistakes).result()
    statuses = {p.name: (p.status, p.points) for p in result.parts}
    assert statuses == {"dgamma": ("passed", 1.5), "dbeta": ("failed", 0.0)}
    assert result.status == "failed" and result.points == 1.5 and result.message.code == "join.semicolon"


def test_an_error_outweighs_a_wrong_value_and_its_first_case_is_shown(grader, plans):
    by_id, table = plans
    plan = by_id["I.1/good_sigma"]
    outcomes = _answered(plan, lambda name, args: -1.0)  # wrong everywhere
    outcomes[3] = JobOutcome(status="raised", function="good_sigma", exception="ValueError", message=None,
                             line=4, duration=0.0)
    result = judge_check(grader.ws, plan, outcomes, mistakes=table.mistakes).result()
    assert result.status == "error" and result.failure.case == 3 and result.cases_passed == 0


def test_a_missing_function_answered_by_a_formula_is_settled_by_its_verdict(grader, plans):
    by_id, table = plans
    plan = by_id["III.4/max_step"]
    missing = [JobOutcome(status="missing", function="max_step", duration=0.0) for _ in plan.cases]
    evidence = judge_check(grader.ws, plan, missing, mistakes=table.mistakes)
    assert evidence.result().status == "missing"
    formulas.apply(grader.ws, [evidence], {"III.4 max_step": "2/lambda_max"}, table=table.formulas)
    passed = evidence.result()
    assert passed.status == "passed" and passed.points == passed.max_points and passed.message.code == "formula.answer"
    evidence = judge_check(grader.ws, plan, missing, mistakes=table.mistakes)
    formulas.apply(grader.ws, [evidence], {"III.4 max_step": "1/lambda_max"}, table=table.formulas)
    wrong = evidence.result()
    assert wrong.status == "failed" and wrong.failure is None and "differs" in english(wrong.message.data())


def test_a_manual_check_takes_its_answer_from_the_code_else_the_markdown(grader, plans):
    by_id, _ = plans
    plan = by_id["I.2/comment"]
    assert not plan.kind.calls and plan.jobs[0].steps == [{"attribute": plan.check.answer}]
    said = judge_check(grader.ws, plan, [JobOutcome(status="ok", outputs=[["Because."]], duration=0.0)]).result()
    assert (said.status, said.answer, said.message.code) == ("manual", "Because.", "manual.by_hand")
    section = Section(heading="I.2", body="In markdown.", cell="cell 3", tag=None)
    unset = JobOutcome(status="missing", function="ANSWER_I_2", duration=0.0)
    found = judge_check(grader.ws, plan, [unset], free_text=FreeText((section,))).result()
    assert found.answer == "In markdown." and found.points == 0
    none = judge_check(grader.ws, plan, [unset], free_text=FreeText()).result()
    assert none.answer is None and none.message.code == "manual.none"
