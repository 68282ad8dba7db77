"""The answer table never reaches a child: a submission that walks every object it can reach and
reads its whole address space (/proc/self/mem) finds none of the table's expected values.

The test plants a marker value in the table (an expected value of a case, a mistake's value, a
shrink candidate's, the gradient case's, a formula point's) and the submission looks for its
bytes, never holding them itself (it compares against the marker's bits XOR a key).
"""

from __future__ import annotations

import dataclasses
import struct

import pytest

from conftest import BASE, TD5
from grader.api import Grader

MARKER = 271828.182845904  # no TD 5 value is near it
KEY = 0x5DEECE66D1234567
MASKED = struct.unpack("<Q", struct.pack("<d", MARKER))[0] ^ KEY

SCANNER = f'''
import gc, struct
import numpy as _np

_KEY, _MASKED = {KEY}, {MASKED}
_REPORTED = []


def _float_hit(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0] ^ _KEY == _MASKED


def _scan():
    hits = []
    for obj in gc.get_objects():
        if type(obj) is float and _float_hit(obj):
            hits.append("gc float")
        elif type(obj) in (list, tuple, dict):
            items = obj.values() if type(obj) is dict else obj
            hits += ["gc item" for v in list(items)[:10000] if type(v) is float and _float_hit(v)]
    key = _np.uint64(_KEY)
    try:
        mem = open("/proc/self/mem", "rb", buffering=0)
        how = "proc"
    except OSError:  # the sandbox makes the process undumpable: read the same memory directly
        import ctypes
        mem, how = None, "ctypes"
    hits.append("read:" + how)
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            if "r" not in fields[1] or (len(fields) > 5 and fields[5] in ("[vvar]", "[vsyscall]", "[vvar_vclock]")):
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            try:
                if mem is not None:
                    mem.seek(start)
                    data = mem.read(end - start)
                else:
                    data = ctypes.string_at(start, end - start)
            except (OSError, ValueError, OverflowError):
                continue
            raw = _np.frombuffer(data, dtype=_np.uint8)
            for shift in range(8):
                usable = (raw.size - shift) // 8 * 8
                if usable <= 0:
                    continue
                words = raw[shift:shift + usable].view(_np.uint64)
                if ((words ^ key) == _np.uint64(_MASKED)).any():
                    hits.append(f"memory {{fields[-1] if len(fields) > 5 else 'anonymous'}}")
    return hits


def good_sigma(d):
    if not _REPORTED:
        _REPORTED.append(_scan())
        found = [h for h in _REPORTED[0] if not h.startswith("read:")]
        print("SCAN", "clean" if not found else "FOUND " + ", ".join(sorted(set(found))), _REPORTED[0][0])
    return 1 / _np.sqrt(d)
'''


def _marked(table):
    """The table with the marker planted wherever an answer lives."""
    checks = dict(table.checks)
    good = checks["I.1/good_sigma"]
    cases = [dataclasses.replace(c, expected=[MARKER]) for c in good.cases]
    checks["I.1/good_sigma"] = dataclasses.replace(good, cases=cases)
    bn = checks["II.1/bn_forward"]
    first = bn.cases[0]
    planted = dataclasses.replace(first, mistakes={k: [MARKER] for k in first.mistakes})
    shrink = [dataclasses.replace(c, expected=[MARKER]) for c in bn.shrink]
    checks["II.1/bn_forward"] = dataclasses.replace(bn, cases=[planted, *bn.cases[1:]], shrink=shrink)
    dx = checks["II.2/bn_backward_dx"]
    checks["II.2/bn_backward_dx"] = dataclasses.replace(dx, probe=dataclasses.replace(dx.probe, reference_output=MARKER))
    formulas = {k: dataclasses.replace(f, expected=[MARKER] * len(f.expected)) for k, f in table.formulas.items()}
    return dataclasses.replace(table, checks=checks, formulas=formulas)


@pytest.mark.parametrize("launcher", ["fresh", "forked"])
def test_no_child_holds_an_expected_value(tmp_path, launcher):
    from grader.sandbox.forkserver import ForkServer

    server = ForkServer() if launcher == "forked" else None
    try:
        reference_grader = Grader(TD5)
        table = _marked(reference_grader.table(5))
        grader = Grader(TD5, table=table, launcher=server)
        path = tmp_path / "scanner.py"
        path.write_text(BASE.replace("def good_sigma(d):\n    return 1 / np.sqrt(d)\n", "") + SCANNER)
        report = grader.grade(path, seed=5)
    finally:
        if server is not None:
            server.close()
    check = next(c for c in report.checks() if c.id == "I.1/good_sigma")
    assert check.status == "failed"  # the marker is what it was compared with: it was planted
    assert "SCAN clean read:" in report.stdout, report.stdout[-500:] + report.stderr[-2000:]


def test_the_scanner_finds_the_marker_where_it_is_sent(tmp_path):
    # the control: planted in an input (which the child must have), the same scan finds it
    grader = Grader(TD5)
    table = grader.table(5)
    checks = dict(table.checks)
    bn = checks["II.1/bn_forward"]
    checks["II.1/bn_forward"] = dataclasses.replace(
        bn, cases=[dataclasses.replace(c, inputs={**c.inputs, "eps": MARKER}) for c in bn.cases])
    path = tmp_path / "scanner.py"
    path.write_text(BASE.replace("def good_sigma(d):\n    return 1 / np.sqrt(d)\n", "") + SCANNER)
    report = Grader(TD5, table=dataclasses.replace(table, checks=checks)).grade(path, seed=5)
    assert "SCAN FOUND" in report.stdout and "memory" in report.stdout, report.stdout[-500:]
