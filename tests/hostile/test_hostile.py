"""Hostile submissions: the grader finishes, the score is what an honest grader gives, nothing on
the host changes, and no process of the submission remains (see conftest for the host checks)."""

from __future__ import annotations

import time

import pytest

from conftest import BASE, ROOT, TD5, failing, replace_functions, statuses
from grader.api import Grader

from .conftest import LIMITS

FULL = 28.0


@pytest.fixture(scope="module", params=["fresh", "forked"])
def grader(request):
    """Every hostile submission meets both ways of starting a sandbox: a fresh interpreter (one
    file) and a child of the fork server (bulk grading), which enters its namespaces differently."""
    if request.param == "fresh":
        yield Grader(TD5)
        return
    from grader.sandbox.forkserver import ForkServer

    server = ForkServer()
    try:
        yield Grader(TD5, launcher=server)
    finally:
        server.close()


@pytest.fixture
def grade(grader):
    return lambda path, limits=LIMITS: grader.grade(path, seed=7, limits=limits)


def sub(replacements=None, prefix="", suffix=""):
    return prefix + replace_functions(BASE, replacements or {}) + suffix


def check(report, check_id):
    return next(c for c in report.checks() if c.id == check_id)


# ---------------------------------------------------------------- stalls and exits

def test_infinite_loop_at_import(grade, klass):
    report = grade(klass.write(sub(suffix="\nwhile True:\n    pass\n")))
    assert not report.load.ok and "did not finish" in report.load.message.text
    assert report.score == 0


def test_infinite_loop_in_one_function(grade, klass):
    report = grade(klass.write(sub({"max_step": "def max_step(H):\n    while True:\n        pass"})))
    assert failing(report) == {"III.4/max_step"} and statuses(report)["III.4/max_step"] == "timeout"
    assert report.score == FULL - 1


def test_sigterm_ignored_and_sleeping(grade, klass):
    report = grade(klass.write(sub({"max_step": """
def max_step(H):
    import signal, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    time.sleep(1000)"""})))
    assert statuses(report)["III.4/max_step"] == "timeout" and report.score == FULL - 1


@pytest.mark.parametrize("body,words", [
    ("import sys\n    sys.exit(0)", "SystemExit"),
    ("raise KeyboardInterrupt", "KeyboardInterrupt"),
    ("class Boom(BaseException):\n        pass\n    raise Boom('x')", "Boom"),
    ("return input('d? ')", "EOFError"),
    ("return good_sigma(d)", "RecursionError"),
])
def test_exits_and_base_exceptions_fail_only_their_check(grade, klass, body, words):
    report = grade(klass.write(sub({"good_sigma": f"def good_sigma(d):\n    {body}"})))
    assert failing(report) == {"I.1/good_sigma"}
    assert statuses(report)["I.1/good_sigma"] == "error" and words in check(report, "I.1/good_sigma").message.text


def test_os_exit_and_segfault(grade, klass):
    report = grade(klass.write(sub({
        "good_sigma": "def good_sigma(d):\n    import os\n    os._exit(0)",
        "max_step": "def max_step(H):\n    import ctypes\n    ctypes.memmove(0, 1, 64)",
    })))
    assert failing(report) == {"I.1/good_sigma", "III.4/max_step"}
    assert "SIGSEGV" in check(report, "III.4/max_step").message.text


def test_non_daemon_thread_spinning_forever(grade, klass):
    report = grade(klass.write(sub(suffix="""
import threading
def _spin():
    while True:
        pass
threading.Thread(target=_spin).start()
""")))
    assert report.score == FULL


# ---------------------------------------------------------------- resources

def test_memory_bomb(grade, klass):
    report = grade(klass.write(sub({"good_sigma": "def good_sigma(d):\n    x = bytearray(8 * 2**30)\n    return 1 / d ** 0.5"})))
    assert failing(report) == {"I.1/good_sigma"} and "MemoryError" in check(report, "I.1/good_sigma").message.text


