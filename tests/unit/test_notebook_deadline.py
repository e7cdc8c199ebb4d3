"""Deadline arithmetic of watchdog.notebook: now + max_lifetime - uptime - margin."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import pytest

from tests.fakes import T0, FakeClock
from watchdog.notebook import (
    format_remaining,
    on_colab,
    parse_duration,
    session_deadline,
    time_left,
)

START = T0.timestamp()  # where the `clock` fixture starts, in epoch seconds


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("12h", 43200.0),
        ("1h30m", 5400.0),
        ("1h 30m", 5400.0),
        ("90m", 5400.0),
        ("45s", 45.0),
        ("1.5s", 1.5),
        ("500ms", 0.5),
        ("1d", 86400.0),
        ("3600", 3600.0),
        (" 2H ", 7200.0),
        (3600, 3600.0),
        (90.5, 90.5),
        (0, 0.0),
    ],
)
def test_parse_duration_accepts_strings_and_numbers(value: str | float, seconds: float) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize(
    "value",
    ["", "   ", "12x", "h", "1h30", "12 hours", "-5m", -1, float("nan"), float("inf"), True],
)
def test_parse_duration_rejects_with_a_clear_message(value: object) -> None:
    with pytest.raises(ValueError, match=r"^max_lifetime: invalid duration ") as err:
        parse_duration(value, "max_lifetime")  # type: ignore[arg-type]
    assert repr(value) in str(err.value)
    assert "12h" in str(err.value)  # says what is accepted


def test_deadline_is_now_plus_lifetime_minus_uptime(
    clock: FakeClock, uptime: Callable[[float], str]
) -> None:
    path = uptime(3600)
    deadline = session_deadline("12h", uptime_file=path, clock=clock)
    assert deadline.tzinfo is dt.UTC
    assert deadline == dt.datetime.fromtimestamp(START + 11 * 3600, tz=dt.UTC)


def test_margin_moves_the_deadline_earlier(
    clock: FakeClock, uptime: Callable[[float], str]
) -> None:
    path = uptime(3600)
    plain = session_deadline("12h", uptime_file=path, clock=clock)
    early = session_deadline("12h", "30m", uptime_file=path, clock=clock)
    assert plain - early == dt.timedelta(minutes=30)


def test_strings_and_numbers_give_the_same_deadline(
    clock: FakeClock, uptime: Callable[[float], str]
) -> None:
    path = uptime(100)
    by_text = session_deadline("1h30m", "90s", uptime_file=path, clock=clock)
    by_number = session_deadline(5400, 90.0, uptime_file=path, clock=clock)
    assert by_text == by_number
    assert by_text == dt.datetime.fromtimestamp(START + 5400 - 100 - 90, tz=dt.UTC)


def test_time_left_counts_down_and_never_goes_negative(
    clock: FakeClock, uptime: Callable[[float], str]
) -> None:
    assert time_left("12h", uptime_file=uptime(3600), clock=clock) == 11 * 3600
    assert time_left("12h", "1h", uptime_file=uptime(3600), clock=clock) == 10 * 3600
    assert time_left("12h", uptime_file=uptime(13 * 3600), clock=clock) == 0.0
    # the deadline may lie in the past; time left stays 0
    past = session_deadline("12h", uptime_file=uptime(13 * 3600), clock=clock)
    assert past < dt.datetime.fromtimestamp(START, tz=dt.UTC)


def test_bad_duration_names_the_parameter(clock: FakeClock, uptime: Callable[[float], str]) -> None:
    with pytest.raises(ValueError, match=r"^margin: invalid duration '30 min'"):
        session_deadline("12h", "30 min", uptime_file=uptime(0), clock=clock)
    with pytest.raises(ValueError, match=r"^max_lifetime: invalid duration 'twelve'"):
        time_left("twelve", uptime_file=uptime(0), clock=clock)


def test_unreadable_uptime_counts_from_first_call(
    clock: FakeClock, tmp_path: object, caplog: pytest.LogCaptureFixture
) -> None:
    missing = "/nonexistent/uptime"
    with caplog.at_level(logging.WARNING, logger="watchdog.notebook"):
        assert time_left("1h", uptime_file=missing, clock=clock) == 3600
        clock.advance(600)
        assert time_left("1h", uptime_file=missing, clock=clock) == 3000
    assert "cannot read /nonexistent/uptime" in caplog.text


def test_garbage_uptime_file_is_treated_as_unreadable(
    clock: FakeClock, tmp_path: object, uptime: Callable[[float], str]
) -> None:
    path = uptime(0)
    with open(path, "w", encoding="ascii") as fh:
        fh.write("not-a-number\n")
    assert time_left("1h", uptime_file=path, clock=clock) == 3600


def test_on_colab(monkeypatch: pytest.MonkeyPatch, off_colab: None) -> None:
    assert on_colab() is False
    monkeypatch.setenv("COLAB_RELEASE_TAG", "release-colab_20261120-060000_RC00")
    assert on_colab() is True


def test_on_colab_by_module(
    off_colab: None, fake_colab: list[tuple[str, dict[str, object]]]
) -> None:
    assert on_colab() is True


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(7530, "2h 05m"), (249, "4m 09s"), (45.9, "45s"), (0, "0s"), (-5, "0s"), (43200, "12h 00m")],
)
def test_format_remaining(seconds: float, text: str) -> None:
    assert format_remaining(seconds) == text
