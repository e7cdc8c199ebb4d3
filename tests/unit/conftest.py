"""Fixtures of the pure tier: a clean environment and working directory, a hand-advanced
clock (tests.fakes.FakeClock, as in tests/alerts) and the alert tests' captured log lines."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.alerts.conftest import log_lines  # noqa: F401 (a fixture: loguru lines, captured)
from tests.fakes import FakeClock


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """No WATCHDOG_* / XDG_* variables, HOME and the working directory in a temp dir.

    Yields the working directory (where a `.env` would be read from).
    """
    for key in list(os.environ):
        if key.upper().startswith(("WATCHDOG_", "XDG_")):
            monkeypatch.delenv(key)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    yield work


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