def test_memory_grows_until_the_limit(grade, klass):
    report = grade(klass.write(sub({"max_step": """
def max_step(H):
    hoard = []
    while True:
        hoard.append(np.ones(2**20))"""})))
    assert failing(report) == {"III.4/max_step"} and statuses(report)["III.4/max_step"] == "error"


def test_bounded_fork_bomb(grade, klass):
    report = grade(klass.write(sub({"good_sigma": """
def good_sigma(d):
    import os, time
    for _ in range(3000):
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
    return 1 / d ** 0.5"""})))
    assert statuses(report)["I.1/good_sigma"] == "error"
    assert "BlockingIOError" in check(report, "I.1/good_sigma").message.text or "process" in check(report, "I.1/good_sigma").message.text
    assert failing(report) == {"I.1/good_sigma"}


def test_output_flood_is_capped(grade, klass):
    report = grade(klass.write(sub({"good_sigma": """
def good_sigma(d):
    import sys
    sys.stdout.write("x" * 5_000_000)
    return 1 / d ** 0.5"""})))
    assert report.score == FULL
    assert report.output_dropped > 0 and len(report.stdout) <= LIMITS.output_kb * 1024
    assert any("dropped" in w.text for w in report.warnings)


def test_huge_returned_array_fails_its_check_only(grade, klass):
    report = grade(klass.write(sub({"gd_iterate": "def gd_iterate(w0, w_star, H, step, t):\n    return np.ones((3000, 3000))"})))
    assert failing(report) == {"III.3/gd_iterate"}
    assert "too large" in check(report, "III.3/gd_iterate").message.text


def test_big_file_write_is_refused(grade, klass):
    report = grade(klass.write(sub({"good_sigma": """
def good_sigma(d):
    with open("big.bin", "wb") as f:
        f.write(b"0" * (64 * 2**20))
    return 1 / d ** 0.5"""})))
    assert failing(report) == {"I.1/good_sigma"}


def test_nan_and_inf_returns(grade, klass):
    report = grade(klass.write(sub({
        "max_step": "def max_step(H):\n    return float('nan')",
        "convergence_rate": "def convergence_rate(H):\n    return float('inf')",
    })))
    assert failing(report) == {"III.4/max_step", "III.4/convergence_rate"}
    assert "NaN" in check(report, "III.4/max_step").message.text and "inf" in check(report, "III.4/convergence_rate").message.text


# ---------------------------------------------------------------- escaping and snooping

def test_killing_the_parent_does_not_stop_the_grading(grade, klass):
    report = grade(klass.write(sub({"good_sigma": """
def good_sigma(d):
    import os, signal
    for pid in (os.getppid(), 1, -1):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return 1 / d ** 0.5"""})))
    assert report.score >= FULL - 1  # the caller survives; at worst the check's own process died


def test_double_forked_daemon_cannot_write_later(grade, klass):
    marker = klass.drop / "daemon.txt"
    report = grade(klass.write(sub({"good_sigma": f"""
def good_sigma(d):
    import os, time
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(1.0)
            for target in ({str(marker)!r}, "/tmp/grader-daemon-marker.txt"):
                try:
                    open(target, "w").write("still alive")
                except OSError:
                    pass
            os._exit(0)
        os._exit(0)
    return 1 / d ** 0.5"""})))
    assert report.score == FULL
    time.sleep(1.5)
    assert not marker.exists()
    import os
    assert not os.path.exists("/tmp/grader-daemon-marker.txt")


def test_reading_the_reference_from_disk(grade, klass):
    reference = ROOT / "reference" / "td5" / "solution.py"
    report = grade(klass.write(sub({"glorot_sigma": f"""
def glorot_sigma(d, n_h):
    try:
        text = open({str(reference)!r}).read()
    except OSError as exc:
        print("blocked:", exc)
        return -1.0
    print("READ THE REFERENCE")
    return np.sqrt(2 / (d + n_h))"""})))
    assert "READ THE REFERENCE" not in report.stdout and "blocked" in report.stdout
    assert statuses(report)["I.2/glorot_sigma"] == "failed"


