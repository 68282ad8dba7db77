"""Zip files of a class or of a student, extracted safely: no links, no path out of the target,
no bombs (too many entries, too many bytes, too high a compression ratio)."""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

from ..messages import Msg, msg

MAX_ZIP_ENTRIES = 20_000
MAX_ZIP_BYTES = 512 * 2**20
MAX_ZIP_RATIO = 200


class ArchiveError(ValueError):
    """A zip file that cannot be used whole (unreadable, too many entries, too large): why, as a message."""

    def __init__(self, message: Msg) -> None:
        self.message = message
        super().__init__(message.code)


def within(shown: str, problem: Msg) -> Msg:
    """``problem`` of an entry of the archive ``shown`` (as the teacher knows it)."""
    return msg("discover.in", file=shown, problem=problem) if shown else problem


def _entry_name(info: zipfile.ZipInfo) -> str:
    """An entry's name as its archiver meant it. Without the UTF-8 flag, zip says the name is
    cp437, but Linux's ``zip`` and many tools write UTF-8 there all the same (``Zoë`` read as
    ``Zo├½``): a name that is valid UTF-8 once put back to its bytes is taken as UTF-8."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def extract_zip(archive: Path, target: Path, problems: list[Msg], shown: str = "") -> None:
    """Extract ``archive`` into ``target``, refusing links, escaping paths and bombs. Folders are
    made even when empty (a Moodle student's empty folder is a student). Refused entries are
    added to ``problems`` (prefixed with ``shown``, the archive as the teacher knows it)."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(msg("zip.unreadable", error=str(exc))) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise ArchiveError(msg("zip.too_many", n=len(infos), limit=MAX_ZIP_ENTRIES))
        declared = sum(i.file_size for i in infos)
        if declared > MAX_ZIP_BYTES:
            raise ArchiveError(msg("zip.too_large", size=f"{declared / 2**20:.0f}", limit=MAX_ZIP_BYTES // 2**20))
        target.mkdir(parents=True, exist_ok=True)
        base = target.resolve()
        written = 0
        for info in infos:
            name = _entry_name(info)
            parts = PurePosixPath(name.replace("\\", "/")).parts
            mode = info.external_attr >> 16
            if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
                problems.append(within(shown, msg("zip.outside", entry=name)))
                continue
            if stat.S_ISLNK(mode):
                problems.append(within(shown, msg("zip.symlink", entry=name)))
                continue
            if not parts:
                continue
            destination = (target / Path(*parts)).resolve()
            if base not in destination.parents:
                problems.append(within(shown, msg("zip.outside", entry=name)))
                continue
            if info.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            if info.compress_size and info.file_size / max(info.compress_size, 1) > MAX_ZIP_RATIO:
                problems.append(within(shown, msg("zip.bomb", entry=name, limit=MAX_ZIP_RATIO)))
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, open(destination, "wb") as dst:
                    while True:
                        chunk = src.read(1 << 20)
                        if not chunk:
                            break
                        written += len(chunk)
                        if written > MAX_ZIP_BYTES:
                            raise ArchiveError(msg("zip.beyond"))
                        dst.write(chunk)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                problems.append(within(shown, msg("zip.entry_unreadable", entry=name, error=str(exc))))
