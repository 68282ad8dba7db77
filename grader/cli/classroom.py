"""``grade bulk``: a whole class, with a progress bar, and its result in one line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Sequence

from ..messages import Msg, msg
from .parsing import ExitCode, Parser, lang_option, print_error, say, text_of


def bulk_parser(lang: str) -> Parser:
    parser = Parser(lang, "grade bulk", msg("cli.bulk"))
    parser.add("folder", help=msg("cli.folder"))
    parser.add("--out", "-o", default="results", help=msg("cli.bulk_out"))
    parser.add("--worksheet", "-w", default="td5", help=msg("cli.bulk_worksheet"))
    parser.add("-j", "--jobs", type=int, default=None, help=msg("cli.jobs"))
    parser.add("--seed", type=int, default=None, help=msg("cli.bulk_seed"))
    parser.add("--per-student-inputs", action="store_true", help=msg("cli.per_student"))
    parser.add("--force", action="store_true", help=msg("cli.force"))
    parser.add("--only", nargs="+", metavar="ID", default=(), help=msg("cli.only"))
    parser.add("--gradebook", action="append", choices=("canvas", "moodle", "default"), default=[],
               help=msg("cli.gradebook"))
    parser.add("--roster", metavar="CSV", help=msg("cli.roster"))
    parser.add("--assignment", metavar="NAME", help=msg("cli.assignment"))
    parser.add("--format", choices=("json", "gradescope"), default="json", help=msg("cli.bulk_format"))
    parser.add("--starter", metavar="FILE", help=msg("cli.starter"))
    parser.add("--cluster", metavar="ADDRESS", help=msg("cli.cluster"))
    lang_option(parser)
    parser.add("--quiet", "-q", action="store_true", help=msg("cli.quiet"))
    return parser


def cmd_bulk(argv: Sequence[str], lang: str) -> int:
    args = bulk_parser(lang).parse_args(argv)
    from ..classroom.bulk import UsageError, grade_class
    from ..classroom.discover import ClassFolderError
    from ..classroom.manual import BookError
    from ..classroom.roster import RosterError

    root = Path(args.folder)
    if not root.exists() or not (root.is_dir() or root.suffix.lower() == ".zip"):
        why = "discover.no_such" if not root.exists() else "discover.not_a_folder"
        print_error(lang, "grade bulk", msg(why, path=str(root)))
        return ExitCode.USAGE
    show = sys.stderr.isatty() and not args.quiet
    progress_bar = None
    if show:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        progress_bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), transient=True)
        progress_bar.start()
        task = progress_bar.add_task(say(lang, "bulk.progress", student=""), total=None)

    def progress(done: int, total: int, student: str) -> None:
        if progress_bar is not None:
            progress_bar.update(task, completed=done, total=total,
                                description=say(lang, "bulk.progress", student=student)[:40])

    import contextlib

    from ..classroom.cluster import Cluster, ClusterError

    try:
        with Cluster(args.cluster) if args.cluster else contextlib.nullcontext() as cluster:
            result = grade_class(root, args.worksheet, args.out, jobs=args.jobs, seed=args.seed,
                                 per_student_inputs=args.per_student_inputs, force=args.force,
                                 lang=lang, gradebook=args.gradebook,
                                 gradescope=args.format == "gradescope", progress=progress, only=args.only,
                                 roster=args.roster, assignment=args.assignment, starter=args.starter,
                                 cluster=cluster)
    except (ClassFolderError, RosterError, UsageError, BookError, ClusterError) as exc:
        print_error(lang, "grade bulk", exc.message)
        return ExitCode.USAGE
    finally:
        if progress_bar is not None:
            progress_bar.stop()
    print(text_of(bulk_line(result, args.out, lang), lang))
    for note in result.notes:
        print("  " + say(lang, "cli.note", note=text_of(note, lang)))
    return ExitCode.INTERNAL if result.not_graded else ExitCode.OK


def bulk_line(result: Any, out: str, lang: str = "en") -> Msg:
    """The run in one line; its counts add up to the students of the gradebooks."""
    from ..report.i18n import figure

    s = result.summary
    parts = [msg("bulk.graded", n=result.graded), msg("bulk.did_not_load", n=result.did_not_load),
             msg("bulk.unreadable", n=result.unreadable), msg("bulk.not_graded_count", n=result.not_graded),
             msg("bulk.unchanged", n=result.cached)]
    if result.kept:
        parts.append(msg("bulk.kept", n=result.kept))
    line: list[Any] = [msg("bulk.line", n=len(result.rows), parts=Msg("join.plus", {"items": parts}))]
    if result.not_graded:
        line.append(msg("bulk.failed_note"))
    if result.problems:
        line.append(msg("bulk.problems", n=len(result.problems)))
    mean = s.get("score", {}).get("mean")
    if mean is not None:
        line.append(msg("bulk.mean", mean=f"{mean:.2f}".replace(".", figure(0.5, lang)[1]),
                        max=figure(s["max_score"], lang)))
    line.append(msg("bulk.time", seconds=f"{result.seconds:.1f}".replace(".", figure(0.5, lang)[1]), out=out))
    return Msg("join.none", {"items": line})
