"""``grade new NAME``: a worksheet that works as created, for an author to change: its spec, its
reference, its known mistakes and an example submission, each file saying what to change.

The files are laid out as the project's own worksheets are (``exercises/NAME/worksheet.toml``,
``reference/NAME/``, ``submissions_example/NAME/``), under a folder of the author's choice, and
``grade check-spec exercises/NAME`` proves them sound before anything is changed.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import OutputError, SpecError
from ..messages import msg

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

SPEC = '''\
# {title}: made by `grade new {name}`. Change the questions and checks to your sheet's, then
# prove the worksheet sound (the reference scores full marks, every known mistake is caught):
#     grade check-spec exercises/{name}
# Every key, with its default, is in the grader's docs/writing-a-worksheet.md.
schema_version = 1
id = "{name}"
title = "{title}"
version = "1"
reference = "../../reference/{name}/solution.py"  # the right answers: never handed to students
mistakes = "../../reference/{name}/mistakes.py"   # plausible wrong answers, each with its hint

[tolerance]  # |got - expected| <= atol + rtol * |expected|, for every check that does not say otherwise
rtol = 1e-6
atol = 1e-9

# The sheet's own texts in other languages, for reports in them (grade FILE --lang fr): uncomment.
# [translations.fr]
# "Rows of unit length" = "Lignes de norme 1"

# A question: its id and title as the sheet prints them (II.1, Q1, Exercise 2b...).
[[questions]]
id = "Q1"
title = "Rows of unit length"

# A check calls a student function on random cases and on edge cases, and compares with the reference.
[[questions.checks]]
id = "normalize_rows"
kind = "compare"
function = "normalize_rows"
args = ["x"]          # the inputs passed to the function, in order
points = 2
cases = 10            # random cases, drawn from the inputs below (each student's seed decides them)
edge_cases = [{{ m = 1, k = 3 }}, {{ m = 4, k = 1 }}, {{ m = 2, k = 2 }}]  # cases everyone gets
[questions.checks.inputs]
m = {{ kind = "int", low = 1, high = 16 }}   # a batch of m rows...
k = {{ kind = "int", low = 1, high = 10 }}   # ...of k values each
x = {{ kind = "array", shape = ["m", "k"], distribution = "normal", scale = 3.0 }}

# A free-text answer, graded by hand: the submission sets ANSWER_Q2 = "..." (or answers in a
# markdown cell headed "Q2" in a notebook).
[[questions]]
id = "Q2"
title = "A row of zeros"

[[questions.checks]]
id = "comment"
kind = "manual"
points = 1
prompt = "What does normalize_rows give for a row of zeros, and why?"
answer = "ANSWER_Q2"
'''

SOLUTION = '''\
"""Reference solution of {title} (trusted: loaded by the grading process only, never by a
student's sandboxed child, and never put in the kit students get).

One function per function the checks call, with the same name and arguments as the sheet asks.
"""

import numpy as np


def normalize_rows(x):
    """Each row of x, shape (m, k), divided by its Euclidean length: rows of length 1."""
    x = np.asarray(x, dtype=float)
    return x / np.sqrt((x * x).sum(axis=1, keepdims=True))
'''

MISTAKES = '''\
"""Known mistakes of {title}: plausible wrong answers, each with the hint a student who made it
gets (trusted: loaded by the grading process only).

Each entry of MISTAKES names the function it replaces and one way to recognise it: a ``variant``
(a wrong version of the function, same arguments), a ``law`` (for a sampler: the law and scale it
wrongly draws from) or ``detect`` (the name of a predicate on the output). The hint is shown when a
student's outputs match the mistake's on every failing case. One language is enough; give others
as you wish (``{{"en": ..., "fr": ...}}``): a report in another language shows the English one.
"""

import numpy as np


def normalize_columns(x):
    return x / np.sqrt((x * x).sum(axis=0, keepdims=True))


def divide_by_squared_length(x):
    return x / (x * x).sum(axis=1, keepdims=True)


MISTAKES = [
    {{"id": "rows-wrong-axis", "function": "normalize_rows", "variant": normalize_columns,
     "hint": {{"en": "Each row is one example: sum along axis=1 (its k values), not down the batch."}}}},
    {{"id": "rows-squared-length", "function": "normalize_rows", "variant": divide_by_squared_length,
     "hint": {{"en": "The length of a row is the square root of its sum of squares."}}}},
]
'''

EXAMPLE = '''\
"""An example submission of {title}: full marks. Try `grade submissions_example/{name}/perfect.py
-w exercises/{name}`, then break it to see the report a student gets."""

import numpy as np


def normalize_rows(x):
    x = np.asarray(x, dtype=float)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


ANSWER_Q2 = "nan: its length is 0, and 0 / 0 is not a number; a row of zeros has no direction."
'''


def scaffold_files(name: str, title: str) -> dict[str, str]:
    """The files of a new worksheet, by their path under the author's folder."""
    filled = {"name": name, "title": title.replace('"', "'")}
    return {
        f"exercises/{name}/worksheet.toml": SPEC.format(**filled),
        f"reference/{name}/solution.py": SOLUTION.format(**filled),
        f"reference/{name}/mistakes.py": MISTAKES.format(**filled),
        f"submissions_example/{name}/perfect.py": EXAMPLE.format(**filled),
    }


def new_worksheet(name: str, root: str | Path = ".", title: str = "") -> list[Path]:
    """Write a new worksheet's files under ``root``; return their paths. Nothing is overwritten.

    Raises:
        SpecError: ``name`` is not a name a worksheet can have.
        OutputError: one of the files exists already, or cannot be written.
    """
    if not NAME.match(name):
        raise SpecError(name, msg("new.bad_name", name=name))
    root = Path(root)
    files = {root / path: text for path, text in scaffold_files(name, title or name).items()}
    taken = [path for path in files if path.exists()]
    if taken:
        raise OutputError(taken[0], msg("new.exists"))
    written = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise OutputError(path, exc) from None
    return written
