"""`colab-watchdog run [URL ...]`: keep notebooks alive until SIGTERM/Ctrl+C.

    colab-watchdog run https://colab.research.google.com/drive/ID [URL ...]
        [--interval 60s] [--reconnect/--no-reconnect] [--attach 127.0.0.1:9222 |
         --remote http://grid:4444] [--headful] [--state-file PATH] [--notify URL ...]
        [--notify-file FILE]
        [--started-at ISO | --elapsed 3h20m] [--allow-remote-attach] [--once]

With no URL and no WATCHDOG_NOTEBOOKS it exits 2 naming WATCHDOG_NOTEBOOKS (under systemd or
Docker a missing setting must not look like success); in attach mode it watches every Colab
tab of the attached browser instead. `./scripts/run` starts the demo when nothing is configured.

`--once` ticks every notebook once and prints a JSON array, one object per notebook:
    {"url": str, "title": str|null, "state": engine state|"signed-out"|"unreachable",
     "status": {engine status, see js/engine.js}|null, "error": str|null}
and exits 0 when every notebook was reachable and its state known (not "unknown"), else 1.
It is the selector self-test to run after Colab changes its page.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from watchdog.cli.signals import from_keyboard, stop_on_signals
from watchdog.core.durations import parse_duration
from watchdog.core.model import TickResult
from watchdog.core.redact import fragments_of, redact
from watchdog.core.urls import github_to_colab, is_colab_host, is_github_host
from watchdog.errors import BrowserLost, BrowserUnavailable, ConfigError, ExitCode

NO_NOTEBOOK = (
    "no notebook to watch: give URL arguments or set WATCHDOG_NOTEBOOKS (or use --attach "
    "to adopt the Colab tabs of your browser; `colab-watchdog demo` shows it working)"
)

if TYPE_CHECKING:
    from watchdog.cli.settings import Settings
    from watchdog.daemon.loop import Daemon

FLAG_NAMES = {
    "notebooks": "URL",
    "attach_address": "--attach",
    "remote_url": "--remote",
    "headless": "--headful",
    "notify": "--notify",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="keep notebooks alive in a browser, warn before they end",
        description="Open every notebook in a browser (launched headless, attached, or on a "
        "Selenium Grid) and run the keep-alive engine in each tab every interval. "
        "Stops cleanly on SIGTERM or Ctrl+C.",
    )
    parser.add_argument(
        "urls", nargs="*", metavar="URL", help="notebook URLs (default: WATCHDOG_NOTEBOOKS)"
    )
    parser.add_argument("--interval", help="time between ticks, e.g. 60s (WATCHDOG_INTERVAL)")
    parser.add_argument(
        "--reconnect",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="click Connect/Reconnect when the runtime is disconnected (WATCHDOG_RECONNECT)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--attach",
        metavar="ADDR",
        help="attach to a running Chrome started with --remote-debugging-port "
        "(e.g. 127.0.0.1:9222); its tabs and the browser are never closed",
    )
    mode.add_argument(
        "--remote",
        metavar="URL",
        help="use a Selenium Grid / W3C WebDriver endpoint (a password in it shows in `ps`: "
        "prefer WATCHDOG_REMOTE_URL in the environment or .env)",
    )
    parser.add_argument("--headful", action="store_true", help="show the launched browser's window")
    parser.add_argument("--state-file", metavar="PATH", help="WATCHDOG_STATE_FILE")
    parser.add_argument(
        "--notify",
        metavar="URL",
        action="append",
        help="an apprise alert URL (repeatable; WATCHDOG_NOTIFY). Other users see it in `ps`: "
        "prefer WATCHDOG_NOTIFY in the environment or .env, or --notify-file",
    )
    parser.add_argument(
        "--notify-file",
        metavar="FILE",
        help="apprise alert URLs, one a line (# starts a comment); the file must not be "
        "readable by group or others (chmod 600 FILE)",
    )
    started = parser.add_mutually_exclusive_group()
    started.add_argument(
        "--started-at",
        metavar="ISO",
        help="when the runtime started, if before the daemon (e.g. 2026-01-01T09:00+01:00)",
    )
    started.add_argument(
        "--elapsed", metavar="DURATION", help="how long the runtime has already run, e.g. 3h20m"
    )
    parser.add_argument(
        "--allow-remote-attach",
        action="store_true",
        default=None,
        help="allow --attach to a non-loopback address (full control of that browser!)",
    )
    parser.add_argument(
        "--once",
        action="store_true",
        help="tick every notebook once, print the statuses as JSON, exit 0 if all are known",
    )
    parser.set_defaults(handler=run)


def overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The settings the flags set (None = not given)."""
    notify = list(args.notify or [])
    if args.notify_file:
        notify += read_notify_file(args.notify_file)
    values: dict[str, Any] = {
        "notebooks": args.urls or None,
        "interval": args.interval,
        "reconnect": args.reconnect,
        "state_file": args.state_file,
        "notify": notify or None,
        "allow_remote_attach": args.allow_remote_attach,
        "headless": False if args.headful else None,
    }
    if args.attach:
        values.update(browser="attach", attach_address=args.attach)
    if args.remote:
        values.update(browser="remote", remote_url=args.remote)
    return values


