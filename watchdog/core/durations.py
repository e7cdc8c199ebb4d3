"""Duration syntax: parse `90m`, `12h`, `1h30m`, `45s`, `1.5s`, `500ms`, `2d` or bare seconds.

Pure: standard library only. Every duration inside colab-watchdog is a `float` number of
seconds. The grammar itself is `watchdog.notebook.duration_seconds` (that file runs inside
Colab by itself, so it holds the rule); this module is the daemon's face of it.

    parse_duration("1h30m")              -> 5400.0
    parse_duration_list("5m,60m,30m")    -> (3600.0, 1800.0, 300.0)   (descending, no duplicates)
    format_duration(5400)                -> "1h30m"                   (canonical, parses back)
    format_remaining(7530)               -> "2h 05m"                  (for people: alert bodies)
"""

from __future__ import annotations

import math
import re

# The grammar and the countdown text live in watchdog/notebook.py, which must run inside a
# Colab notebook by itself (standard library only); the daemon uses the very same functions.
from watchdog.notebook import DURATION_ACCEPTED as ACCEPTED
from watchdog.notebook import duration_seconds, format_remaining

__all__ = [
    "ACCEPTED",
    "format_duration",
    "format_remaining",
    "parse_duration",
    "parse_duration_list",
]


def parse_duration(text: str) -> float:
    """Return the number of seconds `text` stands for (never negative, always finite).

    Accepts one or more `<number><unit>` parts, largest unit first, each unit at most once
    (`1h30m`, `1h 30m`, `2m30.5s`), or a bare non-negative number of seconds (`90`, `1.5`).
    Units: `ms`, `s`, `m`, `h`, `d`; case-insensitive. Raises ValueError naming the bad text
    and what is accepted.
    """
    return duration_seconds(text)


def parse_duration_list(text: str) -> tuple[float, ...]:
    """Parse comma- or whitespace-separated durations (`60m,30m,10m,5m`).

    Returns the seconds sorted descending without duplicates; an empty or blank text gives ().
    Raises ValueError (from `parse_duration`) for the first bad item.
    """
    items = [item for item in re.split(r"[,\s]+", text.strip()) if item]
    return tuple(sorted({parse_duration(item) for item in items}, reverse=True))


def format_duration(seconds: float) -> str:
    """The canonical text for `seconds`, which `parse_duration` reads back to the same value.

    Rounded to the millisecond: 5400 -> "1h30m", 60 -> "1m", 1.5 -> "1.5s", 0.5 -> "500ms",
    43200 -> "12h", 0 -> "0s". Days are written as hours (`48h`), like the settings defaults.
    """
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"cannot format duration {seconds!r}: need a finite number >= 0")
    total_ms = round(seconds * 1000)
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    parts = []
    if hours:
        parts.append(f"{hours}h")
    if minutes:
        parts.append(f"{minutes}m")
    if secs and millis:
        parts.append(f"{secs}.{millis:03d}".rstrip("0") + "s")
    elif secs:
        parts.append(f"{secs}s")
    elif millis:
        parts.append(f"{millis}ms")
    return "".join(parts) or "0s"
