"""Faults around the browser and the page, injected into a real `colab-watchdog run` process
watching several simulated notebooks. For each: the daemon keeps running, the other
notebooks keep ticking, the state file is valid JSON at every moment, no alert is invented
or repeated, and SIGTERM afterwards exits 0 leaving no browser or driver process behind.

(tests/daemon covers the same faults for one notebook through the Daemon class in-process;
here they go through the CLI, the state file and several notebooks at once.)
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.reliability.conftest import RunFactory, down_seconds
from tests.reliability.harness import DaemonRun
from watchdog.sim import SimServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def urls_of(server: SimServer, n: int, prefix: str) -> list[str]:
    return [server.page_url(f"{prefix}{i}", era=2025, idle=0) for i in range(n)]


def finish(
    run: DaemonRun,
    alerts: dict[str, set[str]] | None = None,
    maybe: dict[str, set[str]] | None = None,
) -> None:
    """SIGTERM; exit 0, no orphans, the state file always valid, and exactly the alert
    kinds `alerts` ({url: {kind}}) once each, plus any of `maybe` ({url: {kind}}: a fault
    whose length in attempts depends on the machine's speed); by default none (these faults
    are recovered within a few intervals, no reason to wake anyone)."""
    assert run.stop() == 0, run.tail()
    run.assert_no_orphans()
    run.assert_state_always_valid()
    keys = run.alert_keys()
    assert len(keys) == len(set(keys)), f"an alert was recorded twice: {keys}"
    sent = {
        url: sorted(a["kind"] for a in nb.get("alerts_sent", []))
        for url, nb in run.state()["notebooks"].items()
    }
    allowed = maybe or {}
    sent = {
        url: [k for k in kinds if k not in allowed.get(url, set())] for url, kinds in sent.items()
    }
    expected = {url: sorted((alerts or {}).get(url, set())) for url in sent}
    assert sent == expected
    assert "Traceback" not in run.text(), run.tail()


def test_browser_killed_then_chromedriver_killed(
    daemon_run: RunFactory, fresh_sim_server: SimServer
) -> None:
    urls = urls_of(fresh_sim_server, 3, "kill")
    run = daemon_run(urls)
    run.wait_ticking(more=2)

    browser = run.browser_pid()
    os.kill(browser, signal.SIGKILL)
    run.wait_ticking(more=3, timeout=60)  # every notebook, in the recreated browser
    assert run.browser_pid() != browser

    driver, browser = run.driver_pid(), run.browser_pid()
    os.kill(driver, signal.SIGKILL)
    run.wait_ticking(more=3, timeout=60)
    assert run.driver_pid() != driver
    run.wait(lambda: browser not in {p.pid for p in run.descendants()}, 15, "orphan killed")
    assert len(run.tabs()) == 3, [t["url"] for t in run.tabs()]
    finish(run)


def test_tab_closed_navigated_away_and_reloaded(
    daemon_run: RunFactory, fresh_sim_server: SimServer
) -> None:
    urls = urls_of(fresh_sim_server, 4, "tab")
    closed, away, reloaded, untouched = urls
    run = daemon_run(urls)
    run.wait_ticking(more=2)

    run.close_tab(closed)
    run.evaluate(away, f"location.href = {fresh_sim_server.url('/elsewhere')!r}")
    run.evaluate(reloaded, "location.reload()")
    before = run.ticks(untouched)
    run.wait_ticking(more=3, timeout=60)
    # The untouched notebook never stopped: about one tick per interval meanwhile.
    assert run.ticks(untouched) >= before + 3
    # One tab per notebook: the closed one reopened, the navigated one brought back.
    tab_urls = sorted(t["url"] for t in run.tabs())
    assert tab_urls == sorted(urls), tab_urls
    for url in urls:
        assert run.notebook(url)["state"] == "connected", run.notebook(url)
    finish(run)


def _error_page_notebook(run: DaemonRun, url: str) -> bool:
    return run.notebook(url).get("state") != "connected"


def test_http_500_from_the_page_server(daemon_run: RunFactory, fresh_sim_server: SimServer) -> None:
    hit, *others = urls = urls_of(fresh_sim_server, 3, "http500")
    run = daemon_run(urls)
    run.wait_ticking(more=2)

    fresh_sim_server.fail_with(500)
    run.evaluate(hit, "location.reload()")  # the page comes back as a 500 error page
    run.wait(lambda: _error_page_notebook(run, hit), 30, "the 500 page seen by a tick")
    run.wait_ticking(others, more=3)  # the other notebooks keep ticking
    fresh_sim_server.fail_with(None)
    # The daemon reloads a tab that shows no notebook after 3 such ticks, then with backoff
    # (1.5 s, 3 s, 4 s... at a 500 ms interval): back within a few seconds of the fix.
    run.wait(
        lambda: run.notebook(hit).get("state") == "connected",
        60,
        "the 500 page reloaded once the server is healthy",
    )
    run.wait_ticking(urls, more=2)
    assert "reloading it" in run.tail(10**6), run.tail()
    assert run.tail(10**6).count("recreating the browser session") == 0, run.tail()
    # The 500 page is no notebook: 3 such ticks in a row make it `unreachable`.
    finish(run, maybe={hit: {"unreachable"}})


def kinds_sent(run: DaemonRun, url: str) -> list[str]:
    return sorted(a["kind"] for a in run.notebook(url).get("alerts_sent", []))


def test_page_server_down_then_back(daemon_run: RunFactory, fresh_sim_server: SimServer) -> None:
    """Down for WATCHDOG_TEST_DOWN_S (default 6 s). Two browser sessions: the browser of
    session 1 is killed while the server is down, so its recovery opens the notebooks against
    a refused connection (the sim also closes kept-alive connections when it stops); session 2
    must keep ticking throughout. The recreated browser is fine: only the pages do not load
    (net::ERR_CONNECTION_REFUSED is PageUnreachable, not BrowserLost), so those notebooks are
    retried with backoff, no browser is recreated again and no `browser-lost` alert is sent;
    when the server is back they tick again."""
    urls = urls_of(fresh_sim_server, 4, "down")
    first, second = urls[:2], urls[2:]
    run = daemon_run(urls, {"WATCHDOG_NOTEBOOKS_PER_SESSION": "2"})
    run.wait_ticking(more=2)
    browsers = sorted(
        p.pid
        for p in run.descendants()
        if p.name() != "chromedriver" and p.parent().name() == "chromedriver"
    )
    assert len(browsers) == 2, browsers

    fresh_sim_server.stop()
    down_at = time.monotonic()
    os.kill(browsers[0], signal.SIGKILL)  # session 1 (opened first, lower PID)
    run.wait_ticking(second, more=3, timeout=60)
    # The outage lasts its length and until session 1's notebooks are reported unreachable
    # (3 attempts each; on a loaded machine a refused page load can take seconds).
    run.wait(
        lambda: (
            time.monotonic() - down_at >= down_seconds()
            and all(kinds_sent(run, u) == ["unreachable"] for u in first)
        ),
        down_seconds() + 60,
        "outage reported",
    )
    stalled = {u: run.ticks(u) for u in first}
    fresh_sim_server.start()
    run.wait_ticking(urls, more=3, timeout=60)  # session 1 back (backoff <= 4 intervals)
    assert all(run.ticks(u) >= stalled[u] + 3 for u in first)
    for url in urls:
        assert run.notebook(url)["state"] == "connected", run.notebook(url)
    # One recreation (the kill), never one per refused page load.
    assert run.tail(10**6).count("recreating the browser session") == 1, run.tail()
    # Session 1's notebooks: `unreachable`, once each; session 2 kept ticking: nothing.
    finish(run, {url: {"unreachable"} for url in first})


def test_sigterm_in_the_middle_of_a_tick(
    daemon_run: RunFactory, fresh_sim_server: SimServer
) -> None:
    """One page's main thread is frozen for 10 s, so the daemon's next tick of it blocks in
    execute_script (the sweep stalls: the state file's heartbeat stops); SIGTERM arrives
    while it is blocked. The daemon finishes that tick (bounded by the script timeout), then
    stops cleanly."""
    frozen, other = urls = urls_of(fresh_sim_server, 2, "sigterm")
    run = daemon_run(urls)
    run.wait_ticking(more=2)
    run.evaluate(
        frozen, "setTimeout(() => { const end = Date.now() + 10000; while (Date.now() < end); }, 0)"
    )
    # Stuck in a tick: no sweep ends, so the heartbeat (a state-file write per sweep) stops
    # for more than 3 intervals.
    run.wait(
        lambda: time.time() - run.state_path.stat().st_mtime > 1.5,
        8,
        "the sweep stalled in the frozen page's tick",
    )
    asked = time.monotonic()
    code = run.stop(timeout=30)
    took = time.monotonic() - asked
    assert code == 0, run.tail()
    assert took < 25, f"SIGTERM took {took:.1f}s"
    run.assert_no_orphans()
    run.assert_state_always_valid()
    assert run.ticks(other) > 0
    assert "Traceback" not in run.text(), run.tail()