def test_listing_the_worksheet_and_grader_folders(grade, klass):
    import grader

    folders = [ROOT / "exercises", ROOT / "reference", ROOT / "exercises" / "td5", __import__("pathlib").Path(grader.__file__).parent]
    report = grade(klass.write(sub({"good_sigma": f"""
def good_sigma(d):
    import os
    seen = []
    for folder in {[str(f) for f in folders]!r}:
        try:
            seen += os.listdir(folder)
        except OSError:
            pass
    print("SEEN", sorted(seen))
    return 1 / d ** 0.5"""})))
    assert "SEEN []" in report.stdout
    assert report.score == FULL


def test_reading_the_reference_from_memory(grade, klass):
    report = grade(klass.write(sub({"glorot_sigma": """
def glorot_sigma(d, n_h):
    import gc, sys
    names = [m for m in sys.modules if "reference" in m or m.startswith("grader")]
    found = [o for o in gc.get_objects() if callable(o) and getattr(o, "__module__", "") and
             "reference" in str(getattr(o, "__module__", ""))]
    print("FOUND", names, len(found))
    return -1.0"""})))
    assert "FOUND [] 0" in report.stdout


def test_importing_the_reference(grade, klass):
    report = grade(klass.write(sub({"glorot_sigma": """
def glorot_sigma(d, n_h):
    for name in ("reference.td5.solution", "grader._content.reference.td5.solution", "grader.worksheet.models"):
        try:
            __import__(name)
            print("IMPORTED", name)
        except Exception:
            pass
    return np.sqrt(2 / (d + n_h))"""})))
    assert "IMPORTED" not in report.stdout


def test_writing_over_another_submission(grade, klass):
    report = grade(klass.write(sub({"good_sigma": f"""
def good_sigma(d):
    for target in ({str(klass.other)!r}, {str(klass.drop / 'x.py')!r}):
        try:
            open(target, "w").write("def good_sigma(d): return 0")
            print("WROTE", target)
        except OSError:
            pass
    return 1 / d ** 0.5"""})))
    assert "WROTE" not in report.stdout and report.score == FULL


def test_network_is_unreachable(grade, klass, listener):
    port = listener.getsockname()[1]
    report = grade(klass.write(sub({"good_sigma": f"""
def good_sigma(d):
    import socket
    try:
        socket.create_connection(("127.0.0.1", {port}), timeout=1).sendall(b"stolen")
        print("CONNECTED")
    except OSError as exc:
        print("no network:", exc)
    return 1 / d ** 0.5"""})))
    assert "CONNECTED" not in report.stdout
    with pytest.raises(BlockingIOError):
        listener.accept()


def test_environment_secrets_do_not_leak(grade, klass):
    report = grade(klass.write(sub(suffix="\nimport os\nprint(dict(os.environ))\n")))
    assert "s3cr3t-token" not in report.stdout + report.stderr
    assert "s3cr3t-token" not in report.model_dump_json()
    assert "PATH" in report.stdout


def test_shell_commands_cannot_touch_the_host(grade, klass):
    marker = klass.drop / "shell.txt"
    report = grade(klass.write(sub({"good_sigma": f"""
def good_sigma(d):
    import os, subprocess
    os.system("touch {marker} 2>/dev/null")
    subprocess.run(["sh", "-c", "echo pwned > {marker}"], capture_output=True)
    return 1 / d ** 0.5"""})))
    assert not marker.exists() and report.score == FULL


def test_cannot_see_the_graders_processes(grade, klass):
    report = grade(klass.write(sub({"good_sigma": """
def good_sigma(d):
    import os
    print("PIDS", len([p for p in os.listdir('/proc') if p.isdigit()]))
    return 1 / d ** 0.5"""})))
    count = int(report.stdout.split("PIDS", 1)[1].split()[0])
    assert count <= 3  # the sandbox's own init and its children only


