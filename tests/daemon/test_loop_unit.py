"""The daemon loop with fake ports: backoff, isolation, recovery, listeners (the paced
run itself: tests/unit/test_daemon_run.py)."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import pytest

from tests.daemon.fakes import CONNECTED, FakeBrowser, RecordingListener
from tests.fakes import FakeClock
from watchdog.core.backoff import backoff_delay, is_due, next_attempt
from watchdog.core.model import TickResult
from watchdog.daemon.loop import Daemon, DaemonConfig
from watchdog.daemon.ports import Listener
from watchdog.daemon.sessions import split_notebooks
from watchdog.errors import (
    BrowserLost,
    BrowserUnavailable,
    PageScriptError,
    PageUnreachable,
    TabLost,
)

A, B, C = "http://nb/a", "http://nb/b", "http://nb/c"


def make(
    urls: list[str], *, interval: float = 10.0, lost_after: int = 3
) -> tuple[Daemon, FakeBrowser, FakeClock, RecordingListener]:
    browser, clock, listener = FakeBrowser(), FakeClock(), RecordingListener()
    daemon = Daemon(
        [(browser, urls)],
        DaemonConfig(interval=interval, max_backoff=80.0, lost_after=lost_after),
        clock=clock,
        listeners=[listener],
    )
    return daemon, browser, clock, listener


def raising(exc: Exception):  # type: ignore[no-untyped-def]
    def fault() -> None:
        raise exc

    return fault


# -- pure pieces ---------------------------------------------------------------------------


def test_backoff_doubles_from_one_interval_and_is_capped() -> None:
    assert backoff_delay(0, base=60) == 0
    assert [backoff_delay(n, base=60, cap=300) for n in range(1, 6)] == [60, 120, 240, 300, 300]
    assert backoff_delay(10_000, base=60, cap=300) == 300
    assert next_attempt(100.0, 2, base=10, cap=300) == 120.0
    assert is_due(95.0, 100.0, slack=5) and not is_due(94.0, 100.0, slack=5)


def test_split_notebooks() -> None:
    urls = [f"u{i}" for i in range(7)]
    assert split_notebooks(urls, 0) == [urls]
    assert split_notebooks(urls, 10) == [urls]
    assert [len(g) for g in split_notebooks(urls, 3)] == [3, 2, 2]
    assert [u for g in split_notebooks(urls, 3) for u in g] == urls
    assert split_notebooks(["a", "a", "b"], 1) == [["a"], ["b"]]
    assert split_notebooks([], 2) == []


# -- sweeps --------------------------------------------------------------------------------


def test_start_opens_every_notebook_and_a_sweep_ticks_each_once() -> None:
    daemon, browser, _, listener = make([A, B])
    daemon.start()
    results = daemon.sweep()
    assert [r.url for r in results] == [A, B]
    assert all(r.ok and r.title == f"title of {r.url}" for r in results)
    assert browser.count("open") == 2 and browser.count("tick") == 2
    assert listener.names() == ["start", "tick", "tick", "sweep"]


def test_poisoned_notebook_backs_off_without_delaying_the_others() -> None:
    daemon, browser, clock, listener = make([A, B, C], interval=10)
    browser.faults[B] = raising(PageScriptError("engine threw"))
    daemon.start()
    ticked_b = []
    for _ in range(16):  # 160 s of sweeps, one per interval
        daemon.sweep()
        ticked_b.append(browser.count("tick", B))
        clock.advance(10)
    # A and C every sweep; B at t=0,10,30,70,150 (interval * 2^(n-1)), never more often.
    assert browser.count("tick", A) == 16 and browser.count("tick", C) == 16
    assert browser.count("tick", B) == 5
    failures = [r for r in listener.ticks if r.url == B]
    assert len(failures) == 5 and all(r.failure and "engine threw" in r.failure for r in failures)
    assert browser.count("recover") == 0  # a page script error never recreates the browser


def test_backoff_resets_after_a_good_tick() -> None:
    daemon, browser, clock, _ = make([A], interval=10)
    browser.faults[A] = raising(PageScriptError("boom"))
    daemon.start()
    for _ in range(4):  # failures at t=0,10,30 -> next due at t=70
        daemon.sweep()
        clock.advance(10)
    del browser.faults[A]
    clock.advance(40)
    daemon.sweep()  # t=80: the good tick
    clock.advance(10)
    daemon.sweep()  # t=90: due again one interval later
    assert browser.count("tick", A) == 5


def test_tab_lost_reopens_and_retries_in_the_same_tick() -> None:
    daemon, browser, _, listener = make([A])
    daemon.start()
    lost_once = [True]

    def close_tab_once() -> None:
        if lost_once.pop() if lost_once else False:
            raise TabLost("tab closed")

    browser.faults[A] = close_tab_once
    daemon.sweep()
    assert browser.count("open", A) == 2  # start + reopen
    assert listener.ticks[-1].ok


def test_browser_lost_recovers_at_once_and_ticks_the_rest_of_the_session() -> None:
    daemon, browser, _, listener = make([A, B])
    daemon.start()

    def die() -> None:
        browser.dead = True
        browser.faults.pop(A)
        raise BrowserLost("invalid session id")

    browser.faults[A] = die
    daemon.sweep()
    assert browser.count("recover") == 1
    assert browser.count("open", B) == 2  # reopened after the recovery
    assert [(r.url, r.ok) for r in listener.ticks] == [(A, False), (A, True), (B, True)]
    daemon.sweep()
    assert listener.ticks[-2].ok and listener.ticks[-1].ok


def test_failing_recovery_backs_off_and_reports_browser_lost_once_per_episode() -> None:
    daemon, browser, clock, listener = make([A, B], interval=10, lost_after=3)
    daemon.start()
    browser.dead = True
    browser.recover_fails = 10**6
    for _ in range(40):  # 400 s
        daemon.sweep()
        clock.advance(10)
    recovers = browser.count("recover")
    # attempts at t=0 (immediate), then after 10, 20, 40, 80, 80, 80 ... s: bounded, not per sweep
    assert 5 <= recovers <= 9
    lost = [arg for name, arg in listener.events if name == "lost"]
    assert sorted(url for url, _, _ in lost) == [A, B]  # once per notebook, one episode
    # recovery succeeds: the episode ends; a new loss may be reported again later
    browser.recover_fails = 0
    clock.advance(100)
    daemon.sweep()
    assert listener.ticks[-1].ok
    browser.dead = True
    browser.recover_fails = 10**6
    for _ in range(40):
        daemon.sweep()
        clock.advance(10)
    assert len([1 for name, _ in listener.events if name == "lost"]) == 4


def test_browser_unavailable_at_start_propagates_and_closes() -> None:
    daemon, browser, _, _ = make([A])
    browser.unavailable = True
    with pytest.raises(BrowserUnavailable):
        daemon.start()
    assert browser.count("close") == 1


def test_browser_lost_at_start_is_retried_by_the_loop() -> None:
    daemon, browser, clock, listener = make([A])
    browser.dead = True
    daemon.start()  # does not raise
    assert listener.names() == ["start"]
    daemon.sweep()  # not due yet: nothing happens
    assert browser.count("start") == 1
    clock.advance(10)
    daemon.sweep()  # due: still dead -> failure results
    assert browser.count("start") == 2 and listener.ticks[-1].failure
    browser.dead = False
    clock.advance(20)
    daemon.sweep()
    assert browser.count("start") == 3 and listener.ticks[-1].ok


def test_run_once_reports_notebooks_of_a_browser_that_never_started() -> None:
    daemon, browser, _, _ = make([A, B])
    browser.dead = True
    results = daemon.run_once()
    assert [r.url for r in results] == [A, B]
    assert all(r.failure and "browser gone" in r.failure for r in results)


def test_listener_that_raises_never_stops_the_loop() -> None:
    class Broken(Listener):
        def on_tick(self, result: TickResult) -> None:
            raise RuntimeError("listener bug")

    browser, clock, recorder = FakeBrowser(), FakeClock(), RecordingListener()
    daemon = Daemon(
        [(browser, [A])], DaemonConfig(interval=1), clock=clock, listeners=[Broken(), recorder]
    )
    daemon.start()
    daemon.sweep()
    daemon.sweep()
    assert len(recorder.ticks) == 2


def test_unexpected_exception_in_a_tick_is_a_failed_tick() -> None:
    daemon, browser, _, listener = make([A, B])
    browser.faults[A] = raising(KeyError("surprise"))
    daemon.start()
    daemon.sweep()
    assert listener.ticks[0].failure and "KeyError" in listener.ticks[0].failure
    assert listener.ticks[1].ok


def test_run_multiple_sessions_each_get_their_own_browser() -> None:
    browsers = [FakeBrowser(), FakeBrowser()]
    clock = FakeClock()
    daemon = Daemon(
        [(browsers[0], [A, B]), (browsers[1], [C])], DaemonConfig(interval=1), clock=clock
    )
    daemon.start()
    browsers[0].dead = True
    browsers[0].recover_fails = 100
    daemon.sweep()
    assert browsers[1].count("tick", C) == 1  # the other session is untouched
    assert browsers[1].count("recover") == 0


def test_run_once_returns_one_result_per_notebook_and_closes() -> None:
    daemon, browser, _, _ = make([A, B])
    results = daemon.run_once()
    assert [r.url for r in results] == [A, B]
    assert browser.calls[-1] == ("close", "")


def test_at_most_one_immediate_recovery_per_sweep() -> None:
    daemon, browser, clock, _ = make([A, B, C])
    daemon.start()
    browser.faults[A] = raising(BrowserLost("invalid session id"))  # recovery never helps
    daemon.sweep()
    assert browser.count("recover") == 1
    assert browser.count("tick", A) == 2  # the failure, and the retry after recovering
    clock.advance(10)
    daemon.sweep()
    assert browser.count("recover") == 1  # it died again right after recovering: back off
    clock.advance(10)
    daemon.sweep()
    assert browser.count("recover") == 2


def test_unreachable_page_backs_off_that_notebook_and_never_recreates_the_browser() -> None:
    """A server outage (net::ERR_CONNECTION_REFUSED on navigation) is not a lost browser."""
    daemon, browser, clock, listener = make([A, B], interval=10, lost_after=3)
    daemon.start()

    def refused() -> None:
        raise PageUnreachable("page did not load while opening A: net::ERR_CONNECTION_REFUSED")

    browser.faults[A] = refused
    for _ in range(16):  # 160 s of sweeps, one per interval
        daemon.sweep()
        clock.advance(10)
    assert browser.count("tick", B) == 16
    assert browser.count("tick", A) == 5  # t=0,10,30,70,150: backoff, no in-tick retry
    assert browser.count("open", A) == 1 + 4  # start, then reopened before each retry
    assert browser.count("recover") == 0
    assert "lost" not in listener.names()
    failures = [r for r in listener.ticks if r.url == A]
    assert all(r.failure and r.failure.startswith("page unreachable:") for r in failures)
    del browser.faults[A]  # the server is back
    clock.advance(160)
    daemon.sweep()
    assert listener.ticks[-2].url == A and listener.ticks[-2].ok


def test_a_tab_stuck_on_an_error_page_is_reloaded_with_backoff() -> None:
    """state=unknown (HTTP 500 page, not a notebook): a reload after 3 such ticks in a row,
    then ever more rarely (never a reload loop); a recognised page resets the count."""
    daemon, browser, clock, _ = make([A, B], interval=10)  # max_backoff 80
    browser.states[A] = replace(CONNECTED, state="unknown", probe=None, acted="none")
    daemon.start()
    reloaded_at = []
    for t in range(0, 600, 10):  # 10 minutes of sweeps, one per interval
        before = browser.count("reload", A)
        daemon.sweep()
        if browser.count("reload", A) > before:
            reloaded_at.append(t)
        clock.advance(10)
    # 3 unknown ticks (t=0,10,20) -> reload before the tick at t=30; then no sooner than
    # 30 s, 60 s, 80 s (the cap) after each reload, and 3 more unknown ticks each time.
    assert reloaded_at[:4] == [30, 60, 120, 200], reloaded_at
    gaps = [b - a for a, b in pairwise(reloaded_at)]
    assert all(30 <= g <= 90 for g in gaps), gaps
    assert browser.count("tick", A) == browser.count("tick", B) == 60  # ticked as usual
    assert browser.count("reload", B) == 0 and browser.count("recover") == 0

    del browser.states[A]  # the page is a notebook again
    daemon.sweep()
    browser.states[A] = replace(CONNECTED, state="unknown", probe=None, acted="none")
    for _ in range(3):
        clock.advance(10)
        daemon.sweep()
    reloads = browser.count("reload", A)
    clock.advance(10)
    daemon.sweep()  # the count started again from zero: reloaded after 3 ticks, at once
    assert browser.count("reload", A) == reloads + 1


def test_a_reload_that_finds_the_tab_gone_reopens_it() -> None:
    daemon, browser, clock, listener = make([A], interval=10, lost_after=3)
    browser.states[A] = replace(CONNECTED, state="unknown")
    daemon.start()
    for _ in range(3):
        daemon.sweep()
        clock.advance(10)
    original = browser.reload

    def reload_lost(url: str) -> None:
        original(url)
        raise TabLost("tab closed")

    browser.reload = reload_lost  # type: ignore[method-assign]
    daemon.sweep()
    assert browser.count("reload", A) == 1
    assert browser.count("open", A) == 2  # reopened, then ticked in the same sweep
    assert listener.ticks[-1].ok
