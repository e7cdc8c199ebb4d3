"""`colab-watchdog test-alert [--notify URL ...]`: send a sample alert through every channel.

Reports one line per channel (its redacted URL, `ok` or `failed` and why) and exits 0 when
all delivered, 1 when any failed, 2 when no channel is configured.
"""

from __future__ import annotations

import argparse
import socket
from datetime import UTC, datetime, timedelta, tzinfo

from watchdog.core.alert_text import render
from watchdog.core.alerts import AlertEvent
from watchdog.errors import ConfigError, ExitCode

NO_CHANNEL_HINT = (
    "for a phone: install the ntfy app, subscribe to a topic, then set "
    "WATCHDOG_NOTIFY=ntfys://ntfy.sh/<topic> or pass --notify URL"
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "test-alert",
        help="send a sample alert through every configured channel",
        description="Send a sample alert through every alert URL (WATCHDOG_NOTIFY, or the "
        "--notify flags) and report each channel's result. Secrets are never printed.",
    )
    parser.add_argument(
        "--notify",
        metavar="URL",
        action="append",
        help="an apprise alert URL (repeatable; default: WATCHDOG_NOTIFY)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from watchdog.adapters.notify import AppriseNotifier  # noqa: PLC0415 lazy: apprise
    from watchdog.cli.alerting import local_tz  # noqa: PLC0415 lazy: apprise
    from watchdog.cli.config import load_settings  # noqa: PLC0415 lazy: pydantic
    from watchdog.cli.logging import configure_logging, guard_apprise_logging, shutdown_logging  # noqa: PLC0415 lazy: loguru

    settings = load_settings({"notify": args.notify}, flag_names={"notify": "--notify"})
    urls = settings.notify_urls()
    if not urls:
        raise ConfigError("no alert channel configured (WATCHDOG_NOTIFY)", hint=NO_CHANNEL_HINT)
    # apprise logs its own failures: keep them off the report, and redacted if shown
    configure_logging("ERROR", None, False, urls)
    guard_apprise_logging(urls)
    try:
        notifier = AppriseNotifier(urls)
        title, body = sample_alert(local_tz())
        results = notifier.send_now(title, body)
        notifier.close(timeout=1)
    finally:
        shutdown_logging()
    for result in results:
        if result.ok:
            print(f"ok      {result.channel}")
        else:
            kind = "permanent" if result.permanent else "after retries"
            print(f"failed  {result.channel}: {result.reason} ({kind})")
    failed = sum(not r.ok for r in results)
    print(f"{len(results) - failed} of {len(results)} channel(s) delivered the test alert")
    return ExitCode.FAILURE if failed else ExitCode.OK


def sample_alert(tz: tzinfo | None = None) -> tuple[str, str]:
    """A test title and a body showing what a real lifetime warning looks like."""

    now = datetime.now(UTC)
    event = AlertEvent(
        kind="lifetime-warning",
        key="test",
        url="https://colab.research.google.com/drive/EXAMPLE",
        title="Example notebook",
        at=now,
        remaining_s=1800.0,
        deadline=now + timedelta(seconds=1800),
        deadline_source="max_lifetime",
        margin_s=1800.0,
    )
    _, body = render(event, tz or UTC)
    host = socket.gethostname()
    return (
        "Colab watchdog: test alert",
        f"This is a test alert from colab-watchdog on {host}; a real lifetime warning "
        f"looks like this:\n\n{body}",
    )
