"""Formula answers: equivalent forms pass, wrong ones fail (with the hint of the mistake they
match), the domain's relations are respected, hostile strings are refused unexecuted."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from conftest import BASE, EXAMPLES
from grader.worksheet.checkbase import SymbolSpec
from grader.worksheet.formula_points import agree, sample_points
from grader.worksheet.symbolic import FormulaError, compile_formula, compile_relation

SPEC = {"d": SymbolSpec(integer=True), "n_h": SymbolSpec(integer=True), "sigma": SymbolSpec(),
        "lambda_min": SymbolSpec(), "lambda_max": SymbolSpec()}
NAMES = [*SPEC, "kappa"]
KAPPA = {"kappa": compile_formula("lambda_max/lambda_min", list(SPEC))}
ORDERED = [compile_relation("lambda_min <= lambda_max", NAMES)]


def parse(text: str):
    return compile_formula(text, NAMES)


def differs_at(expected: str, actual: str, relations=()) -> list[dict]:
    points = sample_points(SPEC, KAPPA, list(relations), seed=3)
    e, a = parse(expected), parse(actual)
    return [p for p in points if not agree(e(p), a(p))]


def same(expected: str, actual: str, relations=()) -> bool:
    return not differs_at(expected, actual, relations)


@pytest.mark.parametrize("answer", ["sqrt(2)/sqrt(d+n_h)", "(2/(n_h+d))**0.5", "sqrt(2/(d + n_h))",
                                    "2**(1/2) * (d+n_h)^(-1/2)", "sqrt(4/(2*d + 2*n_h))"])
def test_equivalent_forms_pass(answer):
    assert same("sqrt(2/(d + n_h))", answer)


@pytest.mark.parametrize("answer", ["2/sqrt(d+n_h)", "sqrt(2/d)", "sqrt(2)/(d+n_h)", "sqrt(1/(d+n_h))"])
def test_wrong_forms_fail(answer):
    assert not same("sqrt(2/(d + n_h))", answer)


@pytest.mark.parametrize("expected, answer", [("(kappa - 1)/(kappa + 1)", "Abs(kappa-1)/(kappa+1)"),
                                              ("2/lambda_max", "2/Max(lambda_min, lambda_max)"),
                                              ("2/(lambda_min + lambda_max)", "2/(Min(lambda_min, lambda_max) + lambda_max)")])
def test_answers_right_on_the_domain_pass_only_where_its_relations_hold(expected, answer):
    assert not same(expected, answer)  # outside the domain (lambda_min > lambda_max at some points) they differ
    assert same(expected, answer, ORDERED)


def test_every_sample_point_meets_the_relations_and_the_assumptions():
    points = sample_points(SPEC, KAPPA, ORDERED, seed=11, count=200)
    assert all(p["lambda_min"] <= p["lambda_max"] and p["kappa"] >= 1 for p in points)
    assert all(p["d"] == int(p["d"]) >= 1 and p["sigma"] > 0 for p in points)
    impossible = [compile_relation("lambda_min > lambda_max", NAMES), *ORDERED]
    with pytest.raises(FormulaError, match="hold at too few points"):
        sample_points(SPEC, KAPPA, impossible, count=2, tries=5)


@pytest.mark.parametrize("number", [0, 0.0, -2, 1.5])
def test_a_plain_number_is_a_formula(number):
    assert compile_formula(number, NAMES)({}) == float(number)


@pytest.mark.parametrize("text, value", [("sqrt(-1)", "nan"), ("1/(d-d)", "nan"), ("exp(1000)", "inf"),
                                         ("log(0)", "nan"), ("(-8)**(1/3)", "nan"), ("d**d**d", "inf")])
def test_undefined_values_are_nan_or_inf_not_exceptions(text, value):
    assert str(parse(text)({"d": 40.0})) == value


def test_a_relation_must_compare():
    for bad in ("lambda_min + lambda_max", "lambda_min == lambda_max", "lambda_min <= "):
        with pytest.raises(FormulaError):
            compile_relation(bad, NAMES)


@pytest.mark.parametrize("hostile", [
    "__import__('os').system('touch /tmp/grader-pwned')",
    "().__class__.__bases__[0].__subclasses__()",
    "d.__class__",
    "9**9**9**9",
    "10**(10**10)",
    "d**1000",
    "lambda: 0",
    "[x for x in (1,)]",
    "open('/etc/passwd')",
    "exec('1')",
    "d" + "+d" * 500,
    "sqrt(d, base=2)",
    "unknown_symbol + 1",
])
def test_hostile_strings_are_refused_quickly(hostile):
    start = time.perf_counter()
    with pytest.raises(FormulaError):
        parse(hostile)
    assert time.perf_counter() - start < 5  # refusing never waits on evaluation


def test_sympy_expression_from_a_submission(make_submission, grade):
    source = BASE.replace("def glorot_sigma(d, n_h):\n    return np.sqrt(2 / (d + n_h))\n", "") + '''
import sympy
_d, _n = sympy.symbols("d n_h", positive=True)
ANSWERS = {"I.2 glorot_sigma": sympy.sqrt(2) / sympy.sqrt(_d + _n),
           "III.4 convergence_rate": "(lambda_max - lambda_min)/(lambda_max + lambda_min)"}
'''
    report = grade(make_submission(source=source))
    check = next(c for c in report.checks() if c.id == "I.2/glorot_sigma")
    assert check.status == "passed" and "formula answer" in check.message.text
    assert report.score == 28


def test_formula_answers_replace_missing_functions(make_submission, grade):
    source = BASE.replace("def optimal_step(H):", "def _unused(H):").replace("def max_step(H):", "def _unused2(H):") + '''
ANSWERS = {"III.4 optimal_step": "2/(lambda_max + lambda_min)", "III.4 max_step": "1/lambda_max",
           "III.2 quadratic_value": "__import__('os').system('echo pwned')"}
'''
    report = grade(make_submission(source=source))
    statuses = {c.id: (c.status, c.message.text if c.message else "") for c in report.checks()}
    assert statuses["III.4/optimal_step"][0] == "passed"
    assert statuses["III.4/max_step"][0] == "failed" and "differs" in statuses["III.4/max_step"][1]
    assert statuses["III.2/quadratic_value"][0] == "passed"  # the function is defined: it is graded, not the formula


def test_hostile_formula_in_answers_is_a_failed_answer(make_submission, grade):
    source = BASE.replace("def max_step(H):", "def _unused(H):") + \
        "\nANSWERS = {'III.4 max_step': \"__import__('os').system('touch /tmp/grader-pwned')\"}\n"
    report = grade(make_submission(source=source))
    check = next(c for c in report.checks() if c.id == "III.4/max_step")
    assert check.status == "failed" and "refused" in check.message.text
    import os

    assert not os.path.exists("/tmp/grader-pwned")


def test_sympy_is_imported_only_when_needed():
    code = ("import sys; from grader.api import grade_submission; "
            f"grade_submission({str(EXAMPLES / 'partial.py')!r}, 'td5'); print('sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr


def _without(*functions: str) -> str:
    source = BASE
    for name in functions:
        source = source.replace(f"def {name}(", f"def _unused_{name}(")
    return source


def test_answers_right_on_the_worksheets_domain_and_plain_numbers_pass(make_submission, grade):
    source = _without("convergence_rate", "max_step", "preactivation_stats") + '''
import numpy
ANSWERS = {"III.4 convergence_rate": "Abs(kappa-1)/(kappa+1)", "III.4 max_step": "2/Max(lambda_min, lambda_max)",
           "I.1 mean": 0, "I.1 variance": "sigma**2 * d"}
'''
    report = grade(make_submission(source=source))
    checks = {c.id: c for c in report.checks()}
    for cid in ("III.4/convergence_rate", "III.4/max_step", "I.1/preactivation_stats"):
        assert checks[cid].status == "passed", (cid, checks[cid].message.text)
    assert report.score == 28


def test_a_numpy_number_and_a_sympy_float_are_answers_too(make_submission, grade):
    source = _without("preactivation_stats", "glorot_sigma") + '''
import sympy
_d, _n = sympy.symbols("d n_h", positive=True, integer=True)
ANSWERS = {"I.1 mean": np.float64(0.0), "I.1 variance": "d*sigma**2",
           "I.2 glorot_sigma": sympy.sqrt(sympy.Float(2.0) / (_d + _n))}
'''
    report = grade(make_submission(source=source))
    assert {c.id: c.status for c in report.checks()}["I.1/preactivation_stats"] == "passed"
    assert {c.id: c.status for c in report.checks()}["I.2/glorot_sigma"] == "passed"


@pytest.mark.parametrize("key, function, answer, mistake", [
    ("III.4 optimal_step", "optimal_step", "1/lambda_max", "optimal-step-one-over-max"),
    ("I.2 glorot_sigma", "glorot_sigma", "2/sqrt(d + n_h)", "glorot-sigma-sheet-typo"),
    ("III.4 convergence_rate", "convergence_rate", "1 - 1/kappa", "rate-one-minus-inverse-kappa"),
    ("III.2 quadratic_value", "quadratic_value", "c_star + H*(w - w_star)**2", "quadratic-missing-half"),
])
def test_a_wrong_formula_answer_gets_the_hint_of_the_mistake_it_makes(make_submission, grade, key, function,
                                                                       answer, mistake):
    report = grade(make_submission(source=_without(function) + f"\nANSWERS = {{{key!r}: {answer!r}}}\n"))
    check = next(c for c in report.checks() if function in c.id)
    assert check.status == "failed" and "differs at" in check.message.text
    assert [h.id for h in check.hints] == [mistake]


def test_a_wrong_formula_outside_the_catalogue_gets_no_hint(make_submission, grade):
    report = grade(make_submission(source=_without("optimal_step") + "\nANSWERS = {'III.4 optimal_step': '3/lambda_max'}\n"))
    check = next(c for c in report.checks() if c.id == "III.4/optimal_step")
    assert check.status == "failed" and check.hints == []
