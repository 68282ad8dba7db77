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

from ..errors import SpecError


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


