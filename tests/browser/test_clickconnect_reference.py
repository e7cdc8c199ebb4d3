"""The widely copied `ClickConnect` snippet vs ours, era by era, on the simulated Colab.

`tests/fixtures/clickconnect.js` clicks `document.querySelector("colab-toolbar-button#connect")`
every 60 s (accelerated here). Measured outcome, asserted below (idle timeout 2 s, both
snippets ticking every 0.5 s, observed for 3.5 idle timeouts):

| era  | ClickConnect                                          | ours             |
|------|-------------------------------------------------------|------------------|
| 2019 | alive, but leaves the Active sessions dialog open     | alive, no panel  |
| 2021 | idles out: TypeError every tick (button in shadow DOM) | alive, no panel  |
| 2023 | idles out: TypeError every tick (button in shadow DOM) | alive, no panel  |
| 2025 | idles out: TypeError every tick (button in shadow DOM) | alive, no panel  |

In 2020+ the button lives inside `colab-connect-button`'s shadow root, so
`document.querySelector` returns null and `.click()` throws.
Run with `-s` to print each measured row.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import open_sim_page, sim, sim_counters, wait_until
from watchdog import jsassets
from watchdog.core.snippet import SnippetOptions, render_console
from watchdog.sim import SimServer

pytestmark = pytest.mark.browser

IDLE = 2.0
INTERVAL_MS = 500
WATCH = IDLE * 3.5
CLICKCONNECT = (Path(__file__).parent.parent / "fixtures" / "clickconnect.js").read_text(
    encoding="utf-8"
)
OURS = render_console(
    jsassets.load("engine.js"),
    jsassets.load("snippet.js"),
    SnippetOptions(interval_s=INTERVAL_MS / 1000),
)
ERRORS = (
    "window.__errors = [];"
    "window.addEventListener('error', (e) => window.__errors.push(String(e.message)));"
)

# era -> (ClickConnect keeps it alive, ClickConnect leaves a panel open, ClickConnect throws)
EXPECTED = {
    "2019": (True, True, False),
    "2021": (False, False, True),
    "2023": (False, False, True),
    "2025": (False, False, True),
}


@pytest.fixture
def driver(module_chrome_driver: Any, sim_server: SimServer) -> Iterator[Any]:
    yield module_chrome_driver


def run(driver: Any, server: SimServer, era: str, script: str) -> dict[str, Any]:
    """Load the era, run `script`, watch until it disconnects or WATCH seconds pass."""
    open_sim_page(driver, server.page_url(era=era, idle=IDLE))
    driver.execute_script(ERRORS)
    start = driver.execute_script("return performance.now() / 1000")
    # A page-level <script> runs in the global scope, like a paste into the console.
    driver.execute_script(
        "const s = document.createElement('script'); s.textContent = arguments[0];"
        "document.head.append(s);",
        script,
    )

    def finished() -> bool:
        if sim(driver, "s.state") != "connected":
            return True
        return bool(driver.execute_script("return performance.now() / 1000") - start >= WATCH)

    wait_until(finished, timeout=WATCH * 4 + 10, interval=0.2)
    counters = sim_counters(driver)
    outcome = {
        "alive": sim(driver, "s.state") == "connected" and counters["disconnects"] == 0,
        "panels_opened": counters["panelsOpened"],
        "left_open": sim(driver, "s.openPanels()"),
        "errors": driver.execute_script("return window.__errors"),
    }
    driver.execute_script(
        "if (window.colabWatchdog) window.colabWatchdog.stop();"
        "for (let id = 1; id < 10000; id++) clearInterval(id);"
    )
    return outcome


def describe(name: str, era: str, outcome: dict[str, Any]) -> str:
    errors = outcome["errors"]
    return (
        f"{era} {name:<12} alive={outcome['alive']!s:<5} panels_opened={outcome['panels_opened']}"
        f" left_open={outcome['left_open']} errors={len(errors)}"
        + (f" ({errors[0]})" if errors else "")
    )


@pytest.mark.parametrize("era", sorted(EXPECTED))
def test_clickconnect_vs_ours(
    driver: Any, sim_server: SimServer, era: str, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = run(driver, sim_server, era, CLICKCONNECT.replace("60000", str(INTERVAL_MS)))
    ours = run(driver, sim_server, era, OURS)
    with capsys.disabled():
        print("\n" + describe("ClickConnect", era, reference) + "\n" + describe("ours", era, ours))

    alive, opens_panel, throws = EXPECTED[era]
    assert reference["alive"] is alive
    assert (reference["panels_opened"] > 0) is opens_panel
    assert bool(reference["errors"]) is throws
    if throws:
        assert "null" in reference["errors"][0]  # querySelector found nothing: shadow DOM
    if opens_panel:
        assert reference["left_open"] == ["sessions"]

    assert ours["alive"] is True
    assert ours["panels_opened"] == 0
    assert ours["left_open"] == []
    assert ours["errors"] == []
