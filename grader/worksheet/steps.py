"""A check's steps and parts, resolved: which student functions it calls in which order, what
each is given (an input, or an earlier call's output) and which item of which output each part
scores. Pure functions of a check's model, for every stage that runs its steps (the reference's
values, a known mistake's, the child's jobs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from .checkbase import REF, BaseCheck, Part

if TYPE_CHECKING:
    from .mistakes import Mistake

Arg = Union[str, tuple[int, int]]  # an input's name, or (step, index) of an earlier step's output
Template = list[tuple[str, list[Arg]]]  # each step: its function and its arguments


def parts_of(check: BaseCheck) -> list[Part]:
    if check.parts:
        return list(check.parts)
    return [Part(name="", step=None, index=[], points=float(check.points or 0))]


def step_of(check: BaseCheck, part: Part) -> int:
    if part.step is None:
        return len(check.steps()) - 1  # type: ignore[union-attr]
    return [s.function for s in check.steps()].index(part.step)  # type: ignore[union-attr]


def pick(value: Any, path: list[int]) -> Any:
    for i in path:
        value = value[i]
    return value


def template_of(check: BaseCheck) -> Template:
    """The check's steps with every argument resolved to an input name or an earlier output."""
    steps = check.steps()  # type: ignore[union-attr]
    names = [s.function for s in steps]
    template: Template = []
    for step in steps:
        args: list[Arg] = []
        for a in step.args:
            ref = REF.match(a)
            args.append((names.index(ref["step"]), int(ref["index"])) if ref else a)
        template.append((step.function, args))
    return template


def run_steps(check: BaseCheck, inputs: dict[str, Any], call: Callable[[str, list[Any]], Any],
              template: Optional[Template] = None) -> list[Any]:
    """Run a check's steps on trusted code (``call(function, args)``), feeding earlier outputs on."""
    outputs: list[Any] = []
    for function, args in template or template_of(check):
        outputs.append(call(function, [inputs[a] if type(a) is str else outputs[a[0]][a[1]] for a in args]))
    return outputs


def expected_parts(check: BaseCheck, parts: list[Part], outputs: list[Any],
                   part_steps: Optional[list[int]] = None) -> list[Any]:
    steps = part_steps or [step_of(check, p) for p in parts]
    return [pick(outputs[s], p.index) for s, p in zip(steps, parts)]


def outputs_with(mistake: "Mistake", plan: Any, inputs: dict[str, Any], reference: Any) -> list[Any]:
    """The outputs of a check's steps (``plan``'s) when ``mistake``'s variant stands in for its
    function; the reference runs the other steps, and each call gets copies of its arguments."""
    def call(function: str, args: list[Any]) -> Any:
        if function == mistake.function:
            return reference.apply(mistake.variant, args)
        return reference.call(function, args)
    return run_steps(plan.check, dict(inputs), call, plan.template)
