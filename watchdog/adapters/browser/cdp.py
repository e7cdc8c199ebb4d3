"""CdpTransport: attach mode's transport, the DevTools protocol of the user's Chrome.

Each tab is driven through a session of its own (Target.attachToTarget, flattened), so
nothing is activated or switched. chromedriver's BiDi is not used when attaching: it runs its
helper page inside the front tab of the attached browser, replacing what the user had there.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Sequence
from typing import Any, Literal

from selenium.common.exceptions import (
    JavascriptException,
    NoSuchWindowException,
    TimeoutException,
    WebDriverException,
)

from watchdog import jsassets
from watchdog.adapters.browser.bidi_socket import BidiSocket
from watchdog.adapters.browser.transport import ENTER, SHIFT, PointerStep
from watchdog.core.jstemplate import fill, without_header

# CDP key events: (key, code, virtual key code, text typed on key down).
_CDP_KEYS = {SHIFT: ("Shift", "ShiftLeft", 16, ""), ENTER: ("Enter", "Enter", 13, "\r")}


class CdpTransport:
    """Attach mode: the user's Chrome over its DevTools protocol, each tab through a session
    of its own (Target.attachToTarget). Nothing is activated or switched, and no tab of the
    user's is used for anything but the notebooks (chromedriver's BiDi runs a helper page
    inside the front tab of an attached browser, so attach mode does not use it).
    Element references are not kept: clicks aim at the coordinates the engine gave."""

    kind: Literal["bidi", "classic", "cdp"] = "cdp"

    def __init__(self, socket: BidiSocket, *, load_timeout: float) -> None:
        self.socket = socket
        self.load_timeout = load_timeout
        self._sessions: dict[str, str] = {}
        self._address = without_header(jsassets.load("page_address.js"))

    def _session(self, handle: str) -> str:
        session = self._sessions.get(handle)
        if session is None:
            try:
                reply = self.socket.command(
                    "Target.attachToTarget", {"targetId": handle, "flatten": True}
                )
            except WebDriverException as exc:
                raise NoSuchWindowException(f"no such tab {handle}: {exc.msg}") from exc
            session = self._sessions[handle] = str(reply["sessionId"])
        return session

    def _command(self, handle: str, method: str, params: dict[str, Any], **kw: Any) -> Any:
        session = self._session(handle)
        try:
            return self.socket.command(method, params, session=session, **kw)
        except WebDriverException as exc:
            if "session" in str(exc.msg).lower() or "target" in str(exc.msg).lower():
                self._sessions.pop(handle, None)  # the tab closed or navigated its process
                if handle not in self.handles():
                    raise NoSuchWindowException(f"tab {handle} is gone") from exc
            raise

    def handles(self) -> list[str]:
        targets = self.socket.command("Target.getTargets", {})["targetInfos"]
        return [str(t["targetId"]) for t in targets if t.get("type") == "page"]

    def call(self, handle: str, function: str, args: Sequence[Any]) -> list[Any]:
        template = without_header(jsassets.load("call_cdp.js"))
        expression = fill(template, FUNCTION=function, ARGS=json.dumps(list(args)))
        params = {"expression": expression, "returnByValue": True, "awaitPromise": False}
        reply = self._command(handle, "Runtime.evaluate", params)
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            text = (details.get("exception") or {}).get("description") or details.get("text")
            raise JavascriptException(str(text or "page script threw"))
        value = (reply.get("result") or {}).get("value")
        if not isinstance(value, list):
            raise JavascriptException(f"page script returned {type(value).__name__}")
        # Elements come back as {} by value: no reference (pointer input uses coordinates).
        return [None if isinstance(v, dict) and not v else v for v in value]

    def navigate(self, handle: str, url: str) -> None:
        reply = self._command(handle, "Page.navigate", {"url": url}, timeout=self.load_timeout)
        if reply.get("errorText"):
            raise WebDriverException(f"unknown error: {reply['errorText']}")
        deadline = time.monotonic() + self.load_timeout
        while True:  # until the new document is interactive (page load strategy "eager")
            page = self.call(handle, self._address, [])
            ready = len(page) == 2 and page[1] in ("interactive", "complete")
            if ready and page[0] != "about:blank":
                return
            if time.monotonic() >= deadline:
                raise TimeoutException(f"{url} did not load in {self.load_timeout:g}s")
            time.sleep(0.05)

    def new_tab(self, *, window: bool) -> str:
        reply = self.socket.command(
            "Target.createTarget", {"url": "about:blank", "background": True, "newWindow": window}
        )
        return str(reply["targetId"])

    def keys(self, handle: str, keys: Sequence[str]) -> None:
        for key in keys:
            name, code, vk, text = _CDP_KEYS[key]
            common = {"key": name, "code": code, "windowsVirtualKeyCode": vk}
            down = {"type": "keyDown", "text": text, **common} if text else {}
            self._command(
                handle, "Input.dispatchKeyEvent", down or {"type": "rawKeyDown", **common}
            )
            self._command(handle, "Input.dispatchKeyEvent", {"type": "keyUp", **common})

    def pointer(self, handle: str, steps: Sequence[PointerStep]) -> None:
        for step in steps:
            at = {"x": step.to.x, "y": step.to.y}
            self._mouse(handle, {"type": "mouseMoved", **at})
            if step.press:
                press = {**at, "button": "left", "clickCount": 1}
                self._mouse(handle, {"type": "mousePressed", **press})
                self._mouse(handle, {"type": "mouseReleased", **press})

    def _mouse(self, handle: str, params: dict[str, Any]) -> None:
        self._command(handle, "Input.dispatchMouseEvent", params, timeout=self.load_timeout)

    def close_tab(self, handle: str) -> None:
        self.socket.command("Target.closeTarget", {"targetId": handle})
        self._sessions.pop(handle, None)

    def bounded(self, seconds: float) -> contextlib.AbstractContextManager[None]:
        return self.socket.deadline(seconds)

    def close(self) -> None:
        self.socket.close()
