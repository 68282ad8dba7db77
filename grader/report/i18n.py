"""Languages: the report's messages in English (as the engine writes them) or French.

The engine writes every message from a fixed English template. ``localize`` rewrites a finished
report into another language by recognising each message's template and re-filling the French one;
fields named ``m_*`` are themselves messages or phrases and are translated recursively, other fields
(numbers, names, the student's own exception text) are kept. Data flows one way: report -> report.
"""

from __future__ import annotations

import locale
import os
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Optional

if TYPE_CHECKING:
    from .results import Report

LANGUAGES = ("en", "fr")

# (English, French). Order matters: the first template that matches wins, so specific before generic.
TEMPLATES: tuple[tuple[str, str], ...] = (
    # values, as described inside messages
    ("None", "None"),
    ("a SymPy expression", "une expression SymPy"),
    ("a 0-d array", "un tableau 0-d"),
    ("an array of shape {s}", "un tableau de forme {s}"),
    ("a bool", "un booléen"),
    ("a random Generator", "un générateur aléatoire"),
    ("booleans, not numbers", "des booléens, pas des nombres"),
    ("{m_what} that are not all numbers", "{m_what} qui ne sont pas tous des nombres"),
    ("{m_what} that do not form a rectangular array", "{m_what} qui ne forment pas un tableau rectangulaire"),
    (" at index {i}", " à l'indice {i}"),
    (" (transposed?)", " (transposé ?)"),
    (" in {f}()", " dans {f}()"),
    (" (line {n})", " (ligne {n})"),
    ("normal", "normale"),
    ("uniform", "uniforme"),
    # comparison
    ("got complex values where real ones are expected", "valeurs complexes obtenues là où des réels sont attendus"),
    ("got {k} where a finite value is expected", "{k} obtenu là où une valeur finie est attendue"),
    ("got {k} where finite values are expected ({c} of {n} values; first{m_where})",
     "{k} obtenu là où des valeurs finies sont attendues ({c} valeurs sur {n} ; le premier{m_where})"),
    ("the value differs beyond rtol={r}, atol={a}; largest error {e}: got {g}, expected {x}",
     "la valeur diffère au-delà de rtol={r}, atol={a} ; erreur {e} : obtenu {g}, attendu {x}"),
    ("{c} of {n} values differ beyond rtol={r}, atol={a}; largest error {e}{m_where}: got {g}, expected {x}",
     "{c} valeurs sur {n} diffèrent au-delà de rtol={r}, atol={a} ; plus grande erreur {e}{m_where} : obtenu {g}, attendu {x}"),
    ("could not compare the values ({e})", "comparaison impossible ({e})"),
    ("returned a {t}, which is not plain data: {d}", "a renvoyé un {t}, qui n'est pas une donnée simple : {d}"),
    ("returned a {t}, which is not plain data", "a renvoyé un {t}, qui n'est pas une donnée simple"),
    ("expected None, got {m_what}", "None attendu, obtenu {m_what}"),
    ("expected the text {t}, got {m_what}", "texte {t} attendu, obtenu {m_what}"),
    ("returned None (is a return statement missing?)", "a renvoyé None (manque-t-il un return ?)"),
    ("got an array of shape {s}, expected a single number", "obtenu un tableau de forme {s}, un seul nombre attendu"),
    ("got {m_what}, expected a single number", "obtenu {m_what}, un seul nombre attendu"),
    ("got {m_what}, expected a number", "obtenu {m_what}, un nombre attendu"),
    ("got {m_what}, expected an array of shape {s}", "obtenu {m_what}, un tableau de forme {s} attendu"),
    ("shape: got {g}, expected {x}{m_hint}", "forme : obtenu {g}, attendu {x}{m_hint}"),
    ("expected a tuple of {n} items, got {m_what}", "un tuple de {n} éléments attendu, obtenu {m_what}"),
    ("item [{i}]: {m_msg}", "élément [{i}] : {m_msg}"),
    ("got values of dtype {d}, expected real numbers", "valeurs de type {d} obtenues, des réels sont attendus"),
    ("the answer could not be checked ({e})", "la réponse n'a pas pu être vérifiée ({e})"),
    ("the child sent back an incomplete result", "le processus de l'élève a renvoyé un résultat incomplet"),
    ("returned {t}, which has no item [{i}]", "a renvoyé {t}, qui n'a pas d'élément [{i}]"),
    ("returned a {t} of {n} items, so it has no item [{i}]", "a renvoyé un {t} de {n} éléments, donc pas d'élément [{i}]"),
    ("not defined", "non défini"),
    # samplers
    ("the sample is empty", "l'échantillon est vide"),
    ("the sample contains NaN or inf", "l'échantillon contient NaN ou inf"),
    ("the sample mean {m} is too far from 0 for {n} draws", "la moyenne empirique {m} est trop loin de 0 pour {n} tirages"),
    ("the spread is wrong: sample std {s}, expected {x} (ratio {r})",
     "la dispersion est fausse : écart type empirique {s}, attendu {x} (rapport {r})"),
    ("{k} of {n} values lie outside [-{a}, {b}] (largest |value| {v})",
     "{k} valeurs sur {n} sortent de [-{a}, {b}] (plus grande |valeur| {v})"),
    ("the values do not follow a {m_law} law (Kolmogorov-Smirnov distance {d})",
     "les valeurs ne suivent pas une loi {m_law} (distance de Kolmogorov-Smirnov {d})"),
    # outcomes of the student's code
    ("not run: the submission did not load", "non exécuté : la soumission ne se charge pas"),
    ("time limit exceeded{m_where}: {m_msg}", "temps limite dépassé{m_where} : {m_msg}"),
    ("{f}() raised {e}: {t}{m_line}", "{f}() a levé {e} : {t}{m_line}"),
    ("crashed{m_where}: {m_msg}", "plantage{m_where} : {m_msg}"),
    ("the result could not be read", "le résultat n'a pas pu être lu"),
    ("the result could not be encoded ({e})", "le résultat n'a pas pu être encodé ({e})"),
    ("function {f}() is not defined: {t} defines it, but was interrupted (the cell time limit) before the definition ran",
     "la fonction {f}() n'est pas définie : {t} la définit, mais a été interrompue (limite par cellule) avant que la "
     "définition ne soit exécutée"),
    ("function {f}() is not defined: {t} defines it, but raised {e}{m_line} before the definition ran",
     "la fonction {f}() n'est pas définie : {t} la définit, mais a levé {e}{m_line} avant que la définition ne soit "
     "exécutée"),
    ("function {f}() is not defined", "la fonction {f}() n'est pas définie"),
    ("{f} is a {t}, not a function", "{f} est un {t}, pas une fonction"),
    ("the process stopped answering", "le processus ne répond plus"),
    (" (a crash in native code, e.g. a segmentation fault)", " (plantage dans du code natif, par exemple une erreur de segmentation)"),
    (" (CPU time limit)", " (limite de temps CPU)"),
    ("the process was killed by {s}{m_extra}", "le processus a été tué par {s}{m_extra}"),
    ("the process exited before answering (os._exit(0) or similar)",
     "le processus s'est terminé avant de répondre (os._exit(0) ou équivalent)"),
    ("the process exited with status {n} (os._exit, or out of memory above {mb} MiB)",
     "le processus s'est terminé avec le code {n} (os._exit, ou mémoire épuisée au-delà de {mb} Mio)"),
    ("the result is too large ({x} MiB; the limit is {y} MiB)", "le résultat est trop gros ({x} Mio ; la limite est {y} Mio)"),
    ("the child sent an unreadable result ({e})", "le processus de l'élève a envoyé un résultat illisible ({e})"),
    ("the submission's top level did not finish within {s} s", "le code de premier niveau ne s'est pas terminé en {s} s"),
    ("the submission's total time limit ({s} s) was reached", "la limite de temps totale de la soumission ({s} s) est atteinte"),
    ("not run: the submission's total time limit ({s} s) was reached",
     "non exécuté : la limite de temps totale de la soumission ({s} s) est atteinte"),
    ("no answer within {s} s", "pas de réponse en {s} s"),
    ("the submission could not be loaded again", "la soumission n'a pas pu être rechargée"),
    ("not run again: {f}() failed on an earlier case ({m_msg})", "non relancé : {f}() a échoué sur un cas précédent ({m_msg})"),
    ("the child never answered", "le processus de l'élève n'a jamais répondu"),
    ("the submission does not load: {e}: {t} ({f}, line {n})", "la soumission ne se charge pas : {e} : {t} ({f}, ligne {n})"),
    ("the submission does not load: {e}: {t} ({f})", "la soumission ne se charge pas : {e} : {t} ({f})"),
    ("the submission does not load: {m_msg}", "la soumission ne se charge pas : {m_msg}"),
    ("stopped after {s} s (the cell time limit), while in {f}() ({t}, line {n}); the next cells still ran",
     "arrêtée après {s} s (limite par cellule), alors dans {f}() ({t}, ligne {n}) ; les cellules suivantes ont été exécutées"),
    ("stopped after {s} s (the cell time limit); the next cells still ran",
     "arrêtée après {s} s (limite par cellule) ; les cellules suivantes ont été exécutées"),
    # manual answers, warnings
    ("graded by hand", "noté à la main"),
    ("graded by hand; the answer is {v}: the markdown under '{t}' (cell {n}) also answers {q} and is not used",
     "noté à la main ; la réponse est {v} : le markdown sous « {t} » (cellule {n}) répond aussi à {q} et n'est pas retenu"),
    ("graded by hand; markdown cells {t} all answer {q}: the answer is cell {n}",
     "noté à la main ; les cellules markdown {t} répondent toutes à {q} : la réponse retenue est la cellule {n}"),
    ("graded by hand; {v} read from the source ({t}, line {n}): the code stopped before running that line",
     "noté à la main ; {v} lu dans le source ({t}, ligne {n}) : le code s'est arrêté avant d'exécuter cette ligne"),
    ("graded by hand; no answer found: the submission did not load, so {v} could not be read",
     "noté à la main ; aucune réponse trouvée : la soumission ne se charge pas, {v} n'a donc pas pu être lu"),
    ("graded by hand; no answer found (define {v} = \"...\", or in a notebook a markdown cell headed '## {q}')",
     "noté à la main ; aucune réponse trouvée (définissez {v} = \"...\", ou dans un notebook une cellule markdown titrée '## {q}')"),
    ("{n} bytes of the submission's output were dropped (cap {k} KiB per stream)",
     "{n} octets de la sortie de la soumission ont été ignorés (limite {k} Kio par flux)"),
    ("{c}: cell magic %%{m} not run", "{c} : magic de cellule %%{m} non exécutée"),
    ("{c}: skipped (tagged grader-skip)", "{c} : ignorée (étiquette grader-skip)"),
    ("notebook format {n} upgraded to 4", "notebook au format {n} converti au format 4"),
    ("the notebook does not fully validate ({e}); graded anyway", "le notebook n'est pas entièrement valide ({e}) ; noté quand même"),
    ("sandbox: {t}", "bac à sable : {t}"),
    ("formula answer {t}: {m_msg}", "réponse sous forme de formule {t} : {m_msg}"),
    ("equivalent", "équivalente"),
    ("equivalent (checked numerically)", "équivalente (vérifié numériquement)"),
    ("differs at {t}: gives {g} instead of {x}", "diffère en {t} : donne {g} au lieu de {x}"),
    ("refused: {m_msg}", "refusée : {m_msg}"),
    ("could not be checked ({e})", "n'a pas pu être vérifiée ({e})"),
    ("could not be checked (the right formula has no value at the sample points)",
     "n'a pas pu être vérifiée (la bonne formule n'a pas de valeur aux points d'échantillonnage)"),
    ("a formula answer must be a string, a number or a SymPy expression, not {t}",
     "une réponse sous forme de formule doit être un texte, un nombre ou une expression SymPy, pas {t}"),
    ("{f}() takes {t}", "{f}() prend {t}"),
    ("a formula must be a string or a number", "une formule doit être un texte ou un nombre"),
    ("{f}() changed its argument {a} in place ({m_case} #{n}): the caller's array is modified, which breaks code that "
     "uses it again (a training loop); assign a new array ({a2} = {a3} - ..., not {a4} -= ...) or start from {a5}.copy()",
     "{f}() a modifié son argument {a} en place ({m_case} n°{n}) : le tableau de l'appelant change, ce qui casse le code "
     "qui s'en sert ensuite (une boucle d'entraînement) ; créez un nouveau tableau ({a2} = {a3} - ..., pas {a4} -= ...) "
     "ou partez de {a5}.copy()"),
    ("edge case", "cas limite"),
    ("random case", "cas aléatoire"),
    ("only calls of math functions are allowed in a formula", "seuls les appels de fonctions mathématiques sont permis dans une formule"),
    ("attribute access is not allowed in a formula", "l'accès aux attributs est interdit dans une formule"),
    ("not allowed in a formula: {t}", "interdit dans une formule : {t}"),
    ("not a formula: {t}", "pas une formule : {t}"),
    ("the formula is longer than {n} characters", "la formule dépasse {n} caractères"),
    ("the formula is too large", "la formule est trop grande"),
    ("a number in the formula is too large", "un nombre de la formule est trop grand"),
    ("exponent {n} is too large (at most {m})", "l'exposant {n} est trop grand (au plus {m})"),
    ("unknown name {n} (known: {t})", "nom inconnu {n} (connus : {t})"),
    ("unknown symbol {n} (known: {t})", "symbole inconnu {n} (connus : {t})"),
    ("function {f} is not allowed (allowed: {t})", "la fonction {f} est interdite (permises : {t})"),
    ("keyword arguments are not allowed in a formula", "les arguments nommés sont interdits dans une formule"),
    ("{f} is right but {b} is wrong: its gradient differs from finite differences of your {f2}",
     "{f} est juste mais {b} est faux : son gradient diffère des différences finies de votre {f2}"),
    ("{f} is wrong, and {b} is consistent with it (it matches finite differences of your {f2}): fix {f3} first",
     "{f} est faux, et {b} lui est cohérent (il correspond aux différences finies de votre {f2}) : corrigez d'abord {f3}"),
    ("both are wrong: {f} differs from the reference, and {b} is not the gradient of your {f2}",
     "les deux sont faux : {f} diffère de la référence, et {b} n'est pas le gradient de votre {f2}"),
    ("{f} is right and {b} is its gradient (finite differences agree)",
     "{f} est juste et {b} est son gradient (les différences finies concordent)"),
    # generic descriptions of values: last, so that they never shadow a message
    ("a {t} of {n} items", "un {t} de {n} éléments"),
    ("a {t} object", "un objet {t}"),
    ("a {t}", "un {t}"),
    ("smallest failing input found by shrinking case #{n}", "plus petite entrée en échec trouvée en réduisant le cas n°{n}"),
)


