"""`colab-watchdog extension`: write the engine as an unpacked Manifest V3 browser extension.

    colab-watchdog extension --output DIR [--zip FILE] [--interval 60s] [--reconnect]

The extension's defaults come from the settings (WATCHDOG_INTERVAL, WATCHDOG_RECONNECT,
WATCHDOG_MAX_LIFETIME, WATCHDOG_WARN_BEFORE, WATCHDOG_IDLE_TIMEOUT, WATCHDOG_SELECTORS), the
flags override them, and its options page changes them later. DIR is created; an existing DIR
must be empty or hold an earlier build (its files are replaced). `--zip` also writes the same
files as a zip archive (the layout the Chrome Web Store takes).
"""

from __future__ import annotations

import argparse
import json
import zipfile
from pathlib import Path

from watchdog import __version__, jsassets
from watchdog.core.extension import (
    EXTENSION_SOURCES,
    NAME,
    ExtensionOptions,
    build_extension,
)
from watchdog.errors import ConfigError, ExitCode


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "extension",
        help="write the engine as a browser extension (every Colab tab, countdown badge)",
        description="Write an unpacked Manifest V3 extension for Chrome/Chromium: it keeps "
        "every open Colab tab alive with page events, survives reloads, shows the time left "
        "before the nearest runtime end on its badge and raises notifications. Load it from "
        "chrome://extensions (Developer mode, Load unpacked).",
    )
    parser.add_argument(
        "--output", metavar="DIR", type=Path, required=True, help="folder to write it to"
    )
    parser.add_argument("--zip", metavar="FILE", type=Path, help="also write it as a zip file")
    parser.add_argument("--interval", help="default time between ticks (WATCHDOG_INTERVAL, 60s)")
    parser.add_argument(
        "--reconnect",
        action="store_true",
        default=None,
        help="by default, click Connect/Reconnect when the runtime is disconnected",
    )
    parser.set_defaults(handler=run)


def options_from_args(args: argparse.Namespace) -> ExtensionOptions:
    """Merge flags over the settings; raises ConfigError naming the bad flag or variable."""
    from watchdog.cli.config import load_settings  # noqa: PLC0415 lazy: pydantic

    settings = load_settings({"interval": args.interval, "reconnect": args.reconnect})
    return ExtensionOptions(
        interval_s=settings.interval,
        reconnect=settings.reconnect,
        max_lifetime_s=settings.max_lifetime,
        warn_before_s=settings.warn_before,
        idle_timeout_s=settings.idle_timeout,
        finished_after_s=settings.finished_after,
        selectors=settings.selector_map(),
    )


def run(args: argparse.Namespace) -> int:
    options = options_from_args(args)
    sources = {name: jsassets.load(f"extension/{name}") for name in EXTENSION_SOURCES}
    files = build_extension(jsassets.load("engine.js"), sources, options, __version__)
    folder: Path = args.output
    _check_folder(folder)
    _write_folder(folder, files)
    print(f"wrote the {NAME} extension ({len(files)} files) to {folder}")
    if args.zip is not None:
        _write_zip(args.zip, files)
        print(f"wrote {args.zip}")
    print(f"load it: chrome://extensions > Developer mode > Load unpacked > {folder}")
    return ExitCode.OK


def _check_folder(folder: Path) -> None:
    """Refuse a file, or a non-empty folder that is not an earlier build."""
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"--output={str(folder)!r} is a file: give a folder path")
    if not folder.is_dir() or not any(folder.iterdir()):
        return
    try:
        earlier = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        earlier = None
    if not isinstance(earlier, dict) or earlier.get("name") != NAME:
        raise ConfigError(
            f"--output={str(folder)!r} is a folder that holds other files: give a new or "
            "empty folder, or one holding an earlier build of this extension"
        )


def _write_folder(folder: Path, files: dict[str, bytes]) -> None:
    try:
        for name, data in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    except OSError as exc:
        raise ConfigError(f"--output={str(folder)!r}: cannot write: {exc.strerror}") from None


def _write_zip(target: Path, files: dict[str, bytes]) -> None:
    if target.is_dir():
        raise ConfigError(f"--zip={str(target)!r} is a folder: give a file path such as ext.zip")
    try:
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)
    except OSError as exc:
        raise ConfigError(f"--zip={str(target)!r}: cannot write: {exc.strerror}") from None
