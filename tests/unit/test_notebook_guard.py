"""CheckpointGuard: periodic saves, exactly one save at the margin, Colab alerts and countdown."""

from __future__ import annotations

import json
import logging
import sys
import types
from collections.abc import Callable

import pytest

from tests.fakes import FakeClock
from watchdog.notebook import CheckpointGuard

HOUR = 3600.0
MINUTE = 60.0


def run_until(guard: CheckpointGuard, clock: FakeClock, seconds: float, step: float) -> list[float]:
    """Advance the clock in `step`s for `seconds`, saving when told; returns the save times."""
    saves: list[float] = []
    elapsed = 0.0
    while elapsed < seconds:
        clock.advance(step)
        elapsed += step
        if guard.should_save():
            saves.append(elapsed)
            guard.saved()
    return saves


@pytest.fixture
def make_guard(
    clock: FakeClock, uptime: Callable[[float], str], off_colab: None
) -> Callable[..., CheckpointGuard]:
    def make(up: float = 0.0, **kwargs: object) -> CheckpointGuard:
        kwargs.setdefault("notify", False)
        kwargs.setdefault("display", False)
        return CheckpointGuard(clock=clock, uptime_file=uptime(up), **kwargs)  # type: ignore[arg-type]

    return make


def test_fires_every_period(make_guard: Callable[..., CheckpointGuard], clock: FakeClock) -> None:
    guard = make_guard(max_lifetime="12h", margin="30m", every="60m")
    assert guard.should_save() is False  # not at start
    saves = run_until(guard, clock, 5 * HOUR, MINUTE)
    assert saves == [HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR, 5 * HOUR]
    assert guard.saves == 5


def test_fires_exactly_once_at_the_margin(
    make_guard: Callable[..., CheckpointGuard], clock: FakeClock
) -> None:
    # up 10h of 12h: the 30m margin is crossed 1h30m from now; periodic saves off
    guard = make_guard(up=10 * HOUR, max_lifetime="12h", margin="30m", every=None)
    saves = run_until(guard, clock, 3 * HOUR, MINUTE)  # runs past the end, too
    assert saves == [90 * MINUTE]
    assert guard.margin_fired is True


def test_margin_fires_even_when_saved_is_not_called(
    make_guard: Callable[..., CheckpointGuard], clock: FakeClock
) -> None:
    guard = make_guard(up=11 * HOUR, max_lifetime="12h", margin="30m", every=None)
    answers = []
    for _ in range(60):
        clock.advance(MINUTE)
        answers.append(guard.should_save())
    assert answers.count(True) == 1
    assert answers.index(True) == 29  # at 30 minutes: time left == margin


def test_margin_and_period_together(
    make_guard: Callable[..., CheckpointGuard], clock: FakeClock
) -> None:
    # up 9h: periodic at +1h, margin at +2h30m (resets the period), then periodic at +3h30m
    guard = make_guard(up=9 * HOUR, max_lifetime="12h", margin="30m", every="60m")
    saves = run_until(guard, clock, 4 * HOUR, MINUTE)
    assert saves == [HOUR, 2 * HOUR, 150 * MINUTE, 210 * MINUTE]


def test_starting_inside_the_margin_fires_at_once(
    make_guard: Callable[..., CheckpointGuard], clock: FakeClock
) -> None:
    guard = make_guard(up=11 * HOUR + 45 * MINUTE, max_lifetime="12h", margin="30m")
    assert guard.should_save() is True
    assert guard.should_save() is False


def test_saved_resets_the_period(
    make_guard: Callable[..., CheckpointGuard], clock: FakeClock
) -> None:
    guard = make_guard(max_lifetime="12h", margin="30m", every="60m")
    clock.advance(40 * MINUTE)
    guard.saved()  # the user saved on their own
    clock.advance(59 * MINUTE)
    assert guard.should_save() is False
    clock.advance(MINUTE)
    assert guard.should_save() is True
    assert guard.next_save_in() == HOUR


def test_no_repeat_when_saved_is_forgotten(
    make_guard: Callable[..., CheckpointGuard], clock: FakeClock
) -> None:
    guard = make_guard(every="10m")
    clock.advance(10 * MINUTE)
    assert guard.should_save() is True
    for _ in range(9):
        clock.advance(MINUTE)
        assert guard.should_save() is False
    clock.advance(MINUTE)
    assert guard.should_save() is True


def test_period_is_measured_from_the_end_of_a_slow_save(
    make_guard: Callable[..., CheckpointGuard], clock: FakeClock
) -> None:
    guard = make_guard(every="60m")
    clock.advance(HOUR)
    assert guard.step(lambda: clock.advance(10 * MINUTE)) is True  # the save takes 10 minutes
    clock.advance(59 * MINUTE)
    assert guard.should_save() is False
    clock.advance(MINUTE)
    assert guard.should_save() is True


def test_step_calls_save_fn_only_when_due(
    make_guard: Callable[..., CheckpointGuard], clock: FakeClock
) -> None:
    guard = make_guard(every="30m")
    calls: list[float] = []
    results = []
    for _ in range(90):
        clock.advance(MINUTE)
        results.append(guard.step(lambda: calls.append(clock())))
    assert results.count(True) == 3 == len(calls) == guard.saves


def test_a_failing_save_propagates_and_is_not_recorded(
    make_guard: Callable[..., CheckpointGuard], clock: FakeClock
) -> None:
    guard = make_guard(every="10m")
    clock.advance(10 * MINUTE)

    def broken() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        guard.step(broken)
    assert guard.saves == 0


