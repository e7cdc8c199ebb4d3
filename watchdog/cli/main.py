"""The `colab-watchdog` command: argument parsing, and the one place errors become exit codes.

Each subcommand lives in watchdog/cli/commands/<name>.py and exposes
`register(subparsers) -> None`, which adds its parser and sets `handler=<callable(args) -> int>`.
Command modules must import cheaply: Selenium and apprise are imported inside handlers only,
so `--help` and `snippet` stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from watchdog import __version__
from watchdog.core.redact import redact_headers
from watchdog.errors import ExitCode, WatchdogError

# Order here is the order in `--help`.
COMMANDS = (
    "run",
    "demo",
    "status",
    "snippet",
    "extension",
    "url",
    "login",
    "attach_command",
    "send_test_alert",
)

EPILOG = """\
examples:
  colab-watchdog demo                       watch the built-in simulated Colab for a minute
  colab-watchdog run URL                    keep a notebook alive, warn before it ends
  colab-watchdog snippet --copy             the same engine, to paste into DevTools
  colab-watchdog extension --output DIR     the same engine as a browser extension
  colab-watchdog status                     what the running daemon sees

settings come from WATCHDOG_* environment variables or a .env file in the working
directory (see .env.example); flags override them.
"""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is ONE stderr line (no usage block) and exit code 2.

    Subparsers inherit the class (argparse's default parser_class is type(self)).
    """

    def error(self, message: str) -> NoReturn:
        hint = f"see '{self.prog} --help'"
        missing = re.fullmatch(r"argument (\S+?)(?:/\S+)?: expected one argument", message)
        if missing:
            flag = missing.group(1)
            # argparse reads "--interval -5s" as two options; "--interval=-5s" is one.
            hint = f"a value starting with '-' must be joined with '=', as in {flag}=VALUE; {hint}"
        command = self.prog.removeprefix("colab-watchdog").strip()
        where = f"{command}: " if command else ""
        sys.stderr.write(f"colab-watchdog: error: {where}{message} ({hint})\n")
        sys.exit(ExitCode.USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="colab-watchdog",
        description="Keep Google Colab sessions alive within their limits and warn before "
        "they end.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"colab-watchdog {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks for errors (never shows secrets)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"watchdog.cli.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code (see watchdog.errors.ExitCode)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return ExitCode.USAGE
    try:
        return int(handler(args))
    except WatchdogError as exc:
        if args.debug:
            raise

        print(f"colab-watchdog: error: {redact_headers(str(exc))}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
