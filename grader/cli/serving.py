"""``grade serve``: the grading server, started, asked about or stopped (``grader/server/``)."""

from __future__ import annotations

import sys
from typing import Any, Callable, Sequence

from ..messages import msg
from .parsing import ExitCode, Parser, guarded, lang_option, say


def cmd_serve(argv: Sequence[str], lang: str) -> int:
    from ..server.address import IDLE_SECONDS

    parser = Parser(lang, "grade serve", msg("cli.serve"))
    parser.add("--stop", action="store_true", help=msg("cli.serve_stop"))
    parser.add("--status", action="store_true", help=msg("cli.serve_status"))
    parser.add("--idle", type=float, default=IDLE_SECONDS, metavar="SECONDS", help=msg("cli.serve_idle"))
    parser.add("--foreground", action="store_true", help=msg("cli.serve_foreground"))
    lang_option(parser)
    args = parser.parse_args(argv)
    from ..server import client

    if args.stop:
        pid = client.stop()
        print(say(lang, "serve.stopped" if pid else "serve.none", pid=pid or 0), file=sys.stderr)
        return ExitCode.OK
    running = client.status()
    if args.status:
        print(say(lang, "serve.running" if running else "serve.none", pid=(running or {}).get("pid", 0),
                  n=(running or {}).get("served", 0)), file=sys.stderr)
        return ExitCode.OK if running else ExitCode.BELOW_THRESHOLD
    if running:
        print(say(lang, "serve.already", pid=running["pid"]), file=sys.stderr)
        return ExitCode.OK
    if args.foreground:
        from ..server.daemon import Server

        Server(_grade_for_the_server, idle=args.idle).serve()
        return ExitCode.OK
    pid = client.start_in_background(args.idle, wait=30)
    if pid is None:
        print(say(lang, "serve.failed"), file=sys.stderr)
        return ExitCode.INTERNAL
    print(say(lang, "serve.started", pid=pid, minutes=round(args.idle / 60, 1)), file=sys.stderr)
    return ExitCode.OK


def _grade_for_the_server(argv: list, lang: str, grader_of: Callable[[str], Any], colored: bool) -> int:
    from .grading import cmd_grade

    return guarded(lambda: cmd_grade(argv, lang, grader_of=grader_of, colored=colored), lang)
