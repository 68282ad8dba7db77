"""Entry point of the sandboxed child: load the submission, run the requested calls, send data back.

Started as ``python -I <this file> REQUEST_FD RESPONSE_FD CELL_FD`` in an empty temporary directory,
or forked by the fork server (``forkserver.py``). It imports numpy, the grader's ``codec`` and
``confine`` (under private names) and nothing else of the grader: no spec, no reference.
Everything the student's code does is turned into an outcome value.
"""

import importlib.util
import linecache
import os
import sys
import time
import traceback
import types

_HERE = os.path.dirname(os.path.abspath(__file__))
if sys.path and os.path.abspath(sys.path[0] or ".") == _HERE:
    sys.path.pop(0)  # the grader's own folder must not shadow or expose anything


def _private_import(name, filename):
    spec = importlib.util.spec_from_file_location(name, os.path.join(_HERE, filename))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


codec = _private_import("_grader_codec", os.path.join("..", "..", "wire", "codec.py"))
confine = _private_import("_grader_confine", "confine.py")
_ndarray = codec.np.ndarray  # bound now: a submission may patch numpy

MAX_TRACEBACK = 4000


class Requests:
    """Request frames from the grader: the first one, then (a child kept for more rounds) one per
    round until the pipe ends. Each is read straight into one buffer of its announced size."""

    def __init__(self, fd):
        import io

        self.stream = io.FileIO(fd, "r", closefd=True)

    def next(self):
        head = bytearray(8)
        if self.stream.readinto(head) != 8:
            raise EOFError("no request")
        size = int.from_bytes(head, "big")
        payload = memoryview(bytearray(size))
        done = 0
        while done < size:
            n = self.stream.readinto(payload[done:])
            if not n:
                raise EOFError("truncated request")
            done += n
        return codec.unpack_payload(payload)

    def close(self):
        self.stream.close()


def _text(value, limit=2000):
    try:
        return str(value)[:limit]
    except BaseException:
        return "<unprintable>"


def _describe(exc, filenames):
    """Exception type, message, and the deepest submission line it passed through."""
    info = {"exception": type(exc).__name__, "message": _text(exc)}
    line, where = None, None
    if isinstance(exc, SyntaxError) and exc.filename in filenames:
        line, where = exc.lineno, exc.filename
        info["message"] = _text(exc.msg)
        info["code"] = _text((exc.text or "").rstrip(), 300)
    else:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename in filenames:
                line, where, info["code"] = frame.lineno, frame.filename, _text(frame.line, 300)
    info["line"], info["file"] = line, where
    try:
        lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
        kept = [l for l in lines if not l.startswith('  File "' + __file__)]
        info["traceback"] = "".join(kept)[-MAX_TRACEBACK:]
    except BaseException:
        info["traceback"] = ""
    return info


class Channel:
    """Frames to the parent. Job outcomes are held back and sent together, one frame for every
    ~10 ms of work or 256 KiB (one write and one JSON text per batch, not per call)."""

    BATCH_BYTES = 1 << 18
    BATCH_SECONDS = 0.01

    def __init__(self, fd, limit=None):
        self.fd = fd
        self.limit = limit  # the parent refuses frames above this size
        # one outcome may take what a full batch leaves, so that no batch goes over the limit
        self.cap = None if limit is None else max(limit - self.BATCH_BYTES - 4096, limit // 2)
        self.first, self.texts, self.blobs, self.size = 0, [], [], 0
        self.since = time.monotonic()

    def send(self, message):
        self.write(codec.pack_frame(message))

    def hold(self, index, outcome):
        """Add one job's outcome to the batch (as ``invalid`` if it cannot be encoded or is too large)."""
        if not self.texts:
            self.first = index
        text, size = self._encode(outcome)
        self.texts.append(text)
        self.size += size + 1  # and its comma in the batch
        if self.size >= self.BATCH_BYTES or time.monotonic() - self.since >= self.BATCH_SECONDS:
            self.release()

    def _encode(self, outcome):
        mark = len(self.blobs)
        try:
            if outcome["status"] == "ok" and "mutated" not in outcome:
                text = codec.answer_text(outcome["outputs"], outcome["duration"], self.blobs)
            else:
                text = codec.dump({k: codec.encode(v, self.blobs) for k, v in outcome.items()})
            size = len(text) + sum(len(b) + 8 for b in self.blobs[mark:])  # 8: its size in the header
            if self.cap is None or size <= self.cap:
                return text, size
            failure = {"status": "invalid", "reason": "too_large", "size": size, "limit": self.limit}
        except BaseException as exc:  # e.g. MemoryError while encoding a huge result
            failure = {"status": "invalid", "reason": "unencodable", "error": _text(type(exc).__name__, 200)}
        del self.blobs[mark:]
        text = codec.dump(failure)
        return text, len(text)

    def release(self):
        if self.texts:
            text = '{"type":"jobs","first":%d,"outcomes":[%s]}' % (self.first, ",".join(self.texts))
            self.write(codec.pack_text(text, self.blobs))
            self.texts, self.blobs, self.size = [], [], 0
        self.since = time.monotonic()

    def write(self, data):
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]


