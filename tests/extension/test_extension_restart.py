"""A browser restart keeps the runtime's start: the service worker stores it in
chrome.storage.local, keyed by notebook, and a tab reopened on the same notebook within the
idle timeout continues that runtime's clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.extension.conftest import launch
from tests.helpers import wait_until
from watchdog.sim import SimServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_runtime_start_survives_a_browser_restart(
    test_build: Path, tmp_path: Path, sim_server: SimServer
) -> None:
    profile = tmp_path / "profile"
    url = sim_server.page_url("nb-restart", idle=600)
    key = url.split("?", maxsplit=1)[0]

    def session_of(browser_: object) -> dict[str, object] | None:
        sessions = browser_.storage().get("sessions", {})  # type: ignore[attr-defined]
        found = sessions.get(key)
        return found if found and found["state"] == "connected" else None

    first = launch(test_build, profile)
    try:
        first.open_tab(url)
        started = wait_until(lambda: session_of(first), timeout=30)["startedAt"]
    finally:
        first.driver.quit()

    second = launch(test_build, profile)
    try:
        assert second.storage()["tabs"] == {}  # tab ids do not survive a restart
        second.open_tab(url)
        wait_until(lambda: second.storage().get("tabs") or {}, timeout=30)
        session = wait_until(lambda: session_of(second), timeout=30)
        assert session["startedAt"] == started
        assert session["lastSeenAt"] > started  # type: ignore[operator]
        assert second.errors() == []
    finally:
        second.driver.quit()
