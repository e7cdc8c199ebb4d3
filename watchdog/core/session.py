"""The per-notebook session clock. Pure: no clock reads, `now` is always passed in.

A *session* is one runtime's life as the watchdog sees it: it starts at the first tick that
sees the notebook connected (or at a start the user gave with `--started-at` / `--elapsed`),
and ends when a tick sees it disconnected. From a session and the limits, these functions say
WHEN things happen (like healthchecks' `Check.going_down_after()`):

    lifetime_deadline(session, limits) -> Deadline(at, source)   source: "max_lifetime" or
                                                                  "colab-estimate" (the earlier)
    idle_deadline(session, limits)     -> datetime                last activity + idle timeout
    remaining(deadline, now)           -> float seconds, never negative
    end_tolerance(interval)            -> how early a disconnect still counts as the
                                          lifetime's end (ticks are discrete)
    crossed_margins(deadline, margins, now) -> the margins whose moment has come

Clock jumps: an elapsed time that comes out negative (the wall clock went backwards) counts
as zero, and nothing here ever moves a deadline because of it, so no threshold is crossed
by a jump backwards.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

DeadlineSource = Literal["max_lifetime", "colab-estimate"]


@dataclass(frozen=True)
class Limits:
    """The settings the clock needs, in float seconds. Margins are sorted descending."""

    idle_timeout: float
    max_lifetime: float
    warn_before: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "warn_before", tuple(sorted(set(self.warn_before), reverse=True)))

    @property
    def keepalive_margins(self) -> tuple[float, ...]:
        """Idle-remaining margins at which `keepalive-failing` fires.

        The warning margins shorter than the idle timeout; when none is, half the idle timeout
        (a margin as long as the timeout would fire on the very first failed tick).
        """
        margins = tuple(m for m in self.warn_before if 0 < m < self.idle_timeout)
        return margins or (self.idle_timeout / 2,)


@dataclass(frozen=True)
class Deadline:
    at: datetime
    source: DeadlineSource


@dataclass(frozen=True)
class Session:
    """One runtime's life. Timestamps are timezone-aware UTC."""

    started_at: datetime
    last_activity_at: datetime
    estimate_deadline: datetime | None = None  # now + Colab's "may last up to", latest reading

    @property
    def session_id(self) -> str:
        """Stable across daemon restarts: the start, to the second (dedup keys build on it)."""
        return self.started_at.strftime("%Y%m%dT%H%M%SZ")

    def with_activity(self, now: datetime) -> Session:
        return replace(self, last_activity_at=now)

    def with_estimate(self, now: datetime, remaining_s: float | None) -> Session:
        if remaining_s is None or remaining_s < 0:
            return self
        return replace(self, estimate_deadline=now + timedelta(seconds=remaining_s))

    def to_json(self) -> dict[str, Any]:
        return {
            "started_at": iso(self.started_at),
            "last_activity_at": iso(self.last_activity_at),
            "estimate_deadline": None
            if self.estimate_deadline is None
            else iso(self.estimate_deadline),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Session:
        """Raises ValueError/KeyError/TypeError on a malformed record."""
        estimate = raw.get("estimate_deadline")
        return cls(
            started_at=parse_iso(raw["started_at"]),
            last_activity_at=parse_iso(raw["last_activity_at"]),
            estimate_deadline=None if estimate is None else parse_iso(estimate),
        )


def start_session(now: datetime, started_at: datetime | None = None) -> Session:
    """A new session seen connected at `now`; `started_at` (a user hint) is clamped to `now`."""
    start = now if started_at is None or started_at > now else started_at
    return Session(started_at=start, last_activity_at=now)


def elapsed(session: Session, now: datetime) -> float:
    """Seconds since the session started; 0 when the clock reads earlier than the start."""
    return max(0.0, (now - session.started_at).total_seconds())


def lifetime_deadline(session: Session, limits: Limits) -> Deadline:
    """When the runtime ends: the earlier of start + max lifetime and Colab's own estimate."""
    by_limit = session.started_at + timedelta(seconds=limits.max_lifetime)
    if session.estimate_deadline is not None and session.estimate_deadline < by_limit:
        return Deadline(session.estimate_deadline, "colab-estimate")
    return Deadline(by_limit, "max_lifetime")


def idle_deadline(session: Session, limits: Limits) -> datetime:
    """When the runtime idles out if no further activity reaches it."""
    return session.last_activity_at + timedelta(seconds=limits.idle_timeout)


def remaining(deadline: datetime, now: datetime) -> float:
    """Seconds from `now` to `deadline`, never negative."""
    return max(0.0, (deadline - now).total_seconds())


def end_tolerance(interval: float) -> float:
    """Seconds before the lifetime deadline within which a disconnect IS the lifetime's end.

    The session's start is the first tick that saw it connected, up to one interval after the
    runtime really started, so the runtime can end up to one interval before the deadline we
    compute; the extra 10 % + 1 s absorbs tick jitter on a loaded machine.
    """
    return max(0.0, interval) * 1.1 + 1.0


def crossed_margins(deadline: datetime, margins: tuple[float, ...], now: datetime) -> list[float]:
    """The margins (descending) whose moment `deadline - margin` is at or before `now`."""
    left = (deadline - now).total_seconds()
    return [m for m in sorted(margins, reverse=True) if left <= m]


def is_stale(last_seen: datetime | None, now: datetime, limits: Limits) -> bool:
    """Whether a persisted session cannot still be the runtime we see now.

    True when no tick saw it for longer than the idle timeout (nothing kept it alive, so
    the runtime it described has idled out). A clock that went backwards is not staleness.
    """
    if last_seen is None:
        return True
    return (now - last_seen).total_seconds() > limits.idle_timeout


def iso(at: datetime) -> str:
    """UTC ISO 8601 with a `Z`, to the second's fraction Python keeps."""
    text = at.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def parse_iso(text: Any) -> datetime:
    """Parse `iso()` output (or any aware ISO 8601 text). Raises ValueError if naive/bad."""
    if not isinstance(text, str):
        raise ValueError(f"expected an ISO 8601 timestamp, got {text!r}")
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"timestamp {text!r} has no timezone")
    return parsed
