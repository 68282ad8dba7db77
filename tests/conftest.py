"""Shared fixtures: the TD 5 worksheet, and submissions built from a correct base by swapping functions."""

from __future__ import annotations

import ast
import os
import textwrap
from pathlib import Path

import pytest

from grader.api import grade_submission
from grader.worksheet.loading import load_worksheet

ROOT = Path(__file__).resolve().parent.parent
# folders whose tests start sandboxed children, kernels or worker pools: ``pytest -m "not slow"``
# leaves them out (the pure stages answer in seconds); CI runs everything
SLOW = ("integration", "classroom", "hostile", "review")
EXAMPLES = ROOT / "submissions_example"
TD5 = ROOT / "exercises" / "td5"



def grading_processes(*commands: str) -> dict[int, str]:
    """Live processes a grading run of *this* grader may start and leave behind: its fork servers
    and sandboxed children (their command names this package's files), multiprocessing's helpers
    of this interpreter, and those whose command holds one of ``commands`` (a run's workers have
    its command line). Another checkout's, or another venv's, running beside the tests (a
    developer's grading server, a second test run) are not counted."""
    import sys

    import grader

    here = Path(grader.__file__).parent
    packages = {str(here), str(here.resolve())}  # as the launcher names them, and resolved
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            argv = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        cmd = b" ".join(argv).decode(errors="replace")
        if state in "ZX":
            continue
        ours = any(f"{package}/sandbox/child/{name}" in cmd for package in packages
                   for name in ("forkserver.py", "main.py")) or (
            "multiprocessing" in cmd and argv[0].decode(errors="replace") == sys.executable) or (
            int(entry) != os.getpid() and any(c in cmd for c in commands))
        if ours:
            found[int(entry)] = cmd[:160]
    return found


def pytest_configure(config):
    """No test grades through a grading server left running on this machine (a developer's): the
    server's own tests start theirs, in a folder of their own."""
    os.environ["GRADER_SERVER"] = "0"
    # A suite started in the background by a shell (``cmd &``) inherits SIGINT ignored, and so does
    # every process it starts: the tests that press Ctrl-C on a run need it heard, as at a terminal.
    import signal

    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


# A correct submission whose functions do not call each other, so that a wrong variant of one
# function can only fail the checks that call it.
BASE = '''
import numpy as np

def preactivation_stats(d, sigma):
    return 0.0, d * sigma ** 2

def good_sigma(d):
    return 1 / np.sqrt(d)

def glorot_sigma(d, n_h):
    return np.sqrt(2 / (d + n_h))

def glorot_normal(d, n_h, rng):
    return rng.normal(0, np.sqrt(2 / (d + n_h)), size=(d, n_h))

def glorot_uniform_limit(d, n_h):
    return np.sqrt(6 / (d + n_h))

def glorot_uniform(d, n_h, rng):
    a = np.sqrt(6 / (d + n_h))
    return rng.uniform(-a, a, size=(d, n_h))

def bn_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta, (x_hat, gamma, np.sqrt(var + eps))

def bn_backward(dout, cache):
    x_hat, gamma, std = cache
    g = dout * gamma
    dx = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / std
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)

def gradient_counterexample():
    return np.diag([1.0, 3.0]), np.array([1.0, 1.0]), np.zeros(2)

def quadratic_value(w, w_star, H, c_star):
    u = w - w_star
    return c_star + 0.5 * u @ H @ u

def gd_iterate(w0, w_star, H, step, t):
    lam, U = np.linalg.eigh(H)
    return w_star + U @ ((1 - step * lam) ** t * (U.T @ (w0 - w_star)))

def optimal_step(H):
    lam = np.linalg.eigvalsh(H)
    return 2 / (lam[0] + lam[-1])

def max_step(H):
    return 2 / np.linalg.eigvalsh(H)[-1]

def convergence_rate(H):
    lam = np.linalg.eigvalsh(H)
    k = lam[-1] / lam[0]
    return (k - 1) / (k + 1)
'''

# which checks call each function (by the spec)
CALLERS = {
    "preactivation_stats": {"I.1/preactivation_stats"},
    "good_sigma": {"I.1/good_sigma"},
    "glorot_sigma": {"I.2/glorot_sigma"},
    "glorot_normal": {"I.2/glorot_normal"},
    "glorot_uniform_limit": {"I.3/glorot_uniform_limit"},
    "glorot_uniform": {"I.3/glorot_uniform"},
    "bn_forward": {"II.1/bn_forward", "II.1/bn_backward_params", "II.2/bn_backward_dx"},
    "bn_backward": {"II.1/bn_backward_params", "II.2/bn_backward_dx"},
    "gradient_counterexample": {"III.1/gradient_counterexample"},
    "quadratic_value": {"III.2/quadratic_value"},
    "gd_iterate": {"III.3/gd_iterate"},
    "optimal_step": {"III.4/optimal_step"},
    "max_step": {"III.4/max_step"},
    "convergence_rate": {"III.4/convergence_rate"},
}


def replace_functions(source: str, replacements: dict[str, str]) -> str:
    """``source`` with the named top-level functions replaced by new definitions (or removed with '')."""
    tree = ast.parse(source)
    lines = source.splitlines()
    spans = {n.name: (n.lineno - 1, n.end_lineno) for n in tree.body if isinstance(n, ast.FunctionDef)}
    for name in sorted(replacements, key=lambda n: -spans[n][0]):
        start, end = spans[name]
        lines[start:end] = textwrap.dedent(replacements[name]).strip("\n").splitlines()
    return "\n".join(lines) + "\n"


def edited_td5(tmp_path: Path, edit) -> Path:
    """A copy of TD 5 (spec and reference) whose spec text went through ``edit``; returns its folder."""
    import shutil

    target = tmp_path / "exercises" / "td5"
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "reference", tmp_path / "reference")
    text = (TD5 / "worksheet.toml").read_text()
    new = edit(text)
    assert new != text, "the edit did not apply"
    (target / "worksheet.toml").write_text(new)
    return target


@pytest.fixture(scope="session")
def td5():
    return load_worksheet(TD5)


@pytest.fixture
def make_submission(tmp_path):
    """Write a submission (the correct base with some functions replaced) and return its path."""
    counter = iter(range(10_000))

    def make(replacements: dict[str, str] | None = None, *, source: str | None = None,
             name: str | None = None) -> Path:
        text = source if source is not None else replace_functions(BASE, replacements or {})
        path = tmp_path / (name or f"sub{next(counter)}.py")
        path.write_text(text)
        return path

    return make


@pytest.fixture
def grade(td5):
    """Grade a path against TD 5 with a fixed seed."""

    def run(path, seed: int = 1234, **kwargs):
        return grade_submission(path, td5, seed=seed, **kwargs)

    return run


def statuses(report) -> dict[str, str]:
    return {c.id: c.status for c in report.checks()}


def failing(report) -> set[str]:
    return {c.id for c in report.checks() if c.status not in ("passed", "manual")}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tests = Path(__file__).resolve().parent
    for item in items:
        parts = Path(item.fspath).resolve().relative_to(tests).parts
        if parts and parts[0] in SLOW:
            item.add_marker(pytest.mark.slow)
