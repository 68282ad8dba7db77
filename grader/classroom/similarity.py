"""Which submissions of a class are unusually alike: a pointer for a human, never a verdict.

Winnowing, as MOSS does (Schleimer, Wilkerson and Aiken, SIGMOD 2003): each submission's code is
cut into Python tokens (comments, blank lines and layout dropped; every name that is not a
keyword, an attribute or a builtin becomes ``V``, every string ``S``, so renaming variables changes
nothing), hashed in overlapping runs of ``K`` tokens, and a
fingerprint kept per window of ``W`` runs (the smallest hash). Fingerprints are a set, so reordered
functions share theirs. Fingerprints of the starter code, and those most of the class shares (the
worksheet's signatures, common idioms), are left out. Two submissions' similarity is the share of
the smaller one's fingerprints the other has too. A pair is flagged when it is at least
``THRESHOLD`` alike and ``ABOVE_USUAL`` above the class's median pair, or ``CERTAIN`` alike whatever
that median (a class where copying is the usual does not hide it).

Not ``copydetect``: its package imports ``matplotlib.pyplot``, ``jinja2`` and ``tqdm`` at import
(half a second and a plotting stack for every bulk run), and its tokens come from Pygments, a
dependency for what one regular expression does here.
"""

from __future__ import annotations

import builtins
import hashlib
import io
import json
import keyword
import re
import zlib
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

import numpy as np

K = 12  # tokens per hashed run: about one line of code
W = 6  # runs per window: any match of K + W - 1 tokens is seen
COMMON = 0.3  # a fingerprint in more than this share of the class (and 3 submissions or more) is the class's usual
THRESHOLD = 0.6  # flag pairs at least this alike...
ABOVE_USUAL = 0.3  # ...and this much above the class's median pair
CERTAIN = 0.9  # ...but a pair this alike is flagged whatever the class's usual
MIN_FINGERPRINTS = 12  # a submission with fewer (nearly empty) is not compared
NAMES = frozenset(dir(builtins))


@dataclass(frozen=True)
class Fingerprints:
    """One submission's code and its fingerprints: hash -> the character spans of its runs."""

    student_id: str
    code: str
    spans: dict[int, list[tuple[int, int]]]

    @property
    def hashes(self) -> np.ndarray:
        return np.fromiter(sorted(self.spans), dtype=np.uint64, count=len(self.spans))


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    similarity: float  # share of the smaller submission's fingerprints found in the other
    shared: int  # fingerprints in common
    spans_a: tuple[tuple[int, int], ...] = ()  # the matching parts, in each one's code (character offsets)
    spans_b: tuple[tuple[int, int], ...] = ()


@dataclass
class Similarity:
    pairs: list[Pair] = field(default_factory=list)  # flagged, most alike first
    compared: int = 0  # submissions compared
    median: float = 0.0  # the class's usual: the median pair
    threshold: float = THRESHOLD
    skipped: list[str] = field(default_factory=list)  # too little code to compare, or not Python


TOKEN = re.compile(r"""
  (?P<comment>\#[^\n]*)
| (?P<string>[rRbBuUfF]{0,2}(?:\"\"\"(?:\\.|[^\\])*?\"\"\"|\'\'\'(?:\\.|[^\\])*?\'\'\'
                             |"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'))
| (?P<name>[^\W\d]\w*)
| (?P<number>\.?\d(?:[\w.]|[eE][+-])*)
| (?P<newline>\n[ \t\f]*)
| (?P<space>[ \t\f\r]+|\\\r?\n)
| (?P<op>\*\*=?|//=?|>>=?|<<=?|->|:=|[-+*/%&|^@=!<>]=?|[()\[\]{},:;.~])
| (?P<other>.)
""", re.X | re.S)
OPENING, CLOSING = frozenset("([{"), frozenset(")]}")


