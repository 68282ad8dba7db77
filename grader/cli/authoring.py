"""The author's commands: ``grade kit`` (the students' kit, Gradescope's zip) and ``grade
check-spec`` (a worksheet proved sound)."""

from __future__ import annotations

import sys
from typing import Sequence

from ..messages import msg
from .parsing import ExitCode, Parser, color, lang_option, say


def cmd_kit(argv: Sequence[str], lang: str) -> int:
    parser = Parser(lang, "grade kit", msg("cli.kit"))
    parser.add("worksheet", help=msg("cli.kit_worksheet"))
    parser.add("--out", "-o", help=msg("cli.kit_out"))
    parser.add("--gradescope", metavar="ZIP", help=msg("cli.kit_gradescope"))
    lang_option(parser)
    args = parser.parse_args(argv)
    from ..worksheet.kit import make_kit

    if args.out or not args.gradescope:
        path = make_kit(args.worksheet, args.out or ".")
        print(say(lang, "cli.kit_written", path=str(path), size=f"{path.stat().st_size / 2**10:.0f}", name=path.name))
    if args.gradescope:
        from ..autograder import make_autograder

        zipped = make_autograder(args.worksheet, args.gradescope)
        print(say(lang, "cli.gradescope_written", path=str(zipped)))
    return ExitCode.OK


def cmd_new(argv: Sequence[str], lang: str) -> int:
    parser = Parser(lang, "grade new", msg("cli.new"))
    parser.add("name", help=msg("cli.new_name"))
    parser.add("--title", default="", help=msg("cli.new_title"))
    parser.add("--root", default=".", help=msg("cli.new_root"))
    lang_option(parser)
    args = parser.parse_args(argv)
    from ..worksheet.scaffold import new_worksheet

    written = new_worksheet(args.name, args.root, args.title)
    print(say(lang, "cli.new_created", name=args.name))
    for path in written:
        print("  " + str(path))
    print(say(lang, "cli.new_next", spec=str(written[0].parent), example=str(written[-1])))
    return ExitCode.OK


def cmd_check_spec(argv: Sequence[str], lang: str) -> int:
    parser = Parser(lang, "grade check-spec", msg("cli.check_spec"))
    parser.add("worksheet", help=msg("cli.check_spec_worksheet"))
    parser.add("--seeds", type=int, default=100, help=msg("cli.seeds"))
    parser.add("--mistake-seeds", type=int, default=5, help=msg("cli.mistake_seeds"))
    parser.add("--sampler-runs", type=int, default=300, help=msg("cli.sampler_runs"))
    lang_option(parser)
    args = parser.parse_args(argv)
    from ..checkspec import findings_text, check_spec

    result = check_spec(args.worksheet, seeds=args.seeds, mistake_seeds=args.mistake_seeds,
                           sampler_runs=args.sampler_runs)
    sys.stdout.write(findings_text(result, lang, color=color()))
    return ExitCode.OK if result.ok else ExitCode.BELOW_THRESHOLD
