"""The message catalogue and its translations: every code worded in every shipped language, with
the same parameters; the gettext files in step with the code; plurals and typography right."""

from __future__ import annotations

import gettext
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from grader.catalogue import ENGLISH
from grader.messages import Msg, english, from_json, joined, listed, map_strings, msg, verbatim, worded
from grader.report.i18n import LOCALES, as_json, figure, languages, points_of, text

CATALOGUE = Path(__file__).parents[2] / "grader" / "catalogue"
SHIPPED = [lang for lang in languages() if lang != "en"]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _po(lang: str):
    with (LOCALES / lang / "LC_MESSAGES" / "grader.po").open("rb") as f:
        return read_po(f)


def test_french_is_shipped():
    assert "fr" in SHIPPED


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_code_has_a_translation_with_the_same_parameters(lang):
    entries = {m.context: m for m in _po(lang) if m.id}
    missing = [code for code in ENGLISH if code not in entries]
    assert not missing, f"{lang}: no translation for {missing}"
    stale, empty, wrong = [], [], []
    for code, (singular, plural) in ENGLISH.items():
        entry = entries[code]
        english_ids = (singular, plural) if plural is not None else singular
        if (tuple(entry.id) if isinstance(entry.id, (list, tuple)) else entry.id) != english_ids:
            stale.append(code)  # the English changed since it was translated
        forms = list(entry.string) if isinstance(entry.string, (list, tuple)) else [entry.string]
        if not all(forms):
            empty.append(code)
        names = _fields(singular) | (_fields(plural) if plural else set())
        for form in forms:
            if not _fields(form) <= names | {"n"}:
                wrong.append((code, form))
    assert not stale, f"{lang}: the English of {stale} changed: translate them again"
    assert not empty, f"{lang}: empty translations {empty}"
    assert not wrong, f"{lang}: translations naming a parameter the message does not have: {wrong}"


@pytest.mark.parametrize("lang", SHIPPED)
def test_no_translation_is_of_a_code_that_is_gone(lang):
    gone = [m.context for m in _po(lang) if m.id and m.context not in ENGLISH]
    assert not gone, f"{lang}: translations of codes the engine no longer has: {gone}"


@pytest.mark.parametrize("lang", SHIPPED)
def test_the_compiled_catalogue_is_the_po_file_compiled(lang):
    catalog = _po(lang)
    fresh = io.BytesIO()
    write_mo(fresh, catalog)
    fresh.seek(0)
    shipped = (LOCALES / lang / "LC_MESSAGES" / "grader.mo").read_bytes()
    compiled = gettext.GNUTranslations(fresh)
    installed = gettext.GNUTranslations(io.BytesIO(shipped))
    assert compiled._catalog == installed._catalog, f"run: pybabel compile -d {LOCALES} -D grader -l {lang}"  # noqa: SLF001


def test_babel_extracts_exactly_the_catalogue():
    # what a teacher runs to start a new language: `pybabel extract -k define:1c,2 -k define_plural:1c,2,3`
    found = {}
    keywords = {"define": ((1, "c"), 2), "define_plural": ((1, "c"), 2, 3)}
    for part in sorted(CATALOGUE.glob("*.py")):
        for _line, message, _comments, context in extract_from_file("python", str(part), keywords=keywords):
            found[context] = message if isinstance(message, str) else tuple(message)
    assert found == {code: (s if p is None else (s, p)) for code, (s, p) in ENGLISH.items()}


def test_every_code_is_used_or_meant():
    # a code the engine never names is dead wording (its translation would be work for nothing)
    sources = "\n".join(p.read_text() for p in (CATALOGUE.parent).rglob("*.py") if CATALOGUE not in p.parents)
    dynamic = ("status.", "label.", "sep.", "join.", "value.", "noitem.", "crash.", "points.", "law.")
    unused = [c for c in ENGLISH if f'"{c}"' not in sources and f"'{c}'" not in sources
              and not c.startswith(dynamic) and c != "text"]
    assert not unused, unused


def test_plurals_follow_each_language():
    one = msg("compare.values_differ", n=1, size=1, rtol="1e-06", atol="1e-09", error="0.5", index="(0,)",
              got="1", expected="2")
    two = msg("compare.values_differ", n=2, size=3, rtol="1e-06", atol="1e-09", error="0.5", index="(0,)",
              got="1", expected="2")
    assert text(one, "fr").startswith("1 valeur sur 1 diffère") and text(two, "fr").startswith("2 valeurs sur 3 diffèrent")
    assert text(one, "en").startswith("1 of 1 values differs") and text(two, "en").startswith("2 of 3 values differ ")
    # French counts 0 and 1 in the singular, English only 1; a fraction is plural
    assert points_of("fr", 0, 1) == "0 / 1 point" and points_of("fr", 0, 0) == "0 / 0 point"
    assert points_of("en", 0, 0) == "0 / 0 points" and points_of("en", 1, 1) == "1 / 1 point"
    assert points_of("fr", 1.5, 2) == "1,5 / 2 points" and points_of("en", 1, 1.5) == "1 / 1.5 points"
    assert text(msg("count.students", n=1), "fr") == "1 élève" and text(msg("count.students", n=3), "en") == "3 students"


