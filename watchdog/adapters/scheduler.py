"""ScheduleScheduler: the Scheduler port over one private `schedule.Scheduler`.

`schedule` works in naive local wall-clock time, so the monotonic clock is the truth: when
the wall clock steps (NTP, VM restore) and the job's next run no longer matches "last run +
interval" by monotonic time, the job is moved back in line (one warning per step). A step
back would otherwise stop every sweep until the wall clock catches up; a step forward would
run the job early (schedule never replays missed runs).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import schedule
from loguru import logger

# How far schedule's idea of the next run may drift from the monotonic one before the job
# is moved back in line: at least 1 s, or half an interval.
CLOCK_STEP_MIN_S = 1.0


def clock_drift(idle: float, remaining: float, interval: float) -> float:
    """How far the wall clock stepped, as seen by the job: schedule's seconds to the next run
    (`idle`) minus the monotonic ones (`remaining`). > 0: stepped back; < 0: forward; 0 when
    within the margin (max(CLOCK_STEP_MIN_S, interval / 2): ordinary jitter)."""
    drift = idle - remaining
    return drift if abs(drift) > max(CLOCK_STEP_MIN_S, interval / 2) else 0.0


class ScheduleScheduler:
    """Runs one job every `seconds` with `schedule`, paced by `monotonic` time."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._scheduler = schedule.Scheduler()
        self._job: schedule.Job | None = None
        self._interval = 0.0
        self._last_run = 0.0  # monotonic time the job last ended (or was registered)

    def every(self, seconds: float, job: Callable[[], None]) -> None:
        self.clear()

        def run() -> None:
            # A job that raises is re-run by schedule on every run_pending(): contain it.
            try:
                job()
            except Exception:
                logger.exception("the scheduled job failed")
            finally:
                self._last_run = self._monotonic()

        self._interval = seconds
        self._last_run = self._monotonic()
        # schedule's hints say int, but it builds a timedelta: fractional seconds work.
        every = self._scheduler.every(seconds)  # type: ignore[arg-type]
        self._job = every.seconds.do(run)

    def run_pending(self) -> None:
        self.realign()
        self._scheduler.run_pending()

    def idle_seconds(self) -> float | None:
        self.realign()
        return self._scheduler.idle_seconds

    def clear(self) -> None:
        self._scheduler.clear()
        self._job = None

    def realign(self) -> bool:
        """Move the job back in line with monotonic time after a wall-clock step.

        Returns True when the job was moved (the wall clock stepped by more than the margin).
        """
        job, idle = self._job, self._scheduler.idle_seconds
        if job is None or job.next_run is None or idle is None:
            return False
        remaining = max(self._last_run + self._interval - self._monotonic(), 0.0)
        drift = clock_drift(idle, remaining, self._interval)
        if not drift:
            return False
        job.next_run -= dt.timedelta(seconds=drift)
        logger.warning(
            "the wall clock stepped {} by {:.0f}s; next sweep in {:.1f}s (monotonic pacing)",
            "back" if drift > 0 else "forward",
            abs(drift),
            remaining,
        )
        return True
