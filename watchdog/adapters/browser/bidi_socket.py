"""A WebDriver BiDi (or Chrome DevTools Protocol) connection: one websocket, commands
matched to replies by id. Both protocols frame commands the same way; CDP adds a
`sessionId` per attached tab and reports errors as an object.

Selenium's own BiDi client polls its websocket every `websocket_interval` (0.1 s by default,
so every command costs at least that) and counts its timeout in polls. This one wakes on
each reply, bounds every command by a real deadline, and fails at once when the socket
closes (browser or driver gone) instead of waiting out the timeout.

Errors are raised as Selenium exceptions so that `translate` maps them like the rest:
    the reply carries an error        WebDriverException("<error>: <message>")
    no reply before the deadline      TimeoutException
    the connection closed             WebDriverException("BiDi connection closed")

`deadline(seconds)` bounds every command of a block (in the calling thread) by one shared
deadline: a tick of several commands never takes longer than its budget.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import websocket
from selenium.common.exceptions import TimeoutException, WebDriverException

# How often a waiting command checks that the socket is still up (replies wake it at once).
_LIVENESS_S = 0.2
# How long closing waits for the peer's close frame, then for the socket's thread.
_CLOSE_S = 0.5


class BidiSocket:
    """One BiDi session's websocket. `command()` is safe to call from several threads."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        self.url = url
        self.timeout = timeout
        self._ids = itertools.count(1)
        self._replies: dict[int, dict[str, Any]] = {}
        self._arrived = threading.Condition()
        self._opened = False
        self._closed = False
        self._local = threading.local()  # .until: the deadline of the block (deadline())
        header = []
        if username is not None:
            token = base64.b64encode(f"{username}:{password or ''}".encode()).decode()
            header.append(f"Authorization: Basic {token}")
        self._app = websocket.WebSocketApp(
            url,
            header=header,
            on_open=self._on_open,
            on_message=self._on_message,
            on_close=self._on_close,
            on_error=self._on_error,
        )
        self._thread = threading.Thread(
            target=self._app.run_forever,
            kwargs={"suppress_origin": True},
            name="bidi-socket",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        with self._arrived:
            while not self._opened and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._arrived.wait(min(left, _LIVENESS_S))
        if not self._opened:
            self.close()
            raise WebDriverException(f"BiDi connection to {url} could not be opened")

    # -- websocket callbacks (socket thread) ----------------------------------------------------

    def _on_open(self, _app: object) -> None:
        with self._arrived:
            self._opened = True
            self._arrived.notify_all()

    def _on_message(self, _app: object, message: str) -> None:
        try:
            data = json.loads(message)
        except ValueError:
            return
        ident = data.get("id") if isinstance(data, dict) else None
        if not isinstance(ident, int):
            return  # an event: none is subscribed, nothing to do
        with self._arrived:
            self._replies[ident] = data
            self._arrived.notify_all()

    def _on_close(self, _app: object, *_args: object) -> None:
        with self._arrived:
            self._closed = True
            self._arrived.notify_all()

    def _on_error(self, app: websocket.WebSocketApp, _error: object) -> None:
        app.close()

    # -- commands -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def deadline(self, seconds: float) -> Iterator[None]:
        """Every command in the block (this thread) ends by `seconds` from now, at the latest
        (nested blocks keep the earlier deadline)."""
        previous: float | None = getattr(self._local, "until", None)
        until = time.monotonic() + seconds
        self._local.until = until if previous is None else min(previous, until)
        try:
            yield
        finally:
            self._local.until = previous

    @property
    def alive(self) -> bool:
        return self._opened and not self._closed and self._thread.is_alive()

    def command(
        self,
        method: str,
        params: dict[str, Any],
        timeout: float | None = None,
        session: str | None = None,
    ) -> Any:
        """Send one command and return its `result`; see the module docstring for errors.

        `session` is a CDP session id (a tab attached with Target.attachToTarget)."""
        ident = next(self._ids)
        if not self.alive:
            raise WebDriverException("BiDi connection closed")
        frame: dict[str, Any] = {"id": ident, "method": method, "params": params}
        if session is not None:
            frame["sessionId"] = session
        try:
            self._app.send(json.dumps(frame))
        except (websocket.WebSocketException, OSError) as exc:
            raise WebDriverException(f"BiDi connection closed ({exc})") from exc
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        until: float | None = getattr(self._local, "until", None)
        if until is not None:
            deadline = min(deadline, until)
        with self._arrived:
            while ident not in self._replies:
                if not self.alive:
                    raise WebDriverException("BiDi connection closed")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutException(f"no answer to BiDi {method} in time")
                self._arrived.wait(min(left, _LIVENESS_S))
            reply = self._replies.pop(ident)
        error = reply.get("error")
        if isinstance(error, dict):  # CDP: {"code": ..., "message": ...}
            raise WebDriverException(f"{method} failed: {error.get('message', error)}")
        if reply.get("type") == "error" or error is not None:
            raise WebDriverException(f"{error}: {reply.get('message', '')}")
        return reply.get("result")

    def close(self) -> None:
        """Close the socket (idempotent); pending commands fail at once."""
        with contextlib.suppress(Exception):  # a broken socket has nothing left to report
            self._app.close(timeout=_CLOSE_S)  # a frozen peer never answers the close frame
        self._thread.join(timeout=_CLOSE_S)
        with self._arrived:
            self._closed = True
            self._arrived.notify_all()