def default_language() -> str:
    """``fr`` when the user's locale is French, else ``en``."""
    for key in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(key, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    try:
        current = locale.getlocale()[0] or ""
    except ValueError:
        current = ""
    return "fr" if current.lower().startswith("fr") else "en"


SUFFIXES = {  # optional tails, recognised by their exact shape
    "m_where": r"(?: at index \([^)]*\)| in [A-Za-z_][A-Za-z0-9_]*\(\))?",
    "m_hint": r"(?: \(transposed\?\))?",
    "m_line": r"(?: \(line \d+\))?",
    "m_extra": r"(?: \([^)]*\))?",
}


def _field(name: str) -> str:
    if name in SUFFIXES:
        return f"(?P<{name}>{SUFFIXES[name]})"
    if name == "t" or name.startswith("m_"):
        return f"(?P<{name}>.*?)"
    return f"(?P<{name}>[^ ]*?(?:\\([^)]*\\)[^ ]*?)?)"  # a token, or a parenthesised tuple


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[a-z_][a-z0-9_]*\})", template)
    regex = "".join(_field(p[1:-1]) if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}$", re.S)


@lru_cache(maxsize=8)
def _compiled(extra: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern[str], str]]:
    return [(_pattern(en), fr) for en, fr in (*extra, *TEMPLATES)]


