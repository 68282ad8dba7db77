"""Blocks of a spec written once and used by several checks: a top-level ``[shared.NAME]`` table
holds check keys (``inputs``, ``shrink``, ``edge_cases``, ``cases``...), and a check that says
``use = "NAME"`` (or ``use = ["a", "b"]``) takes them, its own keys written over them.

Tables merge key by key (a check adds an input to the shared ones, or replaces one), except a
generator (a table with a ``kind``), which is replaced whole; lists and plain values are replaced.
The shared keys come first, in their order, so a check written with ``use`` draws its inputs
exactly as the same check written out in full. This runs on the TOML data, before validation.
"""

from __future__ import annotations

from typing import Any

Problem = tuple[tuple[Any, ...], str]  # (key path, what is wrong)


def merged(shared: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """``own`` written over ``shared``: tables key by key, a generator or any other value whole."""
    out = dict(shared)
    for key, value in own.items():
        before = out.get(key)
        if isinstance(before, dict) and isinstance(value, dict) and "kind" not in value and "kind" not in before:
            out[key] = merged(before, value)
        else:
            out[key] = value
    return out


def apply_shared(data: dict[str, Any]) -> list[Problem]:
    """Replace, in ``data`` (a spec's TOML data), each check's ``use`` by the blocks it names, and
    drop the ``shared`` table; return what cannot be used (an unknown name, a block that is no table)."""
    blocks = data.pop("shared", {})
    if not isinstance(blocks, dict) or not all(isinstance(b, dict) for b in blocks.values()):
        return [(("shared",), "must be tables of check keys: [shared.NAME] with inputs, shrink, edge_cases...")]
    problems: list[Problem] = []
    questions = data.get("questions")
    for qi, question in enumerate(questions if isinstance(questions, list) else []):
        checks = question.get("checks") if isinstance(question, dict) else None
        for ci, check in enumerate(checks if isinstance(checks, list) else []):
            if not isinstance(check, dict) or "use" not in check:
                continue
            names = check.pop("use")
            names = [names] if isinstance(names, str) else names
            where = ("questions", qi, "checks", ci, "use")
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                problems.append((where, "must name a shared block, or a list of them"))
                continue
            unknown = [n for n in names if n not in blocks]
            if unknown:
                known = ", ".join(sorted(blocks)) or "none: define one as [shared.NAME]"
                problems.append((where, f"no shared block named {unknown[0]!r} (the shared blocks: {known})"))
                continue
            result: dict[str, Any] = {}
            for name in names:
                result = merged(result, blocks[name])
            checks[ci] = merged(result, check)
    return problems
