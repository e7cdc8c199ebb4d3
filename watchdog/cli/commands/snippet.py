"""`colab-watchdog snippet`: print the keep-alive engine wrapped for the DevTools console.

    colab-watchdog snippet [--interval 60s] [--reconnect] [--format console|bookmarklet]
                           [--copy] [--output FILE] [--max-lifetime 12h]
                           [--warn-before 60m,30m,10m,5m] [--python]

Defaults come from the settings (WATCHDOG_INTERVAL, WATCHDOG_RECONNECT, WATCHDOG_MAX_LIFETIME,
WATCHDOG_WARN_BEFORE, WATCHDOG_SELECTORS). `--max-lifetime none` turns the in-page lifetime
warnings off.
`--python` prints a self-contained Python cell instead (the deadline logic of
watchdog/notebook.py, no install needed); only --max-lifetime and --warn-before apply to it.
"""

from __future__ import annotations

import argparse
import base64
import sys
from pathlib import Path

from watchdog import jsassets
from watchdog.core.notebook_cell import render_python_cell
from watchdog.core.snippet import SnippetOptions, render_bookmarklet, render_console
from watchdog.errors import ConfigError

FORMATS = ("console", "bookmarklet")
_OFF = ("none", "off")
_COPY_HINT = (
    "no clipboard available: install xclip or xsel (X11) or wl-clipboard (Wayland), "
    "or copy the text printed above"
)


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
    from watchdog.cli.config import load_settings

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
    )


def render(args: argparse.Namespace, options: SnippetOptions) -> str:
    if getattr(args, "python", False):
        return _render_python(args, options)
    engine, wrapper = jsassets.load("engine.js"), jsassets.load("snippet.js")
    if args.format == "bookmarklet":
        return render_bookmarklet(engine, wrapper, options)
    return render_console(engine, wrapper, options)


def run(args: argparse.Namespace) -> int:
    text = render(args, options_from_args(args))
    if args.output is not None:
        _write(args.output, text)
    print(text.rstrip("\n"))
    if args.copy:
        _copy(text)
    return 0


def _render_python(args: argparse.Namespace, options: SnippetOptions) -> str:
    if args.format != "console":
        raise ConfigError(f"--format={args.format}: --python prints a Python cell; drop --format")
    if options.max_lifetime_s is None:
        raise ConfigError(
            f"--max-lifetime={args.max_lifetime}: the Python cell needs a lifetime, e.g. 12h or 24h"
        )
    return render_python_cell(options.max_lifetime_s, options.warn_before_s)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"--output={str(path)!r}: cannot write: {exc.strerror}") from None


def _copy(text: str) -> None:
    """Best effort: pyperclip, else a hint on stderr and (on a terminal) an OSC 52 escape."""
    import pyperclip

    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException:
        print(f"colab-watchdog: {_COPY_HINT}", file=sys.stderr)
        if sys.stdout.isatty():
            payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
            sys.stdout.write(f"\x1b]52;c;{payload}\x07")
            sys.stdout.flush()
            print("colab-watchdog: sent an OSC 52 copy request to the terminal", file=sys.stderr)
    else:
        print("colab-watchdog: copied to the clipboard", file=sys.stderr)
