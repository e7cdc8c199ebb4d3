"""Rendering alerts for people: `render(event, tz) -> (title, body)`. Pure.

Separate from detection (watchdog.core.alerts) and from delivery (the notifier adapter), the
way apprise separates `notify()` from `send()`. The title starts with `Colab watchdog:` and
names the kind in words; the body names the notebook (title and URL), the time remaining
(`2h 05m`), the wall-clock deadline (UTC ISO 8601 and a readable local form) and what to do.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from watchdog.core.alerts import AlertEvent, AlertKind
from watchdog.core.durations import format_remaining
from watchdog.core.session import iso

TITLE_PREFIX = "Colab watchdog:"

KIND_WORDS: dict[AlertKind, str] = {
    "lifetime-warning": "lifetime warning",
    "lifetime-reached": "lifetime reached",
    "keepalive-failing": "keep-alive failing",
    "disconnected": "disconnected",
    "reconnected": "reconnected",
    "captcha": "captcha",
    "browser-lost": "browser lost",
    "unreachable": "notebook not reached",
    "signed-out": "signed out of Google",
    "finished": "finished",
    "crashed": "crashed",
    "memory-high": "memory high",
    "usage-limit": "usage limit",
    "released": "released",
}

WHAT_TO_DO: dict[AlertKind, str] = {
    "lifetime-warning": "Save a checkpoint now (weights, outputs, to Drive or elsewhere): "
    "the runtime is stopped at the deadline and everything not saved is lost.",
    "lifetime-reached": "The runtime has reached its lifetime limit and is being stopped. "
    "Check that your last checkpoint was saved, then start a new runtime to continue.",
    "keepalive-failing": "The watchdog cannot keep this notebook active: the runtime idles out "
    "at the deadline. Save a checkpoint now and open the notebook to see what the page shows.",
    "disconnected": "The runtime disconnected: variables and unsaved files are gone. "
    "Open the notebook, reconnect, and resume from your last checkpoint.",
    "reconnected": "The notebook is connected to a NEW runtime: earlier variables and files "
    "are gone. Re-run your setup cells and resume from your last checkpoint.",
    "captcha": "Colab asks a human to solve a captcha: open the notebook in a browser and "
    "solve it (the watchdog never touches it). Save a checkpoint now.",
    "browser-lost": "The watchdog's browser keeps failing to recover, so this notebook is not "
    "being kept alive. Check the watchdog's machine and logs; save a checkpoint now.",
    "unreachable": "The watchdog cannot reach this notebook, so nothing keeps it alive. "
    "Open the URL in a browser to see what it shows (a moved or private notebook, an error "
    "page), fix WATCHDOG_NOTEBOOKS if needed, and check the watchdog's logs.",
    "signed-out": "The watchdog's browser profile is signed out of Google, so nothing keeps "
    "this notebook alive. Sign in again with `colab-watchdog login` (same "
    "WATCHDOG_PROFILE_DIR), or use attach mode (--attach) with a browser you signed in to.",
    "finished": "A long run has ended. Check its output; if you no longer need the runtime, "
    "disconnect it (connected runtimes use compute units).",
    "crashed": "The session crashed: variables are gone. Open the notebook, read the reason, "
    "use less memory (smaller batches) and resume from your last checkpoint.",
    "memory-high": "RAM is nearly full and the session crashes when it runs out. Save a "
    "checkpoint now; free memory or use smaller batches.",
    "usage-limit": "Colab refuses a GPU because of usage limits. Wait, use a CPU runtime, "
    "or check your plan; the watchdog does not get around limits.",
    "released": "Nothing, unless you still need this runtime: run a cell and the watchdog "
    "holds it again (WATCHDOG_KEEP_ALIVE=always holds it always).",
}

_SOURCE_WORDS = {
    "max_lifetime": "from WATCHDOG_MAX_LIFETIME",
    "colab-estimate": "from Colab's own estimate",
    "idle_timeout": "idle timeout, from the last activity",
}


def render(event: AlertEvent, tz: tzinfo = UTC) -> tuple[str, str]:
    """The alert's title and body. `tz` is the zone of the readable deadline (default UTC)."""
    words = KIND_WORDS[event.kind]
    name = event.title or event.url
    title = f"{TITLE_PREFIX} {words}"
    if event.remaining_s is not None and event.kind in ("lifetime-warning", "keepalive-failing"):
        title += f", {format_remaining(event.remaining_s)} left"
    title += f" ({name})"

    lines = [f"Notebook: {event.title or '(untitled)'}", f"URL: {event.url}"]
    if event.remaining_s is not None:
        what = "Idle time remaining" if event.deadline_source == "idle_timeout" else "Remaining"
        lines.append(f"{what}: {format_remaining(event.remaining_s)}")
    if event.deadline is not None:
        source = _SOURCE_WORDS.get(event.deadline_source or "", "")
        deadline = event.deadline.replace(microsecond=0)  # to the second
        lines.append(f"Deadline: {iso(deadline)} ({readable(deadline, tz)})")
        if source:
            lines.append(f"Deadline source: {source}")
    if event.detail:
        lines.append(f"Detail: {event.detail}")
    lines.append(f"What to do: {WHAT_TO_DO[event.kind]}")
    return title, "\n".join(lines)


def clock_time(at: datetime, tz: tzinfo = UTC) -> str:
    """`18:36:05 CET`: the time of day in `tz`, to the second."""
    local = at.astimezone(tz)
    return f"{local:%H:%M:%S} {local.tzname() or ''}".strip()


def readable(at: datetime, tz: tzinfo = UTC) -> str:
    """`Thu 26 Nov 18:36 CET`: the moment in `tz`, for people."""
    local = at.astimezone(tz)
    zone = local.tzname() or ""
    return f"{local:%a %d %b %H:%M} {zone}".strip()
