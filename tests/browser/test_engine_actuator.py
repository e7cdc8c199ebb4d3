"""The engine with actuator "browser": it decides and dispatches nothing; its plan names the
activity and the elements to click, for the daemon to perform with real input."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers import open_sim_page, sim, sim_counters, wait_until
from watchdog import jsassets
from watchdog.sim import SimServer

pytestmark = pytest.mark.browser

ENGINE = jsassets.load("engine.js")
# The plan's elements come back as WebElements; their labels and centres as numbers.
CALL = ENGINE + "\nreturn colabWatchdogTick(arguments[0]);"


@pytest.fixture
def driver(module_chrome_driver: Any, sim_server: SimServer) -> Iterator[Any]:
    yield module_chrome_driver


def plan_tick(driver: Any, **options: object) -> dict[str, Any]:
    opts: dict[str, object] = {"reconnect": False, "selectors": None, "maxDepth": 8}
    opts.update(options, actuator="browser")
    status: dict[str, Any] = driver.execute_script(CALL, opts)
    return status


@pytest.mark.parametrize("era", ["2019", "2021", "2023", "2025"])
def test_the_prompt_is_planned_not_clicked_and_no_event_is_dispatched(
    driver: Any, sim_server: SimServer, era: str
) -> None:
    open_sim_page(driver, sim_server.page_url(era=era, idle=120, prompt_after=0.2))
    wait_until(lambda: "idle-prompt" in sim(driver, "s.openPanels()"), timeout=10)
    status = plan_tick(driver)
    assert status["dialog"]["kind"] == "idle-prompt"
    [click] = status["plan"]["clicks"]
    assert click["label"] == "I'm here" and click["x"] > 0 and click["y"] > 0
    assert click["target"] is not None
    # keyboard-only activity while a dialog is up (no pointer near an overlay)
    assert status["plan"]["activity"] == {"pointer": False, "neutral": None}
    counters = sim_counters(driver)
    assert (counters["interactions"], counters["promptsConfirmed"]) == (0, 0)
    assert "idle-prompt" in sim(driver, "s.openPanels()")


def test_connected_page_plans_activity_with_a_neutral_point(
    driver: Any, sim_server: SimServer
) -> None:
    open_sim_page(driver, sim_server.page_url(era="2025", idle=120))
    status = plan_tick(driver)
    assert status["acted"] == "activity" and status["plan"]["clicks"] == []
    activity = status["plan"]["activity"]
    assert activity["pointer"] is True and activity["neutral"] is not None
    x, y = activity["neutral"]["x"], activity["neutral"]["y"]
    under = driver.execute_script(
        "const e = document.elementFromPoint(arguments[0], arguments[1]);"
        " return e.closest('button, a, [role], colab-connect-button') === null;",
        x,
        y,
    )
    assert under, "the neutral point is over something clickable"
    assert sim_counters(driver)["interactions"] == 0


def test_reconnect_is_planned_when_allowed(driver: Any, sim_server: SimServer) -> None:
    open_sim_page(driver, sim_server.page_url(era="2025", idle=120, state="disconnected"))
    status = plan_tick(driver, reconnect=True)
    assert status["acted"] == "reconnect"
    [click] = status["plan"]["clicks"]
    assert click["native"] is True  # md-text-button's own <button>: a key can activate it
    assert sim_counters(driver)["reconnects"] == 0
