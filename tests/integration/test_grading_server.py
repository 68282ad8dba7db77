"""The grading server (``grade serve``): ``grade FILE`` through it says exactly what it says
without it, in the same sandbox; only its user reaches it; it stops when asked, when idle, and a
dead one's socket is taken over."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES

import grader

# this very grader from any folder (``python -m grader`` would take a checkout's copy in its folder)
GRADE = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(Path(grader.__file__).parent.parent)!r}); "
         "from grader.cli import main; sys.exit(main(sys.argv[1:]))"]


@pytest.fixture
def env():
    """A runtime folder of the test's own (short: a socket's path is at most 107 bytes)."""
    import shutil
    import tempfile

    runtime = tempfile.mkdtemp(prefix="gs-", dir="/tmp")
    yield {**os.environ, "GRADER_SERVER": "1", "XDG_RUNTIME_DIR": runtime}
    shutil.rmtree(runtime, ignore_errors=True)


def grade(env, *args, cwd=None):
    return subprocess.run([*GRADE, *map(str, args)], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


def served(env) -> int:
    done = grade(env, "serve", "--status")
    return 0 if done.returncode else int(done.stderr.split("), ")[1].split()[0])


def _gone(pid: int, within: float = 60) -> bool:
    """Whether ``pid`` has ended (waited for through a pidfd, not polled on a sleep)."""
    import select

    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([fd], [], [], within)[0])
    finally:
        os.close(fd)


def _pid(env) -> int:
    return int(grade(env, "serve", "--status").stderr.split("(pid ")[1].split(")")[0])


def _same(value):
    """A report without what differs from one run to the next: how long each thing took."""
    if isinstance(value, dict):  # (the fork server lists the same isolation in another order)
        return {k: sorted(v) if k == "isolation" else _same(v) for k, v in value.items() if k != "duration"}
    return [_same(v) for v in value] if isinstance(value, list) else value


def test_grades_through_the_server_say_what_grades_without_it_say(env, tmp_path):
    started = grade(env, "serve", "--idle", "120")
    assert started.returncode == 0 and "grading server started" in started.stderr, started.stderr
    pid = _pid(env)
    try:
        off = {**env, "GRADER_SERVER": "0"}
        for args in ([EXAMPLES / "partial.py", "-f", "json"], [EXAMPLES / "partial.ipynb", "--lang", "fr"],
                     [EXAMPLES / "broken.py"], [tmp_path / "absent.py"], [EXAMPLES / "perfect.py", "--seed", "5"]):
            there, here = grade(env, *args), grade(off, *args)
            assert (there.returncode, there.stderr) == (here.returncode, here.stderr), args
            if "json" in args:
                assert _same(json.loads(there.stdout)) == _same(json.loads(here.stdout))
            else:
                assert there.stdout == here.stdout, args
        assert served(env) == 5  # every one of them was the server's
        # a path relative to the asking folder, for the submission and the output
        (tmp_path / "work").mkdir()
        (tmp_path / "work" / "mine.py").write_text((EXAMPLES / "perfect.py").read_text())
        out = grade(env, "mine.py", "-f", "json", "--out", "mine.json", cwd=tmp_path / "work")
        assert out.returncode == 0 and json.loads((tmp_path / "work" / "mine.json").read_text())["score"] == 28
        assert served(env) == 6
        report = json.loads(grade(env, EXAMPLES / "perfect.py", "-f", "json").stdout)
        assert sorted(report["isolation"]) == sorted(json.loads(grade(off, EXAMPLES / "perfect.py", "-f", "json").stdout)["isolation"])
        assert "pid-namespace" in report["isolation"]  # the same sandbox
    finally:
        stopped = grade(env, "serve", "--stop")
    assert f"grading server stopped (pid {pid})" in stopped.stderr
    assert _gone(pid)
    assert grade(env, "serve", "--status").returncode == 1
    assert not list((Path(env["XDG_RUNTIME_DIR"]) / "grader").glob("*.sock"))


def test_it_stops_by_itself_when_idle_and_a_dead_ones_socket_is_taken_over(env):
    assert grade(env, "serve", "--idle", "0.5").returncode == 0
    assert _gone(_pid(env))  # idle: gone without being asked
    assert grade(env, "serve", "--idle", "120").returncode == 0
    pid = _pid(env)
    os.kill(pid, signal.SIGKILL)
    assert _gone(pid)
    assert list((Path(env["XDG_RUNTIME_DIR"]) / "grader").glob("*.sock"))  # it left its socket
    back = grade(env, EXAMPLES / "perfect.py", "-f", "json")  # nobody answers: graded here
    assert back.returncode == 0 and json.loads(back.stdout)["score"] == 28
    assert grade(env, "serve", "--idle", "120").returncode == 0
    try:
        assert _pid(env) != pid and grade(env, EXAMPLES / "perfect.py").returncode == 0 and served(env) == 1
    finally:
        again = _pid(env)
        os.kill(again, signal.SIGTERM)  # kill PID: it cleans up as --stop does
    assert _gone(again)
    assert not list((Path(env["XDG_RUNTIME_DIR"]) / "grader").glob("*.sock"))


def test_a_grade_at_a_terminal_starts_one_for_the_next_and_a_script_never_does(env):
    assert grade(env, EXAMPLES / "perfect.py").returncode == 0  # no terminal: no server
    assert grade(env, "serve", "--status").returncode == 1
    at_terminal = {k: v for k, v in env.items() if k != "CI"}
    primary, secondary = os.openpty()
    try:
        done = subprocess.run([*GRADE, str(EXAMPLES / "perfect.py")], env=at_terminal, stdin=secondary,
                              stdout=secondary, stderr=secondary, timeout=300)
    finally:
        os.close(secondary)
        os.close(primary)
    assert done.returncode == 0
    deadline = time.monotonic() + 60  # it starts in the background: wait until it answers
    while grade(env, "serve", "--status").returncode != 0:
        assert time.monotonic() < deadline, "no server started"
    pid = _pid(env)
    assert grade(env, "serve", "--stop").returncode == 0 and _gone(pid)


def test_a_folder_others_can_open_is_never_used(env):
    folder = Path(env["XDG_RUNTIME_DIR"]) / "grader"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    started = grade(env, "serve", "--idle", "30")
    assert started.returncode == 4 and "did not start" in started.stderr
    assert not list(folder.iterdir())
    done = grade(env, EXAMPLES / "perfect.py", "-f", "json")
    assert done.returncode == 0 and json.loads(done.stdout)["score"] == 28  # graded here


def test_a_request_from_another_grader_or_of_no_kind_is_refused():
    from grader.server.daemon import Server

    server = Server(lambda *a: 0, idle=1)
    assert server.answer({"key": "0.0.1-other", "grade": ["x.py"], "cwd": "/"}) == ({"refused": "another grader"}, False)
    assert server.answer({"key": server.key, "what": 1})[0] == {"refused": "no such request"}
    assert server.answer(["not", "a", "dict"])[0] == {"refused": "another grader"}
    assert server.answer({"key": server.key, "stop": True}) == ({"pid": os.getpid()}, True)


def test_a_server_that_does_not_take_the_request_at_once_is_done_without(env):
    """A stopped server (or one busy with another grade) does not take a request: ``grade FILE``
    grades by itself instead of waiting for it (it hung, with nothing said)."""
    assert grade(env, "serve", "--idle", "120").returncode == 0
    pid = _pid(env)
    os.kill(pid, signal.SIGSTOP)
    try:
        done = grade(env, EXAMPLES / "perfect.py", "-f", "json")
        assert done.returncode == 0 and json.loads(done.stdout)["score"] == 28
    finally:
        os.kill(pid, signal.SIGCONT)
    assert served(env) == 0  # graded here, not by the server
    assert grade(env, "serve", "--stop").returncode == 0 and _gone(pid)
