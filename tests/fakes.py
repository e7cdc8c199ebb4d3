"""Shared fakes for time: one hand-advanced clock, a scheduler and a stop event over it.

Import from any test folder: `from tests.fakes import FakeClock, FakeScheduler, FakeStopEvent`.
Nothing here reads the real clock or sleeps (cachetools' `Timer.tick()` style).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

T0 = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)


class FakeClock:
    """The Clock port (`now()`, `monotonic()`), moved only by `advance` and `set`.

    Calling it returns the wall clock in epoch seconds, like `time.time()` (the notebook
    helper takes such a callable). `advance(s)` moves both clocks (the monotonic one never
    backwards); `set(at)` steps only the wall clock, as NTP or a person would.
    """

    def __init__(self, start: datetime = T0, monotonic: float = 1000.0) -> None:
        self._now = start
        self._mono = monotonic

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def __call__(self) -> float:
        return self._now.timestamp()

    def advance(self, seconds: float) -> datetime:
        """Let `seconds` pass; returns the new wall-clock time."""
        self._now += timedelta(seconds=seconds)
        self._mono += max(0.0, seconds)
        return self._now

    def set(self, at: datetime) -> None:
        """Step the wall clock to `at`; monotonic time does not move."""
        self._now = at


class FakeScheduler:
    """The Scheduler port over a FakeClock's monotonic time: runs the job when it is due."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.job: Callable[[], None] | None = None
        self.interval = 0.0
        self.due = 0.0
        self.runs: list[float] = []  # monotonic time each run began

    def every(self, seconds: float, job: Callable[[], None]) -> None:
        self.job, self.interval = job, seconds
        self.due = self.clock.monotonic() + seconds

    def run_pending(self) -> None:
        if self.job is not None and self.clock.monotonic() >= self.due:
            self.runs.append(self.clock.monotonic())
            self.job()
            self.due = self.clock.monotonic() + self.interval

    def idle_seconds(self) -> float | None:
        return None if self.job is None else self.due - self.clock.monotonic()

    def clear(self) -> None:
        self.job = None


class FakeStopEvent:
    """The StopEvent port: `wait(timeout)` lets `timeout` pass on the FakeClock at once.

    `on_wait(elapsed)` runs after each wait with the seconds waited so far (a test sets the
    event there, or steps the wall clock); `waits` records every timeout asked for.
    """

    def __init__(self, clock: FakeClock, on_wait: Callable[[float], None] | None = None) -> None:
        self.clock = clock
        self.on_wait = on_wait
        self.waits: list[float] = []
        self._set = False

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        self._set = True

    def wait(self, timeout: float | None = None) -> bool:
        assert timeout is not None, "the loop must never wait without a timeout"
        if self._set:
            return True
        self.waits.append(timeout)
        self.clock.advance(timeout)
        if self.on_wait is not None:
            self.on_wait(sum(self.waits))
        return self._set
