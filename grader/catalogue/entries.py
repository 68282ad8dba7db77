"""A part of the catalogue: its codes with their English wordings, as its module defines them."""

from __future__ import annotations

from typing import Optional


class Entries:
    """Codes and their English wording (a plural one has a singular and a plural form)."""

    def __init__(self) -> None:
        self.english: dict[str, tuple[str, Optional[str]]] = {}

    def define(self, code: str, text: str) -> str:
        return self._add(code, (text, None))

    def define_plural(self, code: str, singular: str, plural: str) -> str:
        return self._add(code, (singular, plural))

    def _add(self, code: str, wording: tuple[str, Optional[str]]) -> str:
        if code in self.english:
            raise ValueError(f"message code {code!r} is defined twice")
        self.english[code] = wording
        return code


def merged(*parts: Entries) -> dict[str, tuple[str, Optional[str]]]:
    """Every part's codes in one table; a code defined by two parts is a mistake."""
    table: dict[str, tuple[str, Optional[str]]] = {}
    for part in parts:
        twice = table.keys() & part.english.keys()
        if twice:
            raise ValueError(f"message codes defined twice: {sorted(twice)}")
        table.update(part.english)
    return table
