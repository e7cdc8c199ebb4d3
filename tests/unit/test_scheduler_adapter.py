"""ScheduleScheduler: `schedule` paces the job, monotonic time (a FakeClock here) is the truth.

`schedule` reads the naive wall clock inside; a wall-clock step is what moves its job's
`next_run` relative to that clock, so the tests step the job (the adapter's own seam)
instead of patching `datetime`. Nothing here sleeps.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fakes import FakeClock
from watchdog.adapters.scheduler import CLOCK_STEP_MIN_S, ScheduleScheduler, clock_drift


def make(interval: float = 10.0) -> tuple[ScheduleScheduler, FakeClock, list[float]]:
    clock = FakeClock()
    runs: list[float] = []
    scheduler = ScheduleScheduler(clock.monotonic)
    scheduler.every(interval, lambda: runs.append(clock.monotonic()))
    return scheduler, clock, runs


def step_wall_clock(scheduler: ScheduleScheduler, by: dt.timedelta) -> None:
    """As if the wall clock moved by `by`: the job's next run moves the other way."""
    job = scheduler._job
    assert job is not None and job.next_run is not None
    job.next_run -= by


def test_clock_drift_ignores_jitter_and_names_a_step() -> None:
    assert clock_drift(idle=10.4, remaining=10.0, interval=10) == 0.0
    assert clock_drift(idle=3610.0, remaining=10.0, interval=10) == 3600.0  # stepped back
    assert clock_drift(idle=-1790.0, remaining=10.0, interval=10) == -1800.0  # forward
    assert clock_drift(idle=0.0, remaining=CLOCK_STEP_MIN_S * 1.5, interval=1) != 0.0


def test_in_line_the_job_waits_its_interval() -> None:
    scheduler, _, runs = make()
    assert not scheduler.realign()
    idle = scheduler.idle_seconds()
    assert idle is not None and 8 <= idle <= 10
    scheduler.run_pending()
    assert runs == []


@pytest.mark.parametrize(
    "step", [dt.timedelta(hours=-1), dt.timedelta(minutes=30)], ids=["back-1h", "forward-30m"]
)
def test_a_wall_clock_step_is_moved_back_in_line_once(step: dt.timedelta) -> None:
    scheduler, clock, runs = make()
    clock.advance(4)
    step_wall_clock(scheduler, step)
    assert scheduler.realign()
    idle = scheduler.idle_seconds()
    assert idle is not None and 4 <= idle <= 7  # 6 s left by monotonic time (+ slack)
    assert not scheduler.realign()  # once per step, not on every poll
    scheduler.run_pending()
    assert runs == []  # a step forward does not run it early


def test_the_job_runs_when_monotonic_time_says_so_after_a_step_back() -> None:
    scheduler, clock, runs = make()
    step_wall_clock(scheduler, dt.timedelta(hours=-1))
    clock.advance(10)  # one interval by the monotonic clock
    scheduler.run_pending()
    assert runs == [1010.0]  # not an hour late
    for _ in range(5):
        scheduler.run_pending()
    assert runs == [1010.0]  # then the next interval, not at every poll
    idle = scheduler.idle_seconds()
    assert idle is not None and 8 <= idle <= 10


def test_a_job_that_raises_runs_once_per_interval_not_on_every_poll() -> None:
    clock = FakeClock()
    calls: list[float] = []

    def broken() -> None:
        calls.append(clock.monotonic())
        raise RuntimeError("sweep broke")

    scheduler = ScheduleScheduler(clock.monotonic)
    scheduler.every(10, broken)
    clock.advance(10)
    for _ in range(5):
        scheduler.run_pending()  # never raises
    assert calls == [1010.0]


def test_clear_drops_the_job() -> None:
    scheduler, clock, runs = make()
    scheduler.clear()
    assert scheduler.idle_seconds() is None
    clock.advance(60)
    scheduler.run_pending()
    assert runs == []
