"""Shared fakes for tests/notebook (a module with a unique name, unlike conftest)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.fakes import FakeClock

START = 1_800_000_000.0  # 2027-01-15 08:00:00 UTC, in epoch seconds
START_AT = datetime.fromtimestamp(START, UTC)

__all__ = ["START", "START_AT", "FakeClock"]
