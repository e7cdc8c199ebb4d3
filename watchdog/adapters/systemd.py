"""systemd service notifications (sd_notify), standard library only.

Under a `Type=notify` unit systemd passes a datagram socket in `$NOTIFY_SOCKET`; the service
sends newline-separated `KEY=VALUE` fields to it:

    READY=1      once, when the browser is up and every notebook is open
    WATCHDOG=1   after every full sweep over the notebooks; with `WatchdogSec=` set, systemd
                 restarts the service when these stop coming, so a hung loop gets restarted
    STATUS=...   one line shown by `systemctl status`
    STOPPING=1   when the loop stops

The composition root (watchdog/cli) reads `NOTIFY_SOCKET` and adds a `SystemdNotifier` to the
daemon's listeners only when it is set; this module never reads the environment.
"""

from __future__ import annotations

import socket
import threading
from datetime import datetime
from typing import Any

from loguru import logger

from watchdog.core.model import TickResult
from watchdog.errors import ConfigError


def socket_address(notify_socket: str) -> str:
    """The `AF_UNIX` address for a `$NOTIFY_SOCKET` value.

    A path is used as is; a leading `@` names a socket in the abstract namespace (a NUL byte).
    Raises ConfigError for anything else (for example systemd's `vsock:` form).
    """
    if notify_socket.startswith("@") and len(notify_socket) > 1:
        return "\0" + notify_socket[1:]
    if notify_socket.startswith("/"):
        return notify_socket
    raise ConfigError(
        f"NOTIFY_SOCKET={notify_socket!r} is not supported; accepted: an absolute path of a "
        "unix datagram socket or @name for the abstract namespace"
    )


def check_interval(interval: float, watchdog_usec: str | None) -> None:
    """Refuse an interval that systemd's watchdog would punish.

    `watchdog_usec` is `$WATCHDOG_USEC` (set by systemd from `WatchdogSec=`; None without it).
    WATCHDOG=1 comes once per sweep, so a sweep must fit in the watchdog timeout with room for
    the ticks themselves: the interval must be under half of it. Raises ConfigError otherwise.
    """
    if not watchdog_usec:
        return
    try:
        timeout = int(watchdog_usec) / 1_000_000
    except ValueError:
        raise ConfigError(
            f"WATCHDOG_USEC={watchdog_usec!r} is not a number of microseconds (set by systemd "
            "from WatchdogSec=)"
        ) from None
    if timeout > 0 and interval >= timeout / 2:
        raise ConfigError(
            f"WATCHDOG_INTERVAL ({interval:g}s) must be under half of systemd's WatchdogSec "
            f"({timeout:g}s), or systemd restarts the daemon between two sweeps: lower the "
            "interval or raise WatchdogSec= in the unit"
        )


class SdNotify:
    """Sends sd_notify messages to one socket. Thread-safe; never raises on a failed send."""

    def __init__(self, notify_socket: str) -> None:
        self._address = socket_address(notify_socket)
        self._shown = notify_socket
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._warned = False

    def send(self, *fields: str) -> bool:
        """Send `fields` (each `KEY=VALUE`) as one datagram; returns whether it was sent.

        A failure is logged once as a warning (systemd will act on the missing message itself:
        a missing READY=1 fails the start, a missing WATCHDOG=1 restarts the service).
        """
        payload = "\n".join(field.replace("\n", " ") for field in fields).encode()
        with self._lock:
            try:
                if self._sock is None:
                    self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                self._sock.sendto(payload, self._address)
            except OSError as exc:
                if not self._warned:
                    logger.warning("systemd notify to {} failed: {}", self._shown, exc)
                    self._warned = True
                return False
        return True

    def close(self) -> None:
        with self._lock:
            if self._sock is not None:
                self._sock.close()
                self._sock = None


class SystemdNotifier:
    """A daemon TickListener speaking sd_notify: READY once, WATCHDOG per sweep, STOPPING at stop.

    `WATCHDOG=1` is sent only from `on_sweep`, i.e. only when the loop really completed a sweep;
    a loop stuck in a browser call sends nothing and systemd restarts it after `WatchdogSec`.
    """

    def __init__(
        self, notify_socket: str, *, interval: float | None = None, watchdog_usec: str | None = None
    ) -> None:
        """Raises ConfigError for a bad `$NOTIFY_SOCKET`, or an `interval` (seconds) too long
        for `$WATCHDOG_USEC` (see `check_interval`)."""
        if interval is not None:
            check_interval(interval, watchdog_usec)
        self._notify = SdNotify(notify_socket)
        self._lock = threading.Lock()
        self._ready_sent = False
        self._ok = 0
        self._failed = 0
        self._sweeps = 0

    def tick_options(self, url: str) -> dict[str, Any]:
        return {}  # no advice on how to tick

    def on_start(self) -> None:
        with self._lock:
            if self._ready_sent:
                return
            self._ready_sent = True
        self._notify.send("READY=1", "STATUS=started, waiting for the first sweep")

    def on_tick(self, result: TickResult) -> None:
        with self._lock:
            if result.ok:
                self._ok += 1
            else:
                self._failed += 1

    def on_browser_lost(self, url: str, failure: str, at: datetime) -> None:
        self._notify.send(f"STATUS=browser lost for {url} at {at:%H:%M:%S}Z: {failure}")

    def on_sweep(self, at: datetime) -> None:
        with self._lock:
            ok, failed = self._ok, self._failed
            self._ok = self._failed = 0
            self._sweeps += 1
            sweeps = self._sweeps
        status = f"STATUS=sweep {sweeps} at {at:%H:%M:%S}Z: {ok} ticks ok, {failed} failed"
        self._notify.send("WATCHDOG=1", status)

    def on_stop(self) -> None:
        self._notify.send("STOPPING=1", "STATUS=stopping")
        self._notify.close()
