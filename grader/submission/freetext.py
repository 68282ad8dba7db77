"""Free-text answers in a notebook's markdown: which cell answers which question.

A notebook is read into ``Section``s (a markdown cell that starts with a heading, or with a bold
lead such as ``**I.2** Commentaire``, with the text under it; a cell tagged ``answer:I.2``), and a
section answers a question when its heading names the question's id in any common way (``I.2``,
``I-2``, ``i.2``, ``Question I.2``) or names its number under a part heading that names the rest
(``## Question 2`` under ``# Partie I``). Nothing here knows TD 5: the ids are the worksheet's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_BOLD = re.compile(r"^\s*(\*\*|__)(.+?)\1\s*(.*)$")
_SEPARATOR = r"\s*[.\-–—:)/]\s*"
_PART = re.compile(r"^(?:partie|part|exercice|exercise|section|chapitre|chapter|problème|problem)?\s*"
                   r"(?P<id>[IVXivx]+|\d+)\b\s*(?:[.\-–—:)]|$|\s)", re.I)
_NUMBERED = re.compile(r"^(?:question|q|exercice|exercise|ex)?\s*(?P<n>\d+[a-z]?)\b(?![.\-]\d)\s*(?:[.\-–—:)]|$|\s)",
                       re.I)
_MARKUP = re.compile(r"[*_`]+")


@dataclass(frozen=True)
class Section:
    """A markdown cell that may hold a free-text answer: its heading, the text under it, the cell
    number, the level of its heading (1 for ``#``, 7 for a bold lead) and the tag that names its
    question, if any."""

    heading: str
    body: str
    cell: int
    level: int = 7
    tag: Optional[str] = None
    parent: str = ""  # the nearest heading of a higher level above it (its part)


def sections_of(cells: Sequence[dict]) -> list[Section]:
    """The sections of a notebook's cells (dicts as nbformat gives them), in order."""
    out: list[Section] = []
    parents: list[tuple[int, str]] = []  # (level, heading) of the headings above
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        text = cell.get("source", "")
        text = "".join(text) if isinstance(text, list) else str(text)
        tags = [t for t in (cell.get("metadata") or {}).get("tags", []) if isinstance(t, str)]
        tagged = [t.split(":", 1)[1].strip() for t in tags if t.startswith("answer:")]
        lines = text.strip().splitlines()
        head = _heading(lines[0]) if lines else None
        if tagged:
            out.append(Section(head[1] if head else "", text.strip(), i + 1, tag=tagged[0]))
            continue
        if head is None:
            continue
        level, heading, rest = head
        while parents and parents[-1][0] >= level:
            parents.pop()
        parent = parents[-1][1] if parents else ""
        parents.append((level, heading))
        body = "\n".join([rest, *lines[1:]]).strip()
        if not body and i + 1 < len(cells) and cells[i + 1].get("cell_type") == "markdown":
            following = cells[i + 1].get("source", "")
            following = ("".join(following) if isinstance(following, list) else str(following)).strip()
            if following and _heading(following.splitlines()[0]) is None:
                body = following
        out.append(Section(heading, body, i + 1, level, parent=parent))
    return out


def _heading(line: str) -> Optional[tuple[int, str, str]]:
    """(level, heading text, text after it on the line) of a heading or bold lead, else None."""
    found = _HEADING.match(line.strip())
    if found:
        return len(found.group(1)), _MARKUP.sub("", found.group(2)).strip(), ""
    bold = _BOLD.match(line)
    if bold:
        return 7, bold.group(2).strip(), bold.group(3).strip()
    return None


def _id_pattern(question_id: str) -> re.Pattern[str]:
    pieces = [re.escape(p) for p in re.split(r"[.\-]", question_id) if p]
    return re.compile(r"(?<![\w.])" + _SEPARATOR.join(pieces) + r"(?![\w]|[.\-]\d)", re.I)


def _names(section: Section, question_id: str) -> bool:
    if _id_pattern(question_id).search(section.heading):
        return True
    # "Question 2" under "Partie I": the number here, the rest in the part's heading
    major, _, minor = question_id.rpartition(".")
    numbered = _NUMBERED.match(section.heading)
    if not major or not numbered or numbered.group("n").lower() != minor.lower() or not section.parent:
        return False
    part = _PART.match(section.parent)
    return bool(part) and part.group("id").lower() == major.lower()


def match(sections: Sequence[Section], question_ids: Sequence[str]) -> dict[str, list[Section]]:
    """The sections that answer each question (with a body), tagged ones first, then in order."""
    found: dict[str, list[Section]] = {}
    for qid in question_ids:
        tagged = [s for s in sections if s.tag == qid and s.body]
        named = [s for s in sections if s.tag is None and s.body and _names(s, qid)]
        if tagged or named:
            found[qid] = tagged + named
    return found
