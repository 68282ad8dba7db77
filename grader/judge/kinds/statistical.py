"""``statistical``: a sampler's output must have the right shape and law. A case's value is the
shape and the scale (sigma, or the uniform's limit) the reference gives for its inputs; the tests
of ``judge/stats.py`` bound the chance of failing a correct sampler by ``alpha`` per grading."""

from __future__ import annotations

from typing import Any, Callable, Literal

import numpy as np
from pydantic import Field

from ...messages import Msg, joined, msg
from ...worksheet.checkbase import IDENT, CalledCheck, Step, Tolerance
from ...worksheet.generators import Dim
from ..compare import Verdict, as_array
from ..stats import check_sample
from .base import Defined, Kind


class StatisticalCheck(CalledCheck):
    """A sampler's output must have the right shape and law (tests with a bounded false-failure rate)."""

    kind: Literal["statistical"]
    function: str = Field(pattern=IDENT, description="the student function called")
    args: list[str] = Field(default_factory=list, description="the input names passed to it, in order")
    law: Literal["normal", "uniform"] = Field(description="the law the samples must follow (centred)")
    scale: Step = Field(description="reference call giving sigma (normal) or the limit (uniform)")
    shape: list[Dim] = Field(description="the output's shape; a dimension may name an input")
    alpha: float = Field(1e-7, gt=0, lt=0.01, description="bound on the false-failure probability of a correct sampler")
    cases: int = Field(0, ge=0, description="number of random cases")

    def steps(self) -> list[Step]:
        return [Step(function=self.function, args=self.args)]


def sampling(case: Any) -> tuple[tuple[int, ...], float]:
    """A case's shape and scale (its value, as ``Statistical.expected`` gives it)."""
    shape, scale = case.expected[0]
    return tuple(int(d) for d in shape), float(scale)


def _alpha(check: StatisticalCheck) -> float:
    """Each case's share of the check's false-failure bound."""
    return check.alpha / max(1, check.cases + len(check.edge_cases))


class Statistical(Kind):
    name = "statistical"
    model = StatisticalCheck
    shows_expected = False

    def expected(self, check: Any, inputs: dict[str, Any], reference: Any, steps: Any) -> list[Any]:
        scale = float(reference.call(check.scale.function, [inputs[a] for a in check.scale.args]))
        shape = tuple(int(inputs[d]) if isinstance(d, str) else int(d) for d in check.shape)
        return [(shape, scale)]

    def mistake_values(self, check: Any, mistake: Any, inputs: dict[str, Any], reference: Any, steps: Any) -> Any:
        if mistake.law is None:
            return super().mistake_values(check, mistake, inputs, reference, steps)
        law, scale = mistake.law(*[inputs[a] for a in check.scale.args])
        return (str(law), float(scale))

    def judge(self, check: Any, case: Any, part: int, actual: Any, ws: Any, helpers: dict[str, Any]) -> Verdict:
        shape, scale = sampling(case)
        array, why = as_array(actual)
        if array is None:
            return Verdict(False, msg("compare.not_an_array", what=why, shape=str(shape)))
        if array.shape != shape:
            return Verdict(False, msg("compare.shape", got=str(tuple(array.shape)), expected=str(shape)))
        if array.dtype.kind not in "iuf":
            return Verdict(False, msg("sample.dtype", dtype=str(array.dtype)))
        result = check_sample(array, check.law, scale, _alpha(check))
        return Verdict(result.ok, joined(result.problems) if result.problems else None)

    def hint_terms(self, ws: Any, check: Any) -> tuple[Tolerance, float]:
        return Tolerance(), _alpha(check)

    def spec_problems(self, check: Any, where: str, defined: Defined) -> list[str]:
        if check.scale.function in defined.reference:
            return []
        return [f"{where}: scale function {check.scale.function!r} is not in the reference"]

    def caught(self, ws: Any, check: Any, plan: Any, case: Any, mistake: Any, reference: Any, seed: int) -> bool:
        if mistake.law is None:
            return super().caught(ws, check, plan, case, mistake, reference, seed)
        law, scale = mistake.law(*[case.inputs[a] for a in check.scale.args])
        rng = np.random.default_rng(seed * 1000 + case.index)
        shape, right_scale = sampling(case)
        sample = rng.normal(0, scale, shape) if law == "normal" else rng.uniform(-scale, scale, shape)
        return not check_sample(sample, check.law, right_scale, _alpha(check)).ok

    def soundness(self, ws: Any, question: Any, check: Any, reference: Any, runs: int,
                  draw: Callable[[int], list[Any]]) -> list[tuple[Msg, bool, Msg]]:
        """The reference sampler, run ``runs`` times on freshly drawn cases (``draw(seed)``), must
        never fail: its observed false-failure rate is zero."""
        failures = 0
        for run in range(runs):
            for case in draw(10_000 + run):
                sample = reference.call(check.function, [case.inputs[a] for a in check.args])
                if not check_sample(np.asarray(sample), check.law, sampling(case)[1], _alpha(check)).ok:
                    failures += 1
                    break
        return [(msg("spec.sampler_runs", check=f"{question.id}/{check.id}", n=runs), failures == 0,
                 msg("spec.false_failures", n=failures, alpha=f"{check.alpha:g}"))]


KIND = Statistical()
