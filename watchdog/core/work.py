"""Watching the work: runs that finish, crashes, memory, usage limits, and the keep-alive
policy (hold the runtime, or release it to idle out). Pure: `now` is always passed in.

    observe_work(work, status, now, rules) -> (Work, [Intent])

`Work` is the per-notebook record (persisted under the notebook's `work` key); each `Intent`
is (kind, key suffix, detail) for an alert that `watchdog.core.alerts` turns into an event
under the session's id and records, so a restarted daemon never sends it again. One per
episode:

    finished     f"finished:{run start}"     a run of at least `finished_after` has ended
    crashed      f"crashed:{first seen}"     a crash message is showing (until it goes away)
    memory-high  f"memory-high:{when}"       RAM >= `memory_warn`; again only after RAM has
                                             been below `memory_rearm`
    usage-limit  f"usage-limit:{first seen}" a usage-limit message (toast or dialog) is showing
    released     f"released:{idle since}"    `while-busy`: no cell ran for `idle_grace`

A run's start is the page's own elapsed time ("Executing (1m 12s)") when it shows one, else
the first tick that saw the cell running. A reading the page does not give (busy unknown,
no RAM figures) changes nothing: no alert and no release is ever based on a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from watchdog.core.durations import format_remaining
from watchdog.core.model import EngineStatus, Resources
from watchdog.core.session import iso, parse_iso

KeepAlive = Literal["always", "while-busy"]
WorkKind = Literal["finished", "crashed", "memory-high", "usage-limit", "released"]

# A page elapsed time that starts this much later than the run we know is a new run (the
# old one ended between two ticks).
NEW_RUN_SLACK_S = 5.0


@dataclass(frozen=True)
class WorkRules:
    """The settings of this module, in float seconds and fractions (0.9 = 90 %)."""

    finished_after: float = 120.0
    memory_warn: float = 0.9
    memory_rearm: float = 0.8
    keep_alive: KeepAlive = "always"
    idle_grace: float = 3600.0


@dataclass(frozen=True)
class Intent:
    kind: WorkKind
    suffix: str
    detail: str | None = None


@dataclass(frozen=True)
class Work:
    """What the watchdog knows about a notebook's work. Timestamps are aware UTC."""

    busy: bool | None = None
    busy_since: datetime | None = None  # start of the current run
    last_busy_at: datetime | None = None  # last tick that saw it running
    idle_since: datetime | None = None  # first tick that saw no cell running
    resources: Resources | None = None
    backend: str | None = None
    memory_high: bool = False
    crash_shown: bool = False
    usage_limit_shown: bool = False
    released: bool = False

    @property
    def policy(self) -> str:
        return "released" if self.released else "held"

    def to_json(self) -> dict[str, Any]:
        def stamp(at: datetime | None) -> str | None:
            return None if at is None else iso(at)

        return {
            "busy": self.busy,
            "busy_since": stamp(self.busy_since),
            "last_busy_at": stamp(self.last_busy_at),
            "idle_since": stamp(self.idle_since),
            "resources": None if self.resources is None else self.resources.to_json(),
            "backend": self.backend,
            "memory_high": self.memory_high,
            "crash_shown": self.crash_shown,
            "usage_limit_shown": self.usage_limit_shown,
            "policy": self.policy,
        }

    @classmethod
    def from_json(cls, raw: Any) -> Work:
        """Raises ValueError/TypeError on a malformed record; None reads as a fresh one."""
        if raw is None:
            return cls()
        if not isinstance(raw, dict):
            raise ValueError(f"'work' is not an object: {raw!r:.60}")

        def at(key: str) -> datetime | None:
            value = raw.get(key)
            return None if value is None else parse_iso(value)

        busy = raw.get("busy")
        backend = raw.get("backend")
        return cls(
            busy=None if busy is None else bool(busy),
            busy_since=at("busy_since"),
            last_busy_at=at("last_busy_at"),
            idle_since=at("idle_since"),
            resources=Resources.from_json(raw.get("resources")),
            backend=None if backend is None else str(backend),
            memory_high=bool(raw.get("memory_high", False)),
            crash_shown=bool(raw.get("crash_shown", False)),
            usage_limit_shown=bool(raw.get("usage_limit_shown", False)),
            released=raw.get("policy") == "released",
        )


def released_text(grace_s: float) -> str:
    """The `released` alert's words, with the configured grace ("60 min")."""
    return (
        f"no cell has run for {grace_words(grace_s)}; letting the runtime idle out, "
        "as Colab's rules expect"
    )


def grace_words(seconds: float) -> str:
    """60 min, 90 min, 45 s, 1m 30s: minutes when whole, else the status form."""
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    if seconds < 60 and float(seconds).is_integer():
        return f"{int(seconds)} s"
    return format_remaining(seconds)


