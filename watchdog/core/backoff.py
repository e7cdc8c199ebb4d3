"""Bounded exponential backoff arithmetic. Pure.

backoff_delay(0, base=60, cap=300) -> 0.0      no failure: no delay
backoff_delay(1, base=60, cap=300) -> 60.0     first failure: retry on the next interval
backoff_delay(2, base=60, cap=300) -> 120.0
backoff_delay(9, base=60, cap=300) -> 300.0    never longer than the cap
"""

from __future__ import annotations

DEFAULT_CAP = 300.0  # five minutes: well inside Colab's 90-minute idle timeout


def backoff_delay(failures: int, *, base: float, cap: float = DEFAULT_CAP) -> float:
    """Seconds to wait after `failures` consecutive failures: base * 2**(failures-1), capped.

    Never below `base` once something failed (so a retry waits at least one interval) unless
    the cap is lower, never above `cap`; 0 when nothing failed.
    """
    if failures <= 0:
        return 0.0
    # 2**60 is already astronomically beyond any cap; avoid float overflow.
    return float(min(cap, base * 2 ** min(failures - 1, 60)))


def next_attempt(now: float, failures: int, *, base: float, cap: float = DEFAULT_CAP) -> float:
    """The monotonic time of the next attempt after `failures` consecutive failures at `now`."""
    return now + backoff_delay(failures, base=base, cap=cap)


def is_due(now: float, due: float, *, slack: float) -> bool:
    """True when `due` has come, allowing `slack` seconds early (sweeps are paced, not exact)."""
    return now + slack >= due
