"""The ``grade`` command: arguments -> library call -> renderer -> exit code. The only module that prints."""

from __future__ import annotations

import argparse
import os
import sys
from enum import IntEnum
from pathlib import Path
from typing import Optional, Sequence

from .errors import GraderError, OutputError, SpecError, SubmissionError

SUBCOMMANDS = ("schema", "check-spec", "bulk")


class ExitCode(IntEnum):
    OK = 0
    BELOW_THRESHOLD = 1  # graded, but under --fail-under, or the submission does not load
    USAGE = 2  # bad arguments, unreadable submission or spec
    INTERNAL = 4


COMMANDS = """commands:
  grade FILE                   grade one submission (.py or .ipynb): this page
  grade bulk FOLDER|ZIP        grade a class (a folder, or an LMS download: Moodle, Canvas, a zip):
                               reports, gradebooks (CSV, Canvas, Moodle) and a summary with plots
  grade check-spec WORKSHEET   prove a worksheet sound: the reference scores full marks, every
                               known mistake is caught, the spec is valid
  grade schema                 print the JSON Schema of a report

'grade COMMAND --help' tells more of each."""


def _grade_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grade", usage="grade FILE [options]\n       grade {bulk,check-spec,schema} ... (see below)",
        description="Grade a .py or .ipynb submission of a worksheet (default: TD 5).",
        epilog=COMMANDS, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", help="the submission (.py or .ipynb)")
    parser.add_argument("--worksheet", "-w", default="td5", help="bundled worksheet name or spec path (default: td5)")
    parser.add_argument("--format", "-f", choices=("terminal", "json", "gradescope", "junit"), default="terminal")
    parser.add_argument("--out", "-o", help="write the report to this file instead of the terminal")
    parser.add_argument("--seed", type=int, help="seed of the hidden cases, with a worksheet folder (default: from "
                        "the worksheet's files; a kit has its own)")
    parser.add_argument("--lang", choices=("en", "fr"), default=None,
                        help="language of the report (default: from the locale)")
    parser.add_argument("--fail-under", type=float, metavar="PCT",
                        help="exit with 1 when the automatic score is below PCT percent")
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


def _cmd_grade(argv: Sequence[str]) -> int:
    args = _grade_parser().parse_args(argv)
    from .sandbox.launch import EarlyLauncher

    early = EarlyLauncher()  # the sandboxed child starts now, beside the imports and the worksheet's reading
    try:
        from .api import grade_submission
        from .report.i18n import default_language

        report = grade_submission(args.file, args.worksheet, seed=args.seed, lang=args.lang or default_language(),
                                  launcher=early)
    finally:
        early.close()
    from .report.render import render

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
    from .report.render import schema_json

    _write(schema_json() + "\n", args.out)
    return ExitCode.OK


