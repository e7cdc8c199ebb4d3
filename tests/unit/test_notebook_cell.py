"""The Python cell of `colab-watchdog snippet --python`, run in a fresh namespace.

The cell is watchdog/notebook.py itself plus a few lines of set-up: these tests execute it
in-process and check that it behaves like `CheckpointGuard`, and how it is rendered.
tests/notebook/test_notebook_cell_run.py runs it as a script in a new process.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

import pytest

from tests.fakes import FakeClock
from watchdog import jsassets
from watchdog.core.notebook_cell import JS_FILES, render_python_cell
from watchdog.jsassets import python_cell
from watchdog.notebook import CheckpointGuard, parse_duration

HOUR = 3600.0
# The guard reads the uptime once, then its clock: a moment later less than a whole minute is
# left, and the countdown rounds down. Half a second more keeps whole-minute texts exact.
SLACK = 0.5


def exec_cell(cell: str) -> dict[str, Any]:
    """Run the cell in a fresh namespace, as a notebook would; returns that namespace."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(cell, "<cell>", "exec"), namespace)
    return namespace


def test_cell_guard_is_a_checkpoint_guard_for_the_rendered_limits(
    uptime: Callable[[float], str],
    monkeypatch: pytest.MonkeyPatch,
    off_colab: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("WATCHDOG_UPTIME_FILE", uptime(10 * HOUR - SLACK))
    ns = exec_cell(python_cell(max_lifetime_s=24 * HOUR, save_margin_s=600, save_every_s=900))
    guard = ns["colab_guard"]
    assert type(guard) is ns["colab_watchdog"].CheckpointGuard
    assert (guard.max_lifetime_s, guard.margin_s, guard.every_s) == (24 * HOUR, 600, 900)
    assert ns["colab_should_save"] == guard.should_save
    assert ns["colab_saved"] == guard.saved
    left = ns["colab_time_left"]()
    assert 14 * HOUR - 60 < left <= 14 * HOUR + SLACK
    assert ns["colab_time_left"](HOUR) == pytest.approx(left - HOUR, abs=5)
    deadline = ns["colab_deadline"](HOUR)
    assert guard.deadline() - deadline == dt.timedelta(hours=1)
    # the notebook gets the colab_* names; the module's helpers stay in their own namespace
    assert "parse_duration" not in ns
    assert "log" not in ns
    assert "Colab runtime: up 9h 59m; about 14h 00m left" in capsys.readouterr().out


@pytest.mark.parametrize("on_colab", [False, True])
def test_cell_guard_behaves_like_checkpoint_guard(
    uptime: Callable[[float], str],
    fake_colab: list[tuple[str, dict[str, object]]],
    monkeypatch: pytest.MonkeyPatch,
    on_colab: bool,
) -> None:
    """The same clock and the same steps: the cell's guard and the package's answer alike."""
    if not on_colab:
        for name in ("google.colab", "google.colab.output", "google"):
            monkeypatch.delitem(sys.modules, name)
    path = uptime(10 * HOUR)
    monkeypatch.setenv("WATCHDOG_UPTIME_FILE", path)
    ns = exec_cell(python_cell())
    fake_colab.clear()
    runs = []
    for cls in (CheckpointGuard, ns["colab_watchdog"].CheckpointGuard):
        clock = FakeClock()
        guard = cls(
            "12h", "30m", "60m", clock=clock, uptime_file=path, notify=on_colab, display=False
        )
        due, lines = [], []
        for minute in range(1, 151):
            clock.advance(60)
            if guard.should_save():
                due.append(minute)
                guard.saved()
            lines.append(guard.status_line())
        runs.append((due, lines, guard.saves, guard.margin_fired))
    package, cell = runs
    # every 60m, and at the 30m margin (1h30m from now), then 60m after that margin save
    assert package[0] == [60, 90, 150]
    assert cell == package
    scripts = [script for script, _ in fake_colab]
    if on_colab:  # each guard sent the same alert script once, at the margin
        assert len(scripts) == 2
        assert scripts[0] == scripts[1]
        assert "Colab runtime ending" in scripts[0]
    else:
        assert scripts == []


def test_cell_carries_notebook_py_and_its_javascript() -> None:
    cell = python_cell()
    assert jsassets.notebook_source() in cell
    for name in JS_FILES:
        assert repr(jsassets.load(name))[1:-1] in cell


@pytest.mark.parametrize("text", ["30m1h", "1h30m", "90", "1.5h", "", "5x", "-1m", "1h 30m"])
def test_cell_parses_durations_like_the_package(
    text: str, off_colab: None, uptime: Callable[[float], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATCHDOG_UPTIME_FILE", uptime(0))
    cell_parse = exec_cell(python_cell())["colab_watchdog"].parse_duration
    try:
        expected = parse_duration(text, "every")
    except ValueError as exc:
        with pytest.raises(ValueError) as err:
            cell_parse(text, "every")
        assert str(err.value) == str(exc)
    else:
        assert cell_parse(text, "every") == expected


@pytest.mark.parametrize(
    "kwargs",
    [{"max_lifetime_s": 0}, {"max_lifetime_s": float("inf")}, {"warn_before_s": [-1.0]}],
)
def test_render_rejects_bad_values(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="cannot render the Python cell"):
        python_cell(**kwargs)  # type: ignore[arg-type]


def test_render_sorts_and_deduplicates_warnings() -> None:
    cell = python_cell(warn_before_s=[300, 3600, 300])
    assert "colab_guard.show_countdown([3600.0, 300.0])\n" in cell
    compile(cell, "<cell>", "exec")


def test_render_rejects_a_source_that_cannot_sit_in_the_cell() -> None:
    js = dict.fromkeys(JS_FILES, "x")
    with pytest.raises(ValueError, match="holds"):
        render_python_cell("s = " + "'" * 3 + "\n", js)
    with pytest.raises(ValueError, match=r"no text for notebook_countdown\.js"):
        render_python_cell("pass\n", {"notebook_alert.js": "x"})
