"""Alert delivery through apprise (`WATCHDOG_NOTIFY`, `--notify`): one channel per URL.

Each channel has its own apprise object, its own worker thread and its own bounded queue, so
`send()` only enqueues: a dead or slow endpoint never blocks the tick loop or other channels.
A failed delivery is transient (apprise returned False: refused, 5xx, timeout) and retried
with exponential backoff up to `tries` times; a URL apprise cannot parse is permanent and never
retried. Failures become NotifyError(permanent=...) here, at the adapter boundary, and are
logged with the channel's redacted URL: secrets never reach the log.

    notifier = AppriseNotifier(["ntfys://ntfy.sh/my-topic", "json://127.0.0.1:8000/hook"])
    notifier.send(title, body)          # returns at once; workers deliver
    notifier.send_now(title, body)      # test-alert: deliver on every channel, wait, report
    notifier.close(timeout=5)           # let queued alerts go out, then stop the workers
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import apprise
from loguru import logger

from watchdog.core.backoff import backoff_delay
from watchdog.core.redact import redact, redacted_url, secret_fragments
from watchdog.errors import NotifyError

TRIES = 3
BACKOFF_S = 1.0
QUEUE_SIZE = 50


@dataclass(frozen=True)
class ChannelResult:
    """The outcome of one delivery: `channel` is the redacted URL, `reason` why it failed."""

    channel: str
    ok: bool
    reason: str | None = None
    permanent: bool = False


def _default_asset() -> Any:

    return apprise.AppriseAsset()


def first_unusable(urls: Sequence[str]) -> tuple[int, str] | None:
    """The first URL apprise cannot send to, as (1-based position, redacted URL); None when
    apprise accepts every one. Checked at start-up, so one bad item is refused before a
    valid channel is lost; apprise's own error lines (which echo the URL) stay quiet."""

    apprise_logger = logging.getLogger("apprise")
    was_disabled, apprise_logger.disabled = apprise_logger.disabled, True
    try:
        for position, url in enumerate(urls, start=1):
            try:
                added = apprise.Apprise().add(url)
            except Exception:  # odd input may raise; the message could echo the URL
                added = False
            if not added:
                return position, redacted_url(url)
    finally:
        apprise_logger.disabled = was_disabled
    return None


class Channel:
    """One apprise URL. `deliver()` blocks (with retries); the notifier runs it on a worker."""

    def __init__(
        self,
        url: str,
        *,
        asset: Any,
        tries: int = TRIES,
        backoff_s: float = BACKOFF_S,
        wait: Callable[[float], bool] | None = None,
    ) -> None:

        self.label = redacted_url(url)
        self._secrets = secret_fragments(url)
        self._tries = max(1, tries)
        self._backoff_s = backoff_s
        self._wait = wait or threading.Event().wait
        self._apprise = apprise.Apprise(asset=asset)
        self.invalid: NotifyError | None = None
        try:
            added = self._apprise.add(url)
        except Exception:  # apprise may raise on odd input; the message could echo the URL
            added = False
        if not added:
            self.invalid = NotifyError(
                f"alert channel {self.label}: not a URL apprise can send to",
                permanent=True,
                hint="check the scheme and format at https://github.com/caronc/apprise/wiki",
            )

    def deliver(self, title: str, body: str) -> None:
        """Send once, retrying transient failures. Raises NotifyError(permanent=...)."""
        if self.invalid is not None:
            raise self.invalid
        reason = "the endpoint did not accept it"
        for attempt in range(self._tries):
            if attempt:
                self._wait(backoff_delay(attempt, base=self._backoff_s))
            try:
                result = self._apprise.notify(body=body, title=title)
            except Exception as exc:
                reason = f"apprise raised {type(exc).__name__}"
                continue
            if bool(result):
                return
            reason = self._reason(result) or reason
        raise NotifyError(
            f"alert channel {self.label}: delivery failed after {self._tries} tries: {reason}",
            permanent=False,
        )

    def _reason(self, result: Any) -> str | None:
        """The last warning apprise recorded for this call (apprise >= 2), redacted."""
        logs = getattr(result, "logs", None)
        if not callable(logs):
            return None
        try:
            messages = [str(getattr(entry, "message", "")) for entry in logs()]
        except Exception:
            return None
        messages = [m for m in messages if m]
        return redact(messages[-1], self._secrets) if messages else None


