"""Check kinds, one module each: its model, how a case's values are drawn, how an output is
judged, the terms of its hints, and what check-spec and a kit need of it (``base.Kind``). A
worksheet's check names its kind (``kind = "compare"``); everything that differs between kinds is
asked of ``kind_of(check)``. Adding a kind is adding a module here and naming it in ``MODULES``.
"""

from __future__ import annotations

from typing import Any

from . import compare, manual, pipeline, property, statistical
from .base import Defined, Kind

MODULES = (compare, pipeline, property, statistical, manual)
KINDS: dict[str, Kind] = {module.KIND.name: module.KIND for module in MODULES}
MODELS = tuple(kind.model for kind in KINDS.values())


def kind_of(check: Any) -> Kind:
    """The kind of a check (a model of one of ``MODELS``)."""
    return KINDS[check.kind]


__all__ = ["Defined", "KINDS", "Kind", "MODELS", "kind_of"]