class Progress:
    """The job and step running now, in 16 bytes of memory shared with the parent, which reads
    them after a time-out or a crash to blame the right call (no message per call needed)."""

    def __init__(self, fd):
        import mmap
        import struct

        self.cell, self.pack = None, struct.Struct("<qq").pack_into
        if fd is not None:
            self.cell = mmap.mmap(fd, 16)
            os.close(fd)

    def mark(self, job, step=0):
        if self.cell is not None:
            self.pack(self.cell, 0, job, step)


class CellInterrupted(BaseException):
    """Raised in a notebook cell that runs past the cell time limit (not an Exception, so a
    student's ``except Exception`` does not swallow it)."""


def _interrupt(signum, frame):
    raise CellInterrupted()


class _Shell:
    """Stands in for IPython's shell: magics and shell escapes do nothing, start nothing."""

    def run_line_magic(self, *args, **kwargs):
        return None

    def run_cell_magic(self, *args, **kwargs):
        return None

    def system(self, *args, **kwargs):
        return None

    def getoutput(self, *args, **kwargs):
        return []

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def _notebook_namespace(namespace):
    shell = _Shell()
    namespace["get_ipython"] = lambda: shell
    namespace["display"] = lambda *args, **kwargs: None


def _load(request, namespace, filenames):
    """Run the submission's chunks in order; report errors per chunk.

    A chunk that may fail (a notebook cell) gets a time limit of its own; execution goes on with
    the next chunk after an error or an interruption.
    """
    import signal

    errors = []
    cell_timeout = request.get("cell_timeout")
    for chunk in request["chunks"]:
        source = chunk["source"]
        # so that tracebacks can quote the student's lines
        linecache.cache[chunk["filename"]] = (len(source), None, source.splitlines(True), chunk["filename"])
        timed = bool(cell_timeout) and not chunk.get("stop_on_error", True)
        try:
            if timed:
                signal.signal(signal.SIGALRM, _interrupt)
                signal.setitimer(signal.ITIMER_REAL, float(cell_timeout))
            code = compile(source, chunk["filename"], "exec", dont_inherit=True)
            exec(code, namespace)
        except CellInterrupted as exc:
            errors.append(_interrupted(exc, chunk["filename"], filenames, cell_timeout))
        except BaseException as exc:  # SystemExit, KeyboardInterrupt included: all are the student's
            errors.append(_describe(exc, filenames))
            if chunk.get("stop_on_error", True):
                return errors, False
        finally:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, 0)
    return errors, True


def _interrupted(exc, filename, filenames, cell_timeout):
    """An interrupted cell, blamed on the cell that was running (the line of it that was running
    then), not on whichever cell's function the alarm happened to land in: a training loop in
    cell 9 spends its time in the ``bn_forward`` of cell 7. Where it was is a detail."""
    info = _describe(exc, filenames)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in filenames]
    own = next((f for f in frames if f.filename == filename), None)
    deepest = frames[-1] if frames else None
    info.update(exception="Interrupted", interrupted=True, file=filename, seconds=float(cell_timeout),
                line=own.lineno if own is not None else None, code=_text(own.line, 300) if own is not None else None,
                message="")
    if deepest is not None and own is not None and (deepest.filename, deepest.lineno) != (own.filename, own.lineno):
        info.update(within=_text(deepest.name, 200), within_file=deepest.filename, within_line=deepest.lineno)
    return info


def _resolve(arg, outputs):
    if type(arg) is dict and "__ref__" in arg:
        step, *path = arg["__ref__"]
        value = outputs[step]
        for i in path:
            value = value[i]
        return value
    if type(arg) is codec.RngSeed:
        return arg.make()
    return arg


