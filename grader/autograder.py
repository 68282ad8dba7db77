"""Gradescope's autograder zip: ``grade kit WORKSHEET --gradescope autograder.zip``.

Gradescope unzips it into ``/autograder/source``, runs ``setup.sh`` once when it builds its image,
then ``run_autograder`` for each submission, which must leave ``/autograder/results/results.json``.
The zip holds the grader's own source (installed by ``setup.sh``), the worksheet folder with its
reference (the instructor's: it stays on Gradescope's machine, hidden from student code by the
sandbox as on any grading machine), and the two scripts. ``run_autograder`` always writes a
``results.json``, a submission with nothing to grade included.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Union

from .messages import msg
from .worksheet.models import Worksheet

_DATE = (2020, 1, 1, 0, 0, 0)

SETUP = """#!/usr/bin/env bash
# Run once by Gradescope when it builds the autograder's image.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m pip install --quiet ./grader-src
"""

RUN = """#!/usr/bin/env bash
# Run by Gradescope for each submission: grade it with the worksheet (hidden cases included) and
# leave results.json. AUTOGRADER_ROOT lets it run elsewhere than /autograder (a test, a dry run).
set -uo pipefail
root="${{AUTOGRADER_ROOT:-/autograder}}"
cd "$root/source"
mkdir -p "$root/results"
python3 - "$root" <<'PYTHON'
import json, subprocess, sys
from pathlib import Path

root = Path(sys.argv[1])
results = root / "results" / "results.json"
files = sorted(p for p in (root / "submission").rglob("*") if p.suffix.lower() in (".py", ".ipynb") and p.is_file())
def fail(message):
    results.write_text(json.dumps({{"score": 0, "output": message, "visibility": "visible", "tests": []}}))
if not files:
    fail("No .py or .ipynb file was submitted: upload your notebook or your .py file.")
    sys.exit(0)
from grader.classroom.discover import choose
chosen, others = choose(files, {worksheet_id!r})
done = subprocess.run(["grade", str(chosen), "-w", {worksheet!r}, "--format", "gradescope", "--out", str(results)],
                      capture_output=True, text=True)
if not results.is_file() or done.returncode not in (0, 1):
    fail(f"The grader could not grade {{chosen.name}}: {{done.stderr.strip()[-2000:]}}")
elif others:
    data = json.loads(results.read_text())
    data["output"] = data.get("output", "") + f"\\nGraded {{chosen.name}}; also submitted: " + \\
        ", ".join(p.name for p in others)
    results.write_text(json.dumps(data, indent=2))
PYTHON
"""

PYPROJECT = """[build-system]
requires = ["hatchling>=1.18"]
build-backend = "hatchling.build"

[project]
name = "grader"
version = "{version}"
requires-python = ">=3.10"
dependencies = {dependencies}

[project.scripts]
grade = "grader.cli:main"

[tool.hatch.build.targets.wheel]
packages = ["grader"]
"""


def _entries(ws: Worksheet) -> dict[str, bytes]:
    from importlib.metadata import PackageNotFoundError, requires

    from . import __version__

    package = Path(__file__).resolve().parent
    out: dict[str, bytes] = {}
    for path in sorted(package.rglob("*")):
        # the whole package, as its wheel holds it: the kits, the French catalogue, the page's assets
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            out[f"grader-src/grader/{path.relative_to(package).as_posix()}"] = path.read_bytes()
    try:
        dependencies = [r for r in requires("grader") or [] if "extra ==" not in r]
    except PackageNotFoundError:
        dependencies = ["numpy>=1.22", "pydantic>=2.5,<3", "nbformat>=5.7", "rich>=13", "ipython>=8"]
    out["grader-src/pyproject.toml"] = PYPROJECT.format(version=__version__,  # a JSON list of strings is TOML too
                                                        dependencies=json.dumps(dependencies)).encode()
    # the worksheet keeps its layout relative to its modules (../../reference/...)
    spec = Path(ws.spec_file)
    files = [spec] + [ws.path_of(m) for m in (ws.reference, ws.generators, ws.mistakes, ws.predicates) if m]
    common = Path(_common_root(files))
    for path in files:
        out[f"worksheet/{path.resolve().relative_to(common).as_posix()}"] = path.read_bytes()
    relative = spec.resolve().relative_to(common).as_posix()
    out["setup.sh"] = SETUP.encode()
    out["run_autograder"] = RUN.format(worksheet=f"worksheet/{relative}", worksheet_id=ws.id).encode()
    return out


def _common_root(paths: list[Path]) -> str:
    import os

    return os.path.commonpath([str(p.resolve().parent) for p in paths])


def make_autograder(worksheet: Union[str, Path, Worksheet], out: Union[str, Path]) -> Path:
    """Write Gradescope's autograder zip for a worksheet (a folder with its reference).

    Raises:
        SpecError: the worksheet is invalid; KitError: a kit (Gradescope grades with the reference).
    """
    from .worksheet.loading import open_worksheet
    from .errors import KitError

    if str(worksheet).endswith(".kit"):
        raise KitError(worksheet, msg("gradescope.kit"))
    ws = open_worksheet(worksheet)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in sorted(_entries(ws).items()):
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o755 if name in ("setup.sh", "run_autograder") else 0o644) << 16
            zf.writestr(info, data)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(buffer.getvalue())
    tmp.replace(out)
    return out
