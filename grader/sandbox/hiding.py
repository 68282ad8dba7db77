"""What a sandboxed child must not see: the worksheet's folders (its reference and mistakes), the
grader's own files, the other students' work."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence, Union



class Hiding:
    """Which folders the child must not see: ``secret`` (the worksheet's folders), the grader's
    own files (and any installed copy with bundled references), plus per submission its folder
    (other students' work) and any ``extra`` (e.g. bulk output). A folder that holds the Python
    installation is never hidden (the child needs it). The fixed part is computed once."""

    def __init__(self, secret: Sequence[Path]) -> None:
        package = Path(__file__).resolve().parent.parent  # the grader package
        candidates = [*secret, package]
        for name in ("exercises", "reference"):  # a source checkout keeps these beside the package
            candidates.append(package.parent / name)
        for entry in sys.path:  # any other installed copy of the grader
            if entry and (Path(entry) / "grader" / "__init__.py").exists():
                candidates.append(Path(entry) / "grader")
        self.needed = [Path(p).resolve() for p in {sys.prefix, sys.base_prefix, sys.executable, *_module_dirs()}]
        self.fixed = self._allowed(candidates, [])

    def _allowed(self, candidates: Sequence[Path], hide: list[str]) -> list[str]:
        for path in candidates:
            path = path.resolve()
            if not path.exists() or any(n == path or path in n.parents for n in self.needed):
                continue
            if str(path) not in hide:
                hide.append(str(path))
        return hide

    def paths(self, submission: Union[str, Path], extra: Sequence[Union[str, Path]] = ()) -> list[str]:
        return self._allowed([Path(submission).resolve().parent, *map(Path, extra)], list(self.fixed))


def _module_dirs() -> list[str]:
    import numpy

    return [str(Path(numpy.__file__).resolve().parent.parent)]