def _pick(value, path):
    """The item of ``value`` at ``path`` (a list of indices), or a NoItem saying why not."""
    for i in path:
        try:
            n = len(value)
        except BaseException:
            return codec.NoItem("noitem.no_length", (("type", _text(type(value).__name__, 200)), ("index", _text(i, 40))))
        if not isinstance(i, int) or not -n <= i < n:
            return codec.NoItem("noitem.out_of_range", (("type", _text(type(value).__name__, 200)), ("n", n),
                                                        ("index", _text(i, 40))))
        try:
            value = value[i]
        except BaseException:  # a dict (its keys are no positions), or an object's own __getitem__
            return codec.NoItem("noitem.no_length", (("type", _text(type(value).__name__, 200)), ("index", _text(i, 40))))
    return value


def _count(value):
    """How many items ``value`` has (a send path ``"len"``), None when it has no length."""
    try:
        return len(value)
    except BaseException:
        return None


def _watch(step_args, args):
    """The grader's own array arguments of a call (not earlier outputs), with their shape and
    bytes: a call that changes them in place changes its caller's data (``x -= mu``)."""
    return [(i, a, a.shape, a.tobytes()) for i, (given, a) in enumerate(zip(step_args, args))
            if type(a) is _ndarray and type(given) is not dict]


def _changed(watched):
    """The positions of the watched arguments that the call changed."""
    out = []
    for i, array, shape, data in watched:
        try:
            if array.shape != shape or array.tobytes() != data:
                out.append(i)
        except BaseException:  # a student's subclass trick: not worth failing the call over
            pass
    return out


def _run_job(job_index, job, namespace, filenames, progress):
    outputs, sent, mutated = [], [], []
    for step_index, step in enumerate(job["steps"]):
        progress.mark(job_index, step_index)  # so that a time-out or a crash is blamed on the right call
        if "attribute" in step:
            sent.append([namespace.get(step["attribute"], codec.NoItem("noitem.undefined"))])
            outputs.append(None)
            continue
        name = step["function"]
        func = namespace.get(name)
        if func is None:
            return {"status": "missing", "step": step_index, "function": name, "kind": "undefined"}
        if not callable(func):
            return {"status": "missing", "step": step_index, "function": name, "kind": "not_callable",
                    "type": _text(type(func).__name__, 200)}
        try:
            args = [_resolve(a, outputs) for a in step["args"]]
            watched = _watch(step["args"], args)
            result = func(*args)
        except BaseException as exc:
            return {"status": "raised", "step": step_index, "function": name, **_describe(exc, filenames)}
        if watched:
            mutated += [[step_index, i] for i in _changed(watched)]
        outputs.append(result)
        send = step.get("send")
        sent.append([result] if send is None else [_pick(result, path) if type(path) is list else _count(result)
                                                   for path in send])
    if mutated:
        return {"status": "ok", "outputs": sent, "mutated": mutated}
    return {"status": "ok", "outputs": sent}


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass


def _outer_pid(init):
    """Our pid as the grader sees it. The init of a new PID namespace is pid 1 to itself, but /proc
    is still the grader's, where ``self`` names the outer pid."""
    if not init:
        return os.getpid()
    try:
        return int(os.readlink("/proc/self"))
    except (OSError, ValueError):
        return 1 << 22 | int.from_bytes(os.urandom(3), "big")  # above any pid: unique with high odds