def tokens(code: str) -> list[tuple[str, int, int]]:
    """The normalised tokens of ``code`` with their character spans: Python's tokens (read by one
    regular expression, several times faster than ``tokenize`` and as good for this), comments
    and blank lines dropped, names that are no keyword, builtin or attribute as ``V``, strings as
    ``S``, a block's start and end as ``>`` and ``<``."""
    out: list[tuple[str, int, int]] = []
    previous, depth, indents, pending = "", 0, [0], None
    iskeyword = keyword.iskeyword
    for match in TOKEN.finditer(code):
        kind, string = match.lastgroup, match.group()
        if kind in ("comment", "space"):
            continue
        if kind == "newline":
            if depth == 0:
                pending = (len(string) - 1, match.end())
            continue
        if pending is not None:  # the first token of a logical line: its indentation opens or closes blocks
            width, at = pending
            pending = None
            if width > indents[-1]:
                indents.append(width)
                out.append((">", at, at))
            while width < indents[-1]:
                indents.pop()
                out.append(("<", at, at))
        begin, end = match.span()
        if kind == "name":
            word = string if previous == "." or string in NAMES or iskeyword(string) else "V"
        elif kind == "string":
            word = "S"
        else:
            word = string
            if string in OPENING:
                depth += 1
            elif string in CLOSING:
                depth = max(0, depth - 1)
        out.append((word, begin, end))
        previous = string
    out += [("<", len(code), len(code))] * (len(indents) - 1)  # the blocks still open at the end
    return out


def fingerprint(student_id: str, code: str) -> Fingerprints:
    """Winnow ``code``'s K-token runs: the smallest hash of each window of W runs (the rightmost
    one on a tie); a run's hash is made of its tokens' CRC-32s, so it is the same from run to run."""
    toks = tokens(code)
    words = [t[0] for t in toks]
    count = len(toks) - K + 1
    spans: dict[int, list[tuple[int, int]]] = {}
    if count <= 0:
        return Fingerprints(student_id, code, spans)
    ids: dict[str, int] = {}
    values = np.fromiter((ids.setdefault(w, zlib.crc32(w.encode("utf-8", "surrogatepass"))) for w in words), dtype=np.uint64, count=len(words))
    hashes = np.zeros(count, dtype=np.uint64)
    for j in range(K):  # a polynomial hash of each run of K tokens (wrapping at 2**64), all runs at once
        hashes = hashes * np.uint64(1_000_003) + values[j:j + count]
    hashes = (hashes >> np.uint64(1)).astype(np.int64)
    if count < W:
        chosen = np.array([count - 1 - int(np.argmin(hashes[::-1]))])
    else:
        windows = np.lib.stride_tricks.sliding_window_view(hashes, W)[:, ::-1]
        chosen = np.arange(len(windows)) + W - 1 - windows.argmin(axis=1)
        chosen = chosen[np.concatenate(([True], chosen[1:] != chosen[:-1]))]
    for i in chosen.tolist():
        spans.setdefault(int(hashes[i]), []).append((toks[i][1], toks[i + K - 1][2]))
    return Fingerprints(student_id, code, spans)


