"""The ``grade`` command: arguments -> library call -> renderer -> exit code. The only module that prints."""

from __future__ import annotations

import argparse
import os
import sys
from enum import IntEnum
from pathlib import Path
from typing import Optional, Sequence

from .errors import GraderError, SpecError, SubmissionError

SUBCOMMANDS = ("schema", "check-spec", "bulk")


class ExitCode(IntEnum):
    OK = 0
    BELOW_THRESHOLD = 1  # graded, but under --fail-under, or the submission does not load
    USAGE = 2  # bad arguments, unreadable submission or spec
    INTERNAL = 4


def _grade_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grade", description="Grade a .py or .ipynb submission of a worksheet (default: TD 5).",
        epilog="Other commands: 'grade schema' prints the JSON Schema of the report.")
    parser.add_argument("file", help="the submission (.py or .ipynb)")
    parser.add_argument("--worksheet", "-w", default="td5", help="bundled worksheet name or spec path (default: td5)")
    parser.add_argument("--format", "-f", choices=("terminal", "json"), default="terminal")
    parser.add_argument("--out", "-o", help="write the report to this file instead of the terminal")
    parser.add_argument("--seed", type=int, help="seed of the random inputs (default: from the file's content)")
    parser.add_argument("--lang", choices=("en", "fr"), default=None,
                        help="language of the report (default: from the locale)")
    parser.add_argument("--fail-under", type=float, metavar="PCT",
                        help="exit with 1 when the automatic score is below PCT percent")
    return parser


def _write(text: str, out: Optional[str]) -> None:
    if out:
        path = Path(out)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _cmd_grade(argv: Sequence[str]) -> int:
    args = _grade_parser().parse_args(argv)
    from .api import grade_submission
    from .render import render

    from .i18n import default_language

    report = grade_submission(args.file, args.worksheet, seed=args.seed, lang=args.lang or default_language())
    fmt = args.format
    text = render(report, fmt, color=_color() and not args.out)
    _write(text, args.out)
    if args.out:
        print(f"report written to {args.out}: {report.score:g} / {report.max_score - report.manual_pending:g}",
              file=sys.stderr)
    if not report.load.ok:
        return ExitCode.BELOW_THRESHOLD
    if args.fail_under is not None and report.percent < args.fail_under:
        return ExitCode.BELOW_THRESHOLD
    return ExitCode.OK


def _cmd_schema(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="grade schema", description="Print the JSON Schema of a report.")
    parser.add_argument("--out", "-o")
    args = parser.parse_args(argv)
    from .render import schema_json

    _write(schema_json() + "\n", args.out)
    return ExitCode.OK


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "schema":
            return _cmd_schema(argv[1:])
        if argv and argv[0] == "check-spec":
            from .selfcheck import main as check_spec_main

            return check_spec_main(argv[1:])
        return _cmd_grade(argv)
    except (SubmissionError, SpecError) as exc:
        print(f"grade: error: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except GraderError as exc:
        print(f"grade: internal error: {exc}", file=sys.stderr)
        return ExitCode.INTERNAL
    except KeyboardInterrupt:
        print("grade: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