def _confine(request, channel, needed=None, init=False):
    """Apply every isolation layer the OS allows, then tell the parent which ones hold.

    With namespaces, this process forks: the child becomes init of a new PID namespace and runs
    the student; this process only waits and passes on how it ended (exit status or signal).
    ``init``: the fork server already made this process the init of a new PID namespace (as root),
    so it makes the other namespaces and runs the student itself, with no fork.
    """
    import signal

    plan = request.get("sandbox") or {}
    plan["needed"] = needed or confine.needed_paths()
    conf = confine.Confinement()
    confine.die_with_parent()
    if plan.get("uid") == "auto":
        plan["uid"] = 1_000_000 + _outer_pid(init)  # unique among live sandboxes
    if init:  # the namespaces but the PID one, then straight on to the limits below
        if plan.get("namespaces") and confine.enter_namespaces(conf, plan, new_pid=False):
            confine.mount_proc(conf)
        elif "pid-namespace" not in conf.layers:  # listed by a half-done enter_namespaces already
            conf.layers.append("pid-namespace")
        conf.layers.append("private-init")
    elif plan.get("namespaces") and sys.platform.startswith("linux") and confine.enter_namespaces(conf, plan):
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid:
            os.close(ready_r)
            channel.send({"type": "sandbox", "layers": conf.layers + ["private-init"], "notes": conf.notes,
                          "pid": pid, "uid": plan.get("uid")})
            os.write(ready_w, b"x")
            os.close(ready_w)
            _, status = os.waitpid(pid, 0)
            if os.WIFSIGNALED(status):
                sig = os.WTERMSIG(status)
                signal.signal(sig, signal.SIG_DFL)
                os.kill(os.getpid(), sig)
            os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)
        os.close(ready_w)
        os.read(ready_r, 1)
        os.close(ready_r)
        done = len(conf.layers)
        confine.mount_proc(conf)
        _apply_process_limits(conf, request, plan)
        channel.send({"type": "sandbox", "layers": conf.layers[done:], "notes": conf.notes})
        return
    _apply_process_limits(conf, request, plan)
    # an init is pid 1 to itself; the grader has its real pid from the fork server
    channel.send({"type": "sandbox", "layers": conf.layers, "notes": conf.notes,
                  "pid": None if init else os.getpid(), "uid": plan.get("uid")})


def _apply_process_limits(conf, request, plan):
    confine.set_limits(conf, request.get("limits", {}))
    confine.drop_privileges(conf, plan)
    confine.die_with_parent()  # again: changing credentials clears it
    if plan.get("workdir"):
        try:
            os.chdir(plan["workdir"])
        except OSError:
            pass


def _run_jobs(jobs, namespace, filenames, progress, channel):
    for index, job in enumerate(jobs):
        start = time.perf_counter()
        outcome = _run_job(index, job, namespace, filenames, progress)
        outcome["duration"] = time.perf_counter() - start
        _flush()
        channel.hold(index, outcome)
    channel.release()


def _first_jobs(request, preloaded):
    """The first round's jobs: in the request, or (named by the request) those the fork server
    decoded once for every child of a class (``preloaded``: their name and the jobs)."""
    name = request.get("preloaded")
    if name is None:
        return codec.expand_jobs(request["jobs"])
    if preloaded is None or preloaded[0] != name:
        raise RuntimeError("the preloaded jobs are not these")
    return preloaded[1]


def main(argv, needed=None, init=False, preloaded=None):
    """Serve one request, and with ``rounds`` the further rounds of jobs that follow it. ``needed``:
    the folders the child needs (see ``_confine.needed_paths``), when the fork server has worked
    them out once for all its children; ``init``: the fork server made this process the init of a
    new PID namespace; ``preloaded``: the jobs the fork server decoded for every child (``_first_jobs``)."""
    import signal

    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in any fresh interpreter, whoever started us
    requests = Requests(int(argv[1]))
    request = requests.next()
    rounds = request.get("rounds") is True
    if not rounds:
        requests.close()
    channel = Channel(int(argv[2]), request.get("result_bytes"))
    progress = Progress(int(argv[3]) if len(argv) > 3 else None)
    progress.mark(-1)
    _confine(request, channel, needed, init)
    module = types.ModuleType(request.get("module_name", "submission"))
    module.__file__ = request["chunks"][0]["filename"] if request["chunks"] else "submission.py"
    sys.modules[module.__name__] = module
    filenames = {c["filename"] for c in request["chunks"]}
    if request.get("notebook"):
        _notebook_namespace(module.__dict__)
    errors, ok = _load(request, module.__dict__, filenames)
    _flush()
    channel.send({"type": "loaded", "ok": ok, "errors": errors})
    jobs = _first_jobs(request, preloaded) if ok else None
    while jobs is not None:
        _run_jobs(jobs, module.__dict__, filenames, progress, channel)
        jobs = None
        if rounds:
            try:
                jobs = codec.expand_jobs(requests.next()["jobs"])
            except BaseException:  # the pipe ended (the grader is done), or the student broke it
                pass
    _flush()
    os._exit(0)  # leave at once: threads the student started must not keep us alive


if __name__ == "__main__":
    main(sys.argv)
