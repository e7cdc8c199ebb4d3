"""`Daemon.run()` itself, on the fake clock: a fake scheduler paces the sweeps by monotonic
time and a fake stop event lets the time it is asked to wait pass at once. No threads, no
sleeping, no wall-clock reads."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.daemon.fakes import FakeBrowser, RecordingListener
from tests.fakes import FakeClock, FakeScheduler, FakeStopEvent
from watchdog.daemon.loop import Daemon, DaemonConfig
from watchdog.daemon.policy import MAX_POLL_S

A, B = "http://nb/a", "http://nb/b"


class Run:
    """A daemon over fakes; `stop_after` seconds of fake time end its run()."""

    def __init__(self, interval: float = 10.0, stop_after: float = 60.0) -> None:
        self.clock = FakeClock()
        self.start = self.clock.monotonic()
        self.browser = FakeBrowser()
        self.listener = RecordingListener()
        self.scheduler = FakeScheduler(self.clock)
        self.stop_after = stop_after
        self.stop = FakeStopEvent(self.clock, self.on_wait)
        self.steps: dict[float, timedelta] = {}  # at fake second -> wall-clock step
        self.sweep_times: list[float] = []  # fake seconds since start of each sweep
        self.daemon = Daemon(
            [(self.browser, [A, B])],
            DaemonConfig(interval=interval, max_backoff=80.0),
            clock=self.clock,
            scheduler=self.scheduler,
            listeners=[self.listener],
            stop_event=self.stop,
        )
        self.listener.on_sweep = self.record_sweep  # type: ignore[method-assign]

    def record_sweep(self, at: object) -> None:
        self.sweep_times.append(self.clock.monotonic() - self.start)

    def on_wait(self, elapsed: float) -> None:
        for at in [at for at in self.steps if at <= elapsed]:
            self.clock.set(self.clock.now() + self.steps.pop(at))
        if elapsed >= self.stop_after:
            self.stop.set()


def test_run_sweeps_at_once_then_every_interval_and_closes_on_stop() -> None:
    run = Run(interval=10, stop_after=65)
    run.daemon.run()
    assert run.sweep_times == [0, 10, 20, 30, 40, 50, 60]
    assert run.browser.count("tick", A) == run.browser.count("tick", B) == 7
    assert run.listener.names()[0] == "start" and run.listener.names()[-1] == "stop"
    assert run.browser.calls[-1] == ("close", "")
    assert run.scheduler.job is None  # cleared on the way out


def test_the_loop_never_sleeps_longer_than_a_second_so_a_stop_is_seen_at_once() -> None:
    run = Run(interval=60, stop_after=150)
    run.daemon.run()
    assert run.stop.waits and max(run.stop.waits) <= MAX_POLL_S
    # stopped within one poll of being asked: no extra wait after the stop
    assert sum(run.stop.waits) - run.stop_after < MAX_POLL_S
    assert run.sweep_times == [0, 60, 120]


def test_a_stop_during_the_first_sweep_ends_the_run_without_waiting() -> None:
    run = Run(interval=10)
    run.listener.on_tick = lambda result: run.stop.set()  # type: ignore[method-assign]
    run.daemon.run()
    assert run.stop.waits == []
    assert run.browser.count("tick") == 1  # the sweep saw the stop between notebooks
    assert run.browser.calls[-1] == ("close", "")


@pytest.mark.parametrize(
    "step", [timedelta(hours=-1), timedelta(minutes=30)], ids=["back-1h", "forward-30m"]
)
def test_a_wall_clock_step_makes_sweeps_neither_early_nor_late(step: timedelta) -> None:
    run = Run(interval=10, stop_after=65)
    run.steps[25] = step  # NTP or a VM restore moves the wall clock mid-run
    run.daemon.run()
    assert run.sweep_times == [0, 10, 20, 30, 40, 50, 60]
    ticks = [t.at for t in run.listener.ticks if t.url == A]
    assert ticks[3] - ticks[2] == timedelta(seconds=10) + step  # the results carry wall time


def test_a_sweep_that_raises_is_logged_and_the_run_goes_on() -> None:
    class Broken(FakeClock):
        def now(self):  # type: ignore[no-untyped-def]
            raise RuntimeError("clock broke")

    clock = Broken()
    browser = FakeBrowser()
    scheduler = FakeScheduler(clock)
    stop = FakeStopEvent(clock, lambda elapsed: stop.set() if elapsed >= 35 else None)
    daemon = Daemon(
        [(browser, [A])],
        DaemonConfig(interval=10),
        clock=clock,
        scheduler=scheduler,
        stop_event=stop,
    )
    daemon.run()  # must not raise, must end
    assert browser.count("tick") == 4  # at 0, 10, 20, 30: once per interval, never per poll
    assert browser.calls[-1] == ("close", "")


def test_run_without_a_scheduler_is_refused_before_anything_starts() -> None:
    browser = FakeBrowser()
    daemon = Daemon([(browser, [A])], DaemonConfig(interval=10), clock=FakeClock())
    with pytest.raises(ValueError, match="needs a scheduler"):
        daemon.run()
    assert browser.calls == []
