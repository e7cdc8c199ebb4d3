"""`colab-watchdog snippet --python`: prints the cell; --max-lifetime/--warn-before apply."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from watchdog.cli.main import main


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No WATCHDOG_* variables; the working directory (and so any .env) in a temp dir."""
    for key in list(os.environ):
        if key.upper().startswith("WATCHDOG_"):
            monkeypatch.delenv(key)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def run_printed_cell(cell: str, uptime_file: str, tmp_path: Path) -> str:
    path = tmp_path / "printed_cell.py"
    path.write_text(cell, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COLAB_RELEASE_TAG")}
    env["WATCHDOG_UPTIME_FILE"] = uptime_file
    proc = subprocess.run(
        [sys.executable, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


# The guard reads the uptime once, then its clock: a moment later less than a whole minute is
# left, and the countdown rounds down. Half a second more keeps whole-minute texts exact.
SLACK = 0.5


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
    out = run_printed_cell(cell, uptime(2 * 3600 - SLACK), tmp_path)
    assert "about 10h 00m left" in out
    assert "Warnings at 1h 00m, 30m 00s, 10m 00s, 5m 00s before the end." in out


def test_python_cell_takes_the_lifetime_flags(
    clean_env: Path,
    capsys: pytest.CaptureFixture[str],
    uptime: Callable[[float], str],
    tmp_path: Path,
) -> None:
    assert main(["snippet", "--python", "--max-lifetime", "24h", "--warn-before", "15m,2h"]) == 0
    out = run_printed_cell(capsys.readouterr().out, uptime(2 * 3600 - SLACK), tmp_path)
    assert "about 22h 00m left" in out
    assert "Warnings at 2h 00m, 15m 00s before the end." in out


def test_python_cell_follows_the_settings(
    clean_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATCHDOG_MAX_LIFETIME", "20h")
    assert main(["snippet", "--python"]) == 0
    assert "    max_lifetime=72000.0,\n" in capsys.readouterr().out


def test_python_cell_output_file(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = clean_env / "deadline_cell.py"
    assert main(["snippet", "--python", "--output", str(target)]) == 0
    printed = capsys.readouterr().out
    assert target.read_text(encoding="utf-8").rstrip("\n") == printed.rstrip("\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--max-lifetime", "none"], "--max-lifetime=none: the Python cell needs a lifetime"),
        (["--format", "bookmarklet"], "--format=bookmarklet: --python prints a Python cell"),
        (["--max-lifetime", "soon"], "soon"),
    ],
)
def test_python_cell_bad_flags_exit_2(
    clean_env: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["snippet", "--python", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1
