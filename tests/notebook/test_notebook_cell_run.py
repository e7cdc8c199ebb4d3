"""The Python cell of `colab-watchdog snippet --python`, run as a script in a new process.

The cell is watchdog/notebook.py itself plus a few lines of set-up: these tests run it the
way a user runs it, off Colab and against a fake google.colab (fake_colab_pkg/), and run the
countdown JavaScript it hands to eval_js under node. Its in-process tests are in tests/unit.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from watchdog.cli.main import main
from watchdog.jsassets import python_cell
from watchdog.notebook import format_remaining, time_left

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


def run_printed_cell(cell: str, uptime_file: str, tmp_path: Path) -> str:
    """Run the cell `snippet --python` printed; returns its output."""
    proc = run_cell(cell, {"WATCHDOG_UPTIME_FILE": uptime_file}, tmp_path)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_python_cell_with_defaults(
    clean_env: Path,
    capsys: pytest.CaptureFixture[str],
    uptime: Callable[[float], str],
    tmp_path: Path,
) -> None:
    assert main(["snippet", "--python"]) == 0
    cell = capsys.readouterr().out
    assert "colabWatchdog" not in cell  # not the JS snippet
    assert "    max_lifetime=43200.0,\n" in cell
    out = run_printed_cell(cell, uptime(2 * HOUR - SLACK), tmp_path)
    assert "about 10h 00m left" in out
    assert "Warnings at 1h 00m, 30m 00s, 10m 00s, 5m 00s before the end." in out


def test_python_cell_takes_the_lifetime_flags(
    clean_env: Path,
    capsys: pytest.CaptureFixture[str],
    uptime: Callable[[float], str],
    tmp_path: Path,
) -> None:
    assert main(["snippet", "--python", "--max-lifetime", "24h", "--warn-before", "15m,2h"]) == 0
    out = run_printed_cell(capsys.readouterr().out, uptime(2 * HOUR - SLACK), tmp_path)
    assert "about 22h 00m left" in out
    assert "Warnings at 2h 00m, 15m 00s before the end." in out
