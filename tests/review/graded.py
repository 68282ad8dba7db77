"""A small graded class for the review tests (imported by them: its fixtures): four students graded once per
``grade bulk``, copied afresh into each test's own folder."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import EXAMPLES, TD5

HOSTILE_ANSWER = '<script>alert(1)</script><img src=x onerror="alert(2)"> & <b>bold</b>'


def disguised(code: str) -> str:
    """``code`` with its functions in the reverse order, its variables renamed and comments added:
    what a student copying another's file does."""
    head, *defs = re.split(r"\n(?=def )", code)
    code = head + "\n" + "\n".join(reversed(defs))
    for old, new in (("x_hat", "xn"), ("std", "sdev"), ("dout", "upstream"), ("lam", "eigs"), ("coords", "z"),
                     ("mu", "mean_b"), ("var", "variance_b")):
        code = re.sub(rf"\b{old}\b", new, code)
    return code.replace("\n    return", "\n    # the result\n    return")


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory):
    from grader.classroom.bulk import grade_class

    root = tmp_path_factory.mktemp("class")
    perfect = (EXAMPLES / "perfect.py").read_text()
    (root / "alice.py").write_text(perfect)
    (root / "bob.py").write_text((EXAMPLES / "partial.py").read_text())
    (root / "carol.py").write_text(disguised(perfect))
    hostile = (TD5.parent.parent / "reference" / "td5" / "solution.py").read_text()
    (root / "dana.py").write_text(hostile + f"\nANSWER_I_2 = {HOSTILE_ANSWER!r}\n")
    out = tmp_path_factory.mktemp("results")
    grade_class(root, TD5, out, jobs=2)
    return root, out


@pytest.fixture
def results(graded_class, tmp_path):
    """A fresh copy of the graded class's results folder."""
    _, out = graded_class
    copy = tmp_path / "results"
    shutil.copytree(out, copy)
    return copy
