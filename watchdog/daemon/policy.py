"""The loop's failure and reload policy: previous state + one outcome -> new state. Pure.

The daemon loop only sequences browser calls; every decision about *when* is made here,
over monotonic seconds passed in (no clock reads), in the style of watchdog.core.alerts:

    classify(exc)                              -> TickFailure   what a tick's exception means
    retry_at_once(exc)                         -> bool          reopen and tick again now?
    after_tick(backoff, ok, now, pacing)       -> Backoff       a notebook's next attempt
    session_failed(health, now, pacing)        -> (SessionHealth, report the loss?)
    session_ok(health, now)                    -> (SessionHealth, seconds it was lost, or None)
    revive_at_once(up, revived, failures)      -> bool          one immediate recovery?
    watch_page(page, state, now, pacing)       -> (PageWatch, PageVerdict)
    poll_wait(idle_seconds)                    -> float         how long the loop may sleep

Backoff is interval * 2^(n-1), capped (watchdog.core.backoff), so one poisoned notebook
neither crash-loops nor delays the others. A tab stuck on a page that is not the notebook
(state "unknown") is reloaded after `reload_after` such ticks in a row, then no sooner than
reload_after * interval * 2^(n-1) (capped) after each reload, never in a loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from watchdog.core.backoff import DEFAULT_CAP, next_attempt
from watchdog.errors import (
    BrowserError,
    BrowserLost,
    PageHung,
    PageUnreachable,
    SignedOut,
    TabLost,
)

# The loop sleeps on the stop event at most this long at a time, so SIGTERM ends it at once.
MAX_POLL_S = 1.0
MIN_POLL_S = 0.01
RELOAD_AFTER = 3


@dataclass(frozen=True)
class Pacing:
    """The settings the policy reads: the sweep interval and the backoff bounds."""

    interval: float
    max_backoff: float = DEFAULT_CAP
    lost_after: int = 3  # failed recoveries before the loss is reported
    reload_after: int = RELOAD_AFTER  # state=unknown ticks in a row before a reload


# -- one tick ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TickFailure:
    """What a tick's exception means for the loop.

    `text` is the failure shown in logs and results; `reopen`: open the tab anew before the
    next tick; `browser_lost`: the session's browser is gone (recreate it); `unexpected`:
    not a watchdog error (log its traceback).
    """

    text: str
    reopen: bool = False
    browser_lost: bool = False
    landed: str | None = None
    signed_out: bool = False
    unexpected: bool = False


# A lost tab of each kind, most specific first: (kind, label, whether the result names the
# page the tab landed on).
_TAB_LOSSES: tuple[tuple[type[TabLost], str, bool], ...] = (
    (PageUnreachable, "page unreachable", False),
    (SignedOut, "signed out", True),
    (PageHung, "page hung", False),
    (TabLost, "tab lost", True),
)


def classify(exc: Exception) -> TickFailure:
    """The loop's reading of an exception raised by one notebook's tick."""
    if isinstance(exc, BrowserLost):
        return TickFailure(f"browser lost: {exc}", reopen=True, browser_lost=True)
    for kind, label, landed in _TAB_LOSSES:
        if isinstance(exc, kind):
            return TickFailure(
                f"{label}: {exc}",
                reopen=True,
                landed=exc.landed if landed else None,
                signed_out=isinstance(exc, SignedOut),
            )
    if isinstance(exc, BrowserError):
        return TickFailure(f"{type(exc).__name__}: {exc}")
    return TickFailure(f"unexpected {type(exc).__name__}: {exc}", unexpected=True)


def retry_at_once(exc: TabLost) -> bool:
    """True when a lost tab is reopened and ticked again in the same tick.

    An unreachable page, a sign-in page and a hung page wait for their backoff instead: a
    retry now would fail the same way (and a hung page would cost another deadline).
    """
    return not isinstance(exc, PageUnreachable | SignedOut | PageHung)


@dataclass(frozen=True)
class Backoff:
    """A notebook's failures in a row and the monotonic time of its next attempt."""

    failures: int = 0
    due: float = 0.0  # 0: at the next sweep


