"""The drifted Active-sessions dialog (its Close lost `.dismiss`) is never answered with
"Terminate other sessions", on the 2019, 2021 and 2023 markup, by the running daemon.

Before (the engine's fallback `#cancel` / secondary action, measured with the same sim
pages): "Terminate other sessions" clicked once per opened dialog, in all three eras.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.reliability.conftest import RunFactory
from tests.reliability.harness import DaemonRun
from watchdog.sim import SimServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ERAS = ("2019", "2021", "2023")
CLICK_CONNECT = (
    "(() => { const host = document.querySelector('colab-connect-button');"
    "(host ? host.shadowRoot.querySelector('#connect') : document.querySelector('#connect'))"
    ".click(); return window.__sim.openPanels().join(','); })()"
)


def value(run: DaemonRun, url: str, expression: str) -> Any:
    result = run.evaluate(url, expression) or {}
    return result.get("result", {}).get("value")


def test_drifted_sessions_dialog_never_terminates(
    daemon_run: RunFactory, fresh_sim_server: SimServer
) -> None:
    urls = {
        era: fresh_sim_server.page_url(f"drift{era}", era=era, idle=0, sessions_drift=1, lang=lang)
        for era, lang in zip(ERAS, ("en", "es", "ru"), strict=True)
    }
    run = daemon_run(list(urls.values()))
    run.wait_ticking(more=1)
    for _ in range(2):  # the dialog opened twice in each era, as an old tool would leave it
        for url in urls.values():
            assert value(run, url, CLICK_CONNECT) == "sessions"
        run.wait(
            lambda: all(
                value(run, u, "window.__sim.openPanels().length") == 0 for u in urls.values()
            ),
            60,
            "every sessions dialog closed by the daemon",
        )
    for era, url in urls.items():
        counters = value(run, url, "JSON.stringify(window.__sim.counters)")
        assert '"sessionsTerminated":0' in counters, (era, counters)
        assert '"panelsOpened":2' in counters, (era, counters)
    assert run.stop() == 0, run.tail()
    run.assert_no_orphans()
