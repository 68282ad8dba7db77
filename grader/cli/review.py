"""``grade review`` (the grading page, or ``--import``) and ``grade gradebook``: the teacher's last mile."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Sequence

from ..messages import msg, students
from .parsing import ExitCode, Parser, lang_option, print_error, say, text_of


def review_parser(lang: str) -> Parser:
    parser = Parser(lang, "grade review", msg("cli.review"))
    parser.add("folder", help=msg("cli.review_folder"))
    parser.add("--worksheet", "-w", default="td5", help=msg("cli.review_worksheet"))
    parser.add("--port", type=int, default=0, help=msg("cli.review_port"))
    parser.add("--no-browser", action="store_true", help=msg("cli.review_no_browser"))
    parser.add("--import", dest="import_csv", metavar="CSV", help=msg("cli.review_import"))
    parser.add("--replace", action="store_true", help=msg("cli.review_replace"))
    parser.add("--grader", default=None, help=msg("cli.review_grader"))
    lang_option(parser)
    return parser


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def cmd_review(argv: Sequence[str], lang: str) -> int:
    args = review_parser(lang).parse_args(argv)
    from ..classroom.bulk import class_worksheet
    from ..classroom.manual import BookError
    from ..classroom.outputs import UsageError
    from ..review.imports import ImportRefused, import_grades
    from ..review.state import ReviewState
    from ..worksheet.loading import open_worksheet

    folder = Path(args.folder)
    grader = args.grader if args.grader is not None else _login()
    try:
        state = ReviewState.open(folder, open_worksheet(class_worksheet(args.worksheet)), lang)
        if args.import_csv:
            n = import_grades(state, Path(args.import_csv), grader, replace=args.replace)
            print(say(lang, "cli.review_imported", n=n, file=args.import_csv, book=str(folder / "manual.json"),
                      folder=str(folder)))
            return ExitCode.OK
    except ImportRefused as exc:
        print_error(lang, "grade review", msg("discover.in", file=str(args.import_csv), problem=exc.message))
        return ExitCode.USAGE
    except (BookError, UsageError) as exc:
        print_error(lang, "grade review", exc.message)
        return ExitCode.USAGE
    try:
        import uvicorn  # noqa: F401 - what serves the page (the server module imports only Starlette)

        from ..review.server import serve
    except ImportError:
        print_error(lang, "grade review", msg("cli.review_missing"))
        return ExitCode.USAGE
    serve(state, port=args.port, open_browser=not args.no_browser, grader=grader,
          announce=lambda url: print(say(lang, "cli.review_open", url=url), flush=True))
    return ExitCode.OK


def gradebook_parser(lang: str) -> Parser:
    parser = Parser(lang, "grade gradebook", msg("cli.gradebook_cmd"))
    parser.add("folder", help=msg("cli.review_folder"))
    parser.add("--worksheet", "-w", default="td5", help=msg("cli.review_worksheet"))
    parser.add("--gradebook", action="append", choices=("canvas", "moodle", "default"), default=[],
               help=msg("cli.gradebook"))
    parser.add("--roster", metavar="CSV", help=msg("cli.roster"))
    parser.add("--assignment", metavar="NAME", help=msg("cli.assignment"))
    lang_option(parser)
    return parser


def cmd_gradebook(argv: Sequence[str], lang: str) -> int:
    args = gradebook_parser(lang).parse_args(argv)
    from ..classroom.final import write_gradebooks
    from ..classroom.manual import BookError
    from ..classroom.outputs import UsageError
    from ..classroom.roster import RosterError

    try:
        result = write_gradebooks(args.folder, args.worksheet, lang=args.lang, gradebook=args.gradebook,
                                  roster=args.roster, assignment=args.assignment)
    except (BookError, RosterError, UsageError) as exc:
        print_error(lang, "grade gradebook", exc.message)
        return ExitCode.USAGE
    pending = sum(1 for r in result.rows if r.report is not None and r.report.manual_pending)
    print(text_of(msg("cli.gradebook_done", students=students(len(result.rows)), out=str(args.folder),
                      pending=msg("cli.gradebook_pending", n=pending) if pending else ""), lang))
    for note in result.notes:
        print("  " + say(lang, "cli.note", note=text_of(note, lang)))
    return ExitCode.OK
