"""`colab-watchdog snippet --python`: prints the cell; --max-lifetime/--warn-before apply.

tests/notebook/test_notebook_cell_run.py runs the printed cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchdog.cli.main import main


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
