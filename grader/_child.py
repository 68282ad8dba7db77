"""Entry point of the sandboxed child: load the submission, run the requested calls, send data back.

Started as ``python -I <this file> REQUEST_FD RESPONSE_FD`` in an empty temporary directory. It
imports numpy and the grader's ``codec`` (under a private name) and nothing else of the grader:
no spec, no reference. Everything the student's code does is turned into an outcome value.
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
_spec = importlib.util.spec_from_file_location("_grader_codec", os.path.join(_HERE, "codec.py"))
codec = importlib.util.module_from_spec(_spec)
sys.modules["_grader_codec"] = codec
_spec.loader.exec_module(codec)

MAX_TRACEBACK = 4000


def _read_request(fd):
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    data = b"".join(chunks)
    return codec.unpack_payload(data[8:])


def _set_limits(limits):
    try:
        import resource
    except ImportError:  # not on this platform: the parent's timeouts still hold
        return
    for name, key in (("RLIMIT_AS", "memory_bytes"), ("RLIMIT_CPU", "cpu_seconds"),
                      ("RLIMIT_FSIZE", "file_bytes"), ("RLIMIT_CORE", "core_bytes")):
        value = limits.get(key)
        if value is None or not hasattr(resource, name):
            continue
        try:
            resource.setrlimit(getattr(resource, name), (int(value), int(value)))
        except (ValueError, OSError):
            pass


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
    def __init__(self, fd):
        self.fd = fd

    def send(self, message):
        data = codec.pack_frame(message)
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]


def _load(request, namespace, filenames):
    """Run the submission's chunks in order; report errors per chunk."""
    errors = []
    for chunk in request["chunks"]:
        source = chunk["source"]
        # so that tracebacks can quote the student's lines
        linecache.cache[chunk["filename"]] = (len(source), None, source.splitlines(True), chunk["filename"])
        try:
            code = compile(chunk["source"], chunk["filename"], "exec", dont_inherit=True)
            exec(code, namespace)
        except BaseException as exc:  # SystemExit, KeyboardInterrupt included: all are the student's
            errors.append(_describe(exc, filenames))
            if chunk.get("stop_on_error", True):
                return errors, False
    return errors, True


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
            return codec.NoItem(f"returned {type(value).__name__}, which has no item [{i}]")
        if not isinstance(i, int) or not -n <= i < n:
            return codec.NoItem(f"returned a {type(value).__name__} of {n} items, so it has no item [{i}]")
        value = value[i]
    return value


def _run_job(job_index, job, namespace, filenames, channel):
    outputs, sent = [], []
    for step_index, step in enumerate(job["steps"]):
        channel.send({"type": "step", "job": job_index, "step": step_index})
        if "attribute" in step:
            sent.append([namespace.get(step["attribute"], codec.NoItem("not defined"))])
            outputs.append(None)
            continue
        name = step["function"]
        func = namespace.get(name)
        if func is None:
            return {"status": "missing", "step": step_index, "function": name,
                    "message": f"function {name}() is not defined"}
        if not callable(func):
            return {"status": "missing", "step": step_index, "function": name,
                    "message": f"{name} is a {type(func).__name__}, not a function"}
        try:
            args = [_resolve(a, outputs) for a in step["args"]]
            result = func(*args)
        except BaseException as exc:
            return {"status": "raised", "step": step_index, "function": name, **_describe(exc, filenames)}
        outputs.append(result)
        send = step.get("send")
        sent.append([result] if send is None else [_pick(result, path) for path in send])
    return {"status": "ok", "outputs": sent}


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass


def main(argv):
    request = _read_request(int(argv[1]))
    channel = Channel(int(argv[2]))
    _set_limits(request.get("limits", {}))
    module = types.ModuleType(request.get("module_name", "submission"))
    module.__file__ = request["chunks"][0]["filename"] if request["chunks"] else "submission.py"
    sys.modules[module.__name__] = module
    filenames = {c["filename"] for c in request["chunks"]}
    errors, ok = _load(request, module.__dict__, filenames)
    _flush()
    channel.send({"type": "loaded", "ok": ok, "errors": errors})
    if ok:
        for index, job in enumerate(request["jobs"]):
            start = time.perf_counter()
            outcome = _run_job(index, job, module.__dict__, filenames, channel)
            outcome["duration"] = time.perf_counter() - start
            _flush()
            try:
                channel.send({"type": "job", "job": index, "outcome": outcome})
            except (ValueError, TypeError, OverflowError) as exc:
                channel.send({"type": "job", "job": index, "outcome": {
                    "status": "invalid", "message": f"result could not be encoded: {exc}"}})
    _flush()
    os._exit(0)  # leave at once: threads the student started must not keep us alive


if __name__ == "__main__":
    main(sys.argv)
