"""Discovery of a class's submissions: plain files, per-student folders, Moodle and Canvas
downloads, and zip files of any of these (extracted safely). Nothing is graded here.

Student ids (a student with nothing gradable, a PDF say, is still an entry, with the reason):
- ``alice.py`` / ``alice.ipynb``                      -> ``alice``
- ``alice/td5.ipynb`` (a folder per student)           -> ``alice``
- Moodle, folders: ``Full Name_12345_assignsubmission_file_/td5.py`` -> ``12345`` (the
  assignment's participant number), name "Full Name"; flat: ``Full Name_12345_assignsubmission_file_td5.py``
- Canvas: ``lastnamefirst_12345_67890_td5.py`` (``_late_`` marks it late) -> ``12345``, name "lastnamefirst"

A class wrapped in folders (a zip whose only entry is ``moodle_src/``) is looked for inside them,
but a lone folder at the top holding one file named for the worksheet is a class of one student
(``alice/td5.py`` -> ``alice``), and a folder that holds LMS-named submissions is a class of its
own, never one student. A student's zip (LMS-named, in their folder, beside other students' files, or holding one student's
work: one source file, or files named for the worksheet) is opened with the same rules as a class
zip, and its name is the student's.

When a student has several candidate files, the rule is: files whose name contains the worksheet
id first, then notebooks before ``.py`` files, then the most recently modified, then by name. The
choice and the files left aside are reported.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..errors import GraderError
from ..messages import Msg, listed, msg
from .archives import ArchiveError, extract_zip, within

SUFFIXES = (".py", ".ipynb")
IGNORED = ("__pycache__", ".ipynb_checkpoints", "__MACOSX", ".git")
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_?$")  # a folder
MOODLE_FILE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<rest>.+)$")
CANVAS = re.compile(r"^(?P<name>[a-z0-9-]+)_(?P<late>late_)?(?P<id>\d+)_(?P<sub>\d+)_(?P<rest>.+)$", re.I)
RESERVED = ("summary", "manual", "similarity")  # ids whose report would be another output file (summary.json...)
MAX_ID_BYTES = 100  # a student id, in UTF-8: its files (<id>.gradescope.json, .<id>.json.<pid>.tmp) stay under 255
MAX_DEPTH = 6  # wrapping folders and nested class folders looked into


class ClassFolderError(GraderError, NotADirectoryError):
    """The class to grade is no folder nor zip file, or holds no submission."""


@dataclass(frozen=True)
class Entry:
    """One student's submission file, with where its id came from."""

    student_id: str
    path: Path
    name: str = ""
    source: str = "file"  # file | folder | moodle | canvas
    others: tuple[str, ...] = ()  # candidate files left aside
    problem: Optional[Msg] = None  # a known student with nothing to grade (a PDF, an empty folder): why; ``path`` is what they gave
    late: bool = False  # Canvas marked the file late
    shown: str = ""  # ``path`` as the teacher knows it: relative to the class folder (or zip), never absolute


@dataclass
class Discovery:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Msg] = field(default_factory=list)  # unreadable or refused entries, with the reason
    labels: list[tuple[Path, str]] = field(default_factory=list)  # extracted or class folder -> how to show it

    def show(self, path: Path) -> str:
        """``path`` relative to the class as given: ``download.zip/Dana_1_assignsubmission_file_/td5.py``."""
        best: Optional[tuple[Path, str]] = None
        for base, label in self.labels:
            if (path == base or base in path.parents) and (best is None or len(base.parts) > len(best[0].parts)):
                best = (base, label)
        if best is None:
            return path.name
        rest = path.relative_to(best[0]).as_posix()
        return best[1] if rest == "." else f"{best[1]}/{rest}" if best[1] else rest


def lms_name(name: str) -> bool:
    """The name of a Moodle or Canvas download's entry (a student's folder or file)."""
    return bool(MOODLE.match(name) or MOODLE_FILE.match(name) or CANVAS.match(name))


def _hidden(path: Path) -> bool:
    return path.name.startswith(".") or path.name in IGNORED


def _visible(folder: Path, skip: set[Path]) -> list[Path]:
    return [c for c in sorted(folder.iterdir()) if not _hidden(c) and c.resolve() not in skip]


