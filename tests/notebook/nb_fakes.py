"""Shared fakes for tests/notebook (a module with a unique name, unlike conftest)."""

from __future__ import annotations

START = 1_800_000_000.0  # 2027-01-15 08:00:00 UTC


class FakeClock:
    """Epoch seconds that move only when a test calls `tick()`."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds
