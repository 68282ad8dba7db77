"""Data-only encoding across the sandbox boundary: JSON plus raw array bytes, never pickle.

Both sides use this module; the child imports nothing else of the grader. ``encode`` turns any
value into plain data (anything unknown becomes an ``Unsupported`` description, so the child never
fails to answer); ``decode`` is strict and bounded, because it reads untrusted bytes.

A frame is ``u64 length | u32 header length | JSON header | blob bytes...``. An array is its dtype
and shape in the JSON and its raw C-order bytes in a blob: no ``.npy`` header to format or parse
(that costs ~50 us an array, thousands of times per submission), and nothing but a whitelisted
numeric dtype whose size matches the shape is accepted.
"""

from __future__ import annotations

import math
import re
import struct
from dataclasses import dataclass
from json import JSONDecoder as _JSONDecoder, dumps as _dumps  # bound now: a submission may patch json
from typing import Any, Optional, Union

import numpy as np

_frombuffer, _ascontiguous, _ndarray, _float64 = np.frombuffer, np.ascontiguousarray, np.ndarray, np.float64  # likewise

NUMERIC_KINDS = "biufc"
_RAW_DTYPE = re.compile(r"^[<>|]?(b1|[iu][1248]|f[248]|c(8|16))$")
MAX_DIMS = 32
MAX_DEPTH = 32
MAX_STR = 10_000
MAX_INT_DIGITS = 300


class CodecError(ValueError):
    """Bytes that are not a valid frame or value (from a broken or hostile child)."""


@dataclass(frozen=True)
class RngSeed:
    """A numpy Generator to build on the other side: ``numpy.random.default_rng(entropy)``."""

    entropy: int

    def make(self) -> np.random.Generator:
        return np.random.default_rng(self.entropy)


@dataclass(frozen=True)
class Unsupported:
    """A value that is not plain data (an object, a function, an object array...)."""

    type_name: str
    text: str = ""


@dataclass(frozen=True)
class NoItem:
    """The output had no item at the path the check reads (e.g. a 2-tuple where 3 are expected):
    why, as a message code (one of ``NO_ITEM_CODES``) and its parameters (the type, the length, the
    index), which the grader words; it never takes the child's words."""

    code: str
    params: tuple[tuple[str, Any], ...] = ()


NO_ITEM_CODES = ("noitem.no_length", "noitem.out_of_range", "noitem.undefined", "noitem.incomplete")


def _float(v: float) -> Any:
    return v if math.isfinite(v) else {"$": "float", "v": repr(v)}


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)[:200]
    except BaseException:  # a hostile __repr__ must not stop the child from answering
        return "<unprintable>"


def encode(value: Any, blobs: list[bytes], depth: int = 0) -> Any:
    """Turn ``value`` into JSON-able data, appending array bytes to ``blobs``."""
    if depth > MAX_DEPTH:
        return {"$": "unsupported", "type": "nesting", "text": f"nested deeper than {MAX_DEPTH}"}
    t = type(value)
    # the commonest exact types first: this runs for every value of every call
    if t is dict and all(type(k) is str for k in value):
        return {"$": "dict", "items": [[k, encode(v, blobs, depth + 1)] for k, v in value.items()]}
    if t is list:
        return [encode(v, blobs, depth + 1) for v in value]
    if t is float:
        return value if math.isfinite(value) else {"$": "float", "v": repr(value)}
    if value is None or t is bool or t is str and len(value) <= MAX_STR:
        return value
    if t is str:
        return {"$": "unsupported", "type": "str", "text": f"a string of {len(value)} characters"}
    if t is int:
        if abs(value) < 10**MAX_INT_DIGITS:
            return value
        return {"$": "unsupported", "type": "int", "text": "an integer with more than 300 digits"}
    if t is float:
        return _float(value)
    if t is complex:
        return {"$": "complex", "re": _float(value.real), "im": _float(value.imag)}
    if t is RngSeed:
        return {"$": "rng", "entropy": value.entropy}
    if t is Unsupported:
        return {"$": "unsupported", "type": value.type_name, "text": value.text}
    if t is NoItem:
        return {"$": "noitem", "code": value.code, "params": [[k, v] for k, v in value.params]}
    if isinstance(value, np.generic) and t.__module__ == "numpy":
        value = np.asarray(value)
        t = np.ndarray
    if isinstance(value, np.ndarray):
        array = np.ndarray.view(value, np.ndarray)  # drop any subclass without calling its hooks
        if array.dtype.kind not in NUMERIC_KINDS or array.dtype.fields is not None:
            return {"$": "unsupported", "type": f"ndarray[{array.dtype}]", "text": f"shape {array.shape}"}
        if array.ndim > MAX_DIMS:
            return {"$": "unsupported", "type": f"ndarray[{array.dtype}]", "text": f"{array.ndim} dimensions"}
        blobs.append(_ascontiguous(array).tobytes())
        return {"$": "ndarray", "dtype": array.dtype.str, "shape": list(array.shape), "blob": len(blobs) - 1}
    if t is list or t is tuple or isinstance(value, (list, tuple)):
        items = [encode(v, blobs, depth + 1) for v in list.__iter__(value)] if isinstance(value, list) \
            else [encode(v, blobs, depth + 1) for v in tuple.__iter__(value)]
        return items if isinstance(value, list) else {"$": "tuple", "items": items}
    if t is dict:
        if all(type(k) is str for k in value):
            return {"$": "dict", "items": [[k, encode(v, blobs, depth + 1)] for k, v in value.items()]}
        return {"$": "unsupported", "type": "dict", "text": "a dict with non-string keys"}
    name = f"{getattr(t, '__module__', '?')}.{getattr(t, '__qualname__', '?')}"
    if name.startswith("sympy."):
        try:
            import sympy  # only when the student's module already imported it

            return {"$": "sympy", "srepr": sympy.srepr(value)[:MAX_STR]}
        except BaseException:
            pass
    return {"$": "unsupported", "type": name[:200], "text": _safe_repr(value)}