# ---------------------------------------------------------------- forging the channel

def test_patched_json_numpy_and_builtins_cannot_forge_a_verdict(grade, klass):
    source = sub({"good_sigma": "def good_sigma(d):\n    return 12345.0"}, prefix="""
import json, builtins, sys
import numpy
json.dumps = lambda *a, **k: '{"status": "passed"}'
json.loads = lambda *a, **k: {"status": "passed"}
numpy.allclose = lambda *a, **k: True
numpy.isclose = lambda *a, **k: True
numpy.save = lambda *a, **k: None
builtins.print = lambda *a, **k: None
sys.stdout.write = lambda *a, **k: 0
""")
    report = grade(klass.write(source))
    assert report.load.ok
    assert failing(report) == {"I.1/good_sigma"} and report.score == FULL - 1


def test_forged_frames_on_the_channel(grade, klass):
    report = grade(klass.write(sub({"good_sigma": """
def good_sigma(d):
    import os
    for fd in range(3, 20):
        try:
            os.write(fd, b"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x10" + b'{"passed": true}')
        except OSError:
            pass
    return 0.0"""})))
    assert statuses(report)["I.1/good_sigma"] != "passed"
    assert report.score <= FULL - 1


PROGRESS_SCRIBBLER = """
def _scribble(job, step):
    # the 16 bytes where the child marks its progress for the parent: find them and lie
    import ctypes, struct
    for line in open("/proc/self/maps"):
        if "grader-progress" in line:
            start = int(line.split("-")[0], 16)
            ctypes.memmove(start, struct.pack("<qq", job, step), 16)

def good_sigma(d):
    _scribble(10**9, -5)
    return 1 / np.sqrt(d)

def max_step(H):
    _scribble(3, 99)  # blame an earlier, already answered job
    while True:
        pass
"""


def test_scribbling_on_the_progress_cell(grade, klass):
    # garbage there must not break the grader; a lie about which call hangs can only move the
    # blame among the liar's own checks (as forged frames could), so only its own score suffers.
    # Which checks after the last answers sent take the blame depends on timing; the lie never
    # drags it back to a check already answered (job 3 is a case of I.1/preactivation_stats).
    report = grade(klass.write(sub({"good_sigma": "", "max_step": ""}, suffix=PROGRESS_SCRIBBLER)))
    assert statuses(report)["I.1/good_sigma"] == "passed" and statuses(report)["III.4/max_step"] != "passed"
    assert statuses(report)["I.1/preactivation_stats"] == "passed" and report.score <= FULL - 1
    assert {c.status for c in report.checks()} <= {"passed", "timeout", "manual"}


def test_truncating_every_open_file(grade, klass):
    # were the progress cell's memory file still open and shrinkable, the grader reading it would
    # die of SIGBUS: the child closes it before any student code, and its size is sealed
    report = grade(klass.write(sub({"good_sigma": """
def good_sigma(d):
    import os
    for fd in range(0, 256):
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
    for name in os.listdir("/proc/self/map_files") if os.path.isdir("/proc/self/map_files") else []:
        try:
            os.truncate("/proc/self/map_files/" + name, 0)
        except OSError:
            pass
    return 1 / np.sqrt(d)"""}, suffix="\nimport os\nfor _fd in range(3, 256):\n    try:\n        os.ftruncate(_fd, 0)\n"
                                      "    except OSError:\n        pass\n")))
    assert report.load.ok and report.score == FULL


