"""Discovery of a class's submissions: plain files, per-student folders, Moodle and Canvas
downloads, and zip files of any of these (extracted safely). Nothing is graded here.

Student ids (a student with nothing gradable, a PDF say, is still an entry, with the reason):
- ``alice.py`` / ``alice.ipynb``                      -> ``alice``
- ``alice/td5.ipynb`` (a folder per student)           -> ``alice``
- Moodle: ``Full Name_12345_assignsubmission_file_/``  -> ``12345``, name "Full Name"
- Canvas: ``lastnamefirst_12345_67890_td5.py`` (``_LATE_`` allowed) -> ``12345``, name "lastnamefirst"

When a student has several candidate files, the rule is: files whose name contains the worksheet
id first, then notebooks before ``.py`` files, then the most recently modified, then by name. The
choice and the files left aside are reported.
"""

from __future__ import annotations

import hashlib
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Optional

SUFFIXES = (".py", ".ipynb")
IGNORED = ("__pycache__", ".ipynb_checkpoints", "__MACOSX", ".git")
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?:file|onlinetext)_?$")
CANVAS = re.compile(r"^(?P<name>[a-z0-9-]+)_(?:late_)?(?P<id>\d+)_(?P<sub>\d+)_(?P<rest>.+)$", re.I)
MAX_ID_BYTES = 100  # a student id, in UTF-8: its files (<id>.gradescope.json, .<id>.json.<pid>.tmp) stay under 255
MAX_ZIP_ENTRIES = 20_000
MAX_ZIP_BYTES = 512 * 2**20
MAX_ZIP_RATIO = 200


@dataclass(frozen=True)
class Entry:
    """One student's submission file, with where its id came from."""

    student_id: str
    path: Path
    name: str = ""
    source: str = "file"  # file | folder | moodle | canvas
    others: tuple[str, ...] = ()  # candidate files left aside
    problem: str = ""  # a known student with nothing to grade (a PDF, an empty folder): why; ``path`` is what they gave


@dataclass
class Discovery:
    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # unreadable or refused entries, with the reason


