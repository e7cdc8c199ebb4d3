"""The daemon loop's failure and reload policy: pure functions over monotonic seconds."""

from __future__ import annotations

import pytest

from watchdog.daemon.policy import (
    MAX_POLL_S,
    MIN_POLL_S,
    Backoff,
    Pacing,
    PageWatch,
    SessionHealth,
    after_tick,
    classify,
    poll_wait,
    retry_at_once,
    revive_at_once,
    session_failed,
    session_ok,
    watch_page,
)
from watchdog.errors import (
    BrowserLost,
    PageHung,
    PageScriptError,
    PageUnreachable,
    SignedOut,
    TabLost,
)

PACING = Pacing(interval=10, max_backoff=80, lost_after=3, reload_after=3)


# -- what an exception means -----------------------------------------------------------------


def test_classify_names_each_failure_and_what_to_do() -> None:
    lost = classify(BrowserLost("invalid session id"))
    assert lost.text == "browser lost: invalid session id"
    assert lost.browser_lost and lost.reopen and not lost.unexpected

    signed = classify(SignedOut("sign-in page", landed="https://accounts.google.com/"))
    assert signed.text.startswith("signed out: ") and signed.signed_out
    assert signed.landed == "https://accounts.google.com/" and signed.reopen

    tab = classify(TabLost("tab closed", landed="about:blank"))
    assert (tab.text, tab.landed, tab.reopen) == ("tab lost: tab closed", "about:blank", True)

    for exc, prefix in (
        (PageUnreachable("refused"), "page unreachable: "),
        (PageHung("10s"), "page hung: "),
    ):
        failure = classify(exc)
        assert failure.text.startswith(prefix) and failure.reopen
        assert failure.landed is None and not failure.browser_lost and not failure.signed_out

    script = classify(PageScriptError("engine threw"))
    assert script.text == "PageScriptError: engine threw"
    assert not script.reopen and not script.browser_lost and not script.unexpected

    surprise = classify(KeyError("x"))
    assert surprise.text == "unexpected KeyError: 'x'" and surprise.unexpected


def test_only_a_plainly_lost_tab_is_retried_at_once() -> None:
    assert retry_at_once(TabLost("tab closed"))
    assert not retry_at_once(PageUnreachable("refused"))
    assert not retry_at_once(SignedOut("sign-in"))
    assert not retry_at_once(PageHung("10s"))


# -- one notebook's backoff ------------------------------------------------------------------


def test_failures_push_the_next_attempt_out_doubling_to_the_cap() -> None:
    backoff, dues = Backoff(), []
    now = 100.0
    for _ in range(6):
        backoff = after_tick(backoff, False, now, PACING)
        dues.append(backoff.due - now)
    assert dues == [10, 20, 40, 80, 80, 80]
    assert backoff.failures == 6
    assert after_tick(backoff, True, now, PACING) == Backoff()  # a good tick clears it


# -- a browser session -----------------------------------------------------------------------


def test_a_lost_browser_backs_off_and_is_reported_once_per_episode() -> None:
    health, reports = SessionHealth(), []
    for now in (100.0, 110.0, 130.0, 170.0, 250.0):
        health, report = session_failed(health, now, PACING)
        reports.append(report)
    assert reports == [False, False, True, False, False]  # at the third failure, once
    assert health.lost_at == 100.0 and health.failures == 5 and health.due == 250.0 + 80
    health, lost_for = session_ok(health, 260.0)
    assert lost_for == 160.0
    assert (health.failures, health.lost_at, health.lost_reported) == (0, None, False)
    health, report = session_failed(health, 300.0, PACING)  # a new episode starts afresh
    assert (health.failures, health.lost_at, report) == (1, 300.0, False)


def test_session_ok_without_an_episode_reports_nothing() -> None:
    assert session_ok(SessionHealth(), 5.0) == (SessionHealth(), None)


def test_a_dying_browser_is_revived_at_once_only_once_per_sweep() -> None:
    assert revive_at_once(up=False, revived=False, failures=1)
    assert not revive_at_once(up=True, revived=False, failures=0)  # nothing died
    assert not revive_at_once(up=False, revived=True, failures=1)  # already tried this sweep
    assert not revive_at_once(up=False, revived=False, failures=2)  # died again: back off


# -- a tab stuck on a page that is not the notebook ------------------------------------------


def test_a_stuck_page_is_reloaded_after_three_ticks_then_ever_more_rarely() -> None:
    page, reloads = PageWatch(), []
    for now in range(0, 600, 10):
        page, verdict = watch_page(page, "unknown", float(now), PACING)
        if verdict == "reload":
            reloads.append(now)
    # the third unknown tick asks for a reload (done before the next tick); then no sooner
    # than 30 s, 60 s, 80 s (the cap) after each, and three more unknown ticks each time
    assert reloads[:4] == [20, 50, 110, 190]
    assert page.reloads == len(reloads)


def test_a_recognised_page_resets_the_count_and_says_it_is_back() -> None:
    page = PageWatch(unknown=2, reloads=2, reload_due=500.0)
    assert watch_page(page, "connected", 100.0, PACING) == (PageWatch(), "back")
    assert watch_page(PageWatch(unknown=1), "connected", 100.0, PACING) == (PageWatch(), "fine")
    page, verdict = watch_page(PageWatch(), "unknown", 100.0, PACING)
    assert (page.unknown, verdict) == (1, "wait")


def test_reload_after_zero_still_needs_one_unknown_tick() -> None:
    pacing = Pacing(interval=10, reload_after=0)
    assert watch_page(PageWatch(), "unknown", 0.0, pacing)[1] == "reload"
    assert watch_page(PageWatch(), "connected", 0.0, pacing)[1] == "fine"


# -- the loop's sleep ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("idle", "wait"),
    [(None, MAX_POLL_S), (30.0, MAX_POLL_S), (0.4, 0.4), (0.0, MIN_POLL_S), (-5.0, MIN_POLL_S)],
)
def test_the_loop_sleeps_until_due_but_at_most_a_second(idle: float | None, wait: float) -> None:
    assert poll_wait(idle) == wait
