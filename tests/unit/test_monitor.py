"""The Monitor listener: ticks -> alerts -> notifier + log, state file heartbeat, restarts.
With the real apprise notifier: tests/alerts/test_monitor_delivery.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.alerts.conftest import URL, failed_tick, tick
from tests.fakes import T0, FakeClock
from watchdog.adapters.statefile import JsonStateStore
from watchdog.core.alerts import NotebookState
from watchdog.core.session import Limits
from watchdog.core.status_report import status_document
from watchdog.daemon.monitor import Monitor
from watchdog.errors import StateError

LIMITS = Limits(idle_timeout=10, max_lifetime=24, warn_before=(16, 8))
NB_KEYS = {
    "url",
    "title",
    "state",
    "started_at",
    "lifetime_remaining_s",
    "idle_remaining_s",
    "last_tick_at",
    "ticks_ok",
    "ticks_failed",
    "alerts_sent",
    "input",
    "activity_level",
    "activity",
    "busy",
    "busy_for_s",
    "idle_for_s",
    "resources",
    "backend",
    "policy",
}


class RecordingNotifier:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, title: str, body: str) -> None:
        self.sent.append((title, body))


class BrokenStore:
    def __init__(self) -> None:
        self.saves = 0

    def load(self) -> dict[str, Any]:
        raise StateError("cannot read the state file /x: Permission denied")

    def save(self, state: dict[str, Any]) -> None:
        self.saves += 1
        raise StateError("cannot write the state file /x: Read-only file system")


def make(store: Any, clock: FakeClock, notifier: RecordingNotifier, **kw: Any) -> Monitor:
    return Monitor(
        store=store, notifier=notifier, clock=clock, limits=LIMITS, interval=1.0, pid=4242, **kw
    )


def saved_notebook(monitor: Monitor, store: JsonStateStore, clock: FakeClock) -> NotebookState:
    """The notebook's record as the heartbeat writes it to the state file."""
    monitor.on_sweep(clock.now())
    return NotebookState.from_json(store.load()["notebooks"][URL])


def run_seconds(monitor: Monitor, clock: FakeClock, seconds: int, **status: Any) -> None:
    for _ in range(seconds):
        monitor.on_tick(tick(clock.advance(1), **status))
        monitor.on_sweep(clock.now())


def test_lifetime_alerts_are_sent_once_each_in_order(tmp_path: Path, clock: FakeClock) -> None:
    notifier = RecordingNotifier()
    monitor = make(JsonStateStore(tmp_path / "s.json"), clock, notifier)
    monitor.on_start()
    monitor.on_tick(tick(clock.now()))
    run_seconds(monitor, clock, 30)
    titles = [t for t, _ in notifier.sent]
    assert len(titles) == 3
    assert titles[0].startswith("Colab watchdog: lifetime warning, 16s left")
    assert titles[1].startswith("Colab watchdog: lifetime warning, 8s left")
    assert titles[2].startswith("Colab watchdog: lifetime reached")
    assert URL in notifier.sent[0][1]


