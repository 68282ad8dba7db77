"""Compare a student's value with the expected one; return a verdict, never raise.

The ladder: kind of value -> sequence length -> shape -> dtype kind -> NaN/inf -> allclose. A tuple
and a list, a scalar and a 0-d array, an int and a float are interchangeable when the value is right.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from ..messages import Msg, msg
from ..wire.codec import MAX_STR, NoItem, RngSeed, SympyText, Unsupported
from ..worksheet.checkbase import Tolerance


@dataclass(frozen=True)
class Verdict:
    ok: bool
    message: Optional[Msg] = None
    max_abs_error: Optional[float] = None
    max_rel_error: Optional[float] = None
    mismatched: Optional[int] = None


_DIFFERS = Verdict(False, msg("compare.differs"))  # a brief verdict (see ``compare_numeric``)
_SAME = Verdict(True, None, 0.0, 0.0, 0)  # the very bits of the expected value


def describe(value: Any) -> Msg:
    """A few words on what a value is, for messages: 'an array of shape (3, 4)', 'None', ..."""
    if value is None:
        return msg("value.none")
    if isinstance(value, Unsupported):
        return msg("value.object", type=value.type_name)
    if isinstance(value, NoItem):
        return no_item(value)
    if isinstance(value, SympyText):
        return msg("value.sympy")
    if isinstance(value, np.ndarray):
        return msg("value.scalar_array") if value.ndim == 0 else msg("value.array", shape=str(tuple(value.shape)))
    if isinstance(value, bool):
        return msg("value.bool")
    if isinstance(value, (tuple, list)):
        return msg("value.sequence", type=type(value).__name__, n=len(value))
    if isinstance(value, RngSeed):
        return msg("value.generator")
    return msg("value.other", type=type(value).__name__)


def no_item(value: NoItem) -> Msg:
    """Why an output has no item where a check reads one, as the child said it (its code checked)."""
    return Msg(value.code, dict(value.params))


def _is_scalar(value: Any) -> bool:
    return (isinstance(value, (int, float, np.number)) and not isinstance(value, bool)) or (
        isinstance(value, np.ndarray) and value.ndim == 0)


def as_array(value: Any) -> tuple[Optional[np.ndarray], Optional[Msg]]:
    """The value as a float/complex array, or None and the reason it is not numeric."""
    if isinstance(value, bool) or (isinstance(value, np.ndarray) and value.dtype.kind == "b"):
        return None, msg("value.booleans")
    if isinstance(value, (int, float, complex, np.number)):
        return np.asarray(value), None
    if isinstance(value, np.ndarray):
        return value, None
    if isinstance(value, (list, tuple)):
        if not all(isinstance(v, (int, float, np.ndarray, list, tuple)) and not isinstance(v, bool)
                   for v in value):
            return None, msg("value.not_all_numbers", what=describe(value))
        try:
            array = np.asarray(value, dtype=float)
        except (ValueError, TypeError):
            return None, msg("value.not_rectangular", what=describe(value))
        return array, None
    return None, describe(value)


def _index(flat: int, shape: tuple[int, ...]) -> Optional[str]:
    if not shape:
        return None
    return str(tuple(int(i) for i in np.unravel_index(flat, shape)))


def _fmt(x: Any) -> str:
    return f"{x:.6g}" if isinstance(x, (float, np.floating)) else repr(x)


def _real(value: Any) -> Optional[float]:
    """A finite real number as a float, or None (for the general, numpy path)."""
    if isinstance(value, np.ndarray):
        if value.ndim or value.dtype.kind not in "iuf":
            return None
        value = value.item()
    elif type(value) is bool or not isinstance(value, (int, float, np.integer, np.floating)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def compare_reals(expected: float, actual: float, tol: Tolerance, brief: bool = False) -> Verdict:
    """Two finite numbers, in plain Python: the same verdict and message as ``compare_numeric``
    at a fraction of its cost (most checks return single numbers, and there are thousands)."""
    diff, scale = abs(actual - expected), abs(expected)
    rel = diff / scale if scale > 0 else (math.inf if diff > 0 else 0.0)
    if diff <= tol.atol + tol.rtol * scale:
        return Verdict(True, None, diff, rel, 0)
    if brief:
        return _DIFFERS
    return Verdict(False, msg("compare.value_differs", rtol=f"{tol.rtol:g}", atol=f"{tol.atol:g}", error=f"{diff:.3g}",
                              got=_fmt(actual), expected=_fmt(expected)), diff, rel, 1)


def _compare_finite(e: np.ndarray, a: np.ndarray, tol: Tolerance) -> Optional[Verdict]:
    """The common case, in fewer numpy calls: real arrays, all finite, all within tolerance.
    None whenever the general path has more to say (a non-finite value, a mismatch)."""
    if a.shape == e.shape and a.flags.c_contiguous and e.flags.c_contiguous \
            and a.data.cast("B") == e.data.cast("B"):  # the very bits (most right answers): one memcmp
        return None if not np.isfinite(e).all() else _SAME
    with np.errstate(invalid="ignore", over="ignore"):
        delta = a - e
    if not np.isfinite(delta).all():  # a NaN or inf on either side (or an overflow)
        return None
    diff, scale = np.abs(delta), np.abs(e)
    if not (diff <= tol.atol + tol.rtol * scale).all():
        return None
    if scale.min() > 1e-300:  # the commonest case: no zero, nothing tiny to divide by
        max_rel = float((diff / scale).max())
    else:
        nonzero = scale > 0
        with np.errstate(over="ignore"):  # a tiny scale: the relative error is inf, as it is
            max_rel = float((diff[nonzero] / scale[nonzero]).max()) if nonzero.any() else 0.0
        if (diff[~nonzero] > 0).any():
            max_rel = math.inf
    return Verdict(True, None, float(diff.max()), max_rel, 0)


def compare_numeric(expected: np.ndarray, actual: np.ndarray, tol: Tolerance, brief: bool = False) -> Verdict:
    """Same-shape numeric arrays: NaN/inf first, then ``|a - e| <= atol + rtol |e|``. ``brief``:
    only the verdict counts (no message, no error sizes when the values differ)."""
    if actual.dtype.kind == "c" and expected.dtype.kind != "c":
        if np.any(actual.imag != 0):
            return Verdict(False, msg("compare.complex"))
        actual = actual.real
    # asarray, not astype: no copy of what is float64 already (most values)
    e = np.asarray(expected, dtype=complex if expected.dtype.kind == "c" else float)
    a = np.asarray(actual, dtype=complex if actual.dtype.kind == "c" else float)
    if a.size and e.dtype.kind == "f" and a.dtype.kind == "f":
        fast = _compare_finite(e, a, tol)
        if fast is not None:
            return fast
        if brief and np.isfinite(a).all() and np.isfinite(e).all():
            return _DIFFERS  # all finite, and not all within tolerance: what the full path would find
    bad = ~np.isfinite(a) & np.isfinite(e)
    if bad.any():
        if brief:
            return _DIFFERS
        first = int(np.flatnonzero(bad)[0])
        kind = "NaN" if np.isnan(a.flat[first]) else "inf"
        count = int(bad.sum())
        if a.ndim == 0:
            return Verdict(False, msg("compare.nonfinite_value", kind=kind), mismatched=1)
        return Verdict(False, msg("compare.nonfinite_values", kind=kind, n=count, size=a.size,
                                  index=_index(first, a.shape)), mismatched=count)
    same_special = (~np.isfinite(e)) & ((a == e) | (np.isnan(a) & np.isnan(e)))
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.where(same_special, 0.0, np.abs(a - e))
        scale = np.abs(e)
        allowed = tol.atol + tol.rtol * scale
        rel = np.where(scale > 0, diff / np.where(scale > 0, scale, 1.0), np.where(diff > 0, np.inf, 0.0))
    wrong = ~(diff <= allowed)
    if brief and wrong.any():
        return _DIFFERS
    max_abs = float(diff.max()) if diff.size else 0.0
    max_rel = float(rel.max()) if rel.size else 0.0
    if not wrong.any():
        return Verdict(True, None, max_abs, max_rel, 0)
    worst = int(np.argmax(np.where(wrong, diff, -1.0)))
    count = int(wrong.sum())
    shown = dict(rtol=f"{tol.rtol:g}", atol=f"{tol.atol:g}", error=f"{max_abs:.3g}", got=_fmt(a.flat[worst]),
                 expected=_fmt(e.flat[worst]))
    message = msg("compare.values_differ", n=count, size=a.size, index=_index(worst, a.shape), **shown) if a.ndim \
        else msg("compare.value_differs", **shown)
    return Verdict(False, message, max_abs, max_rel, count)


def compare(expected: Any, actual: Any, tol: Tolerance) -> Verdict:
    """Compare ``actual`` (the student's) with ``expected`` (the reference's)."""
    try:
        return _compare(expected, actual, tol)
    except Exception as exc:  # a comparator must never take the grading down
        return Verdict(False, msg("compare.failed", error=f"{type(exc).__name__}: {exc}"))


def agrees(expected: Any, actual: Any, tol: Tolerance) -> bool:
    """``compare(expected, actual, tol).ok``, without describing how values differ: for known
    mistakes, each tried on every failing case, where only the verdict counts."""
    try:
        return _compare(expected, actual, tol, brief=True).ok
    except Exception:
        return False


def _compare_booleans(expected: np.ndarray, actual: Any) -> Verdict:
    """A truth value (or an array of them) where the reference returns one: the same, exactly."""
    if not (isinstance(actual, (bool, np.bool_)) or (isinstance(actual, np.ndarray) and actual.dtype.kind == "b")):
        return Verdict(False, msg("compare.expected_booleans", what=describe(actual)))
    got = np.asarray(actual)
    if got.shape != expected.shape:
        return Verdict(False, msg("compare.shape", got=str(tuple(got.shape)), expected=str(tuple(expected.shape))))
    wrong = int(np.count_nonzero(got != expected))
    if not wrong:
        return Verdict(True, None, 0.0, 0.0, 0)
    if expected.ndim == 0:
        return Verdict(False, msg("compare.bool_differs", got=str(bool(got)), expected=str(bool(expected))), mismatched=1)
    return Verdict(False, msg("compare.bools_differ", n=wrong, size=expected.size), mismatched=wrong)


def _compare(expected: Any, actual: Any, tol: Tolerance, brief: bool = False) -> Verdict:
    if isinstance(actual, NoItem):
        return Verdict(False, no_item(actual))
    if isinstance(actual, Unsupported):
        if actual.type_name == "str":  # plain data, but beyond what the child sends (``codec.MAX_STR``)
            return Verdict(False, msg("compare.long_string", max=MAX_STR))
        if actual.text:
            return Verdict(False, msg("compare.not_plain_data_detail", type=actual.type_name, detail=actual.text))
        return Verdict(False, msg("compare.not_plain_data", type=actual.type_name))
    if expected is None:
        return Verdict(actual is None, None if actual is None else msg("compare.expected_none", what=describe(actual)))
    if isinstance(expected, str):
        ok = isinstance(actual, str) and actual == expected
        return Verdict(ok, None if ok else msg("compare.expected_text", text=repr(expected), what=describe(actual)))
    if isinstance(expected, (tuple, list)):
        return _compare_sequence(expected, actual, tol, brief)
    if actual is None:
        return Verdict(False, msg("compare.returned_none"))
    if isinstance(expected, (bool, np.bool_)) or (isinstance(expected, np.ndarray) and expected.dtype.kind == "b"):
        return _compare_booleans(np.asarray(expected), actual)
    if _is_scalar(expected):
        e, a = _real(expected), _real(actual)
        if e is not None and a is not None:
            return compare_reals(e, a, tol, brief)
        if isinstance(actual, np.ndarray) and actual.ndim > 0:
            return Verdict(False, msg("compare.array_for_number", shape=str(tuple(actual.shape))))
        if isinstance(actual, (tuple, list)):
            return Verdict(False, msg("compare.not_single_number", what=describe(actual)))
        if isinstance(actual, complex):
            actual = np.asarray(actual)
        array, why = as_array(actual)
        if array is None:
            return Verdict(False, msg("compare.not_a_number", what=why))
        return compare_numeric(np.asarray(expected), array, tol, brief)
    expected_array = np.asarray(expected)
    array, why = as_array(actual)
    if array is None:
        return Verdict(False, msg("compare.not_an_array", what=why, shape=str(tuple(expected_array.shape))))
    if array.shape != expected_array.shape:
        transposed = array.ndim == 2 and array.shape == expected_array.shape[::-1]
        return Verdict(False, msg("compare.shape_transposed" if transposed else "compare.shape",
                                  got=str(tuple(array.shape)), expected=str(tuple(expected_array.shape))))
    return compare_numeric(expected_array, array, tol, brief)


def _compare_sequence(expected: Any, actual: Any, tol: Tolerance, brief: bool = False) -> Verdict:
    if isinstance(actual, np.ndarray) and actual.ndim >= 1 and len(actual) == len(expected):
        actual = list(actual)  # an array of the right length stands for a tuple of its rows
    if not isinstance(actual, (tuple, list)):
        return Verdict(False, msg("compare.tuple_length", n=len(expected), what=describe(actual)))
    if len(actual) != len(expected):
        return Verdict(False, msg("compare.tuple_length", n=len(expected), what=describe(actual)))
    worst_abs, worst_rel = 0.0, 0.0
    for i, (e, a) in enumerate(zip(expected, actual)):
        verdict = _compare(e, a, tol, brief)
        if not verdict.ok:
            return Verdict(False, msg("compare.item", index=i, inner=verdict.message), verdict.max_abs_error,
                           verdict.max_rel_error, verdict.mismatched)
        worst_abs = max(worst_abs, verdict.max_abs_error or 0.0)
        worst_rel = max(worst_rel, verdict.max_rel_error or 0.0)
    return Verdict(True, None, worst_abs, worst_rel, 0)
