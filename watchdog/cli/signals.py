"""The signals that stop the daemon, per OS.

Ctrl+C (SIGINT) everywhere; Ctrl+Break (SIGBREAK) on Windows, where a console sends it and
`taskkill` without /F does not send SIGTERM; SIGTERM where the OS delivers it (systemd,
Docker, `kill`). Interrupts from the keyboard end with exit code INTERRUPTED.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from watchdog.core.host import family_of

KEYBOARD = frozenset({"SIGINT", "SIGBREAK"})


def stop_signal_names(platform: str) -> tuple[str, ...]:
    """Names of the signals that stop the daemon on `platform` (a sys.platform value)."""
    if family_of(platform) == "windows":
        return ("SIGINT", "SIGBREAK", "SIGTERM")
    return ("SIGINT", "SIGTERM")


def stop_signals(platform: str = sys.platform) -> list[signal.Signals]:
    """The stop signals that exist in this Python's `signal` module."""
    found = (getattr(signal, name, None) for name in stop_signal_names(platform))
    return [sig for sig in found if isinstance(sig, signal.Signals)]


def from_keyboard(received: list[int]) -> bool:
    """True when a received signal was Ctrl+C or Ctrl+Break."""
    return any(signal.Signals(sig).name in KEYBOARD for sig in received)


@contextmanager
def stop_on_signals(stop: threading.Event, platform: str = sys.platform) -> Iterator[list[int]]:
    """Set `stop` on each stop signal; yields the list of signals received."""
    received: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in stop_signals(platform)}
    try:
        yield received
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