def read_notify_file(name: str) -> list[str]:
    """The apprise URLs of `--notify-file`: one a line, blank lines and `#` comments skipped.

    ConfigError (exit 2, one line, never a URL) when the file cannot be read, holds no URL,
    or is readable by group or others (it holds secrets).
    """
    flag = f"--notify-file {name}"
    try:
        with open(name, encoding="utf-8") as handle:  # noqa: PTH123 (fstat of this very file)
            mode = os.fstat(handle.fileno()).st_mode
            if os.name != "nt" and mode & 0o077:
                raise ConfigError(
                    f"{flag} is readable by group or others (mode {mode & 0o777:03o}): "
                    f"it holds secrets; run chmod 600 {name}"
                )
            text = handle.read(1024 * 1024)
    except OSError as exc:
        raise ConfigError(
            f"{flag}: cannot read it ({exc.strerror}): give a file with one apprise URL a line"
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(f"{flag} is not UTF-8 text: one apprise URL a line") from None
    urls = [line.strip() for line in text.splitlines()]
    urls = [u for u in urls if u and not u.startswith("#")]
    if not urls:
        raise ConfigError(f"{flag} holds no URL: one apprise URL a line")
    return urls


def parse_started_at(text: str | None, now: datetime) -> datetime | None:
    """--started-at as aware UTC; a time without an offset is taken as local time.

    Raises ConfigError for text that is not a timestamp, and for a time after `now` (a
    runtime cannot have started in the future).
    """
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.astimezone()  # local time, as the user read it off a clock
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ConfigError(
            f"--started-at={text!r} is not a timestamp: use ISO 8601 such as "
            "2026-01-01T09:00 or 2026-01-01T09:00+01:00"
        ) from None
    if parsed > now + timedelta(minutes=1):  # a minute for clocks read by eye
        raise ConfigError(
            f"--started-at={text!r} is in the future (now is "
            f"{now.astimezone().isoformat(timespec='minutes')}): give when the runtime "
            "started, or --elapsed 3h20m"
        )
    return parsed


def refuse_github_pages(urls: list[str]) -> None:
    """A GitHub (or gist) link is a page about the notebook, not the notebook in Colab:
    ConfigError suggesting `colab-watchdog url`, with the Colab link when there is one."""
    for url in urls:
        if not is_github_host(url):
            continue
        try:
            hint = f"its Colab link is {github_to_colab(url)}"
        except ValueError:
            hint = "`colab-watchdog url` turns a GitHub notebook link into its Colab link"
        raise ConfigError(
            f"{url} is a GitHub page, not a notebook open in Colab: run "
            f"`colab-watchdog url {url}` and watch the link it prints",
            hint=hint,
        )


def parse_elapsed(text: str | None, now: datetime) -> datetime | None:
    """--elapsed as the runtime's start: `now` minus the duration (None without the flag)."""
    if text is None:
        return None
    try:
        return now - timedelta(seconds=parse_duration(text))
    except ValueError as exc:
        raise ConfigError(f"--elapsed: {exc}") from None
    except OverflowError:
        raise ConfigError(
            f"--elapsed={text!r} is too long: give how long the runtime has run, such as 3h20m"
        ) from None


def run(args: argparse.Namespace) -> int:
    from loguru import logger  # noqa: PLC0415 lazy: loguru

    from watchdog.cli.alerting import check_notify_urls  # noqa: PLC0415 lazy: apprise
    from watchdog.cli.compose import RunContext, build_daemon, hold_run_locks  # noqa: PLC0415 lazy: Selenium
    from watchdog.cli.config import load_settings  # noqa: PLC0415 lazy: pydantic
    from watchdog.cli.logging import configure_logging, shutdown_logging  # noqa: PLC0415 lazy: loguru

    now = datetime.now(UTC)
    started_at = parse_started_at(args.started_at, now) or parse_elapsed(args.elapsed, now)
    context = RunContext(env=dict(os.environ), started_at=started_at, once=args.once)
    settings = load_settings(overrides(args), flag_names=FLAG_NAMES)
    check_notify_urls(
        settings.notify_urls(),
        "--notify-file" if args.notify_file else "--notify" if args.notify else "WATCHDOG_NOTIFY",
    )
    configure_logging(settings.log_level, settings.log_file, settings.log_json, settings.secrets())
    try:
        urls = list(settings.notebooks)
        if not urls and settings.browser == "attach":
            urls = _attached_colab_tabs(settings.attach_address, settings.allow_remote_attach)
        if not urls:
            raise ConfigError(NO_NOTEBOOK)
        refuse_github_pages(urls)
        others = [url for url in urls if not is_colab_host(url)]
        if others:
            logger.warning(
                "not a colab.research.google.com notebook (fine for the simulated Colab): {}",
                ", ".join(others),
            )
        stop = threading.Event()
        with ExitStack() as locks:
            hold_run_locks(settings, urls, context, locks)
            daemon = build_daemon(settings, urls, stop_event=stop, context=context)
            if args.once:
                return _print_once(daemon.run_once(), settings.secrets())
            return _run_daemon(daemon, stop, settings, urls)
    finally:
        shutdown_logging()


def _run_daemon(daemon: Daemon, stop: threading.Event, settings: Settings, urls: list[str]) -> int:
    from loguru import logger  # noqa: PLC0415 lazy: loguru

    done = threading.Event()
    guard = threading.Thread(
        target=_end_hung_calls, args=(stop, done), name="stop-guard", daemon=True
    )
    guard.start()
    try:
        with stop_on_signals(stop) as received:
            logger.info(
                "watching {} notebook(s) every {}s in {} mode",
                len(urls),
                settings.interval,
                settings.browser,
            )
            daemon.run()
    finally:
        done.set()
    logger.info("stopped")
    return ExitCode.INTERRUPTED if from_keyboard(received) else ExitCode.OK


# After a stop signal, how long the daemon may take to end by itself before the browser
# and driver processes it started are killed (a call into a hung browser never returns).
STOP_GRACE_S = 0.75


def _end_hung_calls(stop: threading.Event, done: threading.Event) -> None:
    """Wait for the stop signal; when the daemon is still busy STOP_GRACE_S later (a browser
    call that hangs, a page load at start-up), end its own browser and driver, so that the
    call fails at once and the daemon exits."""
    from loguru import logger  # noqa: PLC0415 lazy: loguru

    from watchdog.adapters.browser.processes import end_own_browsers  # noqa: PLC0415 lazy: Selenium

    while not stop.wait(0.5):
        if done.is_set():
            return
    if done.wait(STOP_GRACE_S):
        return
    logger.warning(
        "still busy {:g}s after the stop signal: ending this daemon's own browser and "
        "driver processes",
        STOP_GRACE_S,
    )
    # Again while it stays busy: a recovery under way may have started another browser.
    while True:
        end_own_browsers()
        if done.wait(0.25):
            return


def _attached_colab_tabs(address: str, allow_remote: bool) -> list[str]:
    from watchdog.adapters.browser.attach import colab_tabs  # noqa: PLC0415 lazy: Selenium

    try:
        urls = colab_tabs(address, allow_remote=allow_remote)
    except BrowserLost as exc:
        raise BrowserUnavailable(exc.message, hint=exc.hint) from exc
    if not urls:
        raise ConfigError(
            f"no colab.research.google.com tab is open in the browser at {address}: open "
            "your notebooks there, or give their URLs"
        )
    return urls


def once_json(result: TickResult) -> dict[str, Any]:
    """One notebook's `--once` object: url, title, state, status (engine JSON or null), error."""
    error = result.failure
    status = result.status
    if error is None and status is not None:
        error = status.error
    state: str = "unreachable" if status is None else status.state
    if result.signed_out or (status is not None and status.signed_out):
        state = "signed-out"
    return {
        "url": result.url,
        "title": result.title,
        "state": state,
        "status": None if result.status is None else result.status.to_json(),
        "error": error,
    }


def _print_once(results: list[TickResult], secrets: list[str]) -> int:

    fragments = fragments_of(secrets)
    objects = [once_json(r) for r in results]
    for obj in objects:  # an error may quote the --remote URL with its password
        if obj["error"]:
            obj["error"] = redact(obj["error"], fragments)
    print(json.dumps(objects, indent=2, ensure_ascii=False))
    known = all(obj["state"] not in ("unknown", "unreachable", "signed-out") for obj in objects)
    return ExitCode.OK if results and known else ExitCode.FAILURE
