"""SeleniumBrowser against page faults in a real Chromium: an HTTP 500 page is reloaded with
reload(); a page that does not load (server down) is PageUnreachable, not BrowserLost, and the
next open() loads it again although the tab already shows its URL (Chromium's error page)."""

from __future__ import annotations

import pytest

from tests.daemon.conftest import ENGINE_OPTIONS
from watchdog.adapters.browser import SeleniumBrowser
from watchdog.errors import PageUnreachable
from watchdog.sim import SimServer

pytestmark = pytest.mark.browser


def state(browser: SeleniumBrowser, url: str) -> str:
    status, _ = browser.tick(url, dict(ENGINE_OPTIONS))
    return status.state


def test_reload_an_error_page_and_reopen_an_unreachable_one(
    launched: SeleniumBrowser, fresh_sim_server: SimServer
) -> None:
    url = fresh_sim_server.page_url("faults", era=2025, idle=0)
    launched.start()
    launched.open(url)
    assert state(launched, url) == "connected"

    fresh_sim_server.fail_with(500)
    launched.reload(url)
    assert state(launched, url) == "unknown"  # the error page, under the notebook's URL
    fresh_sim_server.fail_with(None)
    launched.reload(url)
    assert state(launched, url) == "connected"

    fresh_sim_server.stop()
    with pytest.raises(PageUnreachable):
        launched.reload(url)
    with pytest.raises(PageUnreachable):
        launched.tick(url, dict(ENGINE_OPTIONS))  # not ticked: the page is not loaded
    with pytest.raises(PageUnreachable):
        launched.open(url)
    fresh_sim_server.start()
    launched.open(url)  # loads it again although the tab shows the URL
    assert state(launched, url) == "connected"
    assert len(launched.driver.window_handles) == 1
