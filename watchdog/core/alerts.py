"""Alert detection: previous notebook state + one tick -> new state + events. Pure.

Alerts come from transitions: a tick that finds the same status sends nothing;
a change of status or a crossed threshold produces ONE event, whose stable `key` is recorded
in the notebook's `alerts_sent` so that a restarted daemon (which loads the state) never sends
it again. Rendering is in `watchdog.core.alert_text`; delivery in the notifier adapter.

    observe_tick(nb, result, limits, started_hint=None, interval=0)
                                                          -> (NotebookState, [AlertEvent])
    observe_browser_lost(nb, failure, at, limits)         -> (NotebookState, [AlertEvent])

Kinds and their keys (`sid` is the session id, the session's start to the second):
    lifetime-warning   f"{sid}:lifetime-warning:{margin}"   once per WATCHDOG_WARN_BEFORE margin
    lifetime-reached   f"{sid}:lifetime-reached"
    keepalive-failing  f"{sid}:keepalive-failing:{last activity}:{margin}"
                       f"{sid}:keepalive-failing:idle-disconnect" (an idle-timeout disconnect
                       right after a connected tick: the activity did not count)
    disconnected       f"{sid}:disconnected"
    reconnected        f"{sid}:reconnected"                 (the new session's id)
    captcha            f"{sid}:captcha:{when it appeared}"
    browser-lost       f"{sid}:browser-lost:{when}"
    unreachable        f"{sid}:unreachable:{episode start}"   after UNREACHABLE_AFTER attempts
    signed-out         f"{sid}:signed-out:{episode start}"    at the first signed-out tick
    finished, crashed, memory-high, usage-limit, released
                       f"{sid}:{kind}:{when}"   from the work (watchdog.core.work)

Reaching a notebook: a good tick is one where the engine ran without error on a page it
could read (state not "unknown") and the page is not a sign-in page. An episode starts with
the first attempt that is not good and ends with the next good tick; its start is persisted,
so a restarted daemon never repeats its alert. A signed-out episode sends `signed-out` (with
the fix) and no `unreachable`; neither is sent while `browser-lost` covers the notebook.

A released notebook (keep-alive `while-busy`, idle for the grace) gets no `keepalive-failing`
and no `disconnected` when it idles out: `released` said so.

A session's end is reported once: a disconnect seen at or after the lifetime deadline (or up
to `end_tolerance(interval)` before it) is `lifetime-reached`, not `disconnected`; when
`lifetime-reached` was already sent while the runtime was still connected, the disconnect
that follows sends nothing (that end was already announced). Earlier disconnects stay
`disconnected`.

When several margins are crossed at once (a start with `--elapsed`, a clock jump forward, an
estimate that moves the deadline earlier) only the most urgent one is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from watchdog.core.activity import idle_disconnect, rung_name
from watchdog.core.model import TickResult
from watchdog.core.session import (
    Limits,
    Session,
    crossed_margins,
    end_tolerance,
    idle_deadline,
    is_stale,
    iso,
    lifetime_deadline,
    parse_iso,
    remaining,
    start_session,
)
from watchdog.core.urls import place
from watchdog.core.work import Work, WorkRules, observe_work

AlertKind = Literal[
    "lifetime-warning",
    "lifetime-reached",
    "keepalive-failing",
    "disconnected",
    "reconnected",
    "captcha",
    "browser-lost",
    "unreachable",
    "signed-out",
    "finished",
    "crashed",
    "memory-high",
    "usage-limit",
    "released",
]
DeadlineKind = Literal["max_lifetime", "colab-estimate", "idle_timeout"]

MAX_ALERTS_KEPT = 100
UNREACHABLE_AFTER = 3  # attempts without a good tick before `unreachable`


@dataclass(frozen=True)
class AlertEvent:
    """One alert to deliver. `remaining_s`/`deadline` are those the alert is about."""

    kind: AlertKind
    key: str
    url: str
    title: str | None
    at: datetime
    remaining_s: float | None = None
    deadline: datetime | None = None
    deadline_source: DeadlineKind | None = None
    margin_s: float | None = None
    detail: str | None = None


@dataclass(frozen=True)
class SentAlert:
    key: str
    kind: str
    at: datetime

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "at": iso(self.at)}


@dataclass(frozen=True)
class NotebookState:
    """What the watchdog knows about one notebook; persisted in the state file."""

    url: str
    title: str | None = None
    # an engine state, "unreachable" (tick failed), "signed-out" or "new" (never ticked)
    state: str = "new"
    session: Session | None = None
    last_tick_at: datetime | None = None
    ticks_ok: int = 0
    ticks_failed: int = 0
    captcha: bool = False
    browser_lost: bool = False
    was_disconnected: bool = False
    alerts_sent: tuple[SentAlert, ...] = field(default=())
    last_ok_at: datetime | None = None  # the last good tick
    failed_in_row: int = 0  # attempts without a good tick since it (or since this start)
    unreached_since: datetime | None = None  # the first of those attempts: the episode's id
    landed: str | None = None  # where the tab went instead of the notebook, when known
    input: str | None = None  # the input the last tick acted with (the adapter's words)
    activity_level: int = 0  # its rung of activity (watchdog.core.activity)
    work: Work = field(default_factory=Work)

    def has_sent(self, key: str) -> bool:
        return any(a.key == key for a in self.alerts_sent)

    def record(self, events: list[AlertEvent]) -> NotebookState:
        if not events:
            return self
        sent = self.alerts_sent + tuple(SentAlert(e.key, e.kind, e.at) for e in events)
        return replace(self, alerts_sent=sent[-MAX_ALERTS_KEPT:])

    def to_json(self, limits: Limits) -> dict[str, Any]:
        """The persisted record; includes the deadlines so `status` needs no settings."""
        out: dict[str, Any] = {
            "url": self.url,
            "title": self.title,
            "state": self.state,
            "session": None if self.session is None else self.session.to_json(),
            "last_tick_at": None if self.last_tick_at is None else iso(self.last_tick_at),
            "ticks_ok": self.ticks_ok,
            "ticks_failed": self.ticks_failed,
            "captcha": self.captcha,
            "browser_lost": self.browser_lost,
            "was_disconnected": self.was_disconnected,
            "alerts_sent": [a.to_json() for a in self.alerts_sent],
            "last_ok_at": _iso_or_none(self.last_ok_at),
            "failed_in_row": self.failed_in_row,
            "unreached_since": _iso_or_none(self.unreached_since),
            "landed": self.landed,
            "input": self.input,
            "activity_level": self.activity_level,
            "activity": rung_name(self.activity_level),
            "work": self.work.to_json(),
            "lifetime_deadline": None,
            "lifetime_source": None,
            "idle_deadline": None,
        }
        if self.session is not None:
            deadline = lifetime_deadline(self.session, limits)
            out["lifetime_deadline"] = iso(deadline.at)
            out["lifetime_source"] = deadline.source
            out["idle_deadline"] = iso(idle_deadline(self.session, limits))
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> NotebookState:
        """Raises ValueError/KeyError/TypeError on a malformed record."""
        session_raw = raw.get("session")
        last = raw.get("last_tick_at")
        landed = raw.get("landed")
        return cls(
            url=str(raw["url"]),
            title=None if raw.get("title") is None else str(raw["title"]),
            state=str(raw.get("state", "new")),
            session=None if session_raw is None else Session.from_json(session_raw),
            last_tick_at=None if last is None else parse_iso(last),
            ticks_ok=int(raw.get("ticks_ok", 0)),
            ticks_failed=int(raw.get("ticks_failed", 0)),
            captcha=bool(raw.get("captcha", False)),
            browser_lost=bool(raw.get("browser_lost", False)),
            was_disconnected=bool(raw.get("was_disconnected", False)),
            alerts_sent=tuple(
                SentAlert(str(a["key"]), str(a["kind"]), parse_iso(a["at"]))
                for a in raw.get("alerts_sent", [])
            ),
            last_ok_at=_parse_or_none(raw.get("last_ok_at")),
            failed_in_row=int(raw.get("failed_in_row", 0)),
            unreached_since=_parse_or_none(raw.get("unreached_since")),
            landed=None if landed is None else str(landed),
            input=None if raw.get("input") is None else str(raw["input"]),
            activity_level=int(raw.get("activity_level", 0)),
            work=Work.from_json(raw.get("work")),
        )


def observe_tick(
    nb: NotebookState,
    result: TickResult,
    limits: Limits,
    started_hint: datetime | None = None,
    *,
    interval: float = 0.0,
    rules: WorkRules | None = None,
) -> tuple[NotebookState, list[AlertEvent]]:
    """Fold one tick into the notebook's state; return the new state and the events to send.

    `started_hint` is the user's `--started-at`/`--elapsed` start, used only if this tick
    starts a session. `interval` (seconds between ticks) sets how close to the lifetime
    deadline a disconnect counts as the lifetime's end. `rules` are the work settings
    (watchdog.core.work; defaults without). The returned state already records the events'
    keys.
    """
    now = result.at
    was_connected, last_input = nb.state == "connected", nb.input
    nb = replace(
        nb,
        last_tick_at=now,
        title=result.title or nb.title,
        activity_level=result.activity_level,
    )
    status = result.status
    signed_out = result.signed_out or (status is not None and status.signed_out)
    nb, reach = _reach(nb, result, limits, signed_out=signed_out)
    nb = nb.record(reach)
    events: list[AlertEvent] = []
    if status is None or status.error is not None or signed_out:
        state = "unreachable" if status is None else status.state
        nb = replace(
            nb, ticks_failed=nb.ticks_failed + 1, state="signed-out" if signed_out else state
        )
        events += _thresholds(nb, limits, now, active=False)
        return nb.record(events), reach + events

    nb = replace(nb, ticks_ok=nb.ticks_ok + 1, browser_lost=False, state=status.state)
    if status.input is not None and status.acted != "none":
        nb = replace(nb, input=status.input)
    active = False
    if status.state == "connected":
        if nb.session is None:
            nb = replace(nb, session=start_session(now, started_hint))
            if nb.was_disconnected:
                events.append(_event(nb, "reconnected", "reconnected", now, limits))
            nb = replace(nb, was_disconnected=False)
        assert nb.session is not None
        active = status.acted in ("activity", "reconnect") or status.busy is True
        session = nb.session.with_estimate(now, status.remaining_estimate_s)
        nb = replace(nb, session=session.with_activity(now) if active else session)
    elif status.state == "disconnected":
        if nb.session is not None:
            detail = status.dialog.text if status.dialog is not None else None
            ended = _session_end(nb, now, limits, interval, detail)
            if nb.work.released:  # it was let go on purpose: `released` already said so
                ended = [e for e in ended if e.kind != "disconnected"]
            events += ended
            lasted = (now - nb.session.started_at).total_seconds()
            evidence = idle_disconnect(
                was_connected, status, connected_for=lasted, idle_timeout=limits.idle_timeout
            )
            if evidence and [e.kind for e in ended] == ["disconnected"]:
                events.append(_activity_failed(nb, now, limits, last_input))
        nb = replace(nb, session=None, was_disconnected=True)

    work, intents = observe_work(nb.work, status, now, rules or WorkRules())
    nb = replace(nb, work=work)
    for intent in intents:
        event = _event(nb, intent.kind, intent.suffix, now, limits, detail=intent.detail)
        if not nb.has_sent(event.key):
            events.append(event)

    if status.captcha and not nb.captcha:
        events.append(_event(nb, "captcha", f"captcha:{_stamp(now)}", now, limits))
    nb = replace(nb, captcha=status.captcha)
    nb = nb.record(events)
    more = _thresholds(nb, limits, now, active=active)
    return nb.record(more), reach + events + more


def resume(nb: NotebookState, now: datetime, limits: Limits) -> NotebookState:
    """A notebook loaded from the state file by a (re)starting daemon, at `now`.

    Its persisted session is kept (so nothing is sent twice) unless it is stale: no tick saw
    it for longer than the idle timeout, so the runtime it described has idled out since.
    Only a restart checks this; a clock jump while running is not a restart.
    """
    nb = replace(nb, failed_in_row=0)  # attempts count from this start; the episode stays
    if nb.session is not None and is_stale(nb.last_tick_at, now, limits):
        work = Work(backend=nb.work.backend)  # that runtime's work is over too
        return replace(nb, session=None, captcha=False, browser_lost=False, work=work)
    return nb


def _reach(
    nb: NotebookState, result: TickResult, limits: Limits, *, signed_out: bool
) -> tuple[NotebookState, list[AlertEvent]]:
    """Track the episode without a good tick; `signed-out` at once, else `unreachable`
    after UNREACHABLE_AFTER attempts. Once per episode each (see the module docstring)."""
    now, status = result.at, result.status
    good = status is not None and status.error is None and status.state != "unknown"
    if good and not signed_out:
        return replace(nb, last_ok_at=now, failed_in_row=0, unreached_since=None, landed=None), []
    since = nb.unreached_since or now
    landed = result.landed or (result.url if status is not None else None)
    nb = replace(nb, failed_in_row=nb.failed_in_row + 1, unreached_since=since, landed=landed)
    detail = _where(result, nb.failed_in_row, signed_out=signed_out)
    signed = _event(nb, "signed-out", f"signed-out:{_stamp(since)}", now, limits, detail=detail)
    if signed_out:
        return nb, [] if nb.has_sent(signed.key) else [signed]
    event = _event(nb, "unreachable", f"unreachable:{_stamp(since)}", now, limits, detail=detail)
    quiet = nb.browser_lost or nb.has_sent(signed.key) or nb.has_sent(event.key)
    if nb.failed_in_row < UNREACHABLE_AFTER or quiet:
        return nb, []
    return nb, [event]


def _where(result: TickResult, attempts: int, *, signed_out: bool) -> str:
    """Where the tab went, for the alert's Detail line."""
    status = result.status
    if signed_out:
        return f"the tab landed on a sign-in page: {place(result.landed or result.url)}"
    if result.landed:
        where = f"the tab went to {place(result.landed)}"
    elif status is not None and status.error is None:
        where = "the page shows no notebook the watchdog can read (error page? Colab changed?)"
    else:
        where = f"the last attempt failed: {result.failure or (status and status.error)}"
    return f"{attempts} attempts without a good tick; {where}"


