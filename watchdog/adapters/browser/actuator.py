"""Perform the engine's plan (actuator "browser") with input the browser generates.

    input = perform(transport, handle, plan, elements, visible=..., level=...)

Clicks (an idle prompt's button, Reconnect) come first, as a person would: a pointer click
at the element. In a hidden tab Chromium delivers pointer input only after a ~5 s wait for a
frame the tab does not draw, while key input arrives at once; so there a native button is
activated from the keyboard instead (js/tick.js focused it; Enter: the click it produces
is trusted too), and only other elements pay the wait. Then the activity, by rung
(watchdog.core.activity): the Shift key; plus a pointer move over the notebook; plus a click
on a neutral area. Pointer rungs apply only when the engine allowed pointer use (no dialog
up) and found a neutral point.

Returns what was done, for the log and `status`: e.g. "click(I'm here); key+move".
"""

from __future__ import annotations

from typing import Any

from watchdog.adapters.browser.transport import ENTER, SHIFT, Point, PointerStep, Ref, Transport
from watchdog.core.activity import rung_name


def perform(
    transport: Transport,
    handle: str,
    plan: dict[str, Any] | None,
    elements: list[Ref],
    *,
    visible: bool,
    level: int,
) -> str | None:
    """Carry out `plan` in the tab; what was done, or None when the plan asked for nothing."""
    if not plan:
        return None
    done: list[str] = []
    for click in plan.get("clicks") or []:
        index = click.get("node")
        ref = elements[index] if isinstance(index, int) and 0 <= index < len(elements) else None
        label = str(click.get("label") or "?")
        if not visible and click.get("focused"):
            transport.keys(handle, [ENTER])
            done.append(f"key-activate({label})")
            continue
        point = Point(_int(click.get("x")), _int(click.get("y")), ref)
        transport.pointer(handle, [PointerStep(point, press=True)])
        done.append(f"click({label})")
    activity = plan.get("activity")
    if isinstance(activity, dict):
        done.append(_activity(transport, handle, activity, level))
    return "; ".join(done) or None


def _activity(transport: Transport, handle: str, activity: dict[str, Any], level: int) -> str:
    transport.keys(handle, [SHIFT])
    neutral = activity.get("neutral")
    if level < 1 or not activity.get("pointer") or not isinstance(neutral, dict):
        return rung_name(0)
    point = Point(_int(neutral.get("x")), _int(neutral.get("y")))
    transport.pointer(handle, [PointerStep(point, press=level >= 2)])
    return rung_name(level)


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0
