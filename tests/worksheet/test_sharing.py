"""Blocks written once (``[shared.NAME]``) and used by several checks (``use = "NAME"``)."""

from __future__ import annotations

import pytest

from conftest import TD5, edited_td5
from grader.errors import SpecError
from grader.worksheet.loading import load_worksheet
from grader.worksheet.sharing import apply_shared, merged


def test_own_keys_are_written_over_the_shared_ones_and_a_generator_is_replaced_whole():
    shared = {"cases": 10, "inputs": {"m": {"kind": "int", "low": 2, "high": 9}, "x": {"kind": "fixed", "value": 1}},
              "shrink": {"dims": {"m": [2]}, "inputs": {"x": {"kind": "fixed", "value": 0}}}}
    own = {"id": "c", "cases": 3, "inputs": {"m": {"kind": "choice", "values": [4]}, "y": {"kind": "fixed", "value": 2}},
           "shrink": {"inputs": {"y": {"kind": "fixed", "value": 0}}}}
    out = merged(shared, own)
    assert out["cases"] == 3 and out["id"] == "c"
    assert out["inputs"] == {"m": {"kind": "choice", "values": [4]}, "x": {"kind": "fixed", "value": 1},
                             "y": {"kind": "fixed", "value": 2}}
    assert list(out["inputs"]) == ["m", "x", "y"]  # the shared ones first: the same draws as written out
    assert out["shrink"] == {"dims": {"m": [2]}, "inputs": {"x": {"kind": "fixed", "value": 0},
                                                             "y": {"kind": "fixed", "value": 0}}}
    assert shared["inputs"]["m"]["kind"] == "int"  # the block itself is left as it was


def test_several_blocks_in_order():
    data = {"shared": {"a": {"cases": 1, "points": 2}, "b": {"cases": 5}},
            "questions": [{"checks": [{"id": "c", "use": ["a", "b"]}]}]}
    assert apply_shared(data) == [] and data["questions"][0]["checks"][0] == {"cases": 5, "points": 2, "id": "c"}
    assert "shared" not in data


def test_td5_writes_its_batch_and_its_spectrum_once():
    text = (TD5 / "worksheet.toml").read_text()
    assert text.count('use = "batch"') == 3 and text.count('use = "spectrum"') == 3
    ws = load_worksheet(TD5)
    checks = {c.id: c for q in ws.questions for c in q.checks}
    assert list(checks["bn_forward"].inputs) == ["m", "n", "x", "gamma", "beta", "eps"]
    assert list(checks["bn_backward_dx"].inputs) == ["m", "n", "x", "gamma", "beta", "eps", "dout"]
    assert list(checks["bn_backward_params"].shrink.inputs) == ["x", "gamma", "beta", "eps", "dout"]
    assert checks["optimal_step"].edge_cases == checks["convergence_rate"].edge_cases and \
        len(checks["max_step"].edge_cases[2]["H"]) == 6


def test_an_unknown_block_is_refused_with_its_line_and_the_known_ones(tmp_path):
    folder = edited_td5(tmp_path, lambda t: t.replace('use = "spectrum"  #', 'use = "spectrun"  #', 1))
    with pytest.raises(SpecError) as caught:
        load_worksheet(folder)
    text = str(caught.value)
    assert "worksheet.toml" in text and "questions[8].checks[0].use" in text
    assert "no shared block named 'spectrun' (the shared blocks: batch, spectrum)" in text
    line = next(i for i, l in enumerate((folder / "worksheet.toml").read_text().splitlines(), 1) if "spectrun" in l)
    assert f"line {line}:" in text


@pytest.mark.parametrize("data", [{"shared": 3}, {"shared": {"a": [1]}},
                                  {"shared": {"a": {}}, "questions": [{"checks": [{"use": 3}]}]}])
def test_a_block_that_is_no_table_or_a_use_that_names_none_is_refused(data):
    problems = apply_shared(data)
    assert len(problems) == 1 and problems[0][0][0] in ("shared", "questions")