def observe_browser_lost(
    nb: NotebookState, failure: str, at: datetime, limits: Limits
) -> tuple[NotebookState, list[AlertEvent]]:
    """Recovery of the browser keeps failing: one `browser-lost` until a tick succeeds again."""
    if nb.browser_lost:
        return nb, []
    suffix = f"browser-lost:{_stamp(at)}"
    event = _event(nb, "browser-lost", suffix, at, limits, detail=failure, idle=True)
    nb = replace(nb, browser_lost=True, state="unreachable")
    return nb.record([event]), [event]


def _session_end(
    nb: NotebookState, now: datetime, limits: Limits, interval: float, detail: str | None
) -> list[AlertEvent]:
    """The one alert for `nb`'s session, which a tick at `now` saw disconnected.

    Nothing if `lifetime-reached` was already sent (the end was announced); `lifetime-reached`
    if the deadline is at most `end_tolerance(interval)` away (or past); else `disconnected`.
    """
    session = nb.session
    assert session is not None
    if nb.has_sent(f"{session.session_id}:lifetime-reached"):
        return []
    deadline = lifetime_deadline(session, limits)
    if (deadline.at - now).total_seconds() > end_tolerance(interval):
        return [_event(nb, "disconnected", "disconnected", now, limits, detail=detail)]
    event = _event(nb, "lifetime-reached", "lifetime-reached", now, limits, detail=detail)
    return [replace(event, remaining_s=0.0)]  # the runtime is gone, whatever our clock says


