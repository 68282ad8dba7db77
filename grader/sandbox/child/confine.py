"""Confinement of the sandboxed child, applied by the child to itself before any student code runs.

Stdlib only (the child imports nothing of the grader but this and ``codec``). Layers, each applied
where the OS allows it and reported back so the report can say what was in force:

- Linux namespaces: a new mount, network, PID, IPC and UTS namespace (a user namespace too when
  not root). No network (only a down loopback); sensitive folders hidden under empty tmpfs mounts;
  world-writable folders read-only; a private tmpfs working directory; a new PID namespace whose
  init is the process that runs the student, so every process it starts dies with it.
- An unprivileged uid of its own (when root), so the student cannot signal or trace the grader,
  write the grader's files, or escape RLIMIT_NPROC.
- Resource limits (address space, CPU, file size, processes, core dumps).
"""

import ctypes
import ctypes.util
import os

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
PR_SET_PDEATHSIG = 1
SIGKILL = 9
WORLD_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm", "/run/shm", "/var/lock", "/run/lock")


class Confinement:
    """What was achieved; ``layers`` goes into the report's ``isolation`` field."""

    def __init__(self):
        self.layers = []
        self.notes = []
        self.in_namespace = False


def _libc():
    """The C library. The process's own symbols first: ``find_library`` runs ``ldconfig`` (~1.5 ms)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.unshare, libc.mount, libc.prctl  # noqa: B018 - present in a glibc/musl process
        return libc
    except (OSError, AttributeError):
        name = ctypes.util.find_library("c") or "libc.so.6"
        return ctypes.CDLL(name, use_errno=True)


def _check(result, what):
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(libc, source, target, fstype, flags, data=None):
    _check(libc.mount(source.encode() if source else None, target.encode(),
                      fstype.encode() if fstype else None, ctypes.c_ulong(flags),
                      data.encode() if data else None), f"mount {target}")


def die_with_parent():
    """Ask the kernel to SIGKILL this process when its parent dies (Linux only)."""
    try:
        _libc().prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


def needed_paths():
    """Folders the child still needs after confinement: the Python installation and its imports."""
    import sys

    paths = {sys.base_prefix, sys.prefix, os.path.dirname(sys.executable)}
    paths.update(p for p in sys.path if p and os.path.isdir(p))
    # both the paths as Python uses them and their real locations (a venv links to its base)
    return sorted({os.path.abspath(p) for p in paths} | {os.path.realpath(p) for p in paths})


def _blocked(path):
    """The first ancestor of ``path`` that other users cannot traverse, or None."""
    parts = path.strip("/").split("/")
    for i in range(1, len(parts)):
        ancestor = "/" + "/".join(parts[:i])
        try:
            if not os.stat(ancestor).st_mode & 0o001:
                return ancestor
        except OSError:
            return None
    return None


def _minimal(paths):
    """Drop the paths that lie inside another path of the list."""
    out = []
    for path in sorted(set(paths)):
        if not any(path == p or path.startswith(p.rstrip("/") + "/") for p in out):
            out.append(path)
    return out


def mask_filesystem(libc, conf, needed, workdir):
    """Show the child only the system folders (/usr, /etc, ...) and what it needs.

    Every other top-level folder (/home, /root, /tmp, /work, /opt, /var, ...) is covered by an
    empty read-only tmpfs into which only the needed folders (the Python installation, its
    site-packages) are bound back, and the working directory is created. References, specs and
    other students' files elsewhere on the machine are simply not there.
    """
    keep = {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "dev", "proc", "sys"}
    needed = _minimal(p for p in needed if p != "/" and p.split("/")[1] not in keep)
    fds = {p: os.open(p, os.O_PATH | os.O_DIRECTORY) for p in needed}
    try:
        for entry in sorted(os.listdir("/")):
            top = "/" + entry
            if entry in keep or os.path.islink(top) or not os.path.isdir(top):
                continue
            _mount(libc, "tmpfs", top, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755")
            for path, fd in fds.items():
                if path.startswith(top + "/"):
                    os.makedirs(path, 0o755, exist_ok=True)
                    _mount(libc, f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
            if workdir.startswith(top + "/"):
                os.makedirs(workdir, 0o700, exist_ok=True)
            _mount(libc, None, top, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    finally:
        for fd in fds.values():
            os.close(fd)
    conf.layers.append("filesystem-allow-list")


class PidNamespaces:
    """Makes a fork server's next fork the init of a new PID namespace, then puts things back.

    A child forked that way needs no fork of its own to enter a PID namespace (a fork copies the
    page tables, and every page both processes write is then copied twice). Root only: elsewhere
    ``before_fork`` says False and the child makes its namespaces itself, as a fresh one does.
    """

    def __init__(self):
        self.usable = False
        try:
            if os.geteuid() == 0:
                self.libc = _libc()
                self.own = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
                self.usable = True
        except (OSError, AttributeError):
            pass

    def before_fork(self):
        """True when the next fork() will start a new PID namespace."""
        if self.usable and self.libc.unshare(ctypes.c_int(CLONE_NEWPID)) != 0:
            self.usable = False
        return self.usable

    def after_fork(self):
        """In the parent: later forks are made in our own PID namespace again (an OSError if not)."""
        _check(self.libc.setns(self.own, ctypes.c_int(CLONE_NEWPID)), "setns back to our PID namespace")


def enter_namespaces(conf, plan, new_pid=True):
    """unshare(2) into new namespaces and set up the mounts; False when the OS refuses.

    ``new_pid``: False when this process is already the init of a new PID namespace.
    """
    try:
        libc = _libc()
    except OSError:
        conf.notes.append("no libc: namespaces unavailable")
        return False
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | (CLONE_NEWPID if new_pid else 0)
    if uid != 0:
        flags |= CLONE_NEWUSER
    if libc.unshare(ctypes.c_int(flags)) != 0:
        conf.notes.append(f"unshare refused: {os.strerror(ctypes.get_errno())}")
        return False
    if uid != 0:
        try:
            _write("/proc/self/setgroups", "deny")
            _write("/proc/self/uid_map", f"0 {uid} 1")
            _write("/proc/self/gid_map", f"0 {gid} 1")
        except OSError as exc:
            conf.notes.append(f"user namespace mapping failed: {exc}")
            return False
        conf.layers.append("user-namespace")
    conf.layers += ["net-namespace", "pid-namespace", "ipc-namespace"]
    try:
        _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
        conf.layers.append("mount-namespace")
        mask_filesystem(libc, conf, plan.get("needed") or needed_paths(), plan["workdir"])
        for path in WORLD_WRITABLE:
            if os.path.isdir(path) and not os.path.islink(path) and path.split("/")[1] in ("dev", "run"):
                _mount(libc, path, path, None, MS_BIND | MS_REC)
                _mount(libc, path, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
        conf.layers.append("read-only-shared-tmp")
        hidden = 0
        for path in plan.get("hide", []):
            if os.path.isdir(path):
                _mount(libc, "tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "size=4k,mode=0555")
                hidden += 1
            elif os.path.isfile(path):
                _mount(libc, "/dev/null", path, None, MS_BIND)
                hidden += 1
        if hidden:
            conf.layers.append("hidden-paths")
        workdir = plan["workdir"]
        _mount(libc, "tmpfs", workdir, "tmpfs", MS_NOSUID | MS_NODEV,
               f"size={int(plan.get('tmp_bytes', 64 << 20))},mode=0700")
        conf.layers.append("private-tmpfs-workdir")
    except OSError as exc:
        conf.notes.append(f"mount setup failed: {exc}")
        return False
    conf.in_namespace = True
    return True


def mount_proc(conf):
    """In the new PID namespace's init: a /proc that shows only the sandbox's processes."""
    try:
        _mount(_libc(), "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        conf.layers.append("private-proc")
    except OSError as exc:
        conf.notes.append(f"private /proc failed: {exc}")


def set_limits(conf, limits):
    try:
        import resource
    except ImportError:
        conf.notes.append("no resource module: no rlimits")
        return
    for name, key in (("RLIMIT_AS", "memory_bytes"), ("RLIMIT_CPU", "cpu_seconds"),
                      ("RLIMIT_FSIZE", "file_bytes"), ("RLIMIT_CORE", "core_bytes"),
                      ("RLIMIT_NPROC", "processes")):
        value = limits.get(key)
        if value is None or not hasattr(resource, name):
            continue
        try:
            resource.setrlimit(getattr(resource, name), (int(value), int(value)))
        except (ValueError, OSError) as exc:
            conf.notes.append(f"{name} not set: {exc}")
    conf.layers.append("rlimits")


def drop_privileges(conf, plan):
    """Become the sandbox's own unprivileged uid (when running as real root)."""
    uid = plan.get("uid")
    if os.getuid() != 0 or uid is None or "user-namespace" in conf.layers:
        return
    if not conf.in_namespace and any(_blocked(p) for p in plan.get("needed") or needed_paths()):
        conf.notes.append("kept root: the Python installation is not readable by an unprivileged uid")
        return
    try:
        workdir = plan.get("workdir")
        if workdir:
            os.chown(workdir, uid, uid)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        conf.layers.append("unprivileged-uid")
    except OSError as exc:
        conf.notes.append(f"could not drop privileges: {exc}")
