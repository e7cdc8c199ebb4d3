"""`colab-watchdog login`: sign in to Google once, on the watchdog's own browser profile.

Starts Chrome/Chromium *without* WebDriver (Google refuses sign-in in automated browsers) on
WATCHDOG_PROFILE_DIR, opens Colab's sign-in page and waits until the user closes the browser.
Later `colab-watchdog run` reuses the signed-in profile headless.

Without a display (a server, a container) it exits 2 and explains the alternatives: attach mode
to a browser on your desktop, or a profile directory copied from a machine with one.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from watchdog.core.host import family_of
from watchdog.errors import BrowserUnavailable, ConfigError, ExitCode
from watchdog.paths import current_host

if TYPE_CHECKING:
    import psutil

    from watchdog.cli.settings import Settings
    from watchdog.core.host import Host

LOGIN_URL = "https://accounts.google.com/ServiceLogin?continue=https://colab.research.google.com/"
NO_DISPLAY = (
    "no display available (DISPLAY and WAYLAND_DISPLAY are unset): `login` opens a browser "
    "window. On a server, use attach mode instead: on your desktop start Chrome with "
    "--remote-debugging-port=9222 --user-data-dir=<a dedicated dir> (Chrome 136+ requires "
    "one), sign in there, forward the port (ssh -L 9222:127.0.0.1:9222 ...) and run "
    "`colab-watchdog run --attach 127.0.0.1:9222`; or copy a signed-in profile to "
    "WATCHDOG_PROFILE_DIR"
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "login",
        help="sign in to Google on the watchdog's browser profile (opens a window)",
        description="Open Chrome/Chromium (without automation) on the watchdog's profile "
        "(WATCHDOG_PROFILE_DIR) at Colab's sign-in page; sign in, then close the browser. "
        "`run` then reuses the signed-in profile headless.",
    )
    parser.set_defaults(handler=run)


def has_display(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """True when a browser window can be shown (always on macOS and Windows)."""
    if not platform.startswith("linux"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def browser_command(
    binary: str, profile: Path, *, as_root: bool, platform: str = sys.platform
) -> list[str]:
    """The command line of the sign-in browser: the profile, no automation flags, and on
    Linux the same cookie encryption as `run` (COOKIE_KEY_FLAG explains why)."""
    from watchdog.adapters.browser.config import COOKIE_KEY_FLAG  # noqa: PLC0415 lazy: Selenium

    command = [binary, f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check"]
    if family_of(platform) == "linux":
        command.append(COOKIE_KEY_FLAG)
    if as_root:
        command.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    command.append(LOGIN_URL)
    return command


def _children(process: object) -> list[psutil.Process]:
    """The browser's child processes, captured before it is ended (empty without a pid)."""
    import psutil  # noqa: PLC0415 lazy: psutil

    pid = getattr(process, "pid", None)
    if not isinstance(pid, int):
        return []
    try:
        return list(psutil.Process(pid).children(recursive=True))
    except psutil.Error:
        return []


def run(args: argparse.Namespace) -> int:
    from watchdog.cli.config import load_settings  # noqa: PLC0415 lazy: pydantic
    from watchdog.cli.logging import configure_logging, shutdown_logging  # noqa: PLC0415 lazy: loguru

    settings = load_settings({})
    configure_logging(settings.log_level, settings.log_file, settings.log_json, settings.secrets())
    try:
        return _login(settings)
    finally:
        shutdown_logging()


def _login(settings: Settings) -> int:
    from watchdog.adapters.browser.driver import INSTALL_HINTS, resolve_browser_binary  # noqa: PLC0415 lazy: Selenium
    from watchdog.adapters.browser.profile import ensure_profile_dir, hold_profile_lock  # noqa: PLC0415 lazy: Selenium

    host = current_host()
    if not has_display(host.env, host.platform):
        raise ConfigError(NO_DISPLAY)
    explicit = None if settings.chrome_binary is None else str(settings.chrome_binary)
    binary = resolve_browser_binary(explicit, host)
    if binary is None:
        raise BrowserUnavailable(
            "no Chrome, Chromium, Edge or Brave found", hint=INSTALL_HINTS[host.family]
        )
    profile = ensure_profile_dir(settings.profile_dir)
    held = hold_profile_lock(profile)  # not while a daemon uses it; held until login ends
    try:
        return _sign_in(binary, profile, host)
    finally:
        held.release()


def _sign_in(binary: str, profile: Path, host: Host) -> int:
    from watchdog.adapters.browser.profile import clean_stale_locks  # noqa: PLC0415 lazy: Selenium

    clean_stale_locks(profile)
    command = browser_command(binary, profile, as_root=hasattr(os, "geteuid") and os.geteuid() == 0)
    print(f"Opening {Path(binary).name} on the profile {profile}.")
    close = "quit the browser (Cmd+Q)" if host.family == "macos" else "close the browser window"
    print(f"Sign in to Google there, open Colab once, then {close}.")
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise BrowserUnavailable(f"cannot start {binary}: {exc.strerror}") from exc
    try:
        code = process.wait()
    except KeyboardInterrupt:
        helpers = _children(process)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # it ignored SIGTERM
            process.kill()
            process.wait()
        if helpers:  # renderers and GPU process of the browser, ended through psutil
            from watchdog.adapters.browser.processes import kill_trees  # noqa: PLC0415 lazy: Selenium

            kill_trees(helpers, grace=3)
        return ExitCode.INTERRUPTED
    if code != 0:
        print(f"The browser exited with status {code}.", file=sys.stderr)
        return ExitCode.FAILURE
    print("Done. `colab-watchdog run URL` now uses this signed-in profile (headless).")
    return ExitCode.OK