def _candidates(folder: Path, suffixes: tuple[str, ...] = SUFFIXES) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if any(part in IGNORED or part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.suffix.lower() in suffixes and path.is_file() and not path.is_symlink():
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
    a hash of the whole name, so that its report's file name fits. An id whose report would be
    another output (``summary``, ``x.gradescope``) gets a ``_1``."""
    cleaned = re.sub(r"[^\w.-]+", "_", unicodedata.normalize("NFC", text)).strip("._-") or "student"
    if len(cleaned.encode()) > MAX_ID_BYTES:  # file names stop at 255 bytes: keep it short, and distinct
        short = cleaned.encode()[:MAX_ID_BYTES - 9].decode(errors="ignore").rstrip("._-")
        cleaned = f"{short}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    if cleaned.lower() in RESERVED or cleaned.lower().endswith(".gradescope"):
        cleaned += "_1"
    return cleaned


def _fresh(folder: Path) -> Path:
    """An empty folder to extract into (what an earlier run extracted there is ours to remove: a
    file since taken out of the archive must not come back as a ghost submission)."""
    if folder.exists():
        shutil.rmtree(folder)
    return folder


def _key(path: Path) -> str:
    return hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:10]


class _Scan:
    """One discovery: students found so far, across nested class folders."""

    def __init__(self, worksheet_id: str, work: Optional[Path], skip: set[Path], out: Discovery) -> None:
        self.worksheet_id, self.work, self.skip, self.out = worksheet_id, work, skip, out
        self.by_student: dict[str, list[tuple[Path, str, str, bool]]] = {}  # id -> (file, name, source, late)
        self.elsewhere: dict[str, tuple[str, str, list[Path]]] = {}  # nothing gradable: name, source, what they gave

    def unwrap(self, root: Path, class_root: bool = False) -> Path:
        """Inside lone wrapping folders (``moodle_src/`` alone at the top of a zip, ``__MACOSX`` and
        hidden files aside), unless that folder is itself a student's submission. ``class_root``:
        ``root`` is what the teacher gave, where a lone folder may be a class of one student
        (``student_folder``); inside a student's zip its name is the student's already."""
        for _ in range(MAX_DEPTH):
            visible = _visible(root, self.skip)
            if len(visible) != 1 or not visible[0].is_dir() or visible[0].is_symlink() or lms_name(visible[0].name) \
                    or (class_root and self.student_folder(visible[0])):
                break
            root = visible[0]
        return root

    def student_folder(self, folder: Path) -> bool:
        """Whether a lone folder at the top of a class is one student's rather than a wrapping one:
        it holds one student's work with exactly one file named for the worksheet, and is not named
        for the worksheet itself (``alice/td5.py`` is alice; ``TD5_rendus/alice_td5.py`` and
        ``td5/td5.py`` wrap a class)."""
        ws = self.worksheet_id.lower()
        named = [c for c in _visible(folder, self.skip) if c.is_file() and c.suffix.lower() in SUFFIXES
                 and ws in c.name.lower()]
        return len(named) == 1 and ws not in folder.name.lower() and self.one_students(folder)

    def class_folder(self, root: Path, depth: int = 0) -> None:
        visible = _visible(root, self.skip)
        # a plain zip beside students' own files is one more student's, not a section's download
        beside_files = any(c.suffix.lower() in SUFFIXES and c.is_file() and not lms_name(c.name) for c in visible)
        for child in visible:
            if child.is_symlink():
                self.out.problems.append(msg("discover.symlink", file=self.out.show(child)))
            elif child.is_file():
                self.file(child, depth, beside_files)
            elif child.is_dir():
                self.folder(child, depth)

    def one_students(self, folder: Path) -> bool:
        """Whether an extracted plain zip holds one student's work (``td5.ipynb``, perhaps with a
        helper module or a data folder) rather than a class (``alice.py``, ``bob.py``, LMS names)."""
        visible = _visible(folder, self.skip)
        if any(lms_name(c.name) or c.suffix.lower() == ".zip" or (c.is_dir() and _candidates(c))
               for c in visible):
            return False
        files = [c for c in visible if c.is_file() and c.suffix.lower() in SUFFIXES]
        return len(files) == 1 or any(self.worksheet_id.lower() in f.name.lower() for f in files)

    def file(self, child: Path, depth: int, beside_files: bool = False) -> None:
        moodle, canvas = MOODLE_FILE.match(child.name), CANVAS.match(child.name)
        suffix = child.suffix.lower()
        if moodle or canvas:
            who = (moodle["id"], moodle["name"], "moodle", False) if moodle else \
                (canvas["id"], canvas["name"], "canvas", bool(canvas["late"]))
            if suffix in SUFFIXES:
                self.by_student.setdefault(who[0], []).append((child, *who[1:]))
            elif suffix == ".zip":
                self.student_zip(child, who)
            else:  # a student of the download who handed in something else
                self.elsewhere.setdefault(who[0], (who[1], who[2], []))[2].append(child)
        elif suffix == ".zip":
            self.nested_zip(child, depth, beside_files)
        elif suffix in SUFFIXES:
            self.by_student.setdefault(_safe_id(child.stem), []).append((child, "", "file", False))
        else:
            self.out.problems.append(msg("discover.not_source", file=self.out.show(child)))

    def folder(self, child: Path, depth: int) -> None:
        moodle = MOODLE.match(child.name)
        if not moodle and depth < MAX_DEPTH and any(lms_name(c.name) for c in _visible(child, self.skip)):
            self.class_folder(child, depth + 1)  # a section's download beside others: a class, not a student
            return
        who = (moodle["id"], moodle["name"], "moodle", False) if moodle else (_safe_id(child.name), "", "folder", False)
        files = _candidates(child)
        if files:
            self.by_student.setdefault(who[0], []).extend((f, *who[1:]) for f in files)
            return
        zips = _candidates(child, (".zip",))
        if zips:
            for archive in zips:
                self.student_zip(archive, who)
            return
        self.elsewhere.setdefault(who[0], (who[1], who[2], []))[2].append(child)

    def student_zip(self, archive: Path, who: tuple[str, str, str, bool]) -> None:
        """A student's own zip: their candidates are inside (extracted with the class-zip rules)."""
        sid, name, source, late = who
        shown = self.out.show(archive)
        if self.work is None:
            self.elsewhere.setdefault(sid, (name, source, []))[2].append(archive)
            self.out.problems.append(msg("discover.student_zip", file=shown))
            return
        target = _fresh(self.work / "students" / f"{sid}-{_key(archive)}")
        inner = Discovery()
        try:
            extract_zip(archive, target, inner.problems)
        except ArchiveError as exc:
            self.elsewhere.setdefault(sid, (name, source, []))[2].append(archive)
            self.out.problems.append(within(shown, exc.message))
            return
        self.out.labels.append((target, shown))
        self.out.problems += [within(shown, p) for p in inner.problems]
        files = _candidates(target)
        if files:
            self.by_student.setdefault(sid, []).extend((f, name, source, late) for f in files)
        else:
            self.elsewhere.setdefault(sid, (name, source, []))[2].append(target)

    def nested_zip(self, child: Path, depth: int, beside_files: bool) -> None:
        shown = self.out.show(child)
        if self.work is None:
            self.out.problems.append(msg("discover.nested_zip", file=shown))
            return
        target = _fresh(self.work / "nested" / f"{_safe_id(child.stem)}-{_key(child)}")
        try:
            extract_zip(child, target, self.out.problems, shown)
        except ArchiveError as exc:
            self.out.problems.append(within(shown, exc.message))
            return
        self.out.labels.append((target, shown))
        inner = self.unwrap(target)
        if beside_files or self.one_students(inner):  # a student's zip: its name is theirs (bob.zip -> bob)
            sid, files = _safe_id(child.stem), _candidates(inner)
            if files:
                self.by_student.setdefault(sid, []).extend((f, "", "file", False) for f in files)
            else:
                self.elsewhere.setdefault(sid, ("", "file", []))[2].append(target)
        elif depth < MAX_DEPTH:
            self.class_folder(inner, depth + 1)

    def entries(self) -> list[Entry]:
        found = []
        for sid, candidates in sorted(self.by_student.items()):
            chosen, others = choose([f for f, *_ in candidates], self.worksheet_id)
            name, source, late = next((n, s, lt) for f, n, s, lt in candidates if f == chosen)
            found.append(Entry(sid, chosen, name, source, tuple(str(o) for o in others), late=late,
                               shown=self.out.show(chosen)))
        for sid, (name, source, given) in sorted(self.elsewhere.items()):
            if sid not in self.by_student:
                found.append(Entry(sid, given[0], name, source, problem=_nothing_to_grade(given),
                                   shown=self.out.show(given[0])))
        return found


