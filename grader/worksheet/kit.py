"""Kits: what a student installs to grade themselves, without the answers.

A kit is one zip file, written the same way every time (sorted entries, fixed dates): the
worksheet's spec without its reference modules or its formulas' expected texts (``kit.json``), the
answer table of its public seed as plain data (``table.json`` and the raw bytes of its arrays,
``arrays.bin``: the wire codec's format, never pickle), and the predicates module, the only code
(property checks and mistakes known by their output). From it the reference can be recovered only
as its values on the kit's cases.
"""

from __future__ import annotations

import io
import json
import types
import zipfile
from pathlib import Path
from typing import Any, Union

from ..wire.codec import CodecError, decode_json, dump, encode
from ..errors import KitError, OutputError, SpecError
from ..messages import msg
from .formula_table import FormulaCase
from .cases import Case
from ..report.results import Hint
from ..judge.kinds import kind_of
from .mistakes import hint_in
from .models import Worksheet
from .table import AnswerTable, CheckTable, MistakeInfo, ProbeCase

FORMAT = "grader-kit"
FORMAT_VERSION = 2  # 2: a case holds its values as its kind draws them (no scale, shape of its own)
SUFFIX = ".kit"
_DATE = (2020, 1, 1, 0, 0, 0)
MAX_KIT_BYTES = 256 * 2**20


class Kit:
    """A kit read back: its worksheet, its answer table, its predicates and translations."""

    def __init__(self, path: Path, ws: Worksheet, table: AnswerTable, predicates: dict[str, Any],
                 grader_version: str) -> None:
        self.path, self.ws, self.table, self.predicates = path, ws, table, predicates
        self.grader_version = grader_version


# ---------------------------------------------------------------- plain data, both ways

def _case_data(case: Case) -> dict[str, Any]:
    return {"index": case.index, "edge": case.edge, "inputs": case.inputs, "expected": case.expected,
            "mistakes": case.mistakes, "public": case.public, "size": case.size}


def _case(data: dict[str, Any]) -> Case:
    return Case(int(data["index"]), bool(data["edge"]), dict(data["inputs"]), list(data["expected"]),
                dict(data["mistakes"]), bool(data["public"]), int(data["size"]))


def table_data(table: AnswerTable) -> dict[str, Any]:
    """The answer table as plain data (``codec.encode`` takes it)."""
    return {
        "worksheet_id": table.worksheet_id, "worksheet_version": table.worksheet_version, "seed": table.seed,
        "public": table.public,
        "checks": {cid: {"cases": [_case_data(c) for c in t.cases], "shrink": [_case_data(c) for c in t.shrink],
                         "probe": None if t.probe is None else {"inputs": t.probe.inputs,
                                                                "reference_output": t.probe.reference_output},
                         "lengths": list(t.lengths)}
                   for cid, t in table.checks.items()},
        "formulas": {key: {"points": f.points, "expected": f.expected, "mistakes": f.mistakes, "names": list(f.names)}
                     for key, f in table.formulas.items()},
        "mistakes": [{"id": m.id, "function": m.function, "kind": m.kind, "hint": m.hint, "detect": m.detect}
                     for m in table.mistakes],
        "translations": {lang: [list(pair) for pair in pairs] for lang, pairs in table.translations.items()},
    }


def table_of(data: dict[str, Any]) -> AnswerTable:
    """An answer table from ``table_data``'s data (decoded)."""
    mistakes = [MistakeInfo(m["id"], m["function"], m["kind"], dict(m["hint"]), m["detect"]) for m in data["mistakes"]]
    english = {m.id: Hint(id=m.id, text=hint_in(m.hint, "en")) for m in mistakes}
    checks = {}
    for cid, t in data["checks"].items():
        probe = t["probe"]
        lengths = tuple(n if type(n) is int and n >= 0 else None for n in t.get("lengths", ()))  # none in older kits
        checks[cid] = CheckTable([_case(c) for c in t["cases"]], [_case(c) for c in t["shrink"]],
                                 None if probe is None else ProbeCase(dict(probe["inputs"]), probe["reference_output"]),
                                 lengths)
    formulas = {key: FormulaCase(key, [dict(p) for p in f["points"]], list(f["expected"]), dict(f["mistakes"]),
                                 {m: english[m] for m in f["mistakes"] if m in english}, tuple(f["names"]))
                for key, f in data["formulas"].items()}
    return AnswerTable(data["worksheet_id"], data["worksheet_version"], int(data["seed"]), bool(data["public"]),
                       checks, formulas, mistakes,
                       {lang: [(str(a), str(b)) for a, b in pairs] for lang, pairs in data["translations"].items()})


def kit_worksheet(ws: Worksheet) -> dict[str, Any]:
    """The worksheet as a kit holds it: no reference modules, no formula's expected text."""
    data = ws.model_dump(mode="json")
    data.update(reference=None, generators=None, mistakes=None, predicates="predicates.py" if ws.predicates else None)
    for question in data["questions"]:
        for check in question["checks"]:
            for holder in [check, *check.get("parts", [])]:
                if holder.get("formula"):
                    holder["formula"]["expected"] = None
                    holder["formula"]["inputs"] = None
    return data


# ---------------------------------------------------------------- files

