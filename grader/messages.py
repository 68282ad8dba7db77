"""Messages as data: a code and its parameters, worded only when a report is rendered.

Everything the engine has to say (a verdict, a load error, a time limit, a hint's frame, a class
summary line) is a ``Msg``: a code from the catalogue (``catalogue/``, English, with one
``.po`` catalogue per other language under ``report/locales``) and the values it names. A
parameter is a number, a string (shown as it is: a value, a name, a student's own text), a list,
or another ``Msg``; ``joined`` makes a list shown with the language's separator. This module
imports nothing, so that every layer may speak in messages.
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple, Optional, Protocol


class Msg(NamedTuple):
    """A message: ``code`` names its wording in the catalogue, ``params`` the values it shows."""

    code: str
    params: dict[str, Any]


def msg(code: str, **params: Any) -> Msg:
    """A message of the catalogue, with its parameters."""
    return Msg(code, params)


def joined(items: list[Any], sep: str = "semicolon") -> Msg:
    """``items`` (messages or values) shown one after another, separated the language's way:
    ``semicolon`` (``a; b``, ``a ; b`` in French) or ``comma``."""
    return Msg(f"join.{sep}", {"items": list(items)})


def verbatim(text: str, **translations: str) -> Msg:
    """A text shown as it is (a student's, Python's), or as its author translated it (a
    predicate's problem: ``verbatim("H is not symmetric", fr="H n'est pas symétrique")``)."""
    return Msg("text", {"text": text, **translations})


def listed(items: list[Any], count: int = 5) -> Msg:
    """The first ``count`` of ``items``, comma-separated, and how many more (``a, b and 3 more``)."""
    shown = joined(list(items[:count]), "comma")
    return shown if len(items) <= count else Msg("list.more", {"items": shown, "n": len(items) - count})


def students(count: int) -> Msg:
    """``1 student``, ``3 students``."""
    return Msg("count.students", {"n": count})


def from_json(value: Any) -> Any:
    """A message back from its JSON form (``{"code", "params"}``, nested too); a plain string (an
    older record's) as a verbatim text; anything else as it is."""
    if isinstance(value, str):
        return verbatim(value)
    if isinstance(value, dict) and isinstance(value.get("code"), str):
        return Msg(value["code"], {k: _from_json_param(v) for k, v in (value.get("params") or {}).items()})
    return value


def _from_json_param(value: Any) -> Any:
    if isinstance(value, dict) and isinstance(value.get("code"), str):
        return from_json(value)
    if isinstance(value, list):
        return [_from_json_param(v) for v in value]
    return value


def map_strings(message: Any, change: Any) -> Any:
    """``message`` with ``change`` applied to every string it shows (its parameters, nested
    messages' too): to take a path of this machine out of a message that may reach a student."""
    if isinstance(message, str):
        return change(message)
    if isinstance(message, Msg):
        return Msg(message.code, {k: map_strings(v, change) for k, v in message.params.items()})
    if isinstance(message, dict) and isinstance(message.get("code"), str):
        return map_strings(from_json(message), change)
    if hasattr(message, "code") and hasattr(message, "params"):  # a report's Message
        return map_strings(from_json({"code": message.code, "params": message.params}), change)
    if isinstance(message, (list, tuple)):
        return [map_strings(v, change) for v in message]
    return message


def english(message: Msg) -> str:
    """A message worded in English (for an exception's text; reports use ``report.i18n``)."""
    return worded(message)


class Translation(Protocol):
    """What wording needs of a language's catalogue (a ``gettext.GNUTranslations``)."""

    def pgettext(self, context: str, message: str) -> str: ...

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str: ...


def worded(message: Any, translation: Optional[Translation] = None,
           extra: Optional[Mapping[str, str]] = None, lang: str = "en") -> str:
    """``message`` worded in ``lang``: a ``Msg``, its JSON form (``{"code", "params"}``) or a
    report's ``Message``; a plain string is shown as it is. ``translation``: the language's
    catalogue (English without one); a code it lacks is worded in English. ``extra``: the
    worksheet's own translations of its texts, exact English text -> translation."""
    from .catalogue import ENGLISH

    if message is None:
        return ""
    if isinstance(message, str):
        return message
    if isinstance(message, dict):
        code, params = message.get("code", ""), message.get("params") or {}
    else:
        code, params = message.code, message.params
    if code == "text":
        words = str(params.get("text", ""))
        own = params.get(lang) if lang != "text" else None
        return own if isinstance(own, str) else (extra or {}).get(words, words)
    if code.startswith("join."):
        separator = "" if code == "join.none" else _template(ENGLISH, f"sep.{code[5:]}", translation, {})
        return separator.join(_param(item, translation, extra, lang) for item in params.get("items", []))  # values too
    shown = {k: _param(v, translation, extra, lang) for k, v in params.items()}
    try:
        return _template(ENGLISH, code, translation, params).format(**shown)
    except (KeyError, IndexError, ValueError):  # a catalogue that names a parameter the engine does not give
        return ENGLISH.get(code, (code, None))[0].format_map(_Missing(shown))


def _template(english: Mapping[str, tuple[str, Optional[str]]], code: str,
              translation: Optional[Translation], params: Mapping[str, Any]) -> str:
    singular, plural = english.get(code, (code, None))
    if plural is None:
        return singular if translation is None else translation.pgettext(code, singular)
    n = _count(params.get("n", 1))
    if translation is None:
        return singular if n == 1 else plural
    return translation.npgettext(code, singular, plural, n)


def _count(n: Any) -> int:
    """The number a plural rule is given: a fraction (1.5 points) counts as plural."""
    if isinstance(n, bool) or not isinstance(n, (int, float)):
        return 1
    return int(n) if float(n).is_integer() else 2


def _param(value: Any, translation: Optional[Translation], extra: Optional[Mapping[str, str]], lang: str) -> str:
    if isinstance(value, Msg) or (isinstance(value, dict) and "code" in value) or hasattr(value, "code"):
        return worded(value, translation, extra, lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(_param(v, translation, extra, lang) for v in value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # a count of points: 4, not 4.0 (fractions are given worded, in the language's way)
    return str(value)


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