def _activity_failed(
    nb: NotebookState, now: datetime, limits: Limits, last_input: str | None
) -> AlertEvent:
    """`keepalive-failing`: the runtime idled out although the ticks before succeeded."""
    detail = (
        "the runtime was disconnected for inactivity although the watchdog's ticks "
        f"succeeded: the page did not count its input ({last_input or 'unknown'}); the next "
        "runtime gets stronger activity"
    )
    event = _event(nb, "keepalive-failing", "keepalive-failing:idle-disconnect", now, limits)
    # The runtime is already gone: no deadline to count down to.
    return replace(event, detail=detail, remaining_s=None, deadline=None, deadline_source=None)


def _thresholds(
    nb: NotebookState, limits: Limits, now: datetime, *, active: bool
) -> list[AlertEvent]:
    """Crossed lifetime margins, the lifetime itself and (when not active) idle margins."""
    session = nb.session
    if session is None:
        return []
    sid = session.session_id
    events: list[AlertEvent] = []
    deadline = lifetime_deadline(session, limits)
    left = remaining(deadline.at, now)
    reached_key = f"{sid}:lifetime-reached"
    if not nb.has_sent(reached_key):
        if left <= 0:
            events.append(_event(nb, "lifetime-reached", "lifetime-reached", now, limits))
        else:
            margin = _due_margin(
                nb, f"{sid}:lifetime-warning", deadline.at, limits.warn_before, now
            )
            if margin is not None:
                events.append(
                    _event(
                        nb,
                        "lifetime-warning",
                        f"lifetime-warning:{margin:g}",
                        now,
                        limits,
                        margin=margin,
                    )
                )
    if not active and not nb.work.released:
        suffix = f"keepalive-failing:{_stamp(session.last_activity_at)}"
        idle_at = idle_deadline(session, limits)
        margin = _due_margin(nb, f"{sid}:{suffix}", idle_at, limits.keepalive_margins, now)
        if margin is not None:
            events.append(
                _event(
                    nb,
                    "keepalive-failing",
                    f"{suffix}:{margin:g}",
                    now,
                    limits,
                    margin=margin,
                    idle=True,
                )
            )
    return events


