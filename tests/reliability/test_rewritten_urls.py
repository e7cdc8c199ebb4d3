"""URLs the browser rewrites still match: a path with `ü` (shown as %C3%BC), `/./`, a
numeric host, an IDN host, a fragment Colab sets, and Colab's own `usp=sharing` dropped.

Before (measured on the same scenario): each made every tick report "tab lost" and reopen
the page; the notebook was ticked 0 times.
"""

from __future__ import annotations

import re

import pytest

from tests.reliability.conftest import RunFactory
from watchdog.sim import SimServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_rewritten_urls_keep_ticking_without_reopening(
    daemon_run: RunFactory, fresh_sim_server: SimServer
) -> None:
    port = fresh_sim_server.port
    query = "era=2025&idle=0"
    urls = {
        "umlaut": fresh_sim_server.url(f"/notebook/übung?{query}"),
        "dot": fresh_sim_server.url(f"/notebook/./dot?{query}"),
        "numeric": f"http://2130706433:{port}/notebook/numeric?{query}",
        "idn": f"http://übung.localhost:{port}/notebook/idn?{query}",
        "usp": fresh_sim_server.url(f"/notebook/usp?{query}&usp=sharing"),
        "fragment": fresh_sim_server.url(f"/notebook/fragment?{query}"),
    }
    run = daemon_run(list(urls.values()))
    run.wait_ticking(more=2, timeout=90)
    # Colab rewrites its own address while the tab stays on the notebook.
    run.evaluate(
        urls["usp"], "history.replaceState(null, '', location.href.replace('&usp=sharing', ''))"
    )
    run.evaluate(urls["fragment"], "location.hash = '#scrollTo=abc123'")
    run.wait_ticking(more=4, timeout=90)
    text = run.tail(10**6)
    for name, url in urls.items():
        nb = run.notebook(url)
        assert nb["ticks_failed"] == 0, (name, nb)
        assert nb["state"] == "connected", (name, nb)
        assert not re.search(rf"reopening {re.escape(url)}", text), name
    assert "navigated away" not in text, run.tail()
    assert run.stop() == 0, run.tail()
    run.assert_no_orphans()
