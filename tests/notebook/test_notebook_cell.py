"""The Python cell of `colab-watchdog snippet --python`, executed like a user would run it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from nb_fakes import FakeClock

from watchdog.core.notebook_cell import render_python_cell
from watchdog.notebook import format_remaining, time_left

HERE = Path(__file__).parent
HOUR = 3600.0


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
    proc = run_cell(render_python_cell(), {"WATCHDOG_UPTIME_FILE": path}, tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Colab runtime: up 3h 00m; about 8h 59m left, ends ~")
    assert lines[0].endswith(" UTC")
    assert lines[1] == "Warnings at 1h 00m, 30m 00s, 10m 00s, 5m 00s before the end."
    assert lines[2] == "Not on Colab: no countdown in the page; call colab_time_left() to check."
    assert len(lines) == 3
    assert proc.stderr == ""


def test_cell_agrees_with_the_module(uptime: Callable[[float], str], tmp_path: Path) -> None:
    path = uptime(5 * HOUR + 17 * 60)
    proc = run_cell(
        render_python_cell(max_lifetime_s=24 * HOUR, warn_before_s=[20 * 60]),
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
        render_python_cell(), {"WATCHDOG_UPTIME_FILE": uptime(12 * HOUR - 20 * 60)}, tmp_path
    )
    assert "about 20m 00s left" in proc.stdout
    assert "Already under the 30m 00s warning: save your work now." in proc.stdout


def test_cell_without_uptime_file_counts_from_the_run(tmp_path: Path) -> None:
    proc = run_cell(render_python_cell(), {"WATCHDOG_UPTIME_FILE": "/nonexistent"}, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Colab runtime: up 0s; about 11h 59m left" in proc.stdout


@pytest.fixture
def colab_run(uptime: Callable[[float], str], tmp_path: Path) -> tuple[str, Path]:
    """Run the cell against a fake google.colab; returns (stdout, the JS file it sent)."""
    js_file = tmp_path / "eval.js"
    env = {
        "WATCHDOG_UPTIME_FILE": uptime(12 * HOUR - 3700),  # 1h 01m 40s left
        "PYTHONPATH": str(HERE / "fake_colab_pkg"),
        "FAKE_EVAL_JS_OUT": str(js_file),
    }
    proc = run_cell(render_python_cell(), env, tmp_path)
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


def test_cell_guard_functions(
    uptime: Callable[[float], str],
    monkeypatch: pytest.MonkeyPatch,
    off_colab: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("WATCHDOG_UPTIME_FILE", uptime(10 * HOUR))
    namespace: dict[str, object] = {}
    exec(render_python_cell(), namespace)
    clock = FakeClock()

    class FakeTime:
        time = staticmethod(clock)

    namespace["_time"] = FakeTime
    namespace["colab_uptime"] = lambda: 10 * HOUR + (clock.now - 1_800_000_000.0)
    namespace["_cw_state"] = {"last_save": clock.now, "margin_fired": False}
    should_save = namespace["colab_should_save"]
    saved = namespace["colab_saved"]
    due = []
    for minute in range(1, 151):
        clock.tick(60)
        if should_save():  # type: ignore[operator]
            due.append(minute)
            saved()  # type: ignore[operator]
    # every 60m, and at the 30m margin (1h30m from now), then 60m after that margin save
    assert due == [60, 90, 150]
    assert "colab-watchdog: 30m 00s left: save a checkpoint now" in capsys.readouterr().out


@pytest.mark.parametrize(
    "kwargs",
    [{"max_lifetime_s": 0}, {"max_lifetime_s": float("inf")}, {"warn_before_s": [-1.0]}],
)
def test_render_rejects_bad_values(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="cannot render the Python cell"):
        render_python_cell(**kwargs)  # type: ignore[arg-type]


def test_render_sorts_and_deduplicates_warnings() -> None:
    cell = render_python_cell(warn_before_s=[300, 3600, 300])
    assert "COLAB_WARN_BEFORE_S = [3600.0, 300.0]\n" in cell
    assert "__" + "MAX_LIFETIME_S__" not in cell
    compile(cell, "<cell>", "exec")
