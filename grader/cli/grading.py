"""``grade FILE`` (one submission, in the terminal or in any format of the registry) and
``grade schema`` (the JSON report's schema)."""

from __future__ import annotations

import sys
from typing import Any, Callable, Optional, Sequence

from ..messages import msg
from ..report.formats import FORMATS
from .parsing import ExitCode, Parser, color, lang_option, say, write


# the commands, in the order ``cli.commands`` lists them
COMMAND_NAMES = ("bulk", "review", "gradebook", "check-spec", "kit", "new", "serve", "schema")


def grade_parser(lang: str) -> Parser:
    parser = Parser(lang, "grade", msg("cli.grade"), msg("cli.commands"),
                     usage=f"grade FILE [options]\n       grade {{{','.join(COMMAND_NAMES)}}} ...")
    parser.add("file", help=msg("cli.file"))
    parser.add("--worksheet", "-w", default="td5", help=msg("cli.worksheet"))
    parser.add("--format", "-f", choices=list(FORMATS), default="terminal", help=msg("cli.format"))
    parser.add("--out", "-o", help=msg("cli.out"))
    parser.add("--seed", type=int, help=msg("cli.seed"))
    lang_option(parser)
    parser.add("--fail-under", type=float, metavar="PCT", help=msg("cli.fail_under"))
    return parser


def cmd_grade(argv: Sequence[str], lang: str, *, grader_of: Optional[Callable[[str], Any]] = None,
              colored: Optional[bool] = None) -> int:
    """``grade FILE``: through a running grading server when there is one (``grader_of`` and
    ``colored`` are the server's: its warm graders, and the asking terminal's colours)."""
    args = grade_parser(lang).parse_args(argv)
    colored = (color() and not args.out) if colored is None else (colored and not args.out)
    if grader_of is None:
        from ..server.client import grade_served

        served = grade_served(argv, lang, colored)
        if served is not None:
            return served
        report = _grade_here(args, lang)
        _start_server_for_next_time()
    else:
        report = grader_of(args.worksheet).grade(args.file, seed=args.seed, lang=lang)
    from ..report.i18n import figure
    from ..report.render import render

    text = render(report, args.format, color=colored)
    write(text, args.out)
    if args.out:
        print(say(lang, "cli.written", path=args.out, score=figure(report.score, lang),
                   max=figure(report.max_score - report.manual_pending, lang)), file=sys.stderr)
    if not report.load.ok:
        return ExitCode.BELOW_THRESHOLD
    if args.fail_under is not None and report.percent < args.fail_under:
        return ExitCode.BELOW_THRESHOLD
    return ExitCode.OK


def _grade_here(args: Any, lang: str) -> Any:
    from ..sandbox.launch import EarlyLauncher

    early = EarlyLauncher()  # the sandboxed child starts now, beside the imports and the worksheet's reading
    try:
        from ..api import grade_submission

        return grade_submission(args.file, args.worksheet, seed=args.seed, lang=lang, launcher=early)
    finally:
        early.close()


def _start_server_for_next_time() -> None:
    from ..server.client import auto_start_wanted, start_in_background

    if auto_start_wanted():
        try:
            start_in_background()
        except OSError:
            pass  # no server: the next grade takes as long as this one


def cmd_schema(argv: Sequence[str], lang: str) -> int:
    parser = Parser(lang, "grade schema", msg("cli.schema"))
    parser.add("--out", "-o", help=msg("cli.out"))
    lang_option(parser)
    args = parser.parse_args(argv)
    from ..report.render import schema_json

    write(schema_json() + "\n", args.out)
    return ExitCode.OK
