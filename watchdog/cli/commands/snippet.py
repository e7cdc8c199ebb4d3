"""`colab-watchdog snippet`: print the keep-alive engine wrapped for the DevTools console.

    colab-watchdog snippet [--interval 60s] [--reconnect] [--format console|bookmarklet]
                           [--copy] [--output FILE] [--max-lifetime 12h]
                           [--warn-before 60m,30m,10m,5m] [--python]

Defaults come from the settings (WATCHDOG_INTERVAL, WATCHDOG_RECONNECT, WATCHDOG_MAX_LIFETIME,
WATCHDOG_WARN_BEFORE, WATCHDOG_SELECTORS). `--max-lifetime none` turns the in-page lifetime
warnings off.
`--python` prints a self-contained Python cell instead (watchdog/notebook.py itself, set up
for these limits; no install needed); only --max-lifetime and --warn-before apply to it.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from watchdog import jsassets
from watchdog.core.snippet import SnippetOptions, render_bookmarklet, render_console
from watchdog.errors import ConfigError, ExitCode

FORMATS = ("console", "bookmarklet")
_OFF = ("none", "off")
_NO_TOOL = "no clipboard tool: install xclip or xsel (X11) or wl-clipboard (Wayland)"
_COPY_FIX = "copy the text printed above"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "snippet",
        help="print the engine as a DevTools console snippet or bookmarklet",
        description="Print the keep-alive engine wrapped for pasting into the DevTools console "
        "of a Colab tab (or as a bookmarklet). Pasting it again replaces the running copy; "
        "stop it with colabWatchdog.stop().",
    )
    parser.add_argument("--interval", help="time between ticks (default: WATCHDOG_INTERVAL, 60s)")
    parser.add_argument(
        "--reconnect",
        action="store_true",
        default=None,
        help="click Connect/Reconnect when the runtime is disconnected",
    )
    parser.add_argument("--format", choices=FORMATS, default="console", help="default: console")
    parser.add_argument("--copy", action="store_true", help="also copy it to the clipboard")
    parser.add_argument("--output", metavar="FILE", type=Path, help="also write it to FILE")
    parser.add_argument(
        "--max-lifetime",
        help="runtime lifetime for in-page warnings, or 'none' (default: WATCHDOG_MAX_LIFETIME)",
    )
    parser.add_argument(
        "--warn-before",
        help="warn this long before the lifetime ends, e.g. 60m,30m,10m,5m "
        "(default: WATCHDOG_WARN_BEFORE)",
    )
    parser.add_argument(
        "--python",
        action="store_true",
        help="print a self-contained Python cell (session deadline, countdown, warnings) "
        "to run inside the notebook instead of the JS snippet",
    )
    parser.set_defaults(handler=run)


def options_from_args(args: argparse.Namespace) -> SnippetOptions:
    """Merge flags over the settings; raises ConfigError naming the bad flag or variable."""
    from watchdog.cli.config import load_settings  # noqa: PLC0415 lazy: pydantic

    lifetime_off = isinstance(args.max_lifetime, str) and args.max_lifetime.lower() in _OFF
    overrides = {
        "interval": args.interval,
        "reconnect": args.reconnect,
        "max_lifetime": None if lifetime_off else args.max_lifetime,
        "warn_before": args.warn_before,
    }
    settings = load_settings(overrides)
    return SnippetOptions(
        interval_s=settings.interval,
        reconnect=settings.reconnect,
        max_lifetime_s=None if lifetime_off else settings.max_lifetime,
        warn_before_s=() if lifetime_off else settings.warn_before,
        selectors=settings.selector_map(),
        finished_after_s=settings.finished_after,
    )


def render(args: argparse.Namespace, options: SnippetOptions) -> str:
    if getattr(args, "python", False):
        return _render_python(args, options)
    engine, wrapper = jsassets.load("engine.js"), jsassets.load("snippet.js")
    if args.format == "bookmarklet":
        return render_bookmarklet(engine, wrapper, options)
    return render_console(engine, wrapper, options)


def run(args: argparse.Namespace) -> int:
    """Print the snippet; 0, or 1 when `--copy` could not put it on the clipboard."""
    text = render(args, options_from_args(args))
    if args.output is not None:
        written = _write(args.output, text)
        print(f"colab-watchdog: wrote {args.output} ({written} bytes)", file=sys.stderr)
    print(text.rstrip("\n"))
    if args.copy and not _copy(text):
        return ExitCode.FAILURE
    return ExitCode.OK


def _render_python(args: argparse.Namespace, options: SnippetOptions) -> str:
    if args.format != "console":
        raise ConfigError(f"--format={args.format}: --python prints a Python cell; drop --format")
    if options.max_lifetime_s is None:
        raise ConfigError(
            f"--max-lifetime={args.max_lifetime}: the Python cell needs a lifetime, e.g. 12h or 24h"
        )
    return jsassets.python_cell(options.max_lifetime_s, options.warn_before_s)


def _write(path: Path, text: str) -> int:
    """Write `text` (ending in a newline) to `path`; returns the number of bytes written."""
    data = (text if text.endswith("\n") else text + "\n").encode("utf-8")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ConfigError(f"--output={str(path)!r}: cannot write: {exc.strerror}") from None
    return len(data)


def _copy(text: str, env: Mapping[str, str] | None = None) -> bool:
    """Copy `text` and read it back; True only when the clipboard then holds it.

    A clipboard tool can exit 0 and copy nothing (xclip without a usable display), so the
    read-back is the proof. On failure: one stderr line saying it was NOT copied and why,
    and (on a terminal) an OSC 52 copy request, which some terminals honour.
    """
    import pyperclip  # noqa: PLC0415 lazy: pyperclip

    env = os.environ if env is None else env
    display = env.get("WAYLAND_DISPLAY") or env.get("DISPLAY")
    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException:
        copied, why = False, _NO_TOOL
    else:
        try:
            copied = pyperclip.paste() == text
        except pyperclip.PyperclipException:
            copied = False
        why = f"the clipboard did not hold it afterwards (is the display {display} usable?)"
    if not display and sys.platform.startswith("linux"):
        why = "no display for a clipboard (DISPLAY and WAYLAND_DISPLAY are unset)"
    if copied:
        print("colab-watchdog: copied to the clipboard", file=sys.stderr)
        return True
    print(f"colab-watchdog: NOT copied to the clipboard: {why}; {_COPY_FIX}", file=sys.stderr)
    if sys.stdout.isatty():
        payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
        sys.stdout.write(f"\x1b]52;c;{payload}\x07")
        sys.stdout.flush()
        print("colab-watchdog: sent an OSC 52 copy request to the terminal", file=sys.stderr)
    return False
