"""The loop's side of bounded browser calls, with fake ports: a hung page is backed off
and replaced later (never retried at once), the stop event is honoured during start-up,
and a crowded session is named with the setting that spreads it."""

from __future__ import annotations

import threading

from tests.daemon.fakes import FakeBrowser, RecordingListener
from tests.fakes import FakeClock, FakeScheduler
from watchdog.daemon.loop import Daemon, DaemonConfig
from watchdog.daemon.sessions import CROWDED_SESSION, crowding_advice, split_notebooks
from watchdog.errors import PageHung

A, B = "http://nb/a", "http://nb/b"


def make(
    urls: list[str], stop: threading.Event | None = None
) -> tuple[Daemon, FakeBrowser, FakeClock, RecordingListener]:
    browser, clock, listener = FakeBrowser(), FakeClock(), RecordingListener()
    daemon = Daemon(
        [(browser, urls)],
        DaemonConfig(interval=10.0, max_backoff=80.0),
        clock=clock,
        scheduler=FakeScheduler(clock),
        listeners=[listener],
        stop_event=stop,
    )
    return daemon, browser, clock, listener


def hang() -> None:
    raise PageHung("the page of a did not answer within 10s")


def test_a_hung_page_is_backed_off_and_reopened_later_never_at_once() -> None:
    daemon, browser, clock, listener = make([A, B])
    daemon.start()
    browser.faults[A] = hang
    daemon.sweep()
    assert browser.count("tick", A) == 1  # no immediate retry: it would cost another deadline
    assert browser.count("open", A) == 1  # the start's only
    failed = [t for t in listener.ticks if t.url == A][-1]
    assert failed.failure is not None and failed.failure.startswith("page hung: ")
    assert [t for t in listener.ticks if t.url == B][-1].ok

    daemon.sweep()  # within A's backoff: only B
    assert browser.count("tick", A) == 1
    assert browser.count("tick", B) == 2

    del browser.faults[A]
    clock.advance(10.0)
    daemon.sweep()  # due again: its tab is opened anew (the adapter replaces it), then ticked
    assert browser.count("open", A) == 2
    assert [t for t in listener.ticks if t.url == A][-1].ok


def test_the_stop_event_ends_start_up_between_tab_opens() -> None:
    stop = threading.Event()
    urls = [f"http://nb/{i}" for i in range(30)]
    daemon, browser, _, _ = make(urls, stop)
    opened = browser.open

    def open_then_stop(url: str) -> None:
        opened(url)
        if browser.count("open") == 3:
            stop.set()

    browser.open = open_then_stop  # type: ignore[method-assign]
    daemon.run()
    assert browser.count("open") == 3
    assert browser.count("tick") == 0
    assert browser.count("close") == 1


def test_no_revival_while_stopping() -> None:
    stop = threading.Event()
    stop.set()
    daemon, browser, _, _ = make([A], stop)
    daemon.run()
    assert browser.count("start") == 0 and browser.count("recover") == 0
    assert browser.count("close") == 1


def test_a_crowded_session_is_named_with_the_setting_that_spreads_it() -> None:
    urls = [f"http://nb/{i}" for i in range(CROWDED_SESSION + 5)]
    assert crowding_advice(split_notebooks(urls[:CROWDED_SESSION], 0)) is None
    advice = crowding_advice(split_notebooks(urls, 0))
    assert advice is not None
    assert f"WATCHDOG_NOTEBOOKS_PER_SESSION={CROWDED_SESSION}" in advice
    assert "25 notebooks" in advice and "2 sessions" in advice
    assert crowding_advice(split_notebooks(urls, CROWDED_SESSION)) is None
