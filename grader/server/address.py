"""Where a grading server listens and which grader it is: a socket in a folder of its user's only
(``$XDG_RUNTIME_DIR/grader``, else ``/tmp/grader-UID``, mode 0700), named for the grader's version
and the state of its files."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Optional

PACKAGE = Path(__file__).resolve().parent.parent
IDLE_SECONDS = 15 * 60  # a server unused this long stops
MAX_REQUEST = 1 << 20  # bytes of one request or answer's header: an argv, a folder


def key() -> str:
    """What this grader is: its version and its modules' sizes and times (an edited checkout, or
    another install of the same version, is another grader)."""
    import hashlib

    from .. import __version__

    digest = hashlib.sha256(str(PACKAGE).encode())
    for root, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".mo", ".kit")):
                info = os.stat(os.path.join(root, name))
                digest.update(f"{root}/{name}:{info.st_size}:{info.st_mtime_ns};".encode())
    return f"{__version__}-{digest.hexdigest()[:16]}"


def folder() -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir() and len(runtime) <= 60:  # a socket's path stops at 107 bytes
        return Path(runtime) / "grader"
    return Path(f"/tmp/grader-{os.getuid()}")


def private_folder(create: bool = False) -> Optional[Path]:
    """The server's folder, if it is this user's own and nobody else's to open (else None: a
    folder another user made at that name is never trusted)."""
    path = folder()
    if create:
        try:
            path.mkdir(mode=0o700, exist_ok=True)
        except OSError:
            return None
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return path


def socket_path(the_key: str, create: bool = False) -> Optional[Path]:
    where = private_folder(create)
    return None if where is None else where / f"server-{the_key}.sock"