def _value_text(value: Any, blobs: list[bytes]) -> str:
    """``dump(encode(value, blobs))``, written directly for the values calls take and return most
    (a finite float, an int, a plain numeric array or numpy float, a seed): thousands a submission."""
    t = type(value)
    if t is float and math.isfinite(value):
        return repr(value)  # what json writes for a float
    if t is int and abs(value) < 10**MAX_INT_DIGITS:
        return repr(value)
    if (t is _ndarray and value.dtype.kind in NUMERIC_KINDS and value.dtype.fields is None
            and value.ndim <= MAX_DIMS) or t is _float64:  # a numpy scalar travels as a 0-d array
        blobs.append(_ascontiguous(value).tobytes() if t is _ndarray else value.tobytes())
        return '{"$":"ndarray","dtype":"%s","shape":[%s],"blob":%d}' % (
            value.dtype.str, ",".join([str(n) for n in value.shape]), len(blobs) - 1)
    if t is RngSeed:
        return '{"$":"rng","entropy":%d}' % value.entropy
    return dump(encode(value, blobs))


def answer_text(outputs: list[list[Any]], duration: float, blobs: list[bytes]) -> str:
    """The JSON text of an answered call's outcome, ``{"status": "ok", "outputs": ..., "duration": ...}``:
    the same data as ``dump`` of its ``encode``, without building it first (see ``_value_text``)."""
    steps = ",".join(["[" + ",".join([_value_text(v, blobs) for v in sent]) + "]" for sent in outputs])
    return '{"status":"ok","outputs":[%s],"duration":%s}' % (steps, _value_text(float(duration), blobs))


def jobs_text(jobs: list[list[dict[str, Any]]], blobs: list[bytes]) -> str:
    """Jobs for the child, as JSON text: ``{"templates": [[step, ...], ...], "calls": [[t, [args,
    ...]], ...]}``. A template is a job's steps without their arguments (function names, item paths:
    plain JSON from the spec), written once for all the cases of a check that share it; a call
    names its template and gives each step's arguments as ``encode`` makes them (null for a step
    without). ``expand_jobs`` turns it back into the jobs. Half the text of one object per step, and
    no object for the decoder's hook but the values' own."""
    templates: dict[tuple, int] = {}
    template_texts, calls = [], []
    for steps in jobs:
        key = tuple(tuple((k, id(v)) for k, v in step.items() if k != "args") for step in steps)
        index = templates.get(key)
        if index is None:
            index = templates[key] = len(template_texts)
            template_texts.append(dump([{k: v for k, v in step.items() if k != "args"} for step in steps]))
        arguments = []
        for step in steps:
            args = step.get("args")
            if args is None:
                arguments.append("null")
            else:
                arguments.append("[" + ",".join([dump(a) if type(a) is dict and "__ref__" in a else _value_text(a, blobs)
                                                 for a in args]) + "]")
        calls.append("[%d,[%s]]" % (index, ",".join(arguments)))
    return '{"templates":[%s],"calls":[%s]}' % (",".join(template_texts), ",".join(calls))


