"""Values as a person reads them in a report: small arrays in full, big ones summarised."""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from ..messages import Msg, english, msg
from ..wire.codec import NoItem, RngSeed, SympyText, Unsupported
from .results import Value

FULL_ELEMENTS = 64
TEXT_CHARS = 400


def _json_number(x: Any) -> Any:
    if isinstance(x, complex):
        return [_json_number(x.real), _json_number(x.imag)]
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def _array_text(a: np.ndarray) -> tuple[str, Optional[Msg]]:
    """An array's text: in full when small; else its first values and (in words: a message) its
    shape, smallest, largest and mean values."""
    if a.size <= FULL_ELEMENTS:
        return np.array2string(a, precision=6, separator=", ", max_line_width=76, threshold=FULL_ELEMENTS)[:TEXT_CHARS], None
    finite = a[np.isfinite(a)] if a.dtype.kind in "fc" else a
    head = np.array2string(a.ravel()[:6], precision=4, separator=", ")[:-1]
    if finite.size and a.dtype.kind != "c":
        note = msg("value.array_summary", shape=str(tuple(a.shape)), head=head, min=f"{finite.min():.4g}",
                   max=f"{finite.max():.4g}", mean=f"{finite.mean():.4g}")
    else:
        note = msg("value.array_head", shape=str(tuple(a.shape)), head=head)
    return english(note)[:TEXT_CHARS], note


def sequence_text(kind: str, items: list[Value], more: bool) -> str:
    """A tuple's or list's text from its items' texts."""
    text = "(" + ", ".join(i.text for i in items)[:TEXT_CHARS] + (", ...)" if more else ")")
    if kind == "list":
        text = "[" + text[1:-1] + "]"
    return text[:TEXT_CHARS]


def value_shown(value: Any, depth: int = 0) -> Value:
    """A ``Value`` for the report; never raises."""
    if isinstance(value, np.ndarray):
        full = None
        if value.size <= FULL_ELEMENTS:
            full = _nested(value.tolist())
        text, note = _array_text(value)
        return Value(type="ndarray", shape=list(value.shape), dtype=str(value.dtype), value=full, text=text, note=note)
    if isinstance(value, (tuple, list)):
        items = [value_shown(v, depth + 1) for v in value[:8]] if depth < 3 else None
        kind = "list" if isinstance(value, list) else "tuple"
        return Value(type=type(value).__name__, value=None, text=sequence_text(kind, items or [], len(value) > 8),
                     items=items)
    if isinstance(value, Unsupported):
        return Value(type=value.type_name, text=(value.text or f"<{value.type_name}>")[:TEXT_CHARS])
    if isinstance(value, NoItem):
        note = Msg(value.code, dict(value.params))
        return Value(type="missing item", text=english(note)[:TEXT_CHARS], note=note)
    if isinstance(value, RngSeed):
        return Value(type="Generator", text=f"numpy.random.default_rng({value.entropy})")
    if isinstance(value, SympyText):
        return Value(type="sympy", text=value.srepr[:TEXT_CHARS])
    if isinstance(value, dict):
        return Value(type="dict", text=repr({k: value_shown(v, depth + 1).text for k, v in list(value.items())[:8]})[:TEXT_CHARS])
    if isinstance(value, float):
        return Value(type="float", value=_json_number(value), text=f"{value:.10g}")
    if isinstance(value, (bool, int, str, complex)) or value is None:
        return Value(type=type(value).__name__, value=_json_number(value), text=repr(value)[:TEXT_CHARS])
    return Value(type=type(value).__name__, text=repr(value)[:TEXT_CHARS])


def _nested(x: Any) -> Any:
    if isinstance(x, list):
        return [_nested(v) for v in x]
    return _json_number(x)
