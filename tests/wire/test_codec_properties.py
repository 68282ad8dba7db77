"""Properties of the boundary codec, over values Hypothesis draws: whatever the child may send
round-trips exactly, and bytes it may forge are refused with a CodecError, never anything else."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.wire.codec import CodecError, FrameReader, pack_frame, unpack_payload

DTYPES = st.sampled_from([np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_, np.complex128])
ARRAYS = DTYPES.flatmap(lambda dtype: hnp.arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=4, min_side=0,
                                                                          max_side=5)))
SCALARS = st.none() | st.booleans() | st.integers(-2**80, 2**80) | st.floats(allow_nan=True) \
    | st.text(max_size=50) | st.complex_numbers(allow_nan=False)
VALUES = st.recursive(SCALARS | ARRAYS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


def _same(a, b) -> bool:
    """Equal, type for type (a tuple stays a tuple, an array keeps its dtype and shape), NaN
    equal to NaN."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape \
            and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, complex):
        return _same(a.real, b.real) and _same(a.imag, b.imag)
    return a == b


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_every_value_round_trips_exactly(value):
    frame = pack_frame(value)
    assert _same(unpack_payload(frame[8:]), value)


@settings(max_examples=100, deadline=None)
@given(VALUES, st.lists(st.integers(1, 64), min_size=1, max_size=8))
def test_a_stream_cut_anywhere_gives_back_the_same_frames(value, cuts):
    frames = pack_frame(value) * 2
    reader, payloads, start = FrameReader(max_bytes=1 << 30), [], 0
    for size in cuts * (len(frames) // sum(cuts) + 1):
        payloads += reader.feed(frames[start:start + size])
        start += size
    assert len(payloads) == 2 and all(_same(unpack_payload(p), value) for p in payloads)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200))
def test_forged_bytes_are_refused_cleanly(data):
    try:
        unpack_payload(data)
    except CodecError:
        pass


@settings(max_examples=300, deadline=None)
@given(VALUES, st.data())
def test_a_damaged_frame_is_refused_or_read_never_crashes(value, data):
    payload = bytearray(pack_frame(value)[8:])
    index = data.draw(st.integers(0, len(payload) - 1))
    payload[index] = data.draw(st.integers(0, 255))
    try:
        unpack_payload(bytes(payload))
    except CodecError:
        pass
