"""Similarity: a disguised copy is flagged; independent correct solutions are not; starter code and
what the whole class shares are set aside; notebooks are compared by their code."""

from __future__ import annotations

import json

from conftest import EXAMPLES, ROOT
from grader.classroom.similarity import class_similarity, code_of, compare, fingerprint, tokens

# An independent TD 5 solution: batch norm's backward pass through its staged graph (the
# reference and the example use the closed form), and the rest written its own way.
STAGED = '''
import numpy as np

def preactivation_stats(d, sigma):
    mean = 0.0
    variance = d * (sigma ** 2)
    return mean, variance

def good_sigma(d):
    return d ** -0.5

def glorot_sigma(d, n_h):
    fan = d + n_h
    return (2.0 / fan) ** 0.5

def glorot_normal(d, n_h, rng):
    s = glorot_sigma(d, n_h)
    return s * rng.standard_normal((d, n_h))

def glorot_uniform_limit(d, n_h):
    return (6.0 / (d + n_h)) ** 0.5

def glorot_uniform(d, n_h, rng):
    lim = glorot_uniform_limit(d, n_h)
    return lim * (2 * rng.random((d, n_h)) - 1)

def bn_forward(x, gamma, beta, eps=1e-5):
    N = x.shape[0]
    mean = np.mean(x, axis=0)
    centred = x - mean
    sq = centred ** 2
    variance = np.mean(sq, axis=0)
    root = np.sqrt(variance + eps)
    inv = 1.0 / root
    xhat = centred * inv
    out = gamma * xhat + beta
    return out, (xhat, gamma, centred, inv, root, variance, eps)

def bn_backward(dout, cache):
    xhat, gamma, centred, inv, root, variance, eps = cache
    N = dout.shape[0]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * xhat, axis=0)
    dxhat = dout * gamma
    dinv = np.sum(dxhat * centred, axis=0)
    dcentred1 = dxhat * inv
    droot = -dinv / (root ** 2)
    dvariance = 0.5 * droot / np.sqrt(variance + eps)
    dsq = np.ones_like(dout) * dvariance / N
    dcentred2 = 2 * centred * dsq
    dx1 = dcentred1 + dcentred2
    dmean = -np.sum(dx1, axis=0)
    dx2 = np.ones_like(dout) * dmean / N
    return dx1 + dx2, dgamma, dbeta

def gradient_counterexample():
    return np.array([[2.0, 0.0], [0.0, 8.0]]), np.ones(2), np.zeros(2)

def quadratic_value(w, w_star, H, c_star):
    delta = np.asarray(w) - np.asarray(w_star)
    return c_star + delta.dot(H.dot(delta)) / 2

def gd_iterate(w0, w_star, H, step, t):
    w = np.array(w0, dtype=float)
    for _ in range(t):
        w = w - step * H.dot(w - w_star)
    return w

def optimal_step(H):
    ev = np.linalg.eigvalsh(H)
    return 2.0 / (ev[0] + ev[-1])

def max_step(H):
    ev = np.linalg.eigvalsh(H)
    return 2.0 / ev[-1]

def convergence_rate(H):
    ev = np.linalg.eigvalsh(H)
    return (ev[-1] - ev[0]) / (ev[-1] + ev[0])
'''


def _pairs(result):
    return {frozenset((p.a, p.b)): p.similarity for p in result.pairs}


def test_names_comments_strings_and_layout_do_not_count():
    a = [t[0] for t in tokens("def f(x):\n    # add one\n    return x + 1  # done\n")]
    b = [t[0] for t in tokens('def g(value):\n\n    """Doc."""\n    return value + 1\n')]
    assert a == ["def", "V", "(", "V", ")", ":", ">", "return", "V", "+", "1", "<"]
    assert b == ["def", "V", "(", "V", ")", ":", ">", "S", "return", "V", "+", "1", "<"]
    assert [t[0] for t in tokens("np.sqrt(len(x))")] == ["V", ".", "sqrt", "(", "len", "(", "V", ")", ")"]


def test_a_disguised_copy_is_flagged_and_independent_solutions_are_not():
    import re

    perfect = (EXAMPLES / "perfect.py").read_text()
    head, *defs = re.split(r"\n(?=def )", perfect)
    copy = head + "\n" + "\n".join(reversed(defs))  # functions reordered, variables renamed, comments added
    for old, new in (("x_hat", "xn"), ("std", "sdev"), ("dout", "g_out"), ("lam", "eigs"), ("mu", "m_b")):
        copy = re.sub(rf"\b{old}\b", new, copy)
    copy = copy.replace("\n    return", "\n    # the result\n    return")
    reference = (ROOT / "reference" / "td5" / "solution.py").read_text()
    codes = {"perfect": perfect, "copy": copy, "reference": reference, "staged": STAGED}
    result = compare([fingerprint(k, v) for k, v in codes.items()])
    pairs = _pairs(result)
    assert set(pairs) == {frozenset(("perfect", "copy"))}, pairs
    assert pairs[frozenset(("perfect", "copy"))] > 0.8
    flagged = result.pairs[0]
    marked = "".join(copy[a:b] for a, b in (flagged.spans_a if flagged.a == "copy" else flagged.spans_b))
    assert "eigvalsh" in marked  # the matching parts point into the copy's own text
    assert result.compared == 4 and result.median < 0.5


