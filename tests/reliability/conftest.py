"""Fixtures of the reliability suite: the daemon as a process (`daemon_run`) and the outage
length of the "page server down" test.

WATCHDOG_TEST_DOWN_S sets how long the page server stays down (default 6 s; the
scenario it models is 30 s, which works the same but would make CI slower).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import chrome_paths
from tests.reliability.harness import DaemonRun

RunFactory = Callable[..., DaemonRun]


def down_seconds() -> float:
    return float(os.environ.get("WATCHDOG_TEST_DOWN_S", "6"))


@pytest.fixture
def need_chrome() -> None:
    if None in chrome_paths():
        pytest.skip(
            "chromium/chromedriver not installed (apt-get install chromium chromium-driver)"
        )


@pytest.fixture
def daemon_run(tmp_path: Path, need_chrome: None) -> Iterator[RunFactory]:
    """Start `colab-watchdog run` processes; every one still running is killed afterwards."""
    runs: list[DaemonRun] = []

    def start(urls: list[str], env: dict[str, str] | None = None, **kw: Any) -> DaemonRun:
        run = DaemonRun(tmp_path, urls, env, **kw)
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.kill()
