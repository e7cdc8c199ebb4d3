"""Building the alert side of a run: settings -> apprise notifier, JSON state file, Monitor.

Kept apart from compose.py so the composition root only appends `build_monitor(...)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any

from loguru import logger

from watchdog.adapters.notify import AppriseNotifier, first_unusable
from watchdog.adapters.statefile import JsonStateStore
from watchdog.cli.logging import guard_apprise_logging
from watchdog.cli.settings import Settings
from watchdog.core.session import Limits
from watchdog.core.work import WorkRules
from watchdog.daemon.monitor import Monitor
from watchdog.daemon.ports import Clock
from watchdog.errors import ConfigError

# How long a stopping daemon waits for queued alerts: SIGTERM must end the daemon within ~2 s,
# so a hanging endpoint may lose its last alert (it is in the log either way).
CLOSE_TIMEOUT_S = 1.0


def limits_of(settings: Settings) -> Limits:
    return Limits(
        idle_timeout=settings.idle_timeout,
        max_lifetime=settings.max_lifetime,
        warn_before=tuple(settings.warn_before),
    )


def work_rules_of(settings: Settings) -> WorkRules:
    return WorkRules(
        finished_after=settings.finished_after,
        memory_warn=settings.memory_warn,
        keep_alive=settings.keep_alive,
        idle_grace=settings.idle_grace,
    )


def local_tz() -> tzinfo:
    """The machine's zone, for the readable deadline in alert bodies."""
    return datetime.now(UTC).astimezone().tzinfo or UTC


def check_notify_urls(urls: list[str], source: str) -> None:
    """Refuse (ConfigError, exit 2) an alert URL apprise cannot use, naming `source`
    (`--notify` or `WATCHDOG_NOTIFY`), the item's position and its redacted form."""

    bad = first_unusable(urls)
    if bad is not None:
        position, shown = bad
        raise ConfigError(
            f"{source} item {position} ({shown}) is not a URL apprise can send to",
            hint="check its scheme and format at https://github.com/caronc/apprise/wiki",
        )


def build_monitor(
    settings: Settings,
    clock: Clock,
    *,
    started_at: datetime | None = None,
    asset: Any = None,
    watched: Sequence[str] = (),
) -> Monitor:
    """The alert Monitor over the real notifier and state file.

    `started_at` (`--started-at`, or `--elapsed` counted back from now) says when a runtime
    that is already running started.
    """

    urls = settings.notify_urls()
    guard_apprise_logging(urls)
    notifier = AppriseNotifier(urls, asset=asset)
    if urls:
        logger.info("alerts go to the log and to {}", ", ".join(notifier.labels))
    else:
        logger.info("alerts go to the log only (set WATCHDOG_NOTIFY or --notify for a phone)")
    return Monitor(
        store=JsonStateStore(settings.state_file),
        notifier=notifier,
        clock=clock,
        limits=limits_of(settings),
        interval=settings.interval,
        started_at=started_at,
        tz=local_tz(),
        close_notifier=lambda: notifier.close(timeout=CLOSE_TIMEOUT_S),
        watched=watched,
        rules=work_rules_of(settings),
    )
