"""Duration syntax: parse `90m`, `12h`, `1h30m`, `45s`, `1.5s`, `500ms`, `2d` or bare seconds.

Pure: standard library only. Every duration inside colab-watchdog is a `float` number of
seconds; this module is the one place that turns text into seconds and seconds into text.

    parse_duration("1h30m")              -> 5400.0
    parse_duration_list("5m,60m,30m")    -> (3600.0, 1800.0, 300.0)   (descending, no duplicates)
    format_duration(5400)                -> "1h30m"                   (canonical, parses back)
    format_remaining(7530)               -> "2h 05m"                  (for people: alert bodies)
"""

from __future__ import annotations

import math
import re

ACCEPTED = (
    "a number with a unit (ms, s, m, h, d) such as 90m, 12h, 1h30m, 45s, 1.5s or 500ms, "
    "or a bare number of seconds"
)

_UNIT_SECONDS: dict[str, float] = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
_UNIT_ORDER = ("d", "h", "m", "s", "ms")
_NUMBER = r"\d+(?:\.\d+)?|\.\d+"
_PART = re.compile(rf"\s*({_NUMBER})\s*(ms|d|h|m|s)", re.IGNORECASE)
_BARE = re.compile(rf"(?:{_NUMBER})")


def parse_duration(text: str) -> float:
    """Return the number of seconds `text` stands for (never negative, always finite).

    Accepts one or more `<number><unit>` parts, largest unit first, each unit at most once
    (`1h30m`, `1h 30m`, `2m30.5s`), or a bare non-negative number of seconds (`90`, `1.5`).
    Units: `ms`, `s`, `m`, `h`, `d`; case-insensitive. Raises ValueError naming the bad text
    and what is accepted.
    """
    raw = text.strip() if isinstance(text, str) else text
    if not isinstance(raw, str) or not raw:
        raise ValueError(f"empty duration: use {ACCEPTED}")
    if raw.startswith("-"):
        raise ValueError(f"invalid duration {text!r}: it must not be negative; use {ACCEPTED}")
    if _BARE.fullmatch(raw):
        return _finite(float(raw), text)
    total = 0.0
    pos = 0
    last_rank = -1
    while pos < len(raw):
        match = _PART.match(raw, pos)
        if match is None:
            raise ValueError(f"invalid duration {text!r}: use {ACCEPTED}")
        unit = match.group(2).lower()
        rank = _UNIT_ORDER.index(unit)
        if rank <= last_rank:
            raise ValueError(
                f"invalid duration {text!r}: put each unit once, largest first (like 1h30m); "
                f"use {ACCEPTED}"
            )
        last_rank = rank
        total += float(match.group(1)) * _UNIT_SECONDS[unit]
        pos = match.end()
    return _finite(total, text)


def _finite(value: float, text: str) -> float:
    if not math.isfinite(value):
        raise ValueError(f"invalid duration {text!r}: use {ACCEPTED}")
    return value


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


def format_remaining(seconds: float) -> str:
    """Time left, for people (alert bodies, status tables, the demo view).

    Rounded DOWN to the displayed unit so it never promises more time than there is:
    one hour or more -> "2h 05m" (minutes zero-padded); under an hour -> "4m 10s"
    (seconds zero-padded); under a minute -> "45s". Negative or NaN counts as "0s".
    """
    if math.isnan(seconds) or seconds <= 0:
        return "0s"
    if math.isinf(seconds):
        return "unlimited"
    whole = math.floor(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"