def test_time_left_and_deadline(
    make_guard: Callable[..., CheckpointGuard], clock: FakeClock
) -> None:
    guard = make_guard(up=2 * HOUR, max_lifetime="12h")
    assert guard.time_left() == 10 * HOUR
    clock.advance(HOUR)
    assert guard.time_left() == 9 * HOUR
    clock.advance(20 * HOUR)
    assert guard.time_left() == 0.0
    assert guard.deadline().timestamp() == clock() - 21 * HOUR + 10 * HOUR


def test_status_line(make_guard: Callable[..., CheckpointGuard], clock: FakeClock) -> None:
    guard = make_guard(up=HOUR, max_lifetime="12h", margin="30m", every="60m")
    clock.advance(15 * MINUTE)
    assert guard.status_line() == (
        "Colab runtime: 10h 45m left (ends ~23:00 UTC); next checkpoint in 45m 00s"
    )
    clock.advance(10 * HOUR + 20 * MINUTE)
    guard.should_save()
    assert guard.status_line() == (
        "Colab runtime: 25m 00s left (ends ~23:00 UTC); under the 30m 00s margin: save now"
    )
    periodic_off = make_guard(up=HOUR, every=None)
    assert periodic_off.status_line().endswith("saving at the 30m 00s margin")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"margin": "12h"}, r"^margin: '12h' must be shorter than max_lifetime '12h'"),
        ({"every": "soon"}, r"^every: invalid duration 'soon'"),
        ({"max_lifetime": -1}, r"^max_lifetime: invalid duration -1: it must not be negative"),
    ],
)
def test_bad_settings_raise_value_error(
    make_guard: Callable[..., CheckpointGuard], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        make_guard(**kwargs)


def test_off_colab_the_margin_only_logs(
    clock: FakeClock,
    uptime: Callable[[float], str],
    off_colab: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    guard = CheckpointGuard("12h", "30m", clock=clock, uptime_file=uptime(11.5 * HOUR + 1))
    assert guard.notify is False
    assert guard.display is False
    with caplog.at_level(logging.INFO, logger="watchdog.notebook"):
        assert guard.should_save() is True
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "29m 59s left in this Colab runtime" in warnings[0].getMessage()


def test_on_colab_the_margin_notifies_through_eval_js(
    clock: FakeClock,
    uptime: Callable[[float], str],
    off_colab: None,
    fake_colab: list[tuple[str, dict[str, object]]],
) -> None:
    guard = CheckpointGuard("12h", "30m", clock=clock, uptime_file=uptime(11 * HOUR), display=False)
    assert guard.notify is True  # defaults to "on Colab"
    for _ in range(60):
        clock.advance(MINUTE)
        guard.should_save()
    assert len(fake_colab) == 1  # once, at the margin
    script, kwargs = fake_colab[0]
    assert kwargs == {"ignore_result": True}
    assert "new Notification(title" in script
    assert "createOscillator" in script  # the beep
    body = json.dumps("About 30m 00s left in this Colab runtime (ends ~13:00 UTC): ")
    assert body[:-1] in script


def test_a_failing_eval_js_never_stops_training(
    clock: FakeClock,
    uptime: Callable[[float], str],
    off_colab: None,
    fake_colab: list[tuple[str, dict[str, object]]],
) -> None:
    def broken(script: str, **kwargs: object) -> None:
        raise RuntimeError("no frontend")

    sys.modules["google.colab.output"].eval_js = broken  # type: ignore[attr-defined]
    guard = CheckpointGuard("12h", "30m", clock=clock, uptime_file=uptime(12 * HOUR), display=False)
    assert guard.should_save() is True


class FakeHandle:
    def __init__(self, shown: list[str]) -> None:
        self.shown = shown

    def update(self, data: dict[str, str], raw: bool = False) -> None:
        assert raw is True
        self.shown.append(data["text/plain"])


@pytest.fixture
def fake_ipython(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    ipython = types.ModuleType("IPython")
    display_mod = types.ModuleType("IPython.display")

    def display(data: dict[str, str], raw: bool = False, display_id: bool = False) -> FakeHandle:
        assert raw is True
        assert display_id is True
        shown.append(data["text/plain"])
        return FakeHandle(shown)

    display_mod.display = display  # type: ignore[attr-defined]
    ipython.display = display_mod  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", display_mod)
    return shown


def test_countdown_line_is_drawn_once_and_updated_sparingly(
    clock: FakeClock,
    uptime: Callable[[float], str],
    off_colab: None,
    fake_colab: list[tuple[str, dict[str, object]]],
    fake_ipython: list[str],
) -> None:
    guard = CheckpointGuard("12h", "30m", "60m", clock=clock, uptime_file=uptime(0))
    assert guard.display is True  # defaults to "on Colab"
    for _ in range(60):  # one step a second for a minute
        clock.advance(1)
        guard.should_save()
    assert 3 <= len(fake_ipython) <= 5  # redrawn about every 15 s, not every step
    assert fake_ipython[-1].startswith("Colab runtime: 11h 59m left")


def test_without_ipython_the_countdown_falls_back_to_the_log(
    clock: FakeClock,
    uptime: Callable[[float], str],
    off_colab: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setitem(sys.modules, "IPython", None)
    guard = CheckpointGuard(clock=clock, uptime_file=uptime(0), display=True, notify=False)
    with caplog.at_level(logging.INFO, logger="watchdog.notebook"):
        guard.should_save()
        clock.advance(60)
        guard.should_save()
    assert guard.display is False
    assert caplog.text.count("countdown display unavailable") == 1
