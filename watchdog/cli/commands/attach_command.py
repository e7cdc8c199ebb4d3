"""`colab-watchdog attach-command`: print the command that starts your Chrome for attach mode.

For the OS it runs on: `open -na "Google Chrome" --args ...` on macOS, a PowerShell line on
Windows, a shell line on Linux. The browser is the one `login` and `run` would find
(WATCHDOG_CHROME_BINARY, PATH, the standard install locations); the profile is a dedicated
directory next to the watchdog's own (never your everyday profile). The command goes to
stdout alone, so `colab-watchdog attach-command | sh` or copy-and-paste both work; what to
do next goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import PurePath

from watchdog.core.attach_command import attach_command, next_steps
from watchdog.core.host import Host
from watchdog.errors import BrowserUnavailable, ConfigError, ExitCode
from watchdog.paths import current_host, default_paths


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "attach-command",
        help="print the command that starts your Chrome for attach mode",
        description="Print, for this OS's shell, the command that starts the installed "
        "Chrome (or Chromium, Edge, Brave) with a debugging port and a dedicated profile, "
        "ready for `colab-watchdog run --attach`.",
    )
    parser.add_argument(
        "--port",
        type=int,
        metavar="PORT",
        help="debugging port (default: the port of WATCHDOG_ATTACH_ADDRESS, 9222)",
    )
    parser.add_argument(
        "--profile-dir",
        metavar="DIR",
        help="the dedicated profile directory (default: attach-profile in the "
        "watchdog's data folder)",
    )
    parser.set_defaults(handler=run)


def build(host: Host, browser: str | None, profile: PurePath, port: int) -> tuple[str, str]:
    """(command, next steps) for `host`. Raises BrowserUnavailable without a browser."""

    if browser is None:
        raise BrowserUnavailable(
            "no Chrome, Chromium, Edge or Brave found",
            hint="install Google Chrome, or set WATCHDOG_CHROME_BINARY to the browser",
        )
    return attach_command(host, browser, profile, port), next_steps(port)


def run(args: argparse.Namespace) -> int:
    from watchdog.adapters.browser.driver import resolve_browser_binary  # noqa: PLC0415 lazy: Selenium
    from watchdog.cli.config import load_settings  # noqa: PLC0415 lazy: pydantic

    settings = load_settings({})
    host = current_host()
    port = args.port if args.port is not None else int(settings.attach_address.rsplit(":", 1)[1])
    if not 0 < port < 65536:
        raise ConfigError(f"--port={port} is not a TCP port: use 1 to 65535, such as 9222")
    profile = PurePath(args.profile_dir) if args.profile_dir else default_paths().attach_profile_dir
    explicit = None if settings.chrome_binary is None else str(settings.chrome_binary)
    command, steps = build(host, resolve_browser_binary(explicit, host), profile, port)
    print(command)
    print(steps, file=sys.stderr)
    return ExitCode.OK
