"""The message catalogue: every code the engine says, with its English wording, in three parts
(``grading``: one submission; ``classroom``: a class; ``commands``: check-spec, the command, %grade;
``review``: grading by hand and the final gradebook).

Wordings are ``str.format`` templates of the message's parameters; a plural one has a singular and
a plural form, chosen by its ``n``. Other languages translate these entries in their gettext
catalogues (``report/locales/<lang>/LC_MESSAGES/grader.po``, keyed by the code as ``msgctxt``):
``pybabel extract -k define:1c,2 -k define_plural:1c,2,3 grader/catalogue`` finds them here.
Imports nothing of the grader: every layer may word a message in English (an exception's text, say).
"""

from __future__ import annotations

from . import classroom, commands, grading, review
from .entries import merged

ENGLISH = merged(grading.PART, classroom.PART, commands.PART, review.PART)

__all__ = ["ENGLISH"]
