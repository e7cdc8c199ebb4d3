"""The Python cell of `colab-watchdog snippet --python`, executed like a user would run it.

The cell is watchdog/notebook.py itself plus a few lines of set-up: these tests run it as a
script and in a fresh namespace, and check that it behaves like `CheckpointGuard`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from nb_fakes import START_AT, FakeClock

from watchdog import jsassets
from watchdog.core.notebook_cell import JS_FILES, render_python_cell
from watchdog.jsassets import python_cell
from watchdog.notebook import CheckpointGuard, format_remaining, parse_duration, time_left

HERE = Path(__file__).parent
HOUR = 3600.0
# The guard reads the uptime once, then its clock: a moment later less than a whole minute is
# left, and the countdown rounds down. Half a second more keeps whole-minute texts exact.
SLACK = 0.5


def run_cell(
    cell: str, env_extra: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "cell.py"
    path.write_text(cell, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COLAB_RELEASE_TAG")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, str(path)],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cell_prints_deadline_off_colab(uptime: Callable[[float], str], tmp_path: Path) -> None:
    path = uptime(3 * HOUR + 30)
    proc = run_cell(python_cell(), {"WATCHDOG_UPTIME_FILE": path}, tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Colab runtime: up 3h 00m; about 8h 59m left, ends ~")
    assert lines[0].endswith(" UTC")
    assert lines[1] == "Warnings at 1h 00m, 30m 00s, 10m 00s, 5m 00s before the end."
    assert lines[2] == "Not on Colab: no countdown in the page; time_left() tells the time left."
    assert len(lines) == 3
    assert proc.stderr == ""


def test_cell_agrees_with_the_module(uptime: Callable[[float], str], tmp_path: Path) -> None:
    path = uptime(5 * HOUR + 17 * 60 - SLACK)
    proc = run_cell(
        python_cell(max_lifetime_s=24 * HOUR, warn_before_s=[20 * 60]),
        {"WATCHDOG_UPTIME_FILE": path},
        tmp_path,
    )
    expected = format_remaining(time_left("24h", uptime_file=path))
    assert expected == "18h 43m"
    assert f"about {expected} left" in proc.stdout
    assert "Warnings at 20m 00s before the end." in proc.stdout


def test_cell_warns_when_already_under_a_margin(
    uptime: Callable[[float], str], tmp_path: Path
) -> None:
    proc = run_cell(
        python_cell(), {"WATCHDOG_UPTIME_FILE": uptime(12 * HOUR - 20 * 60 - SLACK)}, tmp_path
    )
    assert "about 20m 00s left" in proc.stdout
    assert "Already under the 30m 00s warning: save your work now." in proc.stdout


def test_cell_without_uptime_file_counts_from_the_run(tmp_path: Path) -> None:
    proc = run_cell(python_cell(), {"WATCHDOG_UPTIME_FILE": "/nonexistent"}, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Colab runtime: up 0s; about 11h 59m left" in proc.stdout


@pytest.fixture
def colab_run(uptime: Callable[[float], str], tmp_path: Path) -> tuple[str, Path]:
    """Run the cell against a fake google.colab; returns (stdout, the JS file it sent)."""
    js_file = tmp_path / "eval.js"
    env = {
        "WATCHDOG_UPTIME_FILE": uptime(12 * HOUR - 3700 - SLACK),  # 1h 01m 40s left
        "PYTHONPATH": str(HERE / "fake_colab_pkg"),
        "FAKE_EVAL_JS_OUT": str(js_file),
    }
    proc = run_cell(python_cell(), env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, js_file


def test_cell_on_colab_hands_the_countdown_to_eval_js(colab_run: tuple[str, Path]) -> None:
    stdout, js_file = colab_run
    assert "Not on Colab" not in stdout
    assert "[fake eval_js:" in stdout
    assert "ignore_result=True" in stdout
    script = js_file.read_text(encoding="utf-8")
    assert "@LEFT@" not in script
    assert "[3600.0, 1800.0, 600.0, 300.0])" in script


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the cell's JS")
def test_cell_countdown_js_warns_once_per_margin(colab_run: tuple[str, Path]) -> None:
    _, js_file = colab_run
    proc = subprocess.run(
        ["node", str(HERE / "run_cell_js.js"), str(js_file), "60", "60", "60", "3700"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    states = [json.loads(line) for line in proc.stdout.splitlines()]
    first, at_1m, at_2m, at_3m, past_end = states
    assert first["result"] == "Colab runtime: about 1h 01m left (estimate, errs early)"
    assert first["intervals"] == 1
    assert first["notes"] == []
    assert at_1m["notes"] == []
    assert at_2m["shown"] == [
        "Colab runtime: about 59m 40s left (estimate, errs early)"
        " - under 1h 00m: save your work now"
    ]
    assert at_2m["color"] == "#d93025"
    assert at_2m["notes"] == [
        "Colab runtime ending: About 59m 40s left in this Colab runtime: save your work now."
    ]
    assert at_3m["notes"] == at_2m["notes"]  # no repeat
    # the tab slept past the end: one more notification for all margins crossed, not three
    assert len(past_end["notes"]) == 2
    assert past_end["shown"][0].endswith(
        "about 0s left (estimate, errs early) - under 5m 00s: save your work now"
    )


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
        clock = FakeClock(START_AT)
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
