"""The command that starts a Chromium-family browser for attach mode, written for the
shell of each OS: zsh/bash on macOS (through `open -na`, so a second Chrome starts beside
the one already open), PowerShell on Windows, sh on Linux.

The browser gets a debugging port and a dedicated profile directory: Chrome 136+ ignores
the debugging port on the user's default profile, and a port on the everyday profile would
hand its cookies to anything that can reach the port.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from watchdog.core.host import Host

COLAB = "https://colab.research.google.com/"
_SAFE = re.compile(r"[A-Za-z0-9@%+=:,./_-]+")
# PowerShell: a comma makes an array, a leading @ splats, and a bare `-x.y=z` is split
# (the well-known `-Dfoo.bar` problem): only plain flags and plain words stay bare.
_PS_BARE = re.compile(r"--?[A-Za-z0-9][A-Za-z0-9-]*|[A-Za-z0-9%+:./_][A-Za-z0-9%+=:./_-]*")
_MAC_BUNDLE = re.compile(r"^(?P<app>.+/(?P<name>[^/]+)\.app)/Contents/MacOS/[^/]+$")
_MAC_APP_ROOTS = ("/Applications",)


def posix_quote(arg: str) -> str:
    """`arg` as one word for sh/bash/zsh: bare when safe, else in double quotes, else in
    single quotes (when it holds characters double quotes would expand)."""
    if _SAFE.fullmatch(arg):
        return arg
    if not any(c in arg for c in '"$`\\!'):
        return f'"{arg}"'
    return "'" + arg.replace("'", "'\"'\"'") + "'"


def powershell_quote(arg: str) -> str:
    """`arg` as one PowerShell argument: bare when safe, else a single-quoted literal
    (nothing expands inside; a single quote is doubled)."""
    if _PS_BARE.fullmatch(arg):
        return arg
    return "'" + arg.replace("'", "''") + "'"


def browser_arguments(profile: PurePath, port: int) -> list[str]:
    return [
        f"--remote-debugging-port={port}",
        f"--user-data-dir={profile}",
        "--no-first-run",
        "--no-default-browser-check",
        COLAB,
    ]


def attach_command(host: Host, browser: str, profile: PurePath, port: int) -> str:
    """The one-line command for `host`'s usual shell that starts `browser` (a path) on
    `profile` with the debugging port `port`, at Colab's start page."""
    args = browser_arguments(profile, port)
    if host.family == "windows":
        return " ".join(["&", powershell_quote(browser), *map(powershell_quote, args)])
    if host.family == "macos":
        bundle = _MAC_BUNDLE.match(browser)
        if bundle:
            app = bundle.group("app")
            home_apps = f"{host.home.rstrip('/')}/Applications"
            standard = app.rpartition("/")[0] in (*_MAC_APP_ROOTS, home_apps)
            target = bundle.group("name") if standard else app
            quoted = [posix_quote(a) for a in args]
            return " ".join(["open", "-na", posix_quote(target), "--args", *quoted])
    return " ".join(posix_quote(a) for a in [browser, *args])


def next_steps(port: int) -> str:
    """What to do after starting the browser (printed after the command)."""
    return (
        "In that window sign in to Google and open your notebooks, then run:\n"
        f"  colab-watchdog run --attach 127.0.0.1:{port}"
    )