def expand_jobs(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The jobs of ``jobs_text``'s data, decoded: ``[{"steps": [{..., "args": [...]}, ...]}, ...]``."""
    templates = data["templates"]
    return [{"steps": [step if args is None else {**step, "args": args}
                       for step, args in zip(templates[index], arguments)]}
            for index, arguments in data["calls"]]


@dataclass(frozen=True)
class SympyText:
    """A SymPy expression as sent by the child: its ``srepr`` text, parsed only by a safe parser."""

    srepr: str


class Decoder:
    """Rebuilds values from ``encode``'s JSON and blobs; strict, since it reads untrusted bytes.

    One JSON decoder serves every frame of a stream (building one per frame costs about as much
    as decoding a small frame); its object hook rebuilds tagged values as the C parser meets them.
    """

    def __init__(self) -> None:
        self._blobs: list[bytes] = []
        self._json = _JSONDecoder(object_hook=self._hook)
        self._dtypes: dict[str, np.dtype] = {}  # dtype texts already checked: a frame has hundreds of arrays

    def decode_json(self, text: Union[str, bytes, memoryview], blobs: list[bytes]) -> Any:
        """Parse the JSON and rebuild its values; raise ``CodecError`` on anything unexpected."""
        self._blobs = blobs
        try:
            return self._json.decode(text if isinstance(text, str) else str(text, "utf-8"))
        except RecursionError:
            raise CodecError("value nested too deeply") from None
        except CodecError:
            raise
        except ValueError as exc:  # including bytes that are not UTF-8
            raise CodecError(f"not JSON: {exc}") from None
        finally:
            self._blobs = []

    def _hook(self, data: dict) -> Any:
        tag = data.get("$")
        if tag is None:
            return data  # a plain JSON object: a dict of already-decoded values
        try:
            if tag == "tuple":
                return tuple(_list(data["items"]))
            if tag == "dict":
                return {_str(k): v for k, v in _list(data["items"])}
            if tag == "float":
                if data["v"] not in ("nan", "inf", "-inf"):
                    raise CodecError("bad float")
                return float(data["v"])
            if tag == "complex":
                return complex(data["re"], data["im"])
            if tag == "ndarray":
                return _raw_array(data, self._blobs[_index(data["blob"], len(self._blobs))], self._dtypes)
            if tag == "rng":
                return RngSeed(entropy=int(data["entropy"]))
            if tag == "unsupported":
                return Unsupported(_str(data["type"])[:200], _str(data.get("text", ""))[:MAX_STR])
            if tag == "noitem":
                return _no_item(data)
            if tag == "sympy":
                return SympyText(_str(data["srepr"])[:MAX_STR])
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, CodecError):
                raise
            raise CodecError(f"malformed {tag!r} value: {exc}") from None
        raise CodecError(f"unknown value tag {tag!r}")


def decode_json(text: Union[str, bytes, memoryview], blobs: list[bytes]) -> Any:
    """Parse ``encode``'s JSON and rebuild its values (see ``Decoder``)."""
    return Decoder().decode_json(text, blobs)


def decode(data: Any, blobs: list[bytes]) -> Any:
    """Rebuild a value from ``encode``'s output (already parsed JSON)."""
    return decode_json(_dumps(data), blobs)


def _no_item(data: dict) -> NoItem:
    """A NoItem from the child: a known code, and parameters that are short strings or numbers."""
    code = _str(data["code"])
    if code not in NO_ITEM_CODES:
        raise CodecError("unknown no-item code")
    params = []
    for pair in _list(data.get("params", []))[:4]:
        key, value = _list(pair)
        if not (isinstance(value, str) or type(value) in (int, float)):
            raise CodecError("bad no-item parameter")
        params.append((_str(key)[:40], value[:200] if isinstance(value, str) else value))
    return NoItem(code, tuple(params))


def _list(v: Any) -> list:
    if not isinstance(v, list):
        raise CodecError("expected a list")
    return v