class Translator:
    """Translate engine messages into one language, with extra templates from a worksheet."""

    def __init__(self, lang: str, extra: Iterable[tuple[str, str]] = ()) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
        self.lang = lang
        self.templates = _compiled(tuple(extra))

    def __call__(self, text: Optional[str], depth: int = 0) -> Optional[str]:
        if self.lang == "en" or not text or depth > 6:
            return text
        if "; " in text:  # several problems joined: translate each, if each is a known message
            pieces = [self._match(p, depth) for p in text.split("; ")]
            if all(p is not None for p in pieces):
                return " ; ".join(pieces)  # type: ignore[arg-type]
        found = self._match(text, depth)
        return text if found is None else found

    def _match(self, text: str, depth: int) -> Optional[str]:
        for pattern, french in self.templates:
            match = pattern.match(text)
            if match:
                fields = {k: (self(v, depth + 1) if k.startswith("m_") else v) for k, v in match.groupdict().items()}
                return french.format(**fields)
        return None


# ---------------------------------------------------------------- terminal labels

LABELS = {
    "en": {
        "check": "check", "status": "status", "points": "points", "total": "total", "score": "Score",
        "by_hand": "to grade by hand", "wrong": "What went wrong", "manual": "Graded by hand", "answer": "answer",
        "call": "call", "input": "input", "got": "got", "expected": "expected", "error": "error",
        "edge": "edge case", "random": "random case", "abs": "max absolute", "rel": "max relative",
        "reproduce": "Reproduce", "cells": "Cells that failed (the other cells still ran):",
        "isolation": "note: reduced isolation on this system (no namespaces): see README, Security model",
        "submission": "submission", "seed": "seed", "hint": "hint", "diagnosis": "diagnosis", "warning": "warning",
        "passed": "passed", "failed": "failed", "timeout": "timeout", "missing": "missing",
        "points_word": "points", "shrunk": "a smaller case, found by shrinking",
        "same_error": "the same error as in", "warnings": "Warnings (no points lost)", "line": "line",
    },
    "fr": {
        "check": "vérification", "status": "statut", "points": "points", "total": "total", "score": "Note",
        "by_hand": "à noter à la main", "wrong": "Ce qui ne va pas", "manual": "Noté à la main", "answer": "réponse",
        "call": "appel", "input": "entrée", "got": "obtenu", "expected": "attendu", "error": "écart",
        "edge": "cas limite", "random": "cas aléatoire", "abs": "absolu max", "rel": "relatif max",
        "reproduce": "Reproduire", "cells": "Cellules en échec (les autres cellules ont été exécutées) :",
        "isolation": "note : isolation réduite sur ce système (pas d'espaces de noms) : voir README, Security model",
        "submission": "soumission", "seed": "graine", "hint": "indice", "diagnosis": "diagnostic",
        "warning": "attention", "passed": "réussi", "failed": "échoué", "timeout": "temps dépassé",
        "missing": "absente", "points_word": "points", "shrunk": "un cas plus petit, trouvé en réduisant le",
        "same_error": "la même erreur que dans", "warnings": "Avertissements (sans perte de points)", "line": "ligne",
    },
}
STATUS_FR = {"passed": "réussi", "failed": "échoué", "error": "erreur", "timeout": "temps dépassé",
             "missing": "absente", "manual": "à la main"}


