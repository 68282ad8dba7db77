"""Reading worksheet spec files: TOML, readable errors (file, key path, line), module checks,
and the bundled worksheets. The models themselves are in ``models.py`` (and each check kind's in
``judge/kinds``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any, Union

from pydantic import ValidationError

from ..errors import KitError, NoWorksheet, SpecError
from ..messages import msg
from ..judge.kinds import Defined, kind_of
from .checkbase import IDENT
from .models import SCHEMA_VERSION, SPEC_FILENAME, Worksheet
from .sharing import apply_shared

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]


_TAGS = frozenset({"int", "float", "choice", "fixed", "array", "spd", "rng", "custom",
                   "compare", "pipeline", "property", "statistical", "manual"})


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the union tags pydantic puts into error paths (``checks[0].compare.function``)."""
    out = []
    for i, part in enumerate(loc):
        tagged = isinstance(part, str) and part in _TAGS and i > 0
        if tagged and (isinstance(loc[i - 1], int) or (i > 1 and loc[i - 2] == "inputs")):
            continue
        out.append(part)
    return tuple(out)


def _key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """Best-effort line number of ``loc`` in the TOML text (array-of-tables headers, then keys)."""
    lines = text.splitlines()
    pos, prefix = 0, []
    parts = [p for p in loc]
    i = 0
    found: int | None = None
    while i < len(parts):
        part = parts[i]
        if isinstance(part, str) and i + 1 < len(parts) and isinstance(parts[i + 1], int):
            prefix.append(part)
            header = "[[" + ".".join(prefix) + "]]"
            count, target = -1, parts[i + 1]
            for n in range(pos, len(lines)):
                if lines[n].strip() == header:
                    count += 1
                    if count == target:
                        pos, found = n, n + 1
                        break
            else:
                return found
            i += 2
            continue
        if isinstance(part, str):
            pattern = re.compile(rf"^\s*(\[+[^\]]*\b{re.escape(part)}\]+|{re.escape(part)}\s*=|\"{re.escape(part)}\"\s*=)")
            for n in range(pos, len(lines)):
                if n > pos and lines[n].lstrip().startswith("[[") and found is not None and n != pos:
                    if not lines[n].strip().startswith("[[" + ".".join(prefix)):
                        break
                if pattern.search(lines[n]):
                    pos, found = n, n + 1
                    break
        i += 1
    return found


def _readable(exc: ValidationError, text: str) -> list[str]:
    problems = []
    for err in exc.errors():
        loc = _clean_loc(tuple(err["loc"]))
        line = _line_of(text, loc)
        where = f"line {line}: " if line else ""
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown key (not part of the spec format)"
        elif err["type"] == "missing":
            message = "required key is missing"
        problems.append(f"{where}{_key_path(loc)}: {message}")
    return problems