def _str(v: Any) -> str:
    if not isinstance(v, str):
        raise CodecError("expected a string")
    return v


def _index(v: Any, n: int) -> int:
    if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v < n:
        raise CodecError("bad blob index")
    return v


def _raw_array(data: dict, blob: bytes, dtypes: dict[str, np.dtype]) -> np.ndarray:
    """A writable array from a whitelisted dtype, a shape and exactly as many bytes as they need.
    ``dtypes``: the dtype texts already whitelisted, with their dtype."""
    dtype, shape = data["dtype"], _list(data["shape"])
    kind = dtypes.get(dtype) if type(dtype) is str else None
    if kind is None:
        if not _RAW_DTYPE.match(_str(dtype)):
            raise CodecError(f"refused array dtype {dtype[:40]!r}")
        kind = dtypes[dtype] = np.dtype(dtype)
    if len(shape) > MAX_DIMS or not all(type(d) is int and d >= 0 for d in shape):
        raise CodecError("bad array shape")
    if math.prod(shape) * kind.itemsize != len(blob):
        raise CodecError("the array's bytes do not match its shape")
    array = _frombuffer(blob, dtype=kind).reshape(shape).copy()
    return array.view(np.uint8).astype(bool) if kind.kind == "b" else array  # a 0-d array stays one


# ---------------------------------------------------------------- frames

_LEN = struct.Struct(">Q")
_HDR = struct.Struct(">II")  # JSON length, number of blobs
_BLOB = struct.Struct(">Q")


def pack_frame(message: Any) -> bytes:
    """Encode ``message`` (any value ``encode`` accepts) as one frame:
    ``u64 length | u32 JSON length | u32 blob count | u64 blob sizes... | JSON | blobs``."""
    blobs: list[bytes] = []
    return pack_encoded(encode(message, blobs), blobs)


def dump(data: Any) -> str:
    """Compact JSON text of data made JSON-able by ``encode`` (or a plain envelope around it)."""
    return _dumps(data, separators=(",", ":"), allow_nan=False)


def pack_encoded(data: Any, blobs: list[bytes]) -> bytes:
    """A frame of data already JSON-able: plain JSON objects (a protocol envelope, no ``$`` key)
    holding values made by ``encode`` with ``blobs``. Cheaper than encoding the envelope too."""
    return pack_text(dump(data), blobs)


def pack_text(text: str, blobs: list[bytes]) -> bytes:
    """A frame from its JSON text and the blobs it refers to."""
    data = text.encode()
    payload = b"".join([_HDR.pack(len(data), len(blobs)), *(_BLOB.pack(len(b)) for b in blobs), data, *blobs])
    return _LEN.pack(len(payload)) + payload


def unpack_payload(payload: Union[bytes, memoryview], decoder: Optional[Decoder] = None) -> Any:
    """Decode one frame's payload (without its length prefix); a memoryview is sliced, not copied."""
    if len(payload) < _HDR.size:
        raise CodecError("truncated frame")
    text_len, count = _HDR.unpack_from(payload)
    offset = _HDR.size + count * _BLOB.size
    if offset + text_len > len(payload):
        raise CodecError("truncated frame header")
    sizes = [_BLOB.unpack_from(payload, _HDR.size + i * _BLOB.size)[0] for i in range(count)]
    text = payload[offset:offset + text_len]
    blobs, offset = [], offset + text_len
    for size in sizes:
        if offset + size > len(payload):
            raise CodecError("blob sizes do not match the frame")
        blobs.append(payload[offset:offset + size])
        offset += size
    return (decoder or Decoder()).decode_json(text, blobs)


class FrameReader:
    """Incremental frame splitter for a byte stream, refusing frames above ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._buffer = bytearray()
        self.oversized: int | None = None  # the declared size of a refused frame

    def feed(self, chunk: bytes) -> list[bytes]:
        """Add bytes; return the payloads of every frame now complete."""
        if self.oversized is not None:
            return []
        self._buffer += chunk
        payloads = []
        while len(self._buffer) >= _LEN.size:
            (size,) = _LEN.unpack_from(self._buffer)
            if size > self.max_bytes:
                self.oversized = size
                self._buffer.clear()
                break
            if len(self._buffer) < _LEN.size + size:
                break
            payloads.append(bytes(self._buffer[_LEN.size:_LEN.size + size]))
            del self._buffer[:_LEN.size + size]
        return payloads
