"""The ``grade`` command: arguments -> library call -> renderer -> exit code. The only module that prints.

Everything it says (its help, its errors, its last line) is a message of the catalogue, worded in
the language of ``--lang`` or of the locale; argparse's own few words (``usage:``, ``error:``) are
given in it too, the messages argparse makes itself stay as argparse writes them.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from enum import IntEnum
from pathlib import Path
from typing import Any, Optional, Sequence

from .errors import GraderError, OutputError, SpecError, SubmissionError
from .messages import Msg, msg

FORMATS = ("terminal", "json", "gradescope", "junit")  # the renderers' names: report.render.RENDERERS


class ExitCode(IntEnum):
    OK = 0
    BELOW_THRESHOLD = 1  # graded, but under --fail-under, or the submission does not load
    USAGE = 2  # bad arguments, unreadable submission or spec
    INTERNAL = 4


def _say(lang: str, code: str, **params: Any) -> str:
    from .report.i18n import text

    return text(msg(code, **params), lang)


def _print_error(lang: str, prog: str, message: Msg, code: str = "cli.error") -> None:
    from .report.i18n import text

    print(_say(lang, code, prog=prog, message=text(message, lang)), file=sys.stderr)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's layout, with ``usage:`` in the user's language."""

    def __init__(self, prog: str, usage_prefix: str = "usage: ", **kwargs: Any) -> None:
        super().__init__(prog, **kwargs)
        self._usage_prefix = usage_prefix

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, self._usage_prefix if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An argument parser that speaks ``lang``: its sections, ``--help`` and errors."""

    def __init__(self, lang: str, prog: str, description: Msg, epilog: Optional[Msg] = None,
                 usage: Optional[str] = None) -> None:
        self.lang = lang
        super().__init__(prog=prog, usage=usage, description=_text(description, lang),
                         epilog=_text(epilog, lang) if epilog else None, add_help=False,
                         formatter_class=functools.partial(_Formatter, usage_prefix=_say(lang, "cli.usage")))
        self._inputs = self.add_argument_group(_say(lang, "cli.arguments"))
        self._options = self.add_argument_group(_say(lang, "cli.options"))
        self._options.add_argument("-h", "--help", action="help", help=_say(lang, "cli.help"))

    def add(self, *names: str, help: Optional[Msg] = None, **kwargs: Any) -> None:
        group = self._inputs if not names[0].startswith("-") else self._options
        group.add_argument(*names, help=_text(help, self.lang) if help else None, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(ExitCode.USAGE, _say(self.lang, "cli.error", prog=self.prog, message=message) + "\n")


def _text(message: Optional[Msg], lang: str) -> str:
    from .report.i18n import text

    return text(message, lang)


def _language(argv: Sequence[str]) -> str:
    """The language asked for (``--lang fr``), else the locale's; English for one with no catalogue."""
    from .report.i18n import default_language, languages

    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg[7:] if arg.startswith("--lang=") else None
        if value is not None:
            return value if value in languages() else "en"
    return default_language()


def _lang_option(parser: _Parser) -> None:
    from .report.i18n import languages

    parser.add("--lang", choices=languages(), default=None, help=msg("cli.lang"))


def _grade_parser(lang: str) -> _Parser:
    parser = _Parser(lang, "grade", msg("cli.grade"), msg("cli.commands"),
                     usage="grade FILE [options]\n       grade {bulk,check-spec,kit,schema} ...")
    parser.add("file", help=msg("cli.file"))
    parser.add("--worksheet", "-w", default="td5", help=msg("cli.worksheet"))
    parser.add("--format", "-f", choices=FORMATS, default="terminal", help=msg("cli.format"))
    parser.add("--out", "-o", help=msg("cli.out"))
    parser.add("--seed", type=int, help=msg("cli.seed"))
    _lang_option(parser)
    parser.add("--fail-under", type=float, metavar="PCT", help=msg("cli.fail_under"))
    return parser


def _write(text: str, out: Optional[str]) -> None:
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


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _cmd_grade(argv: Sequence[str], lang: str) -> int:
    args = _grade_parser(lang).parse_args(argv)
    from .sandbox.launch import EarlyLauncher

    early = EarlyLauncher()  # the sandboxed child starts now, beside the imports and the worksheet's reading
    try:
        from .api import grade_submission

        report = grade_submission(args.file, args.worksheet, seed=args.seed, lang=lang, launcher=early)
    finally:
        early.close()
    from .report.i18n import figure
    from .report.render import render

    text = render(report, args.format, color=_color() and not args.out)
    _write(text, args.out)
    if args.out:
        print(_say(lang, "cli.written", path=args.out, score=figure(report.score, lang),
                   max=figure(report.max_score - report.manual_pending, lang)), file=sys.stderr)
    if not report.load.ok:
        return ExitCode.BELOW_THRESHOLD
    if args.fail_under is not None and report.percent < args.fail_under:
        return ExitCode.BELOW_THRESHOLD
    return ExitCode.OK


def _cmd_schema(argv: Sequence[str], lang: str) -> int:
    parser = _Parser(lang, "grade schema", msg("cli.schema"))
    parser.add("--out", "-o", help=msg("cli.out"))
    _lang_option(parser)
    args = parser.parse_args(argv)
    from .report.render import schema_json

    _write(schema_json() + "\n", args.out)
    return ExitCode.OK


def _bulk_parser(lang: str) -> _Parser:
    parser = _Parser(lang, "grade bulk", msg("cli.bulk"))
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
    _lang_option(parser)
    parser.add("--quiet", "-q", action="store_true", help=msg("cli.quiet"))
    return parser