def observe_work(
    work: Work, status: EngineStatus, now: datetime, rules: WorkRules
) -> tuple[Work, list[Intent]]:
    """Fold one good tick into `work`; returns the new record and the alerts it calls for."""
    intents: list[Intent] = []
    if status.state == "disconnected":
        # No runtime: no run, nothing to hold or release; the next runtime starts afresh.
        return replace(Work(), backend=work.backend), intents
    if status.state != "connected":
        # Connecting, or a page the engine cannot read: nothing is known, nothing changes
        # (a flicker must not re-arm an alert that was already sent).
        return work, intents
    if status.resources is not None:
        work = replace(work, resources=status.resources)
    if status.backend is not None:
        work = replace(work, backend=status.backend)
    work, crashed = _notices(work, status, now, intents)
    work = _runs(work, status, now, rules, intents, crashed=crashed)
    work = _memory(work, now, rules, intents)
    work = _policy(work, now, rules, intents)
    return work, intents


def _notices(
    work: Work, status: EngineStatus, now: datetime, intents: list[Intent]
) -> tuple[Work, bool]:
    notice = status.notice
    crashed = notice is not None and notice.kind == "crashed"
    if crashed and not work.crash_shown:
        assert notice is not None
        intents.append(Intent("crashed", f"crashed:{_stamp(now)}", notice.text))
    limited = (notice is not None and notice.kind == "usage-limit") or (
        status.dialog is not None and status.dialog.kind == "usage-limit"
    )
    if limited and not work.usage_limit_shown:
        text = notice.text if notice is not None and notice.kind == "usage-limit" else None
        if text is None and status.dialog is not None:
            text = status.dialog.text
        intents.append(Intent("usage-limit", f"usage-limit:{_stamp(now)}", text))
    return replace(work, crash_shown=crashed, usage_limit_shown=limited), crashed


def _runs(
    work: Work,
    status: EngineStatus,
    now: datetime,
    rules: WorkRules,
    intents: list[Intent],
    *,
    crashed: bool,
) -> Work:
    if crashed:  # the crash ended the run: that is the `crashed` alert, not `finished`
        return replace(work, busy=status.busy, busy_since=None, idle_since=work.idle_since or now)
    if status.busy is None:
        return replace(work, busy=None)
    if status.busy:
        start = now if status.busy_for_s is None else now - timedelta(seconds=status.busy_for_s)
        if work.busy_since is not None and status.busy_for_s is not None:
            if (start - work.busy_since).total_seconds() > NEW_RUN_SLACK_S:
                _finished(work, rules, intents)  # a run ended and another began between ticks
            else:
                start = work.busy_since
        elif work.busy_since is not None:
            start = work.busy_since
        return replace(
            work, busy=True, busy_since=start, last_busy_at=now, idle_since=None, released=False
        )
    if work.busy_since is not None:
        _finished(work, rules, intents)
    return replace(work, busy=False, busy_since=None, idle_since=work.idle_since or now)


def _finished(work: Work, rules: WorkRules, intents: list[Intent]) -> None:
    assert work.busy_since is not None
    end = work.last_busy_at or work.busy_since
    ran = max(0.0, (end - work.busy_since).total_seconds())
    if ran >= rules.finished_after:
        detail = f"The run took {format_remaining(ran)} (it ended after {iso(end)})."
        intents.append(Intent("finished", f"finished:{_stamp(work.busy_since)}", detail))


def _memory(work: Work, now: datetime, rules: WorkRules, intents: list[Intent]) -> Work:
    fraction = None if work.resources is None else work.resources.ram_fraction
    if fraction is None:
        return work
    if fraction >= rules.memory_warn and not work.memory_high:
        res = work.resources
        assert res is not None
        detail = (
            f"RAM {res.ram_used_gb:g} GB of {res.ram_total_gb:g} GB ({fraction:.0%}); "
            f"the alert comes again after RAM falls below {rules.memory_rearm:.0%}"
        )
        intents.append(Intent("memory-high", f"memory-high:{_stamp(now)}", detail))
        return replace(work, memory_high=True)
    if fraction < rules.memory_rearm and work.memory_high:
        return replace(work, memory_high=False)
    return work


def _policy(work: Work, now: datetime, rules: WorkRules, intents: list[Intent]) -> Work:
    if rules.keep_alive != "while-busy":
        return replace(work, released=False)
    if work.released or work.busy is not False or work.idle_since is None:
        return work
    if (now - work.idle_since).total_seconds() < rules.idle_grace:
        return work
    text = released_text(rules.idle_grace)
    intents.append(Intent("released", f"released:{_stamp(work.idle_since)}", text))
    return replace(work, released=True)


def _stamp(at: datetime) -> str:
    return at.strftime("%Y%m%dT%H%M%SZ")
