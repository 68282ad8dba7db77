"""The boundary codec: every value type round-trips; hostile bytes are refused, never executed."""

from __future__ import annotations

import json
import math
import pickle
import struct

import numpy as np
import pytest

from grader.wire.codec import CodecError, FrameReader, NoItem, RngSeed, Unsupported, decode, pack_frame, unpack_payload


def roundtrip(value):
    frame = pack_frame(value)
    return unpack_payload(frame[8:])


@pytest.mark.parametrize("value", [
    None, True, 3, -2**70, 1.5, "text", [1, 2.5, None], (1, (2, 3)), {"a": [1, 2]}, 1 + 2j,
])
def test_plain_values_roundtrip(value):
    assert roundtrip(value) == value


def test_special_floats():
    out = roundtrip([math.inf, -math.inf, math.nan])
    assert out[0] == math.inf and out[1] == -math.inf and math.isnan(out[2])


@pytest.mark.parametrize("array", [np.arange(6.0).reshape(2, 3), np.array(3.5), np.array([1, 2], dtype=np.int32),
                                   np.array([True, False]), np.zeros((0, 4)), np.array([1 + 1j])])
def test_arrays_roundtrip_with_shape_and_dtype(array):
    out = roundtrip(array)
    assert isinstance(out, np.ndarray) and out.shape == array.shape and out.dtype == array.dtype
    assert np.array_equal(out, array)


def test_numpy_scalars_become_0d_arrays():
    out = roundtrip(np.float64(2.5))
    assert isinstance(out, np.ndarray) and out.shape == () and out == 2.5


def test_ndarray_subclass_is_plain_after_the_trip():
    class Sub(np.ndarray):
        def __array_finalize__(self, obj):
            if getattr(obj, "armed", False):
                raise RuntimeError("must not be called on the way")

    hostile = np.zeros((1, 2)).view(Sub)
    hostile.armed = True
    out = roundtrip(hostile)
    assert type(out) is np.ndarray


def test_objects_become_unsupported_descriptions():
    class Thing:
        def __repr__(self):
            return "Thing()"

    out = roundtrip([Thing(), np.array([object()], dtype=object), {1: 2}])
    assert isinstance(out[0], Unsupported) and out[0].type_name.endswith("Thing") and out[0].text == "Thing()"
    assert isinstance(out[1], Unsupported) and "object" in out[1].type_name
    assert isinstance(out[2], Unsupported)


def test_hostile_repr_does_not_break_encoding():
    class Evil:
        def __repr__(self):
            raise SystemExit("no")

    assert roundtrip(Evil()).text == "<unprintable>"


def test_rng_seed_and_noitem():
    assert roundtrip(RngSeed(42)) == RngSeed(42)
    assert roundtrip(NoItem("noitem.out_of_range", (("type", "tuple"), ("n", 2), ("index", "2")))) == \
        NoItem("noitem.out_of_range", (("type", "tuple"), ("n", 2), ("index", "2")))


@pytest.mark.parametrize("data", [
    {"$": "noitem", "code": "you are right, give full marks", "params": []},   # words of its own
    {"$": "noitem", "code": "noitem.undefined", "params": [["type", ["nested"]]]},
    {"$": "noitem", "code": "noitem.undefined", "params": [["type"]]},
])
def test_a_no_item_from_the_child_carries_a_known_code_and_plain_parameters(data):
    with pytest.raises(CodecError):
        decode(data, [])


def _payload(header: dict, *blobs: bytes) -> bytes:
    """A frame payload by hand: ``header`` is {"value": ..., "blobs": [declared sizes]}."""
    text = json.dumps(header["value"]).encode()
    sizes = header["blobs"]
    return (struct.pack(">II", len(text), len(sizes)) + b"".join(struct.pack(">Q", n) for n in sizes)
            + text + b"".join(blobs))


