"""Known mistakes: a catalogue written beside the reference, matched against failing outputs.

A mistake is one of three kinds: a ``variant`` (a wrong version of a reference function, same
signature), a ``law`` (for samplers: the law and scale a wrong sampler draws from), or a
``detect`` predicate on the output. Its hint is shown when the student's outputs match it on
*every* failing case of a check, evaluated here, in the trusted process.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .compare import agrees
from .errors import SpecError
from .plan import run_steps
from .results import Hint
from .spec import Tolerance
from .stats import check_sample


class Mistake(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    function: str
    hint: dict[str, str] = Field(description="the hint in each language: en and fr")
    variant: Optional[Callable[..., Any]] = None
    law: Optional[Callable[..., tuple[str, float]]] = None
    detect: Optional[Union[str, Callable[[Any, dict[str, Any]], bool]]] = Field(
        None, description="a predicate on the output: the name of a function of the predicates module")

    @model_validator(mode="after")
    def _one_kind(self) -> "Mistake":
        if sum(x is not None for x in (self.variant, self.law, self.detect)) != 1:
            raise ValueError("give exactly one of variant, law, detect")
        if not {"en", "fr"} <= set(self.hint):
            raise ValueError("the hint needs both 'en' and 'fr'")
        return self


def load_catalogue(path: Path, module: ModuleType, predicates: Optional[dict[str, Callable[..., Any]]] = None) -> list[Mistake]:
    """The ``MISTAKES`` list of a module, validated; a ``detect`` named by a string must be a
    function of ``predicates``."""
    entries = getattr(module, "MISTAKES", None)
    if not isinstance(entries, list):
        raise SpecError(path, "the mistakes module must define a list MISTAKES")
    mistakes, problems = [], []
    for i, entry in enumerate(entries):
        try:
            mistakes.append(Mistake.model_validate(entry))
        except ValidationError as exc:
            problems += [f"MISTAKES[{i}].{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
    for m in mistakes:
        if isinstance(m.detect, str) and m.detect not in (predicates or {}):
            problems.append(f"{m.id}: detect {m.detect!r} is not a function of the predicates module")
    ids = [m.id for m in mistakes]
    if len(set(ids)) != len(ids):
        problems.append("mistake ids repeat")
    if problems:
        raise SpecError(path, problems)
    return mistakes


def outputs_with(mistake: Mistake, plan: Any, inputs: dict[str, Any], reference: Any) -> list[Any]:
    """The outputs of a check's steps (``plan``'s) when ``mistake``'s variant stands in for its
    function; the reference runs the other steps, and each call gets copies of its arguments."""
    def call(function: str, args: list[Any]) -> Any:
        if function == mistake.function:
            return reference.apply(mistake.variant, args)
        return reference.call(function, args)
    return run_steps(plan.check, dict(inputs), call, plan.template)


def explains(mistake: Any, part: int, failing: list[tuple[Any, Any]], tol: Tolerance,
             predicates: dict[str, Callable[..., Any]], *, law_alpha: float = 1e-7) -> bool:
    """Does ``mistake`` (a ``table.MistakeInfo``) explain every failing ``(case, actual)`` pair of
    one part? Its values on each case are in ``case.mistakes`` (an answer table's); a mistake
    known by its output is its predicate's verdict. Never raises."""
    if not failing:
        return False
    try:
        for case, actual in failing:
            if mistake.kind == "variant":
                values = case.mistakes.get(mistake.id)
                if values is None or not agrees(values[part], actual, tol):
                    return False
            elif mistake.kind == "law":
                if mistake.id not in case.mistakes:
                    return False
                law, scale = case.mistakes[mistake.id]
                import numpy as np

                if not isinstance(actual, np.ndarray) or \
                        not check_sample(actual, law, float(scale), law_alpha, stop_early=True).ok:
                    return False
            elif not predicates[mistake.detect](actual, dict(case.inputs)):
                return False
    except Exception:  # a catalogue entry that cannot run on this input explains nothing
        return False
    return True


def hint(mistake: Any, lang: str = "en") -> Hint:
    return Hint(id=mistake.id, text=mistake.hint.get(lang, mistake.hint["en"]))
