"""Languages: a message (a code and its parameters) worded in a language, when a report is rendered.

The English wording of every code is in ``catalogue/``; each other language has a gettext
catalogue, ``locales/<lang>/LC_MESSAGES/grader.po`` (and its compiled ``.mo``), whose entries are
keyed by the code (``msgctxt``) and hold the English text as ``msgid``, so the ecosystem's tools
work on them (``pybabel extract/update/compile``). A teacher adds a language by adding a
catalogue: nothing in the code names the languages. Plural forms follow the catalogue's own rule;
a code missing from a catalogue falls back to English.
"""

from __future__ import annotations

import gettext
import locale
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional

from ..messages import Msg, worded

LOCALES = Path(__file__).with_name("locales")
DOMAIN = "grader"


def languages() -> tuple[str, ...]:
    """English, and every language with a compiled catalogue."""
    found = sorted(p.parent.parent.name for p in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return ("en", *[lang for lang in found if lang != "en"])


@lru_cache(maxsize=16)
def _translation(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, str(LOCALES), languages=[lang], fallback=True)


def default_language() -> str:
    """The user's language from the locale (``LANG=fr_FR.UTF-8`` gives ``fr``), if it has a catalogue."""
    known = languages()
    for key in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(key, "")
        if value:
            return _known(value, known)
    try:
        current = locale.getlocale()[0] or ""
    except ValueError:
        current = ""
    return _known(current, known)


def _known(value: str, known: tuple[str, ...]) -> str:
    lang = value.split(".")[0].split("_")[0].split(":")[0].lower()
    return lang if lang in known else "en"


def text(message: Any, lang: str, extra: Optional[Mapping[str, str]] = None) -> str:
    """``message`` worded in ``lang`` (see ``messages.worded``)."""
    return worded(message, None if lang == "en" else _translation(lang), extra, lang)


def as_json(message: Any, lang: str) -> Optional[dict[str, Any]]:
    """A message as a report holds it: ``{"code", "params", "text"}``, the text worded in ``lang``."""
    if message is None:
        return None
    from .results import plain_params

    if isinstance(message, str):
        message = Msg("text", {"text": message})
    if isinstance(message, dict):
        code, params = message.get("code", ""), message.get("params") or {}
    else:
        code, params = message.code, message.params
    return {"code": code, "params": plain_params(params), "text": text(message, lang)}


def words(message: Any) -> str:
    """A report message's text ("" for none)."""
    return "" if message is None else getattr(message, "text", str(message))


def titled(lang: str, key: str) -> str:
    """A label followed by the language's colon (``hint:``, ``indice :``)."""
    return label(lang, key) + label(lang, "colon")


def figure(value: float, lang: str) -> str:
    """A number as the language writes it (``17.86``, ``17,86``)."""
    return f"{value:g}".replace(".", label(lang, "decimal"))


def points_of(lang: str, score: float, top: float) -> str:
    """``score / top points``, the noun agreeing with ``top`` the language's way."""
    return text(Msg("points.of", {"score": figure(score, lang), "max": figure(top, lang), "n": top}), lang)


def points_count(lang: str, top: float) -> str:
    """``top points``, the noun agreeing."""
    return text(Msg("points.count", {"max": figure(top, lang), "n": top}), lang)


def label(lang: str, key: str) -> str:
    """A label of the renderers (``label.<key>`` in the catalogue)."""
    return text(Msg(f"label.{key}", {}), lang)


def status_text(lang: str, status: str) -> str:
    return text(Msg(f"status.{status}", {}), lang)


def localized(report: Any, lang: str, *, extra: Optional[Mapping[str, str]] = None,
              hints: Optional[Mapping[str, Mapping[str, str]]] = None) -> Any:
    """``report`` (any report model) with every message's text, every value's note and every
    hint worded in ``lang`` (``hints``: each catalogued mistake's hint in each language; ``extra``:
    the worksheet's translations of its own texts, for ``lang``)."""
    from pydantic import BaseModel

    from .results import CheckResult, Hint, Message, PartResult, QuestionResult, Report, Value, WorksheetInfo

    atoms = (str, int, float, bool, type(None))
    containers = (BaseModel, list, dict)

    def walk(value: Any) -> Any:  # dispatched on the exact type first: it runs on every node of a report
        kind = type(value)
        if kind in atoms:
            return value
        if kind is Message:
            return value.model_copy(update={"text": text(value, lang, extra)})
        if kind is list:  # the very list when nothing in it changed (no copy of its parents)
            new = [walk(v) for v in value]
            return value if all(a is b for a, b in zip(new, value)) else new
        if kind is dict:
            pairs = {k: walk(v) for k, v in value.items()}
            return value if all(pairs[k] is v for k, v in value.items()) else pairs
        if kind is Value and value.note is None and not value.items:  # plain data: nothing to word
            return value
        if kind is Hint:
            words = (hints or {}).get(value.id, {})
            return value.model_copy(update={"text": words.get(lang) or words.get("en") or value.text}) if words else value
        if not isinstance(value, BaseModel):
            return value
        update = {}
        for name, old in value.__dict__.items():
            if isinstance(old, containers) and old and not (kind is Value and name == "value"):
                new = walk(old)
                if new is not old:
                    update[name] = new
        if kind is Value and value.note is not None:
            update["text"] = text(value.note, lang, extra)[:400]
        elif kind is Value and "items" in update:  # a tuple of arrays: worded through its items
            from .values import sequence_text

            more = value.text.endswith(", ...)") or value.text.endswith(", ...]")
            update["text"] = sequence_text("list" if value.type == "list" else "tuple", update["items"], more)
        if kind is Report:
            update["language"] = lang
        if kind is CheckResult or kind is PartResult:  # the worksheet's own words for its names
            name = value.id.split("/", 1)[-1] if kind is CheckResult else value.name
            update["shown_name"] = (extra or {}).get(name)
        if kind is CheckResult or kind is QuestionResult or kind is WorksheetInfo:
            update["shown_title"] = (extra or {}).get(value.title) if value.title else None
        return value.model_copy(update=update) if update else value

    return walk(report)