def test_starter_code_and_the_class_usual_are_set_aside():
    starter = '''
import numpy as np

def bn_forward(x, gamma, beta, eps=1e-5):
    """Batch norm's forward pass: return (out, cache)."""
    m = x.shape[0]
    mu = x.sum(axis=0) / m
    var = ((x - mu) ** 2).sum(axis=0) / m
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    raise NotImplementedError
'''
    a = starter.replace("    raise NotImplementedError\n", "    return gamma * x_hat + beta, (x_hat, std)\n")
    b = starter.replace("    raise NotImplementedError\n", "    out = x_hat\n    out = out * gamma\n    return out + beta, None\n")
    prints = [fingerprint("a", a + STAGED.split("def gradient_counterexample")[0]),
              fingerprint("b", b + "\n" + (EXAMPLES / "perfect.py").read_text().split("def bn_forward")[0])]
    assert not compare(prints, starter).pairs  # what they share is the starter's
    assert compare(prints).compared == 2


def test_a_class_through_bulk_writes_similarity_json_and_the_summary_section(tmp_path):
    import nbformat

    from grader.classroom.bulk import grade_class
    from conftest import TD5

    root = tmp_path / "class"
    root.mkdir()
    perfect = (EXAMPLES / "perfect.py").read_text()
    (root / "ann.py").write_text(perfect)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# TD 5"),
                                         nbformat.v4.new_code_cell("%matplotlib inline\n" + perfect.replace("    ", "\t"))])
    (root / "ben.ipynb").write_text(nbformat.writes(nb))
    (root / "cat.py").write_text(STAGED)
    (root / "dan.py").write_text((ROOT / "reference" / "td5" / "solution.py").read_text())
    (root / "eve.py").write_text("print('nothing here')\n")
    out = tmp_path / "results"
    grade_class(root, TD5, out, jobs=2)
    found = json.loads((out / "similarity.json").read_text())
    assert [(p["a"], p["b"]) for p in found["pairs"]] == [("ann", "ben")]
    assert found["skipped"] == ["eve"] and found["compared"] == 4
    assert set(found["code"]) == {"ann", "ben"}
    summary = (out / "summary.md").read_text()
    assert "Submissions unusually alike" in summary and "never a verdict" in summary
    assert "| ann | ben |" in summary
    assert "%matplotlib" not in code_of(root / "ben.ipynb") and "def bn_backward" in code_of(root / "ben.ipynb")


def test_any_text_tokenizes_within_its_bounds():
    from hypothesis import given, settings, strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=300))
    def check(code):
        for word, begin, end in tokens(code):
            assert word and 0 <= begin <= end <= len(code)
        fingerprint("x", code)

    check()
    assert tokens('s = """never closed\n') and tokens("\x00\x01 ((( '") is not None


def test_a_verbatim_copy_is_flagged_even_where_copies_are_the_usual(tmp_path):
    # four students, two of them one file: the median pair is high, the copy is flagged all the same
    perfect = (EXAMPLES / "perfect.py").read_text()
    codes = {"alice": perfect, "dora": perfect, "bob": (EXAMPLES / "partial.py").read_text(),
             "carl": perfect.replace("def max_step(H):", "def max_step(H):\n    pass\n\ndef _old(H):")}
    result = compare([fingerprint(k, v) for k, v in codes.items()])
    assert result.threshold <= 0.9 and frozenset(("alice", "dora")) in _pairs(result)


def test_odd_text_in_a_notebook_does_not_stop_the_report(tmp_path):
    from grader.classroom.discover import Entry
    from grader.classroom.similarity import class_similarity

    path = tmp_path / "odd.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "source": "s = 'caf\ud800'\nx = 1"}], "nbformat": 4}))
    assert "\\ud800" in path.read_text()  # a lone surrogate, escaped as JSON allows
    (tmp_path / "a.py").write_text((EXAMPLES / "perfect.py").read_text())
    found = class_similarity([Entry("odd", path), Entry("a", tmp_path / "a.py")])
    assert found["compared"] <= 2 and "key" in found


def test_a_run_on_a_few_late_submissions_keeps_the_class_comparison(tmp_path):
    from grader.classroom.bulk import grade_class
    from conftest import TD5

    root, late = tmp_path / "class", tmp_path / "late"
    root.mkdir()
    late.mkdir()
    perfect = (EXAMPLES / "perfect.py").read_text()
    (root / "ann.py").write_text(perfect)
    (root / "ben.py").write_text(perfect + "\n# mine\n")
    (root / "dan.py").write_text((ROOT / "reference" / "td5" / "solution.py").read_text())
    (late / "zoe.py").write_text(STAGED)
    out = tmp_path / "results"
    grade_class(root, TD5, out, jobs=2)
    first = json.loads((out / "similarity.json").read_text())
    assert [(p["a"], p["b"]) for p in first["pairs"]] == [("ann", "ben")]
    grade_class(late, TD5, out, jobs=2)
    assert json.loads((out / "similarity.json").read_text())["pairs"] == first["pairs"]