def _due_margin(
    nb: NotebookState, prefix: str, deadline: datetime, margins: tuple[float, ...], now: datetime
) -> float | None:
    """The most urgent crossed margin, unless it or a more urgent one was already sent."""
    crossed = crossed_margins(deadline, margins, now)
    if not crossed:
        return None
    due = min(crossed)
    if any(nb.has_sent(f"{prefix}:{m:g}") for m in margins if m <= due):
        return None
    return due


def _event(
    nb: NotebookState,
    kind: AlertKind,
    suffix: str,
    now: datetime,
    limits: Limits,
    *,
    margin: float | None = None,
    detail: str | None = None,
    idle: bool = False,
) -> AlertEvent:
    """An event about `nb`'s current session, keyed under its id.

    Its deadline is the session's lifetime deadline, or with `idle` its idle deadline.
    """
    session = nb.session
    sid = session.session_id if session is not None else "no-session"
    deadline: datetime | None = None
    source: DeadlineKind | None = None
    if session is not None and idle:
        deadline, source = idle_deadline(session, limits), "idle_timeout"
    elif session is not None:
        lifetime = lifetime_deadline(session, limits)
        deadline, source = lifetime.at, lifetime.source
    return AlertEvent(
        kind=kind,
        key=f"{sid}:{suffix}",
        url=nb.url,
        title=nb.title,
        at=now,
        remaining_s=None if deadline is None else remaining(deadline, now),
        deadline=deadline,
        deadline_source=source,
        margin_s=margin,
        detail=detail,
    )


def _iso_or_none(at: datetime | None) -> str | None:
    return None if at is None else iso(at)


def _parse_or_none(text: Any) -> datetime | None:
    return None if text is None else parse_iso(text)


def _stamp(at: datetime) -> str:
    return at.strftime("%Y%m%dT%H%M%SZ")