def test_restarted_monitor_repeats_nothing(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "s.json"
    first = RecordingNotifier()
    monitor = make(JsonStateStore(path), clock, first)
    monitor.on_start()
    monitor.on_tick(tick(clock.now()))
    run_seconds(monitor, clock, 10)  # the 16 s warning went out at t=8
    monitor.on_stop()
    assert len(first.sent) == 1
    second = RecordingNotifier()
    again = make(JsonStateStore(path), clock, second)
    again.on_start()
    run_seconds(again, clock, 20)
    assert [t.split(",")[0].split(" (")[0] for t, _ in second.sent] == [
        "Colab watchdog: lifetime warning",
        "Colab watchdog: lifetime reached",
    ]


def test_alerts_always_go_to_the_log(
    tmp_path: Path, clock: FakeClock, log_lines: list[str]
) -> None:
    monitor = make(JsonStateStore(tmp_path / "s.json"), clock, RecordingNotifier())
    monitor.on_tick(tick(clock.now()))
    monitor.on_tick(tick(clock.advance(1), state="disconnected", acted="none"))
    alert_lines = [line for line in log_lines if "ALERT" in line]
    assert len(alert_lines) == 1
    assert "Colab watchdog: disconnected" in alert_lines[0]
    assert alert_lines[0].startswith("WARNING")


def test_page_ending_at_its_lifetime_is_lifetime_reached_not_disconnected(
    tmp_path: Path, clock: FakeClock
) -> None:
    # the page drops its runtime 1.5 s before the deadline the monitor computed (its start was
    # seen one tick late): within one interval (1 s) + a little, so that is the lifetime's end
    notifier = RecordingNotifier()
    monitor = make(JsonStateStore(tmp_path / "s.json"), clock, notifier)
    monitor.on_tick(tick(clock.now()))
    run_seconds(monitor, clock, 22)
    monitor.on_tick(tick(clock.advance(0.5), state="disconnected", acted="none"))
    monitor.on_tick(tick(clock.advance(1), state="disconnected", acted="none"))
    titles = [t.split(",")[0].split(" (")[0] for t, _ in notifier.sent]
    assert titles == [
        "Colab watchdog: lifetime warning",
        "Colab watchdog: lifetime warning",
        "Colab watchdog: lifetime reached",
    ]


def test_sweep_writes_heartbeat_and_stop_marks_not_running(
    tmp_path: Path, clock: FakeClock
) -> None:
    store = JsonStateStore(tmp_path / "s.json")
    monitor = make(store, clock, RecordingNotifier())
    monitor.on_start()
    monitor.on_tick(tick(clock.now()))
    monitor.on_sweep(clock.advance(1))
    state = store.load()
    assert state["daemon"] == {
        "pid": 4242,
        "running": True,
        "updated_at": "2026-11-26T12:00:01Z",
        "interval_s": 1.0,
        "started_at": "2026-11-26T12:00:00Z",  # status --check counts unreached from here
        "watched": [],
    }
    monitor.on_stop()
    assert store.load()["daemon"]["running"] is False


def test_saved_state_gives_exactly_the_status_keys(tmp_path: Path, clock: FakeClock) -> None:
    store = JsonStateStore(tmp_path / "s.json")
    monitor = make(store, clock, RecordingNotifier())
    monitor.on_start()
    monitor.on_tick(tick(clock.now()))
    monitor.on_tick(failed_tick(clock.advance(2)))
    monitor.on_sweep(clock.now())
    snap = status_document(store.load(), clock.advance(3))
    assert set(snap) == {"schema_version", "daemon", "notebooks"}
    assert set(snap["daemon"]) == {"pid", "running", "updated_at"}
    [nb] = snap["notebooks"]
    assert set(nb) == NB_KEYS
    assert nb["lifetime_remaining_s"] == 19.0
    assert nb["idle_remaining_s"] == 5.0
    assert (nb["ticks_ok"], nb["ticks_failed"], nb["state"]) == (1, 1, "unreachable")
    assert nb["started_at"] == "2026-11-26T12:00:00Z"


def test_state_errors_are_logged_and_alerts_still_go_out(
    clock: FakeClock, log_lines: list[str]
) -> None:
    notifier = RecordingNotifier()
    store = BrokenStore()
    monitor = make(store, clock, notifier)
    monitor.on_start()
    monitor.on_tick(tick(clock.now()))
    run_seconds(monitor, clock, 9)
    assert len(notifier.sent) == 1
    errors = [line for line in log_lines if line.startswith("ERROR")]
    assert any("Read-only file system" in line for line in errors)
    assert store.saves >= 10


def test_a_failing_notifier_does_not_break_the_monitor(tmp_path: Path, clock: FakeClock) -> None:
    class Exploding:
        def send(self, title: str, body: str) -> None:
            raise RuntimeError("boom")

    store = JsonStateStore(tmp_path / "s.json")
    monitor = Monitor(
        store=store,
        notifier=Exploding(),
        clock=clock,
        limits=LIMITS,
        interval=1.0,
    )
    monitor.on_tick(tick(clock.now()))
    for _ in range(30):
        monitor.on_tick(tick(clock.advance(1)))
    nb = saved_notebook(monitor, store, clock)
    assert [a.kind for a in nb.alerts_sent] == [
        "lifetime-warning",
        "lifetime-warning",
        "lifetime-reached",
    ]


def test_started_at_hint_applies_to_the_first_session_only(
    tmp_path: Path, clock: FakeClock
) -> None:
    notifier = RecordingNotifier()
    hint = T0 - timedelta(seconds=10)
    store = JsonStateStore(tmp_path / "s.json")
    monitor = make(store, clock, notifier, started_at=hint)
    monitor.on_tick(tick(clock.now()))
    nb = saved_notebook(monitor, store, clock)
    assert nb.session is not None
    assert nb.session.started_at == hint
    assert [t.split(",")[0] for t, _ in notifier.sent] == ["Colab watchdog: lifetime warning"]
    monitor.on_tick(tick(clock.advance(1), state="disconnected", acted="none"))
    monitor.on_tick(tick(clock.advance(1)))
    nb = saved_notebook(monitor, store, clock)
    assert nb.session is not None
    assert nb.session.started_at == clock.now()


def test_browser_lost_is_sent_once(tmp_path: Path, clock: FakeClock) -> None:
    notifier = RecordingNotifier()
    monitor = make(JsonStateStore(tmp_path / "s.json"), clock, notifier)
    monitor.on_tick(tick(clock.now()))
    monitor.on_browser_lost(URL, "chromedriver died", clock.advance(1))
    monitor.on_browser_lost(URL, "chromedriver died", clock.advance(1))
    assert [t.split(" (")[0] for t, _ in notifier.sent] == ["Colab watchdog: browser lost"]
    assert "chromedriver died" in notifier.sent[0][1]


def test_corrupt_notebook_record_is_dropped_not_fatal(tmp_path: Path, clock: FakeClock) -> None:
    store = JsonStateStore(tmp_path / "s.json")
    store.save({"schema_version": 1, "notebooks": {URL: {"url": URL, "session": {"x": 1}}}})
    monitor = make(store, clock, RecordingNotifier())
    monitor.on_start()
    monitor.on_tick(tick(clock.now()))
    assert saved_notebook(monitor, store, clock).ticks_ok == 1