def _cmd_bulk(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="grade bulk", description="Grade a class: a folder (or zip) of submissions, Moodle and Canvas "
                                       "downloads included; writes reports, gradebooks and a summary of every "
                                       "student the output folder knows.")
    parser.add_argument("folder", help="class folder or zip file")
    parser.add_argument("--out", "-o", default="results", help="output folder (default: results)")
    parser.add_argument("--worksheet", "-w", default="td5")
    parser.add_argument("-j", "--jobs", type=int, default=None,
                        help="parallel workers (default: the cores this process may use); "
                             "spare ones grade while submissions wait out a time limit")
    parser.add_argument("--seed", type=int, default=None,
                        help="run seed of the hidden cases (default: from the worksheet's files, which students "
                             "never have)")
    parser.add_argument("--per-student-inputs", action="store_true",
                        help="give each student their own cases (a seed from the run seed and their id) instead "
                             "of one answer table for the class (slower: the reference runs for every student)")
    parser.add_argument("--force", action="store_true", help="regrade even unchanged submissions")
    parser.add_argument("--only", nargs="+", metavar="ID", default=(),
                        help="grade only these students of FOLDER (again, even if unchanged); every other "
                             "student of the output folder is kept as it is")
    parser.add_argument("--gradebook", action="append", choices=("canvas", "moodle", "default"), default=[],
                        help="also write an LMS file: canvas (gradebook import), moodle (the assignment's "
                             "grading worksheet); repeat it for both (gradebook.csv is always written)")
    parser.add_argument("--roster", metavar="CSV",
                        help="your LMS export: Canvas' gradebook export, or Moodle's grading worksheet "
                             "downloaded from the assignment; its names, ids and columns fill that LMS's file")
    parser.add_argument("--assignment", metavar="NAME",
                        help="the Canvas assignment column to fill (its name or id; default: the one named "
                             "after the worksheet)")
    parser.add_argument("--format", choices=("json", "gradescope"), default="json",
                        help="gradescope: also write <student>.gradescope.json")
    parser.add_argument("--lang", choices=("en", "fr"), default=None)
    parser.add_argument("--quiet", "-q", action="store_true")
    args = parser.parse_args(argv)
    from .classroom.bulk import UsageError, grade_class
    from .report.i18n import default_language
    from .classroom.roster import RosterError

    root = Path(args.folder)
    if not root.exists():
        print(f"grade bulk: error: {root}: no such file or folder", file=sys.stderr)
        return ExitCode.USAGE
    if not (root.is_dir() or root.suffix.lower() == ".zip"):
        print(f"grade bulk: error: {root}: not a folder or a zip file", file=sys.stderr)
        return ExitCode.USAGE
    show = sys.stderr.isatty() and not args.quiet
    progress_bar = None
    if show:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        progress_bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), transient=True)
        progress_bar.start()
        task = progress_bar.add_task("grading", total=None)

    def progress(done: int, total: int, student: str) -> None:
        if progress_bar is not None:
            progress_bar.update(task, completed=done, total=total, description=f"grading {student}"[:40])

    try:
        result = grade_class(root, args.worksheet, args.out, jobs=args.jobs, seed=args.seed,
                             per_student_inputs=args.per_student_inputs, force=args.force,
                             lang=args.lang or default_language(), gradebook=args.gradebook,
                             gradescope=args.format == "gradescope", progress=progress, only=args.only,
                             roster=args.roster, assignment=args.assignment)
    except (NotADirectoryError, RosterError, UsageError) as exc:
        print(f"grade bulk: error: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    finally:
        if progress_bar is not None:
            progress_bar.stop()
    print(bulk_line(result, args.out))
    for note in result.notes:
        print(f"  note: {note}")
    return ExitCode.INTERNAL if result.not_graded else ExitCode.OK


def bulk_line(result, out: str) -> str:
    """The run in one line; its counts add up to the students of the gradebooks."""
    s = result.summary
    parts = [f"{result.graded} graded", f"{result.did_not_load} did not load", f"{result.unreadable} unreadable",
             f"{result.not_graded} not graded", f"{result.cached} unchanged"]
    if result.kept:
        parts.append(f"{result.kept} kept from earlier runs")
    mean = s.get("score", {}).get("mean")
    tail = f"; mean {mean:.2f} / {s['max_score']:g} (automatic)" if mean is not None else ""
    problems = f"; {len(result.problems)} input problems (see summary.md)" if result.problems else ""
    failed = " (not graded: the worksheet or the grader failed, see summary.md)" if result.not_graded else ""
    return (f"{len(result.rows)} students = {' + '.join(parts)}{failed}{problems}{tail}; "
            f"{result.seconds:.1f} s -> {out}/")


BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _one_blas_thread() -> None:
    """One BLAS thread per process, unless the user set otherwise: ``grade bulk`` already runs a
    worker per core, and an idle BLAS thread spins on a core for a while after each call (a
    reference doing large matrix products made every worker's neighbour wait: measured 2.5 times
    slower). Read by numpy's BLAS when it loads, so this runs before anything imports numpy."""
    for name in BLAS_THREADS:
        os.environ.setdefault(name, "1")


def _cmd_kit(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="grade kit", description="Build the kit students grade themselves with (the public cases and the "
                                      "reference's values on them, no reference code), and/or Gradescope's "
                                      "autograder zip.")
    parser.add_argument("worksheet", help="the worksheet's folder or spec file (with its reference)")
    parser.add_argument("--out", "-o", help="folder (or .kit file) for the kit (default: the current folder)")
    parser.add_argument("--gradescope", metavar="ZIP", help="also write Gradescope's autograder zip here")
    args = parser.parse_args(argv)
    from .worksheet.kit import make_kit

    if args.out or not args.gradescope:
        path = make_kit(args.worksheet, args.out or ".")
        print(f"kit written to {path} ({path.stat().st_size / 2**10:.0f} KiB): students run "
              f"grade FILE -w {path.name}")
    if args.gradescope:
        from .autograder import make_autograder

        zipped = make_autograder(args.worksheet, args.gradescope)
        print(f"Gradescope autograder written to {zipped}: upload it as the assignment's autograder (zip file)")
    return ExitCode.OK


def main(argv: Optional[Sequence[str]] = None) -> int:
    _one_blas_thread()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "schema":
            return _cmd_schema(argv[1:])
        if argv and argv[0] == "bulk":
            return _cmd_bulk(argv[1:])
        if argv and argv[0] == "check-spec":
            from .checkspec import main as check_spec_main

            return check_spec_main(argv[1:])
        if argv and argv[0] == "kit":
            return _cmd_kit(argv[1:])
        archive = _grade_parser().parse_known_args(argv)[0].file
        if archive.lower().endswith(".zip"):
            print(f"grade: error: {archive}: a zip file, not a submission; to grade a class (an LMS download), "
                  f"run: grade bulk {archive} --out results", file=sys.stderr)
            return ExitCode.USAGE
        return _cmd_grade(argv)
    except (SubmissionError, SpecError, OutputError) as exc:
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
