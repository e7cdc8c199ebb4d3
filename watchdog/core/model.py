"""Value types shared by the core, the daemon and the adapters. Pure: no I/O.

`EngineStatus` mirrors the object the js/ engine returns (see js/engine.js for the contract):

    {"state": "connected"|"disconnected"|"connecting"|"unknown", "busy": bool|null,
     "acted": "activity"|"reconnect"|"none",
     "dialog": null|{"kind": "idle-prompt"|"runtime-disconnected"|"usage-limit"|"unknown",
                     "action": "confirmed"|"reconnect"|"left-open", "text": str},
     "captcha": bool, "probe": str, "remaining_estimate_s": number|null,
     "busy_for_s": number|null,
     "resources": null|{"ram_used_gb", "ram_total_gb", "disk_used_gb", "disk_total_gb"},
     "backend": str|null,
     "notice": null|{"kind": "crashed"|"usage-limit", "text": str, "via": "toast"|"dialog"},
     "error": null|str, "signed_out": bool}

The work keys (busy_for_s, resources, backend, notice) may be missing (an older engine): they
read as null. A field the page does not show is null, never guessed.

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
NoticeKind = Literal["crashed", "usage-limit"]
_NOTICES = ("crashed", "usage-limit")
RESOURCE_KEYS = ("ram_used_gb", "ram_total_gb", "disk_used_gb", "disk_total_gb")


@dataclass(frozen=True)
class Resources:
    """The runtime's RAM and disk, in GB, as the page shows them; None where it does not."""

    ram_used_gb: float | None = None
    ram_total_gb: float | None = None
    disk_used_gb: float | None = None
    disk_total_gb: float | None = None

    @property
    def ram_fraction(self) -> float | None:
        """Used RAM over total RAM (0.95 = 95 %), or None when either is unknown."""
        if self.ram_used_gb is None or not self.ram_total_gb:
            return None
        return self.ram_used_gb / self.ram_total_gb

    @classmethod
    def from_json(cls, raw: Any) -> Resources | None:
        """None for null; ValueError naming the bad value otherwise."""
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise ValueError(f"engine status has bad resources {raw!r:.80}")
        values: dict[str, float | None] = {}
        for key in RESOURCE_KEYS:
            value = raw.get(key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise ValueError(f"engine status has bad resources.{key} {value!r}")
            values[key] = None if value is None else float(value)
        return cls(**values)

    def to_json(self) -> dict[str, float | None]:
        return {key: getattr(self, key) for key in RESOURCE_KEYS}


@dataclass(frozen=True)
class Notice:
    """A crash or usage-limit message the page shows (toast or dialog)."""

    kind: NoticeKind
    text: str
    via: str = "toast"


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
    busy_for_s: float | None = None
    resources: Resources | None = None
    backend: str | None = None
    notice: Notice | None = None

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
        busy_for = raw.get("busy_for_s")
        if busy_for is not None and (
            isinstance(busy_for, bool) or not isinstance(busy_for, int | float)
        ):
            raise ValueError(f"engine status has bad busy_for_s {busy_for!r}")
        backend = raw.get("backend")
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
            busy_for_s=None if busy_for is None else float(busy_for),
            resources=Resources.from_json(raw.get("resources")),
            backend=None if backend is None else str(backend),
            notice=_notice(raw.get("notice")),
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
            "busy_for_s": self.busy_for_s,
            "resources": None if self.resources is None else self.resources.to_json(),
            "backend": self.backend,
            "notice": None
            if self.notice is None
            else {"kind": self.notice.kind, "text": self.notice.text, "via": self.notice.via},
            "error": self.error,
            "signed_out": self.signed_out,
            "input": self.input,
        }


def _notice(raw: Any) -> Notice | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or raw.get("kind") not in _NOTICES:
        raise ValueError(f"engine status has bad notice {raw!r:.80}")
    return Notice(kind=raw["kind"], text=str(raw.get("text", "")), via=str(raw.get("via", "")))


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
