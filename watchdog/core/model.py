"""Value types shared by the core, the daemon and the adapters. Pure: no I/O.

`EngineStatus` mirrors the object the js/ engine returns (see js/engine.js for the contract):

    {"state": "connected"|"disconnected"|"connecting"|"unknown", "busy": bool|null,
     "acted": "activity"|"reconnect"|"none",
     "dialog": null|{"kind": "idle-prompt"|"runtime-disconnected"|"usage-limit"|"unknown",
                     "action": "confirmed"|"reconnect"|"left-open", "text": str},
     "captcha": bool, "probe": str, "remaining_estimate_s": number|null, "error": null|str,
     "signed_out": bool}

The adapter adds `input`: the input it used to act on the page (for example
"browser bidi: key", "page: activity"); the engine itself never sets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

State = Literal["connected", "disconnected", "connecting", "unknown"]
Acted = Literal["activity", "reconnect", "none"]
DialogKind = Literal["idle-prompt", "runtime-disconnected", "usage-limit", "unknown"]
DialogAction = Literal["confirmed", "reconnect", "left-open"]

_STATES = ("connected", "disconnected", "connecting", "unknown")
_ACTED = ("activity", "reconnect", "none")
_KINDS = ("idle-prompt", "runtime-disconnected", "usage-limit", "unknown")
_ACTIONS = ("confirmed", "reconnect", "left-open")


@dataclass(frozen=True)
class Dialog:
    kind: DialogKind
    action: DialogAction
    text: str


@dataclass(frozen=True)
class EngineStatus:
    """One tick's reading of a notebook page, as the js/ engine reported it."""

    state: State
    busy: bool | None
    acted: Acted
    dialog: Dialog | None
    captcha: bool
    probe: str
    remaining_estimate_s: float | None
    error: str | None
    signed_out: bool = False  # the page is Colab's signed-out page (a sign-in link, no runtime)
    input: str | None = None

    @classmethod
    def from_json(cls, raw: Any) -> EngineStatus:
        """Validate the engine's return value; raises ValueError naming the bad key."""
        if not isinstance(raw, dict):
            raise ValueError(f"engine returned {type(raw).__name__}, expected an object")
        state = raw.get("state")
        if state not in _STATES:
            raise ValueError(f"engine status has bad state {state!r}")
        acted = raw.get("acted", "none")
        if acted not in _ACTED:
            raise ValueError(f"engine status has bad acted {acted!r}")
        busy = raw.get("busy")
        if busy is not None and not isinstance(busy, bool):
            raise ValueError(f"engine status has bad busy {busy!r}")
        dialog = None
        raw_dialog = raw.get("dialog")
        if raw_dialog is not None:
            if not isinstance(raw_dialog, dict):
                raise ValueError("engine status has a dialog that is not an object")
            kind = raw_dialog.get("kind")
            action = raw_dialog.get("action")
            if kind not in _KINDS or action not in _ACTIONS:
                raise ValueError(f"engine status has bad dialog {raw_dialog!r}")
            dialog = Dialog(kind=kind, action=action, text=str(raw_dialog.get("text", "")))
        estimate = raw.get("remaining_estimate_s")
        if estimate is not None and not isinstance(estimate, int | float):
            raise ValueError(f"engine status has bad remaining_estimate_s {estimate!r}")
        error = raw.get("error")
        return cls(
            state=state,
            busy=busy,
            acted=acted,
            dialog=dialog,
            captcha=bool(raw.get("captcha", False)),
            probe=str(raw.get("probe", "")),
            remaining_estimate_s=None if estimate is None else float(estimate),
            error=None if error is None else str(error),
            signed_out=raw.get("signed_out") is True,
        )

    def to_json(self) -> dict[str, Any]:
        """The engine's own JSON shape (keys exactly as in the module docstring)."""
        return {
            "state": self.state,
            "busy": self.busy,
            "acted": self.acted,
            "dialog": None
            if self.dialog is None
            else {"kind": self.dialog.kind, "action": self.dialog.action, "text": self.dialog.text},
            "captcha": self.captcha,
            "probe": self.probe,
            "remaining_estimate_s": self.remaining_estimate_s,
            "error": self.error,
            "signed_out": self.signed_out,
            "input": self.input,
        }


@dataclass(frozen=True)
class TickResult:
    """What one tick of one notebook produced.

    `status` is set when the engine ran and returned; `failure` names what went wrong otherwise
    (a translated BrowserError's message). `title` is the page title when known. `landed` is
    the address the tab showed instead of the notebook; `signed_out` that it was a sign-in page.
    """

    url: str
    at: datetime  # timezone-aware UTC
    status: EngineStatus | None
    failure: str | None = None
    title: str | None = None
    landed: str | None = None
    signed_out: bool = False
    activity_level: int = 0  # the rung of activity this tick used (watchdog.core.activity)

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status.error is None