def label(lang: str, key: str) -> str:
    return LABELS.get(lang, LABELS["en"])[key]


def status_text(lang: str, status: str) -> str:
    return STATUS_FR.get(status, status) if lang == "fr" else status


# ---------------------------------------------------------------- whole reports

def localize(report: "Report", lang: str, *, extra: Iterable[tuple[str, str]] = (),
             hints: Optional[dict[str, dict[str, str]]] = None) -> "Report":
    """The same report with every engine message in ``lang`` (hints from the mistake catalogue)."""
    from .results import Report, join_part_messages# noqa: F811 - results does not import this module

    tr = Translator(lang, extra)
    hints = hints or {}

    def hint_text(h):
        return h.model_copy(update={"text": hints.get(h.id, {}).get(lang, h.text)})

    def failure(f):
        return None if f is None else f.model_copy(update={"message": tr(f.message)})

    questions = []
    for q in report.questions:
        checks = []
        for c in q.checks:
            parts = [p.model_copy(update={"message": tr(p.message), "failure": failure(p.failure),
                                          "hints": [hint_text(h) for h in p.hints]}) for p in c.parts]
            message = join_part_messages(parts) if len(parts) > 1 else tr(c.message)
            checks.append(c.model_copy(update={
                "message": message, "failure": failure(c.failure), "parts": parts,
                "hints": [hint_text(h) for h in c.hints], "diagnosis": tr(c.diagnosis) if c.diagnosis else None,
                "warnings": [tr(w) for w in c.warnings]}))
        questions.append(q.model_copy(update={"checks": checks}))
    load = report.load.model_copy(update={
        "message": tr(report.load.message),
        "errors": [e.model_copy(update={"message": tr(e.message) if e.interrupted else e.message})
                   for e in report.load.errors]})
    return Report.model_validate({**report.model_dump(), "language": lang,
                                  "questions": [q.model_dump() for q in questions], "load": load.model_dump(),
                                  "warnings": [tr(w) for w in report.warnings]})