def merged(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for begin, end in sorted(spans):
        if out and begin <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([begin, end])
    return tuple((a, b) for a, b in out)


def compare(prints: Sequence[Fingerprints], starter: Optional[str] = None) -> Similarity:
    """The pairs of ``prints`` unusually alike (see the module docstring)."""
    result = Similarity()
    left_out: set[int] = set(fingerprint("", starter).spans) if starter else set()
    counts: dict[int, int] = {}
    for p in prints:
        for value in p.spans:
            counts[value] = counts.get(value, 0) + 1
    usual = max(3, COMMON * len(prints))
    left_out |= {value for value, n in counts.items() if n > usual}
    kept, arrays = [], []
    for p in prints:
        values = np.array(sorted(set(p.spans) - left_out), dtype=np.uint64)
        if len(values) < MIN_FINGERPRINTS:
            result.skipped.append(p.student_id)
            continue
        kept.append(p)
        arrays.append(values)
    result.compared = len(kept)
    scores = []
    found = []
    for i in range(len(kept)):
        for j in range(i + 1, len(kept)):
            shared = np.intersect1d(arrays[i], arrays[j], assume_unique=True)
            share = len(shared) / min(len(arrays[i]), len(arrays[j]))
            scores.append(share)
            if share >= THRESHOLD:
                found.append((i, j, share, shared))
    result.median = float(np.median(scores)) if scores else 0.0
    result.threshold = min(CERTAIN, max(THRESHOLD, result.median + ABOVE_USUAL))
    for i, j, share, shared in found:
        if share < result.threshold:
            continue
        a, b = kept[i], kept[j]
        common = [int(v) for v in shared]
        result.pairs.append(Pair(a.student_id, b.student_id, round(share, 3), len(common),
                                 merged(s for v in common for s in a.spans[v]),
                                 merged(s for v in common for s in b.spans[v])))
    result.pairs.sort(key=lambda p: (-p.similarity, p.a, p.b))
    return result


def as_json(result: Similarity, codes: dict[str, str]) -> dict:
    """``similarity.json``: the flagged pairs with their matching parts, and the code of each
    submission they name (the review page shows them side by side)."""
    named = sorted({s for p in result.pairs for s in (p.a, p.b)})
    return {
        "format": "grader-similarity", "version": 1,
        "method": f"winnowing of Python tokens (K={K}, W={W}); names, strings, comments and layout ignored",
        "compared": result.compared, "median": round(result.median, 3), "threshold": round(result.threshold, 3),
        "skipped": result.skipped,
        "pairs": [{"a": p.a, "b": p.b, "similarity": p.similarity, "shared": p.shared,
                   "spans_a": [list(s) for s in p.spans_a], "spans_b": [list(s) for s in p.spans_b]}
                  for p in result.pairs],
        "code": {sid: codes[sid] for sid in named},
    }


def code_of(path) -> Optional[str]:
    """A submission's code: a ``.py`` file's text, a notebook's code cells one after another
    (None when it cannot be read)."""
    from pathlib import Path

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if path.suffix.lower() == ".ipynb":
        try:
            cells = json.loads(data.decode("utf-8")).get("cells", [])
            sources = ["".join(c["source"]) if isinstance(c.get("source"), list) else str(c.get("source", ""))
                       for c in cells if isinstance(c, dict) and c.get("cell_type") == "code"]
        except (ValueError, UnicodeDecodeError, AttributeError, KeyError, TypeError):
            return None
        lines = ["\n".join(line for line in s.splitlines() if not line.lstrip().startswith(("%", "!"))) for s in sources]
        return "\n\n".join(lines)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def class_similarity(entries: Sequence, starter=None, previous: Optional[dict] = None) -> dict:
    """``similarity.json`` of a class's submissions (``discover`` entries): ``previous`` (the
    folder's last one) again when no code changed since, else compared afresh."""
    codes = {}
    for entry in entries:
        if entry.problem is None:
            code = code_of(entry.path)
            if code is not None:
                codes[entry.student_id] = code
    starter_code = code_of(starter) if starter else None
    key = hashlib.sha256(json.dumps([sorted((sid, hashlib.sha256(c.encode("utf-8", "surrogatepass")).hexdigest())
                                            for sid, c in codes.items()),
                                     starter_code, K, W, COMMON, THRESHOLD, ABOVE_USUAL]).encode()).hexdigest()
    if previous is not None and previous.get("key") == key:
        return previous
    found = as_json(compare([fingerprint(sid, code) for sid, code in codes.items()], starter_code), codes)
    return {**found, "key": key}


def in_background(entries: Sequence, starter=None, previous: Optional[dict] = None):
    """``class_similarity`` in a thread, while the class is graded; call the returned function for
    its result (waiting if need be). Start it only once this process forks no more children (see
    ``summary.preload_plotting``)."""
    import threading

    done: dict = {}

    def run() -> None:
        try:
            done["result"] = class_similarity(entries, starter, previous)
        except BaseException as exc:  # noqa: BLE001  (raised again in the caller's thread)
            done["error"] = exc

    thread = threading.Thread(target=run, name="grader-similarity", daemon=True)
    thread.start()

    def result() -> dict:
        thread.join()
        if "error" in done:
            raise done["error"]
        return done["result"]

    return result
