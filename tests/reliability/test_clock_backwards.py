"""The wall clock stepping backwards (NTP correction, VM restore), unit level.

The system clock cannot be stepped safely in a test, so a FakeClock drives the alert Monitor
(with the real JSON state file), and the real daemon loop, in a thread over `schedule`,
sees its sweep job moved by an hour, which is what a step does to schedule's naive
wall-clock times. Nothing may be lost: no alert duplicated or dropped, the state file stays
valid JSON, and the loop keeps sweeping.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.alerts.conftest import tick
from tests.daemon.fakes import FakeBrowser, RecordingListener
from tests.fakes import FakeClock
from tests.helpers import wait_until
from watchdog.adapters.clock import SystemClock
from watchdog.adapters.scheduler import ScheduleScheduler
from watchdog.adapters.statefile import JsonStateStore
from watchdog.core.session import Limits
from watchdog.core.status_report import status_document
from watchdog.daemon.loop import Daemon, DaemonConfig
from watchdog.daemon.monitor import Monitor

URL = "https://colab.research.google.com/drive/1abc"
LIMITS = Limits(idle_timeout=5400, max_lifetime=43200, warn_before=(3600, 600))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


class RecordingNotifier:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, title: str, body: str) -> None:
        self.sent.append((title, body))

    def titles(self) -> list[str]:
        """Alert kinds in order, from the titles ("Colab watchdog: lifetime warning, 1h ...")."""
        return [t.split(",")[0].split(" (")[0] for t, _ in self.sent]


def monitor(path: Path, clock: FakeClock, notifier: RecordingNotifier) -> Monitor:
    return Monitor(
        store=JsonStateStore(path), notifier=notifier, clock=clock, limits=LIMITS, interval=60
    )


def state(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text()))


def drive(m: Monitor, clock: FakeClock, seconds: float, step: float = 60) -> None:
    """Tick every `step` seconds of fake time for `seconds`."""
    end = clock.now() + dt.timedelta(seconds=seconds)
    while clock.now() < end:
        clock.advance(step)
        m.on_tick(tick(clock.now()))
        m.on_sweep(clock.now())


def test_step_back_after_a_warning_neither_repeats_nor_loses_alerts(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "state.json"
    notifier = RecordingNotifier()
    m = monitor(path, clock, notifier)
    m.on_start()
    m.on_tick(tick(clock.now()))  # session starts
    drive(m, clock, 43200 - 3600 + 60)  # past the 1 h margin
    assert notifier.titles() == ["Colab watchdog: lifetime warning"]

    clock.set(clock.now() - dt.timedelta(hours=2))  # the wall clock steps back 2 h
    drive(m, clock, 3 * 3600)  # ticking on through the stepped-back time
    state(path)  # valid JSON after every write
    titles = notifier.titles()
    # The 10-minute margin and the end still come, each once; the 1 h one is not repeated.
    assert titles.count("Colab watchdog: lifetime warning") == 2, titles
    assert titles.count("Colab watchdog: lifetime reached") == 1, titles
    assert len(titles) == 3, titles
    keys = [a["key"] for a in state(path)["notebooks"][URL]["alerts_sent"]]
    assert len(keys) == len(set(keys)) == 3


def test_step_back_across_a_restart_repeats_nothing(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "state.json"
    first = RecordingNotifier()
    m = monitor(path, clock, first)
    m.on_start()
    m.on_tick(tick(clock.now()))
    drive(m, clock, 43200 - 3600 + 60)
    m.on_stop()
    assert first.titles() == ["Colab watchdog: lifetime warning"]

    clock.set(clock.now() - dt.timedelta(minutes=30))  # restarted with the clock behind
    second = RecordingNotifier()
    m2 = monitor(path, clock, second)
    m2.on_start()
    m2.on_tick(tick(clock.now()))
    drive(m2, clock, 600)
    assert second.titles() == [], "a restart behind the clock re-sent or invented an alert"
    snapshot = status_document(state(path), clock.now())  # what `status` shows
    nb = snapshot["notebooks"][0]
    # Remaining times are computed from the persisted deadline: never negative nonsense, and
    # the session was not restarted by the step back.
    assert nb["lifetime_remaining_s"] is not None and 0 < nb["lifetime_remaining_s"] <= 3600 + 1800
    assert nb["started_at"] == state(path)["notebooks"][URL]["session"]["started_at"]


def test_loop_keeps_sweeping_when_the_wall_clock_steps_back() -> None:
    browser = FakeBrowser()
    listener = RecordingListener()
    stop = threading.Event()
    scheduler = ScheduleScheduler()
    daemon = Daemon(
        [(browser, [URL])],
        DaemonConfig(interval=0.2),
        clock=SystemClock(),
        scheduler=scheduler,
        listeners=[listener],
        stop_event=stop,
    )
    thread = threading.Thread(target=daemon.run, daemon=True)
    thread.start()
    try:
        wait_until(lambda: daemon.sweeps >= 3, timeout=20, message="three sweeps")
        job = wait_until(lambda: scheduler._job, timeout=5, message="the sweep job")
        assert job.next_run is not None
        job.next_run += dt.timedelta(hours=1)  # the wall clock stepped back 1 h
        before = daemon.sweeps
        wait_until(
            lambda: daemon.sweeps >= before + 3,
            timeout=5,
            message="sweeps after the wall clock stepped back",
        )
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