def _candidates(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if any(part in IGNORED or part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.suffix.lower() in SUFFIXES and path.is_file() and not path.is_symlink():
            found.append(path)
    return found


def choose(files: list[Path], worksheet_id: str) -> tuple[Path, list[Path]]:
    """The documented rule for several candidate files of one student."""
    def key(p: Path):
        try:
            mtime = p.stat().st_mtime
        except OSError:
            mtime = 0.0
        return (worksheet_id.lower() not in p.name.lower(), p.suffix.lower() != ".ipynb", -mtime, p.name)
    ordered = sorted(files, key=key)
    return ordered[0], ordered[1:]


def _safe_id(text: str) -> str:
    """A student id from a file or folder name, safe as a file name: letters and digits of any
    script (``élève``, composed as NFC whatever the archive used), ``_ . -``; anything else (spaces,
    separators, control characters) becomes ``_``; none at either end is ``.``, ``_`` or ``-``
    (a report named ``-rf.json`` is a trap in a shell). A long one is cut to ``MAX_ID_BYTES`` with
    a hash of the whole name, so that its report's file name fits."""
    cleaned = re.sub(r"[^\w.-]+", "_", unicodedata.normalize("NFC", text)).strip("._-") or "student"
    if len(cleaned.encode()) > MAX_ID_BYTES:  # file names stop at 255 bytes: keep it short, and distinct
        short = cleaned.encode()[:MAX_ID_BYTES - 9].decode(errors="ignore").rstrip("._-")
        cleaned = f"{short}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    return cleaned


def discover(root: Path, worksheet_id: str, *, work: Optional[Path] = None,
             exclude: tuple[Path, ...] = ()) -> Discovery:
    """Every student's submission under ``root`` (a folder or a zip file); ``exclude`` lists folders
    to leave out (the output folder, when it lies inside the class folder)."""
    out = Discovery()
    skip = {p.resolve() for p in exclude}
    if root.is_file() and root.suffix.lower() == ".zip":
        if work is None:
            raise ValueError("a zip file needs a work folder to be extracted into")
        target = work / _safe_id(root.stem)
        extract_zip(root, target, out)
        root = target
    if not root.is_dir():
        raise NotADirectoryError(f"{root}: not a folder or a zip file")
    by_student: dict[str, list[tuple[Path, str, str]]] = {}
    elsewhere: dict[str, tuple[str, str, list[Path]]] = {}  # students with nothing gradable: name, source, what they gave
    for child in sorted(root.iterdir()):
        if child.name.startswith(".") or child.name in IGNORED or child.resolve() in skip:
            continue
        if child.is_symlink():
            out.problems.append(f"{child.name}: symbolic link, ignored")
            continue
        if child.is_file() and child.suffix.lower() == ".zip":
            if work is None:
                out.problems.append(f"{child.name}: zip file inside the class folder needs --out")
                continue
            sub = Discovery()
            try:
                nested = discover(child, worksheet_id, work=work)
            except (OSError, ValueError) as exc:
                out.problems.append(f"{child.name}: {exc}")
                continue
            out.entries += nested.entries
            out.problems += [f"{child.name}: {p}" for p in nested.problems + sub.problems]
            continue
        if child.is_file():
            canvas = CANVAS.match(child.name)
            if child.suffix.lower() not in SUFFIXES:
                if canvas:  # a student of the download who handed in something else
                    elsewhere.setdefault(canvas["id"], (canvas["name"], "canvas", []))[2].append(child)
                else:
                    out.problems.append(f"{child.name}: not a .py or .ipynb file, ignored")
                continue
            if canvas:
                by_student.setdefault(canvas["id"], []).append((child, canvas["name"], "canvas"))
            else:
                by_student.setdefault(_safe_id(child.stem), []).append((child, "", "file"))
        elif child.is_dir():
            moodle = MOODLE.match(child.name)
            sid, name, source = (moodle["id"], moodle["name"], "moodle") if moodle else (_safe_id(child.name), "", "folder")
            files = _candidates(child)
            if not files:
                elsewhere.setdefault(sid, (name, source, []))[2].append(child)
                continue
            by_student.setdefault(sid, []).extend((f, name, source) for f in files)
    for sid, found in sorted(by_student.items()):
        chosen, others = choose([f for f, _, _ in found], worksheet_id)
        name, source = next((n, s) for f, n, s in found if f == chosen)
        out.entries.append(Entry(sid, chosen, name, source, tuple(str(o) for o in others)))
    for sid, (name, source, given) in sorted(elsewhere.items()):
        if sid not in by_student:
            out.entries.append(Entry(sid, given[0], name, source, problem=_nothing_to_grade(given)))
    return out


def _nothing_to_grade(given: list[Path]) -> str:
    """Why a student's files cannot be graded, naming a few of them."""
    files = [f for g in given for f in ([g] if g.is_file() else sorted(p for p in g.rglob("*") if p.is_file()))]
    if not files:
        return "no .py or .ipynb file: the submission is empty"
    shown = ", ".join(f.name for f in files[:4]) + (f" and {len(files) - 4} more" if len(files) > 4 else "")
    return f"no .py or .ipynb file: handed in {shown}"


def extract_zip(archive: Path, target: Path, out: Discovery) -> None:
    """Extract ``archive`` into ``target``, refusing links, escaping paths and bombs."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(f"not a readable zip file ({exc})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise ValueError(f"too many entries ({len(infos)}; the limit is {MAX_ZIP_ENTRIES})")
        declared = sum(i.file_size for i in infos)
        if declared > MAX_ZIP_BYTES:
            raise ValueError(f"expands to {declared / 2**20:.0f} MiB (the limit is {MAX_ZIP_BYTES // 2**20} MiB)")
        target.mkdir(parents=True, exist_ok=True)
        base = target.resolve()
        written = 0
        for info in infos:
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            mode = info.external_attr >> 16
            if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
                out.problems.append(f"{name}: refused (points outside the archive)")
                continue
            if stat.S_ISLNK(mode):
                out.problems.append(f"{name}: refused (symbolic link)")
                continue
            if info.is_dir():
                continue
            if info.compress_size and info.file_size / max(info.compress_size, 1) > MAX_ZIP_RATIO:
                out.problems.append(f"{name}: refused (compression ratio over {MAX_ZIP_RATIO}: a zip bomb?)")
                continue
            destination = (target / Path(*parts)).resolve()
            if base not in destination.parents:
                out.problems.append(f"{name}: refused (points outside the archive)")
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
                            raise ValueError("the archive expands beyond its declared size")
                        dst.write(chunk)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                out.problems.append(f"{name}: unreadable ({exc})")
