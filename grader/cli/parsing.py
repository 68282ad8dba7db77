"""The command's plumbing: an argument parser that speaks the user's language, its exit codes,
and how it says things and writes files."""

from __future__ import annotations

import argparse
import functools
import os
import sys
from enum import IntEnum
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from ..errors import GraderError, OutputError, SpecError, SubmissionError
from ..messages import Msg, msg, verbatim


class ExitCode(IntEnum):
    OK = 0
    BELOW_THRESHOLD = 1  # graded, but under --fail-under, or the submission does not load
    USAGE = 2  # bad arguments, unreadable submission or spec
    INTERNAL = 4


def say(lang: str, code: str, **params: Any) -> str:
    from ..report.i18n import text

    return text(msg(code, **params), lang)


def print_error(lang: str, prog: str, message: Msg, code: str = "cli.error") -> None:
    from ..report.i18n import text

    print(say(lang, code, prog=prog, message=text(message, lang)), file=sys.stderr)


# argparse's own error sentences (Python 3.10 to 3.13), and the catalogue's code for each: worded in
# the user's language like every other message (argparse offers only gettext's global domain)
ARGPARSE_ERRORS = (
    (r"unrecognized arguments: (?P<args>.*)", "argparse.unrecognized"),
    (r"the following arguments are required: (?P<args>.*)", "argparse.required"),
    (r"argument (?P<arg>[^:]+): invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)", "argparse.choice"),
    (r"argument (?P<arg>[^:]+): expected one argument", "argparse.one"),
    (r"argument (?P<arg>[^:]+): expected at least one argument", "argparse.at_least_one"),
    (r"argument (?P<arg>[^:]+): invalid (?P<type>\w+) value: (?P<value>.*)", "argparse.invalid_value"),
    (r"argument (?P<arg>[^:]+): not allowed with argument (?P<other>.*)", "argparse.not_allowed"),
    (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)", "argparse.ambiguous"),
)


def argparse_message(message: str) -> Msg:
    """One of argparse's error sentences as a message of the catalogue (an unknown one as it is)."""
    import re

    for pattern, code in ARGPARSE_ERRORS:
        found = re.fullmatch(pattern, message)
        if found:
            return msg(code, **found.groupdict())
    return verbatim(message)


class Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's layout, with ``usage:`` in the user's language."""

    def __init__(self, prog: str, usage_prefix: str = "usage: ", **kwargs: Any) -> None:
        super().__init__(prog, **kwargs)
        self._usage_prefix = usage_prefix

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, self._usage_prefix if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An argument parser that speaks ``lang``: its sections, ``--help`` and errors."""

    def __init__(self, lang: str, prog: str, description: Msg, epilog: Optional[Msg] = None,
                 usage: Optional[str] = None) -> None:
        self.lang = lang
        super().__init__(prog=prog, usage=usage, description=text_of(description, lang),
                         epilog=text_of(epilog, lang) if epilog else None, add_help=False,
                         formatter_class=functools.partial(Formatter, usage_prefix=say(lang, "cli.usage")))
        self._inputs = self.add_argument_group(say(lang, "cli.arguments"))
        self._options = self.add_argument_group(say(lang, "cli.options"))
        self._options.add_argument("-h", "--help", action="help", help=say(lang, "cli.help"))

    def add(self, *names: str, help: Optional[Msg] = None, **kwargs: Any) -> None:
        group = self._inputs if not names[0].startswith("-") else self._options
        group.add_argument(*names, help=text_of(help, self.lang) if help else None, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(ExitCode.USAGE, say(self.lang, "cli.error", prog=self.prog,
                                      message=text_of(argparse_message(message), self.lang)) + "\n")


def text_of(message: Optional[Msg], lang: str) -> str:
    from ..report.i18n import text

    return text(message, lang)


def language(argv: Sequence[str]) -> str:
    """The language asked for (``--lang fr``), else the locale's; English for one with no catalogue."""
    from ..report.i18n import default_language, languages

    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg[7:] if arg.startswith("--lang=") else None
        if value is not None:
            return value if value in languages() else "en"
    return default_language()


def lang_option(parser: Parser) -> None:
    from ..report.i18n import languages

    parser.add("--lang", choices=languages(), default=None, help=msg("cli.lang"))


def write(text: str, out: Optional[str]) -> None:
    if out:
        path = Path(out)
        tmp = path.with_name(path.name + ".tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            raise OutputError(path, exc) from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def guarded(run: Callable[[], int], lang: str) -> int:
    """``run()``'s exit code, with the grader's errors said in a line (exit 2, or 4 for its own
    bug) and Ctrl-C as 130: what ``grade`` and the grading server both answer."""
    try:
        return run()
    except (SubmissionError, SpecError, OutputError) as exc:
        print_error(lang, "grade", exc.message)
        return ExitCode.USAGE
    except GraderError as exc:
        print_error(lang, "grade", exc.message, "cli.internal")
        return ExitCode.INTERNAL
    except KeyboardInterrupt:
        print(say(lang, "cli.interrupted"), file=sys.stderr)
        return 130
