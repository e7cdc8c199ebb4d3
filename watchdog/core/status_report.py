"""The `status --json` document, from a persisted state, remaining times at `now`. Pure.

status_document(state, now) -> {"schema_version", "daemon": {"pid", "running", "updated_at"},
                                "notebooks": [status_entry(record, now), ...]}

SCHEMA_VERSION is the state file's schema: the daemon writes it, the state file adapter and
`status` check it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from watchdog.core.model import RESOURCE_KEYS
from watchdog.core.session import parse_iso, remaining

SCHEMA_VERSION = 1


def status_entry(raw: dict[str, Any], now: datetime) -> dict[str, Any]:
    """One notebook of `status --json`, from its persisted record, remaining times at `now`.

    Keys exactly: url, title, state, started_at, lifetime_remaining_s, idle_remaining_s,
    last_tick_at, ticks_ok, ticks_failed, alerts_sent, input (what the last acting tick did,
    e.g. "browser bidi: key"), activity_level (its rung, 0 = key), activity (the rung's
    name, watchdog.core.activity), busy, busy_for_s, idle_for_s, resources, backend, policy
    (see `_work`). Raises ValueError naming the value when the record is not of the
    persisted shape (a corrupt state file).
    """
    record = _object(raw, "a notebook record")
    session = _object(record.get("session"), "'session'")
    alerts = record.get("alerts_sent", [])
    if not isinstance(alerts, list) or not all(isinstance(a, dict) for a in alerts):
        raise ValueError(f"'alerts_sent' is not a list of objects: {alerts!r:.60}")

    def left(key: str) -> float | None:
        text = record.get(key)
        return None if not text else round(remaining(_timestamp(text, key), now), 1)

    return {
        "url": record.get("url"),
        "title": record.get("title"),
        "state": record.get("state"),
        "started_at": session.get("started_at"),
        "lifetime_remaining_s": left("lifetime_deadline"),
        "idle_remaining_s": left("idle_deadline"),
        "last_tick_at": record.get("last_tick_at"),
        "ticks_ok": record.get("ticks_ok", 0),
        "ticks_failed": record.get("ticks_failed", 0),
        "alerts_sent": list(alerts),
        "input": record.get("input"),
        "activity_level": record.get("activity_level", 0),
        "activity": record.get("activity", "key"),
        **_work(_object(record.get("work"), "'work'"), now),
    }


def _work(work: dict[str, Any], now: datetime) -> dict[str, Any]:
    """busy (bool|null: null when the page shows no execution indicator), busy_for_s (the
    running cell's time, null when idle), idle_for_s (time since no cell was seen running),
    resources ({ram_used_gb, ram_total_gb, disk_used_gb, disk_total_gb}|null: the page's own
    figures), backend (str|null), policy ("held"|"released")."""

    def since(key: str) -> float | None:
        text = work.get(key)
        if not text:
            return None
        return round(max(0.0, (now - _timestamp(text, key)).total_seconds()), 1)

    resources = work.get("resources")
    if resources is not None and not isinstance(resources, dict):
        raise ValueError(f"'resources' is not an object: {resources!r:.60}")
    if resources is not None:  # in the documented order, whatever the file's
        resources = {key: resources.get(key) for key in RESOURCE_KEYS}
    busy = work.get("busy")
    return {
        "busy": None if busy is None else bool(busy),
        "busy_for_s": since("busy_since") if busy else None,
        "idle_for_s": since("idle_since") if busy is False else None,
        "resources": resources,
        "backend": work.get("backend"),
        "policy": "released" if work.get("policy") == "released" else "held",
    }


def status_document(state: dict[str, Any], now: datetime) -> dict[str, Any]:
    """`status --json` from a persisted state: exactly schema_version, daemon, notebooks.

    Raises ValueError naming the first value that is not of the persisted shape.
    """
    daemon = _object(state.get("daemon"), "'daemon'")
    notebooks = _object(state.get("notebooks"), "'notebooks'")
    updated = daemon.get("updated_at")
    if updated is not None:
        _timestamp(updated, "daemon updated_at")
    return {
        "schema_version": state.get("schema_version"),
        "daemon": {
            "pid": daemon.get("pid"),
            "running": bool(daemon.get("running", False)),
            "updated_at": updated,
        },
        "notebooks": [status_entry(raw, now) for raw in notebooks.values()],
    }


def _object(value: Any, what: str) -> dict[str, Any]:
    """`value` if it is a JSON object, {} for null; else ValueError."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{what} is not an object: {value!r:.60}")
    return value


def _timestamp(value: Any, what: str) -> datetime:
    """An aware ISO 8601 timestamp; ValueError naming `what` if it is naive or not one."""
    try:
        return parse_iso(value)
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None
