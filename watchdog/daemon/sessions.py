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