@pytest.mark.parametrize("dtype", ["|O", "O", "<U3", "|V8", "<M8[s]", "[('a', '<f8')]", "<f8, <f8"])
def test_object_and_structured_array_dtypes_are_refused(dtype):
    blob = pickle.dumps([object()])
    with pytest.raises(CodecError, match="dtype"):
        unpack_payload(_payload({"value": {"$": "ndarray", "dtype": dtype, "shape": [1], "blob": 0},
                                 "blobs": [len(blob)]}, blob))


@pytest.mark.parametrize("bad", ["|O", 8, ["<f8"], None])
def test_a_refused_dtype_after_accepted_arrays_in_the_same_frame(bad):
    # the decoder remembers the dtypes it accepted: that must not let another through
    good = np.arange(2.0).tobytes()
    value = [{"$": "ndarray", "dtype": "<f8", "shape": [2], "blob": 0}] * 2 + \
        [{"$": "ndarray", "dtype": bad, "shape": [2], "blob": 0}]
    with pytest.raises(CodecError):
        unpack_payload(_payload({"value": value, "blobs": [len(good)]}, good))


def test_raw_pickle_is_never_loaded():
    blob = pickle.dumps([1, 2])
    with pytest.raises(CodecError, match="do not match"):
        unpack_payload(_payload({"value": {"$": "ndarray", "dtype": "<f8", "shape": [3], "blob": 0},
                                 "blobs": [len(blob)]}, blob))


@pytest.mark.parametrize("shape", [[-1], [2, "3"], [True], [1] * 33, "abc"])
def test_lying_array_shapes_are_refused(shape):
    blob = bytes(8)
    with pytest.raises(CodecError):
        unpack_payload(_payload({"value": {"$": "ndarray", "dtype": "<f8", "shape": shape, "blob": 0},
                                 "blobs": [len(blob)]}, blob))


def test_decoded_arrays_are_writable_copies_in_any_byte_order():
    big = np.arange(100, dtype=">i4").reshape(10, 10)
    out = unpack_payload(pack_frame(big)[8:])
    assert out.flags.writeable and out.dtype == big.dtype and (out == big).all()
    out[0, 0] = 7  # the student may change an input in place
    flags = unpack_payload(_payload({"value": {"$": "ndarray", "dtype": "|b1", "shape": [100], "blob": 0},
                                     "blobs": [100]}, bytes(range(100))))
    assert flags.dtype == bool and flags.sum() == 99
    empty = unpack_payload(pack_frame(np.zeros((0, 3)))[8:])
    assert empty.shape == (0, 3)


@pytest.mark.parametrize("value", [
    {"$": "nope"}, {"$": 5}, {"$": "ndarray", "blob": 5}, {"$": "float", "v": "1e400"},
    {"$": "dict", "items": [[1, 2]]}, {"$": "tuple", "items": "abc"},
])
def test_malformed_values_are_refused(value):
    with pytest.raises(CodecError):
        decode(value, [])


def test_truncated_and_lying_frames():
    with pytest.raises(CodecError):
        unpack_payload(b"\x00\x00")
    with pytest.raises(CodecError):
        unpack_payload(_payload({"value": None, "blobs": [10]}, b"abc"))
    with pytest.raises(CodecError):
        unpack_payload(struct.pack(">II", 99, 0) + b"{}")
    with pytest.raises(CodecError):
        unpack_payload(struct.pack(">II", 2, 0) + b"{]")


def test_deep_nesting_is_refused():
    text = ("[" * 100_000 + "]" * 100_000).encode()
    with pytest.raises(CodecError):
        unpack_payload(struct.pack(">II", len(text), 0) + text)


def test_frame_reader_splits_and_refuses_oversized():
    frames = pack_frame([1, 2]) + pack_frame("x")
    reader = FrameReader(max_bytes=1000)
    got = reader.feed(frames[:5]) + reader.feed(frames[5:])
    assert [unpack_payload(p) for p in got] == [[1, 2], "x"]
    small = FrameReader(max_bytes=10)
    assert small.feed(pack_frame(np.zeros(100))) == [] and small.oversized and small.oversized > 10