def defined_names(path: Path) -> set[str]:
    """Top-level functions of a Python file, found by parsing it (never importing it).

    Raises:
        ValueError: the file cannot be read or parsed (the message says where and why).
    """
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as exc:
        line = f" (line {exc.lineno})" if exc.lineno else ""
        raise ValueError(f"{path.name} does not parse: {exc.msg}{line}") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # unreadable, not UTF-8, a null byte
        raise ValueError(f"{path.name} cannot be read as Python source: {exc}") from None
    return {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _check_modules(ws: Worksheet, path: Path) -> list[str]:
    problems = []
    if ws.reference is None:
        return ["reference: required key is missing (the trusted reference solution module)"]
    missing = [f.key for f in ws.formulas() if f.expected is None]
    if missing:
        return [f"formula {key!r}: expected: required key is missing" for key in missing]
    reference = ws.path_of(ws.reference)
    if not reference.is_file():
        return [f"reference: file {reference} does not exist"]
    helpers: set[str] = set()
    try:
        names = defined_names(reference)
        if ws.generators:
            gen_path = ws.path_of(ws.generators)
            if not gen_path.is_file():
                return [f"generators: file {gen_path} does not exist"]
            helpers = defined_names(gen_path)
        predicates: set[str] = set()
        if ws.predicates:
            pred_path = ws.path_of(ws.predicates)
            if not pred_path.is_file():
                return [f"predicates: file {pred_path} does not exist"]
            predicates = defined_names(pred_path)
        if ws.mistakes:
            mistakes_path = ws.path_of(ws.mistakes)
            if not mistakes_path.is_file():
                return [f"mistakes: file {mistakes_path} does not exist"]
            defined_names(mistakes_path)  # parsed only to report a syntax error as a spec problem
    except ValueError as exc:
        return [str(exc)]
    defined = Defined(names, helpers, predicates, reference.name)
    for qi, q in enumerate(ws.questions):
        for ci, c in enumerate(q.checks):
            where = f"questions[{qi}].checks[{ci}] ({q.id}/{c.id})"
            kind = kind_of(c)
            problems += kind.spec_problems(c, where, defined)
            formulas = [getattr(c, "formula", None), *(p.formula for p in c.parts)]
            for formula in filter(None, formulas):
                if formula.inputs and formula.inputs not in helpers:
                    problems.append(f"{where}: formula {formula.key!r}: inputs function {formula.inputs!r} is not "
                                    f"defined in the generators module")
            if kind.calls:
                for name, gen in c.inputs.items():
                    if gen.kind == "custom" and gen.function not in helpers:
                        problems.append(f"{where}.inputs.{name}: custom generator {gen.function!r} is not defined")
    return problems


def load_worksheet(path: str | Path) -> Worksheet:
    """Load and validate a worksheet from a spec file or a folder holding ``worksheet.toml``.

    Raises:
        NoWorksheet: no such file (a folder without ``worksheet.toml``).
        SpecError: the file cannot be read, is not TOML, or not a valid spec (file, key path, reason).
    """
    path = Path(path)
    if path.is_dir():
        path = path / SPEC_FILENAME
    try:
        raw = path.read_bytes()
        if raw[:4] == b"PK\x03\x04":  # a zip: a kit named otherwise, or given where a worksheet is asked
            raise KitError(path, msg("kit.not_a_spec") if path.suffix == ".kit" else msg("kit.no_suffix"))
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SpecError(path, msg("worksheet.not_text")) from None
    except FileNotFoundError:  # no worksheet there, rather than an invalid one
        if path.name == SPEC_FILENAME and path.parent.is_dir():  # a folder without its spec
            raise NoWorksheet(path.parent, msg("worksheet.no_spec", file=SPEC_FILENAME)) from None
        raise NoWorksheet(path, msg("worksheet.no_file")) from None
    except OSError as exc:
        raise SpecError(path, f"cannot read the spec: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(path, f"not valid TOML: {exc}") from None
    if isinstance(data, dict) and data.get("schema_version") not in (None, SCHEMA_VERSION):
        raise SpecError(path, f"schema_version {data.get('schema_version')!r} is not supported "
                              f"(this grader reads version {SCHEMA_VERSION})")
    shared = apply_shared(data) if isinstance(data, dict) else []
    if shared:
        raise SpecError(path, [f"line {line}: {_key_path(loc)}: {why}" if (line := _line_of(text, loc)) else
                               f"{_key_path(loc)}: {why}" for loc, why in shared])
    data["base_dir"] = str(path.parent.resolve())
    data["spec_file"] = str(path.resolve())
    try:
        ws = Worksheet.model_validate(data)
    except ValidationError as exc:
        raise SpecError(path, _readable(exc, text)) from None
    problems = _check_modules(ws, path)
    if problems:
        raise SpecError(path, problems)
    return ws


def spec_digest(ws: Worksheet) -> str:
    """A digest of everything that defines the grading: the spec file and its modules."""
    import hashlib

    digest = hashlib.sha256()
    files = [Path(ws.spec_file) if ws.spec_file else ws.path_of(SPEC_FILENAME)]
    files += [ws.path_of(n) for n in (ws.reference, ws.generators, ws.mistakes, ws.predicates) if n]
    for path in files:
        digest.update(path.name.encode() + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()


KIT_SUFFIX = ".kit"


def bundled_kits() -> Path:
    """Folder of the kits that ship with the grader (TD 5's): what a student grades with."""
    return Path(__file__).resolve().parent.parent / "kits"


def open_worksheet(worksheet: Union[str, Path, Worksheet]) -> Worksheet:
    """A worksheet from a model, a spec path, or the name of a bundled worksheet."""
    if isinstance(worksheet, Worksheet):
        return worksheet
    return load_worksheet(resolve_worksheet(str(worksheet)))


def resolve_worksheet(name_or_path: str) -> Path:
    """A worksheet from a path (a spec file, a folder holding ``worksheet.toml``, a ``.kit`` file),
    or from the name of a bundled kit (``td5``).

    Raises:
        NoWorksheet: no such file, folder or bundled kit (the bundled ones are listed).
    """
    candidate = Path(name_or_path)
    if candidate.exists():
        return candidate / SPEC_FILENAME if candidate.is_dir() else candidate
    bundled = bundled_kits() / f"{name_or_path}{KIT_SUFFIX}"
    if re.match(IDENT, name_or_path) and bundled.is_file():
        return bundled
    known = sorted(p.stem for p in bundled_kits().glob(f"*{KIT_SUFFIX}")) if bundled_kits().is_dir() else []
    raise NoWorksheet(name_or_path, msg("worksheet.not_found", known=", ".join(known) or "-"))
