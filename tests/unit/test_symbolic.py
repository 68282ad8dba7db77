"""Formula answers: equivalent forms pass, wrong ones fail, hostile strings are refused unexecuted."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from conftest import BASE, EXAMPLES
from grader.spec import SymbolSpec
from grader.symbolic import FormulaError, equivalent, make_symbols, parse

SPEC = {"d": SymbolSpec(integer=True), "n_h": SymbolSpec(integer=True), "sigma": SymbolSpec(),
        "lambda_min": SymbolSpec(), "lambda_max": SymbolSpec()}
SYMBOLS = make_symbols(SPEC)


def same(expected: str, actual: str) -> bool:
    return equivalent(parse(expected, SYMBOLS), parse(actual, SYMBOLS), SYMBOLS, SPEC)[0]


@pytest.mark.parametrize("answer", ["sqrt(2)/sqrt(d+n_h)", "(2/(n_h+d))**0.5", "sqrt(2/(d + n_h))",
                                    "2**(1/2) * (d+n_h)^(-1/2)", "sqrt(4/(2*d + 2*n_h))"])
def test_equivalent_forms_pass(answer):
    assert same("sqrt(2/(d + n_h))", answer)


@pytest.mark.parametrize("answer", ["2/sqrt(d+n_h)", "sqrt(2/d)", "sqrt(2)/(d+n_h)", "sqrt(1/(d+n_h))"])
def test_wrong_forms_fail(answer):
    ok, why = equivalent(parse("sqrt(2/(d + n_h))", SYMBOLS), parse(answer, SYMBOLS), SYMBOLS, SPEC)
    assert not ok and "differs at" in why


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
        parse(hostile, SYMBOLS)
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
    assert check.status == "passed" and "formula answer" in check.message
    assert report.score == 28


def test_formula_answers_replace_missing_functions(make_submission, grade):
    source = BASE.replace("def optimal_step(H):", "def _unused(H):").replace("def max_step(H):", "def _unused2(H):") + '''
ANSWERS = {"III.4 optimal_step": "2/(lambda_max + lambda_min)", "III.4 max_step": "1/lambda_max",
           "III.2 quadratic_value": "__import__('os').system('echo pwned')"}
'''
    report = grade(make_submission(source=source))
    statuses = {c.id: (c.status, c.message) for c in report.checks()}
    assert statuses["III.4/optimal_step"][0] == "passed"
    assert statuses["III.4/max_step"][0] == "failed" and "differs" in statuses["III.4/max_step"][1]
    assert statuses["III.2/quadratic_value"][0] == "passed"  # the function is defined: it is graded, not the formula


def test_hostile_formula_in_answers_is_a_failed_answer(make_submission, grade):
    source = BASE.replace("def max_step(H):", "def _unused(H):") + \
        "\nANSWERS = {'III.4 max_step': \"__import__('os').system('touch /tmp/grader-pwned')\"}\n"
    report = grade(make_submission(source=source))
    check = next(c for c in report.checks() if c.id == "III.4/max_step")
    assert check.status == "failed" and "refused" in check.message
    import os

    assert not os.path.exists("/tmp/grader-pwned")


def test_sympy_is_imported_only_when_needed():
    code = ("import sys; from grader.api import grade_submission; "
            f"grade_submission({str(EXAMPLES / 'partial.py')!r}, 'td5'); print('sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr
