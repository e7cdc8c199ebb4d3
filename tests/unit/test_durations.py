"""Duration syntax: every accepted form, the rejections, and the two formatters."""

from __future__ import annotations

import math

import pytest

from watchdog.core.durations import (
    format_duration,
    format_remaining,
    parse_duration,
    parse_duration_list,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90m", 5400.0),
        ("12h", 43200.0),
        ("1h30m", 5400.0),
        ("1h 30m", 5400.0),
        ("45s", 45.0),
        ("1.5s", 1.5),
        ("500ms", 0.5),
        ("2d", 172800.0),
        ("1d2h", 93600.0),
        ("2m30.5s", 150.5),
        ("1s500ms", 1.5),
        ("60", 60.0),
        ("1.5", 1.5),
        ("0", 0.0),
        (" 10M ", 600.0),
        ("3H", 10800.0),
        (".5s", 0.5),
    ],
)
def test_parse_duration_accepts(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "5x",
        "-5s",
        "-1",
        "1h30",
        "30m1h",
        "1m1m",
        "1..5s",
        "nan",
        "inf",
        "m",
        "5 m s",
    ],
)
def test_parse_duration_rejects_with_what_is_accepted(text: str) -> None:
    with pytest.raises(ValueError, match="500ms"):
        parse_duration(text)


def test_negative_duration_says_so() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        parse_duration("-10s")


def test_parse_duration_error_names_the_text() -> None:
    with pytest.raises(ValueError, match="'5x'"):
        parse_duration("5x")


def test_parse_duration_list_sorts_descending_and_deduplicates() -> None:
    assert parse_duration_list("5m,60m,30m,10m,1h") == (3600.0, 1800.0, 600.0, 300.0)
    assert parse_duration_list("60m 30m, 10m") == (3600.0, 1800.0, 600.0)
    assert parse_duration_list("") == ()
    assert parse_duration_list(" , ") == ()


def test_parse_duration_list_rejects_a_bad_item() -> None:
    with pytest.raises(ValueError, match="'10x'"):
        parse_duration_list("60m,10x")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (5400, "1h30m"),
        (60, "1m"),
        (1.5, "1.5s"),
        (0.5, "500ms"),
        (43200, "12h"),
        (0, "0s"),
        (3661, "1h1m1s"),
        (90.25, "1m30.25s"),
    ],
)
def test_format_duration_is_canonical(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("seconds", [0.001, 1, 59.999, 3599, 3600, 5400, 43200, 86401.5, 7 * 86400])
def test_format_duration_round_trips(seconds: float) -> None:
    assert parse_duration(format_duration(seconds)) == pytest.approx(seconds)


def test_format_duration_rejects_negative() -> None:
    with pytest.raises(ValueError):
        format_duration(-1)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (7530, "2h 05m"),  # 2h 5m 30s rounds down
        (7200, "2h 00m"),
        (43200, "12h 00m"),
        (3599.9, "59m 59s"),
        (250, "4m 10s"),
        (60, "1m 00s"),
        (45, "45s"),
        (0.4, "0s"),
        (0, "0s"),
        (-30, "0s"),
        (math.nan, "0s"),
    ],
)
def test_format_remaining(seconds: float, text: str) -> None:
    assert format_remaining(seconds) == text


# One grammar: the daemon's parser (core) and the notebook helper's (which also runs inside
# Colab by itself, and in the `snippet --python` cell) answer alike, error texts included.
AGREEMENT = [
    ("1h30m", 5400.0),
    ("30m1h", None),  # units largest first, each once
    ("90", 90.0),
    ("1.5h", 5400.0),
    ("1h 30m", 5400.0),
    ("500ms", 0.5),
    ("2d", 172800.0),
    (" 10M ", 600.0),
    ("1m1m", None),
    ("12 hours", None),
    ("", None),
    ("   ", None),
    ("5x", None),
    ("-5m", None),
    ("nan", None),
    ("inf", None),
    ("1h30", None),
]


@pytest.mark.parametrize(("text", "seconds"), AGREEMENT)
def test_core_and_notebook_parse_durations_alike(text: str, seconds: float | None) -> None:
    from watchdog import notebook

    if seconds is not None:
        assert parse_duration(text) == pytest.approx(seconds)
        assert notebook.parse_duration(text, "every") == parse_duration(text)
        return
    with pytest.raises(ValueError, match="500ms") as core_error:
        parse_duration(text)
    with pytest.raises(ValueError) as notebook_error:
        notebook.parse_duration(text, "every")
    assert str(notebook_error.value) == f"every: {core_error.value}"
    assert repr(text) in str(core_error.value)


def test_the_notebook_also_takes_numbers_but_no_bools() -> None:
    from watchdog import notebook

    assert notebook.parse_duration(90) == 90.0
    assert notebook.parse_duration(1.5) == 1.5
    for bad in (True, -1, float("nan"), float("inf"), None):
        with pytest.raises(ValueError, match=r"^margin: invalid duration .*500ms"):
            notebook.parse_duration(bad, "margin")  # type: ignore[arg-type]


def test_core_and_notebook_share_one_function_each() -> None:
    from watchdog import notebook
    from watchdog.core import durations

    assert durations.format_remaining is notebook.format_remaining
    assert durations.ACCEPTED == notebook.DURATION_ACCEPTED
