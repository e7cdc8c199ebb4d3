"""`colab-watchdog status [--json] [--check] [--state-file PATH]`: what the daemon sees.

Reads the state file the daemon keeps (`WATCHDOG_STATE_FILE`); remaining times are computed
at the moment of the call. `--json` prints exactly

    {"schema_version", "daemon": {"pid", "running", "updated_at"},
     "notebooks": [{"url", "title", "state", "started_at", "lifetime_remaining_s",
                    "idle_remaining_s", "last_tick_at", "ticks_ok", "ticks_failed",
                    "alerts_sent": [...], "input", "activity_level", "activity",
                    "busy", "busy_for_s", "idle_for_s",
                    "resources": {"ram_used_gb", "ram_total_gb", "disk_used_gb",
                                  "disk_total_gb"} | null,
                    "backend", "policy": "held" | "released"}]}

The table adds one line per notebook with the work: busy/idle and for how long, RAM, disk,
the accelerator of the back-end, and held/released; `?` where the page did not show it.

`--check` (the Docker health check) exits 0 when a running daemon updated the state within
3 intervals (the interval is stored in the state file) and every notebook it watches had a
good tick within 3 intervals (counted from the daemon's start for one never reached), 1
otherwise.

A corrupt state file (not JSON, another schema, a value of the wrong shape such as a
timestamp without a time zone) is left where it is (status only reads; the
daemon moves it aside on its next start): `--check` exits 1, otherwise it is bad input (exit 2),
with one line naming the file and what is wrong.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from watchdog.core.durations import format_remaining
from watchdog.core.session import parse_iso
from watchdog.core.status_report import status_document
from watchdog.core.urls import short_id
from watchdog.errors import ConfigError, ExitCode
from watchdog.paths import default_paths

STALE_AFTER_INTERVALS = 3
WIDTH = 80


def _title(title: str | None) -> str:
    return (title or "(untitled)").removesuffix(" - Colab")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "status",
        help="show what the running daemon sees (from its state file)",
        description="Show each watched notebook's state, session start, lifetime and idle "
        "time remaining, tick counts and the alerts sent, from the daemon's state file.",
    )
    parser.add_argument("--json", action="store_true", help="print the status as JSON")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 0 if a running daemon updated the state and had a good tick of every "
        "notebook within 3 intervals, else 1 (for health checks)",
    )
    parser.add_argument(
        "--state-file",
        type=Path,
        metavar="PATH",
        help="the daemon's state file (default: WATCHDOG_STATE_FILE)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from watchdog.adapters.statefile import JsonStateStore, fresh_state  # noqa: PLC0415 lazy: loguru

    path = _state_path(args.state_file)
    if path.is_dir():
        source = "--state-file" if args.state_file is not None else "WATCHDOG_STATE_FILE"
        raise ConfigError(
            f"{source}={str(path)!r} is a directory: give the daemon's state file, such as "
            f"{path / 'state.json'}"
        )
    now = datetime.now(UTC)
    state, problem = JsonStateStore(path).inspect()
    if problem is not None:
        return _corrupt(path, problem, args)
    if state is None:
        print(
            f"colab-watchdog: no state file at {path}: is the daemon running? "
            "(start it with `colab-watchdog run`, or pass --state-file)",
            file=sys.stderr,
        )
        if not args.json and not args.check:
            print(files_section(path))
        if args.json:
            print(json.dumps(status_document(fresh_state(), now), indent=2))
        return ExitCode.FAILURE
    try:
        document = status_document(state, now)
        fresh, why = _freshness(state, now)
    except ValueError as exc:  # valid JSON of the schema, but a value of the wrong shape
        return _corrupt(path, str(exc), args)
    if args.json:
        print(json.dumps(document, indent=2))
    elif not args.check:
        print(_table(document, why))
        print()
        print(files_section(path))
    if args.check:
        if not fresh:
            print(f"colab-watchdog: unhealthy: {why}", file=sys.stderr)
        return ExitCode.OK if fresh else ExitCode.FAILURE
    return ExitCode.OK


def _corrupt(path: Path, problem: str, args: argparse.Namespace) -> int:
    """A state file that exists but is not a usable state: left in place (status only reads).

    For `--check` the daemon is unhealthy (exit 1); otherwise it is bad input (ConfigError,
    exit 2). Either way one line naming the file, what is wrong and the fix.
    """
    source = "--state-file" if args.state_file is not None else "WATCHDOG_STATE_FILE"
    what = f"the state file {path} ({source}) is corrupt: {problem}"
    fix = "the daemon moves it aside on its next start; or delete it"
    if args.check:
        print(f"colab-watchdog: unhealthy: {what} ({fix})", file=sys.stderr)
        return ExitCode.FAILURE
    raise ConfigError(what, hint=fix)


def files_section(state_file: Path) -> str:
    """Where this install keeps its files on this OS: state file, profile, logs."""
    from watchdog.cli.config import load_settings  # noqa: PLC0415 lazy: pydantic

    defaults = default_paths()
    try:
        settings = load_settings()
        profile, log_file = settings.profile_dir, settings.log_file
    except ConfigError:  # a bad unrelated setting must not hide the table
        profile, log_file = Path(defaults.profile_dir), None
    logs = (
        str(log_file)
        if log_file is not None
        else "stderr; WATCHDOG_LOG_FILE keeps a copy, e.g. in the log folder\n"
        f"           {defaults.log_dir}"
    )
    return "\n".join(
        ["files:", f"  state    {state_file}", f"  profile  {profile}", f"  logs     {logs}"]
    )


def _state_path(flag: Path | None) -> Path:
    if flag is not None:
        return flag
    from watchdog.cli.config import load_settings  # noqa: PLC0415 lazy: pydantic

    return load_settings().state_file


def _freshness(state: dict[str, Any], now: datetime) -> tuple[bool, str]:
    """Whether a running daemon updated the state within 3 intervals, and why (not).

    Raises ValueError for an updated_at that is not an aware timestamp (a corrupt file).
    """

    daemon = state.get("daemon") or {}
    interval = daemon.get("interval_s")
    updated = daemon.get("updated_at")
    if not daemon.get("running"):
        return False, "the daemon is not running (it stopped, or never started)"
    if not isinstance(interval, int | float) or not isinstance(updated, str):
        return False, "the state file has no daemon heartbeat"
    age = (now - parse_iso(updated)).total_seconds()
    limit = STALE_AFTER_INTERVALS * float(interval)
    # Every reason, not the first: a slow sweep and a notebook never reached can be at once.
    reasons = []
    if age > limit:
        reasons.append(f"last update {age:.0f}s ago, more than 3 intervals ({limit:g}s)")
    unreached = _unreached(state, daemon, now, limit)
    if unreached:
        reasons.append(unreached)
    if reasons:
        return False, "; ".join(reasons)
    return True, f"updated {max(age, 0):.0f}s ago"


def _unreached(state: dict[str, Any], daemon: dict[str, Any], now: datetime, limit: float) -> str:
    """Why watched notebooks count as unreached (no good tick within `limit` seconds, counted
    from the daemon's start for one that never had one): each of them, or "" when none."""

    watched = daemon.get("watched")
    started = daemon.get("started_at")
    if not isinstance(watched, list) or not isinstance(started, str):
        return ""  # a state file from before this check
    notebooks = state.get("notebooks") or {}
    reasons = []
    for url in watched:
        record = notebooks.get(url) if isinstance(url, str) else None
        last_ok = record.get("last_ok_at") if isinstance(record, dict) else None
        since = parse_iso(last_ok if isinstance(last_ok, str) else started)
        age = (now - since).total_seconds()
        if age > limit:
            where = record.get("state") if isinstance(record, dict) else None
            what = "never reached" if last_ok is None else f"no good tick for {age:.0f}s"
            reasons.append(f"{url} {what} (state {where or 'new'})")
    if not reasons:
        return ""
    return f"{'; '.join(reasons)}: more than 3 intervals ({limit:g}s)"


def _table(document: dict[str, Any], freshness: str) -> str:

    daemon = document["daemon"]
    running = "running" if daemon["running"] else "stopped"
    lines = [f"daemon: pid {daemon['pid']}, {running}, {freshness}"]
    notebooks = document["notebooks"]
    if not notebooks:
        lines.append("no notebooks seen yet")
        return "\n".join(lines)

    def left(value: float | None) -> str:
        return "-" if value is None else format_remaining(value)

    header = ("NOTEBOOK", "ID", "STATE", "LIFE LEFT", "IDLE LEFT", "OK/FAIL", "ALERTS")
    rows = [header]
    for nb in notebooks:
        rows.append(
            (
                _title(nb["title"]),
                short_id(str(nb["url"])),
                str(nb["state"]),
                left(nb["lifetime_remaining_s"]),
                left(nb["idle_remaining_s"]),
                f"{nb['ticks_ok']}/{nb['ticks_failed']}",
                str(len(nb["alerts_sent"])),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    # the title column gets what the others leave of 80 columns
    widths[0] = max(8, min(widths[0], WIDTH - sum(widths[1:]) - 2 * (len(widths) - 1)))
    for row in rows:
        cells = [_cut(cell, w).ljust(w) for cell, w in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    lines.append("")
    for nb in notebooks:
        alerts = nb["alerts_sent"]
        last = f" (last alert: {alerts[-1]['kind']})" if alerts else ""
        lines.append(f"[{short_id(str(nb['url']))}] {nb['url']}{last}")
        lines.append(
            f"  input: {nb['input'] or '-'}; activity level {nb['activity_level']}"
            f" ({nb['activity']})"
        )
        lines.append(work_line(nb))
    return "\n".join(lines)


def work_line(nb: dict[str, Any]) -> str:
    """`  busy 1m 12s | RAM 1.1/12.7 GB | disk 30/108 GB | GPU | held`: what fits in 80
    columns of the work keys; `?` where the page did not show it."""

    busy = nb.get("busy")
    if busy is None:
        run = "busy ?"
    elif busy:
        run = "busy" + (
            "" if nb.get("busy_for_s") is None else " " + format_remaining(nb["busy_for_s"])
        )
    else:
        run = "idle" + (
            "" if nb.get("idle_for_s") is None else " " + format_remaining(nb["idle_for_s"])
        )
    res = nb.get("resources") or {}

    def pair(used: Any, total: Any) -> str:
        if used is None or total is None:
            return "?"
        return f"{used:.3g}/{total:.3g} GB"

    parts = [
        run,
        "RAM " + pair(res.get("ram_used_gb"), res.get("ram_total_gb")),
        "disk " + pair(res.get("disk_used_gb"), res.get("disk_total_gb")),
        accelerator(nb.get("backend")),
        str(nb.get("policy") or "held"),
    ]
    return ("  " + " | ".join(parts))[:80]


def accelerator(backend: str | None) -> str:
    """`GPU`, `T4`, `TPU`... from the back-end text; `CPU` when it names none; `?` unknown."""

    if not backend:
        return "backend ?"
    match = re.search(r"\(([^)]{1,20})\)\s*$", backend)
    return match.group(1) if match else "CPU"
