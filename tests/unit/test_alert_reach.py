"""Reaching a notebook: `unreachable` after 3 attempts without a good tick, `signed-out` at
once, each once per episode and never again after a restart. Pure, FakeClock."""

from __future__ import annotations

import json
from datetime import datetime

from tests.alerts.conftest import URL, failed_tick, tick
from tests.fakes import FakeClock
from watchdog.core.alert_text import render
from watchdog.core.alerts import NotebookState, observe_browser_lost, observe_tick, resume
from watchdog.core.model import TickResult
from watchdog.core.session import Limits
from watchdog.core.urls import is_sign_in_url, place

LIMITS = Limits(idle_timeout=600, max_lifetime=3600, warn_before=(300,))
SIGN_IN = "https://accounts.google.com/v3/signin/identifier?continue=https%3A%2F%2Fcolab"


def away(at: datetime, landed: str = "http://127.0.0.1:1/elsewhere?x=1") -> TickResult:
    return TickResult(URL, at, None, f"tab lost: went to {landed}", None, landed=landed)


def signed_out(at: datetime) -> TickResult:
    return TickResult(URL, at, None, "signed out", None, landed=SIGN_IN, signed_out=True)


class Run:
    def __init__(self, nb: NotebookState | None = None) -> None:
        self.nb = nb or NotebookState(url=URL)
        self.kinds: list[str] = []
        self.events: list[object] = []

    def feed(self, result: TickResult) -> None:
        self.nb, events = observe_tick(self.nb, result, LIMITS)
        self.kinds += [e.kind for e in events]
        self.events += events

    def restarted(self, now: datetime) -> Run:
        raw = json.loads(json.dumps(self.nb.to_json(LIMITS)))
        return Run(resume(NotebookState.from_json(raw), now, LIMITS))


def test_never_reached_alerts_at_the_third_attempt_once_saying_where(clock: FakeClock) -> None:
    run = Run()
    run.feed(away(clock.now()))
    run.feed(away(clock.advance(10)))
    assert run.kinds == []
    run.feed(away(clock.advance(10)))
    assert run.kinds == ["unreachable"]
    for _ in range(20):
        run.feed(away(clock.advance(10)))
    assert run.kinds == ["unreachable"]  # once per episode
    assert run.nb.state == "unreachable"
    assert run.nb.last_ok_at is None
    title, body = render(run.events[0])  # type: ignore[arg-type]
    assert "not reached" in title
    assert "the tab went to http://127.0.0.1:1/elsewhere" in body
    assert "x=1" not in body  # the query of where it went is left out


def test_a_restart_does_not_repeat_it_and_a_good_tick_ends_the_episode(clock: FakeClock) -> None:
    run = Run()
    for _ in range(3):
        run.feed(away(clock.advance(10)))
    assert run.kinds == ["unreachable"]
    again = run.restarted(clock.now())
    assert again.nb.failed_in_row == 0  # counted from this start
    for _ in range(5):
        again.feed(away(clock.advance(10)))
    assert again.kinds == []  # same episode: already sent
    again.feed(tick(clock.advance(10)))
    assert again.nb.unreached_since is None
    assert again.nb.last_ok_at == clock.now()
    for _ in range(3):
        again.feed(failed_tick(clock.advance(10)))
    assert again.kinds == ["unreachable"]  # a new episode


def test_an_unreadable_page_counts_a_good_tick_resets(clock: FakeClock) -> None:
    run = Run()
    run.feed(tick(clock.now()))
    run.feed(tick(clock.advance(10), state="unknown", acted="none"))
    run.feed(tick(clock.advance(10), state="unknown", acted="none"))
    run.feed(tick(clock.advance(10)))
    run.feed(tick(clock.advance(10), state="unknown", acted="none"))
    assert run.kinds == []
    run.feed(tick(clock.advance(10), error="boom", acted="none"))
    run.feed(away(clock.advance(10)))
    assert run.kinds == ["unreachable"]


def test_signed_out_alerts_at_once_with_the_fix_and_no_unreachable(clock: FakeClock) -> None:
    run = Run()
    run.feed(signed_out(clock.now()))
    assert run.kinds == ["signed-out"]
    assert run.nb.state == "signed-out"
    for _ in range(10):
        run.feed(signed_out(clock.advance(10)))
    assert run.kinds == ["signed-out"]
    title, body = render(run.events[0])  # type: ignore[arg-type]
    assert "signed out" in title
    assert "colab-watchdog login" in body
    assert "--attach" in body
    assert "https://accounts.google.com/v3/signin/identifier" in body
    assert "continue=" not in body
    assert run.restarted(clock.now()).nb.has_sent(run.events[0].key)  # type: ignore[attr-defined]


def test_colabs_signed_out_page_reported_by_the_engine(clock: FakeClock) -> None:
    run = Run()
    run.feed(tick(clock.now(), state="unknown", acted="none", signed_out=True))
    assert run.kinds == ["signed-out"]
    assert run.nb.state == "signed-out"
    assert run.nb.ticks_failed == 1


def test_browser_lost_covers_the_episode(clock: FakeClock) -> None:
    run = Run()
    run.feed(tick(clock.now()))
    run.nb, _ = observe_browser_lost(run.nb, "driver gone", clock.advance(1), LIMITS)
    for _ in range(5):
        run.feed(failed_tick(clock.advance(10), failure="browser lost"))
    assert "unreachable" not in run.kinds


def test_sign_in_hosts_and_places() -> None:
    assert is_sign_in_url(SIGN_IN)
    assert is_sign_in_url("https://ACCOUNTS.google.com/ServiceLogin")
    assert not is_sign_in_url("https://colab.research.google.com/drive/1")
    assert not is_sign_in_url("https://accounts.google.com.evil.example/")
    assert place(SIGN_IN) == "https://accounts.google.com/v3/signin/identifier"
    assert place("http://u:p@127.0.0.1:8080/a?b#c") == "http://127.0.0.1:8080/a"
    assert len(place("https://x.example/" + "a" * 1000)) == 200