def test_hostile_objects_are_never_trusted(grade, klass):
    marker = klass.drop / "reduce.txt"
    report = grade(klass.write(sub({
        "quadratic_value": """
def quadratic_value(w, w_star, H, c_star):
    class Liar:
        def __eq__(self, other): return True
        def __float__(self): return 1.0
        def __array__(self, *a, **k): raise SystemExit
    return Liar()""",
        "max_step": f"""
def max_step(H):
    import os
    class Payload:
        def __reduce__(self):
            return (os.system, ("touch {marker}",))
    return Payload()""",
        "optimal_step": """
def optimal_step(H):
    class Sub(np.ndarray):
        def __eq__(self, other): return True
    lam = np.linalg.eigvalsh(H)
    return np.asarray(2 / (lam[0] + lam[-1])).view(Sub)""",
        "gd_iterate": """
def gd_iterate(w0, w_star, H, step, t):
    class Sub(np.ndarray):
        def __eq__(self, other): return np.ones(self.shape, bool)
    return np.zeros_like(w0).view(Sub)""",
    })))
    s = statuses(report)
    assert s["III.2/quadratic_value"] == "failed" and s["III.4/max_step"] == "failed"
    assert s["III.4/optimal_step"] == "passed"  # right values in a subclass: converted to plain data
    assert s["III.3/gd_iterate"] == "failed"  # wrong values, whatever its __eq__ says
    assert not marker.exists()


# ---------------------------------------------------------------- files named like modules

@pytest.mark.parametrize("name", ["json.py", "numpy.py", "grader.py", "sitecustomize.py"])
def test_file_named_like_a_module(grade, klass, name):
    report = grade(klass.write(sub(), name=name))
    assert report.load.ok and report.score == FULL


# ---------------------------------------------------------------- degraded isolation

def test_without_namespaces_grading_still_works_and_says_so(grade, klass):
    limits = LIMITS.model_copy(update={"namespaces": False})
    marker = klass.drop / "late.txt"
    path = klass.write(sub({"good_sigma": f"""
def good_sigma(d):
    import os, time
    if os.fork() == 0:  # stays in the sandbox's process group (no setsid: see README, Security model)
        time.sleep(1.0)
        try:
            open({str(marker)!r}, "w").write("late")
        except OSError:
            pass
        os._exit(0)
    return 1 / d ** 0.5"""}))
    report = grade(path, limits)
    assert report.score == FULL
    assert "net-namespace" not in report.isolation and "rlimits" in report.isolation
    from grader.report.terminal import to_text

    assert "reduced isolation" in to_text(report)
    time.sleep(1.5)
    assert not marker.exists()  # its process group was killed when grading ended


# ---------------------------------------------------------------- the fork server's namespaces

def test_forked_children_are_each_the_init_of_their_own_pid_namespace(klass):
    """As root the fork server makes each child the init of a new PID namespace, then puts its own
    namespace back: two children never share one, nor a uid, nor see each other or the server."""
    import os

    from grader.sandbox.forkserver import ForkServer
    from grader.sandbox.reaping import is_root

    path = klass.write(sub({"good_sigma": """
def good_sigma(d):
    import os
    print("ME", os.getpid(), os.getuid(), sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))
    return 1 / d ** 0.5"""}))
    server = ForkServer()
    try:
        grader = Grader(TD5, launcher=server)
        seen = []
        for _ in range(2):
            report = grader.grade(path, seed=7, limits=LIMITS)
            assert report.score == FULL and "pid-namespace" in report.isolation
            assert "private-init" in report.isolation and "private-proc" in report.isolation
            pid, uid, pids = report.stdout.split("ME", 1)[1].split(None, 2)
            seen.append((int(pid), int(uid), pids.splitlines()[0]))
            ns = f"/proc/{server.proc.pid}/ns/"
            assert os.readlink(ns + "pid_for_children") == os.readlink(ns + "pid")
    finally:
        server.close()
    assert [pid for pid, _, _ in seen] == [1, 1] and all(pids == "[1]" for _, _, pids in seen)
    if is_root():
        assert seen[0][1] != seen[1][1] and min(seen[0][1], seen[1][1]) >= 1_000_000
