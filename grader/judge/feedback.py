"""Known mistakes: a catalogue written beside the reference, matched against failing outputs.

A mistake is one of three kinds: a ``variant`` (a wrong version of a reference function, same
signature), a ``law`` (for samplers: the law and scale a wrong sampler draws from), or a
``detect`` predicate on the output. Its hint is shown when the student's outputs match it on
*every* failing case of a check, evaluated here, in the trusted process.
"""

from __future__ import annotations

from typing import Any, Callable


from .compare import agrees
from ..report.results import Hint
from ..worksheet.checkbase import Tolerance
from ..worksheet.mistakes import hint_in
from .stats import check_sample


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
    return Hint(id=mistake.id, text=hint_in(mistake.hint, lang))