def after_tick(prev: Backoff, ok: bool, now: float, pacing: Pacing) -> Backoff:
    """A good tick clears the backoff; a failed one pushes the next attempt out."""
    if ok:
        return Backoff()
    failures = prev.failures + 1
    due = next_attempt(now, failures, base=pacing.interval, cap=pacing.max_backoff)
    return Backoff(failures, due)


# -- a browser session ---------------------------------------------------------------------


@dataclass(frozen=True)
class SessionHealth:
    """A session's browser losses and failed revivals since its last good tick."""

    failures: int = 0
    due: float = 0.0  # monotonic time of the next revival attempt
    lost_at: float | None = None  # monotonic time the episode began
    lost_reported: bool = False


def session_failed(prev: SessionHealth, now: float, pacing: Pacing) -> tuple[SessionHealth, bool]:
    """The browser died or could not be revived: back off. Returns the new health and
    whether the loss is to be reported now (once per episode, after `lost_after`)."""
    failures = prev.failures + 1
    report = failures >= pacing.lost_after and not prev.lost_reported
    health = SessionHealth(
        failures=failures,
        due=next_attempt(now, failures, base=pacing.interval, cap=pacing.max_backoff),
        lost_at=now if prev.lost_at is None else prev.lost_at,
        lost_reported=prev.lost_reported or report,
    )
    return health, report


def session_ok(prev: SessionHealth, now: float) -> tuple[SessionHealth, float | None]:
    """A good tick ends the failure episode. Returns the fresh health and how long the
    browser was lost (None when it was not)."""
    lost_for = None if prev.lost_at is None else now - prev.lost_at
    return SessionHealth(due=prev.due), lost_for


def revive_at_once(up: bool, revived: bool, failures: int) -> bool:
    """True when a browser that just died in this sweep is recovered at once.

    Only after the first failure since a good tick, and once per sweep: later failures wait
    for their backoff, so a browser that keeps dying cannot cause a recovery loop.
    """
    return not up and not revived and failures <= 1


# -- the page in a tab ---------------------------------------------------------------------


@dataclass(frozen=True)
class PageWatch:
    """Ticks in a row (since the last reload) that found no notebook, and the reloads."""

    unknown: int = 0
    reloads: int = 0  # since the page was last recognised
    reload_due: float = 0.0  # monotonic time before which no further reload happens


# "fine": a notebook page; "back": a notebook again after reloads; "wait": no notebook, not
# reloaded yet; "reload": reload the tab before its next tick.
PageVerdict = Literal["fine", "back", "wait", "reload"]


def watch_page(
    prev: PageWatch, state: str, now: float, pacing: Pacing
) -> tuple[PageWatch, PageVerdict]:
    """Count ticks that found no notebook (state "unknown"); ask for a reload, with
    backoff, when the tab stays stuck. A recognised page resets the count."""
    if state != "unknown":
        return PageWatch(), "back" if prev.reloads else "fine"
    after = max(pacing.reload_after, 1)
    unknown = prev.unknown + 1
    if unknown < after or now < prev.reload_due:
        return PageWatch(unknown, prev.reloads, prev.reload_due), "wait"
    reloads = prev.reloads + 1
    due = next_attempt(now, reloads, base=pacing.interval * after, cap=pacing.max_backoff)
    return PageWatch(0, reloads, due), "reload"


# -- the loop ------------------------------------------------------------------------------


def poll_wait(idle_seconds: float | None) -> float:
    """Seconds the loop sleeps on the stop event: until the next sweep is due, but at most
    MAX_POLL_S (so a stop is seen at once) and at least MIN_POLL_S (no busy loop)."""
    wait = MAX_POLL_S if idle_seconds is None else min(max(idle_seconds, 0.0), MAX_POLL_S)
    return max(wait, MIN_POLL_S)
