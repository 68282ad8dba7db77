"""``%grade`` and ``grader.check`` in a real IPython kernel (started by jupyter_client, as Jupyter
does, with the notebook's path in ``JPY_SESSION_NAME`` as Jupyter Server sets it)."""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import EXAMPLES

jupyter_client = pytest.importorskip("jupyter_client")
pytest.importorskip("ipykernel")


@pytest.fixture
def kernel(tmp_path):
    """A kernel started in a folder holding the partial notebook; ``start(session=...)``."""
    clients = []

    def start(session: str | None):
        env = {k: v for k, v in os.environ.items() if k != "JPY_SESSION_NAME"}
        if session is not None:
            env["JPY_SESSION_NAME"] = session
        manager, client = jupyter_client.manager.start_new_kernel(kernel_name="python3", cwd=str(tmp_path), env=env)
        clients.append((manager, client))
        return client

    shutil.copy(EXAMPLES / "partial.ipynb", tmp_path / "partial.ipynb")
    yield start, tmp_path
    for manager, client in clients:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def run(client, code: str, timeout: float = 120) -> dict:
    """Execute ``code``; return what came back: 'html', 'text' (results) and 'stdout', 'error'."""
    msg_id = client.execute(code)
    out = {"html": "", "text": "", "stdout": "", "error": ""}
    while True:
        msg = client.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind in ("execute_result", "display_data"):
            out["html"] += content["data"].get("text/html", "")
            out["text"] += content["data"].get("text/plain", "")
        elif kind == "stream":
            out["stdout"] += content["text"]
        elif kind == "error":
            out["error"] += "\n".join(content["traceback"])
        elif kind == "status" and content["execution_state"] == "idle":
            return out


def test_grade_magic_grades_the_saved_notebook_and_shows_html(kernel):
    start, folder = kernel
    client = start(str(folder / "partial.ipynb"))
    assert not run(client, "%load_ext grader")["error"]
    whole = run(client, "%grade")
    assert not whole["error"], whole["error"]
    assert "<table>" in whole["html"] and "16.5 / 28" in whole["html"]
    one = run(client, "%grade II.2")
    assert "II.2" in one["html"] and "I.1" not in one["html"].split("<table>")[1].split("</table>")[0]
    assert "0 / 4" in one["html"] and "bn_backward_dx" in one["html"]
    assert "unsaved" not in one["html"]
    # a text frontend (terminal IPython, print) shows that question too, with its own total
    printed = run(client, "import grader\nprint(grader.check('II.2'))")
    text = printed["stdout"]
    assert text.strip(), printed
    assert "II.2" in text and "bn_backward_dx" in text and "I.1 " not in text and "glorot" not in text
    assert "Score: 0 / 4" in text
    # a .py file named (it was taken for a question, and the notebook graded instead), a folder
    py = run(client, f"%grade {EXAMPLES / 'partial.py'} II.1")
    assert "partial.py" in py["html"] and "bn_forward" in py["html"] and "glorot" not in py["html"]
    given = run(client, f"%grade {folder}")
    assert "a folder, not a submission file" in given["stdout"] and not given["error"]


def test_grade_says_so_when_the_notebook_has_unsaved_changes(kernel):
    start, folder = kernel
    client = start("partial.ipynb")  # a path relative to the kernel's folder, as Jupyter Server may give it
    run(client, "%load_ext grader")
    run(client, "def optimal_step(H):\n    return 0.5")  # typed in the kernel, not saved
    out = run(client, "%grade III.4")
    assert "partial.ipynb has unsaved changes" in out["html"] and "save the notebook" in out["html"]


def test_grader_check_is_a_function_too(kernel):
    start, folder = kernel
    client = start(str(folder / "partial.ipynb"))
    out = run(client, "import grader\ngrader.check('III.4')")
    assert not out["error"], out["error"]
    assert "optimal_step" in out["html"] and "hint" in out["html"] and "unsaved" not in out["html"]
    run(client, "def optimal_step(H):\n    return 0.5")  # typed in the kernel, not saved
    changed = run(client, "grader.check('III.4')")
    assert "partial.ipynb has unsaved changes" in changed["html"]


def test_grader_check_without_a_path_says_how_to_name_one_and_finds_vs_codes_notebook(kernel):
    start, folder = kernel
    client = start(None)
    out = run(client, "import grader\ngrader.check('I.2')")
    assert not out["error"], out["error"]  # a line saying what to do, not a traceback
    assert out["stdout"].startswith("grader.check: cannot tell which notebook") and "path='answers.ipynb'" in out["stdout"]
    gone = run(client, "__vsc_ipynb_file__ = '/nowhere/answers.ipynb'\ngrader.check('I.2')")
    assert "/nowhere/answers.ipynb, which is not on disk" in gone["stdout"] and not gone["error"]
    vscode = run(client, f"__vsc_ipynb_file__ = {str(folder / 'partial.ipynb')!r}\ngrader.check('I.2')")
    assert "glorot_sigma" in vscode["html"] and not vscode["error"]


def test_without_a_notebook_path_it_says_how_to_name_one(kernel):
    start, folder = kernel
    client = start(None)
    run(client, "%load_ext grader")
    out = run(client, "%grade")
    assert "cannot tell which notebook" in out["stdout"] and "%grade answers.ipynb" in out["stdout"]
    named = run(client, "%grade partial.ipynb I.2")
    assert "glorot_sigma" in named["html"] and not named["error"]