def discover(root: Path, worksheet_id: str, *, work: Optional[Path] = None,
             exclude: tuple[Path, ...] = ()) -> Discovery:
    """Every student's submission under ``root`` (a folder or a zip file); ``exclude`` lists folders
    to leave out (the output folder, when it lies inside the class folder). ``work`` is where zips
    are extracted (without it, zips are listed as problems)."""
    out = Discovery()
    root = Path(root)
    if root.is_file() and root.suffix.lower() == ".zip":
        if work is None:
            raise ValueError("a zip file needs a work folder to be extracted into")
        target = _fresh(work / "class" / _safe_id(root.stem))
        extract_zip(root, target, out.problems)
        out.labels.append((target, root.name))
        root = target
    elif not root.exists():
        raise ClassFolderError(msg("discover.no_such", path=str(root)))
    elif not root.is_dir():
        raise ClassFolderError(msg("discover.not_a_folder", path=str(root)))
    else:
        out.labels.append((root, ""))
    scan = _Scan(worksheet_id, work, {p.resolve() for p in exclude}, out)
    scan.class_folder(scan.unwrap(root, class_root=True))
    out.entries = scan.entries()
    return out


def _nothing_to_grade(given: list[Path]) -> Msg:
    """Why a student's files cannot be graded, naming a few of them."""
    files = [f for g in given for f in ([g] if g.is_file() else sorted(p for p in g.rglob("*") if p.is_file()))]
    if not files:
        return msg("discover.empty")
    return msg("discover.handed_in", files=listed([f.name for f in files], 4))
