"""The Monitor's alerts through the real apprise notifier: a hanging endpoint blocks neither
ticks nor stop (a REAL HTTP receiver on 127.0.0.1). The rest: tests/unit/test_monitor.py."""

from __future__ import annotations

import time
from pathlib import Path

from bench.webhook import Receiver
from tests.alerts.conftest import poll, tick
from tests.fakes import FakeClock
from watchdog.adapters.statefile import JsonStateStore
from watchdog.cli.alerting import build_monitor
from watchdog.cli.settings import Settings


def test_hanging_endpoint_blocks_neither_ticks_nor_stop(
    tmp_path: Path, clock: FakeClock, receiver: Receiver
) -> None:

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        notify=[receiver.url("/hang")],
        interval=1.0,
        idle_timeout=10.0,
        max_lifetime=24.0,
        warn_before="16s,8s",
        state_file=tmp_path / "state.json",
    )
    monitor = build_monitor(settings, clock)
    monitor.on_start()
    monitor.on_tick(tick(clock.now()))
    slowest = 0.0
    for _ in range(30):
        started = time.monotonic()
        monitor.on_tick(tick(clock.advance(1)))
        slowest = max(slowest, time.monotonic() - started)
    assert poll(lambda: receiver.hit_count("/hang") >= 1, timeout=10)  # alerts on their way
    assert slowest < 0.5
    started = time.monotonic()
    monitor.on_stop()
    assert time.monotonic() - started < 3.0
    assert JsonStateStore(tmp_path / "state.json").load()["daemon"]["running"] is False
