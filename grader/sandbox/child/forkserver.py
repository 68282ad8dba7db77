"""The fork server: a pre-warmed process that forks one sandboxed child per submission.

Started as ``python -I <this file> SOCKET_FD`` (by ``sandbox.forkserver.ForkServer``) before any reference or
spec is loaded anywhere near it. It imports numpy and the child's own modules, then, for each
request on the socket (the child's pipes and progress cell, passed as file descriptors), forks a
child that runs ``main.main`` exactly as a fresh interpreter would: it confines itself first.
Interpreter start-up and the numpy import are paid once, not per submission.

Requests: ``S`` + working folder (with the child's file descriptors), or ``N`` + working folder
for a child that will use namespaces: when root, the server then makes that child the init of a
new PID namespace itself (``confine.PidNamespaces``), which spares the child a fork.
Messages to the grader: ``R`` (ready), ``P`` + pid (a child started), ``X`` + pid + wait status.
``J`` + name (with a pipe's read end): a frame of jobs follows on the pipe, decoded once here for
every child that names them (a class's first round: the same inputs for all, and never an expected
value); ``L`` + name: they are loaded.
"""

import gc
import importlib
import importlib.util
import os
import select
import signal
import socket
import struct
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if sys.path and os.path.abspath(sys.path[0] or ".") == _HERE:
    sys.path.pop(0)  # the grader's own folder must not shadow or expose anything


def _load_child():
    """``main.py`` (the child's entry point) under a private name (the grader's package is never
    imported here)."""
    spec = importlib.util.spec_from_file_location("_grader_child", os.path.join(_HERE, "main.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules["_grader_child"] = module
    spec.loader.exec_module(module)
    return module


def _preload(child, fd, name):
    """Read a frame of jobs from ``fd`` and decode it: (name, jobs)."""
    with os.fdopen(fd, "rb") as stream:
        data = stream.read()
    return name, child.codec.expand_jobs(child.codec.unpack_payload(memoryview(data)[8:])["jobs"])


def serve(sock_fd, child):
    """Fork a fresh child per request; report its pid, then how it ended.

    Single-threaded and holding nothing but numpy and the child's modules, so a forked child is as
    clean as a fresh interpreter. Children are reaped here; their exit statuses go back on the socket.
    """
    confine = child.confine
    confine.die_with_parent()
    sock = socket.socket(fileno=sock_fd)

    def tell(data):
        try:
            sock.send(data)
        except OSError:
            os._exit(0)  # the grader went away (e.g. stopped while we started)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *a: None)
    # what every child imports anyway, paid once here: numpy.random alone is ~10 ms, and most
    # submissions and every rng input use it
    for name in ("resource", "traceback", "mmap", "numpy.random"):
        importlib.import_module(name)
    numpy_random = sys.modules["numpy.random"]
    needed = confine.needed_paths()  # the same for every child: worked out once
    pid_namespaces = confine.PidNamespaces()

    # Everything loaded so far is shared with the children: keep their garbage collector off it, or
    # its first full pass writes to (and so copies) every page of the inherited heap.
    preloaded = None
    gc.freeze()
    tell(b"R")
    while True:
        readable, _, _ = select.select([sock, wake_r], [], [])
        if wake_r in readable:
            os.read(wake_r, 4096)
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            tell(b"X" + struct.pack(">ii", pid, status))
        if sock not in readable:
            continue
        try:
            message, fds, _, _ = socket.recv_fds(sock, 4096, 5)
        except OSError:
            os._exit(0)
        if not message:
            os._exit(0)  # the grader went away
        if message[:1] == b"J" and len(fds) == 1:
            try:
                preloaded = _preload(child, fds[0], message[1:].decode())
            except Exception:  # noqa: BLE001 - then every child gets its jobs in its request
                preloaded = None
                tell(b"E")
                continue
            gc.freeze()  # the children share them, read-only
            tell(b"L" + preloaded[0].encode())
            continue
        if len(fds) != 5:
            for fd in fds:
                os.close(fd)
            continue
        workdir = message[1:].decode()
        init = message[:1] == b"N" and pid_namespaces.before_fork()
        pid = os.fork()
        if pid and init:
            try:
                pid_namespaces.after_fork()
            except OSError:
                os._exit(1)  # forks would land in that namespace: the grader falls back to fresh children
        if pid == 0:
            numpy_random.seed()  # the legacy global generator: fresh entropy, not the server's state
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            sock.close()
            os.close(wake_r)
            os.close(wake_w)
            req_r, resp_w, out_w, err_w, cell = fds
            os.setsid()
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            for fd in (null, out_w, err_w):
                os.close(fd)
            try:
                os.chdir(workdir)
            except OSError:
                pass
            os.environ["HOME"] = os.environ["TMPDIR"] = workdir
            child.main([None, str(req_r), str(resp_w), str(cell)], needed, init, preloaded)
            os._exit(0)
        for fd in fds:
            os.close(fd)
        tell(b"P" + struct.pack(">i", pid))



if __name__ == "__main__":
    serve(int(sys.argv[1]), _load_child())
