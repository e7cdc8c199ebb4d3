"""The apprise notifier against a REAL HTTP receiver on 127.0.0.1 (json:// targets)."""

from __future__ import annotations

import logging
import time

import apprise
import pytest

from bench.webhook import Receiver
from tests.alerts.conftest import poll
from watchdog.adapters.notify import AppriseNotifier, Channel
from watchdog.cli.logging import guard_apprise_logging
from watchdog.errors import NotifyError

ASSET = apprise.AppriseAsset(storage_mode="memory")


def make(urls: list[str], **kw: object) -> AppriseNotifier:
    kw.setdefault("backoff_s", 0.05)
    guard_apprise_logging(urls)  # as the CLI does before it builds the notifier
    return AppriseNotifier(urls, asset=ASSET, **kw)  # type: ignore[arg-type]


def test_delivers_title_and_body_as_json(receiver: Receiver) -> None:
    notifier = make([receiver.url("/ok")])
    try:
        notifier.send("Colab watchdog: lifetime warning", "Notebook: x\nWhat to do: save")
        assert poll(lambda: receiver.titles("/ok"))
        _, payload = receiver.payloads[0]
        assert payload["title"] == "Colab watchdog: lifetime warning"
        assert payload["message"] == "Notebook: x\nWhat to do: save"
    finally:
        notifier.close()


def test_each_url_is_its_own_channel(receiver: Receiver) -> None:
    notifier = make([receiver.url("/ok1"), receiver.url("/ok2")])
    try:
        notifier.send("t", "b")
        assert poll(lambda: receiver.titles("/ok1") and receiver.titles("/ok2"))
    finally:
        notifier.close()
    assert receiver.hit_count("/ok1") == 1
    assert receiver.hit_count("/ok2") == 1


def test_500_is_retried_a_bounded_number_of_times(receiver: Receiver, log_lines: list[str]) -> None:
    notifier = make([receiver.url("/fail"), receiver.url("/ok")], tries=3)
    results = notifier.send_now("t", "b", timeout=30)
    notifier.close()
    assert [r.ok for r in results] == [False, True]
    assert receiver.hit_count("/fail") == 3
    assert results[0].permanent is False
    assert "after 3 tries" in (results[0].reason or "")
    assert "500" in (results[0].reason or "")
    assert results[0].channel == f"json://127.0.0.1:{receiver.port}/***"


def test_refused_endpoint_fails_without_blocking_others(
    receiver: Receiver, refused_port: int
) -> None:
    dead = f"json://127.0.0.1:{refused_port}/hook"
    notifier = make([dead, receiver.url("/ok")], tries=2)
    results = notifier.send_now("t", "b", timeout=30)
    notifier.close()
    assert results[0].ok is False
    assert results[0].permanent is False
    assert results[1].ok is True


def test_hanging_endpoint_never_blocks_send_or_other_channels(receiver: Receiver) -> None:
    notifier = make([receiver.url("/hang?rto=1"), receiver.url("/ok")], tries=2)
    try:
        started = time.monotonic()
        for _ in range(3):
            notifier.send("t", "b")
        assert time.monotonic() - started < 0.5  # send only enqueues
        assert poll(lambda: len(receiver.titles("/ok")) == 3, timeout=10)
        assert receiver.hit_count("/hang") >= 1
        # the hanging channel gives up each alert after 2 tries (read timeout 1 s each)
        assert poll(lambda: receiver.hit_count("/hang") == 6, timeout=30)
    finally:
        receiver.release.set()
        notifier.close(timeout=10)
    assert receiver.hit_count("/hang") == 6


def test_a_full_queue_drops_and_logs_instead_of_blocking(
    receiver: Receiver, log_lines: list[str]
) -> None:
    notifier = make([receiver.url("/hang")], tries=1, queue_size=1)
    try:
        assert poll(lambda: True)
        started = time.monotonic()
        for _ in range(5):
            notifier.send("t", "b")
        assert time.monotonic() - started < 0.5
        assert any("backed up" in line for line in log_lines)
    finally:
        receiver.release.set()
        notifier.close(timeout=10)


def test_unsupported_url_is_permanent_and_never_tried(
    log_lines: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    notifier = make(["bogus://SECRETTOKEN/x"])
    apprise_says = [r.getMessage() for r in caplog.records if r.name.startswith("apprise")]
    assert apprise_says, "apprise logs unparseable URLs: the redaction filter is tested here"
    assert all("SECRETTOKEN" not in m for m in apprise_says)
    results = notifier.send_now("t", "b", timeout=5)
    notifier.close()
    assert len(results) == 1
    assert results[0].ok is False
    assert results[0].permanent is True
    assert "not a URL apprise can send to" in (results[0].reason or "")
    assert all("SECRETTOKEN" not in line for line in log_lines)
    assert "SECRETTOKEN" not in (results[0].reason or "")
    assert results[0].channel == "bogus://***/***"


def test_token_never_appears_in_logs_or_results(
    receiver: Receiver, refused_port: int, log_lines: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    urls = [
        receiver.url("/fail/SECRETPATH", userinfo="user:SECRETTOKEN"),
        f"json://user:SECRETTOKEN@127.0.0.1:{refused_port}/SECRETPATH",
        receiver.url("/ok", userinfo="user:SECRETTOKEN"),
    ]
    notifier = make(urls, tries=2)
    results = notifier.send_now("t", "b", timeout=30)
    notifier.send("t", "b")
    assert poll(lambda: len(receiver.titles("/ok")) == 2)
    assert poll(lambda: receiver.hit_count("/fail/SECRETPATH") == 4)
    notifier.close()
    assert [r.ok for r in results] == [False, False, True]
    text = "\n".join(log_lines + [r.getMessage() for r in caplog.records])
    text += "\n".join(f"{r.channel} {r.reason}" for r in results)
    assert "SECRETTOKEN" not in text
    assert "SECRETPATH" not in text
    assert "***" in text


def test_retries_wait_with_exponential_backoff(receiver: Receiver) -> None:
    waits: list[float] = []

    def wait(seconds: float) -> bool:
        waits.append(seconds)
        return False

    channel = Channel(receiver.url("/fail"), asset=ASSET, tries=4, backoff_s=0.5, wait=wait)
    with pytest.raises(NotifyError, match="after 4 tries"):
        channel.deliver("t", "b")
    assert waits == [0.5, 1.0, 2.0]
    assert receiver.hit_count("/fail") == 4
