"""js/engine.js reads the work in real Chromium: elapsed time, RAM/Disk, back-end, crash and
usage-limit notices, in every language of the simulated Colab; `activity: false` reads only.

A field the page does not show is null: the 2019-2023 meters show bars, not figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.test_engine import load, tick
from tests.helpers import sim, sim_counters
from watchdog.sim import SimServer

pytestmark = pytest.mark.browser

GPU = "Python 3 Google Compute Engine backend (GPU)"
CRASH = "Your session crashed after using all available RAM."


@pytest.fixture
def driver(module_chrome_driver: Any, sim_server: SimServer) -> Iterator[Any]:
    yield module_chrome_driver


def test_elapsed_time_of_the_running_cell(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2025", run=600, elapsed=72)
    status = tick(driver, sim_server)
    assert status["busy"] is True
    text = driver.execute_script(
        "return document.querySelector('colab-status-bar').shadowRoot"
        ".querySelector('colab-execution-status').shadowRoot.textContent"
    )
    assert "Executing (1m 1" in text  # the page's own words, "Executing (1m 12s)"
    assert 72 <= status["busy_for_s"] <= 72 + 30
    load(driver, sim_server, era="2021", busy=1, elapsed=5)
    status = tick(driver, sim_server)
    assert status["busy"] is True
    assert 5 <= status["busy_for_s"] <= 5 + 30  # "Executing (5 sec)..."
    load(driver, sim_server, era="2025")
    status = tick(driver, sim_server)
    assert (status["busy"], status["busy_for_s"]) == (False, None)


@pytest.mark.parametrize("lang", ["en", "es", "tr", "ru"])
def test_ram_disk_and_backend_in_every_language(
    driver: Any, sim_server: SimServer, lang: str
) -> None:
    load(driver, sim_server, era="2025", lang=lang, backend="gpu", ram=1.1, disk=30)
    tooltip = driver.execute_script(
        "return document.querySelector('colab-connect-button').shadowRoot"
        ".querySelector('#connect').getAttribute('tooltiptext')"
    )
    assert ("1,10 GB/12,67 GB" in tooltip) == (lang != "en"), tooltip  # decimal comma
    status = tick(driver, sim_server)
    assert status["resources"] == {
        "ram_used_gb": 1.1,
        "ram_total_gb": 12.67,
        "disk_used_gb": 30.0,
        "disk_total_gb": 107.72,
    }
    assert status["backend"] == GPU


def test_ram_follows_the_page_and_is_null_where_the_page_shows_no_figures(
    driver: Any, sim_server: SimServer
) -> None:
    load(driver, sim_server, era="2025", ram=12.04)
    assert tick(driver, sim_server)["resources"]["ram_used_gb"] == 12.04
    sim(driver, "s.setRam(3.5)")
    assert tick(driver, sim_server)["resources"]["ram_used_gb"] == 3.5
    for era in ("2019", "2021", "2023"):
        load(driver, sim_server, era=era, backend="gpu")
        status = tick(driver, sim_server)
        assert (status["resources"], status["backend"]) == (None, None), era
    load(driver, sim_server, era="2025", state="disconnected")
    status = tick(driver, sim_server)
    assert (status["resources"], status["backend"]) == (None, None)


def test_crash_toast_is_a_crashed_notice(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2025", run=600, crash_after=0.5)
    assert sim(driver, "s.busy") is True
    from tests.helpers import wait_until

    wait_until(lambda: not sim(driver, "s.busy"), timeout=15)
    status = tick(driver, sim_server)
    assert status["notice"] == {"kind": "crashed", "text": CRASH, "via": "toast"}
    assert status["busy"] is False
    sim(driver, "s.hideToast()")
    assert tick(driver, sim_server)["notice"] is None


def test_crash_text_in_a_notebook_output_is_the_users_not_the_pages(
    driver: Any, sim_server: SimServer
) -> None:
    load(driver, sim_server, era="2025")
    driver.execute_script(
        "const out = document.createElement('div'); out.className = 'output';"
        "out.innerHTML = '<div role=alert>" + CRASH + "</div>"
        "<mwc-snackbar open>You cannot currently connect to a GPU due to usage limits"
        "</mwc-snackbar>';"
        "document.getElementById('cell-1').append(out);"
    )
    assert tick(driver, sim_server)["notice"] is None


def test_usage_limit_dialog_is_a_usage_limit_notice(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2025")
    sim(driver, "s.showUsageLimit()")
    status = tick(driver, sim_server)
    assert status["notice"]["kind"] == "usage-limit"
    assert status["notice"]["via"] == "dialog"
    assert status["dialog"]["kind"] == "usage-limit"


def test_activity_false_reads_everything_and_touches_nothing(
    driver: Any, sim_server: SimServer
) -> None:
    load(driver, sim_server, era="2025", backend="gpu", busy=1)
    sim(driver, "s.showPrompt()")
    before = sim_counters(driver)
    status = tick(driver, sim_server, activity=False)
    assert status["acted"] == "none"
    assert status["dialog"]["kind"] == "idle-prompt"
    assert status["dialog"]["action"] == "left-open"
    assert (status["state"], status["busy"], status["backend"]) == ("connected", True, GPU)
    after = sim_counters(driver)
    assert after["interactions"] == before["interactions"]
    assert after["promptsConfirmed"] == before["promptsConfirmed"]
    assert "idle-prompt" in sim(driver, "s.openPanels()")
    # The same page, held: the prompt is confirmed and the idle timer fed.
    status = tick(driver, sim_server)
    assert status["dialog"]["action"] == "confirmed"
    assert sim_counters(driver)["interactions"] > after["interactions"]