def write_kit(ws: Worksheet, table: AnswerTable, predicates_source: str, grader_version: str,
              out: Union[str, Path]) -> Path:
    """Write a kit file (byte-identical for the same worksheet, table and grader)."""
    blobs: list[bytes] = []
    encoded = dump(encode(table_data(table), blobs))
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "grader_version": grader_version,
                "worksheet": kit_worksheet(ws), "arrays": [len(b) for b in blobs]}
    entries = {"kit.json": dump(manifest).encode(), "table.json": encoded.encode(), "arrays.bin": b"".join(blobs)}
    if predicates_source:
        entries["predicates.py"] = predicates_source.encode()
    out = Path(out)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, entries[name])
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(buffer.getvalue())
    tmp.replace(out)
    return out


def read_kit(path: Union[str, Path]) -> Kit:
    """Read a kit file.

    Raises:
        KitError: not a kit, a kit of another format version, truncated or corrupt (the file and
            what is wrong).
    """
    path = Path(path)
    try:
        if path.stat().st_size > MAX_KIT_BYTES:
            raise KitError(path, msg("kit.too_large", mib=MAX_KIT_BYTES // 2**20))
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if not {"kit.json", "table.json", "arrays.bin"} <= names:
                raise KitError(path, msg("kit.parts_missing"))
            manifest_bytes = zf.read("kit.json")
            table_bytes = zf.read("table.json")
            arrays = zf.read("arrays.bin")
            predicates_source = zf.read("predicates.py").decode() if "predicates.py" in names else ""
    except KitError:
        raise
    except OSError as exc:
        raise KitError(path, msg("kit.unreadable", error=exc.strerror or str(exc))) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise KitError(path, msg("kit.damaged", error=str(exc))) from None
    try:
        manifest = json.loads(manifest_bytes)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise KitError(path, msg("kit.not_grader"))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise KitError(path, msg("kit.format", theirs=repr(manifest.get("format_version")), ours=FORMAT_VERSION,
                                        grader=str(manifest.get("grader_version", "?"))))
        sizes, blobs, offset = manifest["arrays"], [], 0
        for size in sizes:
            if not isinstance(size, int) or size < 0 or offset + size > len(arrays):
                raise KitError(path, msg("kit.short"))
            blobs.append(arrays[offset:offset + size])
            offset += size
        data = decode_json(table_bytes, blobs)  # the wire codec's strict reader: data, never code
        ws = Worksheet.model_validate(manifest["worksheet"])
        table = table_of(data)
    except KitError:
        raise
    except (CodecError, KeyError, TypeError, ValueError, IndexError) as exc:  # pydantic's errors are ValueErrors
        raise KitError(path, msg("kit.corrupt", error=(str(exc).splitlines() or [""])[0][:200])) from None
    if (table.worksheet_id, table.worksheet_version) != (ws.id, ws.version):
        raise KitError(path, msg("kit.other_table"))
    return Kit(path, ws.model_copy(update={"base_dir": str(path.parent), "spec_file": str(path)}), table,
               _predicates(predicates_source, path, ws.id), str(manifest.get("grader_version", "")))


def _predicates(source: str, path: Path, worksheet_id: str) -> dict[str, Any]:
    """The kit's predicates module, run in this process (it is the teacher's code, as the
    worksheet's reference is the instructor's)."""
    if not source:
        return {}
    module = types.ModuleType(f"_grader_kit_predicates_{worksheet_id}")
    module.__file__ = f"{path}:predicates.py"
    try:
        exec(compile(source, module.__file__, "exec"), module.__dict__)
    except Exception as exc:
        raise KitError(path, msg("kit.predicates", error=f"{type(exc).__name__}: {exc}")) from None
    return {k: v for k, v in vars(module).items() if callable(v) and not k.startswith("_")
            and getattr(v, "__module__", None) == module.__name__}


def make_kit(worksheet: Union[str, Path, Worksheet], out: Union[str, Path]) -> Path:
    """Build the kit of a worksheet (its public seed's table) into ``out`` (a folder: the file is
    ``<id>.kit``; or a file name ending in ``.kit``).

    Raises:
        SpecError: the worksheet is invalid, or cannot make a kit (a property check or a mistake
            known by its output whose predicate is not in the predicates module).
        InternalError: the reference or a generator fails on a public case.
        OutputError: the kit cannot be written where asked.
    """
    from .. import __version__
    from .loading import open_worksheet
    from .reference import load_reference
    from .table import build_table

    ws = open_worksheet(worksheet)
    reference = load_reference(ws)
    problems = _kit_problems(ws, reference)
    if problems:
        raise SpecError(ws.spec_file or ws.id, problems)
    table = build_table(ws, reference, ws.public_seed, public=True)
    source = ws.path_of(ws.predicates).read_text(encoding="utf-8") if ws.predicates else ""
    out = Path(out)
    target = out if out.suffix == SUFFIX else out / f"{ws.id}{SUFFIX}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return write_kit(ws, table, source, __version__, target)
    except OSError as exc:  # a read-only place, a file where the folder should be
        raise OutputError(target, exc) from None


def _kit_problems(ws: Worksheet, reference: Any) -> list[str]:
    """What keeps a worksheet from making a kit: code a kit would need that is not a predicate."""
    own = set(_predicate_names(ws))
    problems = [f"{q.id}/{c.id}: {problem}" for q in ws.questions for c in q.checks
                for problem in kind_of(c).kit_problems(c, own)]
    problems += [f"mistake {m.id}: detect must name a function of the predicates module to go in a kit"
                 for m in reference.mistakes if m.detect is not None and (not isinstance(m.detect, str) or m.detect not in own)]
    return problems


def _predicate_names(ws: Worksheet) -> list[str]:
    if not ws.predicates:
        return []
    from .loading import defined_names

    return sorted(defined_names(ws.path_of(ws.predicates)))
