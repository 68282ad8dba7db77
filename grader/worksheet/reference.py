"""The trusted side: load a worksheet's reference and helper modules, in the grading process only."""

from __future__ import annotations

import copy
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from ..wire.codec import RngSeed
from ..errors import InternalError, SpecError

if TYPE_CHECKING:
    from .models import Worksheet


def _load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SpecError(path, "cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise SpecError(path, f"the module fails to load: {type(exc).__name__}: {exc}") from exc
    return module


@dataclass(frozen=True)
class Reference:
    """The reference solution's functions and the worksheet's helpers (generators, predicates)."""

    solution: ModuleType
    helpers: dict[str, Callable[..., Any]]
    translations: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    mistakes: list[Any] = field(default_factory=list)
    predicates: dict[str, Callable[..., Any]] = field(default_factory=dict)

    def hint_texts(self) -> dict[str, dict[str, str]]:
        """Mistake id -> its hint in every language."""
        return {m.id: dict(m.hint) for m in self.mistakes}

    def call(self, function: str, args: list[Any]) -> Any:
        """Call a reference function on deep copies of ``args`` (an ``RngSeed`` becomes a Generator)."""
        func = getattr(self.solution, function, None)
        if not callable(func):
            raise InternalError(f"the reference has no function {function}()")
        return func(*(_private_copy(a) for a in args))

    @staticmethod
    def apply(func: Callable[..., Any], args: list[Any]) -> Any:
        """Call another trusted function (a catalogued mistake's variant) as ``call`` calls the
        reference's: on copies of ``args`` it may mutate, an ``RngSeed`` made a Generator."""
        return func(*(_private_copy(a) for a in args))


def _private_copy(value: Any) -> Any:
    """A copy the reference may mutate freely (cheap for the common immutable and array inputs)."""
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    if type(value) is np.ndarray:
        return value.copy()
    if type(value) is tuple or type(value) is list:  # e.g. a cache of arrays fed to a backward pass
        return type(value)(_private_copy(v) for v in value)
    if isinstance(value, RngSeed):
        return value.make()
    return copy.deepcopy(value)


def load_reference(ws: Worksheet) -> Reference:
    """Import the worksheet's reference (and helpers) from their files, under private names."""
    solution = _load_module(ws.path_of(ws.reference), f"_grader_reference_{ws.id}")
    helpers: dict[str, Callable[..., Any]] = {}
    translations = {lang: list(texts.items()) for lang, texts in ws.translations.items()}
    if ws.generators:
        module = _load_module(ws.path_of(ws.generators), f"_grader_helpers_{ws.id}")
        helpers = {k: v for k, v in vars(module).items() if callable(v) and not k.startswith("_")}
    predicates = load_predicates(ws.path_of(ws.predicates), ws.id) if ws.predicates else {}
    mistakes = []
    if ws.mistakes:
        from .mistakes import load_catalogue

        mistakes = load_catalogue(ws.path_of(ws.mistakes), _load_module(ws.path_of(ws.mistakes), f"_grader_mistakes_{ws.id}"),
                                  {**helpers, **predicates})
    return Reference(solution=solution, helpers=helpers, translations=translations, mistakes=mistakes,
                     predicates={**helpers, **predicates})


def load_predicates(path: Path, worksheet_id: str) -> dict[str, Callable[..., Any]]:
    """The public functions of a predicates module (a worksheet's, or a kit's)."""
    module = _load_module(path, f"_grader_predicates_{worksheet_id}")
    return {k: v for k, v in vars(module).items() if callable(v) and not k.startswith("_")
            and getattr(v, "__module__", None) == module.__name__}
