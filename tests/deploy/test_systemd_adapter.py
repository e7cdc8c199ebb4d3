"""The sd_notify adapter alone, against a unix datagram socket bound in a temp dir (no daemon)."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from watchdog.adapters.systemd import SdNotify, SystemdNotifier, check_interval, socket_address
from watchdog.core.model import EngineStatus, TickResult
from watchdog.errors import ConfigError

AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def listener_socket(tmp_path: Path) -> Iterator[tuple[str, socket.socket]]:
    # AF_UNIX paths are limited to ~107 bytes: pytest's tmp_path can be longer than that.
    path = Path("/tmp") / f"cw-notify-{os.getpid()}-{id(tmp_path)}.sock"
    path.unlink(missing_ok=True)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(5)
    try:
        yield str(path), sock
    finally:
        sock.close()
        path.unlink(missing_ok=True)


def receive(sock: socket.socket) -> list[str]:
    return sock.recv(4096).decode().split("\n")


def pending(sock: socket.socket) -> list[bytes]:
    sock.setblocking(False)
    out = []
    try:
        while True:
            out.append(sock.recv(4096))
    except BlockingIOError:
        return out
    finally:
        sock.settimeout(5)


def tick(ok: bool) -> TickResult:
    status = EngineStatus.from_json({"state": "connected", "acted": "activity"})
    return TickResult(
        url="http://x/", at=AT, status=status if ok else None, failure=None if ok else "lost"
    )


def test_socket_address_forms() -> None:
    assert socket_address("/run/systemd/notify") == "/run/systemd/notify"
    assert socket_address("@abstract/name") == "\0abstract/name"
    with pytest.raises(ConfigError, match="NOTIFY_SOCKET"):
        socket_address("vsock:2:1234")
    with pytest.raises(ConfigError, match="NOTIFY_SOCKET"):
        socket_address("relative.sock")


def test_lifecycle_messages(listener_socket: tuple[str, socket.socket]) -> None:
    path, sock = listener_socket
    notifier = SystemdNotifier(path)
    notifier.on_start()
    first = receive(sock)
    assert first[0] == "READY=1"
    notifier.on_start()  # READY=1 is sent once only
    assert pending(sock) == []

    notifier.on_tick(tick(True))
    notifier.on_tick(tick(True))
    notifier.on_tick(tick(False))
    assert pending(sock) == []  # ticks alone never feed the watchdog
    notifier.on_sweep(AT)
    fields = receive(sock)
    assert fields[0] == "WATCHDOG=1"
    assert fields[1] == "STATUS=sweep 1 at 03:04:05Z: 2 ticks ok, 1 failed"
    notifier.on_sweep(AT)
    assert receive(sock) == ["WATCHDOG=1", "STATUS=sweep 2 at 03:04:05Z: 0 ticks ok, 0 failed"]

    notifier.on_browser_lost("http://x/", "chromedriver died\nagain", AT)
    lost = receive(sock)
    assert lost == ["STATUS=browser lost for http://x/ at 03:04:05Z: chromedriver died again"]

    notifier.on_stop()
    assert receive(sock)[0] == "STOPPING=1"


def test_abstract_namespace() -> None:
    name = f"colab-watchdog-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.settimeout(5)
    try:
        assert SdNotify("@" + name).send("READY=1")
        assert sock.recv(100) == b"READY=1"
    finally:
        sock.close()


def test_missing_socket_is_reported_not_raised(tmp_path: Path) -> None:
    notify = SdNotify(str(tmp_path / "nobody-listens.sock"))
    assert notify.send("WATCHDOG=1") is False
    assert notify.send("WATCHDOG=1") is False  # still no exception


def test_interval_must_fit_the_systemd_watchdog(
    listener_socket: tuple[str, socket.socket],
) -> None:
    path, _ = listener_socket
    SystemdNotifier(path, interval=60, watchdog_usec="300000000")  # WatchdogSec=300: fine
    SystemdNotifier(path, interval=600, watchdog_usec=None)  # no WatchdogSec: anything goes
    check_interval(600, "")
    with pytest.raises(ConfigError, match=r"WATCHDOG_INTERVAL \(150s\).*WatchdogSec \(300s\)"):
        SystemdNotifier(path, interval=150, watchdog_usec="300000000")
    with pytest.raises(ConfigError, match="WATCHDOG_USEC"):
        check_interval(60, "five minutes")