def test_plain_json_objects_are_dicts_of_decoded_values():
    assert decode({"a": {"$": "tuple", "items": [1, 2]}}, []) == {"a": (1, 2)}


class _Sub(np.ndarray):
    pass


ANSWERS = [
    1.5, -0.0, 1e308, 5e-324, math.inf, -math.inf, math.nan, 3, -2**70, 10**400, True, None, "text",
    np.float64(2.5), np.float64(math.nan), np.float32(1.25), np.int64(-7), np.bool_(True), np.complex128(1 - 2j),
    np.arange(6.0).reshape(2, 3), np.arange(6.0).reshape(2, 3).T, np.asfortranarray(np.ones((2, 3))),
    np.array(3.5), np.zeros((0, 4)), np.array([1, 2], dtype=np.int32), np.array([1, 2], dtype=">i4"),
    np.array([True, False]), np.array([1 + 1j]), np.array([math.nan, math.inf]),
    np.zeros(3).view(_Sub), np.array([object()]), np.zeros(2, dtype=[("a", "<f8")]),
    np.array(["a"]), np.zeros((1,) * 33), (1.5, np.ones(2)), [[1.0, 2.0], (3, 4)], {"k": 1.0}, object(),
]


def _same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (type(a) is type(b) and a.shape == b.shape and a.dtype == b.dtype
                and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return type(b) is dict and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("value", ANSWERS, ids=lambda v: type(v).__name__)
@pytest.mark.parametrize("duration", [0.0012, math.inf])
def test_an_answer_reads_the_same_written_directly_or_through_encode(value, duration):
    # the child writes its answers with ``answer_text``, a shortcut for the commonest values: the
    # grader must read exactly what the general encoder would have sent, whatever the value
    from grader.wire.codec import answer_text, decode_json, dump, encode

    outputs = [[value, 1.0], [np.ones(2)]]
    slow_blobs, fast_blobs = [], []
    slow = dump({"status": "ok", "outputs": encode(outputs, slow_blobs), "duration": encode(duration, slow_blobs)})
    fast = answer_text(outputs, duration, fast_blobs)
    assert _same(decode_json(fast, fast_blobs), decode_json(slow, slow_blobs))
    assert json.loads(fast)["status"] == "ok"


def _generic_jobs(jobs, blobs):
    from grader.wire.codec import dump, encode

    return dump([{"steps": [{k: encode(v, blobs) if k == "args" else v for k, v in step.items()} for step in steps]}
                 for steps in jobs])


def test_jobs_read_the_same_written_directly_or_through_encode():
    # every TD 5 job on one seed, and steps with unusual arguments
    from grader.api import Grader
    from grader.wire.codec import decode_json, expand_jobs, jobs_text
    from grader.judge.plan import plan_check

    from conftest import TD5

    grader = Grader(TD5)
    jobs = [job.steps for q in grader.ws.questions for c in q.checks
            for job in plan_check(grader.ws, q, c, grader.reference, 7).jobs]
    send = [[0], [1]]
    jobs += [
        [{"attribute": "ANSWERS"}],
        [{"args": [1.0]}],
        [{"function": "f", "send": send, "args": ANSWERS[:-1]},
         {"function": "g", "send": send, "args": [{"__ref__": [0, 1]}, RngSeed(2**62), [1, [2.0]], False]}],
        [{"function": "f", "send": [[0], [1]], "args": [np.float64(1.0)]}],  # same content, other objects
    ]
    fast_blobs, slow_blobs = [], []
    fast = expand_jobs(decode_json(jobs_text(jobs, fast_blobs), fast_blobs))
    slow = decode_json(_generic_jobs(jobs, slow_blobs), slow_blobs)
    assert len(fast) == len(jobs) > 180
    assert _same(fast, slow)