def _cmd_bulk(argv: Sequence[str], lang: str) -> int:
    args = _bulk_parser(lang).parse_args(argv)
    from .classroom.bulk import UsageError, grade_class
    from .classroom.discover import ClassFolderError
    from .classroom.roster import RosterError

    root = Path(args.folder)
    if not root.exists() or not (root.is_dir() or root.suffix.lower() == ".zip"):
        why = "discover.no_such" if not root.exists() else "discover.not_a_folder"
        _print_error(lang, "grade bulk", msg(why, path=str(root)))
        return ExitCode.USAGE
    show = sys.stderr.isatty() and not args.quiet
    progress_bar = None
    if show:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        progress_bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), transient=True)
        progress_bar.start()
        task = progress_bar.add_task(_say(lang, "bulk.progress", student=""), total=None)

    def progress(done: int, total: int, student: str) -> None:
        if progress_bar is not None:
            progress_bar.update(task, completed=done, total=total,
                                description=_say(lang, "bulk.progress", student=student)[:40])

    try:
        result = grade_class(root, args.worksheet, args.out, jobs=args.jobs, seed=args.seed,
                             per_student_inputs=args.per_student_inputs, force=args.force,
                             lang=lang, gradebook=args.gradebook,
                             gradescope=args.format == "gradescope", progress=progress, only=args.only,
                             roster=args.roster, assignment=args.assignment)
    except (ClassFolderError, RosterError, UsageError) as exc:
        _print_error(lang, "grade bulk", exc.message)
        return ExitCode.USAGE
    finally:
        if progress_bar is not None:
            progress_bar.stop()
    print(_text(bulk_line(result, args.out, lang), lang))
    for note in result.notes:
        print("  " + _say(lang, "cli.note", note=_text(note, lang)))
    return ExitCode.INTERNAL if result.not_graded else ExitCode.OK


def bulk_line(result: Any, out: str, lang: str = "en") -> Msg:
    """The run in one line; its counts add up to the students of the gradebooks."""
    from .report.i18n import figure

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


BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _one_blas_thread() -> None:
    """One BLAS thread per process, unless the user set otherwise: ``grade bulk`` already runs a
    worker per core, and an idle BLAS thread spins on a core for a while after each call (a
    reference doing large matrix products made every worker's neighbour wait: measured 2.5 times
    slower). Read by numpy's BLAS when it loads, so this runs before anything imports numpy."""
    for name in BLAS_THREADS:
        os.environ.setdefault(name, "1")


def _cmd_kit(argv: Sequence[str], lang: str) -> int:
    parser = _Parser(lang, "grade kit", msg("cli.kit"))
    parser.add("worksheet", help=msg("cli.kit_worksheet"))
    parser.add("--out", "-o", help=msg("cli.kit_out"))
    parser.add("--gradescope", metavar="ZIP", help=msg("cli.kit_gradescope"))
    _lang_option(parser)
    args = parser.parse_args(argv)
    from .worksheet.kit import make_kit

    if args.out or not args.gradescope:
        path = make_kit(args.worksheet, args.out or ".")
        print(_say(lang, "cli.kit_written", path=str(path), size=f"{path.stat().st_size / 2**10:.0f}", name=path.name))
    if args.gradescope:
        from .autograder import make_autograder

        zipped = make_autograder(args.worksheet, args.gradescope)
        print(_say(lang, "cli.gradescope_written", path=str(zipped)))
    return ExitCode.OK


def _cmd_check_spec(argv: Sequence[str], lang: str) -> int:
    parser = _Parser(lang, "grade check-spec", msg("cli.check_spec"))
    parser.add("worksheet", help=msg("cli.check_spec_worksheet"))
    parser.add("--seeds", type=int, default=100, help=msg("cli.seeds"))
    parser.add("--mistake-seeds", type=int, default=5, help=msg("cli.mistake_seeds"))
    parser.add("--sampler-runs", type=int, default=300, help=msg("cli.sampler_runs"))
    _lang_option(parser)
    args = parser.parse_args(argv)
    from .checkspec import findings_text, run_selfcheck

    result = run_selfcheck(args.worksheet, seeds=args.seeds, mistake_seeds=args.mistake_seeds,
                           sampler_runs=args.sampler_runs)
    sys.stdout.write(findings_text(result, lang, color=_color()))
    return ExitCode.OK if result.ok else ExitCode.BELOW_THRESHOLD


COMMANDS = {"schema": _cmd_schema, "bulk": _cmd_bulk, "check-spec": _cmd_check_spec, "kit": _cmd_kit}


def main(argv: Optional[Sequence[str]] = None) -> int:
    _one_blas_thread()
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _language(argv)
    try:
        if argv and argv[0] in COMMANDS:
            return COMMANDS[argv[0]](argv[1:], lang)
        archive = _grade_parser(lang).parse_known_args(argv)[0].file
        if archive.lower().endswith(".zip"):
            _print_error(lang, "grade", msg("cli.zip", path=archive))
            return ExitCode.USAGE
        return _cmd_grade(argv, lang)
    except (SubmissionError, SpecError, OutputError) as exc:
        _print_error(lang, "grade", exc.message)
        return ExitCode.USAGE
    except GraderError as exc:
        _print_error(lang, "grade", exc.message, "cli.internal")
        return ExitCode.INTERNAL
    except KeyboardInterrupt:
        print(_say(lang, "cli.interrupted"), file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
