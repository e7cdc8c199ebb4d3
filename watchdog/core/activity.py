"""Activity rungs: how hard the daemon works to look like a person. Pure.

The daemon's input starts at rung 0 and steps up one rung each time the evidence says the
activity did not count: an idle-timeout disconnect right after ticks that succeeded.

    rung 0  key              a Shift key press
    rung 1  key+move         the key, then the pointer moved over the notebook body
    rung 2  key+move+click   the key, the move, then a click on a neutral area of the page

Pointer rungs apply only when the page has no dialog up (an outside press can dismiss one).
"""

from __future__ import annotations

import re
from typing import Literal

from watchdog.core.model import EngineStatus

InputKind = Literal["browser", "page"]
INPUT_KINDS: tuple[InputKind, ...] = ("browser", "page")
RUNGS = ("key", "key+move", "key+move+click")
TOP_LEVEL = len(RUNGS) - 1

# Colab's notice after an idle timeout ("... disconnected due to inactivity ..."), localized.
_INACTIVITY = re.compile(
    r"inactiv|idle|inactividad|inatividade|hareketsizlik|etkinlik olmadığı|бездейств|неактивн",
    re.IGNORECASE,
)


def rung_name(level: int) -> str:
    """The name of activity rung `level` (clamped to the known rungs)."""
    return RUNGS[max(0, min(level, TOP_LEVEL))]


def step_up(level: int) -> int:
    """The next rung, or the top one."""
    return min(level + 1, TOP_LEVEL)


def idle_disconnect(
    was_connected: bool,
    status: EngineStatus,
    *,
    connected_for: float | None = None,
    idle_timeout: float = 0.0,
) -> bool:
    """True when `status` shows an idle-timeout disconnect right after a connected tick.

    That is evidence that the activity of the ticks before did not count. Colab's notice
    reads the same after an idle timeout and at the end of the lifetime ("inactivity or
    reaching its maximum duration"), so callers rule out the lifetime's end themselves; and a
    runtime seen connected for less than the idle timeout (`connected_for`, seconds) cannot
    have idled out while we watched it.
    """
    if not was_connected or status.state != "disconnected" or status.error is not None:
        return False
    if connected_for is not None and idle_timeout > 0 and connected_for < idle_timeout:
        return False
    dialog = status.dialog
    return (
        dialog is not None
        and dialog.kind == "runtime-disconnected"
        and bool(_INACTIVITY.search(dialog.text))
    )
