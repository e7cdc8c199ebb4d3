"""Splitting notebooks over browser sessions (`WATCHDOG_NOTEBOOKS_PER_SESSION`)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def split_notebooks(urls: Sequence[str], per_session: int) -> list[list[str]]:
    """Group `urls` into sessions of at most `per_session` notebooks, in order.

    0 puts every notebook in one session; N splits them over ceil(len/N) sessions of near-equal
    size (7 notebooks, 3 per session -> 3, 2, 2). No notebooks -> no sessions.
    """
    items = list(dict.fromkeys(urls))  # drop duplicates, keep order
    if not items:
        return []
    if per_session <= 0 or per_session >= len(items):
        return [items]
    count = math.ceil(len(items) / per_session)
    size, extra = divmod(len(items), count)
    groups: list[list[str]] = []
    start = 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        groups.append(items[start:end])
        start = end
    return groups


# Past this many notebooks in one browser session, start-up and every sweep grow long (each
# tab opens, and is ticked, in turn; one hung page costs a tick deadline): a warning says
# how to spread them. Documented in docs/settings.md.
CROWDED_SESSION = 20


def crowding_advice(groups: Sequence[Sequence[str]], cap: int = CROWDED_SESSION) -> str | None:
    """One line of advice when a session holds more than `cap` notebooks, else None."""
    largest = max((len(group) for group in groups), default=0)
    if largest <= cap:
        return None
    total = sum(len(group) for group in groups)
    return (
        f"{largest} notebooks in one browser session (more than {cap}): start-up and each "
        f"sweep get slow; spread them with WATCHDOG_NOTEBOOKS_PER_SESSION={cap} "
        f"({-(-total // cap)} sessions: a Grid in remote mode, or a profile per session)"
    )
