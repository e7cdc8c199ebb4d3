"""The `status --json` document, from a persisted state, remaining times at `now`. Pure.

status_document(state, now) -> {"schema_version", "daemon": {"pid", "running", "updated_at"},
                                "notebooks": [status_entry(record, now), ...]}
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from watchdog.core.session import parse_iso, remaining


def status_entry(raw: dict[str, Any], now: datetime) -> dict[str, Any]:
    """One notebook of `status --json`, from its persisted record, remaining times at `now`.

    Keys exactly: url, title, state, started_at, lifetime_remaining_s, idle_remaining_s,
    last_tick_at, ticks_ok, ticks_failed, alerts_sent.
    """
    session = raw.get("session") or {}

    def left(key: str) -> float | None:
        text = raw.get(key)
        return None if not text else round(remaining(parse_iso(text), now), 1)

    return {
        "url": raw.get("url"),
        "title": raw.get("title"),
        "state": raw.get("state"),
        "started_at": session.get("started_at"),
        "lifetime_remaining_s": left("lifetime_deadline"),
        "idle_remaining_s": left("idle_deadline"),
        "last_tick_at": raw.get("last_tick_at"),
        "ticks_ok": raw.get("ticks_ok", 0),
        "ticks_failed": raw.get("ticks_failed", 0),
        "alerts_sent": list(raw.get("alerts_sent", [])),
    }


def status_document(state: dict[str, Any], now: datetime) -> dict[str, Any]:
    """`status --json` from a persisted state: exactly schema_version, daemon, notebooks."""
    daemon = state.get("daemon") or {}
    notebooks = state.get("notebooks") or {}
    return {
        "schema_version": state.get("schema_version"),
        "daemon": {
            "pid": daemon.get("pid"),
            "running": bool(daemon.get("running", False)),
            "updated_at": daemon.get("updated_at"),
        },
        "notebooks": [status_entry(raw, now) for raw in notebooks.values()],
    }
