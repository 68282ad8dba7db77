"""Known mistakes: a catalogue written beside the reference, matched against failing outputs.

A mistake is one of three kinds: a ``variant`` (a wrong version of a reference function, same
signature), a ``law`` (for samplers: the law and scale a wrong sampler draws from), or a
``detect`` predicate on the output. Its hint is shown when the student's outputs match it on
*every* failing case of a check, evaluated here, in the trusted process.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Mapping, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import SpecError


class Mistake(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    function: str
    hint: dict[str, str] = Field(min_length=1, description="the hint in one language or more, by language code "
                                                         "({'en': ...} or {'en': ..., 'fr': ...}); a report in "
                                                         "another language shows it in English, else the first")
    variant: Optional[Callable[..., Any]] = None
    law: Optional[Callable[..., tuple[str, float]]] = None
    detect: Optional[Union[str, Callable[[Any, dict[str, Any]], bool]]] = Field(
        None, description="a predicate on the output: the name of a function of the predicates module")

    @model_validator(mode="after")
    def _one_kind(self) -> "Mistake":
        if sum(x is not None for x in (self.variant, self.law, self.detect)) != 1:
            raise ValueError("give exactly one of variant, law, detect")
        bad = [lang for lang, text in self.hint.items() if not re.match(r"^[a-z]{2,3}(_[A-Z]{2})?$", lang)
               or not isinstance(text, str) or not text.strip()]
        if bad:
            raise ValueError(f"the hint is a text per language code (en, fr, de...): {bad[0]!r} is not one with a text")
        return self


def hint_in(hint: Mapping[str, str], lang: str) -> str:
    """A hint in ``lang``, else in English, else in the first language its author wrote it in."""
    return hint.get(lang) or hint.get("en") or next(iter(hint.values()), "")


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


