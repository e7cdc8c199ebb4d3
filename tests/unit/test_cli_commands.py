"""`status`, and `test-alert` without a channel, called in-process through main([...]).
`test-alert` delivering to a receiver: tests/alerts/test_alert_command.py."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.alerts.conftest import URL, tick
from tests.fakes import FakeClock
from tests.unit.test_monitor import LIMITS, NB_KEYS, RecordingNotifier
from watchdog.adapters.statefile import JsonStateStore
from watchdog.cli.main import main
from watchdog.daemon.monitor import Monitor


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """test-alert configures loguru for the process (stderr sink, redacting patcher): undo it."""
    yield
    from loguru import logger

    logger.remove()
    logger.configure(patcher=lambda record: None)
    logger.add(lambda message: sys.stderr.write(message))  # noqa: PLW0108  (stderr of the moment)
    logging.basicConfig(handlers=[], force=True)


def write_state(path: Path, *, age_s: float = 0.0, stop: bool = False) -> datetime:
    """A state file as a daemon would leave it, last updated `age_s` seconds ago."""
    now = datetime.now(UTC).replace(microsecond=0)
    clock = FakeClock(now - timedelta(seconds=age_s + 3))
    monitor = Monitor(
        store=JsonStateStore(path),
        notifier=RecordingNotifier(),
        clock=clock,
        limits=LIMITS,
        interval=1.0,
        pid=777,
    )
    monitor.on_start()
    monitor.on_tick(tick(clock.now()))
    monitor.on_sweep(clock.advance(3))
    if stop:
        monitor.on_stop()
    return clock.now()


def test_status_json_has_exactly_the_documented_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "state.json"
    updated = write_state(path, age_s=2)
    assert main(["status", "--json", "--state-file", str(path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert list(doc) == ["schema_version", "daemon", "notebooks"]
    assert doc["schema_version"] == 1
    assert list(doc["daemon"]) == ["pid", "running", "updated_at"]
    assert doc["daemon"] == {
        "pid": 777,
        "running": True,
        "updated_at": updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    [nb] = doc["notebooks"]
    assert set(nb) == NB_KEYS
    assert len(nb) == len(NB_KEYS)
    assert nb["url"] == URL
    assert nb["state"] == "connected"
    # computed at the moment of the call: started ~5 s ago with a 24 s lifetime
    assert 15 <= nb["lifetime_remaining_s"] <= 19.5
    assert isinstance(nb["alerts_sent"], list)


def test_status_table_is_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "state.json"
    write_state(path)
    assert main(["status", "--state-file", str(path)]) == 0
    out = capsys.readouterr().out
    assert "daemon: pid 777, running" in out
    assert "NOTEBOOK" in out and "LIFE LEFT" in out
    assert "My training" in out and URL in out


@pytest.mark.parametrize(
    ("age_s", "stop", "code"),
    [(0, False, 0), (2, False, 0), (10, False, 1), (0, True, 1)],
    ids=["fresh", "within-3-intervals", "stale", "stopped"],
)
def test_status_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], age_s: float, stop: bool, code: int
) -> None:
    path = tmp_path / "state.json"
    write_state(path, age_s=age_s, stop=stop)
    assert main(["status", "--check", "--state-file", str(path)]) == code
    captured = capsys.readouterr()
    assert captured.out == ""
    if code:
        assert "unhealthy" in captured.err


def test_status_check_names_every_reason_a_stale_heartbeat_and_a_notebook_never_reached(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "state.json"
    now = datetime.now(UTC).replace(microsecond=0)
    clock = FakeClock(now - timedelta(seconds=13))
    never = "https://colab.research.google.com/drive/never-reached"
    monitor = Monitor(
        store=JsonStateStore(path),
        notifier=RecordingNotifier(),
        clock=clock,
        limits=LIMITS,
        interval=1.0,
        pid=777,
        watched=[URL, never],
    )
    monitor.on_start()
    monitor.on_tick(tick(clock.now()))
    monitor.on_sweep(clock.advance(3))  # the last update, 10 s ago: over 3 intervals
    assert main(["status", "--check", "--state-file", str(path)]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert "more than 3 intervals" in line and "never reached" in line, line


def test_status_without_state_file_fails_with_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.json"
    assert main(["status", "--check", "--state-file", str(missing)]) == 1
    assert main(["status", "--json", "--state-file", str(missing)]) == 1
    captured = capsys.readouterr()
    assert "colab-watchdog run" in captured.err
    assert json.loads(captured.out)["notebooks"] == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"schema_version": 99, "notebooks": {}}', "schema_version 99"),
    ],
)
def test_status_names_a_corrupt_state_file_and_leaves_it_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, problem: str
) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(content)
    assert main(["status", "--state-file", str(path)]) == 2
    assert main(["status", "--json", "--state-file", str(path)]) == 2
    assert main(["status", "--check", "--state-file", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 3, lines
    for line in lines:
        assert f"state file {path} (--state-file) is corrupt: {problem}" in line, line
        assert "delete it" in line and "moves it aside" in line, line
        assert "is the daemon running" not in line, line
    assert lines[0].startswith("colab-watchdog: error:")
    assert lines[2].startswith("colab-watchdog: unhealthy:")
    assert path.read_bytes() == content  # status only reads
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_status_uses_watchdog_state_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "env-state.json"
    write_state(path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WATCHDOG_STATE_FILE", str(path))
    assert main(["status", "--check"]) == 0


def test_test_alert_without_channels_exits_2_with_a_hint(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WATCHDOG_NOTIFY", raising=False)
    assert main(["test-alert"]) == 2
    err = capsys.readouterr().err
    assert "WATCHDOG_NOTIFY" in err
    assert "ntfy" in err