def test_french_typography():
    # a narrow no-break space before : ; ? and a no-break space before %, a decimal comma
    said = text(msg("load.failed", reason=msg("load.raised", exception="E", text="boom", where="a.py")), "fr")
    assert said == "la soumission ne se charge pas\u202f: E\u202f: boom (a.py)"
    assert figure(17.86, "fr") == "17,86" and figure(17.86, "en") == "17.86"
    assert text(joined(["a", "b"]), "fr") == "a\u202f; b" and text(joined(["a", "b"]), "en") == "a; b"
    for code in ENGLISH:
        words = text(Msg(code, {}), "fr")
        assert not re.search(r" [:;?!](\s|$)", words), (code, words)  # an ordinary space would let a line start with ':'


def test_a_code_a_catalogue_lacks_is_worded_in_english():
    class Empty:
        def pgettext(self, context, message):
            return message

        def npgettext(self, context, singular, plural, n):
            return singular if n == 1 else plural

    message = msg("file.missing")
    assert worded(message, Empty()) == english(message) == "no such file"
    assert text(Msg("not.a.code", {"x": 1}), "fr") == "not.a.code"  # never a crash


def test_a_translation_naming_an_unknown_parameter_falls_back_to_english():
    class Wrong:
        def pgettext(self, context, message):
            return "{nothing} here"

        def npgettext(self, context, singular, plural, n):
            return "{nothing}"

    assert worded(msg("file.not_regular"), Wrong()) == "not a regular file"
    assert worded(msg("file.unreadable", error="EIO"), Wrong()) == "cannot read the file: EIO"


def test_verbatim_texts_stay_as_they_are_and_the_worksheet_may_translate_its_own():
    assert text(verbatim("ValueError: x"), "fr") == "ValueError: x"
    assert text(verbatim("-grad C(w) is colinear"), "fr", {"-grad C(w) is colinear": "-grad C(w) est colinéaire"}) \
        == "-grad C(w) est colinéaire"


def test_json_form_round_trips_and_paths_can_be_taken_out():
    message = msg("bulk.not_graded", reason=msg("error.submission", path="/home/t/class/a.py", reason=verbatim("x")))
    data = as_json(message, "fr")
    assert data["code"] == "bulk.not_graded" and data["text"].startswith("non noté\u202f: /home/t/class/a.py")
    assert data["params"] == {"reason": {"code": "error.submission", "params": {"path": "/home/t/class/a.py",
                                                                                  "reason": "x"}}}
    again = from_json(data)
    assert text(again, "en") == english(message) == "not graded: /home/t/class/a.py: x"
    stripped = map_strings(message, lambda s: s.replace("/home/t/class/", ""))
    assert english(stripped) == "not graded: a.py: x"
    assert text(listed(list("abcdefg"), 3), "fr") == "a, b, c et 4 de plus"


def test_a_message_about_some_students_lets_the_verb_agree_with_their_count():
    """French verbs agree with the count ("1 élève avait", "2 élèves avaient"): every message that
    names ``{students}`` has a plural form, picked by the same count, and the summary's counts are
    each a counted message (it said "1 illisibles")."""
    from grader.messages import students

    about = [code for code, (singular, _) in ENGLISH.items() if "{students}" in singular
             and code != "cli.gradebook_done"]  # "{students}: gradebooks written": no verb of theirs
    assert about and all(ENGLISH[code][1] is not None for code in about), about
    one = text(msg("gradebook.moodle_replaced", n=1, students=students(1), who="Dana"), "fr")
    two = text(msg("gradebook.moodle_replaced", n=2, students=students(2), who="Dana, Eli"), "fr")
    assert "1 élève avait déjà une note" in one and "2 élèves avaient déjà une note" in two
    assert "1 élève de la liste n'a rien rendu" in text(
        msg("gradebook.canvas_missing", n=1, students=students(1), who="Dana"), "fr")
    counts = msg("summary.counts", n=5, graded=msg("bulk.graded", n=3), did_not_load=msg("bulk.did_not_load", n=1),
                 unreadable=msg("bulk.unreadable", n=1), not_graded=msg("bulk.not_graded_count", n=0))
    assert "3 notés, 1 ne se charge pas (note 0), 1 illisible (sans note), 0 non noté (sans note)" in text(counts, "fr")
    assert english(counts).startswith("5 students: 3 graded, 1 did not load (scored 0), 1 unreadable (no score)")
