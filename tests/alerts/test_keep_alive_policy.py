"""WATCHDOG_KEEP_ALIVE=while-busy in real Chromium: the real daemon loop, Selenium adapter and
alert monitor (the policy) against the simulated Colab, alerts to a real `json://` receiver.

- a cell that runs longer than the page's idle timeout: connected all along;
- after the grace with no cell running: one `released`, the engine stops producing activity
  (every tick `acted: none`) and the page's own idle timer runs out (reason "idle");
- a released notebook whose cell runs again is held again (activity resumes).

The engine plans and the adapter acts with browser-generated input (actuator "browser"),
against pages that count only such input.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.webhook import Receiver
from tests.daemon.conftest import ENGINE_OPTIONS, NoClose, launch_config
from tests.daemon.fakes import RecordingListener
from tests.helpers import wait_until
from watchdog.adapters.browser import SeleniumBrowser
from watchdog.adapters.clock import SystemClock
from watchdog.adapters.notify import AppriseNotifier
from watchdog.adapters.scheduler import ScheduleScheduler
from watchdog.adapters.statefile import JsonStateStore
from watchdog.core.session import Limits
from watchdog.core.status_report import status_document
from watchdog.core.work import WorkRules, released_text
from watchdog.daemon.loop import Daemon, DaemonConfig
from watchdog.daemon.monitor import Monitor
from watchdog.sim import SimServer

pytestmark = pytest.mark.browser

INTERVAL = 1.0
# The daemon's way: the engine plans, the adapter acts with input the browser generates, and
# the pages count only that input (trusted=1), so "no activity" must hold for both.
OPTIONS = {**ENGINE_OPTIONS, "actuator": "browser"}


class PolicyRun:
    """The daemon in a thread with a Monitor (while-busy) and a RecordingListener."""

    def __init__(self, browser: Any, url: str, monitor: Monitor) -> None:
        self.listener = RecordingListener()
        self.stop_event = threading.Event()
        self.daemon = Daemon(
            [(browser, [url])],
            DaemonConfig(
                interval=INTERVAL, options=OPTIONS, max_backoff=4 * INTERVAL, idle_timeout=6.0
            ),
            clock=SystemClock(),
            scheduler=ScheduleScheduler(),
            listeners=[monitor, self.listener],
            stop_event=self.stop_event,
        )
        self.thread = threading.Thread(target=self.daemon.run, daemon=True)
        self.thread.start()

    def ok(self) -> list[Any]:
        return [r for r in list(self.listener.ticks) if r.ok]

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive(), "daemon did not stop"


@pytest.fixture
def notifier(receiver: Receiver) -> Iterator[AppriseNotifier]:
    from apprise import AppriseAsset

    notifier = AppriseNotifier([receiver.url("/hook")], asset=AppriseAsset(storage_mode="memory"))
    yield notifier
    notifier.close(timeout=5)


def monitor_for(tmp_path: Path, notifier: AppriseNotifier, *, idle: float, grace: float) -> Monitor:
    return Monitor(
        store=JsonStateStore(tmp_path / "state.json"),
        notifier=notifier,
        clock=SystemClock(),
        limits=Limits(idle_timeout=idle, max_lifetime=3600, warn_before=()),
        interval=INTERVAL,
        rules=WorkRules(keep_alive="while-busy", idle_grace=grace),
    )


def released_titles(receiver: Receiver) -> list[str]:
    return [t for t in receiver.titles() if t.startswith("Colab watchdog: released")]


def test_held_while_a_long_cell_runs_then_released_and_the_page_idles_out(
    tmp_path: Path, sim_server: SimServer, receiver: Receiver, notifier: AppriseNotifier
) -> None:
    idle, grace, run_for = 6.0, 4.0, 14.0
    url = sim_server.page_url("policy", era=2025, idle=idle, run=run_for, trusted=1, title="Policy")
    browser = SeleniumBrowser(launch_config(tmp_path))
    monitor = monitor_for(tmp_path, notifier, idle=idle, grace=grace)
    run = PolicyRun(NoClose(browser), url, monitor)
    try:
        # The cell runs 14 s, longer than the page's 6 s idle timeout: it stays connected.
        wait_until(
            lambda: (
                any(r.status.busy for r in run.ok())
                and any(r.status.busy is False for r in run.ok())
            ),
            timeout=run_for + 60,
            message="the cell running, then finished",
        )
        busy = [r for r in run.ok() if r.status.busy]
        assert (busy[-1].at - busy[0].at).total_seconds() >= idle  # ran past the idle timeout
        assert all(r.status.state == "connected" for r in run.ok())
        assert all(r.status.acted == "activity" for r in busy)
        assert all((r.status.input or "").startswith("browser") for r in busy), busy
        # The grace: held (activity) until released, then reading only.
        wait_until(lambda: released_titles(receiver), timeout=grace + 60, message="released")
        wait_until(
            lambda: any(r.status.state == "disconnected" for r in run.ok()),
            timeout=idle + 60,
            message="the page's idle timer running out",
        )
        for _ in range(3):  # a few more ticks of the idled-out page: nothing more is sent
            n = len(run.ok())
            wait_until(lambda n=n: len(run.ok()) > n, timeout=30)
        run.stop()
        page = browser.evaluate(
            url,
            "const s = window.__sim; return {state: s.state, reason: s.disconnectReason,"
            " busy: s.busy};",
        )
    finally:
        run.stop_event.set()
        browser.close()
    assert page == {"state": "disconnected", "reason": "idle", "busy": False}
    # From the release on, no tick produced activity, until and after the idle-out.
    acted = [r.status.acted for r in run.ok()]
    first_none = acted.index("none")
    assert set(acted[first_none:]) == {"none"}, acted
    # the adapter performed no input at all ("browser bidi: nothing")
    assert all((r.status.input or "").endswith(": nothing") for r in run.ok()[first_none:])
    assert len(acted) - first_none >= 4, acted
    # One alert: no `disconnected` and no `keep-alive failing`, the release said so.
    titles = receiver.titles()
    assert titles == ["Colab watchdog: released (Policy)"], titles
    [body] = [p["message"] for _, p in receiver.payloads]
    assert released_text(grace) in body
    assert "no cell has run for 4 s; letting the runtime idle out" in body


def test_a_released_notebook_is_held_again_when_a_cell_runs(
    tmp_path: Path, sim_server: SimServer, receiver: Receiver, notifier: AppriseNotifier
) -> None:
    # No cell runs at first: released after the 2 s grace; 20 s after load a cell starts.
    idle, grace = 60.0, 2.0
    url = sim_server.page_url(
        "policy-again", era=2025, idle=idle, run=600, run_at=20, trusted=1, title="Again"
    )
    browser = SeleniumBrowser(launch_config(tmp_path))
    monitor = monitor_for(tmp_path, notifier, idle=idle, grace=grace)
    run = PolicyRun(NoClose(browser), url, monitor)
    try:
        wait_until(lambda: released_titles(receiver), timeout=60, message="released")
        wait_until(
            lambda: any(r.status.busy for r in run.ok()), timeout=60, message="the cell starting"
        )
        wait_until(
            lambda: sum(r.status.acted == "activity" for r in run.ok() if r.status.busy) >= 2,
            timeout=60,
            message="activity again",
        )
        # as `status` reads it: the heartbeat after the first busy tick saved it
        saved = JsonStateStore(tmp_path / "state.json").load()
        policy = status_document(saved, SystemClock().now())["notebooks"][0]["policy"]
        run.stop()
    finally:
        run.stop_event.set()
        browser.close()
    acted = [(r.status.acted, r.status.busy) for r in run.ok()]
    assert acted[0] == ("activity", False), acted  # held during the grace
    released = acted.index(("none", False))
    running = acted.index(("activity", True))
    assert released < running, acted  # released first, then held again by the run
    assert set(acted[released:running]) <= {("none", False), ("none", True)}, acted
    assert policy == "held"
    assert released_titles(receiver) == ["Colab watchdog: released (Again)"]
