"""How the adapter reaches one tab: script, navigation and browser-generated input.

    BidiTransport     WebDriver BiDi, every command addressed by browsing context (a window
                      handle is one): no tab is ever switched to or brought to the front
    CdpTransport      attach mode: the same over the DevTools protocol of the user's Chrome
    ClassicTransport  the fallback when the endpoint offers no BiDi: switch to the tab, then
                      execute_script and WebDriver Actions (the switch brings the tab to the
                      front; in attach mode the user's front tab is put back afterwards)

Input from either is made by the browser (`isTrusted` true), unlike events a page script
dispatches. Element references (`Ref`) come from `call()` and are only valid in that tab.
Every method raises Selenium exceptions; the session translates them.

`bounded(seconds)` caps every call of a block: the BiDi/DevTools socket by one shared
deadline; the classic fallback by the HTTP client's timeout (chromedriver itself may stay
busy with a hung tab for about a minute: the session then takes the browser for lost).
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from selenium.common.exceptions import (
    JavascriptException,
    NoSuchWindowException,
)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.remote_connection import RemoteConnection
from selenium.webdriver.remote.webdriver import WebDriver

from watchdog import jsassets
from watchdog.adapters.browser.bidi_socket import BidiSocket
from watchdog.core.jstemplate import fill, without_header

Ref = Any  # an element reference: a BiDi shared reference or a Selenium WebElement
SHIFT = "\ue008"
ENTER = "\ue007"


@dataclass(frozen=True)
class Point:
    """A pointer position: viewport coordinates; transports that can use element references
    aim at the centre of `ref` instead, when it is set."""

    x: int = 0
    y: int = 0
    ref: Ref | None = None


@dataclass(frozen=True)
class PointerStep:
    """Move the mouse to `to`, then press and release the left button when `press`."""

    to: Point
    press: bool = False


class Transport(Protocol):
    kind: Literal["bidi", "classic", "cdp"]

    def handles(self) -> list[str]:
        """The top-level tabs (browsing contexts) of the session."""

    def call(self, handle: str, function: str, args: Sequence[Any]) -> list[Any]:
        """Run `function` (source of a JS function returning an array) in the tab; returns the
        array, strings as str and elements as `Ref`s."""

    def navigate(self, handle: str, url: str) -> None:
        """Load `url` in the tab, waiting until its document is interactive."""

    def new_tab(self, *, window: bool) -> str:
        """Open a blank tab (or window) without bringing it to the front; its handle."""

    def keys(self, handle: str, keys: Sequence[str]) -> None:
        """Press and release each key in the tab (to its focused element)."""

    def pointer(self, handle: str, steps: Sequence[PointerStep]) -> None:
        """Move (and click) the mouse in the tab."""

    def close_tab(self, handle: str) -> None:
        """Close the tab without running its unload handlers (a hung page has none to run)."""

    def bounded(self, seconds: float) -> contextlib.AbstractContextManager[None]:
        """Every call in the block ends within `seconds` (TimeoutException past it)."""

    def close(self) -> None:
        """Release what the transport holds (the BiDi socket); the session stays."""


def local_value(value: Any) -> dict[str, Any]:
    """A JSON-like Python value as a BiDi LocalValue."""
    if value is None:
        return {"type": "null"}
    if isinstance(value, bool):
        return {"type": "boolean", "value": value}
    if isinstance(value, int | float):
        return {"type": "number", "value": _number(value)}
    if isinstance(value, str):
        return {"type": "string", "value": value}
    if isinstance(value, list | tuple):
        return {"type": "array", "value": [local_value(v) for v in value]}
    if isinstance(value, dict):
        return {"type": "object", "value": [[str(k), local_value(v)] for k, v in value.items()]}
    raise TypeError(f"cannot pass {type(value).__name__} to a page script")


def _number(value: float) -> float | str:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def _remote_item(item: Any) -> Any:
    """One element of a returned array: strings and primitives as Python values, nodes as
    shared references (usable as input origins and call arguments)."""
    kind = item.get("type") if isinstance(item, dict) else None
    if kind == "node" and "sharedId" in item:
        return {"sharedId": item["sharedId"]}
    if kind in ("null", "undefined"):
        return None
    return item.get("value") if isinstance(item, dict) else item


class BidiTransport:
    """Per-context script and input over one BiDi websocket."""

    kind: Literal["bidi", "classic", "cdp"] = "bidi"

    def __init__(self, socket: BidiSocket, *, load_timeout: float) -> None:
        self.socket = socket
        self.load_timeout = load_timeout

    def handles(self) -> list[str]:
        tree = self.socket.command("browsingContext.getTree", {"maxDepth": 0})
        return [str(ctx["context"]) for ctx in tree.get("contexts", [])]

    def call(self, handle: str, function: str, args: Sequence[Any]) -> list[Any]:
        raw = self.socket.command(
            "script.callFunction",
            {
                "functionDeclaration": function,
                "awaitPromise": False,
                "target": {"context": handle},
                "arguments": [local_value(a) for a in args],
                "serializationOptions": {"maxDomDepth": 0, "maxObjectDepth": 1},
            },
        )
        if raw.get("type") == "exception":
            details = raw.get("exceptionDetails") or {}
            raise JavascriptException(str(details.get("text", "page script threw")))
        result = raw.get("result") or {}
        if result.get("type") != "array":
            raise JavascriptException(f"page script returned {result.get('type')}, not an array")
        return [_remote_item(item) for item in result.get("value", [])]

    def navigate(self, handle: str, url: str) -> None:
        params = {"context": handle, "url": url, "wait": "interactive"}
        self.socket.command("browsingContext.navigate", params, timeout=self.load_timeout)

    def new_tab(self, *, window: bool) -> str:
        params = {"type": "window" if window else "tab", "background": True}
        created = self.socket.command("browsingContext.create", params)
        return str(created["context"])

    def keys(self, handle: str, keys: Sequence[str]) -> None:
        actions: list[dict[str, Any]] = []
        for key in keys:
            actions += [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]
        self._perform(handle, [{"type": "key", "id": "cw-keyboard", "actions": actions}])

    def pointer(self, handle: str, steps: Sequence[PointerStep]) -> None:
        actions: list[dict[str, Any]] = []
        for step in steps:
            move: dict[str, Any] = {"type": "pointerMove", "x": step.to.x, "y": step.to.y}
            if step.to.ref is not None:
                move.update(x=0, y=0, origin={"type": "element", "element": step.to.ref})
            actions.append(move)
            if step.press:
                actions += [
                    {"type": "pointerDown", "button": 0},
                    {"type": "pointerUp", "button": 0},
                ]
        source = {
            "type": "pointer",
            "id": "cw-mouse",
            "parameters": {"pointerType": "mouse"},
            "actions": actions,
        }
        self._perform(handle, [source])

    def _perform(self, handle: str, sources: list[dict[str, Any]]) -> None:
        self.socket.command(
            "input.performActions",
            {"context": handle, "actions": sources},
            timeout=self.load_timeout,
        )

    def close_tab(self, handle: str) -> None:
        self.socket.command("browsingContext.close", {"context": handle, "promptUnload": False})

    def bounded(self, seconds: float) -> contextlib.AbstractContextManager[None]:
        return self.socket.deadline(seconds)

    def close(self) -> None:
        self.socket.close()


class ClassicTransport:
    """The classic fallback: switch to the tab, then execute_script and WebDriver Actions.

    `before_switch`/`after_switch` let attach mode remember and restore the user's front tab.
    """

    kind: Literal["bidi", "classic", "cdp"] = "classic"

    def __init__(
        self,
        driver: WebDriver,
        *,
        front: Callable[[], str | None] = lambda: None,
        restore: Callable[[str | None, str], None] = lambda _front, _shown: None,
    ) -> None:
        self.driver = driver
        self._front = front
        self._restore = restore

    def _switch(self, handle: str) -> None:
        try:
            if self.driver.current_window_handle == handle:
                return
        except NoSuchWindowException:
            pass  # the current tab was closed; switching away from it is what we want
        front = self._front()
        self.driver.switch_to.window(handle)
        self._restore(front, handle)

    def handles(self) -> list[str]:
        return list(self.driver.window_handles)

    def call(self, handle: str, function: str, args: Sequence[Any]) -> list[Any]:
        self._switch(handle)
        script = fill(without_header(jsassets.load("call_classic.js")), FUNCTION=function)
        result = self.driver.execute_script(script, *args)
        if not isinstance(result, list):
            raise JavascriptException(f"page script returned {type(result).__name__}")
        return result

    def navigate(self, handle: str, url: str) -> None:
        self._switch(handle)
        self.driver.get(url)

    def new_tab(self, *, window: bool) -> str:
        front = self._front()
        handles = self.driver.window_handles
        # New Window needs a live current window; the current one may be a lost tab.
        self.driver.switch_to.window(handles[0])
        self.driver.switch_to.new_window("window" if window else "tab")
        handle = str(self.driver.current_window_handle)
        self._restore(front, handle)
        return handle

    def keys(self, handle: str, keys: Sequence[str]) -> None:
        self._switch(handle)
        chain = ActionChains(self.driver)
        for key in keys:
            chain.key_down(_CLASSIC_KEYS.get(key, key)).key_up(_CLASSIC_KEYS.get(key, key))
        chain.perform()

    def pointer(self, handle: str, steps: Sequence[PointerStep]) -> None:
        self._switch(handle)
        chain = ActionChains(self.driver)
        for step in steps:
            if step.to.ref is not None:
                chain.move_to_element(step.to.ref)
            else:
                pointer = chain.w3c_actions.pointer_action
                pointer.move_to_location(step.to.x, step.to.y)  # type: ignore[no-untyped-call]
            if step.press:
                chain.click()
        chain.perform()

    def close_tab(self, handle: str) -> None:
        self._switch(handle)
        self.driver.close()

    @contextlib.contextmanager
    def bounded(self, seconds: float) -> Iterator[None]:
        executor = self.driver.command_executor
        if not isinstance(executor, RemoteConnection):  # pragma: no cover - always one
            yield
            return
        config = executor.client_config
        previous = config.timeout
        config.timeout = seconds if previous is None else min(previous, seconds)
        try:
            yield
        finally:
            config.timeout = previous

    def close(self) -> None:
        pass


_CLASSIC_KEYS = {SHIFT: Keys.SHIFT, ENTER: Keys.ENTER}


def decode_tick(raw: list[Any]) -> tuple[dict[str, Any], list[Ref]]:
    """The js/tick.js result: its JSON part and its element references."""
    if not raw or not isinstance(raw[0], str):
        raise JavascriptException(f"tick returned {raw!r:.80}")
    data = json.loads(raw[0])
    if not isinstance(data, dict):
        raise JavascriptException(f"tick returned {raw[0]!r:.80}")
    return data, list(raw[1:])
