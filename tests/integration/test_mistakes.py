"""Every catalogued mistake, planted in an otherwise correct submission, earns its own hint and no other."""

from __future__ import annotations

import importlib.util
import inspect
import textwrap

import pytest

import ast

from conftest import BASE, ROOT, replace_functions

SOLUTION = (ROOT / "reference" / "td5" / "solution.py").read_text()
REFERENCE_FUNCTIONS = {n.name: ast.get_source_segment(SOLUTION, n) for n in ast.parse(SOLUTION).body
                       if isinstance(n, ast.FunctionDef)}
spec = importlib.util.spec_from_file_location("td5_mistakes", ROOT / "reference" / "td5" / "mistakes.py")
MISTAKES_MODULE = importlib.util.module_from_spec(spec)
spec.loader.exec_module(MISTAKES_MODULE)
CATALOGUE = MISTAKES_MODULE.MISTAKES

# outputs of gradient_counterexample that commit the "detect" mistakes
DETECT_EXAMPLES = {
    "counterexample-isotropic": "def gradient_counterexample():\n    return 3 * np.eye(2), np.array([1.0, 2.0]), np.zeros(2)",
    "counterexample-eigenvector": "def gradient_counterexample():\n    return np.diag([1.0, 4.0]), np.array([1.0, 0.0]), np.zeros(2)",
}
SIGNATURES = {"glorot_normal": "d, n_h, rng", "glorot_uniform": "d, n_h, rng"}


def planted(mistake) -> str:
    name = mistake["function"]
    if "detect" in mistake:
        code = DETECT_EXAMPLES[mistake["id"]]
    elif "law" in mistake:
        helper = textwrap.dedent(inspect.getsource(mistake["law"]))
        law = mistake["law"].__name__
        code = (f"def {name}({SIGNATURES[name]}):\n    law, scale = {law}(d, n_h)\n"
                f"    if law == 'normal':\n        return rng.normal(0, scale, size=(d, n_h))\n"
                f"    return rng.uniform(-scale, scale, size=(d, n_h))\n\n{helper}")
    else:
        source = textwrap.dedent(inspect.getsource(mistake["variant"]))
        code = source.replace(f"def {mistake['variant'].__name__}(", f"def {name}(", 1)
        if "_bn_parts" in code:
            code += "\n\n" + textwrap.dedent(inspect.getsource(MISTAKES_MODULE._bn_parts))
        if "_eig(" in code:
            code += "\n\n" + textwrap.dedent(inspect.getsource(MISTAKES_MODULE._eig))
    replacements = {name: code}
    if name in ("bn_forward", "bn_backward"):  # the variants use the reference's cache: take its other half
        other = "bn_backward" if name == "bn_forward" else "bn_forward"
        replacements[other] = REFERENCE_FUNCTIONS[other]
    return replace_functions(BASE, replacements)


def test_catalogue_size():
    assert len(CATALOGUE) >= 25
    per_function = {}
    for m in CATALOGUE:
        per_function[m["function"]] = per_function.get(m["function"], 0) + 1
    assert len(per_function) == 14 and all(n >= 2 for n in per_function.values()), per_function


@pytest.mark.parametrize("mistake", CATALOGUE, ids=[m["id"] for m in CATALOGUE])
def test_planted_mistake_gets_its_own_hint(mistake, make_submission, grade):
    report = grade(make_submission(source=planted(mistake)), lang="fr")
    failing = [c for c in report.checks() if c.status not in ("passed", "manual")]
    assert failing, "the planted mistake was not caught"
    hints = {h.id for c in report.checks() for h in c.hints}
    assert hints == {mistake["id"]}
    text = next(h.text for c in report.checks() for h in c.hints)
    assert text == mistake["hint"]["fr"]


def _plan(grader, check_id):
    from grader.judge.plan import plan_check

    for q in grader.ws.questions:
        for c in q.checks:
            if f"{q.id}/{c.id}" == check_id:
                return plan_check(grader.ws, q, c, grader.reference, 3)
    raise KeyError(check_id)


def test_a_variant_that_mutates_its_arguments_changes_nothing_else():
    # a mistake's variant may scribble over its inputs (written in place, as students do): the
    # case's inputs, and so the next mistake tried on them, must not see it
    from grader.api import Grader
    from grader.worksheet.mistakes import Mistake
    from grader.worksheet.steps import outputs_with

    grader = Grader(ROOT / "exercises" / "td5")
    plan = _plan(grader, "II.1/bn_forward")
    case = plan.cases[-1]
    before = {k: v.copy() for k, v in case.inputs.items() if hasattr(v, "copy")}

    def in_place(x, gamma, beta, eps=1e-5):
        x -= x.mean(axis=0)
        gamma *= 0
        return x, (x,)

    mistake = Mistake(id="in-place", function="bn_forward", variant=in_place, hint={"en": "e", "fr": "f"})
    first = outputs_with(mistake, plan, case.inputs, grader.reference)
    second = outputs_with(mistake, plan, case.inputs, grader.reference)
    assert all((case.inputs[k] == v).all() for k, v in before.items())
    assert (first[0][0] == second[0][0]).all()


def test_a_sampler_variant_gets_a_generator():
    # a variant written for a sampler draws from the rng it is given, as the reference does
    from grader.api import Grader
    from grader.worksheet.mistakes import Mistake
    from grader.worksheet.steps import outputs_with

    grader = Grader(ROOT / "exercises" / "td5")
    plan = _plan(grader, "I.2/glorot_normal")
    case = plan.cases[0]

    def doubled(d, n_h, rng):
        return 2 * rng.normal(0.0, 1.0, size=(d, n_h))

    mistake = Mistake(id="doubled", function="glorot_normal", variant=doubled, hint={"en": "e", "fr": "f"})
    [sample] = outputs_with(mistake, plan, case.inputs, grader.reference)
    from grader.judge.kinds.statistical import sampling

    assert sample.shape == sampling(case)[0]  # the case's value: the shape and scale the reference gives
    again = outputs_with(mistake, plan, case.inputs, grader.reference)[0]
    assert (sample == again).all()  # the same seed each time: reproducible