class AppriseNotifier:
    """A Notifier (watchdog.daemon.ports): one worker thread and bounded queue per channel."""

    def __init__(
        self,
        urls: Sequence[str],
        *,
        asset: Any = None,
        tries: int = TRIES,
        backoff_s: float = BACKOFF_S,
        queue_size: int = QUEUE_SIZE,
    ) -> None:
        self._stopping = threading.Event()
        asset = asset if asset is not None else _default_asset()
        self.channels = [
            Channel(u, asset=asset, tries=tries, backoff_s=backoff_s, wait=self._stopping.wait)
            for u in urls
        ]
        self._queues: list[queue.Queue[tuple[str, str] | None]] = []
        self._workers: list[threading.Thread] = []
        for index, channel in enumerate(self.channels):
            if channel.invalid is not None:
                logger.error("{}", channel.invalid)
                continue
            q: queue.Queue[tuple[str, str] | None] = queue.Queue(maxsize=queue_size)
            worker = threading.Thread(
                target=self._work, args=(channel, q), name=f"notify-{index}", daemon=True
            )
            worker.start()
            self._queues.append(q)
            self._workers.append(worker)

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.channels]

    def send(self, title: str, body: str) -> None:
        """Queue the alert on every channel; never blocks. A full queue drops it (logged)."""
        for channel, q in zip(self._live_channels(), self._queues, strict=True):
            try:
                q.put_nowait((title, body))
            except queue.Full:
                logger.error("alert channel {} is backed up; dropped: {}", channel.label, title)

    def send_now(self, title: str, body: str, timeout: float = 60.0) -> list[ChannelResult]:
        """Deliver on every channel in parallel and wait (at most `timeout`); one result each."""
        results: dict[int, ChannelResult] = {}

        def run(index: int, channel: Channel) -> None:
            results[index] = _outcome(channel, title, body)

        threads = [
            threading.Thread(target=run, args=(i, c), daemon=True, name=f"test-alert-{i}")
            for i, c in enumerate(self.channels)
        ]
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return [
            results.get(i, ChannelResult(c.label, False, f"no answer within {timeout:g}s"))
            for i, c in enumerate(self.channels)
        ]

    def close(self, timeout: float = 5.0) -> None:
        """Let queued alerts go out for up to `timeout` seconds, then stop the workers."""
        deadline = time.monotonic() + timeout
        for q in self._queues:
            with contextlib.suppress(queue.Full):
                q.put(None, timeout=max(0.0, deadline - time.monotonic()))
        for worker in self._workers:
            worker.join(max(0.0, deadline - time.monotonic()))
        self._stopping.set()  # cut short any backoff still waiting

    def _live_channels(self) -> list[Channel]:
        return [c for c in self.channels if c.invalid is None]

    def _work(self, channel: Channel, q: queue.Queue[tuple[str, str] | None]) -> None:
        while True:
            item = q.get()
            if item is None or self._stopping.is_set():
                return  # closed: what is still queued is in the log already
            title, body = item
            outcome = _outcome(channel, title, body)
            if outcome.ok:
                logger.debug("alert delivered via {}: {}", channel.label, title)
            else:
                logger.error("{}", outcome.reason)


def _outcome(channel: Channel, title: str, body: str) -> ChannelResult:
    try:
        channel.deliver(title, body)
    except NotifyError as exc:
        return ChannelResult(channel.label, False, str(exc), exc.permanent)
    except Exception as exc:  # a bug in a plugin must not kill the worker
        return ChannelResult(channel.label, False, f"unexpected {type(exc).__name__}")
    return ChannelResult(channel.label, True)
